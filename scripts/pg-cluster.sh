#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the delivery service's tests and benchmarks.
# Documented in delivery-service/README.md, section "PostgreSQL for tests".
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/pg-cluster.sh COMMAND DIR [options]

  start DIR [--port N] [--pg-bin BINDIR] [--watch-pid PID]
      Creates (or restarts) a cluster in DIR, waits until it accepts connections and prints
        PG_URL=postgres://127.0.0.1:PORT/mlskit?user=mlskit
        PG_JDBC_URL=jdbc:postgresql://127.0.0.1:PORT/mlskit?user=mlskit
      on stdout (progress goes to stderr). Without --port a free port is chosen.
      Installs Debian's postgresql with apt-get when it is missing and we are root.
      --watch-pid PID stops and removes the cluster once process PID has exited.
  stop DIR [--keep]
      Fast shutdown, then removes DIR (--keep keeps it for a later start).
  status DIR
      Exit 0 and the two URL lines when running, 3 when stopped, 4 when DIR holds no cluster.

Environment: MLSKIT_PG_USER (the non-root owner when run as root, default mlskit-pg),
MLSKIT_PG_LIBDIR (where Debian keeps the versions, default /usr/lib/postgresql).
USAGE
}

log() { echo "pg-cluster: $*" >&2; }
die() { log "error: $*"; exit 1; }

self="$(readlink -f "${BASH_SOURCE[0]}")"
source "$(dirname "$self")/lib/server-dir.sh"
pg_owner="${MLSKIT_PG_USER:-mlskit-pg}"
pg_libdir="${MLSKIT_PG_LIBDIR:-/usr/lib/postgresql}"
# Files in DIR: the marker lets stop refuse to delete a directory this script did not make.
marker_name=.mlskit-pg-cluster

cmd="${1:-}"
dir_arg="${2:-}"
if [[ -z "$cmd" || "$cmd" == -h || "$cmd" == --help ]]; then usage; exit 0; fi
[[ -n "$dir_arg" ]] || { usage >&2; exit 2; }
shift 2

opt_port="" opt_keep=0 opt_bin="" opt_watch=""
while (($#)); do
  case "$1" in
    --port) opt_port="${2:-}"; shift 2 || die "--port needs a value" ;;
    --keep) opt_keep=1; shift ;;
    --pg-bin) opt_bin="${2:-}"; shift 2 || die "--pg-bin needs a value" ;;
    --watch-pid) opt_watch="${2:-}"; shift 2 || die "--watch-pid needs a value" ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done
check_options
# Commands run as a user who may not read the caller's working directory.
cd /

# --- finding or installing PostgreSQL -------------------------------------------------------

# Prints the directory holding initdb and pg_ctl, or nothing.
find_bin() {
  local c d
  if c="$(command -v initdb 2>/dev/null)" && [[ -x "$(dirname "$(readlink -f "$c")")/pg_ctl" ]]; then
    dirname "$(readlink -f "$c")"
    return
  fi
  # Debian keeps initdb and pg_ctl out of PATH; take the newest version installed.
  while IFS= read -r d; do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return; fi
  done < <(compgen -G "$pg_libdir/*/bin" | sort -V -r)
}

install_postgresql() {
  if ((EUID != 0)); then
    die "PostgreSQL not found (no initdb/pg_ctl in PATH or $pg_libdir/*/bin) and not root, so it cannot be installed here: run 'sudo apt-get install -y postgresql' or pass --pg-bin DIR"
  fi
  command -v apt-get >/dev/null || die "PostgreSQL not found and there is no apt-get to install it: install PostgreSQL or pass --pg-bin DIR"
  log "PostgreSQL not found: installing Debian's postgresql with apt-get (once per machine)"
  # On a machine without any PostgreSQL server, Debian's package would also create and start a
  # 'main' cluster on port 5432 that nothing here uses; postgresql-common reads this directory.
  if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false  # written by mlskit scripts/pg-cluster.sh" \
      >/etc/postgresql-common/createcluster.d/mlskit-no-main-cluster.conf
  fi
  apt_install --no-install-recommends postgresql
}

# Sets pg_bin and pg_version; installs PostgreSQL when needed and allowed.
resolve_bin() {
  if [[ -n "$opt_bin" ]]; then
    [[ -x "$opt_bin/initdb" && -x "$opt_bin/pg_ctl" ]] || die "--pg-bin $opt_bin has no initdb and pg_ctl"
    pg_bin="$(readlink -f "$opt_bin")"
  else
    pg_bin="$(find_bin)"
    if [[ -z "$pg_bin" ]]; then
      # Two test JVMs may get here at once: one installs, the other waits for it.
      exec 8>/tmp/mlskit-pg-cluster.install.lock
      flock -w 900 8 || die "timed out waiting for another pg-cluster.sh to install PostgreSQL"
      pg_bin="$(find_bin)"
      if [[ -z "$pg_bin" ]]; then
        install_postgresql
        pg_bin="$(find_bin)"
      fi
      exec 8>&-
      [[ -n "$pg_bin" ]] || die "PostgreSQL was installed but no initdb/pg_ctl is in PATH or $pg_libdir/*/bin"
    fi
  fi
  pg_version="$("$pg_bin/pg_ctl" --version | awk '{print $3}')"
  psql_bin="$pg_bin/psql"
  if [[ ! -x "$psql_bin" ]]; then
    psql_bin="$(command -v psql)" || die "no psql next to $pg_bin/pg_ctl nor in PATH"
  fi
}

# --- running as the cluster's owner -----------------------------------------------------------

# PostgreSQL refuses to run as root: as root everything that touches the cluster runs as a
# system user made for it; as anyone else it runs as that user.
as_owner=()
ensure_owner() {
  ((EUID == 0)) || return 0
  if ! id -u "$pg_owner" >/dev/null 2>&1; then
    log "creating system user $pg_owner to own the test clusters"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$pg_owner" 2>/dev/null || id -u "$pg_owner" >/dev/null ||
      die "could not create system user $pg_owner"
  fi
  as_owner=(runuser -u "$pg_owner" --)
}

# An existing cluster is run by whoever owns it.
owner_of_existing() {
  ((EUID == 0)) || return 0
  local u
  u="$(stat -c %U "$home/data")"
  [[ "$u" != root ]] || die "$home/data is owned by root; PostgreSQL will not run it"
  as_owner=(runuser -u "$u" --)
}

# Writes stdin to a file as the owner (so the server can read it and stop can delete it).
write_as_owner() { "${as_owner[@]}" tee "$1" >/dev/null; }

# --- the cluster's layout -----------------------------------------------------------------------
# DIR/.mlskit-pg-cluster   marker
# DIR/.lock                serialises start/stop on one DIR
# DIR/cluster              owned by the cluster's user, mode 700: data/, postgres.log, the socket;
#                          a symlink to /tmp/mlskit-pg.XXXXXXXX when that user cannot reach DIR
#                          (e.g. a checkout under /root, mode 700) or the socket path gets too long
# DIR/port, DIR/watchers   the port in use; pids of --watch-pid watchers
home="$dir/cluster"

cluster_paths() {
  home_real="$(readlink -f "$home")"
  data="$home_real/data"
  pglog="$home_real/postgres.log"
}

running() { "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

urls() {
  echo "PG_URL=postgres://127.0.0.1:$1/mlskit?user=mlskit"
  echo "PG_JDBC_URL=jdbc:postgresql://127.0.0.1:$1/mlskit?user=mlskit"
}


write_settings() {
  local port="$1"
  # Sized for a 2-core test machine; durability stays real because the delivery service's
  # crash tests depend on acknowledged writes being on disk.
  write_as_owner "$data/mlskit.conf" <<CONF
# written by scripts/pg-cluster.sh: a throwaway test cluster, loopback only
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$home_real'
unix_socket_permissions = 0700
max_connections = 100
# The load benchmark writes ~1 GB of messages: with 64MB of buffers the backends wrote dirty pages
# themselves in the commit path, and WAL-size checkpoints came every minute or two.
shared_buffers = 512MB
max_wal_size = 4GB
checkpoint_timeout = 15min
work_mem = 4MB
maintenance_work_mem = 32MB
effective_cache_size = 512MB
max_worker_processes = 4
max_parallel_workers = 2
max_parallel_workers_per_gather = 1
fsync = on
synchronous_commit = on
full_page_writes = on
huge_pages = off
jit = off
timezone = 'UTC'
log_timezone = 'UTC'
log_min_messages = warning
CONF
  echo "$port" >"$dir/port"
}

write_hba() {
  write_as_owner "$data/pg_hba.conf" <<'HBA'
# trust, but only over the owner-only unix socket and 127.0.0.1 (the server listens nowhere else)
local all all              trust
host  all all 127.0.0.1/32 trust
HBA
}

initialise() {
  if [[ -L "$home" ]]; then rm -rf -- "$(readlink -f "$home")"; fi
  rm -rf -- "$home"
  local probe_sock=$((${#home} + 16))
  mkdir -m 700 "$home"
  ((EUID != 0)) || chown "$pg_owner:" "$home"
  if ! "${as_owner[@]}" test -x "$home" -a -w "$home" || ((probe_sock > 100)); then
    rmdir "$home"
    local elsewhere
    elsewhere="$(mktemp -d /tmp/mlskit-pg.XXXXXXXX)"
    ((EUID != 0)) || chown "$pg_owner:" "$elsewhere"
    ln -s "$elsewhere" "$home"
    log "the cluster's user cannot use $home (parent permissions or socket path length): cluster lives in $elsewhere"
  fi
  cluster_paths
  log "initdb (PostgreSQL $pg_version) in $data"
  if ! "${as_owner[@]}" "$pg_bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  fi
  echo "include 'mlskit.conf'" | "${as_owner[@]}" tee -a "$data/postgresql.conf" >/dev/null
  write_hba
}

# Starts the server; when we chose the port and lost it to someone else, tries another.
start_server() {
  local port="$1" tries=0
  while :; do
    write_settings "$port"
    # fd 9 holds DIR/.lock: the server must not inherit it or the lock would outlive us.
    if "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$pglog" -w -t 60 -s start 9>&- >&2; then
      return
    fi
    tries=$((tries + 1))
    if [[ -z "$opt_port" && $tries -lt 5 ]] && tail -n 20 "$pglog" | grep -q -E 'could not bind|could not create any TCP/IP sockets|Address already in use'; then
      log "port $port was taken; trying another"
      port="$(pick_port)"
      continue
    fi
    tail -n 30 "$pglog" >&2 || true
    die "the server did not start (log above, full log in $pglog)"
  done
}

psql_admin() {
  "${as_owner[@]}" "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h "$home_real" -p "$1" -U postgres -d postgres "${@:2}"
}

start_watcher() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || die "--watch-pid $pid: no such process"
  setsid bash "$self" __watch "$dir" --watch-pid "$pid" </dev/null >/dev/null 2>&1 9>&- &
  echo "$!" >>"$dir/watchers"
}

# True when DIR holds anything besides our lock file.
has_foreign_files() (
  shopt -s nullglob dotglob
  local f
  for f in "$dir"/*; do [[ "${f##*/}" == .lock ]] || exit 0; done
  exit 1
)

lock_dir() {
  exec 9>"$dir/.lock"
  flock -w 300 9 || die "timed out waiting for another pg-cluster.sh working on $dir"
}

cmd_start() {
  local t0=$EPOCHREALTIME
  resolve_bin
  if [[ -d "$dir" && ! -e "$marker" ]] && has_foreign_files; then
    die "$dir exists, is not empty and was not made by this script: choose another DIR"
  fi
  mkdir -p "$dir"
  lock_dir
  [[ -e "$dir/.lock" ]] || die "$dir was removed (by a stop) while this start waited for it"
  local fresh=1
  [[ -e "$marker" && -e "$dir/ready" && -d "$home/data" ]] && fresh=0
  touch "$marker"

  local port
  if ((fresh == 0)); then
    cluster_paths
    owner_of_existing
    port="$(cat "$dir/port")"
    if [[ -n "$opt_port" && "$opt_port" != "$port" ]]; then
      die "the cluster in $dir uses port $port, not $opt_port: stop it first"
    fi
    if running; then
      log "already running on 127.0.0.1:$port ($dir)"
    else
      log "restarting the cluster in $dir on port $port"
      start_server "$port"
      port="$(cat "$dir/port")"
    fi
  else
    ensure_owner
    # A half-made cluster from an interrupted start: stop whatever runs there, start over.
    if [[ -d "$home/data" ]]; then
      cluster_paths
      "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    initialise
    port="${opt_port:-$(pick_port)}"
    start_server "$port"
    port="$(cat "$dir/port")"
    psql_admin "$port" -c "CREATE ROLE mlskit LOGIN CREATEDB" -c "CREATE DATABASE mlskit OWNER mlskit" >&2 ||
      die "could not create role and database mlskit"
  fi
  # Proves the advertised URL works: TCP on 127.0.0.1, trust, role and database in place.
  "$psql_bin" -X -q -At "postgres://127.0.0.1:$port/mlskit?user=mlskit" -c "SELECT 1" >/dev/null ||
    die "the server runs but does not accept connections on 127.0.0.1:$port (log: $pglog)"
  touch "$dir/ready"
  [[ -z "$opt_watch" ]] || start_watcher "$opt_watch"
  log "ready on 127.0.0.1:$port in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}') s"
  urls "$port"
}

stop_watchers() {
  [[ -f "$dir/watchers" ]] || return 0
  local w
  while read -r w; do
    [[ "$w" == "$$" ]] || kill "$w" 2>/dev/null || true
  done <"$dir/watchers"
  rm -f "$dir/watchers"
}

cmd_stop() {
  if [[ ! -e "$dir" ]]; then
    log "nothing to stop: $dir does not exist"
    return 0
  fi
  [[ -e "$marker" ]] || die "$dir was not made by pg-cluster.sh (no $marker_name): not touching it"
  lock_dir
  stop_watchers
  if [[ -d "$home/data" ]]; then
    cluster_paths
    owner_of_existing
    if [[ -z "${pg_bin:-}" ]]; then
      # Stop with the binaries of the version that made the cluster.
      opt_bin="$pg_libdir/$(cat "$data/PG_VERSION")/bin"
      [[ -x "$opt_bin/pg_ctl" ]] || opt_bin=""
      resolve_bin
    fi
    if running; then
      log "stopping the server in $data"
      "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -m fast -w -t 60 -s stop 9>&- >&2 ||
        "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -m immediate -w -t 60 -s stop 9>&- >&2 ||
        die "could not stop the server in $data"
    fi
  fi
  if ((opt_keep)); then
    log "stopped; kept $dir"
    return 0
  fi
  if [[ -L "$home" ]]; then rm -rf -- "$(readlink -f "$home")"; fi
  rm -rf -- "$dir"
  log "stopped and removed $dir"
}

cmd_status() {
  if [[ ! -e "$marker" || ! -d "$home/data" ]]; then
    log "no cluster in $dir"
    exit 4
  fi
  cluster_paths
  owner_of_existing
  opt_bin="$pg_libdir/$(cat "$data/PG_VERSION")/bin"
  [[ -x "$opt_bin/pg_ctl" ]] || opt_bin=""
  resolve_bin
  local port
  port="$(cat "$dir/port")"
  if running; then
    log "running: PostgreSQL $pg_version on 127.0.0.1:$port, data in $data"
    urls "$port"
  else
    log "stopped: cluster in $data (port $port)"
    exit 3
  fi
}

# Internal: the --watch-pid watcher, detached from the caller.
cmd_watch() {
  local pid="$1"
  while kill -0 "$pid" 2>/dev/null; do sleep 1; done
  exec bash "$self" stop "$dir"
}

case "$cmd" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  __watch) cmd_watch "$opt_watch" ;;
  *) usage >&2; exit 2 ;;
esac
