/* The partnership map: Sweden and Ukraine from our own GeoJSON (no tiles), a line per pair of
   partner municipalities, a focusable marker per municipality sized by its number of
   partnerships. The data is GeoJSON: fetched from the map's data address (data-features, the
   page's filters) or, on a partnership's page, written into the page (#map-data). Without
   JavaScript the list under the map says the same. */
(function () {
  "use strict";
  var element = document.getElementById("map");
  var dataElement = document.getElementById("map-data");
  if (!element || !window.L) { return; }
  var note = document.getElementById("map-note");
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

  function latLng(position) { return [position[1], position[0]]; }

  function draw(data) {
    var bounds = [];
    data.features.forEach(function (f) {
      var p = f.properties;
      if (f.geometry.type !== "LineString") { return; }
      L.polyline(f.geometry.coordinates.map(latLng), { color: "#0b5394", weight: p.count > 1 ? 3 : 2, opacity: 0.7 })
        .bindTooltip(p.count > 1 ? p.title + " (" + p.count + ")" : p.title).addTo(map);
    });
    data.features.forEach(function (f) {
      var p = f.properties;
      if (f.geometry.type !== "Point") { return; }
      var at = latLng(f.geometry.coordinates);
      var size = Math.round(10 + 6 * Math.sqrt(Math.min(p.count, 100)));
      var icon = L.divIcon({ className: "map-point", iconSize: [size, size] });
      var label = p.name + " (" + p.count + ")";
      var marker = L.marker(at, { icon: icon, keyboard: true, title: label }).addTo(map);
      var el = marker.getElement();
      el.setAttribute("role", "link");
      el.setAttribute("aria-label", label);
      marker.on("click", function () { window.location.href = p.url; });
      bounds.push(at);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7 }); }
    if (note && data.pairs_shown < data.pairs) {
      note.textContent = note.dataset.partial
        .replace("SHOWN", data.pairs_shown).replace("TOTAL", data.pairs);
    }
  }

  if (element.dataset.features) {
    fetch(element.dataset.features, { headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(draw)
      .catch(function () { if (note) { note.textContent = note.dataset.failed; } });
  } else if (dataElement) {
    draw(JSON.parse(dataElement.textContent));
  }
}());
