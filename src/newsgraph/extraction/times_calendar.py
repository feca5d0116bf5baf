"""Calendar periods for time normalisation: a period is an interval with a precision and
a TIMEX3-style value ("2017-09-25", "2017-W39", "2017-08", "2017-SU", "2017-Q3", "2017",
"201" for the 2010s, "20" for the 2000s). Pure date arithmetic, no text."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .times_lexicon import lexicon

# Coarseness order of precisions (weekend counts as day precision, see `weekend`).
ORDER = ["day", "week", "month", "season", "quarter", "half", "year", "decade", "century"]
UNIT_PRECISION = {"day": "day", "hour": "day", "minute": "day", "week": "week",
                  "fortnight": "week", "month": "month", "quarter": "quarter",
                  "year": "year", "decade": "decade", "century": "century"}
MODIFIER_THIRD = {"early": 0, "start": 0, "mid": 1, "late": 2, "end": 2}


@dataclass(frozen=True)
class Period:
    precision: str
    start: dt.date
    end: dt.date
    value: str


def coarser(a: str, b: str) -> str:
    return a if ORDER.index(a) >= ORDER.index(b) else b


def last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def add_months(d: dt.date, n: int) -> dt.date:
    k = d.year * 12 + d.month - 1 + n
    y, m = divmod(k, 12)
    return dt.date(y, m + 1, min(d.day, last_day(y, m + 1)))


def safe_date(y: int, m: int, d: int) -> dt.date | None:
    if not (1 <= y <= 9999 and 1 <= m <= 12 and 1 <= d <= last_day(y, m)):
        return None
    return dt.date(y, m, d)


# --- constructors -------------------------------------------------------------------------

def day(d: dt.date) -> Period:
    return Period("day", d, d, d.isoformat())


def week(d: dt.date) -> Period:
    start = d - dt.timedelta(days=d.weekday())
    y, w, _ = start.isocalendar()
    return Period("week", start, start + dt.timedelta(days=6), f"{y}-W{w:02d}")


def weekend(saturday: dt.date) -> Period:
    y, w, _ = saturday.isocalendar()
    return Period("day", saturday, saturday + dt.timedelta(days=1), f"{y}-W{w:02d}-WE")


def month(y: int, m: int) -> Period:
    return Period("month", dt.date(y, m, 1), dt.date(y, m, last_day(y, m)), f"{y:04d}-{m:02d}")


def quarter(y: int, q: int) -> Period:
    m0 = 3 * (q - 1) + 1
    return Period("quarter", dt.date(y, m0, 1), dt.date(y, m0 + 2, last_day(y, m0 + 2)), f"{y:04d}-Q{q}")


def half(y: int, h: int) -> Period:
    m0 = 6 * (h - 1) + 1
    return Period("half", dt.date(y, m0, 1), dt.date(y, m0 + 5, last_day(y, m0 + 5)), f"{y:04d}-H{h}")


def season(y: int, code: str) -> Period:
    m0, m1 = lexicon().season_months[code]
    y0 = y - 1 if m0 > m1 else y
    return Period("season", dt.date(y0, m0, 1), dt.date(y, m1, last_day(y, m1)), f"{y:04d}-{code}")


def year(y: int) -> Period:
    return Period("year", dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y:04d}")


def decade(y0: int) -> Period:
    """The decade starting in year y0 (a multiple of ten)."""
    return Period("decade", dt.date(y0, 1, 1), dt.date(y0 + 9, 12, 31), f"{y0 // 10:03d}")


def century(c: int) -> Period:
    """Century by its first two digits: 19 -> 1900-1999 ("the 20th century")."""
    return Period("century", dt.date(max(c * 100, 1), 1, 1), dt.date(c * 100 + 99, 12, 31), f"{c:02d}")


def containing(d: dt.date, precision: str) -> Period:
    """The period of the given precision that contains day d."""
    if precision == "day":
        return day(d)
    if precision == "week":
        return week(d)
    if precision == "month":
        return month(d.year, d.month)
    if precision == "quarter":
        return quarter(d.year, (d.month - 1) // 3 + 1)
    if precision == "half":
        return half(d.year, 1 if d.month <= 6 else 2)
    if precision == "season":
        for code in ("WI", "SP", "SU", "FA"):
            for y in (d.year, d.year + 1):
                p = season(y, code)
                if p.start <= d <= p.end:
                    return p
    if precision == "year":
        return year(d.year)
    if precision == "decade":
        return decade(d.year - d.year % 10)
    if precision == "century":
        return century(d.year // 100)
    raise ValueError(precision)


def shift(p: Period, n: int, unit: str) -> Period:
    """Move a period by n units, keeping its precision ("the same quarter a year earlier")."""
    if p.value.endswith("-WE"):
        return weekend(_shift_date(p.start, n, unit if unit not in ("month", "year") else unit))
    if unit in ("day", "week", "fortnight", "hour", "minute") and p.precision not in ("day", "week"):
        moved = _shift_date(p.start, n, unit)
        if p.precision == "season":
            return _season_near(moved, p.value[-2:])
        return containing(moved, p.precision)
    if p.precision == "season":
        start = _shift_date(p.start, n, unit)
        return _season_near(start, p.value[-2:])
    return containing(_shift_date(p.start, n, unit), p.precision)


def _season_near(d: dt.date, code: str) -> Period:
    best = None
    for y in (d.year - 1, d.year, d.year + 1):
        p = season(y, code)
        if best is None or abs((p.start - d).days) < abs((best.start - d).days):
            best = p
    return best


def _shift_date(d: dt.date, n: int, unit: str) -> dt.date:
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit in ("hour", "minute"):
        return d + dt.timedelta(days=(n // 24 if unit == "hour" else 0))
    if unit == "week":
        return d + dt.timedelta(weeks=n)
    if unit == "fortnight":
        return d + dt.timedelta(weeks=2 * n)
    if unit == "month":
        return add_months(d, n)
    if unit == "quarter":
        return add_months(d, 3 * n)
    if unit == "year":
        return add_months(d, 12 * n)
    if unit == "decade":
        return add_months(d, 120 * n)
    if unit == "century":
        return add_months(d, 1200 * n)
    raise ValueError(unit)


def offset_period(anchor: dt.date, n: int, unit: str) -> Period:
    """The period `n` units away from `anchor`, at the unit's own precision ("three weeks ago")."""
    d = _shift_date(anchor, n, unit)
    precision = UNIT_PRECISION[unit]
    if unit == "decade":  # "a decade ago" is a year, not a decade
        precision = "year"
    if unit == "century":
        precision = "year"
    return containing(d, precision)


def span_back(anchor: dt.date, n: int, unit: str) -> tuple[dt.date, dt.date]:
    return _shift_date(anchor, -n, unit), anchor


def span_forward(anchor: dt.date, n: int, unit: str) -> tuple[dt.date, dt.date]:
    return anchor, _shift_date(anchor, n, unit)


# --- modifiers ----------------------------------------------------------------------------

def modified(p: Period, mod: str | None) -> tuple[dt.date, dt.date]:
    """Interval of `p` narrowed by early/mid/late/start/end (thirds of the period)."""
    third = MODIFIER_THIRD.get(mod or "")
    if third is None or p.precision == "day":
        return p.start, p.end
    t = lexicon().thirds
    if p.precision == "month":
        a, b = t["month_days"][third]
        y, m = p.start.year, p.start.month
        return dt.date(y, m, a), dt.date(y, m, min(b, last_day(y, m)))
    if p.precision == "week":
        a, b = t["week_days"][third]
        return p.start + dt.timedelta(days=a), p.start + dt.timedelta(days=b)
    if p.precision in ("decade", "century"):
        key = "decade_years" if p.precision == "decade" else "century_years"
        a, b = t[key][third]
        return dt.date(p.start.year + a, 1, 1), dt.date(min(p.start.year + b, p.end.year), 12, 31)
    # split by whole months: year 4+4+4, half 2+2+2, quarter/season 1+1+1
    months = (p.end.year - p.start.year) * 12 + p.end.month - p.start.month + 1
    size = months // 3
    first = add_months(p.start, third * size)
    last = add_months(p.start, (third + 1) * size - 1)
    return first, dt.date(last.year, last.month, last_day(last.year, last.month))


def easter(y: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    mo, da = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(y, mo, da + 1)


def movable_holiday(name: str, y: int) -> dt.date | None:
    if name == "easter":
        return easter(y)
    if name == "good_friday":
        return easter(y) - dt.timedelta(days=2)
    if name == "thanksgiving":  # fourth Thursday of November
        first = dt.date(y, 11, 1)
        return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
    if name == "us_election":  # Tuesday after the first Monday of November
        first = dt.date(y, 11, 1)
        monday = first + dt.timedelta(days=(0 - first.weekday()) % 7)
        return monday + dt.timedelta(days=1)
    return None
