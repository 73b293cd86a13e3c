#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throwaway PostgreSQL server in a temporary
# directory; the server is stopped and removed afterwards, whatever the command's outcome.
# Installs Debian's postgresql when no server binaries are found (needs root, as on CI).
set -euo pipefail

find_bin() {
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
  done
}

pg_bin=$(find_bin || true)
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL not found; installing Debian's postgresql" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(find_bin)
fi

as_postgres() {
  # initdb refuses to run as root; run the server as the postgres user when we are root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir=$(mktemp -d /tmp/holdspace-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

as_postgres "$pg_bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" "$@"
