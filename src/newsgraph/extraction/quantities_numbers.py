"""Tokens, masked spans and number values for quantity extraction.

A token is a run of digits (with the decimal, grouping, fraction and scientific forms a number
can take), a word, or one other character. ``glued`` says the token touches the previous one.
Masks are character spans that never hold a quantity: clock times, phone numbers, numeric
dates, URLs and e-mail addresses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from newsgraph.extraction.quantities_lexicon import Lexicon

_FRACTION_CHARS = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
NUM = (
    r"\d+(?:\.\d+)?\s?[x×]\s?(?:10\^[-−]?\d+|10[-−]\d+|\d+\^[-−]?\d+)"  # 2.48×10−5, 8x2^10
    r"|\d+(?:\.\d+)?[eE][-+−]?\d+(?![\w])"                               # 4e14
    r"|\d+ \d+/\d+(?![\d/])"                                             # 2 1/2
    r"|\d+/\d+(?![\d/])"                                                 # 1/4
    rf"|\d*[{_FRACTION_CHARS}]"                                          # 2½, ⅓
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])"                             # 1,500,000
    r"|\d{1,3}(?: \d{3})+(?![\d,.])"                                     # 10 000
    r"|\d+(?:\.\d+)?"
)
TOKEN_RE = re.compile(rf"(?P<num>{NUM})|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)|(?P<sym>\S)")

MASK_RES = (
    re.compile(r"(?<![\w.,:])\d{1,2}(?:[:.]\d{2})?\s?[aApP]\.?[mM]\.?(?![\w])"),  # 2 pm, 3:01 pm
    re.compile(r"(?<![\w.,:])\d{1,2}:\d{2}(?::\d{2})?(?![\d])"),                  # 14:30
    re.compile(r"(?<![\w.,])\d{4}-\d{2}-\d{2}(?![\d])"),                          # 2017-09-28
    re.compile(r"(?<![\w.,/])\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?![\d])"),            # 28/09/2017
    re.compile(r"(?<![\w.,])\+\d{1,3}(?:[\s.-]?\(?\d{2,4}\)?){2,5}(?![\d])"),     # +90 212 555 12 34
    re.compile(r"(?<![\w.,])\(?\d{3}\)?[\s.-]\d{3}[.-]\d{4}(?![\d])"),            # (555) 123-4567
    re.compile(r"(?<![\w.,-])\d{3}-\d{4}(?![\d-])"),                              # 555-1234
    re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+"),                         # URL, e-mail
)


@dataclass(frozen=True)
class Tok:
    text: str
    kind: str          # "num" | "word" | "sym"
    start: int
    end: int
    glued: bool        # no space between this token and the previous one

    @property
    def low(self) -> str:
        return self.text.lower()


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    prev_end = -1
    for m in TOKEN_RE.finditer(text):
        toks.append(Tok(m.group(), m.lastgroup or "sym", m.start(), m.end(), m.start() == prev_end))
        prev_end = m.end()
    return toks


def masked_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for rx in MASK_RES for m in rx.finditer(text)]
    return sorted(spans)


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _minus(s: str) -> str:
    return s.replace("−", "-")


def digit_value(text: str, lex: Lexicon) -> float | None:
    """Value of a numeric token, or None (division by zero, date-like fraction is decided later)."""
    t = _minus(text)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s?[x×]\s?(\d+)\^?(-?\d+)", t)
    if m:
        return float(m.group(1)) * float(m.group(2)) ** int(m.group(3))
    m = re.fullmatch(r"(\d+) (\d+)/(\d+)", t)
    if m:
        den = int(m.group(3))
        return int(m.group(1)) + int(m.group(2)) / den if den else None
    m = re.fullmatch(r"(\d+)/(\d+)", t)
    if m:
        den = int(m.group(2))
        return int(m.group(1)) / den if den else None
    if t and t[-1] in lex.unicode_fractions:
        return (int(t[:-1]) if t[:-1] else 0) + lex.unicode_fractions[t[-1]]
    try:
        return float(t.replace(",", "").replace(" ", ""))
    except ValueError:
        return None


def date_like_fraction(text: str) -> bool:
    """'6/14', '24/7', '20/12' read as day/month or month/day, not as fractions."""
    m = re.fullmatch(r"(\d+)/(\d+)", text)
    if not m:
        return False
    a, b = int(m.group(1)), int(m.group(2))
    if b == 0:
        return True
    return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= a <= 31 and 1 <= b <= 12)


@dataclass(frozen=True)
class WordNumber:
    value: float
    start: int          # first token index
    end: int            # index after the last token
    bare_one: bool      # just "one"/"a"/"an" meaning 1, needs a noun or unit to count
    fraction: bool = False


def word_number(toks: list[Tok], i: int, lex: Lexicon) -> WordNumber | None:
    """Parse a spelled-out cardinal starting at token i: 'a hundred and two', 'twenty-one',
    'three million, two hundred & forty', 'two and a half', 'two thirds', 'two dozen'."""
    n = len(toks)

    def low(k: int) -> str:
        return toks[k].low if k < n else ""

    def is_num_word(k: int) -> bool:
        return k < n and toks[k].kind == "word" and (low(k) in lex.small or low(k) in lex.tens)

    j = i
    total = 0.0
    current = 0.0
    last = None
    if low(i) in ("a", "an"):
        if low(i + 1) in lex.scales or low(i + 1) in lex.groups:
            current, last, j = 1.0, "a", i + 1
        else:
            return None
    while j < n:
        t = toks[j]
        w = t.low
        if t.kind == "word" and (w in lex.small or w in lex.tens):
            v = lex.small.get(w, lex.tens.get(w, 0))
            if last == "tens" and v < 10 and v > 0:
                current += v
                last = "unit"
            elif last in (None, "hundred", "scale", "and"):
                current += v
                last = "tens" if w in lex.tens else "unit"
            else:
                break
            j += 1
            continue
        if t.kind == "word" and w == "hundred" and last in ("unit", "tens", "a"):
            current = (current or 1) * 100
            last = "hundred"
            j += 1
            continue
        if t.kind == "word" and w in lex.scales and w != "hundred" and last in ("unit", "tens", "hundred", "a"):
            total += (current or 1) * lex.scales[w]
            current = 0.0
            last = "scale"
            j += 1
            continue
        if t.kind == "word" and w in lex.groups and last in ("unit", "tens", "a"):
            current = (current or 1) * lex.groups[w]
            last = "group"
            j += 1
            continue
        if w in ("and", "&", ",") and last in ("hundred", "scale") and is_num_word(j + 1):
            last = "and"
            j += 1
            continue
        if t.text in ("-", "‑") and last == "tens" and toks[j].glued and j + 1 < n and toks[j + 1].glued \
                and 0 < lex.small.get(low(j + 1), 0) < 10:
            j += 1
            continue
        break
    if last in (None, "and", "a"):
        return None
    value = total + current
    # fractions: "two thirds", "one-half", "three halves"
    k = j
    if k < n and toks[k].text == "-" and toks[k].glued and k + 1 < n and toks[k + 1].glued:
        k += 1
    if last in ("unit", "tens") and k < n and low(k) in lex.fractions and total == 0:
        return WordNumber(value / lex.fractions[low(k)], i, k + 1, False, True)
    # "two and a half"
    if low(j) == "and" and low(j + 1) == "a" and low(j + 2) in lex.fractions:
        return WordNumber(value + 1 / lex.fractions[low(j + 2)], i, j + 3, False)
    bare = j == i + 1 and toks[i].low == "one"
    return WordNumber(value, i, j, bare)
