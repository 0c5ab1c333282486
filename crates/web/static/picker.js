// The place picker of the listing form: a click (or Enter on the map,
// at its centre) puts the point in the latitude and longitude fields,
// and typing in them moves the marker. Without JavaScript the fields are
// typed by hand.
(function () {
  "use strict";
  var el = document.getElementById("picker");
  var lat = document.getElementById("f-latitude"), lon = document.getElementById("f-longitude");
  if (!el || !lat || !lon || !window.L) { return; }
  el.hidden = false;
  var map = L.map(el);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 18 }).addTo(map);
  }
  var centre = [parseFloat(el.dataset.centreLat) || 0, parseFloat(el.dataset.centreLon) || 0];
  map.setView(centre, 11);
  var marker = null;
  function place(latlng, fill) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: true }).addTo(map); }
    if (fill) {
      lat.value = latlng.lat.toFixed(5);
      lon.value = latlng.lng.toFixed(5);
    }
    el.dataset.picked = lat.value + "," + lon.value;
  }
  if (lat.value && lon.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value)), false); }
  map.on("click", function (e) { place(e.latlng, true); });
  map.getContainer().addEventListener("keydown", function (e) {
    if (e.key === "Enter") { place(map.getCenter(), true); }
  });
  function typed() {
    var a = parseFloat(lat.value.replace(",", ".")), b = parseFloat(lon.value.replace(",", "."));
    if (!isNaN(a) && !isNaN(b)) { place(L.latLng(a, b), false); map.panTo([a, b]); }
  }
  lat.addEventListener("change", typed);
  lon.addEventListener("change", typed);
})();
