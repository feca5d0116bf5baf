"""When two per-document events are the same event: type, time, place, participants, factuality.

`compare(a, b, config)` says whether two events may merge and why, and whether the agreement is
"strong" (a precise enough date and place on both sides, which may join events of different
stories) or only "weak" (a date or a place missing or coarse: allowed inside one story only, with
more evidence). The thresholds live in data/event_merge.toml.
"""
from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from newsgraph.geo.model import PRECISIONS


@cache
def config() -> dict:
    return tomllib.loads(resources.files("newsgraph.data").joinpath("event_merge.toml").read_text(encoding="utf-8"))


@dataclass
class Match:
    ok: bool
    strong: bool = False
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0


def km(a: dict, b: dict) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _date(value: str | None, default: dt.date) -> dt.date:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return default


def interval(date: dict | None) -> tuple[dt.date, dt.date, str] | None:
    """First and last day of an event date (open ends stretched to the calendar's ends), and
    its precision; None when the event has no date."""
    if not date or not (date.get("start") or date.get("end")):
        return None
    order = config()["time"]["order"]
    precision = date.get("precision") if date.get("precision") in order else order[-1]
    start, end = _date(date.get("start"), dt.date.min), _date(date.get("end"), dt.date.max)
    return start, end, precision


def _widen(iv: tuple[dt.date, dt.date, str]) -> tuple[dt.date, dt.date]:
    days = dt.timedelta(days=config()["time"]["tolerance_days"].get(iv[2], 0))
    start = iv[0] - days if iv[0] > dt.date.min + days else iv[0]
    end = iv[1] + days if iv[1] < dt.date.max - days else iv[1]
    return start, end


def compare_time(a: dict | None, b: dict | None) -> Match | None:
    """Whether two event dates overlap at their precision (None when either is missing)."""
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return None
    (sa, ea), (sb, eb) = _widen(ia), _widen(ib)
    order = config()["time"]["order"]
    coarse = max(ia[2], ib[2], key=order.index)
    bounded = dt.date.min not in (ia[0], ib[0]) and dt.date.max not in (ia[1], ib[1])
    strong = bounded and order.index(coarse) <= order.index(config()["time"]["strong_max"])
    if sa > eb or sb > ea:
        return Match(False, reasons=[f"dates do not overlap ({_show(ia)} / {_show(ib)})"])
    return Match(True, strong, [f"dates overlap at {coarse} precision ({_show(ia)} / {_show(ib)})"],
                 1.0 if coarse == "day" else 0.5)


def _show(iv: tuple[dt.date, dt.date, str]) -> str:
    start = "" if iv[0] == dt.date.min else iv[0].isoformat()
    end = "" if iv[1] == dt.date.max else iv[1].isoformat()
    return start if start == end else f"{start}..{end}"


def _precision(place: dict) -> str:
    return place.get("precision") if place.get("precision") in PRECISIONS else PRECISIONS[-1]


def has_place(place: dict | None) -> bool:
    return bool(place) and (place.get("lat") is not None or bool(place.get("country_code")))


def compare_place(a: dict | None, b: dict | None) -> Match | None:
    """Whether two event places are close enough for their precision (None when either is missing)."""
    if not has_place(a) or not has_place(b):
        return None
    cfg = config()["place"]
    coarse = max(_precision(a), _precision(b), key=PRECISIONS.index)
    strong = PRECISIONS.index(coarse) <= PRECISIONS.index(cfg["strong_max"])
    names = f"{a.get('name')} / {b.get('name')}"
    if a.get("geonames_id") and a.get("geonames_id") == b.get("geonames_id"):
        return Match(True, strong, [f"same place ({a.get('name')}, {coarse})"], cfg["same_place_score"][coarse])
    if coarse in cfg["km"] and None not in (a.get("lat"), b.get("lat")):
        d = km(a, b)
        ok = d <= cfg["km"][coarse]
        word = "within" if ok else "beyond"
        return Match(ok, strong, [f"places {d:.0f} km apart, {word} {cfg['km'][coarse]} km for {coarse} ({names})"],
                     1.0 - d / cfg["km"][coarse] if ok else 0.0)
    ca, cb = a.get("country_code") or "", b.get("country_code") or ""
    if ca and cb:
        ok = ca == cb
        return Match(ok, False, [f"{'same' if ok else 'different'} country ({ca} / {cb}; {names})"], 0.2 if ok else 0.0)
    ok = (a.get("name") or "").casefold() == (b.get("name") or "").casefold()
    return Match(ok, False, [f"{'same' if ok else 'different'} region ({names})"], 0.2 if ok else 0.0)


def _entities(event: dict, role: str) -> set[str]:
    return {p["entity_id"] for p in event.get("participants") or [] if p.get("role") == role and p.get("entity_id")}


def compare_participants(a: dict, b: dict) -> Match:
    """Participants conflict when both name entities in an exclusive role (agent, patient) and share none."""
    shared: set[str] = set()
    for role in config()["participants"]["exclusive_roles"]:
        ea, eb = _entities(a, role), _entities(b, role)
        if ea and eb and not ea & eb:
            return Match(False, reasons=[f"different {role}s"])
        shared |= ea & eb
    return Match(True, reasons=[f"shared participant {', '.join(sorted(shared))}"] if shared else [],
                 score=1.0 if shared else 0.0)


def _factuality_group(value: str | None) -> int:
    for i, group in enumerate(config()["factuality"]["groups"]):
        if value in group:
            return i
    return 0


def _count_value(event: dict) -> float | None:
    count = event.get("count") or {}
    return count.get("best") if count.get("best") is not None else count.get("low")


def compare(a: dict, b: dict) -> Match:
    """Whether per-document events ``a`` and ``b`` describe one event (ignoring stories)."""
    if a.get("type") != b.get("type"):
        return Match(False, reasons=["different types"])
    if _factuality_group(a.get("factuality")) != _factuality_group(b.get("factuality")):
        return Match(False, reasons=[f"factuality {a.get('factuality')} / {b.get('factuality')}"])
    reasons = [f"same type ({a['type']})"]
    score = 1.0
    strong = True
    for part in (compare_time(a.get("date"), b.get("date")), compare_place(a.get("place"), b.get("place"))):
        if part is None:
            strong = False
            continue
        if not part.ok:
            return part
        reasons += part.reasons
        strong = strong and part.strong
        score += part.score
    people = compare_participants(a, b)
    if not people.ok:
        return people
    reasons += people.reasons
    score += people.score
    ca, cb = _count_value(a), _count_value(b)
    if ca is not None and ca == cb:
        score += 0.5
    return Match(True, strong, reasons, score)


def weak_evidence(a: dict, b: dict, sentence_similarity) -> str | None:
    """The extra evidence two events without a strong date and place need to merge inside a story:
    similar evidence sentences, or `min_clues` of these clues together: the same count, a shared
    participant entity, the same place. A lone shared count ("at least 10 killed") or a lone shared
    participant ("government forces") is generic wording, not the same incident."""
    sa = " ".join(e.get("sentence") or "" for e in a.get("evidence") or [])
    sb = " ".join(e.get("sentence") or "" for e in b.get("evidence") or [])
    similarity = sentence_similarity(sa, sb)
    if similarity >= config()["weak"]["sentence_jaccard"]:
        return f"similar sentences (word overlap {similarity:.2f})"
    clues = []
    ca, cb = _count_value(a), _count_value(b)
    if ca is not None and ca == cb:
        clues.append(f"same count ({ca:g})")
    for role in config()["participants"]["exclusive_roles"]:
        shared = _entities(a, role) & _entities(b, role)
        if shared:
            clues.append(f"shared {role} {sorted(shared)[0]}")
    place = compare_place(a.get("place"), b.get("place"))
    if place is not None and place.ok and PRECISIONS.index(_precision(a["place"])) <= PRECISIONS.index("district") \
            and PRECISIONS.index(_precision(b["place"])) <= PRECISIONS.index("district"):
        clues.append(place.reasons[0])
    return "; ".join(clues) if len(clues) >= config()["weak"]["min_clues"] else None
