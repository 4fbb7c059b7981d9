#!/usr/bin/env bash
# Assembles the npm package's files into dist/ at the repository root (the root package.json
# publishes them): the hand-written ES module layer and types from src/main/js, and the two
# TeaVM builds of org.mlskit.js.api.Exports (target/teavm/pkg-js, target/teavm/pkg-wasm-gc), the
# wasm module shrunk by wasm-opt.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/target/teavm"
for f in "$out/pkg-js/mlskit.js" "$out/pkg-wasm-gc/mlskit.wasm" "$out/pkg-wasm-gc/mlskit.wasm-runtime.js"; do
  [ -f "$f" ] || { echo "assemble-package: $f is missing; build js-bindings first" >&2; exit 1; }
done
dist="$root/dist"
rm -rf "$dist"
mkdir -p "$dist/js" "$dist/wasm-gc" "$dist/client" "$dist/call" "$dist/mmls"
cp "$here"/src/main/js/*.js "$here"/src/main/js/*.d.ts "$dist/"
cp "$here"/src/main/js/client/*.js "$here"/src/main/js/client/*.d.ts "$dist/client/"
cp "$here"/src/main/js/call/*.js "$here"/src/main/js/call/*.d.ts "$dist/call/"
cp "$here"/src/main/js/mmls/*.js "$here"/src/main/js/mmls/*.d.ts "$dist/mmls/"
cp "$out/pkg-js/mlskit.js" "$dist/js/"
cp "$out/pkg-wasm-gc/mlskit.wasm" "$out/pkg-wasm-gc/mlskit.wasm-runtime.js" "$dist/wasm-gc/"
# TeaVM's runtime reads the wasm file with node:fs on file: URLs only; a computed specifier keeps
# bundlers (Vite) from trying to resolve it for the browser and warning.
sed -i 's|import("node:fs/promises")|import(/* @vite-ignore */ ["node", "fs/promises"].join(":"))|g' "$dist/wasm-gc/mlskit.wasm-runtime.js"
! grep -q 'import("node:' "$dist/wasm-gc/mlskit.wasm-runtime.js" || { echo "assemble-package: a node: import is left in the runtime" >&2; exit 1; }
"$here/scripts/wasm-opt.sh" "$dist/wasm-gc/mlskit.wasm"
echo "assembled $(du -sh "$dist" | cut -f1) into $dist"
