// The listings map: a marker for each result of the page (read from the
// list's data-lat/data-lon), over tiles when a tile server is configured.
// Without JavaScript, or when tiles cannot load, the list stays and the
// markers still show.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  el.hidden = false;
  var map = L.map(el);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 18 }).addTo(map);
  }
  var points = [];
  document.querySelectorAll(".results [data-lat][data-lon]").forEach(function (item) {
    var lat = parseFloat(item.dataset.lat), lon = parseFloat(item.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) { return; }
    var a = item.querySelector("h3 a");
    var thumb = item.querySelector("img.thumb");
    var marker = L.marker([lat, lon], { title: a ? a.textContent : "", keyboard: true }).addTo(map);
    if (a) {
      var link = document.createElement("a");
      link.href = a.getAttribute("href");
      link.textContent = a.textContent;
      var popup = document.createElement("div");
      popup.className = "popup";
      if (thumb) {
        var img = document.createElement("img");
        img.src = thumb.getAttribute("src");
        img.alt = thumb.alt;
        img.width = 120;
        popup.appendChild(img);
      }
      popup.appendChild(link);
      marker.bindPopup(popup);
    }
    points.push([lat, lon]);
  });
  if (points.length) {
    map.fitBounds(points, { maxZoom: 13, padding: [24, 24] });
  } else {
    map.setView([parseFloat(el.dataset.centreLat) || 0, parseFloat(el.dataset.centreLon) || 0], 10);
  }
  el.dataset.markers = String(points.length);
})();
