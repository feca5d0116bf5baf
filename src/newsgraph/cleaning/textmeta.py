"""Metadata found in the lines of pasted text: bylines and datelines.

"By Sophie Mangal", "Global Research, September 28, 2017", "January 6, 2018 | News",
"YPG Press Office | January 6, 2018", "Anatolia Wire | 28 Kasım 2017" (month names of several
languages, from data/month_names.toml). Only full dates written as dates count: a date that
cannot be found stays unknown.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources

def _months() -> dict[str, int]:
    """Month spellings of every language in data/month_names.toml -> month number."""
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("month_names.toml").read_text("utf-8"))
    out: dict[str, int] = {}
    for months in data["months"].values():
        for number, names in enumerate(months, start=1):
            for name in names:
                out.setdefault(name, number)
    return out


MONTHS = _months()
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(st|nd|rd|th)?,?\s+(?P<year>(19|20)\d\d)", re.I),
    re.compile(r"(?P<day>\d{1,2})(st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(19|20)\d\d)", re.I),
    re.compile(r"(?P<year>(19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)"),
]
DATE_TEXT = r"(?:%s)" % "|".join(p.pattern.replace("?P<", "?P<_") for p in _DATE_PATTERNS[:2])
DATE_TEXT = re.sub(r"\(\?P<_\w+>", "(?:", DATE_TEXT)


@dataclass(frozen=True)
class PublishedDate:
    value: str  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    precision: str  # day | month | year


def parse_date(text: str) -> PublishedDate | None:
    """A full written date in ``text`` (the first one), or None."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        month = int(groups["mnum"]) if groups.get("mnum") else MONTHS[groups["month"].lower()]
        try:
            d = date(int(groups["year"]), month, int(groups["day"]))
        except ValueError:
            continue
        return PublishedDate(d.isoformat(), "day")
    return None


_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al|el|bin|ibn|da|di|du|le|la)){0,4}"
BYLINE = re.compile(r"^(?i:by|written by|words by)\s+(?P<author>" + _NAME + r"(?:\s*(?:,|and|&)\s*" + _NAME + r")*)\s*$")
_SEP = r"\s*[|•·–—-]\s*"
DATELINES = [
    # "Global Research, September 28, 2017"
    re.compile(r"^(?P<source>[A-Z][^,|]{1,60}),\s*(?P<date>" + DATE_TEXT + r")\s*$", re.I),
    # "January 6, 2018 | News"
    re.compile(r"^[•·*\-–]?\s*(?P<date>" + DATE_TEXT + r")" + _SEP + r"(?P<section>[A-Z][\w &/-]{0,40})$", re.I),
    # "YPG Press Office | January 6, 2018"
    re.compile(r"^(?P<source>[A-Z][^|•·]{1,60}?)" + _SEP + r"(?P<date>" + DATE_TEXT + r")\s*$", re.I),
    # "September 28, 2017" alone on a line
    re.compile(r"^[•·*\-–]?\s*(?P<date>" + DATE_TEXT + r")\s*$", re.I),
]


@dataclass(frozen=True)
class Dateline:
    date: PublishedDate
    source: str | None
    section: str | None


def parse_byline(line: str) -> str | None:
    m = BYLINE.match(line.strip())
    return m.group("author").strip() if m else None


def parse_dateline(line: str) -> Dateline | None:
    line = line.strip()
    for pattern in DATELINES:
        m = pattern.match(line)
        if not m:
            continue
        parsed = parse_date(m.group("date"))
        if parsed is None:
            continue
        groups = m.groupdict()
        source = (groups.get("source") or "").strip() or None
        return Dateline(parsed, source, (groups.get("section") or "").strip() or None)
    return None
