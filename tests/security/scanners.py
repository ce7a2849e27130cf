#!/usr/bin/python3
"""Runs Debian's wapiti and sqlmap against a Masthead with the demo content on
loopback (issue 11), logged out and logged in as a reader, over every form and
API route. Passes with zero findings.

wapiti crawls the site from the front page and the API entry points (log-out
excluded, so the reader stays logged in) and attacks every form and parameter
with its injection modules; its anomalies (HTTP 500s) count as findings too.
sqlmap attacks each form and JSON route listed in TARGETS.

    MASTHEAD_BIN=build/src/app/masthead python3 tests/security/scanners.py [--quick]
--quick (CI): wapiti bounded to 60 s per pass, sqlmap at level 1 with
boolean, error and union techniques. Default: wapiti unbounded at level 2,
sqlmap at level 3 with time-based and stacked queries too.
"""
import json
import os
import subprocess
import sys
import time
import urllib.parse

import masthead_site as ms

WAPITI_MODULES = "sql,blindsql,xss,permanentxss,exec,file,crlf,redirect,ssrf,xxe,htaccess,methods"

# (method, path, form page or None for JSON, fields): what sqlmap attacks.
# Form fields are read from the page itself (so the CSRF token is current);
# JSON routes send the session's CSRF token as X-CSRF-Token.
TARGETS = [
    ("GET", "/search?q=minister", None, None),
    ("GET", "/sections/world?after=5", None, None),
    ("GET", "/api/v1/articles/%s/comments?order=newest&after=3" % ms.SEED_SLUG, None, None),
    ("POST", "/login", "/login", None),
    ("POST", "/register", "/register", None),
    ("POST", "/account/forgot", "/account/forgot", None),
    ("POST", "/support/report", "/support/report?article=" + ms.SEED_SLUG, None),
    ("POST", "/articles/%s/accuracy" % ms.SEED_SLUG, "/articles/%s/accuracy" % ms.SEED_SLUG, None),
    ("POST", "/articles/%s/comments" % ms.SEED_SLUG, "/articles/" + ms.SEED_SLUG, "reader"),
    ("POST", "/articles/%s/contact-editors" % ms.SEED_SLUG, "/articles/%s/contact-editors" % ms.SEED_SLUG, "reader"),
    ("POST", "/account/name", "/account", "reader"),
    ("JSON", "/api/v1/session", {"email": "x@example.org", "password": "a long password"}, None),
    ("JSON", "/api/v1/articles/%s/comments" % ms.SEED_SLUG, {"body": "scanner text", "idempotency_key": "k"}, "reader"),
]


def cookie_header(client):
    return "; ".join("%s=%s" % (c.name, c.value) for c in client.jar)


def requests_served(site):
    """The server's own count of requests answered (its /metrics), to prove a scan ran."""
    text = ms.Client(site).get("/metrics").body
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("masthead_http_requests_total{"))


def run_wapiti(site, directory, label, client, quick):
    report = os.path.join(directory, "wapiti-%s.json" % label)
    command = ["/usr/bin/python3", os.path.join(ms.HERE, "wapiti_run.py"), "-u", site.url + "/", "--scope", "folder", "-m", WAPITI_MODULES,
               "-f", "json", "-o", report, "--flush-session", "-v", "0", "--no-bugreport",
               "--store-session", os.path.join(directory, "wapiti-session-" + label),
               "--store-config", os.path.join(directory, "wapiti-config-" + label),
               "-x", site.url + "/logout", "-x", site.url + "/api/v1/session",
               "-s", site.url + "/api/v1/articles", "-s", site.url + "/support/report",
               "-s", site.url + "/articles/%s/accuracy" % ms.SEED_SLUG,
               "-s", site.url + "/articles/%s/contact-editors" % ms.SEED_SLUG,
               "-s", site.url + "/search?q=minister", "-t", "20", "-l", "1" if quick else "2"]
    if quick:
        command += ["-d", "2", "--max-links-per-page", "20", "--max-scan-time", "60", "--max-attack-time", "8"]
    if client is not None:
        command += ["-H", "Cookie: " + cookie_header(client)]
    started = time.monotonic()
    served_before = requests_served(site)
    result = subprocess.run(command, capture_output=True, text=True)
    served = requests_served(site) - served_before
    findings = []
    if served < 200:
        findings.append("wapiti %s sent only %d requests: it did not scan" % (label, served))
    if not os.path.exists(report):
        return ["wapiti %s produced no report (exit %d): %s" % (label, result.returncode, result.stderr[-2000:])]
    data = json.load(open(report))
    for section in ("vulnerabilities", "anomalies"):
        for category, items in data.get(section, {}).items():
            for item in items:
                findings.append("wapiti %s %s: %s %s %s" % (label, category, item.get("method"), item.get("path"),
                                                            item.get("info")))
    print("wapiti %s: %d requests, %d findings, %.0f s" % (label, served, len(findings), time.monotonic() - started))
    return findings


def run_sqlmap(site, directory, quick, reader):
    findings = []
    out = os.path.join(directory, "sqlmap")
    for method, path, source, who in TARGETS:
        client = reader if who == "reader" else ms.Client(site)
        command = ["sqlmap", "--batch", "--disable-coloring", "-v", "0", "--flush-session", "--output-dir", out,
                   "--timeout", "15", "--retries", "1", "--threads", "1",
                   "--level", "1" if quick else "3", "--risk", "1" if quick else "2",
                   "--technique", "BEU" if quick else "BEUSTQ", "--time-sec", "2", "--dbms", "SQLite",
                   # A wrong password is a 401 and the throttle a 429: answers to test, not to stop at.
                   "--ignore-code", "401,429"]
        headers = []
        if method == "GET":
            client.get(path)
            command += ["-u", site.url + path]
        elif method == "POST":
            page = client.get(source)
            forms = [f for f in ms.post_forms(page.body) if f["action"].split("#")[0].split("?")[0] == path]
            if not forms:
                findings.append("sqlmap: no form posting to %s on %s" % (path, source))
                continue
            data = urllib.parse.urlencode(ms.fill(forms[0], "scanner text"))
            command += ["-u", site.url + path, "--data", data, "--skip", "csrf,form_stamp,idempotency_key"]
        else:
            csrf = client.api("GET", "/api/v1/session").json()["csrf"]
            headers.append("X-CSRF-Token: " + csrf)
            command += ["-u", site.url + path, "--data", json.dumps(source), "-H", "Content-Type: application/json"]
        cookies = cookie_header(client)
        if cookies:
            command += ["--cookie", cookies, "--drop-set-cookie", "--skip", "masthead_session,masthead_csrf"]
        for header in headers:
            command += ["-H", header]
        started = time.monotonic()
        served_before = requests_served(site)
        result = subprocess.run(command, capture_output=True, text=True)
        served = requests_served(site) - served_before
        text = result.stdout + result.stderr
        found = "identified the following injection point" in text or "is vulnerable" in text
        if found:
            findings.append("sqlmap %s %s: %s" % (method, path, text[-3000:]))
        if served < 20:
            findings.append("sqlmap %s %s sent only %d requests: %s" % (method, path, served, text[-1500:]))
        print("sqlmap %s %s%s: %d requests, %s, %.0f s" % (method, path, " (reader)" if who else "", served,
                                                          "INJECTABLE" if found else "nothing injectable",
                                                          time.monotonic() - started))
    return findings


def main():
    quick = "--quick" in sys.argv
    directory = ms.temp_dir("masthead-scanners-")
    env = dict(ms.GENEROUS_LIMITS)
    env["MASTHEAD_MAIL_DELIVER"] = "false"
    site = ms.Site(directory, env)
    findings = []
    try:
        site.add_user("reader@example.org", "Rita Reader")
        reader = ms.Client(site)
        reader.log_in_and_accept_terms("reader@example.org")
        findings += run_sqlmap(site, directory, quick, reader)
        findings += run_wapiti(site, directory, "logged-out", None, quick)
        findings += run_wapiti(site, directory, "reader", reader, quick)
        if reader.get("/account").status != 200:
            findings.append("the reader's session did not survive the scans")
    finally:
        site.stop()
    if findings:
        print("%d findings:" % len(findings))
        for f in findings:
            print("  " + f)
        print("(reports in %s)" % directory)
        return 1
    ms.remove_dir(directory)
    print("zero findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
