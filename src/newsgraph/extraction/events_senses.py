"""Trigger words in a sense that is no conflict event (data/ontology.toml ``[[senses]]``).

    other_sense(tok, sent) -> str | None      the reason the trigger ``tok`` is no event, or None

"Cardiac arrest", "firefighters battle wildfires", "a gas tank exploded", "killed in a car
crash", "an attack on free speech", "shot a documentary", "a halt to the fighting", a goal
"shot" in a league match: the same words as an arrest, a battle, a bombing, a killing or an
attack, in a sense an analyst does not want on the map. Each sense is a test on the trigger's
own syntax (its modifiers, its object and prepositional objects, its subject, the word that
governs it) or on its sentence, in data; the events stage drops such triggers.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from newsgraph.extraction import events_syntax as sx
from newsgraph.extraction.events_lexicon import load_ontology_data

__all__ = ["other_sense"]

_MODIFIERS = {"compound", "amod", "nmod", "poss", "npadvmod"}


@dataclass(frozen=True)
class Sense:
    lemmas: frozenset[str]
    modifiers: frozenset[str]
    objects: frozenset[str]
    subjects: frozenset[str]
    phrases: tuple[str, ...]
    governors: frozenset[str]
    unless_governors: frozenset[str]
    unless_words: frozenset[str]
    sentence: frozenset[str]
    min_sentence: int
    reason: str


@lru_cache(maxsize=1)
def _senses() -> dict[str, list[Sense]]:
    by_lemma: dict[str, list[Sense]] = {}
    for d in load_ontology_data().get("senses", []):
        f = lambda k: frozenset(w.lower() for w in d.get(k, []))
        sense = Sense(f("lemmas"), f("modifiers"), f("objects"), f("subjects"), tuple(w.lower() for w in d.get("phrases", [])),
                      f("governors"), f("unless_governors"), f("unless_words"), f("sentence"), int(d.get("min_sentence", 1)), d["reason"])
        for lemma in sense.lemmas:
            by_lemma.setdefault(lemma.split()[0], []).append(sense)
    return by_lemma


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def _objects(tok: Token) -> list[Token]:
    out = [c for c in tok.children if c.dep_ in ("dobj", "attr", "oprd")]
    for p in (c for c in tok.children if c.dep_ in ("prep", "agent")):
        out.extend(g for g in p.children if g.dep_ == "pobj")
    return out


def _subjects(tok: Token) -> list[Token]:
    subj, _ = sx.subject_of(tok) if sx.is_verb(tok) else (None, False)
    out = [subj] if subj is not None else []
    if tok.dep_ in ("nsubj", "nsubjpass") and sx.is_verb(tok.head):
        out.append(tok)             # "an explosion at the factory": the noun is the subject itself
    return out


def _governors(tok: Token) -> list[Token]:
    h = tok.head
    out = [h]
    if tok.dep_ == "pobj" and h.dep_ == "prep":
        out.append(h.head)          # "a halt to the fighting"
    if tok.dep_ == "conj":
        out.extend(_governors(h))
    return out


def _phrase_text(toks) -> str:
    return " ".join(t.lower_ for t in toks)


def _aside(tok: Token, sent: Span) -> bool:
    """"40 militants of Daesh (banned in Russia)": a participle in a short parenthesis is an
    editorial or legal note on a name, not an incident."""
    if tok.tag_ != "VBN":
        return False
    doc = tok.doc
    lo, hi = max(sent.start, tok.i - 4), min(sent.end, tok.i + 6)
    open_ = next((j for j in range(tok.i - 1, lo - 1, -1) if doc[j].text in "()"), None)
    close = next((j for j in range(tok.i + 1, hi) if doc[j].text in "()"), None)
    return (open_ is not None and close is not None and doc[open_].text == "(" and doc[close].text == ")"
            and open_ > 0 and doc[open_ - 1].pos_ == "PROPN")


def other_sense(tok: Token, sent: Span) -> str | None:
    if _aside(tok, sent):
        return "a note in parentheses on a name (\"banned in ...\"), not an incident"
    senses = _senses().get(_lemma(tok)) or _senses().get(tok.lower_)
    if not senses:
        return None
    mods = {_lemma(c) for c in tok.children if c.dep_ in _MODIFIERS} | {c.lower_ for c in tok.children if c.dep_ in _MODIFIERS}
    objs, subjs = _objects(tok), _subjects(tok)
    if tok.dep_ in ("advcl", "xcomp", "conj") and sx.is_verb(tok.head):
        subjs += _subjects(tok.head)    # "a gas tank exploded, killing two"
    around = " ".join(_phrase_text(t.subtree) for t in objs + subjs) + " " + _phrase_text(tok.subtree)
    words = {t.lower_ for t in sent} | {_lemma(t) for t in sent}
    low = sent.text.lower()
    for s in senses:
        if s.modifiers & mods:
            return s.reason
        if s.objects & {_lemma(o) for o in objs}:
            return s.reason
        if s.subjects & {_lemma(o) for o in subjs}:
            return s.reason
        if s.governors & {_lemma(g) for g in _governors(tok)}:
            return s.reason
        if s.unless_governors and not s.unless_governors & {_lemma(g) for g in _governors(tok)} \
                and not (tok.dep_ in ("nsubj", "nsubjpass") and _lemma(tok.head) in s.unless_governors):
            return s.reason
        if s.phrases and any(p in around for p in s.phrases):
            return s.reason
        if s.unless_words and not any(w in words if " " not in w else w in low for w in s.unless_words):
            return s.reason
        if s.sentence and len({w for w in s.sentence if (w in words if " " not in w else w in low)}) >= s.min_sentence:
            return s.reason
    return None
