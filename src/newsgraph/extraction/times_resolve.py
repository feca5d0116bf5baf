"""Resolve a parsed time expression (see times_grammar) to an interval, precision and
TIMEX3-style value, using the publication date and the previous resolved expression.

Anchoring rules (DESIGN.md precision rule):
* explicit calendar expressions with a year resolve on their own ("absolute");
* deictic ones ("last week", "Friday", "September 25") need the publication date; without
  it (or when it is coarser than the expression) they stay unresolved;
* "later / earlier / after / before / the next day / that year" anchor on the previous
  resolved expression of the same paragraph ("previous"), never on publication;
* a month-day or month without year takes the year of a specific previous expression of
  the paragraph when there is one, else the most recent such date not after publication
  (or the next one when the sentence speaks of the future: "will", "scheduled"...).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from typing import Any

from . import times_calendar as cal
from .times_calendar import ORDER, UNIT_PRECISION, Period
from .times_lexicon import alt, lexicon

# with a future cue, a future reading is taken up to this far ahead (days, by what is chosen)
FUTURE_WINDOW_DAYS = {"day": 300, "month": 300, "season": 100, "quarter": 100, "half": 100}
FUTURE_BIAS = 3  # without a cue, the next reading wins only when this many times closer than the last
PAST_TENSE_AHEAD_DAYS = 31  # ...and, in a past-tense clause, only within a month ("was extended to Nov. 16")


@dataclass(frozen=True)
class Context:
    pub: dt.date | None
    pub_precision: str = "day"
    previous: Any = None  # a TimeExpr (duck-typed: start_date, end_date, precision, value, anchor)
    prev_same_sentence: bool = False
    left: str = ""  # text of the sentence before the expression


@dataclass(frozen=True)
class Res:
    kind: str = "date"
    start: dt.date | None = None
    end: dt.date | None = None
    precision: str | None = None
    value: str | None = None
    anchor: str = "unresolved"
    modifier: str | None = None
    period: Period | None = None


UNRESOLVED = Res()


def _from(p: Period, anchor: str, kind: str = "date") -> Res:
    return Res(kind, p.start, p.end, p.precision, p.value, anchor, None, p)


@functools.lru_cache(maxsize=1)
def _cue_res() -> tuple[re.Pattern, re.Pattern]:
    lx = lexicon()
    future = re.compile(rf"(?<![\w'])(?:{alt(lx.future_cues)})(?![\w])", re.IGNORECASE)
    past = re.compile(rf"(?<![\w'])(?:{alt(lx.past_cues)}|\w{{3,}}ed)(?![\w])", re.IGNORECASE)
    return future, past


_CLAUSE = re.compile(r"[;:\"“”()]|``|''|\b(?:said|says|told|added|since|because|who|which|when|after|while|although)\b",
                     re.IGNORECASE)
_REPORTED = re.compile(r"\b(?:said|told|announced|predicted|reported|confirmed|denied|\w+ed)\s+(?:on\s+)?$",
                       re.IGNORECASE)


def _tense(ctx: Context) -> str | None:
    """'future' when the clause before the expression speaks of the future ("will meet on
    Friday", "is scheduled for March 3"), 'past' when it is in the past tense ("said
    Friday", "left on November 2"), else None."""
    if _REPORTED.search(ctx.left):
        return "past"
    clause = _CLAUSE.split(ctx.left)[-1]
    future, past = _cue_res()
    if future.search(clause):
        return "future"
    if past.search(clause):
        return "past"
    return None


def _direction(ctx: Context) -> str:
    return "future" if _tense(ctx) == "future" else "past"


def _pub_ok(ctx: Context, precision: str) -> bool:
    if ctx.pub is None:
        return False
    prec = {"weekend": "day", "season": "month"}.get(precision, precision)
    return ORDER.index(ctx.pub_precision) <= ORDER.index(prec)


def _prev_period(ctx: Context) -> Period | None:
    p = ctx.previous
    if p is None or p.start_date is None or p.end_date is None or p.precision not in ORDER:
        return None
    return Period(p.precision, dt.date.fromisoformat(p.start_date), dt.date.fromisoformat(p.end_date), p.value or "")


def _context_interval(ctx: Context) -> tuple[dt.date, dt.date] | None:
    """A previous expression of the same sentence, precise to the day or month and not
    itself read off the publication date, lends its year to a partial date
    ("flew in on June 11, 2015 and moved on to Gaziantep on June 14")."""
    p = ctx.previous
    if (p is None or p.start_date is None or p.end_date is None or p.anchor not in ("absolute", "previous")
            or p.precision not in ("day", "month")):
        return None
    start, end = dt.date.fromisoformat(p.start_date), dt.date.fromisoformat(p.end_date)
    if not ctx.prev_same_sentence and (ctx.pub is None or start.year == ctx.pub.year):
        # an earlier sentence of the paragraph lends its year only to a story told in another
        # year than the publication's ("... on June 11, 2015. On June 14 he travelled on")
        return None
    return start, end


def _distance(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def _choose_year(build, ctx: Context, need: str) -> tuple[int, str] | None:
    """Pick a year for a partial date (month-day, month, season, quarter...).

    `build(y)` gives the (start, end) of the reading in year y, or None. With a dated
    previous expression in the sentence, the reading nearest to it wins ("previous").
    Otherwise the most recent reading that starts on or before publication wins, unless
    the clause speaks of the future (a cue word and a reading within FUTURE_WINDOW_DAYS), or
    the next reading is much closer than the last one (FUTURE_BIAS times closer: "Congress
    reconvenes Jan. 24" in an article of Jan. 13) and, if the clause is in the past tense,
    within a month (deadlines: "the offer was extended to Nov. 16")."""
    ref = _context_interval(ctx)
    tense = _tense(ctx)
    future_cue = tense == "future"
    if ref is not None and not future_cue:
        cands = [(y, build(y)) for y in range(ref[0].year - 1, ref[0].year + 2)]
        cands = [(y, se) for y, se in cands if se]
        if cands:
            return min(cands, key=lambda c: (_distance(c[1], ref), -c[0]))[0], "previous"
    if not _pub_ok(ctx, need):
        return None
    pub = ctx.pub
    cands = [(y, build(y)) for y in (pub.year - 1, pub.year, pub.year + 1)]
    cands = [(y, se) for y, se in cands if se]
    past = [c for c in cands if c[1][0] <= pub]
    future = [c for c in cands if c[1][0] > pub]
    last = max(past, key=lambda c: c[1][0]) if past else None
    nxt = min(future, key=lambda c: c[1][0]) if future else None
    if nxt is None:
        return (last[0], "publication") if last else None
    ahead = (nxt[1][0] - pub).days
    if last is None:
        return nxt[0], "publication"
    behind = _distance(last[1], (pub, pub))
    if future_cue and ahead <= FUTURE_WINDOW_DAYS.get(need, 300):
        return nxt[0], "publication"
    if ahead * FUTURE_BIAS < behind and (tense is None or ahead <= PAST_TENSE_AHEAD_DAYS):
        return nxt[0], "publication"
    return last[0], "publication"


def _with_part(r: Res, part: str | None) -> Res:
    """'Friday night': a time of day; the interval and value stay those of the day."""
    return replace(r, kind="time") if part else r


# ----------------------------------------------------------------------------------------
# per-type resolvers

def r_cal(p: dict, ctx: Context) -> Res:
    y, m, d = p.get("y"), p.get("m"), p.get("d")
    if p.get("yy") is not None:
        y = _two_digit_year(p["yy"], ctx.pub.year if ctx.pub else None)
    if y is not None:
        if m is None:
            return _from(cal.year(y), "absolute")
        if d is None:
            return _from(cal.month(y, m), "absolute")
        date = cal.safe_date(y, m, d)
        return _with_part(_from(cal.day(date), "absolute"), p.get("part")) if date else UNRESOLVED
    if m is None:
        return UNRESOLVED
    partial = f"XXXX-{m:02d}" + (f"-{d:02d}" if d else "")

    def build(year):
        if d is None:
            return dt.date(year, m, 1), dt.date(year, m, cal.last_day(year, m))
        date = cal.safe_date(year, m, d)
        return (date, date) if date else None

    need = "month" if d is None else "day"
    anchor = "publication"
    if "yrel" in p:
        if not _pub_ok(ctx, "year"):
            return Res(value=partial)
        y = ctx.pub.year + p["yrel"]
    elif p.get("rel") in ("last", "next", "this"):
        if not _pub_ok(ctx, "month"):
            return Res(value=partial)
        pm = ctx.pub.month
        y = ctx.pub.year
        if p["rel"] == "last" and m >= pm:
            y -= 1
        if p["rel"] == "next" and m <= pm:
            y += 1
    else:
        chosen = _choose_year(build, ctx, need)
        if chosen is None:
            return Res(value=partial)
        y, anchor = chosen
    se = build(y)
    if se is None:
        return Res(value=partial)
    period = cal.month(y, m) if d is None else cal.day(se[0])
    return _with_part(_from(period, anchor), p.get("part"))


def _two_digit_year(yy: int, ref_year: int | None) -> int:
    if ref_year is None:
        return 2000 + yy if yy < 50 else 1900 + yy
    return 2000 + yy if 2000 + yy <= ref_year + 1 else 1900 + yy


def r_range(p: dict, ctx: Context) -> Res:
    a, b = r_cal(p["a"], ctx), r_cal(p["b"], ctx)
    if a.start is None or b.start is None:
        value = f"{a.value}/{b.value}" if a.value and b.value else None
        return Res(value=value)
    if b.end < a.start:
        return UNRESOLVED
    precision = a.precision if ORDER.index(a.precision) <= ORDER.index(b.precision) else b.precision
    anchors = {a.anchor, b.anchor}
    anchor = "previous" if "previous" in anchors else "publication" if "publication" in anchors else "absolute"
    return Res("date", a.start, b.end, precision, f"{a.value}/{b.value}", anchor)


def r_weekday(p: dict, ctx: Context) -> Res:
    wd, rel = p["wd"], p.get("rel")
    partial = f"XXXX-WXX-{wd + 1}"
    if rel in ("prev_last", "prev_next"):
        prev = _prev_period(ctx)
        if prev is None:
            return Res(value=partial)
        if rel == "prev_last":
            date = prev.start - dt.timedelta(days=(prev.start.weekday() - wd - 1) % 7 + 1)
        else:
            date = prev.end + dt.timedelta(days=(wd - prev.end.weekday() - 1) % 7 + 1)
        return _with_part(_from(cal.day(date), "previous"), p.get("part"))
    ref = _context_interval(ctx)
    if rel is None and ref is not None and ref[0] == ref[1] and (not _pub_ok(ctx, "day") or abs((ctx.pub - ref[0]).days) > 7):
        # "flew in on January 2, 2015 and crossed on Tuesday": the Tuesday after that day
        date = ref[0] + dt.timedelta(days=(wd - ref[0].weekday()) % 7)
        return _with_part(_from(cal.day(date), "previous"), p.get("part"))
    if _pub_ok(ctx, "day"):
        pub = ctx.pub
        back = (pub.weekday() - wd) % 7  # days back to the most recent such weekday (0 = today)
        ahead = (wd - pub.weekday()) % 7
        if rel == "last":
            date = pub - dt.timedelta(days=back or 7)
        elif rel == "next":
            date = pub + dt.timedelta(days=ahead or 7)
        elif rel == "this":
            date = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=wd)
        elif _direction(ctx) == "future":
            date = pub + dt.timedelta(days=ahead)
        else:
            date = pub - dt.timedelta(days=back)
        return _with_part(_from(cal.day(date), "publication"), p.get("part"))
    prev = _prev_period(ctx)
    if prev is not None and prev.precision == "day" and ctx.previous.anchor in ("absolute", "previous"):
        date = prev.start + dt.timedelta(days=(wd - prev.start.weekday()) % 7)
        return _with_part(_from(cal.day(date), "previous"), p.get("part"))
    return Res(value=partial)


def r_dayword(p: dict, ctx: Context) -> Res:
    if not _pub_ok(ctx, "day"):
        return UNRESOLVED
    return _with_part(_from(cal.day(ctx.pub + dt.timedelta(days=p["off"])), "publication"), p.get("part"))


def r_overnight(p: dict, ctx: Context) -> Res:
    """The night that ends on the day of publication: that day or the evening before."""
    if not _pub_ok(ctx, "day"):
        return UNRESOLVED
    start = ctx.pub - dt.timedelta(days=1)
    return replace(_from(Period("day", start, ctx.pub, f"{start.isoformat()}TNI"), "publication"), kind="time")


def _unit_period(d: dt.date, unit: str) -> Period:
    if unit == "weekend":
        return cal.weekend(d - dt.timedelta(days=(d.weekday() - 5) % 7))
    return cal.containing(d, UNIT_PRECISION[unit])


def _weekend_before(pub: dt.date) -> Period:
    sat = pub - dt.timedelta(days=1)
    sat -= dt.timedelta(days=(sat.weekday() - 5) % 7)
    return cal.weekend(sat)


def r_deictic(p: dict, ctx: Context) -> Res:
    unit, rel = p["unit"], p["rel"]
    if rel == "the" and unit == "day":
        rel = "prev_same" if _prev_period(ctx) else "this"
    if rel.startswith("prev_"):
        prev = _prev_period(ctx)
        if prev is None:
            return UNRESOLVED
        if unit == "weekend":
            base = _weekend_before(prev.start + dt.timedelta(days=7)) if rel != "prev_last" else _weekend_before(prev.start)
            res = _from(base, "previous")
        else:
            base = cal.containing(prev.start, UNIT_PRECISION[unit])
            step = {"prev_same": 0, "prev_next": 1, "prev_last": -1}[rel]
            res = _from(cal.shift(base, step, unit) if step else base, "previous")
        res = _cut(res, p.get("cut"), prev.start)
        return _with_part(res, p.get("part"))
    if rel == "span":
        return r_span({"n": 1, "unit": "week" if unit == "weekend" else unit, "dir": -1, "base": "pub"}, ctx)
    if not _pub_ok(ctx, "day" if unit == "weekend" else UNIT_PRECISION[unit]):
        return UNRESOLVED
    pub = ctx.pub
    if unit == "weekend":
        this = cal.weekend(pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=5))
        if rel == "this":
            base = this
        elif rel == "next":
            base = cal.shift(this, 1, "week")
        else:
            base = _weekend_before(pub)
        return _from(base, "publication")
    base = cal.containing(pub, UNIT_PRECISION[unit])
    step = {"this": 0, "the": 0, "last": -1, "next": 1}.get(rel, 0)
    res = _from(cal.shift(base, step, unit) if step else base, "publication")
    return _with_part(_cut(res, p.get("cut"), pub), p.get("part"))


def _cut(res: Res, cut: str | None, ref: dt.date) -> Res:
    """'earlier this year' ends at the reference day, 'later this year' starts there."""
    if not cut or res.start is None or not (res.start <= ref <= res.end):
        return res
    if cut == "before":
        return replace(res, end=ref)
    return replace(res, start=ref)


def _vague_interval(anchor: dt.date, unit: str, step: int, vague: str) -> tuple[dt.date | None, dt.date | None]:
    """'a few days ago' -> 2..7 days back; bare 'years ago' -> at least 2 years back."""
    near = cal._shift_date(anchor, 2 * step, unit)
    far = None if vague in ("bare", "many", "numerous") else cal._shift_date(anchor, 7 * step, unit)
    return (far, near) if step < 0 else (near, far)


def r_offset(p: dict, ctx: Context) -> Res:
    n, unit, step = p.get("n"), p["unit"], p["dir"]
    vague = p.get("vague")
    approx = "approx" if p.get("approx") or vague else None
    prec = UNIT_PRECISION[unit]
    if p["base"] == "pub":
        prev = _prev_period(ctx)
        if unit == "year" and n == 1 and prev is not None and prev.precision in ("quarter", "half"):
            return _from(cal.shift(prev, -1, "year"), "previous")  # "... from $5m a year ago"
        if not _pub_ok(ctx, prec):
            return Res(value="PAST_REF" if vague and step < 0 else None)
        if vague:
            s, e = _vague_interval(ctx.pub, unit, step, vague)
            ref = "PAST_REF" if step < 0 else "FUTURE_REF"
            return Res("date", s, e, "year" if prec in ("decade", "century") else prec, ref, "publication", approx)
        res = _from(cal.offset_period(ctx.pub, step * n, unit), "publication")
        return replace(res, modifier=approx)
    prev = _prev_period(ctx)
    if prev is None:
        if step < 0:  # "a year earlier" with nothing before it: earlier than the report
            return r_offset({**p, "base": "pub"}, ctx)
        return UNRESOLVED
    if vague:
        anchor = prev.start if step < 0 else prev.end
        s, e = _vague_interval(anchor, unit, step, vague)
        return Res("date", s, e, prev.precision, None, "previous", approx)
    res = _from(cal.shift(prev, step * n, unit), "previous")
    return _with_part(replace(res, modifier=approx), p.get("part"))


def r_offset_on(p: dict, ctx: Context) -> Res:
    """'two days after March 3': the offset applies to the following expression."""
    base = resolve(p["base"], ctx)
    if base.period is None:
        return UNRESOLVED
    off = p["offset"]
    if off.get("vague"):
        return UNRESOLVED
    moved = cal.shift(base.period, off["dir"] * off["n"], off["unit"])
    return _from(moved, base.anchor)


def r_span(p: dict, ctx: Context) -> Res:
    n, unit, step = p["n"], p["unit"], p["dir"]
    code = lexicon().unit_codes[unit]
    t = "T" if unit in ("hour", "minute") else ""
    value = f"P{t}{2 * n if unit == 'fortnight' else n}{code}"
    prec = UNIT_PRECISION[unit]
    if p.get("base") == "prev":
        prev = _prev_period(ctx)
        if prev is None:
            return Res("duration", value=value)
        s, e = (cal.span_back(prev.start, n, unit) if step < 0 else cal.span_forward(prev.end, n, unit))
        return Res("duration", s, e, prec, value, "previous")
    if not _pub_ok(ctx, prec):
        return Res("duration", value=value)
    s, e = cal.span_back(ctx.pub, n, unit) if step < 0 else cal.span_forward(ctx.pub, n, unit)
    return Res("duration", s, e, prec, value, "publication")


def r_recent(p: dict, ctx: Context) -> Res:
    unit, ref = p["unit"], p["ref"]
    prec = UNIT_PRECISION[unit]
    if not _pub_ok(ctx, prec):
        return Res(value=ref)
    k = lexicon().recent_span.get(unit, 3)
    if unit in ("decade", "century", "quarter"):
        k, unit = {"decade": (30, "year"), "century": (200, "year"), "quarter": (4, "quarter")}[unit]
    if ref == "PAST_REF":
        s, e = cal.span_back(ctx.pub, k, unit)
    else:
        s, e = cal.span_forward(ctx.pub, k, unit)
    return Res("date", s, e, UNIT_PRECISION[unit], ref, "publication", "approx")


def r_ref(p: dict, ctx: Context) -> Res:
    value = p["value"]
    if ctx.pub is None:
        return Res(value=value)
    pub = ctx.pub
    if value == "PRESENT_REF":
        return Res("date", pub, pub, ctx.pub_precision, value, "publication")
    if value == "PAST_REF":
        return Res("date", None, pub, None, value, "publication")
    return Res("date", pub, None, None, value, "publication")


def r_holiday(p: dict, ctx: Context) -> Res:
    if "fixed" in p:
        m, d = p["fixed"]
        return r_cal({"y": p.get("y"), "m": m, "d": d, "rel": p.get("rel")}, ctx)
    name = p["movable"]
    if p.get("y"):
        return _from(cal.day(cal.movable_holiday(name, p["y"])), "absolute")

    def build(y):
        date = cal.movable_holiday(name, y)
        return date, date
    rel = p.get("rel")
    if rel in ("last", "next", "this") and _pub_ok(ctx, "day"):
        dates = [cal.movable_holiday(name, y) for y in (ctx.pub.year - 1, ctx.pub.year, ctx.pub.year + 1)]
        if rel == "last":
            date = max(x for x in dates if x < ctx.pub)
        elif rel == "next":
            date = min(x for x in dates if x > ctx.pub)
        else:
            date = dates[1]
        return _from(cal.day(date), "publication")
    chosen = _choose_year(build, ctx, "day")
    if chosen is None:
        return UNRESOLVED
    return _from(cal.day(build(chosen[0])[0]), chosen[1])


def r_quarter(p: dict, ctx: Context) -> Res:
    q = p["q"]
    if p.get("y"):
        return _from(cal.quarter(p["y"], q), "absolute")
    if "yrel" in p:
        if not _pub_ok(ctx, "year"):
            return Res(value=f"XXXX-Q{q}")
        return _from(cal.quarter(ctx.pub.year + p["yrel"], q), "publication")

    return _in_chosen_year(lambda y: cal.quarter(y, q), ctx, "quarter", f"XXXX-Q{q}")


def _in_chosen_year(period, ctx: Context, kind: str, unresolved: str) -> Res:
    """A yearless period ("the third quarter", "summer") in the year the context points to."""
    def build(y):
        per = period(y)
        return per.start, per.end
    chosen = _choose_year(build, ctx, kind)
    if chosen is None:
        return Res(value=unresolved)
    return _from(period(chosen[0]), chosen[1])


def r_half(p: dict, ctx: Context) -> Res:
    h = p["h"]
    if p.get("y"):
        return _from(cal.half(p["y"], h), "absolute")
    if "yrel" in p and _pub_ok(ctx, "year"):
        return _from(cal.half(ctx.pub.year + p["yrel"], h), "publication")
    return Res(value=f"XXXX-H{h}")


def r_season(p: dict, ctx: Context) -> Res:
    code, rel = p["s"], p.get("rel")
    if p.get("y"):
        return _from(cal.season(p["y"], code), "absolute")
    if rel in ("prev_same", "prev_next", "prev_last"):
        prev = _prev_period(ctx)
        if prev is None:
            return Res(value=f"XXXX-{code}")
        base = cal._season_near(prev.start, code)
        step = {"prev_same": 0, "prev_next": 1, "prev_last": -1}[rel]
        return _from(cal.shift(base, step, "year") if step else base, "previous")
    if rel in ("last", "next", "this"):
        if not _pub_ok(ctx, "month"):
            return Res(value=f"XXXX-{code}")
        pub = ctx.pub
        seasons = [cal.season(y, code) for y in (pub.year - 1, pub.year, pub.year + 1)]
        if rel == "last":
            per = max((s for s in seasons if s.end < pub), key=lambda s: s.start)
        elif rel == "next":
            per = min((s for s in seasons if s.start > pub), key=lambda s: s.start)
        else:
            inside = [s for s in seasons if s.start <= pub <= s.end]
            per = inside[0] if inside else seasons[1]
        return _from(per, "publication")

    return _in_chosen_year(lambda y: cal.season(y, code), ctx, "season", f"XXXX-{code}")


def r_decade(p: dict, ctx: Context) -> Res:
    if p.get("y0") is not None:
        return _from(cal.decade(p["y0"]), "absolute")
    dy = p["dy"]
    if ctx.pub is None:
        return UNRESOLVED
    y0 = 2000 + dy if 2000 + dy <= ctx.pub.year else 1900 + dy
    return _from(cal.decade(y0), "publication")


def r_century(p: dict, ctx: Context) -> Res:
    return _from(cal.century(p["c"]), "absolute")


def r_yearago(p: dict, ctx: Context) -> Res:
    unit = p["unit"]
    prev = _prev_period(ctx)
    if prev is not None and prev.precision in ("quarter", "half", "month", "season"):
        return _from(cal.shift(prev, -1, unit), "previous")
    if not _pub_ok(ctx, UNIT_PRECISION[unit]):
        return UNRESOLVED
    return _from(cal.shift(cal.containing(ctx.pub, UNIT_PRECISION[unit]), -1, unit), "publication")


def r_period(p: dict, ctx: Context) -> Res:
    per, adj = p["per"], p["adj"]
    prev = _prev_period(ctx)
    if per in ("quarter", "period"):
        if prev is not None and prev.precision in ("quarter", "half"):
            if adj.isdigit():
                return _from(cal.shift(prev, int(adj) - prev.start.year, "year"), "previous")
            if adj in ("year-earlier", "year-ago", "corresponding", "comparable"):
                return _from(cal.shift(prev, -1, "year"), "previous")
            return _from(prev, "previous")
        if adj.isdigit():
            return _from(cal.year(int(adj)), "absolute")
        if not _pub_ok(ctx, "quarter"):
            return UNRESOLVED
        return _from(cal.shift(cal.containing(ctx.pub, "quarter"), -1, "quarter"), "publication")
    if adj.isdigit():
        return _from(cal.year(int(adj)), "absolute")
    if not _pub_ok(ctx, "year"):
        return UNRESOLVED
    y = ctx.pub.year - (1 if adj == "latest fiscal" else 0)
    return _from(cal.year(y), "publication")


def r_clock(p: dict, ctx: Context) -> Res:
    hhmm = f"T{p['hh']:02d}:{p['mi']:02d}"
    day_res = None
    if p.get("day"):
        day_res = resolve(p["day"], ctx)
    else:
        prev = _prev_period(ctx)
        if prev is not None and prev.precision == "day" and prev.start == prev.end and ctx.prev_same_sentence:
            day_res = _from(prev, "previous")
    if day_res is None or day_res.start is None:
        return Res("time", value=f"XXXX-XX-XX{hhmm}")
    return Res("time", day_res.start, day_res.end, "day", f"{day_res.start.isoformat()}{hhmm}", day_res.anchor)


def r_duration(p: dict, ctx: Context) -> Res:
    unit = p["unit"]
    code = lexicon().unit_codes[unit]
    t = "T" if unit in ("hour", "minute") else ""
    if p.get("vague"):
        value = f"P{t}X{code}"
    else:
        n = p["n"] * (2 if unit == "fortnight" else 1)
        value = f"P{t}{n}{code}"
    return Res("duration", value=value, anchor="absolute", modifier="approx" if p.get("approx") else None)


def r_set(p: dict, ctx: Context) -> Res:
    if "wd" in p:
        return Res("set", value=f"XXXX-WXX-{p['wd'] + 1}", anchor="absolute")
    unit = p["unit"]
    t = "T" if unit in ("hour", "minute") else ""
    return Res("set", value=f"P{t}{p['n']}{lexicon().unit_codes[unit]}", anchor="absolute")


RESOLVERS = {
    "cal": r_cal, "range": r_range, "weekday": r_weekday, "dayword": r_dayword, "overnight": r_overnight, "deictic": r_deictic,
    "offset": r_offset, "offset_on": r_offset_on, "span": r_span, "recent": r_recent, "ref": r_ref,
    "holiday": r_holiday, "quarter": r_quarter, "half": r_half, "season": r_season, "decade": r_decade,
    "century": r_century, "yearago": r_yearago, "period": r_period, "clock": r_clock,
    "duration": r_duration, "set": r_set,
}


def resolve(p: dict, ctx: Context) -> Res:
    res = RESOLVERS[p["t"]](p, ctx)
    mod = p.get("mod")
    if mod:
        if res.period is not None and res.start is not None:
            s, e = cal.modified(res.period, mod)
            res = replace(res, start=s, end=e)
        res = replace(res, modifier=mod)
    if p.get("since"):
        end = ctx.pub if ctx.pub is not None and res.start is not None and ctx.pub >= res.start else None
        res = replace(res, end=end, modifier="since")
    if p.get("approx") and res.modifier is None:
        res = replace(res, modifier="approx")
    return res
