#!/usr/bin/env bash
# Installs what the browser tests need, where missing: Debian's chromium (apt) and axe-core (npm,
# into .tools/). Playwright comes with the test extras and drives this chromium: no browser download.
# Exits non-zero, saying what is missing, when a tool could not be installed (.ci/run then stops).
set -euo pipefail
cd "$(dirname "$0")/.."
AXE=.tools/node_modules/axe-core/axe.min.js
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f "$AXE" ]; then
  mkdir -p .tools
  npm install --silent --no-audit --no-fund --prefix .tools axe-core@4 >/dev/null
fi
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] || [ ! -f "$AXE" ]; then
  echo "Outils du navigateur non installés : chromium ${CHROMIUM:-absent} ; axe-core $([ -f "$AXE" ] && echo "$AXE" || echo absent)." >&2
  exit 1
fi
echo "chromium : $CHROMIUM ; axe-core : $AXE"
