#!/usr/bin/env bash
# Article page throughput: Masthead serving the seed article against Debian's
# nginx serving the very same bytes as a static file, measured in the same run
# with wrk (-t1, -c32 and -c128; the two take turns, ROUNDS rounds of DURATION
# each). Prints requests/s, p99 latency and the ratio Masthead/nginx, and
# Masthead's idle RSS.
#
# Usage: bench/http/article_page.sh [path/to/masthead]   (DURATION=5s ROUNDS=3 by default)
#        COMMENTS=200 bench/http/article_page.sh ...       (the page with 200 comments)
set -euo pipefail
cd "$(dirname "$0")/../.."
masthead=${1:-build/test/src/app/masthead}
duration=${DURATION:-5s}
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-deps.sh" >&2; exit 1; }
done
[ -x "$masthead" ] || { echo "no masthead binary at $masthead (build first)" >&2; exit 1; }

work=$(mktemp -d /tmp/masthead-bench.XXXXXX)
chmod 755 "$work"  # nginx workers run as an unprivileged user and must read the page
cleanup() {
  [ -n "${masthead_pid:-}" ] && kill "$masthead_pid" 2>/dev/null && wait "$masthead_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

slug=russia-wont-give-assad-safe-haven-foreign-minister-says
export MASTHEAD_DATA_DIR="$PWD/data"
if [ "${COMMENTS:-0}" -gt 0 ]; then
  # Create the demo database, then give the seed story its comments (threads of
  # four: a comment and three replies) before the measured server starts.
  "$masthead" migrate --db "$work/site.db" >/dev/null
  "$masthead" serve --demo --db "$work/site.db" --listen 127.0.0.1:0 >/dev/null 2>"$work/first.err" &
  first=$!
  until grep -q serving "$work/first.err" 2>/dev/null; do sleep 0.1; done
  kill "$first"; wait "$first" 2>/dev/null || true
  python3 - "$work/site.db" "$slug" "$COMMENTS" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
article = db.execute("SELECT id FROM articles WHERE slug = ?", (sys.argv[2],)).fetchone()[0]
now = int(time.time())
db.execute("INSERT INTO users (email, display_name, password_hash, role, email_confirmed_at, created_at, updated_at)"
           " VALUES ('bench@example.org', 'Bench Reader', 'x', 'reader', ?, ?, ?)", (now, now, now))
author = db.execute("SELECT id FROM users WHERE email = 'bench@example.org'").fetchone()[0]
thread = None
for i in range(int(sys.argv[3])):
    body = "Comment %d: a measured, civil thought about the talks, with *some* emphasis." % i
    if i % 4 == 0:
        cur = db.execute("INSERT INTO comments (article_id, thread_id, depth, author_id, body_markdown, status, created_at)"
                         " VALUES (?, 0, 0, ?, ?, 'published', ?)", (article, author, body, now + i))
        thread = cur.lastrowid
        db.execute("UPDATE comments SET thread_id = id WHERE id = ?", (thread,))
    else:
        db.execute("INSERT INTO comments (article_id, parent_id, thread_id, depth, author_id, body_markdown, status, created_at)"
                   " VALUES (?, ?, ?, 1, ?, ?, 'published', ?)", (article, thread, thread, author, body, now + i))
        db.execute("UPDATE comments SET reply_count = reply_count + 1 WHERE id = ?", (thread,))
db.execute("INSERT INTO discussions (article_id, comment_count) VALUES (?, ?)"
           " ON CONFLICT(article_id) DO UPDATE SET comment_count = excluded.comment_count", (article, int(sys.argv[3])))
db.commit()
PY
fi
mport=$(free_port)
# Access log on, as in production, written to a file.
"$masthead" serve --demo --db "$work/site.db" --listen "127.0.0.1:$mport" >"$work/access.log" 2>"$work/masthead.err" &
masthead_pid=$!
until grep -qE 'rules ready|user-agent rules:' "$work/masthead.err" 2>/dev/null; do
  kill -0 "$masthead_pid" 2>/dev/null || { cat "$work/masthead.err"; exit 1; }
  sleep 0.1
done
url="http://127.0.0.1:$mport/articles/$slug"
curl -sf "$url" -o "$work/article.html"
idle_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$masthead_pid/status)

nport=$(free_port)
mkdir -p "$work/www/articles" "$work/nginx"
cp "$work/article.html" "$work/www/articles/$slug"
chmod -R a+rX "$work/www"
cat >"$work/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  default_type text/html;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  server { listen 127.0.0.1:$nport; root $work/www; }
}
CONF
nginx -c "$work/nginx.conf"
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$nport/articles/$slug" -o /dev/null && break
  sleep 0.1
done
cmp -s "$work/article.html" <(curl -s "http://127.0.0.1:$nport/articles/$slug") \
  || { echo "nginx does not serve the same bytes" >&2; exit 1; }

run_wrk() {  # url connections -> "rps p99_ms"
  wrk -t1 -c"$2" -d"$duration" --latency "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    END {printf "%s %s\n", rps, p99}'
}

rounds=${ROUNDS:-3}
echo "article page: $(wc -c <"$work/article.html") bytes, $(grep -c 'class="comment ' "$work/article.html") comments shown; wrk -t1, $rounds alternating rounds of $duration per server; $(nproc) cores"
printf "%-6s %14s %10s %14s %10s %8s\n" conns "nginx req/s" "p99 ms" "masthead req/s" "p99 ms" ratio
# The two servers take turns, so load from elsewhere on a shared machine falls
# on both alike; rates are averaged over the rounds, p99 is the worst round's.
for c in 32 128; do
  nsum=0; msum=0; np99=0; mp99=0
  for _ in $(seq "$rounds"); do
    read -r rps p99 < <(run_wrk "http://127.0.0.1:$nport/articles/$slug" "$c")
    nsum=$(awk -v a="$nsum" -v b="$rps" 'BEGIN {print a + b}'); np99=$(awk -v a="$np99" -v b="$p99" 'BEGIN {print (b > a) ? b : a}')
    read -r rps p99 < <(run_wrk "$url" "$c")
    msum=$(awk -v a="$msum" -v b="$rps" 'BEGIN {print a + b}'); mp99=$(awk -v a="$mp99" -v b="$p99" 'BEGIN {print (b > a) ? b : a}')
  done
  nrps=$(awk -v s="$nsum" -v r="$rounds" 'BEGIN {printf "%.0f", s / r}')
  mrps=$(awk -v s="$msum" -v r="$rounds" 'BEGIN {printf "%.0f", s / r}')
  ratio=$(awk -v a="$msum" -v b="$nsum" 'BEGIN {printf "%.2f", a/b}')
  printf "%-6s %14s %10s %14s %10s %8s\n" "$c" "$nrps" "$np99" "$mrps" "$mp99" "$ratio"
done
echo "masthead idle RSS after start and one page: $((idle_rss_kb / 1024)) MB ($idle_rss_kb kB)"
echo "masthead RSS after the runs: $(( $(awk '/VmRSS/ {print $2}' /proc/$masthead_pid/status) / 1024 )) MB"
