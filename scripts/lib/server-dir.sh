# What the project's server scripts (pg-cluster.sh, janus.sh) share: checking their common options,
# the server's directory, installing a Debian package, free loopback ports. Sourced; the caller
# defines log and die.

# Checks --port and --watch-pid (opt_port, opt_watch) and sets dir (absolute) and marker from
# dir_arg and marker_name.
check_options() {
  if [[ -n "$opt_port" ]] && ! [[ "$opt_port" =~ ^[0-9]+$ && "$opt_port" -ge 1024 && "$opt_port" -le 65535 ]]; then
    die "--port must be a number in 1024..65535, got '$opt_port'"
  fi
  [[ -z "$opt_watch" || "$opt_watch" =~ ^[0-9]+$ ]] || die "--watch-pid must be a process id, got '$opt_watch'"
  dir="$(realpath -m -- "$dir_arg")"
  [[ "$dir" != / ]] || die "DIR must not be /"
  marker="$dir/$marker_name"
}

# apt-get install -y ARGS..., once more after updating the package lists if it fails.
apt_install() {
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >&2; then
    log "apt-get install failed; updating the package lists and trying again"
    DEBIAN_FRONTEND=noninteractive apt-get update >&2 || die "apt-get update failed (output above)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >&2 || die "apt-get install -y $* failed (output above)"
  fi
}

port_in_use() {
  local hex
  hex="$(printf ':%04X ' "$1")"
  grep -q -- "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# A port below the kernel's ephemeral range (outgoing connections never take it) that no socket uses.
pick_port() {
  local lo _hi p i
  read -r lo _hi </proc/sys/net/ipv4/ip_local_port_range || lo=32768
  ((lo > 21000)) || lo=32768
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % (lo - 20000)))
    port_in_use "$p" || { echo "$p"; return; }
  done
  die "no free port found"
}
