"""Events of one document: typed (data/ontology.toml), with participants, time, place,
counts, money, factuality and evidence.

    extract_events(doc, entities, times, quantities, published=None) -> list[Event]

``doc`` is the spaCy Doc of the clean text (``load_nlp()``), ``entities`` the mentions of
``extract_entities(doc)``, ``times`` of ``find_times``, ``quantities`` of ``find_quantities``,
all with character offsets in ``doc.text``. Triggers are the ontology's lemmas checked
against the dependency parse; roles come from subjects, objects and prepositions (see
events_roles); the time is the time expression of the trigger's clause (or of the clause it
depends on); factuality comes from cue words in scope (events_factuality).

One record per event, not per mention: a kill next to an attack gives the attack its
fatalities; compatible mentions of one type in one sentence merge; a later mention whose
patient is anaphoric ("the suspects were arrested", "the attack") merges into the earlier
event; "five of the detainees" becomes a sub-count of the event it refers back to.
Dates are ISO strings and keep their precision; nothing is invented.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from spacy.tokens import Doc, Span, Token

from newsgraph.extraction import events_counts as counts
from newsgraph.extraction import events_syntax as sx
from newsgraph.extraction.events_day import date_events
from newsgraph.extraction.events_senses import other_sense
from newsgraph.extraction.events_taxonomy import classify
from newsgraph.extraction.events_factuality import cue_matches, factuality
from newsgraph.extraction.events_lexicon import TriggerSpec, ontology
from newsgraph.extraction.events_merge import Mention, join_incident_mentions, merge_mentions
from newsgraph.extraction.events_roles import Arg, arguments, operation_nouns, satisfies

__all__ = ["Event", "extract_events"]


@dataclass
class Event:
    type: str
    trigger: str
    trigger_start: int
    trigger_end: int
    sentence_start: int
    sentence_end: int
    participants: list[dict] = field(default_factory=list)
    time: dict | None = None
    place: dict | None = None
    count: dict | None = None
    sub_counts: list[dict] = field(default_factory=list)
    fatalities: dict | None = None
    injured: dict | None = None
    money: list[dict] = field(default_factory=list)
    factuality: str = "asserted"
    evidence: list[dict] = field(default_factory=list)
    acled: dict | None = None     # ACLED event type, sub-event type, disorder type, reason (events_taxonomy)

    def to_dict(self) -> dict:
        return asdict(self)

    def role(self, name: str) -> list[dict]:
        return [p for p in self.participants if p["role"] == name]


# ---------------------------------------------------------------------------------------

class Context:
    """What the rules read about one document."""

    def __init__(self, doc: Doc, entities, times, quantities, published: dt.date | None):
        self.doc = doc
        self.text = doc.text
        self.onto = ontology()
        self.ents = sx.EntityIndex(doc, entities)
        self.persons = sorted((m for m in self.ents.mentions if m.label == "PERSON"), key=lambda m: m.start)
        self.times = [t for t in times if t.kind in ("date", "time") or (t.kind == "duration" and t.start_date)]
        self.quantities = list(quantities)
        self.published = published
        self.quotes = sx.quote_spans(self.text)
        self._type_lemmas: dict[str, set[str]] = {}
        for lemma, specs in self.onto.triggers.items():
            for s in specs:
                self._type_lemmas.setdefault(s.type, set()).add(lemma)

    def poss_role(self, type_name: str) -> str:
        return self.onto.types[type_name].poss_role

    @staticmethod
    def agentive(spec: TriggerSpec) -> bool:
        return spec.agentive

    def count_in(self, arg: Arg):
        for q in self.quantities:
            if q.kind == "count" and q.start < arg.end and q.end > arg.start:
                return q
        return None

    def money_near(self, tok: Token) -> list:
        scope = tok if sx.is_verb(tok) else sx.clause_verb(tok)
        toks = list(scope.subtree)
        if not toks:
            return []
        lo, hi = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        return [q for q in self.quantities if q.kind == "money" and lo <= q.start and q.end <= hi]

    def sentence_has_type(self, tok: Token, type_name: str) -> bool:
        lemmas = self._type_lemmas.get(type_name, set())
        return any(t.lemma_.lower() in lemmas for t in tok.sent if t != tok)

    def person_before(self, pos: int):
        """The last PERSON mention starting before ``pos`` (recency, gender-agnostic)."""
        best = None
        for m in self.persons:
            if m.start >= pos:
                break
            best = m
        return best

    def quote_start(self, pos: int) -> int | None:
        for a, b in self.quotes:
            if a <= pos < b:
                return a
        return None


# ---------------------------------------------------------------------------------------
# triggers

def _lookup(tok: Token, onto) -> list[TriggerSpec]:
    keys = [tok.lemma_.lower(), tok.lower_]
    if tok.dep_ == "amod" and tok.lower_.endswith("ed"):
        keys += [tok.lower_[:-2], tok.lower_[:-1]]
    seen, out = set(), []
    for k in keys:
        for s in onto.triggers.get(k, []):
            if id(s) not in seen:
                seen.add(id(s))
                out.append(s)
    return out


def _pos_ok(tok: Token, spec: TriggerSpec) -> bool:
    if spec.pos == "ADJ":
        return tok.dep_ == "amod" and tok.tag_ in ("VBN", "JJ", "VBD")
    if tok.dep_ == "amod":
        return False
    if spec.pos == "VERB":
        return sx.is_verb(tok)
    if spec.pos == "NOUN":
        return tok.pos_ in ("NOUN", "PROPN") or (tok.tag_ == "VBG" and tok.dep_ in ("pobj", "dobj", "nsubj"))
    return True


def _others(tok: Token, spec: TriggerSpec) -> tuple[Token, ...] | None:
    found: list[Token] = []
    near = [c for c in tok.children] + [g for c in tok.children for g in c.children]
    for w in spec.others:
        hit = next((t for t in near if t not in found and (t.lower_ == w or t.lemma_.lower() == w)), None)
        if hit is None:
            return None
        found.append(hit)
    return tuple(found)


def _triggers(sent: Span, ctx: Context):
    cands = []
    for tok in sent:
        for spec in _lookup(tok, ctx.onto):
            if not _pos_ok(tok, spec):
                continue
            extra = _others(tok, spec)
            if extra is None:
                continue
            cands.append((spec, tok, extra))
    cands.sort(key=lambda c: (-c[0].priority, c[1].i))
    taken: set[int] = set()
    out = []
    for spec, tok, extra in cands:
        if tok.i in taken or any(e.i in taken for e in extra):
            continue
        args = arguments(tok, spec, ctx, extra)
        if not satisfies(spec, tok, args, ctx) or other_sense(tok, sent):
            continue
        taken.add(tok.i)
        taken.update(e.i for e in extra)
        out.append((tok, spec, args, extra))
    out.sort(key=lambda c: c[0].i)
    return out


# ---------------------------------------------------------------------------------------
# slots

def _verb_up(tok: Token, stop: set[str]) -> list[Token]:
    """Verbs governing ``tok`` up to a clause boundary in ``stop``."""
    out, t = [], tok
    for _ in range(12):
        if t.dep_ in stop or t.head == t:
            break
        t = t.head
        if sx.is_verb(t):
            out.append(t)
    return out


def _time_score(root: Token, tok: Token, clause: Token, ops: list[Token] = (), span_toks=None) -> float | None:
    t = root
    for _ in range(12):              # attached under the (noun) trigger itself
        if t == tok:
            return 0
        if t.head == t or (sx.is_verb(t) and t != root):
            break
        t = t.head
    tc = sx.clause_verb(root.head if root.head != root else root)
    if tc == clause:
        return 1
    if clause.dep_ == "relcl" and span_toks is not None and clause.head in span_toks:
        return 1.5                  # "on December 12, the same day Belgium issued a warrant"
    ups = _verb_up(clause, {"relcl", "conj", "parataxis", "ccomp", "appos"})
    if tc in ups:
        return 2 + ups.index(tc) * 0.1
    if ops and any(a in ops for a in list(root.ancestors)[:4]):
        return 3                    # "... in a series of raids in Gaziantep on October 2"
    return None


def _time_for(tok: Token, spec: TriggerSpec, sent: Span, ctx: Context) -> dict | None:
    clause = sx.clause_verb(tok)
    ops = operation_nouns(tok, ctx)
    own_only = spec.agentive or (not sx.is_verb(tok) and tok.dep_ in {"compound", "appos", "conj", "npadvmod"})
    best = None
    for t in ctx.times:
        if not (sent.start_char <= t.start < sent.end_char):
            continue
        span = ctx.doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        score = _time_score(root, tok, clause, ops, list(span))
        if score is None or (own_only and score > 0):
            continue
        key = (score, abs(root.i - tok.i))
        if best is None or key < best[0]:
            best = (key, t)
    if best is None:
        return None
    t = best[1]
    return {"text": t.text, "start": t.start, "end": t.end, "start_date": t.start_date,
            "end_date": t.end_date, "precision": t.precision, "value": t.value}


def _place(args: list[Arg], order: tuple[str, ...]) -> dict | None:
    for named in (True, False):
        for role in order:
            for a in args:
                if a.role == role and a.place and a.named == named:
                    return a.place_dict()
    return None


def _qdict(q, **extra) -> dict:
    return counts.qdict(q, **extra)


def _count(args: list[Arg], role: str | None, ctx: Context) -> tuple[dict | None, list[dict]]:
    """The count of ``role``: its first count of people, with the counts coordinated with it
    added and the nested ones as sub-counts (events_counts.combine)."""
    if role is None:
        return None, []
    found = []
    for a in args:
        if a.role == role:
            q = ctx.count_in(a)
            if q is not None and all(q is not f for f in found):
                found.append(q)
    if not found:
        return None, []
    return counts.people_count(found, ctx, args[0].tok.sent.end_char)


def _count_nearby(tok: Token, ctx: Context) -> tuple[dict | None, list[dict]]:
    """When the parse loses the patient ("giving a safe passage to 3500 IS family members and
    250 fighters"): counts of people after the trigger in its phrase, summed when coordinated."""
    hi = tok.sent.end_char
    human = ctx.onto.human_nouns
    found = []
    for q in ctx.quantities:
        if q.kind != "count" or q.start < tok.idx + len(tok.text) or q.end > hi:
            continue
        if not q.unit or (q.unit not in human and q.unit.rstrip("s") not in human):
            continue
        if not counts.is_person_count(q, ctx):
            continue
        if found and ctx.text[found[-1].end:q.start].strip(" ,") not in ("and", "plus", "as well as"):
            break
        found.append(q)
    if not found:
        return None, []
    return _count([Arg("patient", tok, q.start, q.end, q.text) for q in found], "patient", ctx)


def _speaker_of(p: dict, ctx: Context) -> dict | None:
    """"One detainee told the units that he had travelled ...": a pronoun in what someone
    says is that someone, when the speaker is named or described (not itself a pronoun)."""
    span = ctx.doc.char_span(p["start"], p["end"], alignment_mode="expand")
    if span is None or span.root.lower_ not in ("he", "she") or span.root.dep_ not in ("nsubj", "nsubjpass"):
        return None
    say = {c.words[0] for c in ctx.onto.cues if c.cls == "reported" and len(c.words) == 1}
    for anc in span.root.ancestors:
        if sx.is_verb(anc) and anc.lemma_.lower() in say:
            subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
            if subj is None or subj.pos_ == "PRON":
                return None
            m = ctx.ents.at(subj)
            if m is not None:
                if m.label != "PERSON":
                    return None
                return {"canonical": m.canonical, "label": "PERSON",
                        "antecedent": {"text": m.text, "start": m.start, "end": m.end}}
            if subj.lemma_.lower() not in ctx.onto.human_nouns:
                return None
            toks = sx.np_tokens(subj)
            start, end = sx.span_of(toks)
            return {"canonical": ctx.text[start:end], "label": None,
                    "antecedent": {"text": ctx.text[start:end], "start": start, "end": end}}
    return None


def _resolve_pronoun(p: dict, ctx: Context) -> dict:
    word = p["text"].lower()
    mv = ctx.onto.movement
    if word not in mv.get("pronouns", []) or word in mv.get("group_pronouns", []):
        return p
    pos = p["start"]
    if word in mv.get("first_person", []):
        q = ctx.quote_start(pos)
        if q is None:
            return p
        pos = q
    speaker = _speaker_of(p, ctx)
    if speaker is not None:
        return dict(p, **speaker, resolved_from=p["text"])
    m = ctx.person_before(pos)
    if m is not None:
        p = dict(p, canonical=m.canonical, label="PERSON", resolved_from=p["text"],
                 antecedent={"text": m.text, "start": m.start, "end": m.end})
    return p


def _build(tok: Token, spec: TriggerSpec, args: list[Arg], extra, sent: Span, matches, ctx: Context) -> Mention:
    etype = ctx.onto.types[spec.type]
    toks = sorted([tok, *extra], key=lambda t: t.i)
    t_start, t_end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    parts, seen = [], set()
    money_spans = [(q.start, q.end) for q in ctx.quantities if q.kind == "money"]
    extra_ends = {e.idx: e.idx + len(e.text) for e in extra}
    for a in args:
        if a.role not in etype.roles or (a.role, a.start) in seen:
            continue
        if any(ms < a.end and a.start < me for ms, me in money_spans):
            continue                # "$2,000 each" is money, not a participant
        if a.start in extra_ends:   # "shot dead scores of ..." -> "scores of ..."
            a.start = next((t.idx for t in a.tok.doc if t.idx > extra_ends[a.start] - 1 and not t.is_space), a.start)
            a.text = ctx.text[a.start:a.end]
        seen.add((a.role, a.start))
        parts.append(_resolve_pronoun(a.participant(), ctx))
    time = _time_for(tok, spec, sent, ctx)
    count, subs = _count(args, etype.count_role, ctx)
    if count is None and etype.count_role and tok.dep_ == "dobj" and sx.is_verb(tok.head) and not sx.is_verb(tok):
        count, subs = _count_nearby(tok, ctx)   # "giving a safe passage to 3500 ..."
    if count is None and spec.type in ctx.onto.merge.get("fatality_types", []):
        count = counts.singular_victim(args, etype.count_role, ctx) or counts.among_the_dead(tok, ctx) \
            or counts.right_after(tok, ctx)
    injured, fatalities = None, None
    if counts.is_injury(tok):       # "wounded 30": the injured, not the people attacked
        injured, count, subs = count, None, []
    if spec.type in ctx.onto.merge.get("fatality_types", []) and count:
        fatalities = dict(count)
    if spec.type in counts.settings()["casualty_types"]:
        stated = counts.sentence_outcomes(sent, ctx)
        fatalities = fatalities or stated.get("fatalities")
        injured = injured or stated.get("injured")
        if count is None and spec.type in ctx.onto.merge.get("fatality_types", []) and fatalities:
            count = dict(fatalities)
    money = [_qdict(q, per=q.per, trend=q.trend) for q in ctx.money_near(tok)]
    fact = factuality(tok, matches, ctx.onto, in_quote=sx.inside(ctx.quotes, t_start, t_end),
                      time=time, published=ctx.published)
    ev = Event(
        type=spec.type, trigger=ctx.text[t_start:t_end], trigger_start=t_start, trigger_end=t_end,
        sentence_start=sent.start_char, sentence_end=sent.end_char, participants=parts, time=time,
        place=_place(args, etype.place_roles), count=count, sub_counts=subs,
        fatalities=fatalities, injured=injured,
        money=money, factuality=fact,
        evidence=[{"start": sent.start_char, "end": sent.end_char, "sentence": sent.text}],
    )
    return Mention(event=ev, tok=tok, spec=spec, args=args, sent_index=ctx.sent_index[sent.start])


def extract_events(doc: Doc, entities, times, quantities, published: dt.date | None = None) -> list[Event]:
    """The events of one document, in text order (see the module docstring)."""
    ctx = Context(doc, entities, times, quantities, published)
    sents = list(doc.sents)
    ctx.sent_index = {s.start: i for i, s in enumerate(sents)}
    mentions: list[Mention] = []
    for sent in sents:
        found = _triggers(sent, ctx)
        if not found:
            continue
        matches = cue_matches(sent, ctx.onto)
        for tok, spec, args, extra in found:
            if spec.type in ctx.onto.merge.get("fatality_types", []) and counts.is_cumulative(tok, ctx):
                continue            # a war's running toll is background, not an incident
            if counts.opens_a_period(tok):
                continue            # "since the fighting began": the start of a period
            mentions.append(_build(tok, spec, args, extra, sent, matches, ctx))
    kept = merge_mentions(mentions, sents, ctx)
    date_events([k.event for k in kept], sents, ctx)
    events = [k.event for k in join_incident_mentions(kept, ctx)]
    for ev in events:
        ev.acled = classify(ev, ctx)
    return events
