#!/usr/bin/env bash
# Janus (Debian's package) on loopback with the repository's configuration (sfu/janus/), for the
# call demo and the browser tests. Documented in sfu/janus/README.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/janus.sh COMMAND DIR [options]

  start DIR [--port N] [--watch-pid PID]
      Copies sfu/janus/*.jcfg into DIR/conf with the ports filled in, starts Janus in the
      background, waits until its HTTP API answers with the VideoRoom plugin loaded and prints
        JANUS_URL=http://127.0.0.1:PORT/janus
      on stdout (progress goes to stderr). Without --port a free port is chosen. Installs
      Debian's janus with apt-get when it is missing and we are root.
      --watch-pid PID stops Janus and removes DIR once process PID has exited.
  stop DIR [--keep]
      Stops Janus (TERM, then KILL after 10 s) and removes DIR (--keep keeps its log).
  status DIR
      Exit 0 and the URL line when running and answering, 3 when stopped, 4 when DIR holds no Janus.
USAGE
}

log() { echo "janus.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

self="$(readlink -f "${BASH_SOURCE[0]}")"
source "$(dirname "$self")/lib/server-dir.sh"
repo="$(dirname "$(dirname "$self")")"
conf_src="$repo/sfu/janus"
marker_name=.mlskit-janus

cmd="${1:-}"
dir_arg="${2:-}"
if [[ -z "$cmd" || "$cmd" == -h || "$cmd" == --help ]]; then usage; exit 0; fi
[[ -n "$dir_arg" ]] || { usage >&2; exit 2; }
shift 2

opt_port="" opt_keep=0 opt_watch=""
while (($#)); do
  case "$1" in
    --port) opt_port="${2:-}"; shift 2 || die "--port needs a value" ;;
    --keep) opt_keep=1; shift ;;
    --watch-pid) opt_watch="${2:-}"; shift 2 || die "--watch-pid needs a value" ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done
check_options
cd /

install_janus() {
  ((EUID == 0)) || die "janus not found and not root, so it cannot be installed here: run 'sudo apt-get install -y janus'"
  command -v apt-get >/dev/null || die "janus not found and there is no apt-get to install it"
  # Two test JVMs may get here at once: one installs, the other waits for it.
  exec 8>/tmp/mlskit-janus.install.lock
  flock -w 900 8 || die "timed out waiting for another janus.sh to install janus"
  if ! command -v janus >/dev/null; then
    log "janus not found: installing Debian's janus with apt-get (once per machine)"
    apt_install janus
  fi
  exec 8>&-
  command -v janus >/dev/null || die "janus was installed but is not in PATH"
}

# Debian puts the modules under the multiarch directory; the config names it.
plugin_root() {
  local d
  for d in /usr/lib/x86_64-linux-gnu/janus /usr/lib/aarch64-linux-gnu/janus /usr/lib/janus; do
    if [[ -e "$d/plugins/libjanus_videoroom.so" ]]; then echo "$d"; return; fi
  done
  die "janus is installed but its VideoRoom plugin (libjanus_videoroom.so) was not found"
}


url() { echo "JANUS_URL=http://127.0.0.1:$1/janus"; }

# The API answers and lists the VideoRoom plugin.
answers() {
  local info
  info="$(curl -s -m 2 "http://127.0.0.1:$1/janus/info" 2>/dev/null)" || return 1
  [[ "$info" == *'"server_info"'* && "$info" == *'janus.plugin.videoroom'* ]]
}

running_pid() {
  local pid
  [[ -f "$dir/pid" ]] || return 1
  pid="$(cat "$dir/pid")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == janus* ]] || return 1
  echo "$pid"
}

write_conf() {
  local port="$1" root rtp_min
  root="$(plugin_root)"
  # A 200-port RTP range per instance, above the kernel's ephemeral range.
  rtp_min=$((61000 + (RANDOM % 20) * 200))
  rm -rf "$dir/conf"
  mkdir -p "$dir/conf"
  local f
  for f in "$conf_src"/*.jcfg; do
    sed -e "s|@RUN_DIR@|$dir/conf|g" -e "s|@HTTP_PORT@|$port|g" \
      -e "s|@RTP_MIN@|$rtp_min|g" -e "s|@RTP_MAX@|$((rtp_min + 199))|g" \
      -e "s|/usr/lib/x86_64-linux-gnu/janus|$root|g" "$f" >"$dir/conf/${f##*/}"
  done
  echo "$port" >"$dir/port"
}

start_watcher() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || die "--watch-pid $pid: no such process"
  setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; exec bash "$2" stop "$3"' \
    _ "$pid" "$self" "$dir" </dev/null >/dev/null 2>&1 9>&- &
  echo "$!" >>"$dir/watchers"
}

lock_dir() {
  exec 9>"$dir/.lock"
  flock -w 120 9 || die "timed out waiting for another janus.sh working on $dir"
}

cmd_start() {
  local t0=$EPOCHREALTIME
  command -v janus >/dev/null || install_janus
  [[ -d "$conf_src" ]] || die "no configuration in $conf_src"
  if [[ -d "$dir" && ! -e "$marker" ]] && [[ -n "$(ls -A "$dir")" ]]; then
    die "$dir exists, is not empty and was not made by this script: choose another DIR"
  fi
  mkdir -p "$dir"
  lock_dir
  touch "$marker"
  local pid port tries=0
  if pid="$(running_pid)"; then
    port="$(cat "$dir/port")"
    [[ -z "$opt_port" || "$opt_port" == "$port" ]] || die "Janus in $dir uses port $port, not $opt_port: stop it first"
    log "already running (pid $pid) on 127.0.0.1:$port"
  else
    port="${opt_port:-$(pick_port)}"
    while :; do
      write_conf "$port"
      : >"$dir/janus.log"
      # Own session, no inherited lock: the server outlives this script, not the lock.
      setsid janus -C "$dir/conf/janus.jcfg" -F "$dir/conf" -o -L "$dir/janus.log" -N \
        </dev/null >/dev/null 2>&1 9>&- 8>&- &
      pid=$!
      echo "$pid" >"$dir/pid"
      local i
      for ((i = 0; i < 150; i++)); do
        answers "$port" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      answers "$port" && break
      kill "$pid" 2>/dev/null || true
      tries=$((tries + 1))
      if [[ -z "$opt_port" && $tries -lt 5 ]] && grep -q -i 'bind\|address already in use' "$dir/janus.log"; then
        log "port $port was taken; trying another"
        port="$(pick_port)"
        continue
      fi
      tail -n 30 "$dir/janus.log" >&2 || true
      die "Janus did not answer on 127.0.0.1:$port within 15 s (log above, full log in $dir/janus.log)"
    done
  fi
  [[ -z "$opt_watch" ]] || start_watcher "$opt_watch"
  log "ready on 127.0.0.1:$port (pid $pid) in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}') s"
  url "$port"
}

cmd_stop() {
  if [[ ! -e "$dir" ]]; then
    log "nothing to stop: $dir does not exist"
    return 0
  fi
  [[ -e "$marker" ]] || die "$dir was not made by janus.sh (no $marker_name): not touching it"
  lock_dir
  if [[ -f "$dir/watchers" ]]; then
    local w
    while read -r w; do
      [[ "$w" == "$$" || "$w" == "$PPID" ]] || kill "$w" 2>/dev/null || true
    done <"$dir/watchers"
    rm -f "$dir/watchers"
  fi
  local pid i
  if pid="$(running_pid)"; then
    log "stopping Janus (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "Janus did not exit within 10 s of TERM: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/pid"
  if ((opt_keep)); then
    log "stopped; kept $dir"
    return 0
  fi
  rm -rf -- "$dir"
  log "stopped and removed $dir"
}

cmd_status() {
  [[ -e "$marker" ]] || { log "no Janus in $dir"; exit 4; }
  local pid port
  if pid="$(running_pid)"; then
    port="$(cat "$dir/port")"
    answers "$port" || die "Janus (pid $pid) runs but its API on 127.0.0.1:$port does not answer"
    url "$port"
    return 0
  fi
  log "stopped"
  exit 3
}

case "$cmd" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) usage >&2; exit 2 ;;
esac
