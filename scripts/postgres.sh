#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the tests and prints its URL.
#   scripts/postgres.sh start   -> prints postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/postgres.sh stop DIR
# Installs Debian's postgresql package first when it is missing and we are root.
set -euo pipefail

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start() {
  local bin
  bin=$(find_bin)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "==> installing PostgreSQL from Debian" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
      bin=$(find_bin)
    fi
  fi
  if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)" >&2
    return 1
  fi
  local dir port run_as=()
  dir=$(mktemp -d /tmp/newsgraph-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    run_as=(runuser -u postgres --)
  fi
  port=${NEWSGRAPH_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
  "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >&2 \
    || { cat "$dir/server.log" >&2; return 1; }
  echo "$dir" >"$dir/.dir"
  echo "postgresql://postgres@127.0.0.1:$port/postgres $dir"
}

stop() {
  local dir=$1 bin run_as=()
  bin=$(find_bin)
  [ "$(id -u)" = 0 ] && run_as=(runuser -u postgres --)
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
