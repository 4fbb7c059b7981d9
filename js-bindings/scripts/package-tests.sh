#!/usr/bin/env bash
# Tests the packed npm package as users get it: `npm pack` at the root (dist/ must be assembled:
# the Maven package phase or npm's prepack does it), the tarball unpacked into a scratch app's
# node_modules/mlskit, then there:
#   - tsc --noEmit over js-bindings/examples/*.ts against the package's .d.ts (TypeScript from the
#     npm registry, cached in .tools/) - on the js run;
#   - node --test over src/test/package/*.test.mjs, which import 'mlskit' and run the build named
#     by the argument: "js" in the machine's Node, "wasm-gc" in a Node >= 24.19 (node24.sh);
#   - the examples themselves, run by Node 24 (type stripping) - on the wasm-gc run.
# MLSKIT_PACKAGE_TESTS="name ..." runs only those test files.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
build="${1:?usage: package-tests.sh js|wasm-gc}"
case "$build" in
  js) node="$(command -v node)" ;;
  wasm-gc) node="$("$here/scripts/node24.sh")" ;;
  *) echo "unknown build $build" >&2; exit 2 ;;
esac
app="$(mktemp -d "${TMPDIR:-/tmp}/mlskit-pkg-test.XXXXXX")"
trap 'rm -rf "$app"' EXIT
tgz="$("$here/scripts/pack.sh" "$app")"
mkdir -p "$app/node_modules/mlskit"
tar xzf "$tgz" -C "$app/node_modules/mlskit" --strip-components=1
cp "$here"/src/test/package/*.mjs "$here"/examples/*.ts "$app/"
printf '{"name":"mlskit-package-test","private":true,"type":"module"}\n' > "$app/package.json"
cd "$app"

if [ "$build" = js ]; then
  tsdir="$root/.tools/typescript-5"
  if [ ! -x "$tsdir/node_modules/.bin/tsc" ]; then
    mkdir -p "$tsdir"
    npm install --prefix "$tsdir" --no-save --no-audit --no-fund --loglevel=error typescript@5 >&2
  fi
  cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "es2022", "module": "nodenext", "moduleResolution": "nodenext", "strict": true,
  "noEmit": true, "lib": ["es2022", "dom"], "types": [], "allowImportingTsExtensions": true },
  "include": ["*.ts"] }
JSON
  echo "== tsc --noEmit over the examples with $("$tsdir/node_modules/.bin/tsc" --version)"
  "$tsdir/node_modules/.bin/tsc" -p tsconfig.json
fi

tests=()
if [ -n "${MLSKIT_PACKAGE_TESTS:-}" ]; then
  for t in $MLSKIT_PACKAGE_TESTS; do tests+=("$t.test.mjs"); done
else
  tests=(*.test.mjs)
fi
# client.test.mjs runs the real delivery service (its jar: Maven packages delivery-service first).
export MLSKIT_DS_JAR="${MLSKIT_DS_JAR:-$root/delivery-service/target/delivery-service-0.1.0-SNAPSHOT.jar}"
flags=()
# Node 20 has WebSocket (mlskit/client's mailbox) behind a flag; 22 and later have it on.
"$node" -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' || flags+=(--experimental-websocket)
echo "== node:test over the packed package, $build build, $("$node" --version)"
MLSKIT_BUILD="$build" "$node" "${flags[@]}" --test --test-concurrency=2 "${tests[@]}"

if [ "$build" = wasm-gc ]; then
  for ex in *.ts; do
    [ "$ex" = chat-client.ts ] && continue # needs a DS: client.test.mjs runs it against one
    echo "== example $ex (Node $("$node" --version), type stripping)"
    "$node" --no-warnings "$ex"
  done
fi
