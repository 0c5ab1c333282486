// Suggestions of towns for a "near" field (an input with data-suggest and
// a list): typing two letters or more asks /places and fills the field's
// <datalist>; picking one puts "Die (26150)" in the field, which the
// search reads as that very place. Without JavaScript the field takes the
// same text, and the search reads it the same way.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  document.querySelectorAll("input[data-suggest][list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      var numbers = /^[-+0-9.,;\s]+$/.test(q);
      if (q.length < 2 || q === asked || (numbers && !/^[0-9]{5}$/.test(q))) { return; }
      timer = setTimeout(function () {
        asked = q;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (places) {
            if (input.value.trim() !== q) { return; }
            list.textContent = "";
            places.forEach(function (p) {
              var option = document.createElement("option");
              option.value = p.label;
              if (p.region) { option.label = p.label + " · " + p.region; }
              list.appendChild(option);
            });
            list.dataset.count = String(places.length);
          })
          .catch(function () { /* no suggestions: the field still works */ });
      }, 200);
    });
  });
})();
