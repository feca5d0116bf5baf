#!/usr/bin/env bash
# The test command: installs everything (Python packages, PostgreSQL), starts a throwaway
# PostgreSQL server on loopback, and runs the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${NEWSGRAPH_TEST_PG:-}" ]; then
  if started=$(bash scripts/postgres.sh start); then
    export NEWSGRAPH_TEST_PG=${started%% *}
    PG_DIR=${started#* }
    trap 'bash scripts/postgres.sh stop "$PG_DIR"' EXIT
    echo "==> PostgreSQL for the tests at $NEWSGRAPH_TEST_PG"
  else
    echo "==> no PostgreSQL server: its tests will skip (and fail under CI=true)"
  fi
fi
if [ -z "${NEWSGRAPH_CHROMIUM:-}" ]; then
  if NEWSGRAPH_CHROMIUM=$(bash scripts/chromium.sh); then
    export NEWSGRAPH_CHROMIUM
    echo "==> chromium for the browser tests at $NEWSGRAPH_CHROMIUM"
  else
    echo "==> no chromium: the browser tests will skip (and fail under CI=true)"
  fi
fi
echo "==> running the tests"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "error: pytest collected no tests" >&2
fi
exit "$status"
