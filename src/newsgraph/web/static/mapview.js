/* newsgraph map and timeline on Leaflet (with marker clustering) and vis-timeline, the package's own
   copies in static/vendor (no CDN, no tile server: the base map is the country outlines the project
   ships, from /outlines.json). Data comes from the page's JSON twin; article text is only ever set
   with textContent. */
"use strict";

const NGMap = (() => {
  // one colour per event type; types not listed share the last one
  const COLOURS = { arrest: "#1f5fa8", border_crossing: "#16a085", travel: "#8e44ad", attack: "#c0392b",
    killing: "#7b241c", deportation: "#b7950b", evacuation: "#117864", entry_ban: "#5d6d7e",
    smuggling: "#d35400", financing: "#2e4053", stop: "#5b2c6f", place: "#34495e", other: "#7f8c8d" };
  // place precisions drawn as exact points; coarser ones (country, region) are hollow and listed
  const EXACT = new Set(["point", "facility", "town", "city", "district", "village", "address"]);
  const colour = (type) => COLOURS[type] || COLOURS.other;
  const label = (type) => String(type || "event").replace(/_/g, " ");

  function go(href) {
    const h = NG.safeHref(href);
    if (h) window.location.assign(h);
  }

  let outlinesPromise = null;
  function outlines() {
    if (!outlinesPromise) outlinesPromise = fetch("/outlines.json?tolerance=0.05").then((r) => r.json());
    return outlinesPromise;
  }

  function outlineLayer(countries) {
    const features = countries.map((c) => ({
      type: "Feature", properties: { name: c.name },
      geometry: { type: "MultiPolygon", coordinates: c.polygons.map((ring) => [ring]) },
    }));
    return L.geoJSON({ type: "FeatureCollection", features }, {
      style: { color: "#a8a29a", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1 },
      interactive: false,
    });
  }

  function legend(container, types) {
    const box = L.DomUtil.create("div", "map-legend", container);
    for (const type of types) {
      const row = L.DomUtil.create("span", "legend-row", box);
      const swatch = L.DomUtil.create("span", "swatch", row);
      swatch.style.background = colour(type);
      row.appendChild(document.createTextNode(label(type)));
      row.dataset.type = type;
    }
    const hollow = L.DomUtil.create("span", "legend-row", box);
    L.DomUtil.create("span", "swatch hollow", hollow);
    hollow.appendChild(document.createTextNode("known only to the country or region"));
    return box;
  }

  function addArrowDefs(map) {
    const svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#ng-arrow")) return;
    const ns = "http://www.w3.org/2000/svg";
    const defs = document.createElementNS(ns, "defs");
    const marker = document.createElementNS(ns, "marker");
    for (const [k, v] of Object.entries({ id: "ng-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 5,
      markerHeight: 5, orient: "auto-start-reverse" })) marker.setAttribute(k, String(v));
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M0 0L10 5L0 10z");
    path.setAttribute("class", "arrowhead");
    marker.appendChild(path);
    defs.appendChild(marker);
    svg.insertBefore(defs, svg.firstChild);
  }

  async function draw(container, data) {
    const points = (data && data.points) || [];
    const lines = (data && data.lines) || [];
    if (!points.length && !lines.length) {
      NG.empty(container, "nothing to place on the map");
      return;
    }
    container.textContent = "";
    const canvas = L.DomUtil.create("div", "leaflet-box", container);
    const map = L.map(canvas, { preferCanvas: false, worldCopyJump: true, attributionControl: false,
      zoomSnap: 0.5, minZoom: 1, maxZoom: 14 });
    const [w, s, e, n] = data.bbox || [-180, -90, 180, 90];
    map.fitBounds([[s, w], [n, e]]);
    map.createPane("outlines").style.zIndex = 250;
    outlineLayer(await outlines()).addTo(map);

    const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40,
      spiderfyOnMaxZoom: true, chunkedLoading: true });
    const coarse = L.layerGroup();
    const placeLabels = new Map();
    const coarseList = [];
    const types = new Set();
    for (const p of points) {
      types.add(p.type || "other");
      const exact = !p.precision || EXACT.has(p.precision);
      const marker = L.circleMarker([p.lat, p.lon], exact
        ? { radius: 6, color: "#fff", weight: 1, fillColor: colour(p.type), fillOpacity: 0.9,
            className: `event t-${p.type || "event"}` }
        : { radius: 11, color: colour(p.type), weight: 2, fill: false, dashArray: "3 3",
            className: `event coarse t-${p.type || "event"}` });
      marker.bindTooltip(`${p.label}${p.precision ? ` (place: ${p.precision})` : ""}`);
      marker.on("click", () => go(p.href));
      marker.options.ngHref = p.href;
      if (exact) {
        clusters.addLayer(marker);
        const name = p.place || (p.label.split(" in ")[1] || "").split(",")[0];
        if (name && !placeLabels.has(name)) placeLabels.set(name, [p.lat, p.lon]);
      } else {
        coarse.addLayer(marker);
        coarseList.push(p);
      }
    }
    const legs = L.layerGroup();
    for (const line of lines) {
      const latlngs = line.coords.map(([lon, lat]) => [lat, lon]);
      const path = L.polyline(latlngs, { color: COLOURS.travel, weight: 2.5, className: "leg" });
      path.bindTooltip(`${line.seq}. ${line.label}`);
      path.on("click", () => go(line.href));
      legs.addLayer(path);
      const mid = latlngs[Math.floor((latlngs.length - 1) / 2)];
      const next = latlngs[Math.floor((latlngs.length - 1) / 2) + 1] || mid;
      const seq = L.tooltip({ permanent: true, direction: "center", className: "seq", interactive: false })
        .setLatLng([(mid[0] + next[0]) / 2, (mid[1] + next[1]) / 2]).setContent(String(line.seq));
      legs.addLayer(seq);
    }
    const names = L.layerGroup();
    for (const [name, at] of placeLabels) {
      names.addLayer(L.tooltip({ permanent: true, direction: "right", offset: [8, 0], className: "place-label",
        interactive: false }).setLatLng(at).setContent(name));
    }
    coarse.addTo(map);
    legs.addTo(map);
    clusters.addTo(map);
    names.addTo(map);
    addArrowDefs(map);
    legs.eachLayer((layer) => { if (layer.getElement) layer.getElement()?.setAttribute("marker-end", "url(#ng-arrow)"); });
    L.control.scale({ imperial: false }).addTo(map);
    legend(container, [...types].sort());
    if (coarseList.length) {
      const note = L.DomUtil.create("details", "coarse-list", container);
      const summary = L.DomUtil.create("summary", "", note);
      summary.textContent = `${coarseList.length} event${coarseList.length > 1 ? "s" : ""} placed only to a country or region (hollow rings)`;
      const list = L.DomUtil.create("ul", "", note);
      for (const p of coarseList) {
        const li = L.DomUtil.create("li", "", list);
        const a = L.DomUtil.create("a", "", li);
        a.textContent = p.label;
        const h = NG.safeHref(p.href);
        if (h) a.setAttribute("href", h);
      }
    }
    container.ngMap = map;
    container.ngClusters = clusters;
    container.dataset.drawn = "map";
  }

  function drawTimeline(container, data) {
    const items = (data && data.items) || [];
    const undated = (data && data.undated) || 0;
    container.textContent = "";
    if (!items.length) {
      NG.empty(container, undated ? `no dated events (${undated} without a date)` : "no dated events");
      return;
    }
    const box = document.createElement("div");
    box.className = "vis-box";
    container.appendChild(box);
    const types = [...new Set(items.map((it) => it.type || "other"))].sort();
    const groups = types.map((type, i) => {
      const title = document.createElement("span");
      title.className = "lane-label";
      title.textContent = label(type);
      return { id: type, content: title, order: i, className: `lane t-${type}` };
    });
    const rows = items.map((it) => {
      const content = document.createElement("span");
      content.textContent = it.label;
      const end = it.end && it.end !== it.start ? it.end : null;
      return { id: it.id, group: it.type || "other", content, start: it.start, end: end || undefined,
        type: end ? "range" : "point", className: `t-${it.type || "other"} p-${it.precision || "unknown"}`,
        title: `${it.label} (${it.precision || "?"} precision)`, href: it.href };
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const timeline = new vis.Timeline(box, rows, groups, {
      stack: true, zoomable: true, horizontalScroll: false, maxHeight: 420, margin: { item: 4 },
      tooltip: { followMouse: true }, xss: { disabled: false }, orientation: { axis: "top" },
    });
    timeline.on("select", (props) => {
      const row = byId.get(props.items[0]);
      if (row) go(row.href);
    });
    if (undated) {
      const note = document.createElement("p");
      note.className = "muted undated";
      note.textContent = `${undated} event${undated > 1 ? "s" : ""} without a date ${undated > 1 ? "are" : "is"} not on the timeline: `;
      const a = document.createElement("a");
      a.setAttribute("href", "/events?dated=false");
      a.textContent = "list them";
      note.appendChild(a);
      container.appendChild(note);
    }
    container.ngTimeline = timeline;
    container.dataset.drawn = "timeline";
  }

  return { draw, drawTimeline };
})();
