#!/usr/bin/env bash
# Fetches what the browser tests (package browser) need and the repository does not hold:
# axe-core from npm, into a cache outside the repository. Chromium comes from Debian's
# packages (apt-get install chromium); .ci/run installs both when they are missing.
#
#   tools/browser-deps.sh          # prints the path of axe.min.js
#   export BIEBPLEIN_AXE=$(tools/browser-deps.sh)
set -euo pipefail
version=4.10.3
dir="${BIEBPLEIN_CACHE:-$HOME/.cache/biebplein}/axe-core-$version"
if [ ! -f "$dir/node_modules/axe-core/axe.min.js" ]; then
  command -v npm >/dev/null || { echo "browser-deps: npm is needed to fetch axe-core" >&2; exit 1; }
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "axe-core@$version" >&2
fi
echo "$dir/node_modules/axe-core/axe.min.js"
