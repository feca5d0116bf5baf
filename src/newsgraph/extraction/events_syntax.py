"""Small helpers over a spaCy dependency parse, shared by events and movements.

Noun-phrase spans without their relative clauses, the subject of a verb (through
coordination, control and relative pronouns), the chain of governing verbs a factuality cue
may sit on, conjuncts, and a token -> entity-mention index.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

VERB_POS = {"VERB", "AUX"}
SUBJ = {"nsubj", "csubj"}
SUBJ_PASS = {"nsubjpass", "csubjpass"}
# children kept in a participant's phrase ("security forces of Turkey", "five of the detainees")
NP_KEEP = {"det", "amod", "compound", "nummod", "poss", "case", "nmod", "quantmod", "predet",
           "advmod", "prep", "pobj", "npadvmod", "neg", "nounmod", "pcomp"}
RELATIVE = {"who", "which", "that", "whom", "whose"}
PLACE_ENTS = {"PLACE", "FACILITY", "GPE", "LOC", "FAC"}


def is_verb(tok: Token) -> bool:
    return tok.pos_ in VERB_POS or tok.tag_.startswith("VB")


class EntityIndex:
    """Token index -> the entity mention covering it (entity mentions from extract_entities)."""

    def __init__(self, doc: Doc, entities) -> None:
        self.by_token: dict[int, object] = {}
        self.mentions = list(entities)
        for m in self.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.by_token.setdefault(t.i, m)

    def at(self, tok: Token):
        return self.by_token.get(tok.i)

    def in_span(self, toks) -> list:
        seen, out = set(), []
        for t in toks:
            m = self.by_token.get(t.i)
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                out.append(m)
        return out


def np_tokens(tok: Token) -> list[Token]:
    """The tokens of the noun phrase headed by ``tok``: its subtree without relative
    clauses, appositions, coordination and punctuation at the edges; "of" phrases stay."""
    out = [tok]
    stack = [c for c in tok.children if c.dep_ in NP_KEEP and not (c.dep_ == "prep" and c.lower_ != "of")]
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(g for g in c.children if g.dep_ not in {"relcl", "acl", "appos", "cc", "conj",
                                                             "advcl", "parataxis"})
    out.sort(key=lambda t: t.i)
    # keep a contiguous run around the head
    i0 = out.index(tok)
    lo = hi = i0
    while lo > 0 and out[lo - 1].i == out[lo].i - 1:
        lo -= 1
    while hi < len(out) - 1 and out[hi + 1].i == out[hi].i + 1:
        hi += 1
    toks = out[lo:hi + 1]
    while toks and toks[-1].is_punct and toks[-1] != tok:
        toks.pop()
    while toks and toks[0].is_punct and toks[0] != tok:
        toks.pop(0)
    return toks


def span_of(toks: list[Token]) -> tuple[int, int]:
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def conjuncts(tok: Token) -> list[Token]:
    """``tok`` and the tokens coordinated with it ("Hungary, Romania and Bulgaria")."""
    out = [tok]
    stack = [c for c in tok.children if c.dep_ == "conj"]
    while stack:
        c = stack.pop(0)
        out.append(c)
        stack.extend(g for g in c.children if g.dep_ == "conj")
    return sorted(out, key=lambda t: t.i)


def resolve_relative(tok: Token) -> Token:
    """A relative pronoun ("who", "which") stands for the noun its clause modifies."""
    if tok.lower_ in RELATIVE:
        h = tok.head
        while h.dep_ not in {"relcl", "acl"} and h.head != h and is_verb(h.head):
            h = h.head
        if h.dep_ in {"relcl", "acl"}:
            rel = tok
            tok = h.head
            # "three guides near Ad Darbasiyah who had been ...": "who" is not the place
            if rel.lower_ in ("who", "whom") and tok.ent_type_ in PLACE_ENTS and tok.dep_ == "pobj" \
                    and tok.head.head.pos_ in ("NOUN", "PROPN", "PRON"):
                tok = tok.head.head
    if tok.dep_ == "appos" and tok.head.pos_ == "PROPN":
        return tok.head             # "Anis Amri, a Tunisian national who drove ..."
    return tok


def _same_family(a: Token, b: Token) -> bool:
    """Coordinated verbs agree in form; 'to cross ... and deported' (VB + VBN) is a misparse."""
    fa, fb = a.tag_[:3], b.tag_[:3]
    if {fa, fb} <= {"VBD", "VBN", "VBZ", "VBP"}:
        return True
    return a.tag_ == b.tag_ or not (a.tag_ == "VB" or b.tag_ == "VB")


def is_passive(verb: Token) -> bool:
    if any(c.dep_ in SUBJ_PASS or c.dep_ == "auxpass" for c in verb.children):
        return True
    return False


def subject_of(verb: Token, _depth: int = 0) -> tuple[Token | None, bool]:
    """The subject of ``verb`` and whether it is a passive subject (so a patient).

    Through coordination ("flew ... and moved on", "caught ... and deported"), control
    ("trying to cross"), adverbial clauses ("before going") and relative pronouns."""
    if _depth > 8:
        return None, False
    for c in verb.children:
        if c.dep_ in SUBJ:
            return resolve_relative(c), False
        if c.dep_ in SUBJ_PASS:
            return resolve_relative(c), True
    head = verb.head
    if head == verb:
        return None, False
    dep = verb.dep_
    if dep == "conj":
        if not is_verb(head):
            return None, False
        subj, head_passive = subject_of(head, _depth + 1)
        if subj is None:
            return None, False
        if any(c.dep_ == "auxpass" for c in verb.children):
            return subj, True
        if verb.tag_ in ("VBN", "VBD") and not any(c.dep_ == "aux" for c in verb.children):
            return subj, head_passive or _passive_chain(head)
        return subj, False
    if dep in {"xcomp", "advcl", "pcomp", "ccomp", "prep", "pobj", "acomp"} or (dep == "acl" and not is_verb(head)):
        if dep == "acl" and not is_verb(head):
            return (head, verb.tag_ == "VBN") if verb.tag_ in ("VBN", "VBG") else _up(head, _depth)
        if dep == "xcomp":
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and head.lemma_ in ("allow", "permit", "help", "force", "order", "ask", "let"):
                return obj, False
        return _up(verb, _depth)
    if dep == "relcl" and verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return _up(head, _depth)     # "use illegal ways to cross": the user crosses
    if dep in {"relcl", "acl"}:
        return head, verb.tag_ == "VBN" and dep == "acl"
    if dep == "amod" and verb.tag_ == "VBN":
        return head, True
    return None, False


def _passive_chain(verb: Token) -> bool:
    v = verb
    for _ in range(6):
        if is_passive(v):
            return True
        if v.dep_ in {"conj", "xcomp", "advcl"} and v.head != v:
            v = v.head
            continue
        return False
    return False


def _up(tok: Token, depth: int) -> tuple[Token | None, bool]:
    h = tok.head
    while h != h.head and not is_verb(h):
        h = h.head
    if h == tok or not is_verb(h):
        return None, False
    subj, passive = subject_of(h, depth + 1)
    return subj, False if subj is not None and tok.tag_ == "VBG" else passive


def chain(tok: Token) -> list[Token]:
    """The trigger and the governing words a modality cue may sit on: up through xcomp,
    acl, auxiliaries, light-verb objects and prepositional complements, not across clauses."""
    out = [tok]
    t = tok
    for _ in range(10):
        dep, h = t.dep_, t.head
        if h == t:
            break
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        if dep in {"xcomp", "acl", "dobj", "pobj", "pcomp", "prep", "aux", "nsubjpass", "attr", "oprd"} or (
                infinitive and dep in {"relcl", "advcl"}):
            out.append(h)
            t = h
            continue
        if dep == "conj" and is_verb(t) and is_verb(h) and _same_family(t, h) and not any(
                c.dep_ in {"aux", "auxpass", "nsubj", "nsubjpass"} for c in t.children):
            out.append(h)
            t = h
            continue
        break
    return out


def ancestors_and_self(tok: Token) -> list[Token]:
    return [tok, *tok.ancestors]


def clause_verb(tok: Token) -> Token:
    """The verb of the clause ``tok`` belongs to (itself when it is a verb)."""
    t = tok
    for _ in range(20):
        if is_verb(t) or t.head == t:
            return t
        t = t.head
    return t


def depth(tok: Token) -> int:
    return sum(1 for _ in tok.ancestors)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside quotation marks (curly pairs, or straight quotes paired per
    paragraph)."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == "“":
            stack.append(i)
        elif ch == "”" and stack:
            spans.append((stack.pop(0), i + 1))
            stack.clear()
        elif ch == "\n":
            if stack:
                spans.append((stack[0], i))
            stack.clear()
    if stack:
        spans.append((stack[0], len(text)))
    pos = 0
    for para in text.split("\n"):
        marks = [pos + i for i, ch in enumerate(para) if ch == '"']
        for a, b in zip(marks[::2], marks[1::2]):
            spans.append((a, b + 1))
        pos += len(para) + 1
    return sorted(spans)


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)
