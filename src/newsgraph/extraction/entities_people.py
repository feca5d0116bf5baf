"""Person rules: names the model missed or mislabelled, and names it cut short."""
from __future__ import annotations

from spacy.tokens import Doc

from newsgraph.extraction import entities_text as tx
from newsgraph.extraction.entities_cand import Cand, Context, covered
from newsgraph.extraction.entities_resources import alias_index, gazetteer, norm_key, norp_words, word_set

MONTHS_DAYS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
               "friday", "saturday", "sunday"}


def looks_like_person(doc: Doc, start: int, end: int) -> bool:
    """Given name (or initial) + name words, no organisation word, not a known place."""
    span = doc[start:end]
    if not 2 <= len(span) <= 5 or tx.has_org_word(span):
        return False
    if not (tx.is_first_name(span[0].text) or tx._INITIAL.match(span[0].text)):
        return False
    if not all(tx.is_namelike(t) or tx.is_particle(t) for t in span) or tx.is_particle(span[-1]):
        return False
    if not tx.is_namelike(span[-1]) or tx._INITIAL.match(span[-1].text) and len(span) == 2:
        return False
    return gazetteer().lookup(span.text) is None and norm_key(span.text) not in alias_index()


def missed_names(doc: Doc, ctx: Context, cands: list[Cand]) -> list[Cand]:
    out = []
    for cand in cands:
        if cand.id or cand.label not in {"ORG", "MISC", "PLACE", "FACILITY", "EVENT"}:
            continue
        span = doc[cand.start:cand.end]
        if looks_like_person(doc, cand.start, cand.end):
            cand.label, cand.source = "PERSON", "rule"
        elif cand.label in {"ORG", "MISC"} and 2 <= len(span) <= 3 and all(tx.is_namelike(t) for t in span) \
                and not any(t.is_upper for t in span) and not tx.has_org_word(span) \
                and (tx.person_cue_before(doc, cand.start) or tx.person_cue_after(doc, cand.end)) \
                and gazetteer().lookup(span.text) is None and norm_key(span.text) not in alias_index():
            cand.label, cand.source = "PERSON", "rule"
        elif cand.label == "ORG" and len(span) == 1 and tx.is_namelike(span[0]) and not span[0].is_upper \
                and tx.person_cue_after(doc, cand.end) and not tx.has_org_word(span) \
                and (cand.start == 0 or doc[cand.start - 1].lower_ != "the") \
                and gazetteer().lookup(span.text) is None:
            cand.label, cand.source = "PERSON", "rule"
    taken = covered(cands)
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        if i in taken or not (tx.is_first_name(tok.text) or tx._INITIAL.match(tok.text)) or tok.is_upper and len(tok) > 2:
            i += 1
            continue
        j = i + 1
        seg_end = ctx.seg(i)[1]
        while j < seg_end and j not in taken and j - i < 5 and (
                tx.is_namelike(doc[j]) or tx.is_particle(doc[j])) and (
                not doc[j].is_upper or tx._INITIAL.match(doc[j].text)):
            j += 1
        while j > i + 1 and not looks_like_person(doc, i, j):
            j -= 1
        if j > i + 1:
            out.append(Cand(i, j, "PERSON", "", "rule"))
            i = j
        else:
            i += 1
    # single known places the model missed: "... fled to Qamishli"
    taken |= covered(out)
    for tok in doc:
        if tok.i in taken or not tok.is_alpha or len(tok) < 3 or not tok.text[0].isupper():
            continue
        if tok.pos_ != "PROPN" and not tok.is_upper:
            continue
        if tx.locative_before(doc, tok.i) and not (tok.i + 1 < len(doc) and tx.is_namelike(doc[tok.i + 1])):
            out.append(Cand(tok.i, tok.i + 1, "PLACE", "", "rule"))      # "the eastern city of Van"
            continue
        left_name = tok.i > 0 and tx.is_namelike(doc[tok.i - 1]) and not ctx.seg_start(tok.i)
        right_name = tok.i + 1 < len(doc) and tx.is_namelike(doc[tok.i + 1])
        if left_name or right_name or tok.lower_ in MONTHS_DAYS:
            continue
        place = gazetteer().lookup(tok.text)
        if place is None or tx.is_first_name(tok.text):
            continue
        if place.kind in {"country", "extra", "continent"} or (
                place.primary and place.population >= 100_000 and not ctx.seg_start(tok.i)):
            label = "NORP" if tok.lower_ in norp_words() else "PLACE"
            out.append(Cand(tok.i, tok.i + 1, label, "", "rule"))
    return out


def first_name_joins(doc: Doc, ctx: Context, cands: list[Cand]) -> None:
    """"Ahmet" + "Yildiz" (ORG): a given name right before a one- or two-word name the model
    called ORG, PLACE or MISC makes one person."""
    used = covered(cands)
    for cand in cands:
        if cand.id or cand.source != "model" or cand.label not in {"ORG", "PLACE", "MISC"}:
            continue
        span = doc[cand.start:cand.end]
        if len(span) > 2 or not all(tx.is_namelike(t) and not t.is_upper for t in span) or tx.has_org_word(span):
            continue
        start = cand.start
        if start == 0 or start - 1 in used or ctx.seg_of[start - 1] != ctx.seg_of[start]:
            continue
        prev = doc[start - 1]
        if tx.is_first_name(prev.text) and not prev.is_upper:
            place = gazetteer().lookup(span.text)
            if place is not None and place.kind in {"country", "continent", "extra"}:
                continue
            cand.start, cand.label, cand.source = start - 1, "PERSON", "rule"
            used.add(start - 1)


def extend_people(doc: Doc, ctx: Context, cands: list[Cand]) -> None:
    """"Akbarzhon Jalilov" when the model only found "Jalilov": take in the name words before."""
    taken = covered(cands)
    titles = word_set("person", "titles")
    for cand in cands:
        if cand.label != "PERSON":
            continue
        seg_start, seg_end = ctx.seg(cand.start)
        words = [t for t in doc[seg_start:seg_end] if t.is_alpha and len(t) > 3]
        if words and sum(t.text[0].isupper() for t in words) >= 0.6 * len(words):
            continue                                   # a headline in title case
        while cand.start > seg_start and cand.start - 1 not in taken:
            prev = doc[cand.start - 1]
            if not tx.is_namelike(prev) or prev.is_upper or prev.lower_ in titles or prev.pos_ != "PROPN" \
                    or gazetteer().lookup(prev.text) is not None or prev.lower_ in norp_words():
                break
            cand.start -= 1
            taken.add(cand.start)
