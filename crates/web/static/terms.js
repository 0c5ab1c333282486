// The listing form shows the fields of the exchange chosen only (hours for
// time credit, price and currency for a sale). Without JavaScript every
// field shows and the server ignores those of other exchanges.
(function () {
  var mode = document.getElementById("f-terms_mode");
  if (!mode) return;
  function show() {
    document.querySelectorAll("[data-terms]").forEach(function (block) {
      block.hidden = block.getAttribute("data-terms") !== mode.value;
    });
  }
  mode.addEventListener("change", show);
  show();
})();
