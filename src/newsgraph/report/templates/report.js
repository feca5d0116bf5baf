// newsgraph report: widen the map to every event and back. The page works without this script.
(function () {
  "use strict";
  var map = document.getElementById("map");
  var all = document.getElementById("map-all");
  var main = document.getElementById("map-main");
  if (!map || !all || !main) { return; }
  var core = map.getAttribute("data-view-core");
  var full = map.getAttribute("data-view-full");
  if (!core || !full || core === full) { return; }
  var coreWidth = parseFloat(core.split(" ")[2]);
  var circles = map.querySelectorAll("circle.event");
  var radii = [];
  for (var i = 0; i < circles.length; i++) { radii.push(parseFloat(circles[i].getAttribute("r"))); }
  function show(view) {
    map.setAttribute("viewBox", view);
    var factor = Math.max(1, parseFloat(view.split(" ")[2]) / coreWidth);
    for (var i = 0; i < circles.length; i++) { circles[i].setAttribute("r", String(radii[i] * factor)); }
    all.hidden = view === full;
    main.hidden = view === core;
  }
  all.addEventListener("click", function () { show(full); });
  main.addEventListener("click", function () { show(core); });
  show(core);
})();
