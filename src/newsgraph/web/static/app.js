/* newsgraph pages: draw maps, timelines and graphs from the JSON twin; send analyst edits. */
"use strict";

async function drawFromTwin() {
  const boxes = document.querySelectorAll("[data-key]");
  if (!boxes.length) return;
  let data;
  try {
    const response = await fetch(document.body.dataset.twin, { headers: { Accept: "application/json" } });
    data = await response.json();
  } catch (error) {
    boxes.forEach((box) => { box.textContent = "could not load the data for this drawing"; });
    return;
  }
  for (const box of boxes) {
    const part = data[box.dataset.key];
    if (box.classList.contains("map")) await NGMap.draw(box, part);
    else if (box.classList.contains("timeline")) NGMap.drawTimeline(box, part);
    else if (box.classList.contains("graph")) NG.drawGraph(box, part);
  }
  document.body.dataset.drawn = "1";
}

function editBody(form) {
  const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
  switch (form.dataset.kind) {
    case "reliability": return { grade: value("grade"), basis: value("basis") };
    case "credibility": return { grade: Number(value("grade")), note: value("note") };
    case "merge": return { other: value("other"), note: value("note") };
    case "split": {
      const items = value("items").split(",").map((s) => s.trim()).filter(Boolean);
      const ids = items.every((s) => s.startsWith("ent-"));
      return ids ? { local_ids: items, note: value("note") } : { aliases: items, note: value("note") };
    }
    default: return {};
  }
}

function setupEntityPicker() {
  // The merge form takes a name: suggest entities from the search API as the analyst types.
  const input = document.querySelector("input.entity-pick");
  const list = document.getElementById("entity-choices");
  if (!input || !list) return;
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(async () => {
      const response = await fetch(`/search.json?kind=entity&limit=10&q=${encodeURIComponent(q)}`);
      if (!response.ok) return;
      const body = await response.json();
      list.replaceChildren();
      for (const hit of body.results.entity.hits) {
        const option = document.createElement("option");
        option.value = hit.ref;
        option.textContent = hit.title;
        list.appendChild(option);
      }
    }, 200);
  });
}

function setupEdits() {
  const tokenInput = document.querySelector("input.token");
  if (tokenInput) {
    tokenInput.value = sessionStorage.getItem("newsgraph-token") || "";
    tokenInput.addEventListener("change", () => sessionStorage.setItem("newsgraph-token", tokenInput.value));
  }
  for (const form of document.querySelectorAll("form.edit")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = form.querySelector(".result");
      const token = (tokenInput && tokenInput.value) || sessionStorage.getItem("newsgraph-token") || "";
      let message;
      try {
        const response = await fetch(form.dataset.url, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify(editBody(form)),
        });
        const body = await response.json();
        message = response.ok ? "saved" : `not saved: ${typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail)}`;
        if (response.ok) setTimeout(() => window.location.reload(), 500);
      } catch (error) {
        message = `not saved: ${error}`;
      }
      if (result) result.textContent = message;
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  setupEdits();
  setupEntityPicker();
  drawFromTwin();
});
