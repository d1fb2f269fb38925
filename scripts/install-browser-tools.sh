#!/usr/bin/env bash
# Installs what the browser tests need, where missing: Debian's chromium (apt) and axe-core (npm,
# into .tools/). Playwright comes with the test extras and drives this chromium: no browser download.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f .tools/node_modules/axe-core/axe.min.js ]; then
  mkdir -p .tools
  npm install --silent --no-audit --no-fund --prefix .tools axe-core@4 >/dev/null
fi
echo "chromium : $(command -v chromium) ; axe-core : .tools/node_modules/axe-core/axe.min.js"
