// A form sent once: its button is disabled and says so while photos
// upload, so that a second tap does not publish twice. Without JavaScript
// the form works as before.
(function () {
  document.querySelectorAll("form[data-send-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (!button) { return; }
      setTimeout(function () {
        button.disabled = true;
        button.textContent = form.dataset.sendOnce;
      }, 0);
    });
  });
})();
