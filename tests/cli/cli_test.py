#!/usr/bin/env python3
"""The masthead command line as an operator uses it: real binary, real SQLite files."""
import json
import re
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

MASTHEAD = os.environ.get("MASTHEAD_BIN", "masthead")

GOOD_MD = """---
headline: Harbor dredging starts in March
section: local
section_name: Local
byline: Test Writer
dateline: PORTLAND
published: 2013-01-05T10:00:00Z
---
The harbor will be dredged in March.

Boats will be moved to the east pier.
"""

GOOD_JSON = json.dumps([
    {"headline": "Council passes the budget", "section": "local", "credit": "Test Wire",
     "published": "2013-01-06", "body": "The council passed it."},
    {"headline": "Storm closes schools", "section": "nation", "credit": "Test Wire",
     "published": "2013-01-07", "body": "Schools closed."},
], indent=1)


def run(*args, stdin=None):
    return subprocess.run([MASTHEAD, *args], capture_output=True, text=True, input=stdin, timeout=60)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="masthead-cli-")
        self.db = os.path.join(self.dir.name, "site.db")

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text, mode="w"):
        path = os.path.join(self.dir.name, name)
        with open(path, mode) as f:
            f.write(text)
        return path

    def count_articles(self):
        if not os.path.exists(self.db):
            return 0
        with sqlite3.connect(self.db) as db:
            return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def test_help_on_every_subcommand(self):
        top = run("--help")
        self.assertEqual(top.returncode, 0)
        for command in ("serve", "migrate", "import"):
            self.assertIn(command, top.stdout)
            sub = run(command, "--help")
            self.assertEqual(sub.returncode, 0, sub.stderr)
            self.assertIn("--db", sub.stdout)
        self.assertIn("--demo", run("serve", "--help").stdout)
        self.assertIn("server.listen", top.stdout)

    def test_migrate_creates_the_schema(self):
        result = run("migrate", "--db", self.db)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"schema version \d+")
        self.assertEqual(run("migrate", "--db", self.db).returncode, 0)

    def test_import_good_markdown_and_json(self):
        md = self.write("harbor.md", GOOD_MD)
        js = self.write("more.json", GOOD_JSON)
        result = run("import", "--db", self.db, md, js)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("3 article(s) created", result.stdout)
        self.assertEqual(self.count_articles(), 3)
        again = run("import", "--db", self.db, md)
        self.assertIn("1 updated", again.stdout)
        self.assertEqual(self.count_articles(), 3)

    def test_a_bad_file_is_named_with_its_line_and_nothing_is_stored(self):
        good = self.write("good.md", GOOD_MD)
        bad = self.write("bad.md", GOOD_MD.replace("dateline: PORTLAND", "datelin: PORTLAND"))
        result = run("import", "--db", self.db, good, bad)
        self.assertEqual(result.returncode, 2)
        self.assertIn("bad.md:6: unknown key 'datelin'", result.stderr)
        self.assertIn("nothing was imported", result.stderr)
        self.assertEqual(self.count_articles(), 0)

    def test_content_errors_found_at_store_time_also_roll_back(self):
        good = self.write("good.json", GOOD_JSON)
        no_credit = self.write("nocredit.md", GOOD_MD.replace("byline: Test Writer\n", ""))
        result = run("import", "--db", self.db, good, no_credit)
        self.assertEqual(result.returncode, 2)
        self.assertIn("nocredit.md", result.stderr)
        self.assertIn("credit", result.stderr)
        self.assertEqual(self.count_articles(), 0)

    def test_invalid_utf8_is_refused_with_its_line(self):
        bad = self.write("binary.md", GOOD_MD.encode() + b"\nbroken \xc3\x28 text\n", mode="wb")
        result = run("import", "--db", self.db, bad)
        self.assertEqual(result.returncode, 2)
        self.assertIn("binary.md:13: invalid UTF-8", result.stderr)

    def test_broken_json_is_named_with_its_line(self):
        bad = self.write("broken.json", '[\n {"headline": "x",\n  "body": }\n]\n')
        result = run("import", "--db", self.db, bad)
        self.assertEqual(result.returncode, 2)
        self.assertIn("broken.json:3: invalid JSON", result.stderr)

    def test_missing_file_and_bad_config_fail_clearly(self):
        missing = run("import", "--db", self.db, os.path.join(self.dir.name, "nope.md"))
        self.assertNotEqual(missing.returncode, 0)
        config = self.write("bad.toml", "[server]\nlisen = \"x\"\n")
        result = run("migrate", "--config", config, "--db", self.db)
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown configuration key 'server.lisen'", result.stderr)
        env = dict(os.environ, MASTHEAD_SERVER_LISTEN="nonsense")
        result = subprocess.run([MASTHEAD, "serve", "--db", self.db], capture_output=True, text=True,
                                env=env, timeout=30)
        self.assertEqual(result.returncode, 2)
        self.assertIn("MASTHEAD_SERVER_LISTEN", result.stderr)

    def test_serve_stops_gracefully_on_sigterm(self):
        process = subprocess.Popen([MASTHEAD, "serve", "--demo", "--db", self.db, "--listen", "127.0.0.1:0"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        line = ""
        while "serving" not in line:
            line = process.stderr.readline()
            self.assertTrue(line, "masthead exited before serving")
        process.terminate()
        rest = process.communicate(timeout=30)[1]
        self.assertEqual(process.returncode, 0)
        self.assertIn("SIGTERM received", rest)
        self.assertGreaterEqual(self.count_articles(), 5)


class SmtpSink:
    """The real SMTP server of the test suite (tests/support/smtp_sink.py, aiosmtpd)."""

    def __init__(self, directory, *extra):
        self.out = os.path.join(directory, "sink-out")
        port_file = os.path.join(directory, "sink-port")
        script = os.path.join(os.path.dirname(__file__), "..", "support", "smtp_sink.py")
        self.process = subprocess.Popen(["/usr/bin/python3", script, "--port-file", port_file,
                                         "--out-dir", self.out, *extra])
        for _ in range(3000):  # the port file appears when it listens (bounded wait)
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            if self.process.poll() is not None:
                raise RuntimeError("smtp sink exited")
            time.sleep(0.01)
        self.url = "smtp://127.0.0.1:" + open(port_file).read().strip()

    def received(self):
        return [json.load(open(os.path.join(self.out, f))) for f in sorted(os.listdir(self.out))
                if f.endswith(".json")] if os.path.isdir(self.out) else []

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


class OperatorCommandsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="masthead-cli-ops-")
        self.db = os.path.join(self.dir.name, "site.db")

    def tearDown(self):
        self.dir.cleanup()

    def test_moderate_score_reads_lines_and_prints_decisions(self):
        lines = "You are an idiot and everyone hates you\n" + json.dumps({"text": "Thank you for this report."}) + "\n"
        result = run("moderate", "score", stdin=lines)
        self.assertEqual(result.returncode, 0, result.stderr)
        out = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual(len(out), 2)
        self.assertEqual(out[0]["decision"], "reject")
        self.assertGreater(out[0]["score"], 0.9)
        self.assertTrue(out[0]["reasons"])
        self.assertEqual(out[1]["decision"], "publish")
        self.assertLess(out[1]["score"], 0.5)
        bad = run("moderate", "score", "--model", "/no/such/model.ftz", stdin="hello\n")
        self.assertEqual(bad.returncode, 2)

    def test_ua_parses_arguments_and_stdin_in_uap_core_shape(self):
        chrome = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                  "(KHTML, like Gecko) Chrome/120.0.6099.71 Safari/537.36")
        result = run("ua", chrome)
        self.assertEqual(result.returncode, 0, result.stderr)
        parsed = json.loads(result.stdout)
        self.assertEqual(parsed["user_agent"]["family"], "Chrome")
        self.assertEqual(parsed["user_agent"]["major"], "120")
        self.assertEqual(parsed["os"]["family"], "Windows")
        self.assertIn("device", parsed)
        piped = run("ua", stdin="curl/8.0.1\n" + "(" * 5000 + "\n")
        self.assertEqual(piped.returncode, 0, piped.stderr)
        lines = piped.stdout.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertEqual(json.loads(lines[0])["user_agent"]["family"], "curl")
        self.assertEqual(json.loads(lines[1])["user_agent"]["family"], "Other")

    def test_user_add_and_role(self):
        password = os.path.join(self.dir.name, "pw")
        with open(password, "w") as f:
            f.write("an editor password\n")
        added = run("user", "add", "--db", self.db, "--email", "Ed@Example.org", "--name", "Ed Itor",
                    "--role", "editor", "--password-file", password)
        self.assertEqual(added.returncode, 0, added.stderr)
        self.assertIn("as editor", added.stdout)
        with sqlite3.connect(self.db) as db:
            email, role, confirmed, hashed = db.execute(
                "SELECT email, role, email_confirmed_at, password_hash FROM users").fetchone()
        self.assertEqual((email, role), ("ed@example.org", "editor"))
        self.assertIsNotNone(confirmed)
        self.assertTrue(hashed.startswith("$argon2id$"))
        self.assertEqual(run("user", "role", "--db", self.db, "ed@example.org", "admin").returncode, 0)
        self.assertEqual(run("user", "role", "--db", self.db, "ed@example.org", "admin").returncode, 0)  # no change
        with sqlite3.connect(self.db) as db:
            audited = db.execute("SELECT actor_id, action, detail FROM moderation_actions").fetchall()
        self.assertEqual(audited, [(None, "role_change", "editor → admin (command line)")])
        bad_role = run("user", "role", "--db", self.db, "ed@example.org", "king")
        self.assertEqual(bad_role.returncode, 2)
        self.assertIn("role must be", bad_role.stderr)
        missing = run("user", "role", "--db", self.db, "nobody@example.org", "admin")
        self.assertNotEqual(missing.returncode, 0)
        duplicate = run("user", "add", "--db", self.db, "--email", "ed@example.org", "--name", "Again")
        self.assertNotEqual(duplicate.returncode, 0)
        self.assertIn("already exists", duplicate.stderr)

    def test_user_purge_makes_due_deletions_final_and_leaves_pending_ones(self):
        for email, name in (("due@example.org", "Due Reader"), ("wait@example.org", "Waiting Reader")):
            self.assertEqual(run("user", "add", "--db", self.db, "--email", email, "--name", name).returncode, 0)
        now = int(time.time())
        with sqlite3.connect(self.db) as db:
            ids = dict(db.execute("SELECT email, id FROM users").fetchall())
            # As the account pages leave them: one grace period over, one still running.
            db.execute("INSERT INTO account_deletions (user_id, requested_by, requested_at, final_at) VALUES (?, ?, ?, ?)",
                       (ids["due@example.org"], ids["due@example.org"], now - 15 * 86400, now - 86400))
            db.execute("INSERT INTO account_deletions (user_id, requested_by, requested_at, final_at) VALUES (?, ?, ?, ?)",
                       (ids["wait@example.org"], ids["wait@example.org"], now, now + 14 * 86400))
        purged = run("user", "purge", "--db", self.db)
        self.assertEqual(purged.returncode, 0, purged.stderr)
        self.assertIn("1 account deleted and anonymised", purged.stdout)
        with sqlite3.connect(self.db) as db:
            rows = {row[0]: row[1:] for row in db.execute(
                "SELECT u.id, u.display_name, u.email, u.password_hash, d.completed_at"
                " FROM users u JOIN account_deletions d ON d.user_id = u.id")}
        due = rows[ids["due@example.org"]]
        self.assertEqual(due[0], "Former reader")
        self.assertEqual(due[1], "deleted-%d@deleted.invalid" % ids["due@example.org"])
        self.assertEqual(due[2], "")
        self.assertIsNotNone(due[3])
        self.assertEqual(rows[ids["wait@example.org"]][0], "Waiting Reader")
        self.assertIsNone(rows[ids["wait@example.org"]][3])
        again = run("user", "purge", "--db", self.db)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("0 accounts deleted", again.stdout)
        self.assertIn("purge", run("user", "--help").stdout)

    def test_mail_test_reaches_a_real_smtp_server(self):
        sink = SmtpSink(self.dir.name)
        try:
            env = dict(os.environ, MASTHEAD_MAIL_SMTP_URL=sink.url)
            sent = subprocess.run([MASTHEAD, "mail", "test", "--db", self.db, "reader@example.org"],
                                  capture_output=True, text=True, env=env, timeout=60)
            self.assertEqual(sent.returncode, 0, sent.stderr)
            received = sink.received()
            self.assertEqual(len(received), 1)
            self.assertIn("reader@example.org", received[0]["rcpt_tos"])
            self.assertTrue(received[0]["message_id"])
            refused = subprocess.run([MASTHEAD, "mail", "test", "--db", self.db, "bad\r\naddress"],
                                     capture_output=True, text=True, env=env, timeout=60)
            self.assertNotEqual(refused.returncode, 0)
        finally:
            sink.stop()

    def test_mail_queue_lists_and_retries(self):
        # A registration through the server queues a confirmation mail; with the
        # server stopped before delivery... the outbox is filled directly instead.
        self.assertEqual(run("migrate", "--db", self.db).returncode, 0)
        with sqlite3.connect(self.db) as db:
            db.execute("INSERT INTO mail_outbox (message_id, recipient, kind, encoded, status, attempts,"
                       " created_at, next_attempt_at, last_code, last_reply) VALUES"
                       " ('<a@x.org>', 'r@example.org', 'reply', '{}', 'failed', 3, 0, 0, 550, '550 no such user')")
        listed = run("mail", "queue", "--db", self.db)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn("failed: 1", listed.stdout)
        self.assertIn("550 no such user", listed.stdout)
        retried = run("mail", "queue", "--db", self.db, "--retry-all")
        self.assertIn("queued again", retried.stdout)
        self.assertIn("pending: 1", retried.stdout)

    def test_mail_digests_queues_each_due_digest_once(self):
        self.assertEqual(run("migrate", "--db", self.db).returncode, 0)
        pw = os.path.join(self.dir.name, "pw")
        with open(pw, "w") as f:
            f.write("a long enough password\n")
        added = run("user", "add", "--db", self.db, "--email", "ada@example.org", "--name", "Ada",
                    "--role", "reader", "--password-file", pw)
        self.assertEqual(added.returncode, 0, added.stderr)
        fields = ('{"site_name":"Masthead","settings_url":"http://127.0.0.1:8080/account/notifications",'
                  '"recipient_name":"Ada","actor_name":"Bob","article_title":"A story",'
                  '"article_url":"http://127.0.0.1:8080/articles/a-story#c2","excerpt":"I disagree"}')
        with sqlite3.connect(self.db) as db:
            user_id = db.execute("SELECT id FROM users WHERE email = 'ada@example.org'").fetchone()[0]
            for created in (1000, 2000):  # long due
                db.execute("INSERT INTO digest_items (user_id, period, kind, fields, created_at)"
                           " VALUES (?, 'daily', 'reply', ?, ?)", (user_id, fields, created))
        first = run("mail", "digests", "--db", self.db)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("1 digest queued", first.stdout)
        self.assertIn("0 digests queued", run("mail", "digests", "--db", self.db).stdout)
        listed = run("mail", "queue", "--db", self.db)
        self.assertIn("pending: 1", listed.stdout)
        self.assertIn("digest", listed.stdout)

    def test_accuracy_invite_mails_a_personal_link_that_opens_the_bound_form(self):
        md = os.path.join(self.dir.name, "harbor.md")
        with open(md, "w") as f:
            f.write(GOOD_MD)
        self.assertEqual(run("import", "--db", self.db, md).returncode, 0)
        sink = SmtpSink(self.dir.name)
        env = dict(os.environ, MASTHEAD_MAIL_SMTP_URL=sink.url, MASTHEAD_LOG_ACCESS_LOG="false")
        try:
            invited = subprocess.run([MASTHEAD, "accuracy", "invite", "--db", self.db, "--article",
                                      "harbor-dredging-starts-in-march", "--email", "source@example.org",
                                      "--name", "Harbor Master"], capture_output=True, text=True, env=env, timeout=60)
            self.assertEqual(invited.returncode, 0, invited.stderr)
            link = re.search(r"(http://\S+/articles/harbor-dredging-starts-in-march/accuracy\?invite=\S+)",
                             invited.stdout).group(1)
            unknown = run("accuracy", "invite", "--db", self.db, "--article", "no-such-story",
                          "--email", "a@example.org", "--name", "A")
            self.assertEqual(unknown.returncode, 1)
            self.assertIn("no published article with the slug 'no-such-story'", unknown.stderr)
            bad = run("accuracy", "invite", "--db", self.db, "--article", "harbor-dredging-starts-in-march",
                      "--email", "not an address", "--name", "A")
            self.assertEqual(bad.returncode, 2)
            self.assertIn("e-mail address", bad.stderr)
            incomplete = run("accuracy", "invite", "--db", self.db)
            self.assertNotEqual(incomplete.returncode, 0)
            self.assertIn("--article", incomplete.stderr)

            # The queued mail goes out once a server runs; the link opens the bound form.
            process = subprocess.Popen([MASTHEAD, "serve", "--db", self.db, "--listen", "127.0.0.1:0"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
            try:
                line = ""
                while "serving" not in line:
                    line = process.stderr.readline()
                    self.assertTrue(line, "masthead exited before serving")
                base = re.search(r"(http://[^/\s]+)/", line).group(1)
                for _ in range(3000):  # bounded wait for the worker
                    if any("source@example.org" in m["rcpt_tos"] for m in sink.received()):
                        break
                    time.sleep(0.01)
                mail = [m for m in sink.received() if "source@example.org" in m["rcpt_tos"]]
                self.assertEqual(len(mail), 1)
                self.assertIn(link, mail[0]["plain"].replace("=\n", ""))
                import urllib.request
                import urllib.error
                target = base + link[link.index("/articles/"):]
                with urllib.request.urlopen(target, timeout=10) as page:
                    self.assertIn("sent to you personally, Harbor Master (source@example.org)", page.read().decode())
                with self.assertRaises(urllib.error.HTTPError) as forged:
                    urllib.request.urlopen(target[:-2] + ("AA" if not target.endswith("AA") else "BB"), timeout=10)
                self.assertEqual(forged.exception.code, 403)
            finally:
                process.terminate()
                process.wait(timeout=30)
        finally:
            sink.stop()


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailSurvivesCrashTest(unittest.TestCase):
    """masthead serve is SIGKILLed with mail queued; after a restart everything
    queued is delivered, each Message-ID once."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="masthead-crash-")
        self.db = os.path.join(self.dir.name, "site.db")
        self.smtp_port = free_port()  # nothing listens yet: every attempt fails for now

    def tearDown(self):
        self.dir.cleanup()

    def serve(self):
        env = dict(os.environ, MASTHEAD_MAIL_SMTP_URL="smtp://127.0.0.1:%d" % self.smtp_port,
                   MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST="minimum", MASTHEAD_LOG_ACCESS_LOG="false")
        process = subprocess.Popen([MASTHEAD, "serve", "--db", self.db, "--listen", "127.0.0.1:0"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        line = ""
        while "serving" not in line:
            line = process.stderr.readline()
            self.assertTrue(line, "masthead exited before serving")
        return process, int(re.search(r":(\d+)/", line).group(1))

    def register(self, port, n):
        import http.cookiejar
        import urllib.parse
        import urllib.request
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open("http://127.0.0.1:%d/register" % port).read().decode()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrf": csrf, "email": "reader%d@example.org" % n,
                                       "display_name": "Reader %d" % n, "password": "a long password"})
        response = opener.open("http://127.0.0.1:%d/register" % port, data=data.encode())
        self.assertEqual(response.status, 201)

    def test_queued_mail_is_delivered_once_after_sigkill(self):
        process, port = self.serve()
        for n in range(5):
            self.register(port, n)
        process.kill()  # SIGKILL: no chance to flush or clean up
        process.wait()
        with sqlite3.connect(self.db) as db:
            queued = db.execute("SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'").fetchone()[0]
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual(queued, 5)
        sink = SmtpSink(self.dir.name, "--port", str(self.smtp_port))
        try:
            with sqlite3.connect(self.db) as db:  # retry now rather than after the backoff
                db.execute("UPDATE mail_outbox SET next_attempt_at = 0, lease_until = NULL")
            process, port = self.serve()
            try:
                for _ in range(3000):  # bounded wait for the worker
                    if len(sink.received()) >= 5:
                        break
                    time.sleep(0.01)
                received = sink.received()
                ids = [m["message_id"] for m in received]
                self.assertEqual(len(ids), 5)
                self.assertEqual(len(set(ids)), 5)
            finally:
                process.terminate()
                process.wait(timeout=30)
        finally:
            sink.stop()
        with sqlite3.connect(self.db) as db:
            self.assertEqual(db.execute("SELECT COUNT(*) FROM mail_outbox WHERE status = 'delivered'").fetchone()[0], 5)


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
DEMO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "demo")


def run_on_tty(*args):
    """Runs masthead with stderr on a pseudo-terminal (as in an operator's shell)."""
    import pty
    main, secondary = pty.openpty()
    process = subprocess.Popen([MASTHEAD, *args], stdout=subprocess.PIPE, stderr=secondary, text=True)
    os.close(secondary)
    err = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    out = process.communicate(timeout=60)[0]
    os.close(main)
    return process.returncode, out, err.decode("utf-8", "replace")


class ImportArchiveTest(unittest.TestCase):
    """masthead import --from disqus|wordpress with real-shaped exports: odd
    encodings, replies before their parents, missing parents, spam, deleted."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="masthead-archive-")
        self.db = os.path.join(self.dir.name, "site.db")

    def tearDown(self):
        self.dir.cleanup()

    def query(self, sql, *args):
        with sqlite3.connect(self.db) as db:
            return db.execute(sql, args).fetchall()

    def test_disqus_export_attaches_threads_to_articles_and_is_idempotent(self):
        demo = os.path.join(DEMO, "01-russia-wont-give-assad-safe-haven.md")
        self.assertEqual(run("import", "--db", self.db, demo).returncode, 0)
        export = os.path.join(FIXTURES, "disqus-export.xml")
        result = run("import", "--from", "disqus", "--db", self.db, export)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("[#", result.stderr)  # no progress bar when stderr is not a terminal
        self.assertIn("articles: 1 created, 1 matched to existing articles, 0 imported before", result.stdout)
        self.assertIn("comments: 7 created, 0 imported before, 1 deleted kept as tombstones, 1 spam skipped",
                      result.stdout)
        self.assertIn("1 comment(s) whose parent was missing attached at the top level", result.stdout)
        self.assertIn("readers: 4 account(s) created", result.stdout)

        seed = "russia-wont-give-assad-safe-haven-foreign-minister-says"
        rows = self.query("SELECT c.body_markdown, c.depth, c.parent_id FROM comments c JOIN articles a"
                          " ON a.id = c.article_id WHERE a.slug = ? ORDER BY c.created_at", seed)
        self.assertEqual(len(rows), 5)
        first, reply, reply_to_reply, deep, orphan = rows
        self.assertEqual(first[0], "First! This is **important** news.\n\n"
                                   "Second paragraph with a [source](https://example.net/source).")
        self.assertEqual(first[1], 0)
        self.assertEqual(reply[1], 1)
        # Listed before its parent in the file, and a stray Windows-1252 byte: repaired.
        self.assertIn("it\u2019s fine", reply_to_reply[0])
        self.assertEqual(reply_to_reply[1], 2)
        self.assertEqual(deep[1], 3)
        self.assertEqual(orphan[1], 0)  # its parent is not in the export
        self.assertIsNone(orphan[2])
        cranes = self.query("SELECT headline, slug, published_at FROM articles WHERE slug = 'harbour-cranes-return'")
        self.assertEqual(cranes[0][0], "Harbour cranes return & the port reopens")
        tombstone, answer = self.query("SELECT c.status, c.body_markdown, c.depth FROM comments c JOIN articles a"
                                       " ON a.id = c.article_id WHERE a.slug = 'harbour-cranes-return'"
                                       " ORDER BY c.created_at")
        self.assertEqual(tombstone[0], "deleted")
        self.assertEqual(answer[2], 1)
        self.assertNotIn("script", answer[1])
        # One account per address, whatever its case; names kept with their accents.
        self.assertEqual(self.query("SELECT display_name FROM users WHERE email = 'maria.lopez@example.com'"),
                         [("Mar\u00eda L\u00f3pez",)])
        self.assertEqual(self.query("SELECT COUNT(*) FROM comments WHERE body_markdown LIKE '%WATCHES%'"), [(0,)])

        again = run("import", "--from", "disqus", "--db", self.db, export)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("articles: 0 created, 0 matched to existing articles, 2 imported before", again.stdout)
        self.assertIn("comments: 0 created, 7 imported before", again.stdout)
        self.assertIn("readers: 0 account(s) created", again.stdout)
        self.assertEqual(self.query("SELECT COUNT(*) FROM comments"), [(7,)])

    def test_wordpress_wxr_in_windows_1252_with_comments(self):
        export = os.path.join(FIXTURES, "wordpress-export.xml")
        code, out, err = run_on_tty("import", "--from", "wordpress", "--db", self.db, export)
        self.assertEqual(code, 0, err)
        self.assertIn("[##############################] 100% 3/3 articles", err)
        self.assertIn("articles: 3 created, 0 matched to existing articles, 0 imported before", out)
        self.assertIn("comments: 3 created, 0 imported before, 0 deleted kept as tombstones, 1 spam skipped", out)
        self.assertIn("1 comment(s) whose parent was missing attached at the top level", out)

        (headline, deck, byline, body, published, section), = self.query(
            "SELECT a.headline, a.deck, a.byline, a.body_markdown, a.published_at, s.name FROM articles a"
            " JOIN sections s ON s.id = a.section_id WHERE a.slug = 'cafe-owners-win-the-square'")
        self.assertEqual(headline, "Caf\u00e9 owners \u201cwin\u201d the square")
        self.assertEqual(deck, "The square stays open for tables.")
        self.assertEqual(byline, "Jos\u00e9 Doe")
        self.assertEqual(section, "City Hall")
        self.assertEqual(published, 1357550100)  # 2013-01-07 09:15:00 UTC
        self.assertTrue(body.startswith("The council voted 7\u20132 on Monday"))
        self.assertIn("**\u201cIt is a good day,\u201d**", body)
        self.assertIn("[the minutes](https://gazette.example.org/minutes.pdf)", body)
        self.assertNotIn("document.write", body)
        # A percent-encoded WordPress slug becomes one made from the headline.
        self.assertEqual(self.query("SELECT s.slug FROM articles a JOIN sections s ON s.id = a.section_id"
                                    " WHERE a.slug = 'bridge-repairs-start-in-spring'"), [("archive",)])
        self.assertEqual(self.query("SELECT published_at FROM articles WHERE slug = 'draft-about-the-budget'"),
                         [(None,)])
        comments = self.query("SELECT u.display_name, c.depth, c.body_markdown FROM comments c"
                              " JOIN users u ON u.id = c.author_id ORDER BY c.id")
        self.assertEqual(comments[0], ("Ren\u00e9e", 0, "Finally! The \u201csquare\u201d is ours again."))
        self.assertEqual(comments[1][:2], ("Tom", 1))
        self.assertEqual(comments[2][:2], ("Lost Thread", 0))
        again = run("import", "--from", "wordpress", "--db", self.db, export)
        self.assertIn("comments: 0 created, 3 imported before", again.stdout)
        self.assertEqual(self.query("SELECT COUNT(*) FROM articles"), [(3,)])

    def test_a_broken_export_stores_nothing_and_names_the_line(self):
        broken = os.path.join(self.dir.name, "broken.xml")
        with open(os.path.join(FIXTURES, "disqus-export.xml"), "rb") as f:
            data = f.read()
        with open(broken, "wb") as f:
            f.write(data[: len(data) // 2])
        result = run("import", "--from", "disqus", "--db", self.db, broken)
        self.assertEqual(result.returncode, 2)
        self.assertIn("line ", result.stderr)
        self.assertIn("nothing was imported", result.stderr)
        self.assertEqual(run("import", "--from", "myspace", "--db", self.db, broken).returncode, 2)
        self.assertFalse(os.path.exists(self.db))


class Reader:
    """A reader's browser over HTTP: cookies, CSRF tokens, the comment form."""

    def __init__(self, port):
        import http.cookiejar
        import urllib.request
        self.port = port
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect())
        self.csrf = ""

    def get(self, path):
        import urllib.error
        try:
            response = self.opener.open("http://127.0.0.1:%d%s" % (self.port, path), timeout=30)
            body, status = response.read().decode(), response.status
        except urllib.error.HTTPError as error:
            body, status = error.read().decode(), error.code
        found = re.search(r'name="csrf" value="([^"]+)"', body)
        if found:
            self.csrf = found.group(1)
        return status, body

    def post(self, path, fields):
        import urllib.error
        import urllib.parse
        data = urllib.parse.urlencode(dict(fields, csrf=self.csrf)).encode()
        try:
            response = self.opener.open("http://127.0.0.1:%d%s" % (self.port, path), data=data, timeout=30)
            return response.status
        except urllib.error.HTTPError as error:
            return error.code


import urllib.request  # noqa: E402


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class BackupWhileServingTest(unittest.TestCase):
    """masthead backup while the server takes comments over HTTP; the backup
    restores into a fresh database that serves everything it held."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="masthead-backup-")
        self.db = os.path.join(self.dir.name, "site.db")
        self.env = dict(os.environ, MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST="minimum", MASTHEAD_LOG_ACCESS_LOG="false",
                        MASTHEAD_DISCUSSION_POSTS_PER_MINUTE="1000000",
                        MASTHEAD_DISCUSSION_NETWORK_POSTS_PER_MINUTE="1000000",
                        MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT="0",
                        MASTHEAD_MAIL_MAILDIR=os.path.join(self.dir.name, "maildir"),
                        # Compiling the user-agent rules takes long on a busy machine and
                        # shutdown waits for it; these tests need no user agents.
                        MASTHEAD_UA_REGEXES=os.path.join(self.dir.name, "no-regexes.yaml"))

    def tearDown(self):
        self.dir.cleanup()

    def serve(self, db):
        process = subprocess.Popen([MASTHEAD, "serve", "--demo", "--db", db, "--listen", "127.0.0.1:0"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=self.env)
        line = ""
        while "serving" not in line:
            line = process.stderr.readline()
            self.assertTrue(line, "masthead exited before serving")
        return process, int(re.search(r":(\d+)/", line).group(1))

    def reader(self, port):
        password = os.path.join(self.dir.name, "password")
        with open(password, "w") as f:
            f.write("a long password\n")
        added = subprocess.run([MASTHEAD, "user", "add", "--db", self.db, "--email", "writer@example.org",
                                "--name", "Busy Writer", "--password-file", password],
                               capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(added.returncode, 0, added.stderr)
        reader = Reader(port)
        reader.get("/login")
        self.assertEqual(reader.post("/login", {"email": "writer@example.org", "password": "a long password"}), 303)
        _, terms = reader.get("/account/terms")
        versions = {name: re.search(r'name="%s" value="([^"]*)"' % name, terms).group(1)
                    for name in ("terms_version", "guidelines_version")}
        self.assertEqual(reader.post("/account/terms", dict(versions, accept="yes", next="/")), 303)
        return reader

    def test_backup_under_writes_restores_everything(self):
        import threading
        process, port = self.serve(self.db)
        slug = "/articles/russia-wont-give-assad-safe-haven-foreign-minister-says"
        try:
            reader = self.reader(port)
            posted = []
            stop = threading.Event()

            def write():
                n = 0
                while not stop.is_set():
                    _, page = reader.get(slug)
                    fields = {"body": "Comment number %d about the harbour and the ministers." % n, "website": ""}
                    for name in ("idempotency_key", "form_stamp"):
                        fields[name] = re.search(r'name="%s" value="([^"]*)"' % name, page).group(1)
                    status = reader.post(slug + "/comments", fields)
                    if status == 303:
                        posted.append(n)
                    n += 1

            writer = threading.Thread(target=write)
            writer.start()
            try:
                for _ in range(600):  # bounded: the first comment loads the moderation model
                    if len(posted) >= 5:
                        break
                    time.sleep(0.1)
                self.assertGreaterEqual(len(posted), 5, "the server took no comments")
                before = len(posted)
                backup_path = os.path.join(self.dir.name, "backup.db")
                backup = run("backup", "--db", self.db, backup_path)
                during = len(posted)
                time.sleep(0.5)
            finally:
                stop.set()
                writer.join(timeout=60)
            self.assertEqual(backup.returncode, 0, backup.stderr)
            self.assertIn("integrity check: ok", backup.stdout)
            self.assertGreater(len(posted), during, "the server stopped taking writes during the backup")
            with sqlite3.connect(backup_path) as db:
                in_backup = db.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
            self.assertGreaterEqual(in_backup, before)
            self.assertLessEqual(in_backup, len(posted))
            self.assertRegex(backup.stdout, r"comments\s+%d\n" % in_backup)

            # The live database is refused, with or without --force, while it is served.
            refused = run("restore", "--db", self.db, backup_path)
            self.assertNotEqual(refused.returncode, 0)
            self.assertIn("in use", refused.stderr)
            self.assertNotEqual(run("restore", "--db", self.db, "--force", backup_path).returncode, 0)
        finally:
            process.terminate()
            process.wait(timeout=30)

        fresh = os.path.join(self.dir.name, "fresh.db")
        restored = run("restore", "--db", fresh, backup_path)
        self.assertEqual(restored.returncode, 0, restored.stderr)
        self.assertIn("integrity check: ok", restored.stdout)
        db = sqlite3.connect(fresh)
        try:
            self.assertEqual(db.execute("SELECT COUNT(*) FROM comments").fetchone()[0], in_backup)
            self.assertEqual(db.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        finally:
            db.close()  # an open connection would (rightly) make restore refuse the file
        # A database holding data is replaced only with --force (the server is stopped now).
        again = run("restore", "--db", fresh, backup_path)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("--force", again.stderr)
        self.assertEqual(run("restore", "--db", fresh, "--force", backup_path).returncode, 0)

        process, port = self.serve(fresh)
        try:
            status, page = Reader(port).get(slug)
            self.assertEqual(status, 200)
            self.assertIn("Comment number %d about the harbour" % posted[0], page)
            self.assertEqual(Reader(port).get("/")[0], 200)
        finally:
            process.terminate()
            process.wait(timeout=30)


class WebhookTest(unittest.TestCase):
    """A comment posted over HTTP reaches a test HTTP server as a signed webhook;
    the receiver's first answer is an error, and the delivery is retried."""

    SECRET = "a webhook secret of some length"

    def setUp(self):
        import hashlib
        import hmac
        import http.server
        import threading
        self.dir = tempfile.TemporaryDirectory(prefix="masthead-webhook-")
        self.db = os.path.join(self.dir.name, "site.db")
        self.received = []
        test = self

        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(test.SECRET.encode(), body, hashlib.sha256).hexdigest()
                test.received.append({"body": body, "event": self.headers["X-Masthead-Event"],
                                      "delivery": self.headers["X-Masthead-Delivery"],
                                      "valid": hmac.compare_digest(expected, self.headers["X-Masthead-Signature"])})
                # The first attempt fails: the queue must try again.
                self.send_response(500 if len(test.received) == 1 else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=self.receiver.serve_forever, daemon=True).start()

    def tearDown(self):
        self.receiver.shutdown()
        self.dir.cleanup()

    def test_new_comment_is_posted_signed_and_retried(self):
        env = dict(os.environ, MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST="minimum", MASTHEAD_LOG_ACCESS_LOG="false",
                   MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT="0",
                   MASTHEAD_MAIL_MAILDIR=os.path.join(self.dir.name, "maildir"),
                   MASTHEAD_UA_REGEXES=os.path.join(self.dir.name, "no-regexes.yaml"),
                   MASTHEAD_WEBHOOKS_URLS="http://127.0.0.1:%d/hooks/masthead" % self.receiver.server_address[1],
                   MASTHEAD_WEBHOOKS_SECRET=self.SECRET, MASTHEAD_WEBHOOKS_CHECK_SECONDS="1")
        missing = subprocess.run([MASTHEAD, "migrate", "--db", self.db], capture_output=True, text=True,
                                 env=dict(env, MASTHEAD_WEBHOOKS_SECRET=""), timeout=60)
        self.assertEqual(missing.returncode, 2)
        self.assertIn("webhooks.secret", missing.stderr)

        serving = BackupWhileServingTest("test_backup_under_writes_restores_everything")
        serving.dir, serving.db, serving.env = self.dir, self.db, env
        process, port = serving.serve(self.db)
        try:
            reader = serving.reader(port)
            slug = "/articles/russia-wont-give-assad-safe-haven-foreign-minister-says"
            _, page = reader.get(slug)
            fields = {"body": "Welcome back, night ferry!", "website": ""}
            for name in ("idempotency_key", "form_stamp"):
                fields[name] = re.search(r'name="%s" value="([^"]*)"' % name, page).group(1)
            self.assertEqual(reader.post(slug + "/comments", fields), 303)
            for _ in range(400):  # bounded: one failure, then the backoff of 10 s
                if len(self.received) >= 2:
                    break
                time.sleep(0.1)
        finally:
            process.terminate()
            process.wait(timeout=30)
        self.assertEqual(len(self.received), 2, self.received)
        first, second = self.received
        self.assertTrue(first["valid"] and second["valid"])
        self.assertEqual(first["delivery"], second["delivery"])  # the same delivery, retried
        self.assertEqual(second["event"], "comment.created")
        payload = json.loads(second["body"])
        self.assertEqual(payload["event"], "comment.created")
        self.assertEqual(payload["data"]["body_markdown"], "Welcome back, night ferry!")
        self.assertEqual(payload["data"]["status"], "published")
        with sqlite3.connect(self.db) as db:
            self.assertEqual(db.execute("SELECT status, attempts, last_code FROM webhook_deliveries").fetchall(),
                             [("delivered", 2, 204)])


if __name__ == "__main__":
    unittest.main(verbosity=2)
