#!/usr/bin/env bash
# Builds the small app of pages/vite-app with Vite against the packed mlskit package: npm pack of
# the root (dist/ must be assembled), then in DIR/app `npm install` of the tarball and of Vite from
# the npm registry, and `vite build` into DIR/app/dist. Prints DIR/app/dist.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
dir="${1:?usage: vite-app.sh DIR}"
tgz="$("$root/js-bindings/scripts/pack.sh" "$dir")"
app="$dir/app"
mkdir -p "$app"
cp "$here"/pages/vite-app/* "$app/"
cat > "$app/package.json" <<JSON
{ "name": "mlskit-vite-app", "private": true, "type": "module",
  "dependencies": { "mlskit": "file:$tgz" }, "devDependencies": { "vite": "^6" } }
JSON
cd "$app"
npm install --no-audit --no-fund --loglevel=error >&2
# Warnings fail the build: a user's bundle of mlskit (and mlskit/client) must be clean.
log="$(npx vite build --base ./ --logLevel warn 2>&1)" || { echo "$log" >&2; exit 1; }
if [ -n "$(printf '%s' "$log" | grep -v '^$')" ]; then echo "vite warned:" >&2; echo "$log" >&2; exit 1; fi
echo "$app/dist"
