#!/usr/bin/env bash
# A real PostgreSQL 17 + pgvector for tests, on 127.0.0.1:${NYX_PG_PORT:-55432}.
#
# Debian 12 has no pgvector package and Debian 13's packages break this host's libc, so the
# server runs from a Debian 13 (trixie) root built with debootstrap in the cache folder
# (see /work/shared/ENVIRONMENT.md). The root is built once (3-4 min, ~700 MB) and reused.
#
#   scripts/ci/postgres.sh start          build the root if needed, start the server (reusing its
#                                         data), make sure database nyx_test exists
#   scripts/ci/postgres.sh start --fresh  same, but on a new, empty data directory (what CI does)
#   scripts/ci/postgres.sh reset-db       drop and recreate nyx_test (empty, no extensions)
#   scripts/ci/postgres.sh stop           stop the server and unmount the root's /proc
#   scripts/ci/postgres.sh status         exit 0 when the server is running
#   scripts/ci/postgres.sh url            print the test database URL
#
# Needs root (debootstrap, mount, chroot) and the host packages from scripts/ci/apt.sh.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_PORT="${NYX_PG_PORT:-55432}"
PG_DATABASE='nyx_test'
PG_ROOT="$NYX_CACHE/pg17-trixie"
# Written last, after debootstrap succeeded: a root without it is half-built and is redone.
PG_ROOT_MARKER="$PG_ROOT/.nyx-root-complete"
PG_BIN='/usr/lib/postgresql/17/bin'
# Paths inside the root; one data directory per port, so a second server (e.g. a CI rehearsal
# with NYX_PG_PORT=55433) can run beside the developers' one from the same root.
PG_DATA="/var/tmp/nyx-pg-$PG_PORT"
PG_SOCKET_DIR='/tmp'

database_url() { printf 'postgres://postgres@127.0.0.1:%s/%s\n' "$PG_PORT" "$PG_DATABASE"; }

# Runs a shell command as the postgres user inside the root, with a clean environment so the
# host's locale or PATH cannot leak into the server.
as_postgres() {
  chroot "$PG_ROOT" /usr/bin/env -i PATH="$PG_BIN:/usr/bin:/bin" LC_ALL=C.UTF-8 HOME=/var/lib/postgresql \
    su -s /bin/sh postgres -c "$1"
}

psql_in_root() {
  as_postgres "psql -X -q -tA -v ON_ERROR_STOP=1 -h $PG_SOCKET_DIR -p $PG_PORT -U postgres -d postgres -c \"$1\""
}

# Unmounts everything mounted below $1 (deepest first): an interrupted debootstrap can leave
# proc/sys mounted, and removing the folder must never walk into them.
unmount_below() {
  local mount_point
  awk -v prefix="$1/" 'index($2, prefix) == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r mount_point; do
      umount "$mount_point" 2>/dev/null || umount -l "$mount_point"
    done
}

build_root() {
  [ -f "$PG_ROOT_MARKER" ] && return 0
  command -v debootstrap >/dev/null || ci_die 'debootstrap is missing: run scripts/ci/apt.sh'
  if [ -e "$PG_ROOT" ]; then
    ci_log "removing half-built root $PG_ROOT"
    unmount_below "$PG_ROOT"
    rm -rf --one-file-system "$PG_ROOT"
  fi
  ci_log "building Debian trixie root with PostgreSQL 17 + pgvector in $PG_ROOT (3-4 min)"
  local log="$NYX_CACHE/pg17-debootstrap.log"
  if ! debootstrap --variant=minbase --include=postgresql-17-pgvector trixie "$PG_ROOT" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    unmount_below "$PG_ROOT"
    ci_die "debootstrap failed (full log: $log)"
  fi
  unmount_below "$PG_ROOT"
  [ -x "$PG_ROOT$PG_BIN/postgres" ] || ci_die "debootstrap finished but $PG_BIN/postgres is missing"
  [ -f "$PG_ROOT/usr/share/postgresql/17/extension/vector.control" ] || ci_die 'pgvector is missing from the root'
  date -u +%FT%TZ >"$PG_ROOT_MARKER"
}

mount_proc() {
  mountpoint -q "$PG_ROOT/proc" || mount -t proc proc "$PG_ROOT/proc"
}

# True when the postmaster named in postmaster.pid is alive and runs inside this root. A server
# killed with its machine session leaves the file behind, and its pid may since belong to an
# unrelated process, which `pg_ctl status` or `stop` would take for (and signal as) the server.
server_running() {
  local pid_file="$PG_ROOT$PG_DATA/postmaster.pid" pid
  [ -f "$pid_file" ] || return 1
  pid="$(head -n 1 "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$(realpath -m "$PG_ROOT")" ]
}

stop_server() {
  if server_running; then
    as_postgres "pg_ctl -D $PG_DATA -m fast -w stop" >/dev/null
    ci_log 'PostgreSQL stopped'
  fi
}

init_data_dir() {
  as_postgres "rm -rf $PG_DATA && initdb -D $PG_DATA -A trust -U postgres -E UTF8 --locale=C.UTF-8" \
    >"$NYX_CACHE/pg17-initdb.log" 2>&1 || { cat "$NYX_CACHE/pg17-initdb.log" >&2; ci_die 'initdb failed'; }
}

start_server() {
  local fresh="$1"
  build_root
  mount_proc
  if [ "$fresh" = 'fresh' ]; then
    stop_server
    init_data_dir
  elif [ ! -f "$PG_ROOT$PG_DATA/PG_VERSION" ]; then
    init_data_dir
  fi
  if ! server_running; then
    # A stale postmaster.pid (see server_running) would make the server refuse to start.
    rm -f "$PG_ROOT$PG_DATA/postmaster.pid"
    as_postgres "pg_ctl -D $PG_DATA -w -t 60 -l $PG_DATA/server.log \
      -o '-p $PG_PORT -k $PG_SOCKET_DIR -c listen_addresses=127.0.0.1' start" >/dev/null 9>&- ||
      { tail -n 20 "$PG_ROOT$PG_DATA/server.log" >&2; ci_die "PostgreSQL did not start on port $PG_PORT"; }
  fi
  if [ -z "$(psql_in_root "select 1 from pg_database where datname = '$PG_DATABASE'")" ]; then
    psql_in_root "create database $PG_DATABASE"
  fi
  ci_log "PostgreSQL 17 + pgvector running: $(database_url)"
}

reset_database() {
  server_running || ci_die 'PostgreSQL is not running: scripts/ci/postgres.sh start'
  psql_in_root "drop database if exists $PG_DATABASE with (force)"
  psql_in_root "create database $PG_DATABASE"
  ci_log "database $PG_DATABASE recreated (empty)"
}

# True when some process (another port's server, a psql) still runs inside the root.
root_in_use() {
  local process_root root
  root="$(realpath -m "$PG_ROOT")"
  for process_root in /proc/[0-9]*/root; do
    [ "$(readlink "$process_root" 2>/dev/null)" = "$root" ] && return 0
  done
  return 1
}

stop_all() {
  [ -d "$PG_ROOT" ] || return 0
  stop_server
  if mountpoint -q "$PG_ROOT/proc" && ! root_in_use; then
    umount "$PG_ROOT/proc" || umount -l "$PG_ROOT/proc"
  fi
}

main() {
  local command="${1:-}"
  case "$command" in
    start)
      local fresh='reuse'
      [ "${2:-}" = '--fresh' ] && fresh='fresh'
      [ "$(id -u)" = 0 ] || ci_die 'must run as root (debootstrap, mount, chroot)'
      ci_with_lock pg17 start_server "$fresh"
      ;;
    reset-db) reset_database ;;
    stop) ci_with_lock pg17 stop_all ;;
    status) server_running ;;
    url) database_url ;;
    *) sed -n '2,16p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  esac
}

main "$@"
