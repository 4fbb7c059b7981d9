#!/usr/bin/env bash
# `npm pack` of the root package into DIR without npm's lifecycle scripts (dist/ is already
# assembled by the build that calls this); prints the tarball's path.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:?usage: pack.sh DIR}"
[ -f "$root/dist/index.js" ] || { echo "pack.sh: dist/ is not assembled (mvn -pl js-bindings -am package)" >&2; exit 1; }
name="$(cd "$root" && npm pack --ignore-scripts --silent --pack-destination "$dir" | tail -n 1)"
echo "$dir/$name"
