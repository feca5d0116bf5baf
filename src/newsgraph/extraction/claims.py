"""Atomic claims of one document: subject, predicate, object, slots, with their attribution.

``extract_claims(doc, entities, times, quantities, attributions)`` reads the dependency
parse of every sentence and makes one ``Claim`` per clause that states something: the main
clause, each conjoined clause ("He was caught three days later … and deported to the
Netherlands" gives two claims), reported content ("Bozkurt said, ISIS leadership believed
…" gives the content, not "Bozkurt said"), relative clauses about a named participant
("al-Qadr, who joined IS in 2015") and "after paying smugglers $2,000 each".

* Passive clauses are turned active: the agent ("by YPG") is the subject, the patient the
  object; without an agent the subject is implicit (text None) and slots["voice"] is
  "passive".
* "tried to cross" gives predicate "cross" with slots["aspect"] = "attempt" (data:
  [claims] control in attribution_cues.toml).
* Slots: time (the TimeExpr in the clause, else the one of the clause it is coordinated
  with), place and places (entities after "in", "to", "from", "via" …), quantity (the count
  in the object or subject), money.
* Pronouns: he/she resolve to the last person named outside quotations; I/we inside a
  quotation to the speaker.
* Modality comes from the sentence's attribution: opinion claims keep "opinion".
"""
from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from newsgraph.extraction.attribution import Attribution, cues
from newsgraph.extraction.claims_proposition import clause_problem, proposition_text, sentence_problem
from newsgraph.extraction.claims_syntax import clause_heads, own_tokens, phrase_tokens

CLAIM_LABELS = ("PERSON", "ORG", "GROUP", "NORP", "PLACE", "FACILITY", "EVENT", "MISC")


@dataclass
class Claim:
    text: str
    subject: dict
    predicate: str
    object: dict | None
    slots: dict
    modality: str
    negated: bool
    attribution: Attribution
    evidence: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def claim_cues() -> dict:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("attribution_cues.toml").read_text("utf-8"))
    c = data["claims"]
    return {
        "control": dict(c["control"]),
        "frame_verbs": frozenset(c["frame_verbs"]),
        "place_preps": dict(c["place_preps"]),
        "place_labels": frozenset(c["place_labels"]),
        "speaker_pronouns": frozenset(c["speaker_pronouns"]),
        "negating_aspects": frozenset(c["negating_aspects"]),
        "raising": frozenset(c["raising"]),
    }


def _record(x) -> dict:
    if x is None:
        return None
    if isinstance(x, dict):
        return dict(x)
    if is_dataclass(x):
        return {f.name: getattr(x, f.name) for f in fields(x)}
    return dict(vars(x))


class _Doc:
    def __init__(self, doc: Doc, entities, times, quantities, attributions):
        self.doc, self.text = doc, doc.text
        self.entities = sorted(entities, key=lambda e: e.start)
        self.times = sorted((_record(t) for t in times), key=lambda t: t["start"])
        self.quantities = sorted((_record(q) for q in quantities), key=lambda q: q["start"])
        self.attributions = list(attributions)
        self.c, self.cc = cues(), claim_cues()
        from newsgraph.extraction.attribution import find_quotes, paragraph_starts

        self.quotes = [q for q in find_quotes(self.text, paragraph_starts(self.text))]
        self.quoted = bytearray(len(self.text) + 1)
        for q in self.quotes:
            self.quoted[q.open:q.close] = b"\x01" * (q.close - q.open)

    def entity_at(self, tok: Token):
        for e in self.entities:
            if e.start <= tok.idx < e.end:
                return e
            if e.start > tok.idx:
                break
        return None

    def person_before(self, pos: int, inside_quote: bool):
        best = None
        for e in self.entities:
            if e.start >= pos:
                break
            if e.label == "PERSON" and bool(self.quoted[e.start]) == inside_quote:
                best = e
        if inside_quote and best is not None:  # only a person named in the same quotation
            q = next((q for q in self.quotes if q.open <= pos < q.close), None)
            if q is None or best.start < q.open:
                return None
        return best

    def attribution_for(self, sent: Span) -> Attribution | None:
        for a in self.attributions:
            if a.sentence_start <= sent.start_char < a.sentence_end:
                return a
        return None


def _mention(ctx: _Doc, tok: Token | None, att: Attribution | None) -> dict | None:
    """{"text","canonical","start","end"} of the phrase headed by ``tok``."""
    if tok is None:
        return None
    low = tok.lower_
    inside = bool(ctx.quoted[tok.idx])
    if low in ctx.cc["speaker_pronouns"] and inside and att is not None and att.speaker is not None:
        return {"text": tok.text, "canonical": att.speaker["canonical"], "start": tok.idx, "end": tok.idx + len(tok)}
    if low in ctx.c.person_pronouns:
        ant = ctx.person_before(tok.idx, inside)
        return {"text": tok.text, "canonical": ant.canonical if ant else None, "start": tok.idx,
                "end": tok.idx + len(tok)}
    toks = phrase_tokens(tok)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    ent = ctx.entity_at(tok)
    if ent is None and tok.pos_ == "NOUN":  # "Global terrorist outfit Islamic State (ISIS)"
        ent = next((ctx.entity_at(c) for c in tok.children if c.dep_ == "appos" and ctx.entity_at(c) is not None), None)
    canonical = ent.canonical if ent is not None and ent.label in CLAIM_LABELS else None
    out = {"text": ctx.text[start:end], "canonical": canonical, "start": start, "end": end}
    if ent is not None:
        out["label"] = ent.label
    return out


IMPLICIT = {"text": None, "canonical": None, "start": None, "end": None}


def _in_span(item: dict, start: int, end: int) -> bool:
    return start <= item["start"] and item["end"] <= end


def _slots(ctx: _Doc, head: Token, pred: Token, own: list[Token], subj: dict | None, obj: dict | None,
           args: tuple = ()) -> dict:
    slots: dict = {}
    lo, hi = own[0].idx, own[-1].idx + len(own[-1])
    own_ids = {t.i for t in own}
    times = [t for t in ctx.times if _in_span(t, lo, hi) and _first_token(ctx, t) in own_ids]
    for t in times:  # a date, a duration ("for two days"), a frequency ("monthly")
        key = {"duration": "duration", "set": "frequency"}.get(t.get("kind"), "time")
        slots.setdefault(key, t)
    places = []
    for word in (head, pred, *args):  # the verb's, and "police in Gaziantep", "36 people in Istanbul"
        if word is None:
            continue
        for prep in word.children:
            role = ctx.cc["place_preps"].get(prep.lower_) if prep.dep_ in ("prep", "agent", "prt") else None
            if role is None or (word not in (head, pred) and role not in ("in", "at", "near")):
                continue
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                for p in _conjuncts(pobj):
                    # "to Turkey", "to the border province of Gaziantep"
                    ent = next((e for e in map(ctx.entity_at, phrase_tokens(p))
                                if e is not None and e.label in ctx.cc["place_labels"]), None)
                    if ent is not None and all(x["start"] != ent.start for x in places):
                        places.append({"text": ent.text, "canonical": ent.canonical, "start": ent.start,
                                       "end": ent.end, "prep": role})
    for tok in own:  # places deeper in the clause: "made it across the frontier to towns in southern Turkey"
        ent = ctx.entity_at(tok)
        if ent is not None and ent.label in ctx.cc["place_labels"] and all(x["start"] != ent.start for x in places):
            prep = next((a for a in tok.ancestors if a.dep_ == "prep"), None)
            role = ctx.cc["place_preps"].get(prep.lower_) if prep is not None else None
            places.append({"text": ent.text, "canonical": ent.canonical, "start": ent.start, "end": ent.end,
                           "prep": role, "nested": True})
    places.sort(key=lambda p: (bool(p.get("nested")), p["start"]))
    if places:
        slots["place"] = places[0]
        if len(places) > 1:
            slots["places"] = places
    counts = [q for q in ctx.quantities if q.get("kind") == "count"]
    for span in (obj, subj):
        if span and span.get("start") is not None:
            hit = next((q for q in counts if _in_span(q, span["start"], span["end"])), None)
            if hit is not None:
                slots["quantity"] = hit
                break
    if "quantity" not in slots:
        hit = next((q for q in counts if _in_span(q, lo, hi) and not _is_time(q, times)), None)
        if hit is not None:
            slots["quantity"] = hit
    money = [q for q in ctx.quantities if q.get("kind") == "money" and _in_span(q, lo, hi)]
    if money:
        slots["money"] = money[0]  # the first amount (kept for readers of one amount)
        slots["money_all"] = money  # every amount of the clause: "from $81 million ... to $10 million"
    return slots


def _first_token(ctx: _Doc, item: dict) -> int:
    span = ctx.doc.char_span(item["start"], item["end"], alignment_mode="expand")
    return span[0].i if span is not None and len(span) else -1


def _is_time(q: dict, times: list[dict]) -> bool:
    return any(t["start"] <= q["start"] < t["end"] for t in times)


def _conjuncts(tok: Token) -> list[Token]:
    out, stack = [tok], [c for c in tok.children if c.dep_ == "conj"]
    while stack:
        c = stack.pop(0)
        out.append(c)
        stack.extend(g for g in c.children if g.dep_ == "conj")
    return out


def extract_claims(doc: Doc, entities, times, quantities, attributions) -> list[Claim]:
    """Claims of ``doc`` in text order (see the module docstring)."""
    ctx = _Doc(doc, entities, times, quantities, attributions)
    claims: list[Claim] = []
    inherited_time: dict[int, dict] = {}
    for sent in doc.sents:
        att = ctx.attribution_for(sent)
        if att is None or sentence_problem(sent) is not None:
            continue
        for head in clause_heads(sent, ctx):
            built = _claim(ctx, sent, head, att, inherited_time)
            if built is not None:
                claims.append(built)
    return claims


def _claim(ctx: _Doc, sent: Span, clause, att: Attribution, inherited_time: dict) -> Claim | None:
    head, pred = clause.head, clause.predicate
    subj_tok, obj_tok, passive = clause.subject, clause.object, clause.passive
    agent = clause.agent
    if passive:
        subject = _mention(ctx, agent, att) or dict(IMPLICIT)
        obj = _mention(ctx, subj_tok, att)
    else:
        subject = _mention(ctx, subj_tok, att) or dict(IMPLICIT)
        obj = _mention(ctx, obj_tok, att)
    if subject.get("text") is None and obj is None:
        return None
    if clause_problem(clause, subject, obj) is not None:
        return None
    own = own_tokens(head, pred)
    slots = _slots(ctx, head, pred, own, subject if subject.get("text") else None, obj,
                   (subj_tok, obj_tok, agent))
    if "time" in slots:
        inherited_time[head.i] = slots["time"]
    elif clause.coordinated_with is not None and clause.coordinated_with in inherited_time:
        slots["time"] = inherited_time[clause.coordinated_with]
        inherited_time[head.i] = slots["time"]
    if passive:
        slots["voice"] = "passive"
    if clause.aspect:
        slots["aspect"] = clause.aspect
    text, start, end = proposition_text(ctx.text, clause, own, (obj or {}) if passive else subject)
    return Claim(
        text=text,
        subject=subject,
        predicate=clause.lemma,
        object=obj,
        slots=slots,
        modality=att.modality,
        negated=clause.negated,
        attribution=att,
        evidence={"start": start, "end": end, "sentence": sent.text.strip(),
                  "sentence_start": sent.start_char, "sentence_end": sent.end_char},
    )
