#!/usr/bin/env python3
"""The masthead command line as an operator uses it: real binary, real SQLite files."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
