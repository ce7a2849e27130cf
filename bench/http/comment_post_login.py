#!/usr/bin/env python3
"""Creates a confirmed reader who accepted the terms and prints "COOKIE CSRF" for wrk."""
import http.cookiejar, json, re, sqlite3, sys, urllib.parse, urllib.request, uuid

base, label = sys.argv[1], sys.argv[2]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
email = "bench-%s@example.org" % uuid.uuid4().hex[:8]
page = opener.open(base + "/register").read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
opener.open(base + "/register", data=urllib.parse.urlencode(
    {"csrf": csrf, "email": email, "display_name": "Bench Reader", "password": "a long password"}).encode())
# Confirm by the token the Maildir got is slow to find; the bench confirms through the API's
# session instead: log in, then accept the terms, and confirm with the link from the outbox row.
import glob, email as email_lib, os
maildir = os.environ["MASTHEAD_MAIL_MAILDIR"]
token = None
for _ in range(500):
    for path in glob.glob(os.path.join(maildir, "new", "*")):
        message = email_lib.message_from_binary_file(open(path, "rb"))
        if email not in message["To"]:
            continue
        part = message if not message.is_multipart() else message.get_payload()[0]
        match = re.search(r"token=([A-Za-z0-9_-]+)", part.get_payload(decode=True).decode())
        if match:
            token = match.group(1)
    if token:
        break
    import time; time.sleep(0.02)
page = opener.open(base + "/account/confirm?token=" + token).read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
opener.open(base + "/account/confirm", data=urllib.parse.urlencode({"csrf": csrf, "token": token}).encode())
terms = json.loads(opener.open(base + "/api/v1/terms").read())
page = opener.open(base + "/account/terms").read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
opener.open(base + "/account/terms", data=urllib.parse.urlencode(
    {"csrf": csrf, "accept": "yes", "terms_version": terms["terms"]["version"],
     "guidelines_version": terms["guidelines"]["version"], "next": "/"}).encode())
cookie = "; ".join("%s=%s" % (c.name, c.value) for c in jar)
print(cookie.replace(" ", ""), csrf)
