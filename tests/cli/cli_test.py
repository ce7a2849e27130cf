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


if __name__ == "__main__":
    unittest.main(verbosity=2)
