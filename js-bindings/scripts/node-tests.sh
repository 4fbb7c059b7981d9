#!/usr/bin/env bash
# Runs the node:test suites in src/test/js against one TeaVM output: "js" in the machine's Node,
# "wasm-gc" in a Node >= 24.19 fetched from the npm registry (node24.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:?usage: node-tests.sh js|wasm-gc}"
case "$target" in
  js) node="$(command -v node || true)"; [ -n "$node" ] || { echo "node is not installed" >&2; exit 1; } ;;
  wasm-gc) node="$("$here/scripts/node24.sh")" ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
cd "$here"
echo "== node:test on the $target target with $("$node" --version)"
MLSKIT_TARGET="$target" exec "$node" --test --test-concurrency=2 src/test/js/*.test.mjs
