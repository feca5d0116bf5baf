"""The event ontology (data/ontology.toml) compiled for lookup, loaded once per process.

``ontology()`` returns an ``Ontology``: the types with their mappings, the trigger specs
indexed by the lemma of their head word, the preposition roles, means, place and human
nouns, the factuality cues, and the merge and movement settings. Nothing here knows a type
by name: the data says everything.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class TriggerSpec:
    type: str
    lemma: str                       # as written ("blow up")
    words: tuple[str, ...]           # ("blow", "up")
    head: int                        # index of the head word in words
    pos: str | None
    requires: tuple[str, ...] = ()
    prep: str | None = None
    arg_lemmas: tuple[str, ...] = ()
    subj_lemmas: tuple[str, ...] = ()
    obj_lemmas: tuple[str, ...] = ()
    not_obj_labels: tuple[str, ...] = ()
    dobj_role: str = "patient"
    means: str | None = None
    agentive: bool = False           # the noun names the doer ("bombers"): it is the agent
    priority: int = 0

    @property
    def head_word(self) -> str:
        return self.words[self.head]

    @property
    def others(self) -> tuple[str, ...]:
        return tuple(w for i, w in enumerate(self.words) if i != self.head)


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    roles: tuple[str, ...]
    count_role: str | None
    mover_roles: tuple[str, ...]
    movement_kind: str | None
    plover: tuple[str, ...]
    cameo: tuple[str, ...]
    poss_role: str = "agent"
    place_roles: tuple[str, ...] = ("location", "destination", "origin", "via")
    absorbs: dict = field(default_factory=dict, hash=False, compare=False)
    prep_roles: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Cue:
    cls: str                        # factuality class
    scope: str                      # chain | ancestors | sentence
    words: tuple[str, ...]
    verbs_only: bool = False


@dataclass
class Ontology:
    types: dict[str, EventType]
    triggers: dict[str, list[TriggerSpec]]        # head lemma -> specs, best first
    prepositions: dict[str, str]
    help_nouns: frozenset[str]
    direction_adverbs: frozenset[str]
    via_nouns: frozenset[str]
    operation_nouns: frozenset[str]
    place_nouns: frozenset[str]
    border_nouns: frozenset[str]
    not_place_nouns: frozenset[str]
    human_nouns: frozenset[str]
    means: dict[str, str]
    facilitator_nouns: frozenset[str]
    factuality_order: tuple[str, ...]
    historical_years: int
    quotes_are_reported: bool
    cues: list[Cue]                              # longest first
    merge: dict
    movement: dict
    plover_eval: list[dict]
    raw: dict
    not_human_pronouns: frozenset[str] = frozenset()


def _tuple(v) -> tuple[str, ...]:
    return tuple(v or ())


def _spec(type_name: str, d: dict) -> TriggerSpec:
    words = tuple(d["lemma"].lower().split())
    pos = d.get("pos")
    head = d.get("head", 0 if pos in ("VERB", "ADJ", None) else len(words) - 1)
    priority = int(d.get("priority", 0)) + (10 if len(words) > 1 else 0)
    return TriggerSpec(
        type=type_name, lemma=d["lemma"], words=words, head=head, pos=pos,
        requires=_tuple(d.get("requires")), prep=d.get("prep"),
        arg_lemmas=_tuple(d.get("arg_lemmas")), subj_lemmas=_tuple(d.get("subj_lemmas")),
        obj_lemmas=_tuple(d.get("obj_lemmas")), not_obj_labels=_tuple(d.get("not_obj_labels")),
        dobj_role=d.get("dobj_role", "patient"), means=d.get("means"),
        agentive=bool(d.get("agentive", False)), priority=priority,
    )


def load_ontology_data() -> dict:
    text = resources.files("newsgraph.data").joinpath("ontology.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def ontology() -> Ontology:
    raw = load_ontology_data()
    types: dict[str, EventType] = {}
    triggers: dict[str, list[TriggerSpec]] = {}
    for name, t in raw["types"].items():
        types[name] = EventType(
            name=name, description=t["description"], roles=_tuple(t.get("roles")),
            count_role=t.get("count_role"), mover_roles=_tuple(t.get("mover_roles")),
            movement_kind=t.get("movement_kind"), plover=_tuple(t.get("plover")),
            cameo=_tuple(t.get("cameo")),
            poss_role=t.get("poss_role", "agent"), prep_roles=dict(t.get("prep_roles", {})),
            place_roles=tuple(t.get("place_roles", ("location", "destination", "origin", "via"))),
            absorbs=dict(t.get("absorbs", {})),
        )
        for d in t.get("triggers", []):
            spec = _spec(name, d)
            triggers.setdefault(spec.head_word, []).append(spec)
    for specs in triggers.values():
        specs.sort(key=lambda s: -s.priority)
    preps = dict(raw["prepositions"])
    help_nouns = frozenset(preps.pop("help_nouns", []))
    direction_adverbs = frozenset(preps.pop("direction_adverbs", []))
    via_nouns = frozenset(preps.pop("via_nouns", []))
    operation_nouns = frozenset(preps.pop("operation_nouns", []))
    place_nouns = frozenset(preps.pop("place_nouns", []))
    border_nouns = frozenset(preps.pop("border_nouns", []))
    not_place = frozenset(preps.pop("not_place_nouns", []))
    human = frozenset(preps.pop("human_nouns", []))
    not_human = frozenset(preps.pop("not_human_pronouns", []))
    fact = raw["factuality"]
    cues = []
    for key, c in fact.get("cues", {}).items():
        cls = c.get("class", key)
        for phrase in c["phrases"]:
            words = tuple(phrase.lower().split())
            cues.append(Cue(cls=cls, scope=c["scope"], words=words,
                            verbs_only=bool(c.get("verbs_only")) and len(words) == 1))
    cues.sort(key=lambda c: -len(c.words))
    return Ontology(
        types=types, triggers=triggers, prepositions=preps, help_nouns=help_nouns,
        direction_adverbs=direction_adverbs,
        via_nouns=via_nouns, operation_nouns=operation_nouns,
        place_nouns=place_nouns, border_nouns=border_nouns, not_place_nouns=not_place,
        human_nouns=human, means=dict(raw.get("means", {})),
        facilitator_nouns=frozenset(raw.get("facilitators", {}).get("nouns", [])),
        factuality_order=tuple(fact["order"]), historical_years=int(fact.get("historical_years", 2)),
        quotes_are_reported=bool(fact.get("quotes_are_reported", True)), cues=cues,
        merge=dict(raw.get("merge", {})), movement=dict(raw.get("movement", {})),
        plover_eval=list(raw.get("plover_eval", [])), raw=raw, not_human_pronouns=not_human,
    )


def event_types() -> list[str]:
    """Names of the event types, in the order of the ontology file."""
    return list(ontology().types)
