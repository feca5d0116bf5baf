#!/usr/bin/env bash
# The main job on the bundled demo corpus: installs newsgraph, builds a knowledge base from
# examples/corpus into demo.db (or the path given), and shows the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DB=${1:-demo.db}
echo "==> building a knowledge base from examples/corpus into $DB"
# the demo analyst's grades of the fictional outlets (see examples/outlets.toml)
NEWSGRAPH_OUTLETS=${NEWSGRAPH_OUTLETS:-examples/outlets.toml} .venv/bin/newsgraph build examples/corpus --db "$DB"
echo "==> done. Try:"
echo "    .venv/bin/newsgraph serve --db $DB          # web pages at http://127.0.0.1:8000"
echo "    .venv/bin/newsgraph report --db $DB --out report.html"
echo "    .venv/bin/newsgraph export stories --db $DB | head -c 2000"
