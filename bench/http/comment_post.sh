#!/usr/bin/env bash
# Comment posting over HTTP (session, CSRF, validation, moderation, durable
# write, live fan-out) on SQLite, with 10 and with 100,000 comments already on
# the article: the cost must stay flat. Reference in the same run: the same
# server answering the article page (a read) at the same concurrency.
# Usage: bench/http/comment_post.sh [path/to/masthead]   (DURATION=10s by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
masthead=$(realpath "${1:-build/test/src/app/masthead}")
duration=${DURATION:-10s}
work=$(mktemp -d /tmp/masthead-post-bench.XXXXXX)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
slug=russia-wont-give-assad-safe-haven-foreign-minister-says
export MASTHEAD_DATA_DIR="$PWD/data" MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST=minimum
export MASTHEAD_DISCUSSION_POSTS_PER_MINUTE=1000000 MASTHEAD_MAIL_MAILDIR="$work/maildir"
# One reader on one address posting without pause: lift the spam limits.
export MASTHEAD_DISCUSSION_NETWORK_POSTS_PER_MINUTE=1000000 MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT=0

start() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$masthead" serve --demo --db "$work/site.db" --listen "127.0.0.1:$port" >"$work/access.log" 2>"$work/err" &
  pid=$!
  until grep -qE 'rules ready|user-agent rules:' "$work/err" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
    sleep 0.1
  done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; : >"$work/err"; }

run() {  # label
  read -r cookie csrf < <(python3 bench/http/comment_post_login.py "http://127.0.0.1:$port" "$1")
  MASTHEAD_COOKIE="$cookie" MASTHEAD_CSRF="$csrf" \
    wrk -t2 -c32 -d"$duration" -s bench/http/comment_post.lua "http://127.0.0.1:$port/articles/$slug/comments" \
    | awk -v label="$1" '/Requests\/sec/ {printf "%-34s %10s posts/s\n", label, $2}
                         /Non-2xx/ {print "    " $0 " (every post should be answered 303)"}'
  wrk -t2 -c32 -d"$duration" "http://127.0.0.1:$port/articles/$slug" \
    | awk -v label="$1" '/Requests\/sec/ {printf "%-34s %10s page reads/s (reference)\n", label, $2}'
}

start
run "10 comments on the article"
stop
# Fill the article to 100,000 comments directly in the database (fast), then restart.
python3 - "$work/site.db" "$slug" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
article = db.execute("SELECT id FROM articles WHERE slug = ?", (sys.argv[2],)).fetchone()[0]
author = db.execute("SELECT id FROM users LIMIT 1").fetchone()[0]
now = int(time.time())
start = db.execute("SELECT COALESCE(MAX(id), 0) FROM comments").fetchone()[0]
rows = []
for i in range(1, 100001):
    cid = start + i
    rows.append((cid, article, cid, author, "Filler comment %d" % i, now))
db.executemany("INSERT INTO comments (id, article_id, thread_id, depth, author_id, body_markdown, status, created_at)"
               " VALUES (?, ?, ?, 0, ?, ?, 'published', ?)", rows)
db.execute("UPDATE discussions SET comment_count = comment_count + 100000 WHERE article_id = ?", (article,))
db.commit()
PY
start
run "100,000 comments on the article"
stop
