"""The value types that newsgraph's records carry, each owning its parsing, validation and
JSON form (followthemoney's habit: a value type cleans itself; a date keeps its precision).

* ``DateInterval``: an interval of days with the precision it was stated at
  (``{"start": "2017-04-01", "end": "2017-04-30", "precision": "month", "text": "April"}``);
* ``PlaceRef``: a place as named in a text and, when resolved, its gazetteer entry;
* ``Count``: a number of people or things with low / best / high bounds (ACLED's habit for
  vague counts: "dozens" is low 24, best None);
* ``Money``: an amount with its currency;
* ``Evidence``: the sentence and character span of a document that says it.

``from_json`` accepts exactly the JSON form ``to_json`` writes and raises ``SchemaError``
naming the field and the problem for anything else: no reader patches shapes.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import asdict, dataclass, fields

# how an event's day was found when its own clause states none (see extraction/events_day.py)
DATE_HOW = ("sentence", "reported", "incident", "published")
PRECISIONS = ("day", "week", "month", "season", "quarter", "half", "year", "decade", "century")
PLACE_PRECISIONS = ("point", "town", "district", "province", "country", "region")   # as geo.model.PRECISIONS
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class SchemaError(ValueError):
    """A record or value that does not have the declared shape."""

    def __init__(self, kind: str, field: str, problem: str):
        super().__init__(f"{kind}.{field}: {problem}")
        self.kind, self.field, self.problem = kind, field, problem


def _need_dict(kind: str, data) -> dict:
    if not isinstance(data, dict):
        raise SchemaError(kind, "*", f"expected an object, got {type(data).__name__}")
    return data


def _unknown(kind: str, data: dict, allowed: set[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise SchemaError(kind, extra[0], "unknown field")


def _number(kind: str, name: str, value, *, allow_none: bool = True) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SchemaError(kind, name, f"expected a finite number, got {value!r}")
    return float(value)


def _text(kind: str, name: str, value, *, allow_none: bool = True) -> str | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise SchemaError(kind, name, f"expected text, got {value!r}")
    return value


def _offset(kind: str, name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SchemaError(kind, name, f"expected a character offset (an integer >= 0), got {value!r}")
    return value


@dataclass(frozen=True)
class DateInterval:
    """Inclusive interval of days ``start``..``end`` (ISO dates) at a precision."""
    start: str
    end: str
    precision: str
    text: str | None = None
    # how the day was found when the event's own clause gives none (extraction/events_day.HOW);
    # None for a date stated in the text and for dates that are not an event's
    how: str | None = None

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _ISO.match(value):
                raise SchemaError("DateInterval", name, f"expected an ISO date YYYY-MM-DD, got {value!r}")
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise SchemaError("DateInterval", name, f"{value!r} is not a day of the calendar") from None
        if self.end < self.start:
            raise SchemaError("DateInterval", "end", f"{self.end} is before the start {self.start}")
        if self.precision not in PRECISIONS:
            raise SchemaError("DateInterval", "precision", f"expected one of {', '.join(PRECISIONS)}, "
                                                            f"got {self.precision!r}")
        _text("DateInterval", "text", self.text)
        if self.how is not None and self.how not in DATE_HOW:
            raise SchemaError("DateInterval", "how", f"expected one of {', '.join(DATE_HOW)}, got {self.how!r}")

    @classmethod
    def from_json(cls, data) -> DateInterval | None:
        if data is None:
            return None
        data = _need_dict("DateInterval", data)
        _unknown("DateInterval", data, {"start", "end", "precision", "text", "how"})
        if "start" not in data:
            raise SchemaError("DateInterval", "start", "missing")
        return cls(data["start"], data.get("end") or data["start"], data.get("precision") or "day", data.get("text"),
                   data.get("how"))

    @classmethod
    def from_time(cls, time) -> DateInterval | None:
        """The interval of a resolved time expression (``extraction.times.TimeExpr`` or its dict);
        None when it is unresolved or open-ended."""
        get = time.get if isinstance(time, dict) else lambda k: getattr(time, k, None)
        start, end = get("start_date"), get("end_date")
        if not start or not end:
            return None
        how = get("how")
        return cls(start, end, get("precision") or "day", get("text"), None if how in (None, "stated") else how)

    @classmethod
    def day(cls, day: dt.date, text: str | None = None) -> DateInterval:
        return cls(day.isoformat(), day.isoformat(), "day", text)

    def to_json(self) -> dict:
        out = {"start": self.start, "end": self.end, "precision": self.precision, "text": self.text}
        if self.how:
            out["how"] = self.how
        return out

    @property
    def days(self) -> int:
        return (dt.date.fromisoformat(self.end) - dt.date.fromisoformat(self.start)).days + 1

    def gap_days(self, other: DateInterval) -> int:
        """Days between the two intervals (0 when they overlap)."""
        a0, a1 = dt.date.fromisoformat(self.start), dt.date.fromisoformat(self.end)
        b0, b1 = dt.date.fromisoformat(other.start), dt.date.fromisoformat(other.end)
        if a1 < b0:
            return (b0 - a1).days
        if b1 < a0:
            return (a0 - b1).days
        return 0


@dataclass(frozen=True)
class PlaceRef:
    """A place as the text names it (``mention`` and its span) and, when resolved, where it is."""
    name: str
    mention: str | None = None
    start: int | None = None
    end: int | None = None
    geonames_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    feature: str | None = None
    precision: str | None = None
    how: str | None = None
    reason: str | None = None   # why this place (an event's place: the step that chose it and its evidence)
    resolved: bool = True

    def __post_init__(self) -> None:
        kind = "PlaceRef"
        if not isinstance(self.name, str) or not self.name.strip():
            raise SchemaError(kind, "name", f"expected a place name, got {self.name!r}")
        for name in ("start", "end"):
            if getattr(self, name) is not None:
                _offset(kind, name, getattr(self, name))
        if (self.lat is None) != (self.lon is None):
            raise SchemaError(kind, "lat" if self.lat is None else "lon", "lat and lon go together")
        if self.lat is not None:
            lat, lon = _number(kind, "lat", self.lat), _number(kind, "lon", self.lon)
            if not -90 <= lat <= 90:
                raise SchemaError(kind, "lat", f"{lat} is outside -90..90")
            if not -180 <= lon <= 180:
                raise SchemaError(kind, "lon", f"{lon} is outside -180..180")
        if self.resolved and self.lat is None:
            raise SchemaError(kind, "lat", "a resolved place needs coordinates")
        if self.precision is not None and self.precision not in PLACE_PRECISIONS:
            raise SchemaError(kind, "precision", f"expected one of {', '.join(PLACE_PRECISIONS)}, "
                                                 f"got {self.precision!r}")
        if self.country_code is not None and not re.match(r"^[A-Z]{2}$", self.country_code):
            raise SchemaError(kind, "country_code", f"expected an ISO 3166 alpha-2 code, got {self.country_code!r}")

    @classmethod
    def from_json(cls, data) -> PlaceRef | None:
        if data is None:
            return None
        data = _need_dict("PlaceRef", data)
        names = {f.name for f in fields(cls)}
        _unknown("PlaceRef", data, names)
        if "name" not in data:
            raise SchemaError("PlaceRef", "name", "missing")
        values = dict(data)
        values.setdefault("resolved", values.get("lat") is not None)
        return cls(**values)

    def to_json(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if v is not None}
        if self.resolved:
            out.pop("resolved")
        return out


@dataclass(frozen=True)
class Count:
    """How many: ``best`` when a number is stated, ``low``/``high`` bounds when it is vague."""
    low: float | None
    best: float | None
    high: float | None
    unit: str | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None
    approximate: bool = False
    vague: bool = False
    reason: str | None = None         # why this figure (a toll, a range of sources, the lede's)
    figures: list | None = None       # the figures of one incident a range was made from

    KIND = "Count"

    def __post_init__(self) -> None:
        kind = self.KIND
        values = {n: _number(kind, n, getattr(self, n)) for n in ("low", "best", "high")}
        if all(v is None for v in values.values()):
            raise SchemaError(kind, "best", "a count needs at least one of low, best, high")
        for n, v in values.items():
            if v is not None and v < 0:
                raise SchemaError(kind, n, f"{v} is negative")
        low, best, high = values["low"], values["best"], values["high"]
        if low is not None and high is not None and low > high:
            raise SchemaError(kind, "low", f"low {low} is above high {high}")
        if best is not None and ((low is not None and best < low) or (high is not None and best > high)):
            raise SchemaError(kind, "best", f"best {best} is outside {low}..{high}")
        for name in ("start", "end"):
            if getattr(self, name) is not None:
                _offset(kind, name, getattr(self, name))

    @classmethod
    def from_json(cls, data):
        if data is None:
            return None
        data = _need_dict(cls.KIND, data)
        _unknown(cls.KIND, data, {f.name for f in fields(cls)})
        return cls(**data)

    def to_json(self) -> dict:
        d = asdict(self)
        for name in ("reason", "figures"):   # only when there is one: older records stay as they were
            if d.get(name) is None:
                d.pop(name, None)
        return d

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the count's range (the best figure when no bounds)."""
        low = self.low if self.low is not None else self.best
        high = self.high if self.high is not None else self.best
        return (low is None or value >= low) and (high is None or value <= high)


@dataclass(frozen=True)
class Money(Count):
    """An amount of money; ``unit`` is its ISO 4217 currency."""
    per: str | None = None
    trend: str | None = None

    KIND = "Money"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.unit is not None and not _CURRENCY.match(self.unit):
            raise SchemaError("Money", "unit", f"expected an ISO 4217 currency code, got {self.unit!r}")


@dataclass(frozen=True)
class Evidence:
    """The sentence of a document that states a fact, and the span of the fact in its clean text."""
    document_id: str
    start: int
    end: int
    sentence: str
    source: str | None = None

    def __post_init__(self) -> None:
        kind = "Evidence"
        if not isinstance(self.document_id, str) or not self.document_id:
            raise SchemaError(kind, "document_id", f"expected a document id, got {self.document_id!r}")
        _offset(kind, "start", self.start)
        _offset(kind, "end", self.end)
        if self.end < self.start:
            raise SchemaError(kind, "end", f"{self.end} is before the start {self.start}")
        _text(kind, "sentence", self.sentence, allow_none=False)
        _text(kind, "source", self.source)

    @classmethod
    def from_json(cls, data) -> Evidence:
        data = _need_dict("Evidence", data)
        _unknown("Evidence", data, {f.name for f in fields(cls)})
        missing = [k for k in ("document_id", "start", "end", "sentence") if k not in data]
        if missing:
            raise SchemaError("Evidence", missing[0], "missing")
        return cls(**data)

    def to_json(self) -> dict:
        return {"document_id": self.document_id, "source": self.source, "sentence": self.sentence,
                "start": self.start, "end": self.end}
