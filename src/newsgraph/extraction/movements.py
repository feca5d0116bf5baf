"""Movements of people and groups, in legs, from the events of one document.

    extract_movements(doc, entities, times, events) -> list[Movement]

Every event whose type has a ``movement_kind`` in data/ontology.toml (travel, border
crossing, deportation, evacuation, arrest) gives a leg of its mover (the type's
``mover_roles``; pronouns were resolved to the last person named, gender-agnostic, when the
events were built). Legs of one mover are chained in text order: a leg without an origin
starts where the previous one ended (or where a "stayed in X" / "was in X" of the same
sentence put the person); an arrest and an attempted crossing of one person in one sentence
are one "attempt" leg. Planned and negated events are not movements. Routes of groups
("in the direction of the towns of A – B – C", then "Further, ... reach D and E") are read
from place names joined by dashes or arrows and the travel events that continue them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from spacy.tokens import Doc

from newsgraph.extraction.events_lexicon import ontology

__all__ = ["Leg", "Movement", "extract_movements"]


@dataclass
class Leg:
    origin: dict | None
    destination: dict | None
    via: list[dict]
    date: dict | None
    means: str | None
    duration: str | None
    facilitator: str | None
    cost: dict | None
    kind: str                        # travel | border_crossing | deportation | arrest_stop | attempt
    evidence: dict
    means_all: list[str] = field(default_factory=list)    # every means stated ("overland", "ambulance")


@dataclass
class Movement:
    person: dict                     # {"text", "canonical", "start", "end"}; or a group
    legs: list[Leg]

    def to_dict(self) -> dict:
        return asdict(self)


SKIP_FACTUALITY = {"planned", "negated"}
PERSON_LABELS = {"PERSON"}


def _place(p: dict) -> dict:
    d = {"text": p["text"], "start": p["start"], "end": p["end"]}
    if p.get("canonical"):
        d["canonical"] = p["canonical"]
    return d


HUMAN_LABELS = {"PERSON", "GROUP", "NORP", "ORG"}


def _human(p: dict) -> bool:
    if p.get("label") in HUMAN_LABELS:
        return True
    human = ontology().human_nouns
    words = [w.strip(".,;:'’\"").lower() for w in p["text"].split()]
    return any(w in human or w.rstrip("s") in human or w[:-2] in human for w in words if w)


def _mover(ev, etype) -> dict | None:
    for role in etype.mover_roles:
        for p in ev.participants:
            if p["role"] == role and p.get("label") not in ("PLACE", "FACILITY"):
                return p if _human(p) else None
    return None


def _key(p: dict) -> str:
    return (p.get("canonical") or p["text"]).lower()


def _person(p: dict) -> dict:
    ante = p.get("antecedent")
    if ante:                        # "He" -> the person named before
        return {"text": ante["text"], "canonical": p.get("canonical") or ante["text"], "start": ante["start"],
                "end": ante["end"], "label": p.get("label")}
    return {"text": p["text"], "canonical": p.get("canonical") or p["text"], "start": p["start"], "end": p["end"],
            "label": p.get("label")}


def _evidence(ev) -> dict:
    e = ev.evidence[0]
    return {"start": e["start"], "end": e["end"], "sentence": e["sentence"]}


def _means(ev) -> tuple[str | None, list[str]]:
    found = [p.get("canonical") or p["text"] for p in ev.participants if p["role"] == "means"]
    general = set(ontology().movement.get("general_means", []))
    specific = [m for m in found if m not in general]
    return (specific or found or [None])[0], list(dict.fromkeys(found))


def _leg_from_event(ev, kind: str) -> Leg:
    dests = [p for p in ev.participants if p["role"] == "destination"]
    origins = [p for p in ev.participants if p["role"] == "origin"]
    via = [_place(p) for p in ev.participants if p["role"] == "via" and p.get("label") in ("PLACE", "FACILITY", None)
           and _placey(p)]
    dest = None
    if dests:
        dest = _place(dests[0])
        alts = [_place(p) for p in dests[1:] if p.get("conj_of") == dests[0]["start"]]
        if alts:
            dest["alternatives"] = alts
    facil = next((p["text"] for p in ev.participants if p["role"] == "facilitator"), None)
    means, means_all = _means(ev)
    return Leg(origin=_place(origins[0]) if origins else None, destination=dest, via=via,
               date=_date(ev.time), means=means, duration=None, facilitator=facil,
               cost=ev.money[0] if ev.money else None, kind=kind, evidence=_evidence(ev), means_all=means_all)


def _placey(p: dict) -> bool:
    return p.get("label") in ("PLACE", "FACILITY") or p.get("label") is None


def _date(time: dict | None) -> dict | None:
    if not time:
        return None
    return {k: time.get(k) for k in ("text", "start_date", "end_date", "precision", "value")}


def _sequential_dests(ev) -> list[dict]:
    """"brought to Istanbul from Azerbaijan, and then to Anteb": destinations in separate
    phrases are successive stops (coordinated ones are alternatives)."""
    return [p for p in ev.participants if p["role"] == "destination" and "conj_of" not in p]


def _stay_place(doc: Doc, ev, ents_by_start, after: int = 0) -> dict | None:
    """"stayed in Istanbul for two days before going ...", "he was in Libya and returned ...":
    where the mover was before this leg, stated in the same sentence before the trigger."""
    stay = set(ontology().movement.get("stay_verbs", []))
    span = doc.char_span(max(ev.sentence_start, after), ev.trigger_start, alignment_mode="contract")
    if span is None:
        return None
    found = None
    for tok in span:
        if tok.lemma_.lower() in stay and tok.pos_ in ("VERB", "AUX"):
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
                    for obj in prep.children:
                        m = ents_by_start.get(obj.idx)
                        if m is not None and m.label == "PLACE":
                            found = {"text": m.text, "start": m.start, "end": m.end, "canonical": m.canonical}
    return found


def _route_movements(doc: Doc, entities, events, onto) -> tuple[list[Movement], set[int]]:
    """Group routes: place names joined by dashes or arrows in a sentence with a route noun,
    continued by the travel events of the next sentences ("Further, ...", "they ...")."""
    mv = onto.movement
    seps = set(mv.get("route_separators", []))
    nouns = set(mv.get("route_nouns", []))
    cues = tuple(mv.get("continuation_cues", []))
    group_prons = set(mv.get("group_pronouns", []))
    window = int(mv.get("route_window", 2))
    places = sorted((m for m in entities if m.label == "PLACE"), key=lambda m: m.start)
    sents = list(doc.sents)
    out, used = [], set()
    text = doc.text
    for si, sent in enumerate(sents):
        if not any(t.lemma_.lower() in nouns for t in sent):
            continue
        inside = [m for m in places if sent.start_char <= m.start < sent.end_char]
        chain: list = []
        for m in inside:
            if chain and text[chain[-1].end:m.start].strip() in seps:
                chain.append(m)
            elif len(chain) < 2:
                chain = [m]
            else:
                break
        if len(chain) < 2:
            chain = _prep_chain(doc, inside)
        if len(chain) < 2:
            continue
        group = next((m for m in entities if m.label in ("GROUP", "ORG") and sent.start_char <= m.start < sent.end_char),
                     None)
        person = ({"text": group.text, "canonical": group.canonical, "start": group.start, "end": group.end,
                   "label": group.label} if group else
                  {"text": "route", "canonical": "route", "start": sent.start_char, "end": sent.start_char, "label": None})
        evidence = {"start": sent.start_char, "end": sent.end_char, "sentence": sent.text}
        legs = [Leg(origin=_ent_place(a), destination=_ent_place(b), via=[], date=None, means=None, duration=None,
                    facilitator=None, cost=None, kind="travel", evidence=evidence)
                for a, b in zip(chain, chain[1:])]
        last = _ent_place(chain[-1])
        for ev in events:
            ei = next((i for i, s in enumerate(sents) if s.start_char == ev.sentence_start), None)
            if ei is None or not (0 < ei - si <= window) or ev.type not in ("travel", "border_crossing"):
                continue
            mover = _mover(ev, onto.types[ev.type])
            text = sents[ei].text.lower().lstrip()
            if not (text.startswith(cues) or (mover and mover["text"].lower() in group_prons)):
                continue
            if not any(p["role"] == "destination" for p in ev.participants):
                continue
            leg = _leg_from_event(ev, onto.types[ev.type].movement_kind)
            leg.origin = leg.origin or last
            legs.append(leg)
            used.add(ev.trigger_start)
            if group is None and person["text"] == "route" and mover is not None:
                person = _person(mover)         # "From there, fighters ... make for ..."
        out.append(Movement(person=person, legs=legs))
    return out, used


ROUTE_PREPS = {"from": "origin", "to": "to", "via": "to", "through": "to", "towards": "to", "toward": "to",
               "into": "to"}


def _prep_chain(doc: Doc, places: list) -> list:
    """"The busiest corridor runs from A north to B and on to C": A, B, C."""
    tagged = []
    for m in places:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root.head
        for _ in range(2):          # "from Deir ez-Zor north": the place hangs on "north"
            if head.pos_ == "ADP" or head == head.head:
                break
            head = head.head
        role = ROUTE_PREPS.get(head.lower_) if head.dep_ in ("prep", "conj") and head != span.root else None
        if role:
            tagged.append((role, m))
    origins = [m for r, m in tagged if r == "origin"]
    stops = [m for r, m in tagged if r == "to"]
    if len(origins) != 1 or not stops or origins[0].start > stops[0].start:
        return []
    return [origins[0], *stops]


def _ent_place(m) -> dict:
    return {"text": m.text, "start": m.start, "end": m.end, "canonical": m.canonical}


def extract_movements(doc: Doc, entities, times, events) -> list[Movement]:
    """Movements of the people and groups of one document (see the module docstring)."""
    onto = ontology()
    durations = [t for t in times if t.kind == "duration"]   # dates come from the events
    ents_by_start = {}
    for m in entities:
        ents_by_start.setdefault(m.start, m)
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            for t in span:
                ents_by_start.setdefault(t.idx, m)
    routes, used = _route_movements(doc, entities, events, onto)
    movements: dict[str, Movement] = {}
    order: list[str] = []
    last_trigger: dict[str, int] = {}
    for ev in sorted(events, key=lambda e: e.trigger_start):
        etype = onto.types[ev.type]
        if not etype.movement_kind or ev.trigger_start in used or ev.factuality in SKIP_FACTUALITY:
            continue
        mover = _mover(ev, etype)
        if mover is None:
            continue
        key = _key(mover)
        kind = "attempt" if ev.factuality == "attempted" else etype.movement_kind
        if key not in movements:
            movements[key] = Movement(person=_person(mover), legs=[])
            order.append(key)
        mvm = movements[key]
        if mvm.person.get("label") != "PERSON" and mover.get("label") == "PERSON":
            mvm.person = _person(mover)
        prev = mvm.legs[-1] if mvm.legs else None
        after = last_trigger.get(key, 0) if prev is not None and prev.evidence["start"] == ev.sentence_start else 0
        legs = _legs_for(ev, kind, doc, ents_by_start, after)
        legs[0].duration = _duration(doc, ev, durations)
        last_trigger[key] = ev.trigger_end
        # an arrest and an attempt of one person in one sentence are one attempt leg
        if prev is not None and prev.evidence["start"] == legs[0].evidence["start"] and \
                {prev.kind, legs[0].kind} == {"arrest_stop", "attempt"}:
            attempt, stop = (prev, legs[0]) if prev.kind == "attempt" else (legs[0], prev)
            attempt.date = attempt.date or stop.date
            attempt.origin = attempt.origin or stop.origin or stop.destination
            mvm.legs[-1] = attempt
            legs = legs[1:]
        for leg in legs:
            prev = mvm.legs[-1] if mvm.legs else None
            if leg.origin is None and prev is not None and prev.kind not in ("attempt",) and prev.destination:
                if prev.destination["text"] != (leg.destination or {}).get("text"):
                    leg.origin = {k: v for k, v in prev.destination.items() if k != "alternatives"}
            if leg.kind == "arrest_stop" and leg.origin is None and leg.destination is None:
                leg.origin = {k: v for k, v in prev.destination.items() if k != "alternatives"} \
                    if prev is not None and prev.destination else None
            mvm.legs.append(leg)
    out = list(routes)
    not_alone = set(onto.movement.get("not_alone", []))
    for key in order:
        m = movements[key]
        m.legs = [leg for leg in m.legs if leg.kind != "arrest_stop" or leg.destination or leg.origin]
        if m.legs and not all(leg.kind in not_alone for leg in m.legs):
            out.append(m)
    out.sort(key=lambda m: m.legs[0].evidence["start"])
    return out


def _duration(doc: Doc, ev, durations) -> str | None:
    """"travelled for three days to reach ...": a duration phrase governed by the trigger."""
    trig = doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
    if trig is None:
        return None
    for t in durations:
        if not (ev.sentence_start <= t.start < ev.sentence_end):
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root.head
        governors = [trig.root] + ([trig.root.head] if trig.root.dep_ in ("advcl", "xcomp") else [])
        if head.lower_ in ("for", "over", "during") and head.head in governors:
            return doc.text[head.idx:t.end]
    return None


def _legs_for(ev, kind: str, doc: Doc, ents_by_start, after: int = 0) -> list[Leg]:
    if kind == "arrest_stop":
        leg = _leg_from_event(ev, kind)
        place = ev.place
        leg.destination = {"text": place["text"], "start": place["start"], "end": place["end"]} if place else None
        return [leg]
    leg = _leg_from_event(ev, kind)
    if leg.origin is None and leg.destination is None and ev.place and ev.place.get("relation") in ("in", "at"):
        # "arrived in a southern Turkish community": where they arrived
        leg.destination = {"text": ev.place["text"], "start": ev.place["start"], "end": ev.place["end"]}
    if leg.origin is None:
        leg.origin = _stay_place(doc, ev, ents_by_start, after)
    seq = _sequential_dests(ev)
    if len(seq) < 2:
        return [leg]
    legs = [leg]
    for p in seq[1:]:
        nxt = Leg(origin=legs[-1].destination and {k: v for k, v in legs[-1].destination.items() if k != "alternatives"},
                  destination=_place(p), via=[], date=None, means=leg.means, duration=None,
                  facilitator=leg.facilitator, cost=None, kind=kind, evidence=leg.evidence, means_all=leg.means_all)
        legs.append(nxt)
    legs[0].destination = _place(seq[0])
    return legs
