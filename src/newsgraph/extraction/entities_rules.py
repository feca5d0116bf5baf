"""The spaCy components of the entity layer.

``newsgraph_aliases`` (an ``entity_ruler`` before ``ner``) pre-sets the alias table
(aliases.toml) and the extra place names of entity_rules.toml, so the statistical model
labels around them.

``newsgraph_entities`` (after ``ner``) corrects the model's entities with rules, in order:

1. re-tag headlines and datelines written in capitals (re-cased from the document itself);
2. cut entities at line breaks, sentence ends, brackets and spaced dashes; trim "the",
   quotes, possessives, trailing numbers ("Somerset 4") and function words; split "X's Y",
   "A and B" (two places) and "Caliphate in Antep" (group + place);
3. alias table -> canonical name and GROUP/ORG type; "IS" as a group only in group contexts;
4. nationality words -> NORP; known places the model called PERSON/ORG/DATE/NORP -> PLACE
   ("east of X", "the town of X" too); common words in title-case headlines dropped;
5. person cues (given names, titles, "said", "X, who", "X, a ... national") -> PERSON, also
   for names the model missed or cut short (entities_people);
6. news-wire layout: datelines
   (entities_layout);
7. page furniture and social-media handles dropped; document consistency: "Bozkurt" after
   "Abdullah Bozkurt" is a PERSON too, and a name tagged once is tagged again where the
   model missed it (entities_document).

The result is written to ``doc.ents`` with our labels (PERSON, ORG, GROUP, PLACE, NORP,
FACILITY, EVENT, MISC) and the alias id as the span id; the model's other labels (DATE,
CARDINAL, MONEY, …) are kept where they do not overlap ours.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from newsgraph.extraction import entities_document as document
from newsgraph.extraction import entities_layout as layout
from newsgraph.extraction import entities_people as people
from newsgraph.extraction import entities_text as tx
from newsgraph.extraction.entities_cand import NAME_LABELS, Cand, Context, covered, rule_cand
from newsgraph.extraction.entities_resources import (
    Place, alias_index, aliases, gazetteer, norm_key, norp_words, rules, word_set,
)

DONE_FLAG = "newsgraph_entities"


# ---------------------------------------------------------------------------- ruler

def alias_patterns(nlp: Language) -> list[dict]:
    """Token patterns for the alias table and the extra places."""
    patterns = []

    def pattern(form: str, exact: bool) -> list[dict]:
        toks = nlp.make_doc(form)
        if exact:
            return [{"ORTH": t.text} for t in toks]
        return [{"NORM": t.norm_} for t in toks]

    for entry in aliases():
        for form in entry["names"]:
            patterns.append({"label": entry["type"], "id": entry["id"],
                             "pattern": pattern(form, exact=form.isupper())})
        for form in entry.get("case_sensitive", []):
            patterns.append({"label": entry["type"], "id": entry["id"], "pattern": pattern(form, exact=True)})
    for place in rules()["place"]:
        for form in place["names"]:
            patterns.append({"label": "PLACE", "id": "", "pattern": pattern(form, exact=False)})
    return patterns


def add_alias_ruler(nlp: Language, name: str = "newsgraph_aliases") -> None:
    """The alias ruler. Case-insensitive forms are phrase patterns matched on NORM (one hash
    lookup per token, where token patterns would try every pattern at every token); the
    case-sensitive ones stay token patterns on ORTH."""
    ruler = nlp.add_pipe("entity_ruler", name=name, before="ner",
                         config={"overwrite_ents": True, "validate": False, "phrase_matcher_attr": "NORM"})
    patterns = []
    for p in alias_patterns(nlp):
        if all(set(t) == {"NORM"} for t in p["pattern"]):
            p = {**p, "pattern": " ".join(t["NORM"] for t in p["pattern"])}
        patterns.append(p)
    ruler.add_patterns(patterns)


# ---------------------------------------------------------------------------- component

@Language.factory("newsgraph_entities", default_config={"recase_headlines": True,
                                                        "ruler": "newsgraph_aliases"})
def make_entity_fixer(nlp: Language, name: str, recase_headlines: bool, ruler: str):
    return EntityFixer(nlp, recase_headlines, ruler)


class EntityFixer:
    """Rule layer over the model's entities (see the module docstring)."""

    def __init__(self, nlp: Language, recase_headlines: bool = True, ruler: str = "newsgraph_aliases"):
        self.nlp = nlp
        self.recase_headlines = recase_headlines
        self.ruler_name = ruler

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        tx.set_lexicon(self.nlp)
        cands, others = _initial(doc)
        ctx = Context(doc)
        if self.recase_headlines:
            cands = self._recase(doc, ctx, cands)
        cands = _split_and_trim(doc, ctx, cands)
        _apply_aliases(doc, cands)
        cands += _is_group(doc, ctx, cands)
        cands += _places_from_others(doc, others)
        for cand in cands:
            _relabel(doc, ctx, cand)
        cands = [c for c in cands if c.label]
        cands += people.missed_names(doc, ctx, cands)
        people.first_name_joins(doc, ctx, cands)
        people.extend_people(doc, ctx, cands)
        layout.datelines(doc, ctx, cands, rule_cand)
        cands = document.drop_furniture(doc, ctx, cands)
        cands = document.document_consistency(doc, ctx, cands)
        _set_ents(doc, cands, others)
        doc.user_data[DONE_FLAG] = True
        return doc

    # 1. headlines in capitals ------------------------------------------------------
    def _recase(self, doc: Doc, ctx: "Context", cands: list[Cand]) -> list[Cand]:
        caps = [(s, e) for s, e in ctx.segs if tx.is_allcaps(doc[s:e])]
        if not caps:
            return cands
        known = tx.case_map(doc, {s for s, _ in caps})
        ner = self.nlp.get_pipe("ner")
        ruler = self.nlp.get_pipe(self.ruler_name) if self.ruler_name in self.nlp.pipe_names else None
        for start, end in caps:
            toks = doc[start:end]
            sub = Doc(doc.vocab, words=[tx.truecase(t, known) for t in toks],
                      spaces=[bool(t.whitespace_) for t in toks])
            if ruler is not None:
                sub = ruler(sub)
            sub = ner(sub)
            cands = [c for c in cands if c.end <= start or c.start >= end]
            label_map = rules()["label_map"]
            for ent in sub.ents:
                if ent.label_ in label_map:
                    cands.append(Cand(start + ent.start, start + ent.end, label_map[ent.label_], ent.ent_id_,
                                      "alias" if ent.ent_id_ else "model"))
        return sorted(cands, key=lambda c: c.start)


def _initial(doc: Doc) -> tuple[list[Cand], list[Span]]:
    label_map = rules()["label_map"]
    cands, others = [], []
    for ent in doc.ents:
        label = label_map.get(ent.label_)
        if label:
            cands.append(Cand(ent.start, ent.end, label, ent.ent_id_, "alias" if ent.ent_id_ else "model"))
        else:
            others.append(ent)
    return cands, others


# 2. cutting and trimming ----------------------------------------------------------------

_PUNCT_EDGE = set("\"'“”‘’«»()[]{}*,;:!?-–—|/•.")


def _split_and_trim(doc: Doc, ctx: Context, cands: list[Cand]) -> list[Cand]:
    out: list[Cand] = []
    for cand in cands:
        for piece in _cut(doc, ctx, cand):
            piece = _trim(doc, ctx, piece)
            if piece is None:
                continue
            out.extend(_split_inner(doc, piece))
    return out


def _cut(doc: Doc, ctx: Context, cand: Cand) -> list[Cand]:
    pieces, start = [], cand.start
    for i in range(cand.start, cand.end):
        tok = doc[i]
        if tok.is_space or _separator(doc, i):
            if i > start:
                pieces.append((start, i))
            start = i + 1
        elif "\n" in tok.whitespace_ or (i + 1 < cand.end and doc[i + 1].is_sent_start):
            pieces.append((start, i + 1))
            start = i + 1
    if cand.end > start:
        pieces.append((start, cand.end))
    return [Cand(s, e, cand.label, cand.id, cand.source) for s, e in pieces]


_BRACKETS = set("()[]{}")
_DASHES = {"-", "--", "–", "—", "|", "/", ":", ";"}


def _separator(doc: Doc, i: int) -> bool:
    """A bracket, or a dash standing between spaces ("Sri Lanka - Arjuna Ranatunga")."""
    tok = doc[i]
    if tok.text in _BRACKETS:
        return True
    return tok.text in _DASHES and bool(tok.whitespace_) and i > 0 and bool(doc[i - 1].whitespace_)


def _trim(doc: Doc, ctx: Context, cand: Cand) -> Cand | None:
    start, end = cand.start, cand.end
    while start < end:
        tok = doc[start]
        if tok.text in _PUNCT_EDGE or tok.text == "the" or (tok.text == "The" and (
                ctx.seg_start(start) or cand.label in {"PLACE", "NORP", "GROUP"})):
            start += 1
        else:
            break
    while end > start:
        tok = doc[end - 1]
        if tok.text in _PUNCT_EDGE or tok.text in tx.POSSESSIVE or (
                cand.label in NAME_LABELS and end - start > 1 and tx.is_number(tok)) or (
                end - start > 1 and tok.is_lower and tok.pos_ in {"ADP", "CCONJ", "DET", "PART"}):
            end -= 1
        else:
            break
    if end <= start or not any(c.isalpha() for c in doc[start:end].text):
        return None
    if end - start == 1 and len(doc[start].text) == 1:
        return None
    return Cand(start, end, cand.label, cand.id, cand.source)


def _split_inner(doc: Doc, cand: Cand) -> list[Cand]:
    span = doc[cand.start:cand.end]
    gaz = gazetteer()
    if cand.id:
        return [cand]
    # "Erdoğan's Turkey": the possessor and the possessed are two entities
    # (not "Boatmen's Bancshares Inc.": a company name ending in an organisation word)
    org_name = cand.label in {"ORG", "GROUP"} and span[-1].lower_.rstrip(".") in word_set("person", "org_words")
    for tok in span[1:-1]:
        if tok.text in tx.POSSESSIVE and not org_name:
            left_label = "PERSON" if cand.label in {"FACILITY", "PLACE"} else cand.label
            left = Cand(cand.start, tok.i, left_label, "", "rule")
            right = Cand(tok.i + 1, cand.end, cand.label, "", cand.source)
            if gaz.lookup(doc[left.start:left.end].text):
                left.label = "PLACE"
            return [left] + _split_inner(doc, right)
    # "Amuda and Qamishli": two known places
    for tok in span[1:-1]:
        if tok.lower_ in {"and", ",", "&", "or"}:
            left, right = doc[cand.start:tok.i], doc[tok.i + 1:cand.end]
            if gaz.lookup(left.text) and gaz.lookup(right.text):
                return [Cand(left.start, left.end, "PLACE", "", "rule"),
                        Cand(right.start, right.end, "PLACE", "", "rule")]
    # "Caliphate in Antep": a one-word (or alias) organisation and a known place
    if cand.label in {"ORG", "GROUP"}:
        for tok in span[1:-1]:
            if tok.lower_ in {"in", "at", "of", "from"}:
                left, right = doc[cand.start:tok.i], doc[tok.i + 1:cand.end]
                place = gaz.lookup(right.text)
                if place and place.kind in {"city", "extra", "admin"} and (
                        len(left) == 1 or norm_key(left.text) in alias_index()):
                    return [Cand(left.start, left.end, cand.label, "", cand.source),
                            Cand(right.start, right.end, "PLACE", "", "rule")]
    return [cand]


# 3. aliases and "IS" -----------------------------------------------------------------

def _apply_aliases(doc: Doc, cands: list[Cand]) -> None:
    index = alias_index()
    for cand in cands:
        if cand.id:
            continue
        text = doc[cand.start:cand.end].text
        entry = index.get(norm_key(text))
        if entry is not None and (not text.isupper() or text in entry["names"] or len(text) > 4):
            cand.label, cand.id, cand.source = entry["type"], entry["id"], "alias"


def _is_group(doc: Doc, ctx: Context, cands: list[Cand]) -> list[Cand]:
    """"IS" (capitals, not in a capitals headline) next to a group word is the Islamic State."""
    contextual = {form: entry for entry in aliases() for form in entry.get("contextual", [])}
    if not contextual:
        return []
    taken = covered(cands)
    cfg = rules()["is_group"]
    nxt_words = {w.lower() for w in cfg["next_words"]}
    prev_words = {w.lower() for w in cfg["prev_words"]}
    out = []
    for tok in doc:
        entry = contextual.get(tok.text)
        if entry is None:
            continue
        s, e = ctx.seg(tok.i)
        if tx.is_allcaps(doc[s:e]):
            continue
        prev = doc[tok.i - 1].lower_ if tok.i > s else ""
        nxt = doc[tok.i + 1].lower_ if tok.i + 1 < e else ""
        if nxt in nxt_words or prev in prev_words:
            for i in range(tok.i, tok.i + 1):
                if i in taken:
                    cands[:] = [c for c in cands if not (c.start <= i < c.end)]
            out.append(Cand(tok.i, tok.i + 1, entry["type"], entry["id"], "alias"))
    return out


# 4. nationality words and places -----------------------------------------------------------



def _places_from_others(doc: Doc, others: list[Span]) -> list[Cand]:
    """Place names the model filed under DATE, CARDINAL, …: "Tall Tamr" as a DATE."""
    out = []
    for ent in list(others):
        if not ent.text[:1].isupper() or ent.text.lower() in people.MONTHS_DAYS:
            continue
        place = gazetteer().lookup(ent.text)
        if place and _notable(place):
            out.append(Cand(ent.start, ent.end, "PLACE", "", "rule"))
            others.remove(ent)
    return out


def _notable(place: Place) -> bool:
    return place.kind != "city" or place.primary or place.population >= 100_000


def _relabel(doc: Doc, ctx: Context, cand: Cand) -> None:
    if cand.id:
        return
    span = doc[cand.start:cand.end]
    text = span.text
    key = norm_key(text)
    if key in norp_words() and cand.label in {"PLACE", "ORG", "PERSON", "MISC", "NORP", "GROUP"}:
        cand.label = "NORP"
        return
    facilities = rule_facility_words()
    if cand.label == "PLACE":
        end = cand.end
        while end < len(doc) and end - cand.end < 2 and tx.is_namelike(doc[end]) and not doc[end].is_upper:
            end += 1
            if doc[end - 1].lower_ in facilities:
                cand.end, cand.label = end, "FACILITY"       # "Incirlik Airbase", "Istanbul Airport"
                return
    if cand.label in {"PERSON", "ORG"} and len(span) > 1 and span[-1].lower_ in facilities and not (
            tx.has_org_word(span[:-1])):
        cand.label = "FACILITY"          # "Incirlik Airbase", "London Bridge", "Central Clinical Hospital"
        return
    if cand.label == "PERSON" and not tx.is_first_name(span[0].text) and any(
            t.lower_ in facilities for t in doc[cand.end:min(len(doc), cand.end + 2)]) and all(
            t.is_lower for t in doc[cand.end:min(len(doc), cand.end + 2)]):
        cand.label = "FACILITY"          # "the Bataclan concert hall"
        return
    if cand.label == "PERSON" and not tx.is_first_name(span[0].text) and cand.start > 0 and \
            doc[cand.start - 1].lower_ in word_set("organisation", "apposition_nouns"):
        cand.label = "ORG"               # "the online platform Medyascope", "the daily Hurriyet"
        return
    if cand.source == "model" and ctx.title_case(cand.start) and _only_common_words(span):
        cand.label = ""                   # "Commanders Flee", "Historic First" in a title-case headline
        return
    if cand.label == "PERSON" and not tx.is_first_name(span[0].text) and _org_apposition(doc, cand.end):
        cand.label, cand.source = "ORG", "rule"
        return
    if cand.label == "PERSON" and span[-1].lower_ in word_set("person", "org_words") and not (
            tx.is_first_name(span[0].text)) and span[-1].lower_ not in rule_facility_words():
        cand.label, cand.source = "ORG", "rule"
        while cand.start > 0 and not doc[cand.start - 1].ent_type_ and (
                tx.is_namelike(doc[cand.start - 1]) or doc[cand.start - 1].text == "-"
                and not doc[cand.start - 1].whitespace_ and not doc[cand.start - 2].whitespace_):
            cand.start -= 1
        while doc[cand.start].text == "-":
            cand.start += 1
        return
    if cand.label in {"PERSON", "ORG"} and cand.source == "model" and len(span) == 1 and tx.locative_before(doc, cand.start) \
            and not tx.is_first_name(text) and norm_key(text) not in alias_index():
        cand.label, cand.source = "PLACE", "rule"
        return
    if cand.source == "model" and not any(t.text[:1].isupper() or t.text[:1].isdigit() for t in span):
        cand.label = ""                                 # "republics", "south coast": not names
        return
    if cand.label in {"PERSON", "ORG", "PLACE"} and cand.source == "model" and len(span) == 1 and ctx.seg_start(cand.start) \
            and not span[0].is_upper and tx.common_word(text) and gazetteer().lookup(text) is None \
            and not tx.is_first_name(text):
        cand.label = ""                                 # "Death is ...", "Riot police ...": not names
        return
    place = gazetteer().lookup(text)
    if place is None:
        return
    first = span[0].text
    if cand.label == "NORP":
        cand.label, cand.source = "PLACE", "rule"
        return
    person_cue = tx.person_cue_before(doc, cand.start) or tx.person_cue_after(doc, cand.end)
    if cand.label == "PERSON":
        if not person_cue and (place.kind == "extra" or not tx.is_first_name(first) and _notable(place)):
            cand.label, cand.source = "PLACE", "rule"
    elif cand.label == "ORG":
        if place.kind in {"country", "extra", "continent"} or (
                _notable(place) and not tx.has_org_word(span) and len(span) <= 3):
            cand.label, cand.source = "PLACE", "rule"
    elif cand.label in {"MISC", "EVENT", "FACILITY"}:
        if _notable(place) and not tx.has_org_word(span):
            cand.label, cand.source = "PLACE", "rule"


def _only_common_words(span: Span) -> bool:
    words = [t for t in span if t.is_alpha]
    return bool(words) and all(
        tx.common_word(t.text) and not tx.is_first_name(t.text) and gazetteer().lookup(t.text) is None
        and norm_key(t.text) not in alias_index() and t.lower_ not in norp_words() for t in words)


def _org_apposition(doc: Doc, end: int) -> bool:
    """"Comelf , the first foreign company to list ...", "X , a Kurdish militia": an organisation."""
    if end + 1 >= len(doc) or doc[end].text != "," or doc[end + 1].lower_ not in {"a", "an", "the"}:
        return False
    nouns = word_set("organisation", "apposition_nouns")
    for tok in doc[end + 2:min(len(doc), end + 8)]:
        if tok.is_punct or tok.pos_ in {"VERB", "AUX", "ADP"}:
            return False
        if tok.lower_ in nouns:
            return True
    return False


def rule_facility_words() -> frozenset[str]:
    return word_set("facility", "words")


# ---------------------------------------------------------------------------- output

def _set_ents(doc: Doc, cands: list[Cand], others: list[Span]) -> None:
    spans = []
    for cand in cands:
        if cand.end > cand.start:
            spans.append(Span(doc, cand.start, cand.end, label=cand.label, span_id=cand.id or 0))
    ours = filter_spans(spans)
    taken = covered([Cand(s.start, s.end, "") for s in ours])
    kept = [s for s in others if not any(i in taken for i in range(s.start, s.end))]
    doc.ents = sorted(ours + kept, key=lambda s: s.start)
