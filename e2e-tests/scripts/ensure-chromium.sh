#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium (the browser the e2e tests drive).
# Installs it with apt-get when it is missing; fails loudly when it cannot.
set -euo pipefail
chromium="${MLSKIT_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$chromium" ]; then
  echo "ensure-chromium: using $chromium ($("$chromium" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

echo "ensure-chromium: $chromium is missing; installing Debian's chromium with apt-get" >&2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "ensure-chromium: ERROR: not root and no password-less sudo; install it yourself: apt-get install -y chromium" >&2
    exit 1
  fi
else
  as_root=()
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: ERROR: apt-get not found; install Chromium so that $chromium exists" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q || { echo "ensure-chromium: ERROR: apt-get update failed" >&2; exit 1; }
"${as_root[@]}" apt-get install -y -q --no-install-recommends chromium \
  || { echo "ensure-chromium: ERROR: apt-get install chromium failed" >&2; exit 1; }

if [ ! -x "$chromium" ]; then
  echo "ensure-chromium: ERROR: chromium was installed but $chromium does not exist" >&2
  exit 1
fi
echo "ensure-chromium: installed $("$chromium" --version 2>/dev/null || echo "$chromium")"
