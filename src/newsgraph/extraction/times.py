"""Time expressions: find them in a document and normalise them to intervals.

    find_times(text, published, published_precision="day") -> list[TimeExpr]
    normalize(text, anchor, previous=None, *, context="") -> TimeExpr | None

A TimeExpr keeps its surface span, its kind (date / duration / set / time), the interval it
denotes (first and last day, inclusive, ISO strings), the precision of what was said and a
TIMEX3-style value ("2017-09-25", "2017-W39", "2017-08", "2017-SU", "2017-Q3", "2013",
"201" for the 2010s, "P2W", "PAST_REF"). Precision is never invented: "late 2013" is an
interval with year precision, and a relative date in an undated article stays unresolved
(start_date None, anchor "unresolved", text kept).

Pure functions over read-only tables (data/time_words.toml); safe in a process pool.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from .times_grammar import Candidate, candidates
from .times_lexicon import lexicon
from .times_resolve import Context, Res, resolve

__all__ = ["TimeExpr", "find_times", "normalize"]


@dataclass(frozen=True)
class TimeExpr:
    text: str                 # surface text
    start: int                # character offsets in the input text
    end: int
    kind: str                 # "date" | "duration" | "set" | "time"
    start_date: str | None    # ISO first day of the interval, None if unresolved / open
    end_date: str | None      # ISO last day of the interval (inclusive), None if unresolved / open
    precision: str | None     # "day"|"week"|"month"|"season"|"quarter"|"half"|"year"|"decade"|"century"
    value: str | None         # TIMEX3-style value
    anchor: str               # "absolute" | "publication" | "previous" | "unresolved"
    modifier: str | None      # "early"|"mid"|"late"|"end"|"start"|"approx"|"since"|None

    @property
    def resolved(self) -> bool:
        return self.start_date is not None or self.end_date is not None


def _expr(text: str, start: int, end: int, res: Res) -> TimeExpr:
    anchor = res.anchor
    if res.start is None and res.end is None and res.kind in ("date", "time"):
        anchor = "unresolved"
    return TimeExpr(
        text=text[start:end], start=start, end=end, kind=res.kind,
        start_date=res.start.isoformat() if res.start else None,
        end_date=res.end.isoformat() if res.end else None,
        precision=res.precision if (res.start or res.end) else None,
        value=res.value, anchor=anchor, modifier=res.modifier,
    )


# ----------------------------------------------------------------------------------------
# sentences and paragraphs (only what anchoring needs)

_ABBREV = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mr", "mrs",
           "ms", "dr", "gen", "col", "lt", "sgt", "st", "jr", "sr", "no", "inc", "corp", "co", "ltd", "vs",
           "gov", "sen", "rep", "prof", "capt", "maj", "adm", "ft", "mt", "u.s", "u.n", "u.k", "a.m", "p.m")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n")


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for m in _BOUNDARY.finditer(text):
        if m.group(0) != "\n":
            word = re.search(r"([\w.]+)\.$", text[max(0, m.start() - 12):m.start()])
            if word and (word.group(1).lower() in _ABBREV or len(word.group(1)) == 1):
                continue
        starts.append(m.end())
    return starts


def _containing(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return starts[lo]


# ----------------------------------------------------------------------------------------
# public API

def _can_anchor(e: TimeExpr) -> bool:
    return (e.kind in ("date", "time") and e.start_date is not None and e.end_date is not None
            and e.precision is not None and e.value not in ("PAST_REF", "PRESENT_REF", "FUTURE_REF"))


def _merge_offsets(cands: list[Candidate], text: str) -> list[Candidate]:
    """'two days after March 3': glue an offset with after/before to the expression it governs."""
    out: list[Candidate] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if (c.rule == "offset" and c.parse.get("word") in ("after", "before") and nxt is not None
                and not text[c.end:nxt.start].strip() and nxt.parse["t"] in ("cal", "weekday", "holiday", "dayword")):
            out.append(Candidate(c.start, nxt.end, "offset_on", {"t": "offset_on", "offset": c.parse, "base": nxt.parse}))
            i += 2
            continue
        out.append(c)
        i += 1
    return out


def _publication(published, precision: str | None) -> tuple[dt.date | None, str]:
    """A date (a datetime counts as its day) and a precision we know ('day' if finer or unknown)."""
    if isinstance(published, dt.datetime):
        published = published.date()
    if precision not in ("day", "week", "month", "season", "quarter", "half", "year", "decade", "century"):
        precision = "day"
    return published, precision


def find_times(text: str, published: dt.date | None, published_precision: str = "day") -> list[TimeExpr]:
    """All time expressions in `text`, normalised against the publication date.

    `published_precision` says how precisely the publication date is known ("day", "month",
    "year"); expressions finer than that (e.g. "yesterday" when only the month is known)
    stay unresolved."""
    published, published_precision = _publication(published, published_precision)
    starts = _sentence_starts(text)
    out: list[TimeExpr] = []
    previous: TimeExpr | None = None
    for c in _merge_offsets(candidates(text, "d"), text):
        sent = _containing(starts, c.start)
        if previous is not None and "\n" in text[previous.end:c.start]:
            previous = None  # anchoring stays inside the paragraph
        ctx = Context(pub=published, pub_precision=published_precision, previous=previous,
                      prev_same_sentence=previous is not None and previous.start >= sent,
                      left=text[sent:c.start])
        expr = _expr(text, c.start, c.end, resolve(c.parse, ctx))
        out.append(expr)
        if _can_anchor(expr):
            previous = expr
    return out


def normalize(text: str, anchor: dt.date | None, previous: TimeExpr | None = None, *,
              context: str = "", previous_in_sentence: bool = True,
              anchor_precision: str = "day") -> TimeExpr | None:
    """Normalise one time expression (e.g. an annotated span).

    `anchor` is the publication date, `previous` the resolved expression before it in the
    same paragraph ("three days later" counts from it), `previous_in_sentence` whether that
    one is in the same sentence (only then does it lend its year to "June 14"), `context`
    the text of the sentence before the expression (tense cues: "will meet on Friday").
    The most complete reading of `text` is used; None if nothing in it is a time expression."""
    anchor, anchor_precision = _publication(anchor, anchor_precision)
    cands = _merge_offsets(candidates(text, "n"), text)
    if not cands:
        return None
    best = max(cands, key=lambda c: (c.parse["t"] != "ref", c.end - c.start, -c.start))
    ctx = Context(pub=anchor, pub_precision=anchor_precision, previous=previous,
                  prev_same_sentence=previous is not None and previous_in_sentence,
                  left=context + text[:best.start])
    return _expr(text, best.start, best.end, resolve(best.parse, ctx))


@functools.lru_cache(maxsize=1)
def _warm() -> bool:
    """Load the tables and compile the grammar (e.g. once per worker process)."""
    from .times_grammar import compiled
    lexicon()
    compiled()
    return True
