/* The partnership map: Sweden and Ukraine from our own GeoJSON (no tiles), a line per
   partnership, a focusable marker per municipality sized by its number of partnerships. */
(function () {
  "use strict";
  var element = document.getElementById("map");
  var dataElement = document.getElementById("map-data");
  if (!element || !dataElement || !window.L) { return; }
  var data = JSON.parse(dataElement.textContent);
  var map = L.map(element, { attributionControl: false, keyboard: true, zoomSnap: 0.25 })
    .setView([54, 24], 4);
  var fills = { SE: "#dbe7f3", UA: "#f6efd2" };

  fetch(element.dataset.geo).then(function (r) { return r.json(); }).then(function (geo) {
    L.geoJSON(geo, {
      interactive: false,
      style: function (f) {
        return { color: "#6b7682", weight: 1, fillColor: fills[f.properties.country] || "#eee", fillOpacity: 1 };
      }
    }).addTo(map).bringToBack();
  });

  var byCode = {};
  data.points.forEach(function (p) { byCode[p.code] = p; });
  data.lines.forEach(function (line) {
    var a = byCode[line.a], b = byCode[line.b];
    L.polyline([[a.lat, a.lon], [b.lat, b.lon]], { color: "#0b5394", weight: 2, opacity: 0.7 })
      .bindTooltip(line.title).addTo(map);
  });
  var bounds = [];
  data.points.forEach(function (p) {
    var size = Math.round(10 + 6 * Math.sqrt(p.n));
    var icon = L.divIcon({ className: "map-point", iconSize: [size, size] });
    var marker = L.marker([p.lat, p.lon], { icon: icon, keyboard: true, title: p.name + " (" + p.n + ")" })
      .addTo(map);
    var el = marker.getElement();
    el.setAttribute("role", "link");
    el.setAttribute("aria-label", p.name + " (" + p.n + ")");
    marker.on("click", function () { window.location.href = p.url; });
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7 }); }
}());
