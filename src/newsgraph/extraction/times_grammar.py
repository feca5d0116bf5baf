"""Time-expression grammar: regular expressions built from the word tables in
data/time_words.toml, each paired with a parser that turns a match into a small dict (a
"parse") saying what was written: a calendar date, a weekday, an offset, a span...
Resolution against the publication date happens in times_resolve.

Every rule matches case-insensitively; month words that are also English words ("may",
"march") must be capitalised. Candidates from all rules are merged longest-first.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

from .times_lexicon import alt, lexicon


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    rule: str
    parse: dict


# ----------------------------------------------------------------------------------------
# building blocks

def _blocks() -> dict[str, str]:
    lx = lexicon()
    ones = [w for w, n in lx.numbers.items() if n < 10 and " " not in w and w not in ("a", "an")]
    return {
        "MONTHS": alt(lx.months),
        "WDS": alt(lx.weekdays),
        "PARTS": alt(lx.day_parts),
        "SEASONS": alt(lx.seasons),
        "NUMW": alt(lx.numbers),
        "ONES": alt(ones),
        "TEENS": alt(w for w, n in lx.numbers.items() if 10 <= n <= 19 and " " not in w),
        "TENS": alt(w for w, n in lx.numbers.items() if n in (20, 30, 40, 50, 60, 70, 80, 90)),
        "VAGUEN": alt(lx.vague_numbers),
        "UNITS": alt(lx.units),
        "ORDW": alt(w for w in lx.ordinals if w not in ("last", "final")),
        "APPROX": alt(lx.approx),
        "MODS": alt(lx.modifier_phrases),
        "DECW": alt(lx.decade_words),
        "HOL": alt(list(lx.holidays_fixed) + list(lx.holidays_movable)),
        "VAGUE_DETECT": alt(lx.vague_detect),
        "VAGUE_ALL": alt(lx.vague_normalize),
        "VPER": alt([f"the {w}" for w in lx.vague_past + lx.vague_future] + list(lx.vague_past + lx.vague_future)),
    }


def M(n: str) -> str:
    return rf"(?P<{n}>{{MONTHS}})(?![a-z])\.?"


def D(n: str) -> str:
    return rf"(?P<{n}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d])"


def Y(n: str) -> str:
    return rf"(?<![\w$€£#.,/])(?P<{n}>(?:1[5-9]|20)\d\d)(?![\d])"


def WD(n: str) -> str:
    return rf"(?P<{n}>{{WDS}})(?![a-z])"


def NUM(n: str) -> str:
    return rf"(?P<{n}>\d{{1,3}}(?![\d,])|(?:{{TENS}})(?:[\s-](?:{{ONES}}))?|{{NUMW}})"


def UNIT(n: str) -> str:
    return rf"(?P<{n}>{{UNITS}})"


# Words before a period expression that change it ("since", "around", "early", "the end of").
# Rules flagged "p" look for them to the left of their match.
PRE = r"(?<![\w])(?:(?P<since>since)\s+)?(?:(?P<approx>{APPROX})\s+)?(?:(?P<mod>{MODS})(?:\s*-\s*|\s+))?$"
END = r"(?![\w])"
PART = r"(?:\s+(?P<part>{PARTS}))?"
REL_PUB = r"this\s+past|this\s+coming|this|last|next|coming|past|current"
REL_PREV = r"the\s+next|the\s+following|the\s+previous|the\s+preceding|that\s+same|the\s+same|that"
DIRS = r"ago|later|earlier|before|after|afterwards?|prior|previously|from\s+now|hence|on|back"

# (name, pattern, parser name, modes); modes: "d" used in detection (find_times), "n" used when
# normalising a given span (more lenient), "p" takes PRE words on its left. Order = priority
# between equally long matches.
RULES: list[tuple[str, str, str, str]] = [
    ("my_range", r"(?<![\d/\-])(?P<m1>1[0-2]|0?[1-9])/(?P<y1>\d\d)\s*[-–—]\s*(?P<m2>1[0-2]|0?[1-9])/(?P<y2>\d\d)(?![\d/])",
     "p_my_range", "dn"),
    ("day_range_md", M("m") + r"\s*" + D("d1") + r"\s*(?:-|–|—|to|through|until|and)\s*" + D("d2")
     + r"(?:(?:\s*,\s*|\s+)" + Y("y") + ")?", "p_day_range", "dnp"),
    ("day_range_dm", D("d1") + r"\s*(?:-|–|—|to|and)\s*" + D("d2") + r"\s+(?:of\s+)?" + M("m")
     + r"(?:,?\s+" + Y("y") + ")?", "p_day_range", "dnp"),
    ("month_range", r"(?:(?P<from>from|between)\s+)?" + M("m1") + r"\s*(?P<conn>-|–|—|to|through|until|and)\s*"
     + M("m2") + r",?\s+(?:of\s+)?" + Y("y"), "p_month_range", "dnp"),
    ("year_range", r"(?:(?P<from>from|between)\s+)?" + Y("y1")
     + r"\s*(?P<conn>-|–|—|/|to|through|until|and)\s*(?P<y2>(?:1[5-9]|20)\d\d|\d\d)(?![\d])", "p_year_range", "dnp"),
    ("date_mdy", r"(?:" + WD("wd") + r",?\s+(?:the\s+)?)?" + M("m") + r"\s*" + D("d")
     + r"(?:(?:\s*,\s*|\s+)(?:of\s+)?" + Y("y") + ")?" + PART, "p_date", "dnp"),
    ("date_dmy", r"(?:" + WD("wd") + r",?\s+)?(?:the\s+)?" + D("d") + r"\s+(?:of\s+)?" + M("m")
     + r"(?:,?\s+" + Y("y") + ")?", "p_date", "dnp"),
    ("date_iso", Y("y") + r"(?P<sep>[-/])(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?![\d])", "p_date", "dn"),
    ("date_numeric", r"(?<![\d/.\-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<yy>\d{4}|\d\d)(?![\d/]|\.\d)",
     "p_numeric", "dn"),
    ("month_year", M("m") + r",?\s+(?:of\s+)?" + Y("y"), "p_date", "dnp"),
    ("month_rel_year", M("m") + r"\s+(?:of\s+)?(?P<yrel>last|this|next)\s+year", "p_date", "dnp"),
    ("rel_month", r"(?P<rel>this\s+past|this\s+coming|last|this|next|past|coming)\s+" + M("m") + END, "p_date", "dnp"),
    ("month", M("m") + r"(?:'s|’s)?" + END, "p_date", "dnp"),
    ("year", r"(?:(?P<yl>the\s+year|fiscal(?:\s+year)?|FY|calendar(?:\s+year)?)\s*)?" + Y("y")
     + r"(?:'s|’s)?(?![\w]|-\d|[.,]\d)", "p_year", "dnp"),
    ("decade", r"(?:the\s+)?(?:(?P<dc>(?:1[5-9]|20)\d0)(?:'|’)?s|(?:'|’)(?P<dy>\d0)(?:'|’)?s|(?P<dw>{DECW}))" + END,
     "p_decade", "dnp"),
    ("decade_short", r"(?:(?P<the>the)\s+)?(?P<dy>\d0)s" + END, "p_decade", "dnp"),
    ("century", r"(?:the\s+)?(?:(?P<cn>\d{1,2})(?:st|nd|rd|th)|(?P<cw>{ORDW}))[\s-]+century" + END,
     "p_century", "dnp"),
    ("season", r"(?:(?P<rel>this\s+past|this\s+coming|this|last|next|past|coming|previous|following|that|the)\s+)?"
     + r"(?P<s>{SEASONS})(?:\s+(?:of\s+)?" + Y("y") + ")?" + END, "p_season", "dnp"),
    ("quarter", r"(?:(?P<rel>this\s+year'?s|last\s+year'?s|next\s+year'?s|this|last|next|the)\s+)?"
     + r"(?:(?:the\s+)?" + Y("qy") + r"(?:'s)?\s+)?(?:(?P<qo>first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
     + r"[\s-]+(?:fiscal\s+)?quarter|Q(?P<qn>[1-4]))(?:\s+(?:of\s+)?(?:fiscal\s+)?" + Y("y") + ")?" + END,
     "p_quarter", "dnp"),
    ("quarter_yq", Y("y") + r"\s*[-/]?\s*Q(?P<qn>[1-4])" + END, "p_quarter", "dn"),
    ("half", r"(?:the\s+)?(?P<ho>first|second|last|latter|1st|2nd)\s+half\s+of\s+(?:(?P<rel>this|last|next|the)\s+year|"
     + r"(?:the\s+year\s+)?" + Y("y") + ")" + END, "p_half", "dnp"),
    ("half_h", r"H(?P<hn>[12])\s+" + Y("y") + END, "p_half", "dn"),
    ("weekday", r"(?:(?P<rel>this\s+coming|this\s+past|this|last|next|coming|past|the\s+previous|the\s+following|"
     + r"the\s+next|previous|following)\s+)?" + WD("wd") + r"(?:'s|’s)?" + PART + END, "p_weekday", "dnp"),
    ("dayword", r"(?P<dw>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|tonight|yesterday|tomorrow)"
     + r"(?:'s|’s)?" + PART + END, "p_dayword", "dnp"),
    ("partword", r"(?P<rel>this|last)\s+(?P<part>morning|afternoon|evening|night)" + END, "p_partword", "dnp"),
    # "strikes overnight", "the overnight raids": the night before publication ("an overnight
    # train" is a kind of train)
    ("overnight", r"(?<!\ban\s)(?<!\bAn\s)overnight(?:\s+(?:on\s+)?" + WD("wd") + ")?" + END, "p_overnight", "dnp"),
    ("earlier_this", r"(?P<el>earlier|later)\s+(?:in\s+)?(?P<rel>this|that|the|last|next)\s+(?P<unit>day|week|month|year|decade)" + END,
     "p_earlier_this", "dn"),
    ("earlier_day", r"(?P<el>earlier|later)\s+(?:(?P<dw>today|yesterday|tomorrow|tonight)|" + WD("wd") + ")" + END,
     "p_earlier_day", "dn"),
    ("spelled_year", r"(?:(?P<yl>the\s+year)\s+)?(?P<sy>(?:nineteen|twenty)[\s-]+(?:hundred|{TEENS}|(?:{TENS})"
     + r"(?:[\s-](?:{ONES}))?)|two\s+thousand(?:\s+and)?(?:[\s-]+(?:{TEENS}|{ONES}))?)" + END, "p_spelled_year", "dnp"),
    ("deictic", r"(?P<rel>" + REL_PREV + "|" + REL_PUB + r"|the\s+past|the\s+last|the\s+current|the\s+coming|the\s+present|the)\s+"
     + r"(?P<unit>day|week|weekend|month|year|quarter|decade|century|fiscal\s+year|financial\s+year|morning|afternoon|evening|night)"
     + END, "p_deictic", "dnp"),
    ("yearend", r"(?:the\s+)?year(?:'s|’s)?[\s-]end" + END, "p_yearend", "dnp"),
    ("the_unit_dir", r"the\s+(?P<unit>day|week|month|year|night|morning)\s+(?P<dir>before|after|earlier|later|prior)" + END,
     "p_the_unit_dir", "dn"),
    ("yearago", r"(?:the\s+)?(?P<unit>year|month|quarter)[-‑](?P<dir>ago|earlier)(?:\s+(?P<per>quarter|period|months?|year|level))?" + END,
     "p_yearago", "dn"),
    ("offset", r"(?:(?P<approx>about|around|nearly|almost|roughly|approximately|more\s+than|over|less\s+than|just|only|"
     + r"barely|exactly|at\s+least|under|some)\s+)?(?:(?:" + NUM("n") + r"|(?P<vnum>{VAGUEN}))[\s-]+)?" + UNIT("u")
     + r"\s+(?P<dir>" + DIRS + r")" + END, "p_offset", "dn"),
    ("span", r"(?:(?P<the>the)\s+)?(?P<dir>last|past|previous|next|coming|following|preceding)\s+" + NUM("n") + r"[\s-]+"
     + UNIT("u") + END, "p_span", "dn"),
    ("recent", r"(?P<rw>{VPER})\s+(?P<u>days|weeks|months|years|decades|quarters)(?:\s+and\s+(?:days|weeks|months|years))?" + END,
     "p_recent", "dn"),
    ("holiday", r"(?:(?P<rel>last|this|next)\s+)?(?P<hol>{HOL})(?:,?\s+(?:of\s+)?" + Y("y") + ")?" + END, "p_holiday", "dnp"),
    ("clock", r"(?<![\d:.])(?P<hh>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?)(?![\w])"
     + r"(?:\s+(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST|local\s+time))?(?:\s+(?:on\s+)?(?:" + WD("wd")
     + r"|(?P<dw>today|yesterday|tomorrow)))?", "p_clock", "dn"),
    ("clock_word", r"(?P<cw>noon|midday|midnight)(?:\s+(?:on\s+)?(?:" + WD("wd") + r"|(?P<dw>today|yesterday|tomorrow)))?" + END,
     "p_clock", "dn"),
    ("vague", r"(?<![\w-])(?P<vg>{VAGUE_DETECT})(?![\w-])", "p_vague", "d"),
    ("vague_all", r"(?<![\w-])(?P<vg>{VAGUE_ALL})(?![\w-])", "p_vague", "n"),
    ("period", r"(?:the\s+)?(?:(?P<adj>latest\s+fiscal|current\s+fiscal|latest|recent|current|same|comparable|corresponding|"
     + r"full|fiscal|year-earlier|year-ago|(?:1[5-9]|20)\d\d)\s+)?(?P<per>quarter|period|year)" + END, "p_period", "n"),
    ("duration", r"(?:(?P<approx>about|around|nearly|almost|roughly|approximately|more\s+than|over|less\s+than|at\s+least|"
     + r"under|up\s+to)\s+)?(?:" + NUM("n") + r"|(?P<vnum>{VAGUEN}))[\s-]+" + UNIT("u") + r"(?:[\s-]long)?(?![\w-])",
     "p_duration", "dn"),
    ("set", r"(?<![\w-])(?P<set>daily|weekly|monthly|annually|yearly|nightly|hourly|every\s+(?:other\s+|single\s+)?(?:"
     + NUM("n") + r"\s+)?" + UNIT("u") + r"|every\s+" + WD("wd") + r"|each\s+(?P<eu>day|week|month|year|night)|"
     + r"(?:once|twice|\w+\s+times)\s+(?:a|per)\s+(?P<pu>day|week|month|year))(?![\w-])", "p_set", "dn"),
]





# ----------------------------------------------------------------------------------------
# helpers for parsers

def _g(m: re.Match, name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:
        return None


def _month(m: re.Match, name: str = "m") -> int | None:
    word = _g(m, name)
    if not word:
        return None
    if word.isdigit():
        return int(word)
    key = word.lower().rstrip(".")
    lx = lexicon()
    if key in lx.month_homographs and not word[0].isupper():
        return None
    if key == "may" and word == "MAY":
        return None
    return lx.months.get(key)


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    w = word.lower()
    if w.isdigit():
        return int(w)
    lx = lexicon()
    w = re.sub(r"\s+", " ", w)
    if w in lx.numbers:
        return lx.numbers[w]
    total = 0
    for part in re.split(r"[\s-]", w):
        if part not in lx.numbers:
            return None
        total += lx.numbers[part]
    return total


def _unit(word: str) -> str:
    return lexicon().units[word.lower()]


def _rel(word: str | None) -> str | None:
    if not word:
        return None
    w = re.sub(r"\s+", " ", word.lower())
    return {"this past": "last", "past": "last", "previous": "last", "this coming": "next", "coming": "next",
            "following": "next", "current": "this", "the current": "this", "the present": "this",
            "the next": "prev_next", "the following": "prev_next", "the previous": "prev_last",
            "the preceding": "prev_last", "that": "prev_same", "the same": "prev_same",
            "that same": "prev_same", "the past": "span", "the last": "span", "the coming": "next",
            }.get(w, w)


def _prefix(m: re.Match) -> dict:
    """since / approx / mod found by PRE to the left of an expression."""
    out = {}
    if _g(m, "since"):
        out["since"] = True
    if _g(m, "approx"):
        out["approx"] = True
    mod = _g(m, "mod")
    if mod:
        key = re.sub(r"^(the\s+)?", "", mod.lower()).split()[0].rstrip("-")
        if key in ("early", "later", "latter") and "part" in mod.lower():
            key = "early" if key == "early" else "late"
        out["mod"] = lexicon().modifiers.get(key, key)
    return out


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z]+)[\s,-]*$", text[max(0, pos - 30):pos])
    return m.group(1).lower() if m else ""


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"\s*([A-Za-z]+)", text[pos:pos + 30])
    return m.group(1).lower() if m else ""


def _next_word_lower(text: str, pos: int) -> bool:
    """Is the next word a lowercase word (the expression is used as an adjective)?"""
    m = re.match(r"\s+([a-z][a-z-]*)", text[pos:pos + 30])
    return bool(m)


def _adjectival(text: str, pos: int) -> bool:
    """Is the expression followed by a lowercase content word ("the 1996 campaign")?"""
    return _next_word_lower(text, pos) and _next_word(text, pos) not in lexicon().function_words


def _two_digit_year(yy: int, ref_year: int | None) -> int:
    if ref_year is None:
        return 2000 + yy if yy < 50 else 1900 + yy
    return 2000 + yy if 2000 + yy <= ref_year + 1 else 1900 + yy


# ----------------------------------------------------------------------------------------
# parsers: (match, text, mode) -> parse dict or None (reject)

def p_date(m, text, mode, pre):
    month = _month(m)
    if month is None:
        return None
    day = int(m.group("d")) if _g(m, "d") else None
    year = int(m.group("y")) if _g(m, "y") else None
    out = {"t": "cal", "y": year, "m": month, "d": day, **pre}
    if _g(m, "wd"):
        out["wd"] = lexicon().weekdays[m.group("wd").lower()]
    if _g(m, "part"):
        out["part"] = lexicon().day_parts[m.group("part").lower()]
    if _g(m, "rel"):
        out["rel"] = _rel(m.group("rel"))
    if _g(m, "yrel"):
        out["yrel"] = {"last": -1, "this": 0, "next": 1}[m.group("yrel").lower()]
    bare = year is None and day is None and not out.get("rel") and "yrel" not in out
    if bare and mode == "d" and not (out.get("mod") or out.get("since") or out.get("approx")):
        word = m.group("m").rstrip(".")
        if len(word) <= 3 and word.lower() != "may":
            return None  # "Jan Kavan": a bare abbreviation is not a month
        prev = _prev_word(text, m.start())
        adjectival = prev in ("a", "an", "the") or text[max(0, m.start() - 3):m.start()] in ("'s ", "’s ")
        if not (prev in lexicon().month_leads or (adjectival and _adjectival(text, m.end()))):
            return None
        if prev == "the" and not _adjectival(text, m.end()):
            return None  # "The March to Raqqa"
    return out


def p_numeric(m, text, mode, pre):
    a, b, yy = int(m.group("a")), int(m.group("b")), m.group("yy")
    if m.group("sep") == "." and len(yy) == 2:
        return None
    year = int(yy) if len(yy) == 4 else _two_digit_year(int(yy), None)
    if a > 12 and b <= 12:
        day, month = a, b
    elif b > 12 and a <= 12:
        month, day = a, b
    elif a <= 12 and b <= 12:
        # ambiguous: dotted dates are day-first (European), slashed ones month-first (US)
        day, month = (a, b) if m.group("sep") == "." else (b, a)
    else:
        return None
    return {"t": "cal", "y": year, "m": month, "d": day}


def p_my_range(m, text, mode, pre):
    y1, y2 = int(m.group("y1")), int(m.group("y2"))
    m1, m2 = int(m.group("m1")), int(m.group("m2"))
    if (y2, m2) <= (y1, m1) or y2 - y1 > 20:
        return None
    return {"t": "range", "a": {"t": "cal", "yy": y1, "m": m1}, "b": {"t": "cal", "yy": y2, "m": m2}}


def p_day_range(m, text, mode, pre):
    month = _month(m)
    if month is None:
        return None
    d1, d2 = int(m.group("d1")), int(m.group("d2"))
    if d2 <= d1:
        return None
    year = int(m.group("y")) if _g(m, "y") else None
    return {"t": "range", "a": {"t": "cal", "y": year, "m": month, "d": d1},
            "b": {"t": "cal", "y": year, "m": month, "d": d2}, **pre}


def p_month_range(m, text, mode, pre):
    m1, m2 = _month(m, "m1"), _month(m, "m2")
    if m1 is None or m2 is None:
        return None
    if m.group("conn").lower() == "and" and (_g(m, "from") or "").lower() != "between":
        return None
    year = int(m.group("y"))
    y1 = year if m1 <= m2 else year - 1
    return {"t": "range", "a": {"t": "cal", "y": y1, "m": m1}, "b": {"t": "cal", "y": year, "m": m2}, **pre}


def p_year_range(m, text, mode, pre):
    y1 = int(m.group("y1"))
    raw2 = m.group("y2")
    conn = m.group("conn").lower()
    if conn == "and" and (_g(m, "from") or "").lower() != "between":
        return None
    y2 = int(raw2) if len(raw2) == 4 else (y1 // 100) * 100 + int(raw2)
    if len(raw2) == 2 and conn not in ("-", "–", "—", "/"):
        return None
    if not (y1 < y2 <= y1 + 100):
        return None
    if _next_word(text, m.end()) in lexicon().not_year_followers:
        return None
    return {"t": "range", "a": {"t": "cal", "y": y1}, "b": {"t": "cal", "y": y2}, **pre}


def p_year(m, text, mode, pre):
    y = int(m.group("y"))
    out = {"t": "cal", "y": y, "m": None, "d": None, **pre}
    before = text[max(0, m.start() - 12):m.start()]
    glued = re.search(r"(\w+)-$", before)
    if (glued and glued.group(1).lower() not in ("post", "pre", "mid", "early", "late")) or before.endswith(("$", "#", "€", "£")):
        return None
    after = text[m.end():m.end() + 2]
    if after.startswith(("%", " %")):
        return None
    if _next_word(text, m.end()) in lexicon().not_year_followers:
        return None
    if _prev_word(text, m.start()) in lexicon().not_year_leads and not pre:
        return None  # "Resolution 1973", "Brigade 1990"
    if mode == "d" and not (out.get("mod") or out.get("since") or out.get("approx") or _g(m, "yl")):
        prev = _prev_word(text, m.start())
        nxt = text[m.end():m.end() + 1]
        follower = _next_word(text, m.end())
        adjectival = (_next_word_lower(text, m.end()) and not re.fullmatch(r"[a-z]+[^s]s", follower))  # "1996 campaign"
        if prev not in lexicon().year_leads and not adjectival and not (nxt == "" or nxt in ",.;:)!?'’\"”\n"):
            return None
    if _g(m, "yl") and "fiscal" in m.group("yl").lower():
        out["fiscal"] = True
    return out


def p_decade(m, text, mode, pre):
    out = {"t": "decade", **pre}
    if _g(m, "dy") and not _g(m, "dc") and m.group(0)[0].isdigit():  # "80s" without an apostrophe
        if not (_g(m, "the") or pre.get("mod")):
            return None
        if re.search(r"\b(?:his|her|their|its|my|our|your)\s+(?:early|mid|late)?[\s-]*$", text[max(0, m.start() - 25):m.start()],
                     re.IGNORECASE):
            return None  # "in his late 70s": an age
    if _g(m, "dc"):
        out["y0"] = int(m.group("dc"))
    elif _g(m, "dy"):
        out["dy"] = int(m.group("dy"))
    else:
        out["dy"] = lexicon().decade_words[m.group("dw").lower()]
    return out


def p_century(m, text, mode, pre):
    n = int(m.group("cn")) if _g(m, "cn") else lexicon().ordinals[m.group("cw").lower()]
    if not 1 <= n <= 22:
        return None
    return {"t": "century", "c": n - 1, **pre}


def p_season(m, text, mode, pre):
    word = m.group("s").lower()
    rel = _rel(_g(m, "rel"))
    year = int(m.group("y")) if _g(m, "y") else None
    out = {"t": "season", "s": lexicon().seasons[word], "y": year, "rel": rel, **pre}
    if year is None:
        if word == "fall" and rel in (None, "the"):
            return None
        if rel == "the" and re.match(r"\s+of\b", text[m.end():]):
            return None  # "the fall of Raqqa"
        if rel is None and mode == "d" and not (out.get("mod") or out.get("since")):
            if _prev_word(text, m.start()) not in lexicon().month_leads:
                return None
        if mode == "d" and rel in (None, "the") and _adjectival(text, m.end()):
            return None  # "the winter offensive", "summer camps"
    return out


def p_quarter(m, text, mode, pre):
    qo = (_g(m, "qo") or "").lower()
    q = int(m.group("qn")) if _g(m, "qn") else {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                                                 "fourth": 4, "4th": 4, "final": 4, "last": 4}[qo]
    year = int(m.group("y")) if _g(m, "y") else (int(m.group("qy")) if _g(m, "qy") else None)
    rel = (_g(m, "rel") or "").lower()
    out = {"t": "quarter", "q": q, "y": year, **pre}
    if rel.startswith(("this year", "last year", "next year")):
        out["yrel"] = {"this": 0, "last": -1, "next": 1}[rel.split()[0]]
    elif qo in ("last", "final") and year is None:
        out = {"t": "deictic", "unit": "quarter", "rel": "last", **pre}
    elif rel in ("last", "next", "this") and year is None:
        out["yrel"] = {"this": 0, "last": -1, "next": 1}[rel]
    return out


def p_half(m, text, mode, pre):
    ho = (_g(m, "ho") or "").lower()
    h = int(m.group("hn")) if _g(m, "hn") else (1 if ho in ("first", "1st") else 2)
    year = int(m.group("y")) if _g(m, "y") else None
    out = {"t": "half", "h": h, "y": year, **pre}
    rel = (_g(m, "rel") or "").lower()
    if rel:
        out["yrel"] = {"this": 0, "the": 0, "last": -1, "next": 1}[rel]
    return out


def p_weekday(m, text, mode, pre):
    out = {"t": "weekday", "wd": lexicon().weekdays[m.group("wd").lower()], "rel": _rel(_g(m, "rel")),
           **pre}
    if _g(m, "part"):
        out["part"] = lexicon().day_parts[m.group("part").lower()]
    return out


def p_dayword(m, text, mode, pre):
    w = re.sub(r"\s+", " ", m.group("dw").lower())
    off = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
           "the day after tomorrow": 2}[w]
    out = {"t": "dayword", "off": off, **pre}
    if w == "tonight":
        out["part"] = "NI"
    if _g(m, "part"):
        out["part"] = lexicon().day_parts[m.group("part").lower()]
    return out


def p_overnight(m, text, mode, pre):
    if _g(m, "wd"):               # "overnight on Tuesday": Tuesday night
        return {"t": "weekday", "wd": lexicon().weekdays[m.group("wd").lower()], "rel": None, "part": "NI", **pre}
    return {"t": "overnight", **pre}


def p_partword(m, text, mode, pre):
    rel = m.group("rel").lower()
    part = lexicon().day_parts[m.group("part").lower()]
    off = -1 if rel == "last" and part == "NI" else 0
    if rel == "last" and part != "NI":
        return None
    return {"t": "dayword", "off": off, "part": part, **pre}


def p_earlier_this(m, text, mode, pre):
    rel = m.group("rel").lower()
    unit = m.group("unit").lower()
    base = {"this": "this", "the": "this", "last": "last", "next": "next", "that": "prev_same"}[rel]
    return {"t": "deictic", "unit": unit, "rel": base, "cut": "before" if m.group("el").lower() == "earlier" else "after"}


def p_earlier_day(m, text, mode, pre):
    if _g(m, "wd"):
        out = {"t": "weekday", "wd": lexicon().weekdays[m.group("wd").lower()], "rel": None}
    else:
        w = m.group("dw").lower()
        out = {"t": "dayword", "off": {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]}
    out["mod"] = "early" if m.group("el").lower() == "earlier" else "late"
    return out


def p_spelled_year(m, text, mode, pre):
    words = re.split(r"[\s-]+", m.group("sy").lower())
    if words[0] == "two":  # two thousand (and) seven
        rest = [w for w in words[2:] if w != "and"]
        year = 2000 + (_number(" ".join(rest)) or 0 if rest else 0)
        if mode == "d" and not _g(m, "yl") and _prev_word(text, m.start()) not in lexicon().year_leads:
            return None
    else:
        rest = words[1:]
        low = 0 if rest == ["hundred"] else _number("-".join(rest))
        if low is None:
            return None
        year = {"nineteen": 1900, "twenty": 2000}[words[0]] + low
    if _next_word(text, m.end()) in lexicon().not_year_followers:
        return None
    return {"t": "cal", "y": year, "m": None, "d": None, **pre}


def p_deictic(m, text, mode, pre):
    rel = _rel(m.group("rel"))
    unit = re.sub(r"\s+", " ", m.group("unit").lower())
    unit = "year" if unit in ("fiscal year", "financial year") else unit
    out = {"t": "deictic", "unit": unit, "rel": rel, **pre}
    if unit in ("morning", "afternoon", "evening", "night"):
        if not rel.startswith("prev_"):
            return None
        out["unit"] = "day"
        out["part"] = lexicon().day_parts[unit]
    if rel == "the" and unit != "weekend" and mode == "d" and not out.get("mod"):
        return None
    if rel == "the" and unit == "quarter":
        return None  # "the quarter" is the reported period (see p_period), not the current one
    if rel == "this" and unit == "day" and _prev_word(text, m.start()) == "to":
        return {"t": "ref", "value": "PRESENT_REF"}
    if rel == "last" and unit != "weekend" and m.group("rel").lower() == "past":
        out["rel"] = "span"  # "over past year"
    return out


def p_yearend(m, text, mode, pre):
    return {"t": "deictic", "unit": "year", "rel": "this", **pre, "mod": "end"}


def p_the_unit_dir(m, text, mode, pre):
    unit = m.group("unit").lower()
    d = m.group("dir").lower()
    step = -1 if d in ("before", "earlier", "prior") else 1
    out = {"t": "offset", "n": 1, "unit": "day" if unit in ("night", "morning") else unit, "dir": step, "base": "prev",
           "word": d}
    if unit in ("night", "morning"):
        out["part"] = lexicon().day_parts[unit]
    return out


def p_yearago(m, text, mode, pre):
    return {"t": "yearago", "unit": m.group("unit").lower(), "per": (_g(m, "per") or "").lower()}


def p_offset(m, text, mode, pre):
    unit_word = m.group("u").lower()
    n = _number(_g(m, "n"))
    vnum = _g(m, "vnum")
    d = re.sub(r"\s+", " ", m.group("dir").lower())
    if n is None and not vnum:
        if not unit_word.endswith("s") or unit_word in ("hours", "minutes"):
            return None  # "year ago" without a number is not an expression
        vnum = "bare"  # "years ago", "days later"
    if n == 0:
        return None
    if d in ("before", "after") and _prev_word(text, m.start()) in lexicon().duration_verbs:
        return None  # "stayed for two days before crossing": a duration, not an offset
    step = -1 if d in ("ago", "earlier", "before", "prior", "previously", "back") else 1
    base = "pub" if d in ("ago", "from now", "hence", "back") else "prev"
    out = {"t": "offset", "n": n, "unit": _unit(unit_word), "dir": step, "base": base, "word": d}
    if vnum:
        out["vague"] = vnum.lower()
    if _g(m, "approx") and _g(m, "approx").lower() not in ("exactly", "just", "only"):
        out["approx"] = True
    return out


def p_span(m, text, mode, pre):
    n = _number(m.group("n"))
    if not n:
        return None
    d = m.group("dir").lower()
    if m.group("n").lower() in ("a", "an"):
        return None
    if d in ("previous", "preceding", "following") and m.group("the"):
        base = "prev"
    else:
        base = "pub"
    step = -1 if d in ("last", "past", "previous", "preceding") else 1
    return {"t": "span", "n": n, "unit": _unit(m.group("u")), "dir": step, "base": base}


def p_recent(m, text, mode, pre):
    rw = re.sub(r"^the\s+", "", m.group("rw").lower())
    rw = re.sub(r"\s+", " ", rw)
    ref = "FUTURE_REF" if rw in lexicon().vague_future else "PAST_REF"
    return {"t": "recent", "unit": _unit(m.group("u")), "ref": ref}


def p_holiday(m, text, mode, pre):
    name = re.sub(r"\s+", " ", m.group("hol").lower()).replace("’", "'")
    lx = lexicon()
    out = {"t": "holiday", "y": int(m.group("y")) if _g(m, "y") else None, "rel": _rel(_g(m, "rel")),
           **pre}
    if name in lx.holidays_fixed:
        out["fixed"] = lx.holidays_fixed[name]
    else:
        out["movable"] = lx.holidays_movable[name]
    if mode == "d":
        if not m.group("hol")[0].isupper():
            return None
        if not out["y"] and _next_word_lower(text, m.end()) and _next_word(text, m.end()) not in lexicon().function_words:
            return None  # "the Christmas market": a name, not a date
    return out


def p_clock(m, text, mode, pre):
    if _g(m, "cw"):
        w = m.group("cw").lower()
        hh, mi = (0, 0) if w == "midnight" else (12, 0)
    else:
        hh = int(m.group("hh")) % 12
        mi = int(m.group("mi") or 0)
        if m.group("ampm").lower().startswith("p"):
            hh += 12
    out = {"t": "clock", "hh": hh, "mi": mi}
    if _g(m, "wd"):
        out["day"] = {"t": "weekday", "wd": lexicon().weekdays[m.group("wd").lower()], "rel": None}
    elif _g(m, "dw"):
        out["day"] = {"t": "dayword", "off": {"today": 0, "yesterday": -1, "tomorrow": 1}[m.group("dw").lower()]}
    return out


def p_vague(m, text, mode, pre):
    key = re.sub(r"\s+", " ", m.group("vg").lower())
    table = lexicon().vague_detect if mode == "d" else lexicon().vague_normalize
    return {"t": "ref", "value": table[key]}


def p_period(m, text, mode, pre):
    adj = re.sub(r"\s+", " ", (_g(m, "adj") or "").lower())
    return {"t": "period", "per": m.group("per").lower(), "adj": adj}


def p_duration(m, text, mode, pre):
    n = _number(_g(m, "n"))
    vnum = _g(m, "vnum")
    if n is None and not vnum:
        return None
    nw = (_g(m, "n") or "").lower()
    if nw in ("a", "an"):
        lead = _prev_word(text, m.start())
        if mode == "d" and lead not in ("for", "within", "over", "after", "than", "lasting", "about", "nearly",
                                        "almost", "spent", "served", "took", "takes", "in", "just", "only"):
            return None
    after = _next_word(text, m.end())
    if after in ("old", "olds") or text[m.end():m.end() + 4] in ("-old",):
        return None
    unit = _unit(m.group("u"))
    out = {"t": "duration", "n": n, "unit": unit}
    if vnum:
        out["vague"] = vnum.lower()
    if _g(m, "approx"):
        out["approx"] = True
    return out


def p_set(m, text, mode, pre):
    s = m.group("set").lower()
    words = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year",
             "nightly": "day", "hourly": "hour"}
    if s in words:
        return {"t": "set", "unit": words[s], "n": 1}
    if _g(m, "wd"):
        return {"t": "set", "wd": lexicon().weekdays[m.group("wd").lower()]}
    unit = _g(m, "u") or _g(m, "eu") or _g(m, "pu")
    n = _number(_g(m, "n")) or (2 if "other" in s else 1)
    u = _unit(unit) if unit.lower() in lexicon().units else "day"
    return {"t": "set", "unit": u, "n": n}


# ----------------------------------------------------------------------------------------
# compiled rules and the candidate finder

@functools.lru_cache(maxsize=1)
def compiled() -> tuple[list[tuple[str, re.Pattern, Callable, str, int]], re.Pattern]:
    """The rules as (name, regex, parser, modes, priority), and the prefix regex."""
    blocks = _blocks()

    def fill(pattern: str) -> str:
        for key, val in blocks.items():
            pattern = pattern.replace("{" + key + "}", val)
        return pattern
    rules = []
    for prio, (name, pattern, parser, modes) in enumerate(RULES):
        regex = fill(pattern)
        if not regex.startswith("(?<"):
            regex = r"(?<![\w])" + regex  # only at word starts (and much faster)
        rules.append((name, re.compile(regex, re.IGNORECASE), globals()[parser], modes, prio))
    return rules, re.compile(fill(PRE), re.IGNORECASE)


PREFIX_WINDOW = 40
_KEEP_DOT = re.compile(r"(?<![\w])(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|[a-z])\.$", re.IGNORECASE)


def candidates(text: str, mode: str = "d") -> list[Candidate]:
    """All non-overlapping time expressions in text, longest first, then in text order.
    mode "d" (detection in running text) or "n" (normalising a given span: more lenient)."""
    rules, prefix_re = compiled()
    found = []
    for name, regex, parser, modes, prio in rules:
        if mode not in modes:
            continue
        for m in regex.finditer(text):
            if m.end() == m.start():
                continue
            start, end = m.start(), m.end()
            pre: dict = {}
            if "p" in modes and start > 0:
                left = prefix_re.search(text, max(0, start - PREFIX_WINDOW), start)
                if left is not None and left.start() < start:
                    pre = _prefix(left)
                    start = left.start()
            parse = parser(m, text, mode, pre)
            if parse is None:
                continue
            while end > start and text[end - 1] in " \t\n,":
                end -= 1
            if text[end - 1] == "." and not _KEEP_DOT.search(text, start, end):
                end -= 1  # sentence full stop after "mid-July."
            found.append((-(end - start), prio, start, end, name, parse))
    found.sort(key=lambda f: f[:4])
    taken: list[tuple[int, int]] = []
    chosen = []
    for _, _, start, end, name, parse in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append(Candidate(start, end, name, parse))
    chosen.sort(key=lambda c: c.start)
    return chosen
