"""Document-level rules: page furniture, and consistency of names across the document."""
from __future__ import annotations

from collections import Counter, defaultdict

from spacy.tokens import Doc, Span

from newsgraph.extraction import entities_text as tx
from newsgraph.extraction.entities_cand import NAME_LABELS, Cand, Context, covered
from newsgraph.extraction.entities_resources import gazetteer, norp_words, rules


def _line_bounds(doc: Doc, i: int, text: str | None = None) -> tuple[int, int]:
    text = doc.text if text is None else text  # Doc.text joins every token: pass it in loops
    pos = doc[i].idx
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def drop_furniture(doc: Doc, ctx: Context, cands: list[Cand]) -> list[Cand]:
    cfg = rules()["furniture"]
    phrases = {p.lower() for p in cfg["phrases"]}
    openers = {w.lower() for w in cfg["line_openers"]}
    handle_cues = {w.lower() for w in cfg["handle_cues"]}
    out = []
    doc_text = doc.text
    for cand in cands:
        span = doc[cand.start:cand.end]
        text = span.text
        if text.lower() in phrases and not cand.id:
            continue
        if any("_" in t.text or t.text.startswith("@") for t in span):
            continue
        if cand.start > 0 and (doc[cand.start - 1].lower_ in handle_cues or doc[cand.start - 1].text == "@"):
            continue
        ls, le = _line_bounds(doc, cand.start, doc_text)
        line = doc_text[ls:le].strip()
        words = line.split()
        if 0 < len(words) <= cfg["max_line_words"] and not cand.id:
            low = line.lower().rstrip(".:!")
            first = words[0].lower().strip("*:")
            if low in phrases or first in openers or any(low.startswith(p + " ") for p in phrases if " " in p):
                continue
            if len(words) == 1 and text.isupper() and gazetteer().lookup(text) is None:
                continue     # a menu word in capitals on its own line
        out.append(cand)
    return out


def _surname_keys(span: Span) -> list[str]:
    """Short forms that refer back to a full personal name."""
    toks = [t for t in span if not t.is_punct]
    keys = []
    if len(toks) >= 2:
        keys.append(toks[-1].text)
        keys.append(" ".join(t.text for t in toks[-2:]))
        if len(toks) >= 3:
            keys.append(f"{toks[0].text} {toks[-1].text}")
    return keys


def _qualified_place(span: Span) -> bool:
    """"Syrian Capital Damascus", "Syrias Aleppo" taken for a person: a known place after words
    that only qualify it (a country or its demonym, maybe possessive with the apostrophe lost).
    Its last word is no surname to spread over the document."""
    from newsgraph.extraction.entities_rules import _notable

    toks = [t for t in span if not t.is_punct]
    place = gazetteer().lookup(toks[-1].text) if len(toks) >= 2 else None
    if place is None or not _notable(place):
        return False

    def qualifier(word: str) -> bool:
        low = word.lower()
        if low in norp_words() or low in ("capital", "city", "province", "the"):
            return True
        for form in (word, word[:-2] if low.endswith("'s") else None, word[:-1] if low.endswith("s") else None):
            found = gazetteer().lookup(form) if form else None
            if found is not None and found.kind == "country":
                return True
        return False
    return all(qualifier(t.text) for t in toks[:-1])


def _recased(text: str) -> str:
    """"HENKE" -> "Henke", so a headline in capitals meets the body's names."""
    return text.title() if text.isupper() and len(text) > 3 else text


def document_consistency(doc: Doc, ctx: Context, cands: list[Cand]) -> list[Cand]:
    cands = sorted(cands, key=lambda c: (c.start, -c.end))
    surnames: dict[str, str] = {}
    given: set[str] = set()
    for cand in cands:
        if cand.label == "PERSON":
            span = doc[cand.start:cand.end]
            if _qualified_place(span):
                continue
            for key in _surname_keys(span):
                surnames.setdefault(key, "PERSON")
            if len(span) >= 2 and span[0].is_alpha and span[0].text[:1].isupper():
                given.add(span[0].text)
    # a given name alone that no gazetteer knows as a place ("Ibrahim" after "Ibrahim El Bakraoui")
    given = {g for g in given if g not in surnames and gazetteer().lookup(g) is None}
    # short forms of people named in full
    for cand in cands:
        text = doc[cand.start:cand.end].text
        if cand.label != "PERSON" and not cand.id and cand.label != "NORP" and (
                _recased(text) in surnames or text in given):
            cand.label, cand.source = "PERSON", "rule"
    # majority label of the model for the same text
    votes: dict[str, Counter] = defaultdict(Counter)
    for cand in cands:
        if not cand.id:
            votes[doc[cand.start:cand.end].text][cand.label] += 1
    for cand in cands:
        text = doc[cand.start:cand.end].text
        if cand.id or cand.source == "rule" or _recased(text) in surnames:
            continue
        (best, count), = votes[text].most_common(1)
        if best != cand.label and count > votes[text][cand.label]:
            cand.label = best
    # names tagged once are tagged again where the model missed them
    lower_seen = {t.lower_ for t in doc if t.is_lower}
    known: dict[tuple[str, ...], Cand] = {}
    for cand in cands:
        words = tuple(t.text for t in doc[cand.start:cand.end])
        if cand.label in NAME_LABELS and all(w[:1].isupper() for w in words if w.isalpha()):
            known.setdefault(words, cand)
    for key, label in surnames.items():
        words = tuple(key.split())
        if words not in known:
            known[words] = Cand(0, 0, "PERSON")
    taken = covered(cands)
    out = list(cands)
    max_len = max((len(k) for k in known), default=0)
    firsts = {k[0] for k in known if k}
    texts = [t.text for t in doc]  # token texts once, not per window
    recased = [_recased(w) for w in texts]
    i = 0
    while i < len(doc):
        hit = None
        if texts[i] not in firsts and recased[i] not in firsts:
            i += 1
            continue
        for size in range(min(max_len, len(doc) - i), 0, -1):
            words = tuple(texts[i:i + size])
            ref = known.get(words) or known.get(tuple(recased[i:i + size]))
            if ref is None or any(j in taken for j in range(i, i + size)):
                continue
            if size == 1 and (words[0].lower() in lower_seen or len(words[0]) < 3 or (
                    ctx.seg_start(i) and words[0] not in surnames and tx.common_word(words[0])
                    and gazetteer().lookup(words[0]) is None)):
                continue
            if i + size < len(doc) and tx.is_namelike(doc[i + size]) and not ctx.seg_start(i + size):
                continue
            if i > 0 and tx.is_namelike(doc[i - 1]) and not ctx.seg_start(i):
                continue
            hit = Cand(i, i + size, ref.label, ref.id, "rule")
            break
        if hit:
            out.append(hit)
            i = hit.end
        else:
            i += 1
    return out
