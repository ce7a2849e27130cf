#!/usr/bin/python3
"""Crash consistency (issue 11): writers post replies as fast as they can while
the server is killed with SIGKILL at a random moment, repeatedly, on the same
SQLite file. After each restart:
  - every reply whose POST was answered 201 is stored, with its text;
  - PRAGMA integrity_check is ok;
  - every stored reply has exactly one reply notification in the outbox, or
    still owes it (the debt is written in the reply's own row, in the reply's
    transaction, and composed by the server's drain: never lost, never twice);
  - after the last restart, the drain has composed every owed mail, once.

    MASTHEAD_BIN=build/src/app/masthead python3 tests/security/crash_consistency.py [REPETITIONS] [WRITERS]
(default 20 repetitions, 8 writers; CI runs 3)
"""
import random
import re
import sqlite3
import sys
import threading
import time
import uuid

import masthead_site as ms


def writer(site, csrf_client, parent_id, stop, acknowledged, errors, label):
    client, csrf = csrf_client
    path = "/api/v1/articles/%s/comments" % ms.SEED_SLUG
    n = 0
    while not stop.is_set():
        n += 1
        body = "Reply %s number %d, %s" % (label, n, uuid.uuid4().hex)
        try:
            answer = client.api("POST", path, {"body": body, "parent_id": parent_id,
                                               "idempotency_key": uuid.uuid4().hex}, csrf)
        except Exception:  # the server is gone: expected once killed
            return
        if answer.status == 201:
            acknowledged.append((answer.json()["id"], body))
        elif answer.status >= 500 or answer.status in (400, 403, 404):
            errors.append("%d %s" % (answer.status, answer.body[:200]))
            return


def check(db, acknowledged, repetition, drained=False):
    problems = []
    connection = sqlite3.connect(db)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append("integrity_check: %r" % integrity)
        stored = dict(connection.execute("SELECT id, body_markdown FROM comments"))
        for comment_id, body in acknowledged:
            if stored.get(comment_id) != body:
                problems.append("acknowledged comment %d lost or changed" % comment_id)
        replies = {row[0] for row in connection.execute(
            "SELECT c.id FROM comments c JOIN comments p ON p.id = c.parent_id WHERE p.author_id != c.author_id")}
        cursor = connection.execute("SELECT COALESCE(MAX(last_comment_id), 0) FROM reply_mail_cursor").fetchone()[0]
        owed = {row[0] for row in connection.execute(
            "SELECT id FROM comments WHERE reply_mail_pending = 1 AND id > ?", (cursor,))}
        mails = {}
        for (encoded,) in connection.execute("SELECT encoded FROM mail_outbox WHERE kind = 'reply'"):
            for match in set(re.findall(r"#c(\d+)", encoded)):
                mails[int(match)] = mails.get(int(match), 0) + 1
        twice = [i for i, count in mails.items() if count > 1]
        owed_and_mailed = owed & set(mails)
        if owed_and_mailed:
            problems.append("%d replies mailed and still owed (would be mailed twice), e.g. %s"
                            % (len(owed_and_mailed), sorted(owed_and_mailed)[:5]))
        if drained and owed:
            problems.append("%d reply mails still owed after the drain, e.g. %s" % (len(owed), sorted(owed)[:5]))
        missing = replies - set(mails) - owed
        extra = set(mails) - replies
        if twice:
            problems.append("%d replies mailed more than once, e.g. %s" % (len(twice), twice[:5]))
        if missing:
            problems.append("%d stored replies without their mail, e.g. %s" % (len(missing), sorted(missing)[:5]))
        if extra:
            problems.append("%d mails for replies not stored, e.g. %s" % (len(extra), sorted(extra)[:5]))
        return problems, len(stored), sum(mails.values())
    finally:
        connection.close()


def main():
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    writers = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    directory = ms.temp_dir("masthead-crash-")
    env = dict(ms.GENEROUS_LIMITS)
    # Notifications go to the outbox; nobody delivers them, so the outbox is the record.
    env["MASTHEAD_MAIL_DELIVER"] = "false"
    failures = []
    acknowledged = []
    site = ms.Site(directory, env)
    try:
        site.add_user("author@example.org", "Ann Author")
        for i in range(writers):
            site.add_user("writer%d@example.org" % i, "Writer %d" % i)
        author = ms.Client(site)
        csrf = author.log_in_and_accept_terms("author@example.org")
        parent = author.api("POST", "/api/v1/articles/%s/comments" % ms.SEED_SLUG,
                            {"body": "The comment everyone answers.", "idempotency_key": "parent"}, csrf)
        assert parent.status == 201, parent.body
        parent_id = parent.json()["id"]
        total_started = time.monotonic()
        for repetition in range(repetitions):
            if repetition > 0:
                site = ms.Site(directory, env, db=site.db)
            clients = []
            for i in range(writers):
                client = ms.Client(site)
                clients.append((client, client.log_in_and_accept_terms("writer%d@example.org" % i)))
            stop = threading.Event()
            errors = []
            before = len(acknowledged)
            threads = [threading.Thread(target=writer, args=(site, clients[i], parent_id, stop, acknowledged,
                                                             errors, "r%d-w%d" % (repetition, i)))
                       for i in range(writers)]
            started = time.monotonic()
            for t in threads:
                t.start()
            time.sleep(random.uniform(1.0, 3.0))
            site.kill()
            elapsed = time.monotonic() - started
            stop.set()
            for t in threads:
                t.join()
            site.stop()
            posted = len(acknowledged) - before
            failures.extend("repetition %d: %s" % (repetition, e) for e in errors[:5])
            # Check on the file as the crash left it; the next start recovers the WAL.
            problems, stored, mails = check(site.db, acknowledged, repetition)
            failures.extend("repetition %d: %s" % (repetition, p) for p in problems)
            print("repetition %d: killed after %.1f s, %d replies acknowledged (%.0f/s), %d comments stored, "
                  "%d reply mails in the outbox%s" % (repetition, elapsed, posted, posted / elapsed, stored, mails,
                                                       "" if not problems else ", PROBLEMS"))
        # A final start must come up on the crashed file and serve the article.
        site = ms.Site(directory, env, db=site.db)
        page = ms.Client(site).get("/articles/" + ms.SEED_SLUG)
        if page.status != 200:
            failures.append("after the last crash the article answers %d" % page.status)
        # The running server composes what the crashes left owed (at start, and every few seconds).
        for _ in range(300):
            problems, _, _ = check(site.db, acknowledged, repetitions, drained=True)
            if not problems:
                break
            time.sleep(0.1)
        failures.extend("after the last restart: %s" % p for p in problems)
        site.stop()
        print("%d repetitions in %.0f s, %d acknowledged replies all checked"
              % (repetitions, time.monotonic() - total_started, len(acknowledged)))
    finally:
        if site.process.poll() is None:
            site.stop()
        if not failures:
            ms.remove_dir(directory)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures[:50]))
        print("(files kept in %s)" % directory)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
