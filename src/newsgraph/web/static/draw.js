/* newsgraph drawing: offline map, timeline and origin graph as plain SVG.
   Data comes from the page's JSON twin. Text from articles is only ever set with textContent. */
"use strict";

const NG = (() => {
  const SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, parent) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  }

  function tip(node, text) {
    const t = el("title", {}, node);
    t.textContent = text == null ? "" : String(text);
    return node;
  }

  /* Only our own site paths become links. */
  function safeHref(href) {
    return typeof href === "string" && href.startsWith("/") && !href.startsWith("//") ? href : null;
  }

  function linked(parent, href) {
    const h = safeHref(href);
    return h ? el("a", { href: h }, parent) : parent;
  }

  function svgRoot(container, width, height, label) {
    container.textContent = "";
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": label });
    container.appendChild(svg);
    return svg;
  }

  function empty(container, text) {
    container.textContent = "";
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = text;
    container.appendChild(p);
    container.dataset.drawn = "empty";
  }

  /* Equirectangular projection keeping the bbox's aspect ratio (same as geo/outlines.py project). */
  function projector(bbox, width, height) {
    const [minLon, minLat, maxLon, maxLat] = bbox;
    const sx = Math.max(maxLon - minLon, 1e-9), sy = Math.max(maxLat - minLat, 1e-9);
    const scale = Math.min(width / sx, height / sy);
    const ox = (width - sx * scale) / 2, oy = (height - sy * scale) / 2;
    const f = (lon, lat) => [ox + (lon - minLon) * scale, oy + (maxLat - lat) * scale];
    f.visible = [minLon - ox / scale, minLat - oy / scale, maxLon + ox / scale, maxLat + oy / scale];
    return f;
  }

  const outlineCache = {};
  function outlines(tolerance) {
    if (!outlineCache[tolerance]) outlineCache[tolerance] = fetch(`/outlines.json?tolerance=${tolerance}`).then((r) => r.json());
    return outlineCache[tolerance];
  }

  function ringBox(ring) {
    let a = 180, b = 90, c = -180, d = -90;
    for (const [x, y] of ring) { a = Math.min(a, x); b = Math.min(b, y); c = Math.max(c, x); d = Math.max(d, y); }
    return [a, b, c, d];
  }

  async function drawMap(container, map) {
    if (!map || (!(map.points || []).length && !(map.lines || []).length)) {
      empty(container, "nothing to place on the map");
      return;
    }
    const width = 640, height = container.classList.contains("small") ? 300 : 400;
    const svg = svgRoot(container, width, height, "map");
    const project = projector(map.bbox, width, height);
    const [v0, v1, v2, v3] = project.visible;
    el("rect", { x: 0, y: 0, width, height, class: "sea" }, svg);
    const land = el("g", { class: "land" }, svg);
    const span = Math.max(map.bbox[2] - map.bbox[0], map.bbox[3] - map.bbox[1]);
    for (const country of await outlines(span < 25 ? 0.01 : 0.1)) {
      const parts = [];
      for (const ring of country.polygons) {
        const [a, b, c, d] = ringBox(ring);
        if (c < v0 || a > v2 || d < v1 || b > v3) continue;
        parts.push("M" + ring.map(([x, y]) => project(x, y).map((n) => n.toFixed(1)).join(" ")).join("L") + "Z");
      }
      if (parts.length) tip(el("path", { d: parts.join(""), class: "country" }, land), country.name);
    }
    const defs = el("defs", {}, svg);
    const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6,
      markerHeight: 6, orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0 0L10 5L0 10z", class: "arrowhead" }, marker);
    const legs = el("g", { class: "legs" }, svg);
    for (const line of map.lines || []) {
      const pts = line.coords.map(([lon, lat]) => project(lon, lat));
      const g = linked(legs, line.href);
      tip(el("polyline", { points: pts.map((p) => p.join(",")).join(" "), class: "leg", "marker-end": "url(#arrow)" }, g),
        `${line.seq}. ${line.label}`);
      const mid = pts[Math.floor((pts.length - 1) / 2)], next = pts[Math.floor((pts.length - 1) / 2) + 1] || mid;
      const label = el("text", { x: (mid[0] + next[0]) / 2 + 4, y: (mid[1] + next[1]) / 2 - 4, class: "seq" }, g);
      label.textContent = String(line.seq);
    }
    const dots = el("g", { class: "points" }, svg);
    for (const p of map.points || []) {
      const [x, y] = project(p.lon, p.lat);
      const g = linked(dots, p.href);
      tip(el("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 4.5, class: `event t-${p.type || "event"}` }, g),
        `${p.label}${p.precision ? ` (place precision: ${p.precision})` : ""}`);
    }
    container.dataset.drawn = "map";
  }

  function toTime(value, end) {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value || "");
    if (!m) return null;
    const y = +m[1], mo = m[2] ? +m[2] - 1 : (end ? 11 : 0);
    let d = m[3] ? +m[3] : 1;
    if (end && !m[3]) d = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
    return Date.UTC(y, mo, d) + (end ? 86400000 : 0);
  }

  function drawTimeline(container, timeline) {
    const items = ((timeline && timeline.items) || [])
      .map((it) => ({ ...it, t0: toTime(it.start, false), t1: toTime(it.end || it.start, true) }))
      .filter((it) => it.t0 != null && it.t1 != null)
      .sort((a, b) => a.t0 - b.t0);
    if (!items.length) {
      empty(container, "no dated events");
      return;
    }
    let lo = Math.min(...items.map((i) => i.t0)), hi = Math.max(...items.map((i) => i.t1));
    const pad = Math.max((hi - lo) * 0.04, 86400000 * 3);
    lo -= pad; hi += pad;
    const width = 640, left = 10, right = 10, laneH = 11, maxLanes = 36;
    const lanes = [];
    for (const it of items) {
      let lane = lanes.findIndex((end) => end < it.t0);
      if (lane < 0) { lane = lanes.length < maxLanes ? lanes.length : lanes.indexOf(Math.min(...lanes)); }
      lanes[lane] = Math.max(lanes[lane] || 0, it.t1 + (hi - lo) / 120);
      it.lane = lane;
    }
    const height = 30 + lanes.length * laneH + 10;
    const svg = svgRoot(container, width, height, "timeline");
    const x = (t) => left + ((t - lo) / (hi - lo)) * (width - left - right);
    const axis = el("g", { class: "axis" }, svg);
    el("line", { x1: left, x2: width - right, y1: 20, y2: 20 }, axis);
    const years = (hi - lo) / (365.25 * 86400000);
    const start = new Date(lo), ticks = [];
    if (years > 2) {
      const step = Math.ceil(years / 10);
      for (let y = start.getUTCFullYear() + 1; Date.UTC(y, 0, 1) < hi; y += step) ticks.push([Date.UTC(y, 0, 1), String(y)]);
    } else {
      const months = years * 12, step = Math.max(1, Math.ceil(months / 8));
      for (let t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1); t < hi;) {
        const d = new Date(t);
        ticks.push([t, `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`]);
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step, 1);
      }
    }
    for (const [t, label] of ticks) {
      el("line", { x1: x(t), x2: x(t), y1: 16, y2: height, class: "tick" }, axis);
      const text = el("text", { x: x(t) + 2, y: 12 }, axis);
      text.textContent = label;
    }
    const bars = el("g", { class: "bars" }, svg);
    for (const it of items) {
      const g = linked(bars, it.href);
      const w = Math.max(3, x(it.t1) - x(it.t0));
      tip(el("rect", { x: x(it.t0).toFixed(1), y: 26 + it.lane * laneH, width: w.toFixed(1), height: laneH - 3,
        class: `bar p-${it.precision || "unknown"} t-${it.type || "event"}` }, g),
        `${it.label} · ${it.start}${it.end && it.end !== it.start ? ` to ${it.end}` : ""} (${it.precision || "?"})`);
    }
    container.dataset.drawn = "timeline";
  }

  function drawGraph(container, graph) {
    const nodes = (graph && graph.nodes) || [];
    if (!nodes.length) {
      empty(container, "no origin recorded");
      return;
    }
    const columns = [];
    for (const n of nodes) (columns[n.depth] = columns[n.depth] || []).push(n);
    const colW = 210, rowH = 40, boxW = 180, boxH = 26;
    const width = Math.max(columns.length * colW, 220), height = Math.max(...columns.map((c) => (c || []).length)) * rowH + 20;
    const svg = svgRoot(container, width, height, "origin chain");
    svg.setAttribute("width", String(width));
    svg.style.maxWidth = "100%";
    const defs = el("defs", {}, svg);
    const marker = el("marker", { id: "garrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7,
      markerHeight: 7, orient: "auto" }, defs);
    el("path", { d: "M0 0L10 5L0 10z", class: "arrowhead" }, marker);
    const at = {};
    columns.forEach((col, depth) => (col || []).forEach((n, i) => { at[n.id] = [10 + depth * colW, 10 + i * rowH]; }));
    const edges = el("g", { class: "edges" }, svg);
    for (const [a, b] of graph.edges || []) {
      if (!at[a] || !at[b]) continue;
      el("line", { x1: at[a][0] + boxW, y1: at[a][1] + boxH / 2, x2: at[b][0], y2: at[b][1] + boxH / 2,
        class: "edge", "marker-end": "url(#garrow)" }, edges);
    }
    const boxes = el("g", { class: "nodes" }, svg);
    for (const n of nodes) {
      const [x0, y0] = at[n.id];
      const g = el("g", { class: `node k-${n.kind || "unknown"}${n.interested ? " interested" : ""}${n.origin ? " origin" : ""}` }, boxes);
      el("rect", { x: x0, y: y0, width: boxW, height: boxH, rx: 4 }, g);
      const text = el("text", { x: x0 + 6, y: y0 + 17 }, g);
      const label = String(n.label || n.id);
      text.textContent = label.length > 26 ? label.slice(0, 25) + "…" : label;
      tip(g, `${label} (${n.kind || "?"}${n.interested ? ", interested party" : ""})`);
    }
    container.dataset.drawn = "graph";
  }

  return { drawMap, drawTimeline, drawGraph, projector, safeHref };
})();
