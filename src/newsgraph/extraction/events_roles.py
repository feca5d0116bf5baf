"""Arguments of an event trigger read off the dependency parse.

``arguments(tok, spec, ctx)`` returns the participants (agent = subject of an active verb,
patient = object or passive subject, origin / destination / via / facilitator / means from
prepositions, place nouns and the means lexicon) and the locations (in / at / near) of one
trigger; ``satisfies(spec, tok, args, ctx)`` checks a trigger spec's conditions.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from newsgraph.extraction import events_syntax as sx
from newsgraph.extraction.events_lexicon import TriggerSpec

PLACE_LABELS = {"PLACE", "FACILITY"}
HUMAN_LABELS = {"PERSON", "GROUP", "NORP", "ORG"}
CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "conj", "xcomp", "parataxis", "appos", "csubj"}
MOVE_ROLES = ("origin", "destination", "via")
REFLEXIVE = {"himself", "herself", "themselves", "itself", "myself", "ourselves", "yourself"}


@dataclass
class Arg:
    role: str
    tok: Token
    start: int
    end: int
    text: str
    label: str | None = None
    canonical: str | None = None
    relation: str | None = None     # the preposition, when there is one
    place: bool = False             # a place name or a place noun
    named: bool = False             # from an entity mention
    conj_of: int | None = None      # start of the first of coordinated arguments ("X and Y")

    def participant(self) -> dict:
        d = {"role": self.role, "text": self.text, "start": self.start, "end": self.end,
             "label": self.label, "canonical": self.canonical}
        if self.conj_of is not None:
            d["conj_of"] = self.conj_of
        return d

    def place_dict(self) -> dict:
        default = {"destination": "to", "origin": "from", "via": "via"}.get(self.role, "in")
        return {"text": self.text, "start": self.start, "end": self.end, "relation": self.relation or default}


def participant_arg(role: str, tok: Token, ctx, relation: str | None = None) -> Arg:
    """A participant from the noun phrase headed by ``tok`` (an entity mention when the head
    is inside one)."""
    tok = sx.resolve_relative(tok)
    m = ctx.ents.at(tok)
    if m is None:                   # "His brother Khalid el-Bakraoui"
        m = next((ctx.ents.at(c) for c in tok.children if c.dep_ in {"appos", "compound"} and ctx.ents.at(c)
                  is not None and ctx.ents.at(c).label == "PERSON"), None)
    if m is not None:
        return Arg(role, tok, m.start, m.end, m.text, m.label, m.canonical, relation,
                   place=m.label in PLACE_LABELS, named=True)
    toks = sx.np_tokens(tok)
    if tok.pos_ == "PROPN":
        inner = [e for e in ctx.ents.in_span(toks) if e.label in HUMAN_LABELS]
        if inner:
            e = inner[0]
            return Arg(role, tok, e.start, e.end, e.text, e.label, e.canonical, relation, named=True)
    start, end = sx.span_of(toks)
    label = "PRON" if tok.pos_ == "PRON" else None
    return Arg(role, tok, start, end, ctx.text[start:end], label, None, relation,
               place=_is_place_noun(tok, ctx))


def _is_place_noun(tok: Token, ctx) -> bool:
    lemma = tok.lemma_.lower()
    return lemma in ctx.onto.place_nouns and lemma not in ctx.onto.not_place_nouns


def place_arg(role: str, tok: Token, ctx, relation: str | None) -> Arg | None:
    """The place named in the phrase headed by ``tok``: "Turkey's tourist resort city of
    Antalya" -> Antalya; "one of the Istanbul districts" -> Istanbul; a place noun ("the
    border", "a southern Turkish community") when no name is given."""
    if tok.lemma_.lower() in ctx.onto.not_place_nouns:
        return None
    toks = sx.np_tokens(tok)
    own = ctx.ents.at(tok)
    if own is not None and own.label in PLACE_LABELS:
        best = own
    else:
        cands = [m for m in ctx.ents.in_span(toks) if m.label in PLACE_LABELS]
        nonposs = [m for m in cands if not _possessive(m, ctx)]
        best = (nonposs or cands)[0] if cands else None
        if best is not None and own is not None and own.label not in PLACE_LABELS:
            best = None           # "the Islamic State's territory": not a place name
    if best is not None:
        return Arg(role, tok, best.start, best.end, best.text, best.label, best.canonical, relation,
                   place=True, named=True)
    if _is_place_noun(tok, ctx):
        name = _name_after_of(tok)  # "the eastern city of Van" (a name the recogniser missed)
        if name is not None:
            start, end = sx.span_of(name)
            return Arg(role, tok, start, end, ctx.text[start:end], "PLACE", None, relation, place=True, named=True)
        for p in tok.children:      # "a pop concert in the northern English city of Manchester"
            if p.dep_ == "prep" and ctx.onto.prepositions.get(p.lower_, "").startswith("location"):
                for obj in _pobjs(p):
                    inner = place_arg(role, obj, ctx, relation or p.lower_)
                    if inner is not None and inner.named:
                        inner.tok = tok     # keeps the noun: "the border near Ras al-Ayn"
                        return inner
        start, end = sx.span_of(toks)
        return Arg(role, tok, start, end, ctx.text[start:end], None, None, relation, place=True)
    return None


def _name_after_of(tok: Token) -> list[Token] | None:
    for p in tok.children:
        if p.dep_ == "prep" and p.lower_ == "of":
            for o in p.children:
                if o.dep_ == "pobj" and o.pos_ == "PROPN" and o.ent_type_ in ("", "PLACE", "GPE", "LOC"):
                    toks = sorted([o, *[c for c in o.children if c.dep_ == "compound" and c.pos_ == "PROPN"]],
                                  key=lambda t: t.i)
                    if toks[-1].i - toks[0].i == len(toks) - 1:
                        return toks
    return None


def _possessive(m, ctx) -> bool:
    after = ctx.text[m.end:m.end + 2]
    return after.startswith("'s") or after.startswith("’s") or after in ("' ", "’ ")


def _pobjs(prep: Token) -> list[Token]:
    out = []
    for c in prep.children:
        if c.dep_ in {"pobj", "pcomp"} and not sx.is_verb(c) and c.ent_type_ not in {"DATE", "TIME"}:
            out.extend(sx.conjuncts(c))
    return out


def _prep_args(prep: Token, type_name: str, ctx, passive: bool) -> list[Arg]:
    word = prep.lower_
    rule = ctx.onto.types[type_name].prep_roles.get(word) or ctx.onto.prepositions.get(word)
    if rule is None or rule == "none":
        return []
    out: list[Arg] = []
    first: Arg | None = None
    for obj in _pobjs(prep):
        lemma = obj.lemma_.lower()
        arg = None
        if lemma in ctx.onto.via_nouns and word in ("by", "via"):     # "by way of Al Hasakah"
            for p in obj.children:
                if p.dep_ == "prep" and p.lower_ == "of":
                    out.extend(a for o in _pobjs(p) if (a := place_arg("via", o, ctx, "by way of")) is not None)
            continue
        if rule in ("origin", "destination", "via", "destination_if_place", "via_if_place"):
            role = rule.replace("_if_place", "")
            arg = place_arg(role, obj, ctx, word)
        elif rule in ("location", "location_if_place"):
            arg = place_arg("location", obj, ctx, word)
        elif rule == "patient_or_destination":
            arg = place_arg("destination", obj, ctx, word)
            if arg is None or not arg.named:
                arg = participant_arg("patient", obj, ctx, word)
        elif rule == "patient":
            arg = participant_arg("patient", obj, ctx, word)
        elif rule == "means_or_agent":
            if lemma in ctx.onto.means:
                arg = _means_arg(obj, ctx, word)
            elif passive or not sx.is_verb(prep.head):
                arg = participant_arg("agent", obj, ctx, word)
        elif rule == "means_or_facilitator":
            if lemma in ctx.onto.means:
                arg = _means_arg(obj, ctx, word)
            elif lemma in ctx.onto.help_nouns:
                for p in obj.children:
                    if p.dep_ == "prep" and p.lower_ == "of":
                        out.extend(participant_arg("facilitator", o, ctx, "with the help of") for o in _pobjs(p))
            elif lemma in ctx.onto.facilitator_nouns:
                arg = participant_arg("facilitator", obj, ctx, word)
        elif rule in ctx.onto.raw["meta"]["roles"]:
            arg = participant_arg(rule, obj, ctx, word)
        if arg is not None:
            if first is None:
                first = arg
            else:
                arg.conj_of = first.start
            out.append(arg)
            out.extend(conj_places(arg, ctx))
    return out


def conj_places(arg: Arg, ctx) -> list[Arg]:
    """"the border-towns of Sari Kani and Ad Darbasiyah": the places coordinated with the
    place name chosen inside a phrase."""
    if not (arg.named and arg.place):
        return []
    span = arg.tok.doc.char_span(arg.start, arg.end, alignment_mode="expand")
    if span is None or span.root == arg.tok:
        return []
    root = span.root
    while root.dep_ in {"compound", "nmod", "appos"} and (h := ctx.ents.at(root.head)) is not None \
            and h.label in PLACE_LABELS:
        root = root.head            # "Ras al-Ayn (Serêkaniyê) and Ad Darbasiyah"
    out = []
    for c in sx.conjuncts(root)[1:]:
        m = ctx.ents.at(c)
        if m is not None and m.label in PLACE_LABELS and m.start != arg.start and m.canonical != arg.canonical:
            out.append(Arg(arg.role, c, m.start, m.end, m.text, m.label, m.canonical, arg.relation,
                           place=True, named=True, conj_of=arg.start))
    return out


def _means_arg(tok: Token, ctx, relation: str | None) -> Arg:
    toks = sx.np_tokens(tok)
    start, end = sx.span_of(toks)
    return Arg("means", tok, start, end, ctx.text[start:end], None, ctx.onto.means[tok.lemma_.lower()], relation)


def _adverb_args(tok: Token, ctx) -> list[Arg]:
    out = []
    for c in tok.children:
        lemma = c.lemma_.lower()
        if c.dep_ in {"advmod", "npadvmod", "dobj"} and lemma in ctx.onto.means and c.pos_ in {"ADV", "ADJ"}:
            out.append(Arg("means", c, c.idx, c.idx + len(c.text), c.text, None, ctx.onto.means[lemma]))
        elif c.dep_ in {"advmod", "npadvmod"} and lemma == "home":
            out.append(Arg("destination", c, c.idx, c.idx + len(c.text), c.text, None, None, None, place=True))
    return out


def own_phrase(tok: Token) -> list[Token]:
    """Tokens under ``tok`` that are not in another finite clause (relative clauses, reported
    speech, coordinated verbs with their own subject)."""
    out, stack = [], list(tok.children)
    while stack:
        t = stack.pop()
        if t.dep_ in {"relcl", "ccomp", "parataxis", "appos"}:
            continue
        if t.dep_ == "conj" and sx.is_verb(t):
            continue
        if t.dep_ in {"advcl", "xcomp"} and sx.is_verb(t) and t.tag_ != "VBG":
            continue
        out.append(t)
        stack.extend(t.children)
    return sorted(out, key=lambda t: t.i)


def _phrase_extras(tok: Token, type_name: str, ctx, have: list[Arg]) -> list[Arg]:
    """Inside the trigger's own phrase: "passing through Hungary, Romania and Bulgaria" (via),
    "with an ambulance" / "overland" (means), "back to Turkey" (destination)."""
    out: list[Arg] = []
    seen = {(a.role, a.start) for a in have}
    for t in own_phrase(tok):
        lemma = t.lemma_.lower()
        if t.dep_ == "prep" and t.head != tok:
            rule = ctx.onto.prepositions.get(t.lower_, "")
            head = t.head
            if head.lemma_.lower() in ("pass", "transit") and rule.startswith("via"):
                out.extend(a for a in _prep_args(t, type_name, ctx, False) if a.role == "via")
            elif rule.startswith("means"):
                out.extend(a for a in _prep_args(t, type_name, ctx, False) if a.role == "means")
            elif head.dep_ == "advmod" and head.head == tok and rule in ("origin", "destination", "via") \
                    and head.lemma_.lower() in ctx.onto.direction_adverbs:
                out.extend(_prep_args(t, type_name, ctx, False))
        elif lemma in ctx.onto.means and t.pos_ in {"ADV", "PROPN", "ADJ"} and t.dep_ not in {"compound"} \
                and ctx.ents.at(t) is None:
            out.append(Arg("means", t, t.idx, t.idx + len(t.text), t.text, None, ctx.onto.means[lemma]))
    return [a for a in out if (a.role, a.start) not in seen]


def _nested_locations(tok: Token, ctx) -> list[Arg]:
    """in/at/near phrases deeper in the trigger's own phrase ("as a result of an operation in
    one of the Istanbul districts"), not inside other clauses."""
    out = []
    stack = [c for c in tok.children if c.dep_ in {"prep", "pobj", "npadvmod"}]
    while stack:
        t = stack.pop(0)
        if t.dep_ in CLAUSE_DEPS:
            continue
        if t.dep_ == "prep" and ctx.onto.prepositions.get(t.lower_, "").startswith("location"):
            for obj in _pobjs(t):
                a = place_arg("location", obj, ctx, t.lower_)
                if a is not None and a.named:
                    out.append(a)
        stack.extend(c for c in t.children if c.dep_ in {"prep", "pobj"})
    return out


def _participant_locations(args: list[Arg], ctx) -> list[Arg]:
    """"gendarmes in the province of Adana detained ...", "detained 41 members of the group in
    Gaziantep": a place hanging on a participant (or on its "of" phrase)."""
    for a in args:
        if a.role in ("agent", "patient"):
            found = _named_location(_of_chain(a.tok), ctx)
            if found:
                return found
    return []


def _named_location(tokens: list[Token], ctx) -> list[Arg]:
    """The first named place in a locative phrase ("in Gaziantep") hanging on one of ``tokens``."""
    for t in tokens:
        for p in t.children:
            if p.dep_ == "prep" and ctx.onto.prepositions.get(p.lower_, "").startswith("location"):
                for obj in _pobjs(p):
                    place = place_arg("location", obj, ctx, p.lower_)
                    if place is not None and place.named:
                        return [place]
    return []


def _of_chain(tok: Token) -> list[Token]:
    out = [tok]
    for _ in range(4):
        nxt = next((o for p in out[-1].children if p.dep_ == "prep" and p.lower_ == "of"
                    for o in p.children if o.dep_ == "pobj"), None)
        if nxt is None:
            break
        out.append(nxt)
    return out


def operation_nouns(tok: Token, ctx) -> list[Token]:
    """Nouns naming the operation itself ("a series of raids in ... on October 2") inside the
    trigger's phrase, reduced relative clauses included: their place and time are the event's."""
    out, stack = [], list(tok.children)
    while stack:
        t = stack.pop()
        if t.dep_ in {"relcl", "ccomp", "parataxis", "appos"} or (t.dep_ == "conj" and sx.is_verb(t)):
            continue
        if sx.is_verb(t) and any(c.dep_ in {"nsubj", "nsubjpass", "aux"} for c in t.children):
            continue
        if t.lemma_.lower() in ctx.onto.operation_nouns:
            out.append(t)
            if t.dep_ == "pobj" and t.head.lower_ == "of" and not sx.is_verb(t.head.head):
                out.append(t.head.head)        # "a series of raids in ..."
        stack.extend(t.children)
    return out


def _operation_locations(tok: Token, ctx) -> list[Arg]:
    return _named_location(operation_nouns(tok, ctx), ctx)


def arguments(tok: Token, spec: TriggerSpec, ctx, extra: tuple[Token, ...] = ()) -> list[Arg]:
    """Participants and locations of the trigger ``tok`` read as ``spec``."""
    if spec.pos == "ADJ":
        return _adjective_args(tok, spec, ctx)
    if sx.is_verb(tok) and spec.pos != "NOUN":
        return _verb_args(tok, spec, ctx, extra)
    return _noun_args(tok, spec, ctx, extra)


def _verb_args(tok: Token, spec: TriggerSpec, ctx, extra) -> list[Arg]:
    args: list[Arg] = []
    subj, passive = sx.subject_of(tok)
    passive = passive or sx.is_passive(tok)
    if subj is not None:
        args.append(participant_arg("patient" if passive else "agent", subj, ctx))
    for c in tok.children:
        if c in extra:
            continue
        if c.dep_ in {"dobj", "dative"} and not (spec.prep and c.lower_ == "it") and c.lower_ != "that":
            n0 = len(args)
            for o in sx.conjuncts(c):
                if c.dep_ == "dative":
                    args.append(participant_arg("patient", o, ctx))
                elif o.lower_ in REFLEXIVE:
                    continue
                elif spec.dobj_role == "means":
                    args.append(_means_arg(o, ctx, None) if o.lemma_.lower() in ctx.onto.means
                                else participant_arg("means", o, ctx))
                elif spec.dobj_role in MOVE_ROLES:
                    a = place_arg(spec.dobj_role, o, ctx, None)
                    args.append(a if a is not None else participant_arg("patient", o, ctx))
                    if a is not None:
                        args.extend(conj_places(a, ctx))
                else:
                    args.append(participant_arg(spec.dobj_role, o, ctx))
            for a in args[n0 + 1:]:
                if a.conj_of is None:
                    a.conj_of = args[n0].start
        elif c.dep_ == "agent":
            args.extend(participant_arg("agent", o, ctx, "by") for o in _pobjs(c))
        elif c.dep_ == "prep" or (c.dep_ == "conj" and c.pos_ == "ADP"):   # "..., and then to Kayseri"
            args.extend(_prep_args(c, spec.type, ctx, passive))
    args.extend(_adverb_args(tok, ctx))
    args.extend(_phrase_extras(tok, spec.type, ctx, args))
    if not any(a.role == "location" for a in args):
        args.extend(_nested_locations(tok, ctx))
    if not any(a.role == "location" for a in args):
        args.extend(_operation_locations(tok, ctx))
    if not any(a.role == "location" for a in args):
        args.extend(_participant_locations(args, ctx))
    if spec.means and not any(a.role == "means" for a in args):
        args.append(Arg("means", tok, tok.idx, tok.idx + len(tok.text), tok.text, None, spec.means))
    if not any(a.role == "means" for a in args) and tok.dep_ in {"advcl", "xcomp"} and sx.is_verb(tok.head):
        # "walked for three days to reach Kilis": the manner verb gives the means
        means = next((s2.means for s2 in ctx.onto.triggers.get(tok.head.lemma_.lower(), []) if s2.means), None)
        if means:
            h = tok.head
            args.append(Arg("means", h, h.idx, h.idx + len(h.text), h.text, None, means))
    return args


def _noun_args(tok: Token, spec: TriggerSpec, ctx, extra) -> list[Arg]:
    args: list[Arg] = []
    poss_role = ctx.poss_role(spec.type)
    compound_place = _compound_place(tok, ctx, args)
    for c in tok.children:
        if c in extra:
            continue
        if c.dep_ == "poss":
            a = place_arg("location", c, ctx, "in")
            args.append(a if a is not None else participant_arg(poss_role, c, ctx))
        elif c.dep_ in {"compound", "amod", "nmod"}:
            if c.i in compound_place:
                continue
            m = ctx.ents.at(c)
            if m is not None and (m.label in PLACE_LABELS or (spec.agentive and m.label not in {"PERSON", "GROUP", "NORP"})):
                args.append(Arg("location", c, m.start, m.end, m.text, m.label, m.canonical, "in", True, True))
            elif m is not None and m.label in HUMAN_LABELS and m.label != "NORP":
                args.append(participant_arg("agent", c, ctx))
        elif c.dep_ == "prep":
            if c.lower_ == "of":
                for o in _pobjs(c):
                    args.append(participant_arg("patient", o, ctx, "of"))
                    for p in o.children:    # "an evacuation of the fighters ... from Raqqa"
                        if p.dep_ == "prep" and ctx.onto.prepositions.get(p.lower_) in MOVE_ROLES:
                            args.extend(_prep_args(p, spec.type, ctx, True))
            else:
                args.extend(_prep_args(c, spec.type, ctx, True))
    if ctx.agentive(spec):
        owner = tok.head if tok.dep_ == "compound" else tok
        args.append(participant_arg("agent", owner, ctx))
    head = tok.head
    if tok.dep_ in {"dobj", "nsubjpass", "attr", "nsubj"} and sx.is_verb(head):
        subj, passive = sx.subject_of(head)
        if tok.dep_ in {"dobj", "attr"} and subj is not None and not passive and not any(a.role == "agent" for a in args):
            args.append(participant_arg("agent", subj, ctx))
        for c in head.children:
            if c.dep_ in {"prep", "dative"} and c.pos_ == "ADP" and c != tok:
                args.extend(a for a in _prep_args(c, spec.type, ctx, True) if a.role != "agent" or tok.dep_ == "nsubjpass")
            elif c.dep_ == "agent":
                args.extend(participant_arg("agent", o, ctx, "by") for o in _pobjs(c))
    if not any(a.role == "location" for a in args):
        args.extend(_nested_locations(tok, ctx))
    return args


def _compound_place(tok: Token, ctx, args: list[Arg]) -> set[int]:
    """"the Bataclan concert hall attack": a place noun among the compounds makes them all
    one place mention; returns the token indexes used."""
    comps = [c for c in tok.lefts if c.dep_ == "compound"]
    if not comps or not any(_is_place_noun(c, ctx) for c in comps):
        return set()
    toks = sorted({t for c in comps for t in c.subtree}, key=lambda t: t.i)
    toks = [t for t in toks if t.dep_ != "det"]
    start, end = sx.span_of(toks)
    args.append(Arg("location", comps[-1], start, end, ctx.text[start:end], None, None, "at", True, True))
    return {t.i for t in toks}


def _adjective_args(tok: Token, spec: TriggerSpec, ctx) -> list[Arg]:
    """"5 detained ISIS fighters": the modified noun is the patient."""
    return [participant_arg("patient", tok.head, ctx)]


# ---------------------------------------------------------------------------------------
# conditions of a trigger spec

def _lemma(a: Arg) -> str:
    return a.tok.lemma_.lower()


def is_human(a: Arg, ctx) -> bool:
    if a.tok.lower_ in ctx.onto.not_human_pronouns:
        return False                # "seized it", "its capture": a thing or a place
    if a.label in HUMAN_LABELS or a.label == "PRON":
        return True
    if a.tok.pos_ == "PRON" or a.tok.lower_ in ctx.onto.human_nouns or _lemma(a) in ctx.onto.human_nouns:
        return True
    q = ctx.count_in(a)
    unit = (q.unit or "") if q is not None else ""
    return not a.place and (unit in ctx.onto.human_nouns or unit.rstrip("s") in ctx.onto.human_nouns)


def satisfies(spec: TriggerSpec, tok: Token, args: list[Arg], ctx) -> bool:
    subjects = [a for a in args if a.tok.dep_ in sx.SUBJ or a.role == "agent"]
    objects = [a for a in args if a.tok.dep_ in {"dobj", "dative"} or (a.tok.dep_ == "pobj" and a.tok.head.lower_ == spec.prep)]
    for cond in spec.requires:
        if cond == "place" and not any(a.place and a.role in (*MOVE_ROLES, "location") for a in args):
            return False
        if cond == "movement" and not any(a.place and a.role in MOVE_ROLES for a in args):
            return False
        if cond == "border" and not _border(args, ctx):
            return False
        if cond == "human" and not any(a.role == "patient" and is_human(a, ctx) for a in args):
            return False
        if cond == "count" and not any(a.role == "patient" and ctx.count_in(a) is not None for a in args):
            return False
        if cond == "money" and not ctx.money_near(tok):
            return False
        if cond in ctx.onto.types and not ctx.sentence_has_type(tok, cond):
            return False
    if spec.prep and not any(c.dep_ == "prep" and c.lower_ == spec.prep for c in tok.children):
        return False
    if spec.arg_lemmas and not any(_lemma(a) in spec.arg_lemmas for a in args) and not any(
            g.dep_ == "pobj" and g.lemma_.lower() in spec.arg_lemmas
            for p in tok.children if p.dep_ in ("prep", "agent") for g in p.children):
        return False        # ... or the object of one of its prepositions ("held in a prison")
    if spec.subj_lemmas and not any(_lemma(a) in spec.subj_lemmas or any(
            w in spec.subj_lemmas for w in a.text.lower().split()) for a in subjects):
        return False
    if spec.obj_lemmas and not any(_lemma(a) in spec.obj_lemmas for a in objects):
        return False
    if spec.not_obj_labels and any(a.label in spec.not_obj_labels for a in objects):
        return False
    return True


def _border(args: list[Arg], ctx) -> bool:
    for a in args:
        if _lemma(a) in ctx.onto.border_nouns or any(w in ctx.onto.border_nouns for w in a.text.lower().split()):
            return True
        if a.named and a.place and a.relation in ("into", "across", "over"):
            return True
    return False
