#!/usr/bin/python3
"""Runs Debian's wapiti (3.0.4) with one fix: its exclusion patterns (-x) put
the regular-expression flags at the end, which Python 3.11 refuses
("global flags not at the start"), so every run with -x crashes. Arguments as
for wapiti."""
import re
import sys

import wapitiCore.net.crawler as crawler
from wapitiCore.main.wapiti import wapiti_main


def wildcard_translate(pattern):
    return re.compile("(?ms)" + "".join(".*" if c == "*" else re.escape(c) for c in pattern) + r"\Z")


crawler.wildcard_translate = wildcard_translate
sys.argv[0] = "wapiti"
sys.exit(wapiti_main())
