#!/usr/bin/env bash
# npm's prepack hook (root package.json): builds the package's two TeaVM outputs with the
# project's own Maven build (mls-core and js-bindings only, no tests, no test harness) and
# assembles dist/ (assemble-package.sh runs in js-bindings' package phase).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
command -v mvn >/dev/null || { echo "prepack: Maven is needed to build mlskit" >&2; exit 1; }
mvn -B -ntp -q -pl js-bindings -am package -DskipTests -Dharness.phase=none
test -f dist/index.js && test -f dist/js/mlskit.js && test -f dist/wasm-gc/mlskit.wasm
