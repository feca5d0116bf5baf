"""In-document name resolution and the attributes stated next to a person."""
from __future__ import annotations

import re

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token

from newsgraph.extraction.entities_resources import alias_by_id, gazetteer, norm_key, norp_words, rules, word_set

_ARTICLE = re.compile(r"^(al|el|al |el |a[dlnrst]|e[dlnrst])[-\s]", re.I)
_STOP = {"of", "the", "and", "for", "in", "on", "de", "du", "des", "la", "le", "&"}
FUZZY_SURNAME = 80


def _clean(text: str) -> str:
    return " ".join(text.split())


def _surname_key(text: str) -> str:
    """"Al-Qadir" and "al-Qadr" -> "qadir" / "qadr": article dropped, accents folded."""
    key = norm_key(text)
    key = _ARTICLE.sub("", key)
    return key.replace(" ", "")


def _name_tokens(span: Span) -> list[Token]:
    """The name words of a person's name: no punctuation, no particle ("al", "el", "bin")."""
    particles = word_set("person", "particles")
    return [t for t in span if not t.is_punct and t.lower_ not in particles]


def resolve_canonicals(doc: Doc, ents: list[Span]) -> list[tuple[str, str | None]]:
    """(canonical, alias id) for every entity span, in order."""
    people = [e for e in ents if e.label_ == "PERSON" and len(_name_tokens(e)) >= 2]
    orgs = [e for e in ents if e.label_ in {"ORG", "GROUP"} and len(e) >= 2]
    out = []
    for ent in ents:
        if ent.ent_id_:
            entry = alias_by_id().get(ent.ent_id_)
            if entry is not None:
                out.append((entry["canonical"], entry["id"]))
                continue
        text = _clean(ent.text)
        if ent.label_ == "PERSON":
            out.append((_resolve_person(ent, people) or text, None))
        elif ent.label_ == "PLACE":
            place = gazetteer().lookup(text)
            if place and (place.kind == "extra" or text.isupper() and len(text) > 3):
                text = place.name          # "Antep" -> "Gaziantep", "BEIRUT" -> "Beirut"
            elif text.isupper() and len(text) > 3:
                text = text.title()
            out.append((text, None))
        elif ent.label_ in {"ORG", "GROUP"} and text.isupper() and 2 <= len(text) <= 6:
            out.append((_expand_acronym(text, orgs) or text, None))
        else:
            out.append((text, None))
    return out


def _resolve_person(ent: Span, people: list[Span]) -> str | None:
    toks = _name_tokens(ent)
    if not toks:
        return None                                   # only particles or punctuation ("Al")
    if len(toks) >= 2 and not any(
            len(_name_tokens(p)) > len(toks) and norm_key(p.text).endswith(norm_key(ent.text)) for p in people):
        return None                                   # a full name is its own canonical
    if not toks:  # a name of punctuation only: nothing to resolve (guard until the fix on main lands)
        return None
    short = toks[-1].text
    matches = []
    for full in people:
        if full.start == ent.start:
            continue
        full_toks = _name_tokens(full)
        if len(full_toks) <= len(toks):
            continue
        last = full_toks[-1].text
        if norm_key(last) == norm_key(short) or norm_key(full.text).endswith(" " + norm_key(ent.text)):
            matches.append((0, full))
            continue
        a, b = _surname_key(short), _surname_key(last)
        if a and b and a[0] == b[0] and fuzz.ratio(a, b) >= FUZZY_SURNAME:
            matches.append((1, full))
    if not matches:
        return None
    best_kind = min(kind for kind, _ in matches)
    candidates = [full for kind, full in matches if kind == best_kind]
    before = [f for f in candidates if f.start < ent.start]
    chosen = before[-1] if before else candidates[0]
    return _clean(chosen.text)


def _expand_acronym(acronym: str, orgs: list[Span]) -> str | None:
    letters = acronym.replace(".", "")
    for org in orgs:
        words = [t.text for t in org if t.text.lower() not in _STOP and t.text[:1].isalpha()]
        if len(words) == len(letters) and all(w[0].upper() == c for w, c in zip(words, letters)):
            return _clean(org.text)
    return None


# ------------------------------------------------------------------------ attributes

_HONORIFICS = {"mr", "mrs", "ms", "miss", "sir", "dame", "madam", "mme", "m"}


def _demonym(tok: Token) -> str | None:
    if tok.text[:1].isupper() and tok.lower_ in norp_words():
        return tok.text
    return None


def _norp_before(doc: Doc, i: int, lo: int) -> str | None:
    """The nationality word(s) right before token i: "Saudi Arabian", "Belgian"."""
    words = []
    j = i - 1
    while j >= lo and _demonym(doc[j]):
        words.insert(0, doc[j].text)
        j -= 1
    return " ".join(words) or None


def attributes_for(doc: Doc, ent: Span) -> dict:
    """nationality, descent, role, origin stated in an apposition or just before the name."""
    attrs: dict = {}
    sent = ent[0].sent
    cfg = rules()["attributes"]
    nat_nouns = {w.lower() for w in cfg["nationality_nouns"]}
    descent_nouns = {w.lower() for w in cfg["descent_nouns"]}
    demonym_nouns = cfg["demonym_nouns"]
    role_nouns = word_set("attributes", "role_nouns") | word_set("person", "titles")

    def read_phrase(lo: int, hi: int) -> None:
        for k in range(lo, hi):
            tok = doc[k]
            if tok.lower_ in nat_nouns or (tok.lemma_.lower() in nat_nouns):
                nat = _norp_before(doc, k, lo)
                if nat and "nationality" not in attrs:
                    attrs["nationality"] = nat
            elif tok.text in demonym_nouns and "nationality" not in attrs:
                attrs["nationality"] = demonym_nouns[tok.text]
            elif tok.lower_ in descent_nouns:
                nat = _norp_before(doc, k, lo)
                if nat and "descent" not in attrs:
                    attrs["descent"] = nat
            elif tok.lower_ == "citizenship":
                nats = [doc[m].text for m in range(lo, k) if _demonym(doc[m])]
                if nats and "nationality" not in attrs:
                    attrs["nationality"] = ", ".join(nats)

    # apposition after the name: "X, a Belgian national of Moroccan descent, ..."
    i = ent.end
    if i < sent.end and doc[i].text == ",":
        lo = i + 1
        if lo + 1 < sent.end and doc[lo].like_num and doc[lo + 1].text == ",":
            lo += 2                                    # "X, 45, a Syrian national"
        hi = lo
        while hi < sent.end and hi - lo < 18 and doc[hi].text not in {",", ".", ";", ")", "—"} \
                and doc[hi].lower_ not in {"who", "which", "whose", "where", "when"}:
            hi += 1
        read_phrase(lo, hi)
        _role_from_apposition(doc, lo, hi, role_nouns, attrs)
        _origin(doc, lo, min(sent.end, hi + 12), attrs)
    # "X had dual Moroccan and Italian citizenship", "X, originally from Kazakhstan and Russian citizen"
    k = ent.end
    if k + 1 < sent.end and doc[k].lemma_ in {"have", "hold"}:
        hi = k + 1
        while hi < sent.end and hi - k < 8 and doc[hi].lower_ != "citizenship":
            hi += 1
        if hi < sent.end:
            read_phrase(k + 1, hi + 1)
    # modifiers just before the name: "Veteran Turkish journalist Rusen Cakir", "President X"
    j = ent.start - 1
    while j >= sent.start and ent.start - j <= 5 and doc[j].pos_ in {"ADJ", "NOUN", "PROPN"} \
            and not doc[j].ent_type_ in {"PERSON", "ORG", "GROUP"} and doc[j].text[:1].isalpha():
        j -= 1
    pre = doc[j + 1:ent.start]
    while len(pre) and pre[0].lower_.rstrip(".") in _HONORIFICS:
        pre = pre[1:]
    if len(pre) and pre[-1].lower_ in word_set("attributes", "role_nouns") | (
            {pre[-1].lower_} & word_set("person", "titles") if pre[-1].text[0].isupper() else set()):
        attrs.setdefault("role", pre.text)
        nat = next((t.text for t in pre if _demonym(t)), None)
        if nat:
            attrs.setdefault("nationality", nat)
    # a list introduced by "<Demonym> citizens of <Demonym> origin identified as A, B and C"
    if "nationality" not in attrs or "role" not in attrs:
        _listed_after_intro(doc, ent, sent, read_phrase, attrs)
    return attrs


def _role_from_apposition(doc: Doc, lo: int, hi: int, role_nouns: frozenset[str], attrs: dict) -> None:
    if lo >= hi or doc[lo].lower_ not in {"a", "an", "the"}:
        return
    start = lo + 1
    for k in range(start, hi):
        tok = doc[k]
        if tok.lower_ in {"and", "or", "but"} or tok.pos_ in {"ADP", "VERB", "AUX"}:
            return
        if tok.lower_ in role_nouns:
            end = k + 1
            if end < hi and doc[end].lower_ in {"on", "for", "of", "at", "in", "to", "with"}:
                end += 1
                while end < hi and doc[end].lower_ not in {"and", "or", "but"}:
                    end += 1
            if any(doc[m].lower_ in word_set("attributes", "nationality_nouns") for m in range(start, end)):
                return
            attrs.setdefault("role", doc[start:end].text)
            return


def _origin(doc: Doc, lo: int, hi: int, attrs: dict) -> None:
    for k in range(lo, hi - 2):
        pair = f"{doc[k].lower_} {doc[k + 1].lower_}"
        if pair in {"originally from", "born in"}:
            ent = doc[k + 2]
            if ent.ent_type_ == "PLACE" or gazetteer().lookup(ent.text):
                span = next((e for e in doc.ents if e.start == ent.i), doc[ent.i:ent.i + 1])
                key = "origin" if pair == "originally from" else "birthplace"
                attrs.setdefault(key, span.text)


def _listed_after_intro(doc: Doc, ent: Span, sent: Span, read_phrase, attrs: dict) -> None:
    """"German citizens of Lebanese origin identified as A, B and C", "a smuggler named X"."""
    j = ent.start - 1
    while j >= sent.start and (doc[j].ent_type_ == "PERSON" or doc[j].text in {",", "and"}):
        j -= 1
    if j >= sent.start + 1 and doc[j].lower_ in {"as", "named", "called"}:
        if doc[j].lower_ == "as" and doc[j - 1].lower_ not in {"identified", "named", "known"}:
            return
        k = j - 1 if doc[j].lower_ != "as" else j - 2
        if doc[k].lower_ in word_set("attributes", "role_nouns") and doc[k].tag_ in {"NN", "NNP"}:
            start = k
            while start > sent.start and doc[start - 1].pos_ in {"ADJ", "NOUN", "PROPN"}:
                start -= 1
            attrs.setdefault("role", doc[start:k + 1].text)
        if "nationality" in attrs:
            return
        lo = k
        while lo > sent.start and ent.start - lo < 25 and doc[lo - 1].text not in {",", ".", ";"}:
            lo -= 1
        read_phrase(lo, k + 1)
