#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the browser tests (Playwright drives it through
# executable_path; no browser is downloaded). Prints the path of the chromium binary.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing chromium from Debian" >&2
    (apt-get update -q >/dev/null 2>&1 || true)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "error: chromium is not installed; run 'sudo apt-get install chromium' (Debian) and retry" >&2
    exit 1
  fi
fi
command -v chromium
