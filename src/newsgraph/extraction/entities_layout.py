"""Rules that read the layout of news-wire text: datelines, results tables, sports reports."""
from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from newsgraph.extraction import entities_text as tx
from newsgraph.extraction.entities_resources import alias_index, gazetteer, norm_key, rules, word_set

MONTHS = {"jan", "jan.", "january", "feb", "feb.", "february", "mar", "mar.", "march", "apr", "apr.",
          "april", "may", "jun", "jun.", "june", "jul", "jul.", "july", "aug", "aug.", "august", "sep",
          "sep.", "sept", "sept.", "september", "oct", "oct.", "october", "nov", "nov.", "november",
          "dec", "dec.", "december"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TABLE_WORDS = {"at", "v", "vs", "v.", "vs.", "and", "not", "out", "or", "in", "def", "def.", "beat",
                "points", "pts", "pt"}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _replace(cands: list, new) -> None:
    cands[:] = [c for c in cands if c.end <= new.start or c.start >= new.end]
    cands.append(new)


# ---------------------------------------------------------------- datelines

def datelines(doc: Doc, ctx, cands: list, make) -> None:
    """"BUCHAREST 1996-08-30", "LA CORUNA , Spain 1996-08-31", "BEIRUT, Oct 5": places."""
    text = doc.text  # joins every token: once, not per segment
    for start, end in ctx.segs:
        toks = doc[start:end]
        if not len(toks) or not (toks[0].is_upper and toks[0].is_alpha and len(toks[0]) > 1):
            continue
        k = None
        for tok in toks[:8]:
            if _ISO_DATE.match(text[tok.idx:tok.idx + 10]) or (tok.lower_ in MONTHS and tok.i > start):
                k = tok.i
                break
        if k is None:
            continue
        parts, cur = [], []
        for tok in doc[start:k]:
            if tok.text == ",":
                parts.append(cur)
                cur = []
            elif tok.is_upper or tx.is_namelike(tok) or tok.text.endswith("."):
                cur.append(tok)
            else:
                parts = []
                cur = []
                break
        parts.append(cur)
        if not parts or not parts[0] or any(t.lower_ in WEEKDAYS | MONTHS for p in parts for t in p):
            continue
        if not all(t.is_upper for t in parts[0]):
            continue
        for part in parts:
            if part and len(part) <= 4:
                new = make(part[0].i, part[-1].i + 1, "PLACE")
                new.source = "dateline"
                _replace(cands, new)


# ---------------------------------------------------------------- results tables

def _name_token(tok) -> bool:
    if tok.lower_ in _TABLE_WORDS:
        return False
    return (tx.is_namelike(tok) or (tok.is_upper and tok.is_alpha) or tx.is_particle(tok)
            or tok.text in {"&", "'s"} and tok.i > 0)


def _table_cell(tok) -> bool:
    return tx.is_number(tok) or tok.is_punct or tok.lower_ in _TABLE_WORDS or tok.text in {"-", "--"}


def table_rows(doc: Doc, ctx) -> list[list[tuple[int, int]]]:
    """Segments made only of name runs, numbers and a few table words, with a number or an
    "at"/"v" between two names: results and standings rows. Returns their name runs."""
    rows = []
    for start, end in ctx.segs:
        toks = doc[start:end]
        if not all(_name_token(t) or _table_cell(t) for t in toks):
            continue
        runs, i = [], start
        while i < end:
            if _name_token(doc[i]) and not tx.is_particle(doc[i]):
                j = i
                while j < end and _name_token(doc[j]):
                    j += 1
                runs.append((i, j))
                i = j
            else:
                i += 1
        if not runs:
            continue
        numbers = sum(1 for t in toks if tx.is_number(t))
        connector = any(t.lower_ in {"at", "v", "vs", "v.", "vs."} for t in toks)
        if numbers >= 1 or (connector and len(runs) >= 2):
            rows.append(runs)
    return rows


def sports_document(doc: Doc, rows: list) -> bool:
    cfg = rules()["sports_document"]
    words = {w.lower() for w in cfg["words"]}
    hits = sum(1 for t in doc if t.lower_ in words)
    return hits >= cfg["min_hits"] or (hits >= 1 and len(rows) >= 2)


def apply_tables(doc: Doc, ctx, cands: list, make, looks_like_person) -> None:
    rows = table_rows(doc, ctx)
    sports = sports_document(doc, rows)
    gaz = gazetteer()
    fixed = {i for c in cands if c.source == "dateline" for i in range(c.start, c.end)}
    for runs in rows:
        for a, b in runs:
            span = doc[a:b]
            if any(i in fixed for i in range(a, b)):
                continue
            if b - a > 5 or span[0].lower_ in MONTHS or tx._INITIAL.match(span[0].text):
                continue
            if any(t.lower_ in STOP_WORDS for t in span):
                continue           # a headline in capitals, not a name
            if b - a == 1 and tx.common_word(span.text) and gaz.lookup(span.text) is None \
                    and not tx.is_first_name(span.text):
                continue           # "Attendance : 3,900", "Extras 16"
            if norm_key(span.text) in alias_index():
                continue
            place = gaz.lookup(span.text)
            followed_by_country = (b + 2 < len(doc) and doc[b].text == "(" and doc[b + 2].text == ")"
                                   and gaz.lookup(doc[b + 1].text) is not None)
            after_place_word = a > 0 and doc[a - 1].lower_ in {"at", "in"}
            in_brackets = a > 0 and doc[a - 1].text == "(" and b < len(doc) and doc[b].text == ")"
            name_words = 2 <= b - a <= 3 and all(tx.is_namelike(t) and not t.is_upper for t in span) and not any(
                tx.common_word(t.text) or gaz.lookup(t.text) for t in span)
            if looks_like_person(doc, a, b) or (followed_by_country and 2 <= b - a <= 3 and place is None) \
                    or name_words:
                _replace(cands, make(a, b, "PERSON"))
            elif place is not None and (after_place_word or in_brackets):
                _replace(cands, make(a, b, "PLACE"))
            elif place is not None and place.kind in {"country", "continent"}:
                _replace(cands, make(a, b, "PLACE"))
            elif a == ctx.seg(a)[0] and b < len(doc) and doc[b].text == ":" and place is not None:
                _replace(cands, make(a, b, "PLACE"))
            elif sports:
                _replace(cands, make(a, b, "ORG"))


# ---------------------------------------------------------------- sports prose

def sports_prose(doc: Doc, ctx, cands: list, make) -> None:
    """In a sports report a town or county that is not after a place preposition is a team,
    and so is a name after "v" / "vs" in a fixture ("May 20 v Durham")."""
    rows = table_rows(doc, ctx)
    if not sports_document(doc, rows):
        return
    for tok in doc[:-1]:
        if tok.lower_ in {"v", "vs", "v.", "vs."} and tx.is_namelike(doc[tok.i + 1]):
            end = tok.i + 2
            while end < len(doc) and tx.is_namelike(doc[end]) and end - tok.i <= 3:
                end += 1
            place = gazetteer().lookup(doc[tok.i + 1:end].text)
            label = "PLACE" if place is not None and place.kind in {"country", "continent"} else "ORG"
            if not any(c.start < end and c.end > tok.i + 1 and c.id for c in cands):
                _replace(cands, make(tok.i + 1, end, label))
    preps = word_set("sports_document", "place_prepositions")
    gaz = gazetteer()
    for cand in cands:
        if cand.id or cand.label not in {"PLACE", "FACILITY"} or cand.source == "dateline":
            continue
        place = gaz.lookup(doc[cand.start:cand.end].text)
        if place is None or place.kind in {"country", "continent"}:
            continue
        prev = doc[cand.start - 1] if cand.start > 0 else None
        if prev is not None and (prev.lower_ in preps or prev.text == "(" and cand.end < len(doc)
                                 and doc[cand.end].text == ")"):
            continue
        nxt = doc[cand.end] if cand.end < len(doc) else None
        if nxt is not None and nxt.text == "," and cand.end + 1 < len(doc) and \
                gaz.lookup(doc[cand.end + 1].text) is not None:
            continue         # "Salzburg , Austria": a place
        cand.label, cand.source = "ORG", "rule"
