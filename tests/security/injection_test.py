#!/usr/bin/python3
"""XSS and injection corpus (issue 11): every line of hostile_inputs.txt goes
through every reader-facing form (comment, accuracy report, message to the
editors, technical-problem report with the same text as its User-Agent, display
name change, comment report, registration), as a reader and logged out. Then
every page that shows what was stored (the article, the staff queues and each
item in them, the account pages) and every mail the SMTP sink received is
audited: no markup an injection could add (event handlers, scripts, dangerous
URLs, tags the site never writes), no injected mail header or recipient, and
the text itself shown as text.

    MASTHEAD_BIN=build/src/app/masthead python3 tests/security/injection_test.py [--quick]
--quick uses every 4th line (CI); the default uses all of them.
"""
import sys
import time

import masthead_site as ms

failures = []


def check_page(what, page, allowed_tags):
    findings, _ = ms.audit(page.body, allowed_tags)
    for finding in findings:
        failures.append("%s (%s, HTTP %d): %s" % (what, page.url, page.status, finding))
    if page.status >= 500:
        failures.append("%s: HTTP %d" % (what, page.status))


def submit(client, form_page_path, action_suffix, text, allowed_tags, what):
    page = client.get(form_page_path)
    check_page(what + " form", page, allowed_tags)
    forms = [f for f in ms.post_forms(page.body) if f["action"].split("#")[0].split("?")[0].endswith(action_suffix)]
    if not forms:
        failures.append("%s: no form posting to *%s on %s (HTTP %d)" % (what, action_suffix, form_page_path, page.status))
        return None
    form = forms[0]
    answer = client.post(form["action"] or form_page_path, ms.fill(form, text))
    check_page(what + " answer", answer, allowed_tags)
    return answer


def crawl(client, starts, prefixes, allowed_tags, limit):
    """Every page reachable from `starts` under `prefixes`, audited; returns their text."""
    seen, queue, texts = set(), list(starts), []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page = client.get(path)
        if "html" not in (page.headers.get("Content-Type") or ""):
            continue
        check_page("page", page, allowed_tags)
        texts.append(ms.page_text(page.body))
        for prefix in prefixes:
            for link in ms.links(page.body, prefix):
                if link not in seen and "/logout" not in link and "/feed" not in link:
                    queue.append(link)
    return texts, seen


def main():
    quick = "--quick" in sys.argv
    vectors = ms.read_corpus()
    if quick:
        vectors = vectors[::4]
    directory = ms.temp_dir("masthead-injection-")
    sink = ms.SmtpSink(directory)
    env = dict(ms.GENEROUS_LIMITS)
    env.update({"MASTHEAD_MAIL_SMTP_URL": sink.url, "MASTHEAD_MAIL_SUPPORT_DESK": "support@desk.example.org",
                "MASTHEAD_MAIL_EDITORS_DESK": "editors@desk.example.org",
                "MASTHEAD_MAIL_CORRECTIONS_DESK": "corrections@desk.example.org"})
    site = ms.Site(directory, env)
    started = time.monotonic()
    try:
        site.add_user("admin@example.org", "Ada Admin", "admin")
        site.add_user("reader@example.org", "Rita Reader", "reader")
        admin = ms.Client(site)
        admin.log_in_and_accept_terms("admin@example.org")
        reader = ms.Client(site)
        reader.log_in_and_accept_terms("reader@example.org")
        article = "/articles/" + ms.SEED_SLUG

        allowed = ms.site_tags()

        for i, text in enumerate(vectors):
            submit(reader, article, "/comments", text + " (%d)" % i, allowed, "comment")
            submit(reader, article + "/accuracy", "/accuracy", text, allowed, "accuracy report")
            submit(reader, article + "/contact-editors", "/contact-editors", text, allowed, "message to the editors")
            submit(reader, "/account", "/account/name", text[:60], allowed, "name change")
            # A hostile User-Agent (header values cannot carry CR or LF).
            agent = text if "\r" not in text and "\n" not in text else "Mozilla/5.0 " + text.replace("\r", "").replace("\n", "")
            anonymous = ms.Client(site, user_agent=agent)
            submit(anonymous, "/support/report?article=" + ms.SEED_SLUG, "/support/report", text, allowed,
                   "technical-problem report")
            if i < 8:  # registrations are limited per network and hour
                submit(ms.Client(site), "/register", "/register", text[:60], allowed, "registration")
        for comment_link in ms.links(reader.get(article).body, "/comments/")[:5]:
            if comment_link.endswith("/report"):
                submit(reader, comment_link, "/report", vectors[0], allowed, "comment report")

        # Everything stored, as staff and readers see it.
        staff_texts, staff_pages = crawl(admin, ["/staff/support?status=all", "/staff/accuracy", "/staff/messages",
                                                 "/staff/moderation", "/staff/moderation/log", "/staff/mail", article],
                                         ["/staff/"], allowed, 2000)
        reader_texts, reader_pages = crawl(reader, [article, "/account", "/account/moderation", "/corrections"],
                                           [article, "/comments/"], allowed, 400)
        all_text = "\n".join(staff_texts + reader_texts)
        # Shown as text: each single-line vector appears, character for character,
        # on some page (the support ticket pages show every field as typed).
        missing = [v for v in vectors if "\r" not in v and "\n" not in v and v.strip() not in all_text]
        for v in missing:
            failures.append("not shown as text anywhere: %r" % v)

        # Mail: wait until the outbox is drained (the count stops growing), bounded.
        count, stable_since = -1, time.monotonic()
        while time.monotonic() - stable_since < 3 and time.monotonic() - started < 600:
            now = len(sink.received())
            if now != count:
                count, stable_since = now, time.monotonic()
            time.sleep(0.2)
        mails = sink.received()
        if not mails:
            failures.append("no mail received")
        for mail in mails:
            for rcpt in mail["rcpt_tos"]:
                if "victim" in rcpt:
                    failures.append("injected recipient %s in %r" % (rcpt, mail["subject"]))
            for name, value in mail.get("headers", []):
                # The typed text may appear inside the Subject, on its one line; it
                # must never become a header or a line of its own.
                if name.lower() in ("bcc", "cc", "set-cookie") or "\n" in value or "\r" in value:
                    failures.append("injected header %s: %r" % (name, value))
            if mail.get("defects"):
                failures.append("MIME defects %s in %r" % (mail["defects"], mail["subject"]))
            if mail.get("html"):
                for finding in ms.audit(mail["html"])[0]:
                    failures.append("mail %r: %s" % (mail["subject"], finding))
        print("%d vectors, %d staff pages, %d reader pages, %d mails audited in %.0f s"
              % (len(vectors), len(staff_pages), len(reader_pages), len(mails), time.monotonic() - started))
    finally:
        site.stop()
        sink.stop()
        if not failures:
            ms.remove_dir(directory)
    if failures:
        print("%d findings:" % len(failures))
        for f in failures[:200]:
            print("  " + f)
        print("(files kept in %s)" % directory)
        return 1
    print("no findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
