#!/usr/bin/env bash
# What the reply notification adds to the HTTP requests that cause it: replies
# posted over HTTP (session, CSRF, moderation, durable write) to one reader's
# comment, by that reader (the reference: a reply to oneself owes no mail) and
# by another reader (the mail owed in the reply's row, then composed into the
# outbox by the server's drain on the same two cores, which is counted), in
# alternating rounds of one run. The server runs with mail.deliver = false, as a
# node that leaves delivery to another: what is measured is the enqueue alone,
# not the worker sending the mail.
# Usage: bench/http/reply_mail.sh [path/to/masthead]   (DURATION=5s, ROUNDS=3)
set -euo pipefail
cd "$(dirname "$0")/../.."
masthead=$(realpath "${1:-build/test/src/app/masthead}")
duration=${DURATION:-5s}
rounds=${ROUNDS:-3}
work=$(mktemp -d /tmp/masthead-reply-bench.XXXXXX)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
slug=russia-wont-give-assad-safe-haven-foreign-minister-says
export MASTHEAD_DATA_DIR="$PWD/data" MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST=minimum
export MASTHEAD_DISCUSSION_POSTS_PER_MINUTE=1000000 MASTHEAD_MAIL_MAILDIR="$work/maildir"
# wrk posts as fast as it can from one address, without the form's time stamp.
export MASTHEAD_DISCUSSION_NETWORK_POSTS_PER_MINUTE=1000000 MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT=0

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Accounts confirm through the Maildir first; the server is restarted without delivery after.
"$masthead" serve --demo --db "$work/site.db" --listen "127.0.0.1:$port" >/dev/null 2>"$work/err" &
pid=$!
until grep -qE 'rules ready|user-agent rules:' "$work/err" 2>/dev/null; do sleep 0.1; done
read -r parent_cookie parent_csrf < <(python3 bench/http/comment_post_login.py "http://127.0.0.1:$port" parent)
parent_id=$(curl -s -o /dev/null -w '%{redirect_url}' -H "Cookie: $parent_cookie" \
  --data "csrf=$parent_csrf&body=The+comment+everyone+replies+to" \
  "http://127.0.0.1:$port/articles/$slug/comments" | sed 's/.*#c//')
read -r cookie csrf < <(python3 bench/http/comment_post_login.py "http://127.0.0.1:$port" replier)
kill "$pid"; wait "$pid" 2>/dev/null || true
: >"$work/err"
MASTHEAD_MAIL_DELIVER=false "$masthead" serve --db "$work/site.db" --listen "127.0.0.1:$port" >/dev/null 2>"$work/err" &
pid=$!
until grep -qE 'rules ready|user-agent rules:' "$work/err" 2>/dev/null; do sleep 0.1; done

post() {  # COOKIE CSRF
  MASTHEAD_COOKIE="$1" MASTHEAD_CSRF="$2" MASTHEAD_PARENT="$parent_id" \
    wrk -t2 -c32 -d"$duration" -s bench/http/comment_post.lua "http://127.0.0.1:$port/articles/$slug/comments" \
    | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "non-2xx answers: " $0 > "/dev/stderr"}'
}
off_total=0; on_total=0
for round in $(seq "$rounds"); do
  off=$(post "$parent_cookie" "$parent_csrf")
  on=$(post "$cookie" "$csrf")
  printf 'round %d: %10s replies/s to oneself (no mail), %10s to another reader (mailed)\n' "$round" "$off" "$on"
  off_total=$(python3 -c "print($off_total + $off)"); on_total=$(python3 -c "print($on_total + $on)")
done
queued=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM mail_outbox WHERE kind=\"reply\"").fetchone()[0])' "$work/site.db")
python3 -c "
off, on = $off_total / $rounds, $on_total / $rounds
print('mean: %.0f replies/s without mail (reference), %.0f with; %s reply mails queued' % (off, on, '$queued'))
print('enqueue share of the request: %.1f%% (target: under 5%%)' % (100 * (1 - on / off)))"
