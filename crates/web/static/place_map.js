// A listing's place on a small map: its point and, when it reaches
// further, the circle of its reach. Without JavaScript, or when tiles
// cannot load, the place's name and reach stay written above it. The
// map does not take the page's scrolling (wheel, or one finger on a
// phone), and its pin is a picture, not a stop for the keyboard.
(function () {
  "use strict";
  var el = document.getElementById("place-map");
  if (!el || !window.L) { return; }
  var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
  if (isNaN(lat) || isNaN(lon)) { return; }
  el.hidden = false;
  var map = L.map(el, { scrollWheelZoom: false, dragging: !L.Browser.mobile });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 18 }).addTo(map);
  }
  // A view first: layers are placed on the map's projection.
  map.setView([lat, lon], 13);
  L.marker([lat, lon], { keyboard: false, interactive: false, alt: el.dataset.place || "" }).addTo(map);
  var km = parseFloat(el.dataset.radiusKm);
  if (km > 0) {
    var reach = L.circle([lat, lon], { radius: km * 1000, weight: 1, interactive: false }).addTo(map);
    map.fitBounds(reach.getBounds(), { padding: [8, 8], maxZoom: 14, animate: false });
  }
  el.dataset.shown = "true";
})();
