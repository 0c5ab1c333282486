// Suggestions of towns for a place field (an input with data-suggest and
// a list): typing two letters or more asks /places and fills the field's
// <datalist>; picking one puts "Die (26150)" in the field, which the node
// reads as that very place. When the field names latitude and longitude
// fields (data-latitude, data-longitude: their ids), picking a town also
// fills them, and the map picker follows. A button with data-around-for
// (the id of a field) fills it with where the device is, when it may say,
// and sends its form when it has data-submit.
// Without JavaScript the fields take the same text and the node reads it
// the same way.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  function fill(id, value) {
    var field = id && document.getElementById(id);
    if (!field) { return; }
    field.value = value;
    field.dispatchEvent(new Event("change"));
  }
  document.querySelectorAll("input[data-suggest][list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null, asked = "", points = {};
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (points[q]) {
        fill(input.dataset.latitude, points[q][0].toFixed(5));
        fill(input.dataset.longitude, points[q][1].toFixed(5));
        return;
      }
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
              points[p.label] = [p.lat, p.lon];
            });
            list.dataset.count = String(places.length);
          })
          .catch(function () { /* no suggestions: the field still works */ });
      }, 200);
    });
  });
  if (!navigator.geolocation) { return; }
  document.querySelectorAll("button[data-around-for]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (where) {
        button.disabled = false;
        var lat = where.coords.latitude.toFixed(5), lon = where.coords.longitude.toFixed(5);
        if (button.dataset.latitude) {
          fill(button.dataset.latitude, lat);
          fill(button.dataset.longitude, lon);
        } else {
          fill(button.dataset.aroundFor, lat + ", " + lon);
        }
        button.dataset.located = lat + "," + lon;
        if (button.dataset.submit !== undefined && button.form) { button.form.submit(); }
      }, function () {
        button.disabled = false;
        button.dataset.located = "refused";
      }, { timeout: 10000, maximumAge: 60000 });
    });
  });
})();
