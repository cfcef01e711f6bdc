#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and benchmarks: Debian's `postgresql` package (installed when missing),
# a cluster of its own in a temporary folder, on a local port, with nothing to keep (fsync off).
#   tests/postgres.sh start DIR [PORT]   initdb + pg_ctl start; prints the connection string (no database named)
#   tests/postgres.sh stop DIR           pg_ctl stop; removes DIR
set -euo pipefail

action=${1:?start or stop}
dir=${2:?a folder for the cluster}
port=${3:-55432}

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# initdb refuses to run as root: the cluster belongs to the package's own `postgres` user.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    if [ -z "$(bin_dir)" ]; then
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    fi
    bin=$(bin_dir)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    # C collation, as SQLite compares text; fsync off: nothing here outlives the run.
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
      start >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=postgres"
    ;;
  stop)
    bin=$(bin_dir)
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
