/* newsgraph drawing: the origin graph as plain SVG, and helpers the map and timeline share (mapview.js).
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

  return { drawGraph, empty, safeHref };
})();
