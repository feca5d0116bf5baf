// Prints the CSP hashes ('sha256-…') of the <style> elements a vendored bundle injects when it loads,
// one per line: run by scripts/vendor_js.sh for vis-timeline, read by newsgraph/web/security.py.
// The bundle runs against a minimal stand-in document that only records what would be injected.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const vm = require("vm");

const injected = [];
const node = () => ({ appendChild(child) { if (this.tag === "style") injected.push(child.text); return child; },
  insertBefore(child) { return this.appendChild(child); }, setAttribute() {}, style: {}, styleSheet: undefined });
const element = (tag) => Object.assign(node(), { tag });
const head = { appendChild(el) { return el; }, insertBefore(el) { return el; }, firstChild: null };
const document = { head, createElement: element, createTextNode: (text) => ({ text }),
  getElementsByTagName: () => [head], addEventListener() {}, documentElement: { style: {} } };
const sandbox = { document, navigator: { userAgent: "node" }, setTimeout, clearTimeout, console };
sandbox.window = sandbox;
sandbox.self = sandbox;
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(process.argv[2], "utf8"), sandbox);
for (const css of injected) {
  console.log("sha256-" + crypto.createHash("sha256").update(css, "utf8").digest("base64"));
}
