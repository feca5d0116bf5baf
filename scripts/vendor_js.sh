#!/usr/bin/env bash
# Refreshes the browser libraries the web pages use, from npm at pinned versions, into
# src/newsgraph/web/static/vendor/<package>/ (the copies are committed: the package works
# offline and never loads anything from elsewhere). Licences are copied beside each library.
# Change a version here, run this script, check the pages (tests/test_web_browser.py), commit.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGES=(leaflet@1.9.4 leaflet.markercluster@1.5.3 vis-timeline@8.5.4 swagger-ui-dist@5.35.0)
DEST=src/newsgraph/web/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
( cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts --silent "${PACKAGES[@]}" )
nm=$work/node_modules
rm -rf "$DEST" && mkdir -p "$DEST"
copy() {  # copy PACKAGE FILE... : files (relative to the package) into vendor/PACKAGE/
  local pkg=$1; shift
  mkdir -p "$DEST/$pkg"
  for f in "$@"; do cp -r "$nm/$pkg/$f" "$DEST/$pkg/"; done
  for lic in "$nm/$pkg"/LICEN[CS]E* "$nm/$pkg"/MIT-LICEN[CS]E* "$nm/$pkg"/NOTICE*; do
    [ -e "$lic" ] && cp "$lic" "$DEST/$pkg/"
  done
  node -e "const p=require('$nm/$pkg/package.json'); console.log(p.name+' '+p.version+' ('+p.license+')')" >> "$DEST/VERSIONS.txt"
}
copy leaflet dist/leaflet.js dist/leaflet.css dist/images
copy leaflet.markercluster dist/leaflet.markercluster.js dist/MarkerCluster.css dist/MarkerCluster.Default.css
copy vis-timeline standalone/umd/vis-timeline-graph2d.min.js styles/vis-timeline-graph2d.min.css
copy swagger-ui-dist swagger-ui-bundle.js swagger-ui.css
# vis-timeline injects its stylesheet as <style> elements: the CSP lets exactly those through by hash
node scripts/vendor_style_hashes.js "$DEST/vis-timeline/vis-timeline-graph2d.min.js" > "$DEST/vis-timeline/style-hashes.txt"
echo "vendored into $DEST:"; cat "$DEST/VERSIONS.txt"
