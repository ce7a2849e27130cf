#!/usr/bin/env python3
"""Two masthead nodes serving one site from one PostgreSQL database, as behind a
load balancer: real binaries, the real server the CTest fixture "postgres"
started (tests/support/postgres.sh), the real SMTP sink.

- a comment posted on node A reaches a reader of node B over Server-Sent Events
  (LISTEN/NOTIFY between the nodes);
- node A is killed with SIGKILL while readers post: every comment whose POST
  was answered 2xx is stored, and node B keeps serving;
- mail queued before the kill is delivered, each message once, by the nodes
  between them (the dead node's claimed batch goes to B after its lease).
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cli_test import MASTHEAD, SmtpSink  # noqa: E402  (the suite's real SMTP sink)

warnings.simplefilter("ignore", ResourceWarning)  # the sink helper reads files without closing them

SLUG = "russia-wont-give-assad-safe-haven-foreign-minister-says"
PASSWORD = "a long password"


def postgres_server():
    url = os.environ.get("MASTHEAD_TEST_POSTGRES", "")
    if not url and os.environ.get("MASTHEAD_TEST_POSTGRES_FILE"):
        url = open(os.environ["MASTHEAD_TEST_POSTGRES_FILE"]).read().strip()
    if not url:
        raise RuntimeError("no PostgreSQL: run through CTest (fixture 'postgres') or set MASTHEAD_TEST_POSTGRES")
    return url


def psql(url, query):
    out = subprocess.run(["psql", "-X", "-A", "-t", "-q", url, "-c", query],
                         capture_output=True, text=True, timeout=60, check=True)
    return [line for line in out.stdout.splitlines() if line]


class Node:
    """`masthead serve` on a free port of 127.0.0.1."""

    def __init__(self, name, db, env, *extra):
        self.name = name
        self.process = subprocess.Popen([MASTHEAD, "serve", "--db", db, "--listen", "127.0.0.1:0", *extra],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        line = ""
        while "serving" not in line:
            line = self.process.stderr.readline()
            if not line:
                raise RuntimeError("node %s exited before serving" % name)
        self.port = int(re.search(r":(\d+)/", line).group(1))
        # Keep reading stderr so the node never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.process.stderr], daemon=True).start()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)


class Reader:
    """A reader's browser without JavaScript: a cookie, form tokens, no redirects followed."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join("%s=%s" % kv for kv in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        connection.close()
        return response.status, text

    def form_token(self, path):
        status, page = self.request("GET", path)
        assert status == 200, (path, status)
        return re.search(r'name="csrf" value="([^"]+)"', page).group(1)

    def log_in(self, email):
        status, _ = self.request("POST", "/login", {"csrf": self.form_token("/login"), "email": email,
                                                    "password": PASSWORD, "next": "/"})
        assert status == 303, status
        terms = json.loads(self.request("GET", "/api/v1/terms")[1])
        status, _ = self.request("POST", "/account/terms", {
            "csrf": self.form_token("/account/terms"), "accept": "yes", "next": "/",
            "terms_version": terms["terms"]["version"], "guidelines_version": terms["guidelines"]["version"]})
        assert status == 303, status
        self.csrf = self.form_token("/articles/" + SLUG)

    def comment(self, body, key):
        return self.request("POST", "/articles/%s/comments" % SLUG,
                            {"csrf": self.csrf, "body": body, "idempotency_key": key})[0]


class TwoNodesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="masthead-two-nodes-")
        server = postgres_server()
        schema = "two_nodes_%d" % os.getpid()
        cls.db = server + ("&" if "?" in server else "?") + "schema=" + schema
        # The tables, for psql, which does not know Masthead's schema= parameter.
        cls.sql_url = server + ("&" if "?" in server else "?") + "options=-csearch_path%3D" + schema
        cls.sink = SmtpSink(cls.dir.name)
        cls.env = dict(os.environ, MASTHEAD_MAIL_SMTP_URL=cls.sink.url,
                       MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST="minimum", MASTHEAD_LOG_ACCESS_LOG="false",
                       MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT="0",
                       MASTHEAD_DISCUSSION_POSTS_PER_MINUTE="100000",
                       MASTHEAD_DISCUSSION_NETWORK_POSTS_PER_MINUTE="100000",
                       # A dead node's claimed mail goes to the other node soon.
                       MASTHEAD_MAIL_LEASE_SECONDS="3")
        cls.a = Node("A", cls.db, cls.env, "--demo")
        cls.b = Node("B", cls.db, cls.env)
        password_file = os.path.join(cls.dir.name, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD)
        for n in range(6):
            added = subprocess.run([MASTHEAD, "user", "add", "--db", cls.db, "--email", "reader%d@example.org" % n,
                                    "--name", "Reader %d" % n, "--password-file", password_file],
                                   capture_output=True, text=True, timeout=60, env=cls.env)
            assert added.returncode == 0, added.stderr
        added = subprocess.run([MASTHEAD, "user", "add", "--db", cls.db, "--email", "admin@example.org",
                                "--name", "Admin", "--role", "admin", "--password-file", password_file],
                               capture_output=True, text=True, timeout=60, env=cls.env)
        assert added.returncode == 0, added.stderr

    @classmethod
    def tearDownClass(cls):
        cls.a.stop()
        cls.b.stop()
        cls.sink.stop()
        cls.dir.cleanup()

    def test_1_a_comment_posted_on_a_reaches_a_reader_of_b_live(self):
        writer = Reader(self.a.port)
        writer.log_in("reader0@example.org")
        latest = int(psql(self.sql_url, "SELECT COALESCE(MAX(id), 0) FROM comments")[0])
        stream = http.client.HTTPConnection("127.0.0.1", self.b.port, timeout=60)
        stream.request("GET", "/articles/%s/live?after=%d" % (SLUG, latest))
        response = stream.getresponse()
        self.assertEqual(response.status, 200)
        self.assertIn("text/event-stream", response.getheader("Content-Type"))
        self.assertEqual(writer.comment("Seen from the other node, I hope.", "live-1"), 303)
        # Bounded by the socket timeout: the event or a failure, never a hang.
        event = None
        while event is None:
            line = response.fp.readline().decode()
            self.assertTrue(line, "node B closed the stream")
            if line.startswith("data: "):
                event = json.loads(line[6:])
        stream.close()
        self.assertIn("Seen from the other node, I hope.", event["html"])
        self.assertGreater(event["id"], latest)

    def test_1b_new_terms_published_on_a_are_asked_for_on_b(self):
        reader = Reader(self.b.port)
        reader.log_in("reader5@example.org")
        self.assertEqual(reader.comment("Before the new terms.", "terms-1"), 303)
        admin = Reader(self.a.port)
        admin.log_in("admin@example.org")
        status, page = admin.request("POST", "/staff/policies/terms", {
            "csrf": admin.form_token("/staff/policies/terms"), "summary": "Be kinder still.",
            "body": "# Terms of Use\n\nA second version."})
        self.assertEqual(status, 200)
        self.assertIn("is published", page)
        # Node B hears of it through LISTEN/NOTIFY: bounded wait for the next
        # post to be refused until the reader accepts the new version.
        for attempt in range(100):
            status, page = reader.request("POST", "/articles/%s/comments" % SLUG, {
                "csrf": reader.csrf, "body": "After the new terms, try %d." % attempt,
                "idempotency_key": "terms-after-%d" % attempt})
            if status != 303:
                break
            time.sleep(0.1)
        self.assertNotEqual(status, 303, "node B still takes posts under the old terms")
        self.assertIn("Terms of Use", page)
        reader.log_in("reader5@example.org")  # accepts the current version again
        self.assertEqual(reader.comment("Under the new terms.", "terms-2"), 303)

    def test_2_a_killed_node_loses_no_answered_comment_and_mail_is_delivered_once(self):
        # Mail queued before the kill: confirmation mail of new registrations.
        for n in range(8):
            visitor = Reader(self.a.port)
            status, _ = visitor.request("POST", "/register", {
                "csrf": visitor.form_token("/register"), "email": "newcomer%d@example.org" % n,
                "display_name": "Newcomer %d" % n, "password": PASSWORD})
            self.assertEqual(status, 201)
        queued = {m.strip("<>") for m in psql(self.sql_url, "SELECT message_id FROM mail_outbox")}

        answered, lock, stop = [], threading.Lock(), threading.Event()

        def post_until_killed(n):
            reader = Reader(self.a.port)
            reader.log_in("reader%d@example.org" % (n + 1))
            i = 0
            while not stop.is_set():
                i += 1
                body = "Remark %d from reader %d under load." % (i, n + 1)
                try:
                    status = reader.comment(body, "load-%d-%d" % (n, i))
                except OSError:
                    return  # the node is gone
                if 200 <= status < 400:
                    with lock:
                        answered.append(body)

        posters = [threading.Thread(target=post_until_killed, args=(n,)) for n in range(4)]
        for thread in posters:
            thread.start()
        while len(answered) < 40:  # under load: the kill lands among posts in flight
            self.assertTrue(any(t.is_alive() for t in posters), "the posters stopped early")
            time.sleep(0.05)
        self.a.process.send_signal(signal.SIGKILL)
        self.a.process.wait()
        stop.set()
        for thread in posters:
            thread.join(timeout=120)

        stored = set(psql(self.sql_url, "SELECT body_markdown FROM comments"))
        missing = [body for body in answered if body not in stored]
        self.assertEqual(missing, [], "answered 2xx but not stored")
        # Node B still serves the article, with the comments A took.
        status, page = Reader(self.b.port).request("GET", "/articles/" + SLUG)
        self.assertEqual(status, 200)
        self.assertIn(answered[0], page)

        # Every message queued before the kill arrives, once (B takes over A's claims).
        for _ in range(1200):  # bounded: 60 s
            if queued <= {m["message_id"].strip("<>") for m in self.sink.received()}:
                break
            time.sleep(0.05)
        received = [m["message_id"].strip("<>") for m in self.sink.received()]
        recorded_attempts = {row.split("|")[0].strip("<>"): int(row.split("|")[1])
                             for row in psql(self.sql_url, "SELECT message_id, attempts FROM mail_outbox")}
        # The one duplicate SMTP cannot rule out: A was killed after the sink took
        # a message and before A recorded it, so B sent it again and recorded the
        # only attempt the database knows. A sends one message at a time, so at
        # most one. A batch outliving its lease (both nodes record) is a bug.
        unavoidable = []
        for message_id in queued:
            count = received.count(message_id)
            if count == 2 and recorded_attempts[message_id] == 1:
                unavoidable.append(message_id)
                continue
            self.assertEqual(count, 1, "%s (attempts recorded: %d)" % (message_id, recorded_attempts[message_id]))
        self.assertLessEqual(len(unavoidable), 1, unavoidable)


class CopyFromSqliteTest(unittest.TestCase):
    """masthead migrate --from sqlite:PATH --to postgres://...: a SQLite site moves over and keeps working."""

    def test_a_site_moves_to_postgres_verified_and_keeps_working(self):
        with tempfile.TemporaryDirectory(prefix="masthead-copy-") as work:
            env = dict(os.environ, MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST="minimum", MASTHEAD_LOG_ACCESS_LOG="false",
                       MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT="0", MASTHEAD_MAIL_MAILDIR=os.path.join(work, "mail"))
            sqlite_db = os.path.join(work, "site.db")
            password_file = os.path.join(work, "password")
            with open(password_file, "w") as f:
                f.write(PASSWORD)
            subprocess.run([MASTHEAD, "user", "add", "--db", sqlite_db, "--email", "mover@example.org",
                            "--name", "Mover", "--password-file", password_file], check=True, env=env,
                           capture_output=True, timeout=60)
            node = Node("sqlite", sqlite_db, env, "--demo")
            try:
                reader = Reader(node.port)
                reader.log_in("mover@example.org")
                self.assertEqual(reader.comment("Written on SQLite, read on PostgreSQL.", "copy-1"), 303)
            finally:
                node.stop()

            server = postgres_server()
            target = server + ("&" if "?" in server else "?") + "schema=copy_%d" % os.getpid()
            copied = subprocess.run([MASTHEAD, "migrate", "--from", "sqlite:" + sqlite_db, "--to", target],
                                    capture_output=True, text=True, timeout=300, env=env)
            self.assertEqual(copied.returncode, 0, copied.stderr)
            self.assertIn("counts and checksums match", copied.stdout)
            self.assertRegex(copied.stdout, r"comments\s+1 rows")
            again = subprocess.run([MASTHEAD, "migrate", "--from", "sqlite:" + sqlite_db, "--to", target],
                                   capture_output=True, text=True, timeout=300, env=env)
            self.assertNotEqual(again.returncode, 0)
            self.assertIn("already has data", again.stderr)

            node = Node("postgres", target, env)
            try:
                reader = Reader(node.port)
                status, page = reader.request("GET", "/articles/" + SLUG)
                self.assertEqual(status, 200)
                self.assertIn("Written on SQLite, read on PostgreSQL.", page)
                reader.log_in("mover@example.org")  # the account and the accepted terms came along
                # New rows get ids after the copied ones.
                self.assertEqual(reader.comment("And a second one, on PostgreSQL.", "copy-2"), 303)
                status, page = reader.request("GET", "/articles/" + SLUG)
                self.assertIn("And a second one, on PostgreSQL.", page)
            finally:
                node.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2, warnings="ignore")
