"""Which clauses of a sentence make claims, and their parts (for extraction/claims.py).

A clause head is a verb that heads the sentence, a conjoined or reported clause, an
adverbial or relative clause, or a gerund after "after/before/while". Verbs that only
frame another clause are skipped: verbs of saying with reported content or a quotation
("Bozkurt said, …"), expletive frames ("It seems that …", "It is not excluded that …"),
"What X uncovered was that …", "according to". Control verbs ("tried to cross") hand the
predicate to their infinitive and keep their own meaning as an aspect.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from newsgraph.extraction.events_syntax import is_passive, is_verb, np_tokens, resolve_relative, subject_of

CLAUSE_DEPS = {"ROOT", "conj", "ccomp", "advcl", "relcl", "parataxis", "pcomp"}
NESTED = {"ccomp", "advcl", "relcl", "parataxis", "csubj", "pcomp"}
GERUND_PREPS = {"after", "before", "while", "upon", "since", "despite", "without"}
EXPLETIVES = {"it", "there", "this"}


@dataclass
class Clause:
    head: Token               # the clause's verb (a control verb when there is one)
    predicate: Token          # the verb that carries the meaning ("cross" in "tried to cross")
    lemma: str                # normalised predicate
    subject: Token | None
    object: Token | None
    agent: Token | None       # "by X" in a passive clause
    passive: bool
    negated: bool
    aspect: str | None        # attempt, planned, failed … from the control verb
    coordinated_with: int | None  # token index of the first conjunct, for an inherited time


def phrase_tokens(tok: Token) -> list[Token]:
    return np_tokens(tok)


def _infinitive(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _is_clause_head(tok: Token) -> bool:
    if not is_verb(tok) or tok.dep_ not in CLAUSE_DEPS:
        return False
    if tok.dep_ in ("relcl", "advcl", "acl") and _infinitive(tok):
        return False  # purposes ("to strike ISIS positions") are not assertions
    if tok.pos_ == "AUX" and (tok.lemma_ != "be" or tok.text.isupper()):
        return False  # "IS" (the group) tagged as a verb
    if tok.dep_ == "conj":
        first = tok
        while first.dep_ == "conj" and first.head is not first:
            first = first.head
        misparse = first.dep_ == "xcomp" and first.tag_ == "VB" and tok.tag_ in ("VBD", "VBN")
        if not _is_clause_head(first) and not misparse:  # "trying to cross … and deported to"
            return False
    if tok.dep_ == "pcomp" and tok.head.lower_ not in GERUND_PREPS:
        return False
    return True


def _frames(tok: Token, ctx) -> bool:
    """A verb that only frames another clause."""
    lemma = tok.lemma_.lower()
    children = list(tok.children)
    has_clause = any(c.dep_ in ("ccomp", "parataxis", "csubj") for c in children)
    if lemma == "accord":
        return True
    if lemma in ctx.c.speech or lemma in ctx.c.confirmation:
        if has_clause or tok.dep_ == "csubj":
            return True
        if any(c.dep_ in ("dobj", "attr") and c.lemma_.lower() in ctx.c.speech_objects for c in children):
            return True
        if not any(c.dep_ in ("dobj", "attr", "prep", "xcomp") for c in children):
            return True  # "Cakir said.", "Says X."
        if lemma in ("say", "add", "state", "tell", "note", "explain", "stress", "insist"):
            return True
    expletive = any(c.dep_ == "expl" or (c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("it", "this"))
                    for c in children)
    if expletive and (has_clause or any(c.dep_ == "xcomp" for c in children)) and lemma in ctx.cc["frame_verbs"]:
        return True
    if lemma in ctx.cc["frame_verbs"] and lemma != "be" and has_clause and not any(
            c.dep_ in ("dobj", "attr") for c in children):
        return True  # "ISIS leadership believed it could …": the content is the claim
    if lemma == "be" and any(c.dep_ == "csubj" for c in children):
        return True  # "What the BBC investigation uncovered was that …"
    if lemma in ctx.cc["frame_verbs"] and expletive and lemma != "be":
        return True
    return False


def _control_chain(tok: Token, control: dict, raising: frozenset) -> tuple[Token, str | None, bool]:
    """The verb carrying the meaning, the aspect, and whether a passive report was crossed."""
    pred, aspect, raised = tok, None, False
    for _ in range(4):
        lemma = pred.lemma_.lower()
        nxt = next((c for c in pred.children if c.dep_ == "xcomp" and is_verb(c)), None)
        about = lemma == "be" and any(c.lower_ == "about" and c.dep_ in ("acomp", "advmod", "attr") for c in pred.children)
        if nxt is None and about:  # "were about to leave"
            about_tok = next(c for c in pred.children if c.lower_ == "about")
            nxt = next((c for c in about_tok.children if c.dep_ == "xcomp" and is_verb(c)), None)
        going = lemma == "go" and pred.tag_ == "VBG" and any(c.dep_ == "aux" for c in pred.children)
        if nxt is not None and lemma in raising and is_passive(pred):
            pred, raised = nxt, True  # "he was believed to have been supported": the hedge is in the modality
            continue
        if (lemma in control or about or going) and nxt is not None:
            aspect = aspect or control.get(lemma, "planned")
            pred = nxt
            continue
        break
    return pred, aspect, raised


def _first_conjunct(tok: Token) -> int | None:
    if tok.dep_ != "conj":
        return None
    t = tok
    while t.dep_ == "conj" and t.head is not t:
        t = t.head
    return t.i


def clause_heads(sent: Span, ctx) -> list[Clause]:
    out: list[Clause] = []
    control = ctx.cc["control"]
    for tok in sent:
        if not _is_clause_head(tok) or _frames(tok, ctx):
            continue
        pred, aspect, raised = _control_chain(tok, control, ctx.cc["raising"])
        if pred is not tok and _frames(pred, ctx):
            continue
        subj, passive = subject_of(tok)
        if subj is not None and subj.dep_ == "expl":
            subj = None
        passive = is_passive(pred) if raised else (passive or is_passive(pred))
        obj = next((c for c in pred.children if c.dep_ in ("dobj", "dative")), None)
        if obj is not None:
            obj = resolve_relative(obj)
        lemma = pred.lemma_.lower()
        prt = next((c for c in pred.children if c.dep_ == "prt"), None)
        if prt is not None:
            lemma = f"{lemma} {prt.lower_}"
        if aspect in ctx.cc["negating_aspects"]:
            negated_by_aspect = True
        else:
            negated_by_aspect = False
        if pred.lemma_ == "be":
            attr = next((c for c in pred.children if c.dep_ in ("attr", "acomp")), None)
            if any(c.dep_ == "expl" for c in pred.children):
                lemma, subj, attr = "exist", attr, None
            obj = attr
        if subj is not None and subj.lower_ in EXPLETIVES and (obj is None or lemma == "be"):
            continue  # "it is worth noting", "it is still possible"
        if subj is None and lemma == "be":
            continue
        agent = None
        agent_prep = next((c for c in pred.children if c.dep_ == "agent"), None)
        if agent_prep is not None:
            agent = next((g for g in agent_prep.children if g.dep_ == "pobj"), None)
        negated = any(c.dep_ == "neg" or c.lower_ in ("never",) for v in {tok, pred} for c in v.children)
        negated = negated != negated_by_aspect  # "did not fail to" is not negated
        for arg in (subj, obj):
            if arg is not None and any(c.dep_ == "det" and c.lower_ == "no" for c in arg.children):
                negated = True
        out.append(Clause(tok, pred, lemma, subj, obj, agent, passive, negated, aspect, _first_conjunct(tok)))
    return out


def own_tokens(head: Token, pred: Token) -> list[Token]:
    """The clause's tokens without the clauses nested in it or coordinated with it."""
    drop: set[int] = set()
    for verb in {head, pred}:
        for c in verb.children:
            nested = c.dep_ in NESTED and is_verb(c) and c is not pred
            conj = c.dep_ == "conj" and is_verb(c)
            gerund = c.dep_ == "prep" and any(g.dep_ == "pcomp" and is_verb(g) for g in c.children) \
                and c.lower_ in GERUND_PREPS
            if nested or conj or gerund:
                drop.update(t.i for t in c.subtree)
            if c.dep_ == "cc" and any(s.dep_ == "conj" and is_verb(s) for s in verb.children):
                drop.add(c.i)
    for t in head.subtree:  # what is said about a participant is another claim
        if t.dep_ in ("relcl", "appos", "acl") and t.i not in drop and t is not head and t.pos_ != "NUM":
            drop.update(x.i for x in t.subtree)
        if t.text == "(" and t.head is not head:
            drop.update(x.i for x in t.head.subtree if x.i >= t.i)
    toks = [t for t in head.subtree if t.i not in drop and not t.is_space]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks.pop(0)
    return toks or [head]
