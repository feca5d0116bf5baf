"""What pages leave inside a line of article text: the opening and the furniture runs.

Many texts are one long line (pasted, or flattened by an aggregator): the publication date,
the repeated headline, the agency credit and the dateline open it ("Wed 05 Apr 2017 <title>.
BEIRUT (Reuters) - ..."), and share counters, tag lists, design credits and newsletter boxes
sit between its sentences. ``opening(text, start, title)`` reads the opening of the line
that starts at ``start``; ``inline_furniture(text, start, end)`` finds the furniture runs
in a line. Both return ``Piece``s (raw offsets, kind, reason) for the cleaner to remove;
the rules are data (``data/furniture.toml``: ``[opening]``, ``[[inline]]``,
``data/news_agencies.toml``).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from newsgraph.cleaning.textmeta import MONTHS, PublishedDate


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    kind: str
    reason: str


@dataclass
class Opening:
    pieces: list[Piece] = field(default_factory=list)
    published: PublishedDate | None = None
    dateline_place: str | None = None
    agencies: list[tuple[str, str, int, int]] = field(default_factory=list)   # (name, evidence, start, end)


def _data(name: str) -> dict:
    return tomllib.loads(resources.files("newsgraph.data").joinpath(name).read_text("utf-8"))


@cache
def agencies() -> dict[str, str]:
    """Spellings of news agencies (lower case) -> the agency's name."""
    out = {}
    for entry in _data("news_agencies.toml")["agency"]:
        for form in [entry["name"], *entry.get("forms", [])]:
            out[form.lower()] = entry["name"]
    return out


def _agency_pattern() -> str:
    forms = sorted(agencies(), key=len, reverse=True)
    return "(?i:" + "|".join(re.escape(f) for f in forms) + r")\b"


_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = r"(?:,?\s*(?:at\s+)?(?:[0-2]?\d[:.][0-5]\d|[0-2]\d[0-5]\d(?=\s*[AP]M))(?:\s*[ap]\.?m\.?)?(?:\s*(?-i:GMT|UTC|[A-Z]{2,4})\b)?(?:\s*[+-]\d{2}:?\d{2})?)?"
# a full date, as outlets open their articles with it
_DATES = [
    _WEEKDAY + "?" + _DAY + r"\s+(?P<month>" + _MONTH + r"),?\s+" + _YEAR,          # Wed 05 Apr 2017
    _WEEKDAY + "?(?P<month>" + _MONTH + r")\s+" + _DAY + r",?\s+" + _YEAR,          # Fri Sep 27, 2013
    r"(?P<month>" + _MONTH + r")\s+(?P<day>[0-3]\d)(?P<year>(?:19|20)\d\d)",         # Apr 092017 (glued)
    r"(?P<day>[0-3]?\d)(?P<sep>[-./])(?P<mnum>[01]?\d)(?P=sep)" + _YEAR,              # 24.08.2013, 6-09-2013
    _YEAR + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)",                                    # 2017-04-05
]


@cache
def _opening_rules():
    data = _data("furniture.toml")["opening"]
    cue = "(?:" + "|".join(data["date_cues"]) + r")\s*:?\s*"
    # named groups repeat across alternatives: number them apart
    parts = []
    for n, d in enumerate(_DATES):
        parts.append("(?:" + re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}{n}>", d).replace(
            "(?P=sep)", f"(?P=sep{n})") + ")")
    date_re = "(?:" + "|".join(parts) + ")"
    # "Posted on <date> by <name>": two capitalised words at most (the body follows without a break)
    by = r"(?:\s+by\s+(?P<by>(?-i:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)))?"
    updated = r"(?:\s*\(updated[^)]{0,40}\))?"
    published = re.compile(r"(?P<cue>" + cue + r")?" + date_re + _TIME + updated + by + r"[\s.:|-]*", re.I)
    agency = _agency_pattern()
    # BEIRUT, Oct 3 (Reuters) -   WASHINGTON (Sputnik) —   Aleppo SANA-   DAMASCUS, (SANA) -
    place = r"(?P<place>[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*){0,3})"
    when = r"(?:,?\s*(?:" + _MONTH + r"\s+\d{1,2}|\d{1,2}\s+" + _MONTH + r")(?:,?\s*(?:19|20)\d\d)?)?"
    dateline = re.compile(
        place + when + r",?\s*(?:\((?P<agency>" + agency + r"|[A-Z][\w .&-]{1,30})\)\s*[-–—:]+|(?<![\w'’.-])(?P<agency_bare>"
        + agency + r")\s*[-–—:]+)(?!\s*based\b)\s*", re.I)   # a bare agency is a word: "Syria-based" is no dateline
    credit = re.compile(r"(?P<agency>" + agency + r")(?:\s+news agency)?\s*[-–—:]*\s+(?=[A-Z0-9])", re.I)
    return published, dateline, credit


def _published(m: re.Match) -> PublishedDate | None:
    groups = {re.sub(r"\d+$", "", k): v for k, v in m.groupdict().items() if v is not None}
    try:
        if groups.get("mnum"):
            day, month = int(groups["day"]), int(groups["mnum"])
        else:
            day, month = int(groups["day"]), MONTHS[groups["month"].lower().rstrip(".")]
        return PublishedDate(date(int(groups["year"]), month, day).isoformat(), "day")
    except (KeyError, ValueError):
        return None


def _fold(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


def _title_end(text: str, pos: int, title: str | None) -> int | None:
    """Where a repeat of the known headline at ``pos`` ends (punctuation of the two may differ)."""
    if not title:
        return None
    want = _fold(title.removeprefix("title:").strip())
    if len(want) < 12:
        return None
    words = want.split()
    got = []
    for m in re.finditer(r"\w+", text[pos:pos + len(title) * 2 + 20]):
        got.append(m.group().lower())
        if got == words[:len(got)]:
            if len(got) == len(words):
                end = pos + m.end()
                tail = re.match(r"[\s.:|-]*", text[end:])
                return end + tail.end()
        else:
            return None
    return None


def opening(text: str, start: int, end: int, title: str | None = None, max_steps: int = 6) -> Opening:
    """The publication date, repeated title, agency credit and dateline at the start of the
    line ``text[start:end]`` (each at most once, in any order)."""
    published_re, dateline_re, credit_re = _opening_rules()
    found = Opening()
    pos = start
    seen: set[str] = set()
    for _ in range(max_steps):
        window = text[pos:end]
        lead = len(window) - len(window.lstrip())
        pos += lead
        window = text[pos:end]
        if not window:
            break
        if "date" not in seen and (m := published_re.match(window)) and (value := _published(m)):
            seen.add("date")
            found.published = value
            found.pieces.append(Piece(pos, pos + m.end(), "dateline", f"publication date {value.value}"))
            if m.group("by"):
                found.agencies.append((m.group("by"), m.group(0).strip(), pos, pos + m.end()))
            pos += m.end()
            continue
        if "title" not in seen and (stop := _title_end(text, pos, title)) is not None and text[stop:end].strip():
            seen.add("title")
            found.pieces.append(Piece(pos, stop, "title", "the headline repeated at the start of the text"))
            pos = stop
            continue
        if "dateline" not in seen and (m := dateline_re.match(window)):
            name = m.group("agency") or m.group("agency_bare")
            agency = agencies().get(name.lower().strip(), name.strip())
            place = m.group("place")
            if place.isupper() or agency.lower() in (a.lower() for a in agencies().values()):
                seen.add("dateline")
                found.dateline_place = place.title() if place.isupper() else place
                found.agencies.append((agency, m.group(0).strip(), pos, pos + m.end()))
                found.pieces.append(Piece(pos, pos + m.end(), "dateline",
                                          f"dateline: reported from {found.dateline_place}, credits {agency}"))
                pos += m.end()
                continue
        if "credit" not in seen and (m := credit_re.match(window)):
            rest = window[m.end():]
            first = rest.split(" ", 1)[0]
            if first[:1].isupper() or published_re.match(rest):
                seen.add("credit")
                agency = agencies()[m.group("agency").lower()]
                found.agencies.append((agency, m.group(0).strip(), pos, pos + m.end()))
                found.pieces.append(Piece(pos, pos + m.end(), "credit", f"credits {agency} as the source"))
                pos += m.end()
                continue
        if "date" not in seen and (hit := _headline_before_date(window, 30 if "title" not in seen else 10)):
            stop, agency = hit
            if "title" not in seen:
                seen.add("title")
                found.pieces.append(Piece(pos, pos + stop, "title", "the headline at the start of the text"))
            elif agency and len(window[:stop].split()) > 4:
                pass                # a standfirst before the byline ("... AFP Tuesday 6 Aug 2013"): text
            elif agency:
                seen.add("dateline")
                found.dateline_place = window[:stop].strip()
                found.pieces.append(Piece(pos, pos + stop, "dateline",
                                          f"dateline: reported from {found.dateline_place}"))
            else:
                found.pieces.append(Piece(pos, pos + stop, "label", "section labels before the publication date"))
            pos += stop
            continue
        break
    return found


_PREPOSITIONS = {"on", "since", "until", "till", "by", "from", "of", "in", "before", "after", "to", "between",
                 "and", "at", "during", "as"}


def _headline_before_date(window: str, max_words: int = 30, reach: int = 220) -> tuple[int, bool] | None:
    """Where a headline ends when the publication date (or an agency credit and the date)
    follows it near the start: "<headline> AFP Sunday 27 Apr 2014 <body>". Not when the date
    is part of a sentence ("... killed on Sunday 27 Apr 2014"). An agency credit right before
    the date is a byline, so a headline and a standfirst may run longer before it (40 words)."""
    published_re, _, _ = _opening_rules()
    for m in published_re.finditer(window[:2 * reach]):
        if m.start() == 0 or _published(m) is None:
            continue
        head = window[:m.start()]
        words = head.split()
        agency = re.search(r"(?i)(?:" + _agency_pattern() + r")(?:\s+news agency)?\s*[-–—:]*\s*$", head)
        limit, span = (max(2 * max_words, 40), 2 * reach) if agency else (max_words, reach)
        if not words or len(words) > limit or m.start() > span or re.search(r"[.!?]\s", head):
            return None
        if words[-1].lower() in _PREPOSITIONS:
            return None
        stop = agency.start() if agency else m.start()
        if not window[:stop].strip():
            return None
        return stop, agency is not None
    return None


# ------------------------------------------------------------------------------ inline runs

@dataclass(frozen=True)
class InlineRule:
    kind: str
    reason: str
    pattern: re.Pattern
    run: bool          # the match opens a run of title-like words (tags, other headlines)
    to_end: bool       # the furniture goes on to the end of the line
    credit: bool       # the named group "name" is a credited source


_NAME = r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|al|el|bin|de|van|von)){0,2}"
_NAMES = _NAME + r"(?:(?:,\s*|\s+and\s+)" + _NAME + r"){0,2}"


@cache
def inline_rules() -> tuple[InlineRule, ...]:
    agency = _agency_pattern()
    return tuple(
        InlineRule(r["kind"], r["reason"], re.compile(r["pattern"].replace("{agency}", agency).replace("{names}", _NAMES)),
                   bool(r.get("run")), bool(r.get("to_end")), bool(r.get("credit")))
        for r in _data("furniture.toml")["inline"])


@cache
def _function_words() -> frozenset[str]:
    return frozenset(_data("furniture.toml")["opening"]["function_words"])


def _run_end(text: str, pos: int, end: int, max_words: int = 30) -> int | None:
    """The end of a run of title-like words (a tag list, other headlines) from ``pos``: the
    first capitalised word that opens a sentence (itself a function word, "The", "At", or
    followed within three words by a lower-case function word, "Fourteen members of the").
    None when no sentence starts within ``max_words``; the line's end when the line ends first."""
    words = list(re.finditer(r"\S+", text[pos:end]))
    fw = _function_words()
    for i, w in enumerate(words[:max_words + 1]):
        token = w.group().strip("\"“”'‘’(),")
        if i == 0 or not token[:1].isupper():
            continue
        nxt = [x.group().strip("\"“”'‘’(),") for x in words[i + 1:i + 4]]
        if token.lower() in fw or any(n in fw for n in nxt):
            return pos + w.start()
    if len(words) <= max_words:
        return end
    return None


def inline_furniture(text: str, start: int, end: int) -> list[tuple[Piece, str | None]]:
    """Furniture runs inside the line ``text[start:end]``, each with the source it credits."""
    out: list[tuple[Piece, str | None]] = []
    for rule in inline_rules():
        for m in rule.pattern.finditer(text, start, end):
            stop = m.end()
            if rule.to_end:
                stop = end
            elif rule.run:
                stop = _run_end(text, m.end(), end)
                if stop is None:
                    continue
            name = None
            found = (m.groupdict().get("name") or m.groupdict().get("name2") or "").strip()
            if rule.credit and found:
                name = agencies().get(found.lower(), found)
            out.append((Piece(m.start(), stop, rule.kind, rule.reason), name))
    out.sort(key=lambda p: (p[0].start, -p[0].end))
    kept: list[tuple[Piece, str | None]] = []
    for piece, name in out:
        if kept and piece.start < kept[-1][0].end:
            continue
        kept.append((piece, name))
    return kept
