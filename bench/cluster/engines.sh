#!/usr/bin/env bash
# Comment posting and article pages over HTTP, in one run, on:
#   - SQLite, one node (the reference)
#   - PostgreSQL 15, one node
#   - PostgreSQL 15, two nodes on one database (two wrk, one per node, summed)
# and the ratios against the reference. The PostgreSQL server is a throw-away
# one (tests/support/postgres.sh: fsync off, as the tests run it).
# Usage: bench/cluster/engines.sh [path/to/masthead]   (DURATION=10s, CONNECTIONS=32)
set -euo pipefail
cd "$(dirname "$0")/../.."
masthead=$(realpath "${1:-build/test/src/app/masthead}")
duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
work=$(mktemp -d /tmp/masthead-engines-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  bash tests/support/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
slug=russia-wont-give-assad-safe-haven-foreign-minister-says
export MASTHEAD_DATA_DIR="$PWD/data" MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST=minimum
export MASTHEAD_DISCUSSION_POSTS_PER_MINUTE=1000000 MASTHEAD_MAIL_MAILDIR="$work/maildir"
export MASTHEAD_DISCUSSION_NETWORK_POSTS_PER_MINUTE=1000000 MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT=0
export MASTHEAD_LOG_ACCESS_LOG=false

pg=$(bash tests/support/postgres.sh start "$work/pg")

start() {  # name db [--demo]: sets $port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$masthead" serve "${@:3}" --db "$2" --listen "127.0.0.1:$port" >/dev/null 2>"$work/$1.err" &
  pids+=($!)
  until grep -qE 'rules ready|user-agent rules:' "$work/$1.err" 2>/dev/null; do
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/$1.err" >&2; exit 1; }
    sleep 0.1
  done
}
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  pids=()
}

rate() { awk '/Requests\/sec/ {print $2}'; }

# wrk against each port at once, `connections` shared between them; prints the summed rate.
load() {  # posts|pages port...
  local kind=$1; shift
  local per=$((connections / $#)) files=() i=0
  for p in "$@"; do
    i=$((i + 1))
    if [ "$kind" = posts ]; then
      read -r cookie csrf < <(python3 bench/http/comment_post_login.py "http://127.0.0.1:$p" "bench")
      MASTHEAD_COOKIE="$cookie" MASTHEAD_CSRF="$csrf" wrk -t1 -c"$per" -d"$duration" \
        -s bench/http/comment_post.lua "http://127.0.0.1:$p/articles/$slug/comments" >"$work/wrk$i" &
    else
      wrk -t1 -c"$per" -d"$duration" "http://127.0.0.1:$p/articles/$slug" >"$work/wrk$i" &
    fi
    files+=("$work/wrk$i")
  done
  wait  # the wrk runs (this function runs in a subshell: the nodes are not its children)
  for f in "${files[@]}"; do
    grep -q "Non-2xx" "$f" && echo "    $(grep Non-2xx "$f") in $(basename "$f") (every post should be answered 303)" >&2
    rate <"$f"
  done | awk '{s += $1} END {printf "%.0f", s}'
}

declare -A posts pages
measure() {  # label ports...
  local label=$1; shift
  posts[$label]=$(load posts "$@")
  pages[$label]=$(load pages "$@")
}

start sqlite "$work/site.db" --demo
measure "SQLite, 1 node" "$port"
stop_all

start pg1 "$pg?schema=bench_one" --demo
measure "PostgreSQL, 1 node" "$port"
stop_all

start pg2a "$pg?schema=bench_two" --demo
port_a=$port
start pg2b "$pg?schema=bench_two"
measure "PostgreSQL, 2 nodes" "$port_a" "$port"
stop_all

printf "%-22s %12s %8s %14s %8s\n" "" "posts/s" "ratio" "page reads/s" "ratio"
for label in "SQLite, 1 node" "PostgreSQL, 1 node" "PostgreSQL, 2 nodes"; do
  awk -v l="$label" -v p="${posts[$label]}" -v r="${pages[$label]}" \
      -v p0="${posts[SQLite, 1 node]}" -v r0="${pages[SQLite, 1 node]}" \
      'BEGIN {printf "%-22s %12d %8.2f %14d %8.2f\n", l, p, p / p0, r, r / r0}'
done
echo "(${duration} each, ${connections} connections in all, $(nproc) cores shared by the nodes, PostgreSQL and wrk)"
