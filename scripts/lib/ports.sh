# Free loopback ports for the servers project scripts start (sourced by pg-cluster.sh and janus.sh;
# the caller defines die).

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
