#!/usr/bin/env bash
# A throw-away PostgreSQL 15 for the tests and benchmarks, from Debian's
# postgresql-15 package:
#   postgres.sh start STATE   initdb into a new temporary directory, start the
#                             server on a free TCP port of 127.0.0.1, write its
#                             URL to STATE/url and print it
#   postgres.sh stop STATE    stop it and delete its data
# PostgreSQL refuses to run as root, so under root (CI) the server runs as the
# unprivileged user "nobody". Durability is off (fsync): the data is disposable.
set -euo pipefail
action=${1:?usage: postgres.sh start|stop STATE_DIR}
state=${2:?usage: postgres.sh start|stop STATE_DIR}
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/initdb" ] || { echo "postgres.sh: PostgreSQL 15 not found; run scripts/install-deps.sh" >&2; exit 1; }

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

stop() {
  local data
  data=$(cat "$state/datadir" 2>/dev/null || true)
  if [ -n "$data" ] && [ -f "$data/data/postmaster.pid" ]; then
    as_server_user "$bin/pg_ctl" -D "$data/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  [ -n "$data" ] && rm -rf "$data"
  rm -f "$state/datadir" "$state/url"
}

case "$action" in
  start)
    stop  # a server left over by an interrupted run
    mkdir -p "$state"
    # Under /tmp: every directory above it is open to "nobody", and the path
    # is short enough for the server's Unix socket.
    data=$(mktemp -d /tmp/masthead-pg.XXXXXX)
    echo "$data" >"$state/datadir"
    chmod 755 "$data"
    if [ "$(id -u)" -eq 0 ]; then chown nobody "$data"; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_server_user "$bin/initdb" -D "$data/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$data/initdb.log" 2>&1 || { cat "$data/initdb.log" >&2; exit 1; }
    as_server_user "$bin/pg_ctl" -D "$data/data" -l "$data/server.log" -w -t 60 start -o \
      "-p $port -c listen_addresses=127.0.0.1 -k $data -c fsync=off -c synchronous_commit=off \
       -c full_page_writes=off -c max_connections=500 -c shared_buffers=128MB" >/dev/null ||
      { cat "$data/server.log" >&2; exit 1; }
    url="postgres://postgres@127.0.0.1:$port/postgres"
    echo "$url" >"$state/url"
    echo "$url"
    ;;
  stop) stop ;;
  *) echo "usage: postgres.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
