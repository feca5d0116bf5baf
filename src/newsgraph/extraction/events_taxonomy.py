"""ACLED event type and sub-event type of each event (data/ontology.toml ``[acled]``).

    classify(event, ctx) -> dict      {acled_event_type, acled_sub_event_type, disorder_type, acled_reason}
    taxonomy() -> Taxonomy            the codebook's types and sub-event types with definitions

The first rule of ``[[acled.rules]]`` that takes the event's type and whose cue words occur
in the event's clause (its trigger, the trigger's phrase, the words of its clause and of the
clauses that tell how it happened: "killed when barrel bombs fell") decides; a rule with
``patients`` looks at the victims' words instead, one with ``agents_state`` at whether the
agent is a state's forces (the actor words of data/acled.toml); a rule with neither is the type's default
and says so in its reason. newsgraph's own types (``own_types``: border crossing,
deportation ...) carry no ACLED type and say why. Nothing here is a list of words: the cues
are data.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import tomllib
from importlib import resources

from newsgraph.extraction import events_syntax as sx
from newsgraph.extraction.events_lexicon import load_ontology_data

__all__ = ["classify", "taxonomy", "Taxonomy"]

# clauses of the trigger's sentence that tell another event or its report, not this one
_OTHER_CLAUSES = {"conj", "parataxis", "ccomp", "relcl"}


@dataclass(frozen=True)
class Rule:
    types: frozenset[str]
    words: frozenset[str]          # one-word cues, matched on lemmas and lower-case words
    phrases: tuple[str, ...]       # cues with a space or hyphen, matched in the clause's text
    patients: frozenset[str]
    agents_state: bool             # the agent is a state's forces (data/acled.toml actor words)
    sub_event_type: str
    reason: str


@dataclass(frozen=True)
class Taxonomy:
    event_types: dict               # name -> {disorder_type, definition}
    sub_event_types: dict           # name -> {event_type, definition}
    own_types: frozenset[str]
    rules: tuple[Rule, ...]


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    raw = load_ontology_data()["acled"]
    rules = []
    for r in raw["rules"]:
        cues = [c.lower() for c in r.get("cues", [])]
        sub = r["sub_event_type"]
        if sub not in raw["sub_event_types"]:
            raise ValueError(f"ontology.toml [[acled.rules]]: {sub!r} is not an ACLED sub-event type")
        rules.append(Rule(frozenset(r["types"]), frozenset(c for c in cues if " " not in c and "-" not in c),
                          tuple(c for c in cues if " " in c or "-" in c), frozenset(r.get("patients", [])),
                          bool(r.get("agents_state")), sub, r["reason"]))
    return Taxonomy(dict(raw["event_types"]), dict(raw["sub_event_types"]), frozenset(raw["own_types"]), tuple(rules))


@lru_cache(maxsize=1)
def _state_words() -> tuple[str, ...]:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("acled.toml").read_text("utf-8"))
    return tuple(w for g in data["inter"]["by_words"] if g["inter"] == "State forces" for w in g["words"])


def _state_agent(ev) -> str | None:
    for p in ev.participants:
        if p.get("role") == "agent":
            text = " " + " ".join((p.get("text") or "").lower().split()) + " "
            hit = next((w for w in _state_words() if f" {w} " in text or f" {w}s " in text), None)
            if hit:
                return hit
    return None


def _clause_tokens(tok) -> list:
    """The trigger's phrase and clause, without the clauses that tell other things."""
    clause = sx.clause_verb(tok)
    out, stack = [], [clause]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in _OTHER_CLAUSES or tok in c.subtree)
    out.extend(t for t in tok.subtree if t not in out)
    return sorted(out, key=lambda t: t.i)


def _patient_words(ev, doc) -> set[str]:
    """Lemmas of the people and things the event was done to (every participant but its agent)."""
    words: set[str] = set()
    for p in ev.participants:
        if p.get("role") in ("agent", "means") or p.get("start") is None:
            continue
        span = doc.char_span(p["start"], p["end"], alignment_mode="expand")
        if span is not None:
            words.update(t.lemma_.lower() for t in span)
    return words


def classify(ev, ctx) -> dict:
    tx = taxonomy()
    if ev.type in tx.own_types:
        return {"acled_event_type": None, "acled_sub_event_type": None, "disorder_type": None,
                "acled_reason": "a newsgraph type the ACLED codebook does not code"}
    span = ctx.doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
    toks = _clause_tokens(span.root) if span is not None and len(span) else []
    words = {t.lemma_.lower() for t in toks if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ")} | \
            {t.lower_ for t in toks if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ")}
    text = " ".join(t.lower_ for t in toks)
    patients = None
    for rule in tx.rules:
        if ev.type not in rule.types:
            continue
        if rule.words or rule.phrases:
            hit = next((w for w in rule.words if w in words), None) or \
                next((p for p in rule.phrases if p in text), None)
            if hit is None:
                continue
            reason = f"{rule.reason} ({hit!r})"
        elif rule.agents_state:
            hit = _state_agent(ev)
            if hit is None:
                continue
            reason = f"{rule.reason} ({hit!r})"
        elif rule.patients:
            if patients is None:
                patients = _patient_words(ev, ctx.doc)
            hit = next((w for w in sorted(rule.patients) if w in patients), None)
            if hit is None:
                continue
            reason = f"{rule.reason} ({hit!r})"
        else:
            reason = rule.reason
        etype = tx.sub_event_types[rule.sub_event_type]["event_type"]
        return {"acled_event_type": etype, "acled_sub_event_type": rule.sub_event_type,
                "disorder_type": tx.event_types[etype]["disorder_type"], "acled_reason": reason}
    return {"acled_event_type": None, "acled_sub_event_type": None, "disorder_type": None,
            "acled_reason": "no ACLED rule takes this type"}
