#!/usr/bin/env bash
# Packs the npm package as it is published into DIR and prints the tarball's path: a staging
# directory gets the root package.json without its repository-only fields (scripts, devDependencies),
# the assembled dist/, the npm README (js-bindings/npm/README.md, written for users, not the
# repository's) and the LICENSE; `npm pack` runs there with lifecycle scripts off. Publish that
# tarball (`npm publish FILE.tgz`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:?usage: pack.sh DIR}"
[ -f "$root/dist/index.js" ] || { echo "pack.sh: dist/ is not assembled (mvn -pl js-bindings -am package)" >&2; exit 1; }
stage="$(mktemp -d "${TMPDIR:-/tmp}/mlskit-pack.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
cp -r "$root/dist" "$stage/dist"
cp "$root/js-bindings/npm/README.md" "$root/LICENSE" "$stage/"
node -e '
  const fs = require("fs");
  const p = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  delete p.scripts;
  delete p.devDependencies;
  fs.writeFileSync(process.argv[2], JSON.stringify(p, null, 2) + "\n");
' "$root/package.json" "$stage/package.json"
name="$(cd "$stage" && npm pack --ignore-scripts --silent --pack-destination "$dir" | tail -n 1)"
echo "$dir/$name"
