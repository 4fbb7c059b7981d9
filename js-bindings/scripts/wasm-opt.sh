#!/usr/bin/env bash
# Shrinks the package's wasm-gc module in place with Binaryen's wasm-opt (the npm package
# "binaryen", cached in .tools/, run by the Node 24 of node24.sh). TeaVM's output is about 17%
# smaller in gzip afterwards. Only the features TeaVM's wasm-gc output uses are enabled, so the
# result still loads in every runtime that loads TeaVM's own output.
# MLSKIT_WASM_OPT=0 skips it (faster builds while iterating; the package tests then test that).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
wasm="${1:?usage: wasm-opt.sh FILE.wasm}"
if [ "${MLSKIT_WASM_OPT:-1}" = 0 ]; then
  echo "wasm-opt: skipped (MLSKIT_WASM_OPT=0)" >&2
  exit 0
fi
pkg="binaryen@132.0.0"
dir="$root/.tools/${pkg//@/-}"
bin="$dir/node_modules/binaryen/bin/wasm-opt"
if [ ! -f "$bin" ]; then
  mkdir -p "$dir"
  printf '{"private":true}\n' > "$dir/package.json"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$pkg" >&2
fi
node="$("$root/js-bindings/scripts/node24.sh")"
before=$(stat -c %s "$wasm")
"$node" "$bin" "$wasm" -o "$wasm.opt" -Oz \
  --enable-gc --enable-reference-types --enable-exception-handling --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue
mv "$wasm.opt" "$wasm"
echo "wasm-opt: $wasm $before -> $(stat -c %s "$wasm") bytes" >&2
