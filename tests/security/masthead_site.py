"""What the scripts in tests/security share: a real `masthead serve` with the demo
content on a free loopback port, the real SMTP sink, accounts made with the CLI,
and a cookie-keeping client that fills in forms as a browser would."""
import html
import html.parser
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_SLUG = "russia-wont-give-assad-safe-haven-foreign-minister-says"
PASSWORD = "a long password"

# Limits a single test client on one address would otherwise hit at once.
GENEROUS_LIMITS = {
    "MASTHEAD_DISCUSSION_POSTS_PER_MINUTE": "1000000",
    "MASTHEAD_DISCUSSION_NETWORK_POSTS_PER_MINUTE": "1000000",
    "MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT": "0",
    "MASTHEAD_DISCUSSION_DUPLICATE_WINDOW_MINUTES": "0",
    "MASTHEAD_DISCUSSION_FLOOD_ACCOUNTS": "1000000",
    "MASTHEAD_SUPPORT_REPORTS_PER_HOUR": "1000000",
    "MASTHEAD_ACCURACY_REPORTS_PER_HOUR": "1000000",
}


def binary():
    path = os.environ.get("MASTHEAD_BIN")
    if not path:
        raise SystemExit("MASTHEAD_BIN must name the masthead binary")
    return path


class SmtpSink:
    """tests/support/smtp_sink.py (aiosmtpd) on a free port."""

    def __init__(self, directory):
        self.out = os.path.join(directory, "sink-out")
        port_file = os.path.join(directory, "sink-port")
        script = os.path.join(HERE, "..", "support", "smtp_sink.py")
        self.process = subprocess.Popen(["/usr/bin/python3", script, "--port-file", port_file, "--out-dir", self.out])
        for _ in range(3000):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            if self.process.poll() is not None:
                raise RuntimeError("smtp sink exited")
            time.sleep(0.01)
        self.url = "smtp://127.0.0.1:" + open(port_file).read().strip()

    def received(self):
        if not os.path.isdir(self.out):
            return []
        return [json.load(open(os.path.join(self.out, f))) for f in sorted(os.listdir(self.out)) if f.endswith(".json")]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


class Site:
    """`masthead serve --demo` on a fresh database (or `db`, to restart on one)."""

    def __init__(self, directory, env=None, db=None, demo=True):
        self.directory = directory
        self.db = db or os.path.join(directory, "site.db")
        self.env = dict(os.environ)
        self.env.update({"MASTHEAD_LOG_ACCESS_LOG": "false",
                         "MASTHEAD_MAIL_MAILDIR": os.path.join(directory, "maildir"),
                         "MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST": "minimum"})
        self.env.update(env or {})
        args = [binary(), "serve", "--db", self.db, "--listen", "127.0.0.1:0"] + (["--demo"] if demo else [])
        self.log_path = os.path.join(directory, "serve-%d.log" % time.monotonic_ns())
        self.log = open(self.log_path, "w+")
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.log, env=self.env)
        self.url = None
        for _ in range(6000):  # until it names its port (bounded)
            self.log.seek(0)
            match = re.search(r"serving (http://[^/\s]+)/", self.log.read())
            if match:
                self.url = match.group(1)
                break
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("masthead exited: " + self.log.read())
            time.sleep(0.01)
        if not self.url:
            raise RuntimeError("masthead did not start")
        self.port = int(self.url.rsplit(":", 1)[1])

    def add_user(self, email, name, role="reader", password=PASSWORD):
        password_file = os.path.join(self.directory, "password-" + email)
        with open(password_file, "w") as f:
            f.write(password + "\n")
        subprocess.run([binary(), "user", "add", "--db", self.db, "--email", email, "--name", name,
                        "--role", role, "--password-file", password_file],
                       env=self.env, check=True, capture_output=True)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)
        self.log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status, headers, body, url):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    def json(self):
        return json.loads(self.body)


class Client:
    """Keeps cookies; follows redirects unless told not to; never raises on 4xx/5xx."""

    def __init__(self, site, user_agent="Mozilla/5.0 (X11; Linux x86_64) masthead-security-tests"):
        self.site = site
        self.jar = http.cookiejar.CookieJar()
        self.user_agent = user_agent
        self.follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.no_follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, method, path, data=None, headers=None, follow=True, timeout=30):
        url = path if path.startswith("http") else self.site.url + path
        all_headers = {"User-Agent": self.user_agent}
        all_headers.update(headers or {})
        if isinstance(data, dict) or isinstance(data, list):
            data = urllib.parse.urlencode(data).encode()
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif isinstance(data, str):
            data = data.encode()
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        opener = self.follow if follow else self.no_follow
        try:
            with opener.open(request, timeout=timeout) as r:
                return Response(r.status, r.headers, r.read().decode("utf-8", "replace"), r.url)
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read().decode("utf-8", "replace"), url)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, data=data, **kwargs)

    def api(self, method, path, payload=None, csrf=None):
        headers = {"Content-Type": "application/json"}
        if csrf:
            headers["X-CSRF-Token"] = csrf
        return self.request(method, path, data=json.dumps(payload) if payload is not None else None, headers=headers)

    def log_in_and_accept_terms(self, email, password=PASSWORD):
        """Through the JSON API, as a script would; returns the CSRF token."""
        csrf = self.api("GET", "/api/v1/session").json()["csrf"]
        session = self.api("POST", "/api/v1/session", {"email": email, "password": password}, csrf)
        if session.status != 200:
            raise RuntimeError("log-in failed: %d %s" % (session.status, session.body))
        csrf = session.json()["csrf"]
        terms = self.api("GET", "/api/v1/terms").json()
        accepted = self.api("POST", "/api/v1/terms/acceptances",
                            {"terms_version": terms["terms"]["version"],
                             "guidelines_version": terms["guidelines"]["version"]}, csrf)
        if accepted.status != 200:
            raise RuntimeError("accepting the terms failed: " + accepted.body)
        return csrf


class FormParser(html.parser.HTMLParser):
    """The POST forms of a page with their fields, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(), "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if not a.get("name") or kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form["fields"].append({"name": a["name"], "type": kind, "value": a.get("value", "on"),
                                             "unchecked": True})
                return
            self._form["fields"].append({"name": a["name"], "type": kind, "value": a.get("value", "")})
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "type": "textarea", "value": ""}
            self._form["fields"].append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "type": "select", "value": None}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select["value"] is None or "selected" in a:
                self._select["value"] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def post_forms(page_html):
    parser = FormParser()
    parser.feed(page_html)
    return [f for f in parser.forms if f["method"] == "post"]


def fill(form, text, email="reader@example.org"):
    """The form's fields with `text` in every free-text field a reader types into.
    Hidden fields keep their values; the first radio of a group is picked;
    e-mail fields get a real address (else the form only refuses)."""
    values = []
    radios = set()
    for field in form["fields"]:
        kind, name = field["type"], field["name"]
        if field.get("unchecked"):
            if kind == "radio" and name not in radios and not any(v[0] == name for v in values):
                radios.add(name)
                values.append((name, field["value"]))
            continue
        if kind == "hidden" or kind in ("checkbox", "radio"):
            values.append((name, field["value"]))
        elif kind == "email":
            values.append((name, email))
        elif kind == "select":
            values.append((name, field["value"] or ""))
        elif kind == "password":
            values.append((name, field["value"]))
        elif name == "website":  # the honeypot stays empty, as for a person
            values.append((name, ""))
        else:
            values.append((name, text))
    return values


SAFE_URL_SCHEMES = ("http:", "https:", "mailto:", "/", "#", "?")

# What cmark-gfm writes for Markdown in comments and articles.
MARKDOWN_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "h1", "h2", "h3",
                 "h4", "h5", "h6", "hr", "br", "img", "del", "table", "thead", "tbody", "tr", "th", "td", "input"}


def site_tags():
    """Every tag the site's own templates write, plus Markdown's: anything else
    in a page came from what someone typed."""
    tags = set(MARKDOWN_TAGS)
    templates = os.path.join(HERE, "..", "..", "src", "pages", "templates")
    for name in os.listdir(templates):
        tags |= set(re.findall(r"<([a-z][a-z0-9]*)", open(os.path.join(templates, name), encoding="utf-8").read()))
    return tags


class MarkupAudit(html.parser.HTMLParser):
    """Finds markup that only an injection could have put into a page: inline
    event handlers, script elements with content or foreign sources, javascript:
    or data: URLs, and tags outside `allowed_tags` (the site's own, learnt from
    pages before anything hostile was stored)."""

    def __init__(self, allowed_tags=None):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.tags = set()
        self.findings = []
        self._in_script = False
        self._script_kind = "code"

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if self.allowed_tags is not None and tag not in self.allowed_tags:
            self.findings.append("unexpected <%s %s>" % (tag, attrs))
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append("event handler %s=%r on <%s>" % (name, value, tag))
            if name in ("href", "src", "action", "formaction", "background", "poster", "data", "xlink:href"):
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                if url and not url.startswith(SAFE_URL_SCHEMES) and ":" in url.split("/")[0]:
                    self.findings.append("URL %s=%r on <%s>" % (name, value, tag))
            if name == "style" and ("expression" in value.lower() or "url(" in value.lower()):
                self.findings.append("style %r on <%s>" % (value, tag))
            if name == "http-equiv" and value.lower() == "refresh":
                self.findings.append("meta refresh")
        if tag == "script":
            a = dict(attrs)
            # JSON-LD is data, never run; its text must still parse as JSON (below).
            self._script_kind = "data" if a.get("type") == "application/ld+json" else "code"
            if self._script_kind == "code" and not (a.get("src") or "").startswith("/static/"):
                self.findings.append("script %r" % (attrs,))
            self._in_script = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if not self._in_script or not data.strip():
            return
        if self._script_kind == "data":
            try:
                json.loads(data)
            except ValueError:
                self.findings.append("JSON-LD that is not JSON: %r" % data[:200])
        else:
            self.findings.append("inline script %r" % data[:80])


def audit(page_html, allowed_tags=None):
    auditor = MarkupAudit(allowed_tags)
    auditor.feed(page_html)
    auditor.close()
    return auditor.findings, auditor.tags


def page_text(page_html):
    """The page's text as a reader sees it (tags dropped, references decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", page_html))


def links(page_html, prefix):
    return sorted(set(html.unescape(h) for h in re.findall(r'href="(%s[^"#]*)"' % re.escape(prefix), page_html)))


def temp_dir(prefix):
    return tempfile.mkdtemp(prefix=prefix)


def remove_dir(path):
    shutil.rmtree(path, ignore_errors=True)


def read_corpus():
    """tests/security/hostile_inputs.txt, escapes decoded."""
    vectors = []
    for line in open(os.path.join(HERE, "hostile_inputs.txt"), encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        vectors.append(line.replace("\\r", "\r").replace("\\n", "\n"))
    return vectors
