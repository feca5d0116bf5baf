"""Attributions of the sentences of one document: who says it, whom it credits, how sure.

``attribute_sentences(doc, entities, publisher, credited)`` gives one ``Attribution`` per
spaCy sentence of ``doc``:

* ``speaker``: who says it, from a verb of saying outside quotations ("Bozkurt said",
  "Says Anti-Terror Units General Command", "He added" with the pronoun resolved to the
  last person named), "according to <someone>", a quotation introduced by "X: “…" or
  tagged by the sentence after it, or a quoted paragraph that follows a speaker's sentence;
* ``origin``: the first-hand source credited ("according to law enforcement agencies",
  "the Guardian has confirmed", "the BBC investigation uncovered", a speaker); a credit
  line of the whole document (``credited``) is the origin of every non-opinion sentence
  that credits nobody else;
* ``modality``: question > opinion > hedged > reported > asserted, from the cues in
  data/attribution_cues.toml. Opinion markers of the publisher's own voice (scope
  "author") only count outside quotations and without a speaker; an opinion opening a
  paragraph makes the publisher's following sentences of that paragraph opinion too.

A paragraph that opens with an attribution carries it to its other sentences ("According
to Abdullah Bozkurt, …" then "The office was designed …"); quotations carry their speaker
over all the sentences they span. Origins and speakers named differently in one document
("General Command of Anti-Terror Units", "YPG Anti-Terror Units General Command") are
given one name, the longest.
"""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token

MODALITIES = ("asserted", "reported", "hedged", "opinion", "question")
OPEN_QUOTES = "“«„"
CLOSE_QUOTES = "”»"


@dataclass
class Attribution:
    sentence_start: int
    sentence_end: int
    publisher: str | None = None
    speaker: dict | None = None   # text, canonical, start, end, kind
    origin: dict | None = None    # name, kind, text, start, end, scope, (medium)
    # origin["scope"]: "sentence" (credited here), "quote" (the quotation's speaker),
    # "paragraph" (carried from the paragraph's opening), "document" (credit line; start/end
    # None); origin["medium"]: "tweet", "investigation", "statement" … when the text says so.
    cue: str | None = None
    modality: str = "asserted"
    hedges: list[str] = field(default_factory=list)
    quote: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- cues


@dataclass(frozen=True)
class Cues:
    speech: frozenset
    needs_complement: frozenset
    speech_objects: frozenset
    particles: dict
    confirmation: frozenset
    according: tuple
    inverted: tuple
    document_nouns: frozenset
    author_preps: frozenset
    person_pronouns: frozenset
    kind_order: tuple
    kind_patterns: dict
    speaker_kinds: dict
    hedges: tuple
    opinions: tuple
    question: re.Pattern


def _words_pattern(words: list[str]) -> re.Pattern | None:
    """One regex for a list of words: short all-caps acronyms match with their case only."""
    exact = [w for w in words if w.isupper() and len(w) <= 4]
    loose = [w for w in words if w not in exact]
    parts = []
    if loose:
        parts.append("(?i:" + "|".join(re.escape(w) for w in sorted(loose, key=len, reverse=True)) + ")")
    if exact:
        parts.append("|".join(re.escape(w) for w in exact))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?:s|es)?(?![\w-])") if parts else None


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("attribution_cues.toml").read_text("utf-8"))
    rep, kinds = data["reporting"], data["kinds"]
    return Cues(
        speech=frozenset(rep["speech_verbs"]),
        needs_complement=frozenset(rep["needs_complement"]),
        speech_objects=frozenset(rep["speech_objects"]),
        particles=dict(rep["particles"]),
        confirmation=frozenset(rep["confirmation_verbs"]),
        according=tuple(tuple(p.split()) for p in rep["according"]),
        inverted=tuple(re.compile(p, re.I) for p in rep["inverted"]),
        document_nouns=frozenset(rep["document_nouns"]),
        author_preps=frozenset(rep["author_preps"]),
        person_pronouns=frozenset(rep["person_pronouns"]),
        kind_order=tuple(kinds["order"]),
        kind_patterns={k: _words_pattern(kinds[k]) for k in kinds["order"]},
        speaker_kinds=dict(data["speaker_kinds"]),
        hedges=tuple((h["label"], re.compile(h["pattern"], re.I)) for h in data["hedge"]),
        opinions=tuple((o["label"], re.compile(o["pattern"], 0 if o.get("case_sensitive") else re.I),
                        o.get("scope", "author")) for o in data["opinion"]),
        question=re.compile(data["question"]["pattern"]),
    )


# --------------------------------------------------------------------------- quotations


@dataclass
class Quote:
    open: int           # offset of the opening mark
    close: int          # offset after the closing mark (or the paragraph's end)
    closed: bool
    para: int
    direct: bool = True
    heading: bool = False


def paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\n[ \t]*\n\s*", text)]


def find_quotes(text: str, para_starts: list[int]) -> list[Quote]:
    """Outermost quotations; an unclosed one ends with its paragraph."""
    quotes: list[Quote] = []
    ends = para_starts[1:] + [len(text)]
    for p, (lo, hi) in enumerate(zip(para_starts, ends)):
        depth, start, straight = 0, -1, -1
        for i in range(lo, hi):
            ch = text[i]
            if ch in OPEN_QUOTES:
                if depth == 0:
                    start = i
                depth += 1
            elif ch in CLOSE_QUOTES and depth:
                depth -= 1
                if depth == 0:
                    quotes.append(Quote(start, i + 1, True, p))
            elif ch == '"' and depth == 0:
                if straight < 0 and (i == lo or not text[i - 1].isalnum()):
                    straight = i
                elif straight >= 0:
                    quotes.append(Quote(straight, i + 1, True, p))
                    straight = -1
        if depth:
            quotes.append(Quote(start, len(text[:hi].rstrip()), False, p))
    quotes.sort(key=lambda q: q.open)
    return quotes


def _classify_quotes(doc: Doc, quotes: list[Quote], para_starts: list[int]) -> None:
    """Direct quotation or scare quotes ("local partners"); pull-quote headings."""
    text = doc.text
    ends = para_starts[1:] + [len(text)]
    for q in quotes:
        inner = text[q.open + 1:q.close - (1 if q.closed else 0)].strip()
        span = doc.char_span(q.open, q.close, alignment_mode="expand")
        words = [t for t in span if t.is_alpha] if span is not None else []
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in words)
        q.direct = (not q.closed) or inner[-1:] in ".!?,;" or (len(words) >= 3 and has_verb)
        para_text = text[para_starts[q.para]:ends[q.para]].strip()
        q.heading = (
            para_text == text[q.open:q.close].strip() and inner[-1:] not in ".!?" and len(words) <= 15
        )


# --------------------------------------------------------------------------- the document


@dataclass
class Found:
    """An attribution found inside one sentence."""
    how: str                 # according | speech | confirm | inverted | colon
    mention: dict | None     # text, canonical, start, end, label, context
    cue: str
    start: int               # span of the crediting phrase
    end: int
    medium: str | None = None


class _Context:
    def __init__(self, doc: Doc, entities, publisher, credited):
        self.doc, self.text, self.c = doc, doc.text, cues()
        self.entities = sorted(entities, key=lambda e: e.start)
        self.publisher = publisher
        self.credited = [_credit_name(x) for x in (credited or []) if _credit_name(x)]
        self.credit_evidence = {_credit_name(x): _credit_evidence(x) for x in (credited or []) if _credit_name(x)}
        self.paras = paragraph_starts(self.text)
        self.quotes = find_quotes(self.text, self.paras)
        _classify_quotes(doc, self.quotes, self.paras)
        self.quoted = bytearray(len(self.text) + 1)
        for q in self.quotes:
            if q.direct:
                self.quoted[q.open:q.close] = b"\x01" * (q.close - q.open)
        self.last_author: dict[str, dict] = {}  # document noun -> its last named author
        self.roles: dict[str, str] = {}
        for e in self.entities:
            if e.label == "PERSON":
                attrs = getattr(e, "attributes", None) or {}
                role = " ".join(str(attrs[k]) for k in ("role", "title", "affiliation", "position") if attrs.get(k))
                if role:
                    self.roles[e.canonical] = (self.roles.get(e.canonical, "") + " " + role).strip()

    # ---- positions
    def para_of(self, pos: int) -> int:
        return bisect_right(self.paras, pos) - 1

    def is_quoted(self, tok: Token) -> bool:
        return bool(self.quoted[tok.idx])

    def entity_at(self, start: int, end: int):
        """The entity mention covering the characters [start, end)."""
        for e in self.entities:
            if e.start <= start and end <= e.end:
                return e
            if e.start > start:
                break
        return None

    def antecedent(self, pos: int):
        """The last person named outside quotations before ``pos``."""
        best = None
        for e in self.entities:
            if e.start >= pos:
                break
            if e.label == "PERSON" and not self.quoted[e.start]:
                best = e
        return best

    # ---- mentions
    def name_bounds(self, tok: Token) -> tuple[int, int]:
        keep = _name_tokens(tok)
        lo, hi = min(t.i for t in keep), max(t.i for t in keep) + 1
        for t in self.doc[lo:hi]:  # never across a comma
            if t.text in ",;(" and t.i > tok.i:
                hi = t.i
                break
            if t.text in ",;)" and t.i < tok.i:
                lo = t.i + 1
        while lo < tok.i and self.doc[lo].dep_ in ("det", "punct", "poss") and self.doc[lo].pos_ in ("DET", "PUNCT", "PRON"):
            lo += 1
        while hi - 1 > tok.i and self.doc[hi - 1].dep_ in ("case", "punct"):
            hi -= 1
        return lo, hi

    def mention(self, tok: Token) -> dict | None:
        doc = self.doc
        if tok.lower_ in self.c.person_pronouns:
            ant = self.antecedent(tok.idx)
            if ant is None:
                return None
            return {"text": tok.text, "canonical": ant.canonical, "start": tok.idx, "end": tok.idx + len(tok),
                    "label": "PERSON", "context": self.roles.get(ant.canonical, "")}
        if tok.pos_ == "PRON":
            return None
        if tok.lemma_.lower() in self.c.document_nouns:
            author = self.document_author(tok)
            if author is not None:
                return author
        lo, hi = self.name_bounds(tok)
        span = doc[lo:hi]
        if tok.pos_ == "NOUN":  # "the global financial monitoring company IHS Markit"
            for child in tok.children:
                ent = self.entity_at(child.idx, child.idx + len(child)) if child.dep_ == "appos" else None
                if ent is not None and ent.label in ("PERSON", "ORG", "GROUP"):
                    return self.entity_mention(ent, span.text)
        context = _apposition(self, tok)
        ent = self.entity_at(tok.idx, tok.idx + len(tok))
        if ent is not None:
            outside = [t for t in span if (t.idx < ent.start or t.idx >= ent.end) and t.pos_ == "PROPN"]
            if not outside or (ent.label == "PERSON" and len(ent.canonical.split()) >= 2):
                if ent.label == "PERSON":
                    context = (context + " " + self.roles.get(ent.canonical, "")).strip()
                return {"text": ent.text, "canonical": ent.canonical, "start": ent.start, "end": ent.end,
                        "label": ent.label, "context": (span.text + " " + context).strip()}
        name = span.text.strip()
        if not name:
            return None
        if ent is None and tok.pos_ == "PROPN":
            person = self.person_by_surname(tok.text)
            if person is not None:
                return {"text": name, "canonical": person.canonical, "start": span.start_char, "end": span.end_char,
                        "label": "PERSON", "context": self.roles.get(person.canonical, "")}
        label = ent.label if ent is not None and ent.label != "PERSON" else None
        return {"text": name, "canonical": name, "start": span.start_char, "end": span.end_char,
                "label": label, "context": (name + " " + context).strip(),
                "document": tok.lemma_.lower() in self.c.document_nouns}

    def entity_mention(self, ent, context: str = "") -> dict:
        role = self.roles.get(ent.canonical, "") if ent.label == "PERSON" else ""
        return {"text": ent.text, "canonical": ent.canonical, "start": ent.start, "end": ent.end,
                "label": ent.label, "context": " ".join(x for x in (ent.text, context, role) if x)}

    def document_author(self, tok: Token) -> dict | None:
        """The author of a document noun: "the BBC investigation", "information provided by X"."""
        for left in self.doc[tok.left_edge.i:tok.i]:  # "the BBC investigation", "Reuters' report"
            ent = self.entity_at(left.idx, left.idx + len(left))
            if ent is not None and ent.label in ("ORG", "GROUP", "PERSON") and ent.end <= tok.idx:
                return self.entity_mention(ent, tok.text)
        for t in tok.subtree:  # "provided by X", "by the BBC team", "from the governor's office"
            if t.i <= tok.i or t.dep_ == "relcl":
                continue
            if t.dep_ == "agent" or (t.dep_ == "prep" and t.lower_ in self.c.author_preps and t.head.i in (tok.i,) + tuple(
                    c.i for c in tok.children if c.dep_ == "acl")):
                obj = next((c for c in t.children if c.dep_ == "pobj"), None)
                if obj is None:
                    continue
                if t.lower_ == "of":  # "a statement of the ministry", not "the records of two attackers"
                    ent = self.entity_at(obj.idx, obj.idx + len(obj))
                    if ent is None or ent.label not in ("ORG", "GROUP"):
                        continue
                return self.mention(obj)
        return None

    def person_by_surname(self, word: str):
        """A person named earlier whose last name is spelt like ``word`` ("Al-Qadir", "al-Qadr")."""
        key = _surname(word)
        if len(key) < 3:
            return None
        best, score = None, 0.0
        for e in self.entities:
            if e.label == "PERSON" and len(e.canonical.split()) >= 2:
                s = fuzz.ratio(key, _surname(e.canonical.split()[-1]))
                if s >= 80 and s > score:
                    best, score = e, s
        return best

    # ---- origins and kinds
    def kind(self, mention: dict) -> str:
        ctx = mention.get("context") or mention["canonical"]
        order = self.c.kind_order
        if mention.get("label") == "PERSON":
            order = tuple(k for k in order if k in ("party", "official", "expert", "witness"))
            ctx = mention.get("context", "").replace(mention["text"], " ")
        name = _norm(mention["canonical"])
        if any(name == _norm(c) for c in self.credited) or (self.publisher and name == _norm(self.publisher)):
            return "outlet"
        for k in order:
            pat = self.c.kind_patterns.get(k)
            if pat is not None and pat.search(ctx):
                return k
        return {"GROUP": "party", "ORG": "official"}.get(mention.get("label") or "", "witness")

    def speaker_kind(self, mention: dict, origin_kind: str) -> str:
        if mention.get("label") == "PERSON":
            return "person"
        return self.c.speaker_kinds.get(origin_kind, "organization")

    def credited_name(self, name: str) -> str:
        for c in self.credited:
            if _norm(c) == _norm(name):
                return c
        return name


def _norm(name: str) -> str:
    name = re.sub(r"[’'`]s\b", "", name.lower())
    name = re.sub(r"^the\s+", "", name.strip())
    return re.sub(r"\W+", " ", name).strip()


def _surname(word: str) -> str:
    return re.sub(r"^(?:al|el|ul|ad|ar|as|at|an)[-‐ ]", "", word.lower()).strip()


def _credit_name(item) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        return item.get("name")
    return getattr(item, "name", None)


def _credit_evidence(item) -> str | None:
    if isinstance(item, dict):
        return item.get("evidence") or item.get("how")
    return getattr(item, "evidence", None)


_NAME_DEPS = {"compound", "amod", "nmod", "poss", "nummod", "quantmod", "case", "det", "pobj"}


def _name_tokens(tok: Token) -> list[Token]:
    keep = [tok]
    for child in tok.children:
        if child.dep_ in _NAME_DEPS or (child.dep_ == "prep" and child.lower_ == "of") or (
                child.dep_ == "punct" and child.text in "-‐‑"):
            keep.extend(_name_tokens(child))
    return keep


def _apposition(ctx: _Context, tok: Token) -> str:
    """The head phrase of an apposition or a descriptor before the name ("an expert on …")."""
    parts = []
    for child in tok.children:
        if child.dep_ == "appos":
            lo, hi = ctx.name_bounds(child)
            parts.append(ctx.doc[lo:hi].text)
    return " ".join(parts)


# --------------------------------------------------------------------------- cues in a sentence


def _clause_ok(ctx: _Context, tok: Token) -> bool:
    """A verb of saying that frames the sentence, not one inside a relative clause."""
    if tok.dep_ in ("ROOT", "parataxis"):
        return True
    if tok.dep_ in ("ccomp", "conj", "dep", "advcl") and (
            ctx.is_quoted(tok.head) or "\n" in ctx.text[min(tok.idx, tok.head.idx):max(tok.idx, tok.head.idx)]):
        return True  # frames a quotation, or heads its own paragraph in a sentence spaCy ran on
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        return True
    if tok.dep_ == "csubj" and tok.head.dep_ == "ROOT":
        return True
    if tok.dep_ == "ccomp" and tok.head.dep_ == "ROOT" and tok.i > tok.head.i and tok.head.pos_ != "VERB":
        return True
    return False


def _complement(ctx: _Context, tok: Token, sent: Span) -> bool:
    c = ctx.c
    for child in tok.children:
        if child.dep_ in ("ccomp", "csubj", "parataxis", "xcomp") and child.pos_ in ("VERB", "AUX"):
            return True
        if child.dep_ in ("dobj", "attr") and child.lemma_.lower() in c.speech_objects:
            return True
    if tok.dep_ == "csubj" and any(ch.dep_ == "ccomp" for ch in tok.head.children):
        return True
    if tok.dep_ == "parataxis" or (tok.dep_ == "advcl" and tok.head.dep_ == "ROOT"):
        return True
    after_verb = [t for t in sent if t.i > tok.i and not t.is_punct and not t.is_space]
    subj = _subject(tok)
    if not after_verb and subj is not None and subj.left_edge.i > sent.start:
        if ctx.doc[subj.left_edge.i - 1].text in ",–—":  # "…, the Guardian has confirmed."
            return True
    after = ctx.text[tok.idx:sent.end_char]
    return bool(re.search(r"[:,]\s*[“\"«]", after)) or bool(ctx.quoted[sent.start_char:sent.end_char].count(1))


def _subject(verb: Token) -> Token | None:
    """The verb's subject; with two (a parse error), the one nearest before the verb."""
    subjects = [ch for ch in verb.children if ch.dep_ == "nsubj"]
    before = [ch for ch in subjects if ch.i < verb.i]
    return before[-1] if before else (subjects[0] if subjects else None)


def _verb_phrase(tok: Token) -> tuple[str, int, int]:
    parts = sorted([tok] + [c for c in tok.children if c.dep_ in ("aux", "auxpass", "prt", "neg")], key=lambda t: t.i)
    parts = [p for p in parts if abs(p.i - tok.i) <= 3]
    return " ".join(p.text for p in parts).lower(), parts[0].idx, parts[-1].idx + len(parts[-1])


def _find_according(ctx: _Context, sent: Span) -> Found | None:
    toks = list(sent)
    for phrase in ctx.c.according:
        n = len(phrase)
        for i in range(len(toks) - n + 1):
            if ctx.is_quoted(toks[i]) or any(toks[i + k].lower_ != phrase[k] for k in range(n)):
                continue
            last = toks[i + n - 1]
            obj = next((ch for ch in last.children if ch.dep_ in ("pobj", "dobj")), None)
            if obj is None:
                obj = next((t for t in toks[i + n:] if t.pos_ in ("NOUN", "PROPN", "PRON")), None)
                while obj is not None and obj.dep_ in ("compound", "amod") and obj.head.i > obj.i:
                    obj = obj.head
            if obj is None:
                continue
            mention = ctx.mention(obj)
            if mention is None:
                continue
            medium = obj.lemma_.lower() if obj.lemma_.lower() in ctx.c.document_nouns else None
            lo, hi = ctx.name_bounds(obj)
            end = max(ctx.doc[hi - 1].idx + len(ctx.doc[hi - 1]), mention["end"])
            cue = " ".join(t.lower_ for t in toks[i:i + n])
            return Found("according", mention, cue, toks[i].idx, end, medium)
    return None


def _find_verb(ctx: _Context, sent: Span) -> Found | None:
    c = ctx.c
    rank = {"ROOT": 0, "parataxis": 1, "csubj": 2, "advcl": 3, "ccomp": 4}
    candidates = []
    for tok in sent:
        lemma = tok.lemma_.lower()
        as_verb = tok.pos_ == "VERB" or (tok.dep_ == "ROOT" and any(ch.dep_ == "ccomp" for ch in tok.children))
        if not as_verb or ctx.is_quoted(tok) or (lemma not in c.speech and lemma not in c.confirmation):
            continue
        if any(ch.dep_ == "neg" for ch in tok.children):
            continue  # "could not verify", "did not say"
        if not _clause_ok(ctx, tok) and not (tok.dep_ == "conj" and tok.head.dep_ == "ROOT"):
            continue
        if lemma in c.particles and not any(ch.dep_ == "prt" and ch.lower_ == c.particles[lemma] for ch in tok.children):
            continue
        subj = _subject(tok)
        if subj is None and tok.dep_ == "conj":  # "… terrorist Abdulrazzaq (Nom de guerre) says he …"
            subj = _person_just_before(ctx, tok)
        elif tok.dep_ == "conj" and not _clause_ok(ctx, tok):
            continue
        if subj is None or subj.lower_ in ("it", "there", "what", "which", "who", "that", "this", "we", "i", "you"):
            continue
        complement = _complement(ctx, tok, sent)
        if lemma in c.speech and (lemma not in c.needs_complement or complement):
            how = "speech"
        elif lemma in c.confirmation and complement:
            how = "confirm"
        else:
            continue
        candidates.append((rank.get(tok.dep_, 9), tok.i, tok, subj, how))
    for _, _, tok, subj, how in sorted(candidates, key=lambda x: (x[0], x[1])):
        mention = ctx.mention(subj)
        if mention is None:
            continue
        cue, vstart, vend = _verb_phrase(tok)
        subtree = [t for t in subj.subtree]
        start, end = min(subtree[0].idx, vstart), max(vend, subtree[-1].idx + len(subtree[-1]))
        medium = subj.lemma_.lower() if subj.lemma_.lower() in c.document_nouns else None
        for child in tok.children:  # "In a tweet dated …", "in his recent broadcast"
            if child.dep_ == "prep":
                obj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if obj is not None and obj.lemma_.lower() in c.document_nouns:
                    medium = obj.lemma_.lower()
                    if child.i < subj.i:
                        start = min(start, child.idx)
        return Found(how, mention, cue, start, end, medium)
    return None


def _person_just_before(ctx: _Context, tok: Token) -> Token | None:
    """The name of a person ending at most a parenthesis before ``tok``."""
    j = tok.i - 1
    if j >= 0 and ctx.doc[j].text == ")":
        while j > tok.sent.start and ctx.doc[j].text != "(":
            j -= 1
        j -= 1
    if j < tok.sent.start:
        return None
    prev = ctx.doc[j]
    ent = ctx.entity_at(prev.idx, prev.idx + len(prev))
    return prev if ent is not None and ent.label == "PERSON" else None


def _find_inverted(ctx: _Context, sent: Span) -> Found | None:
    text = sent.text
    for pat in ctx.c.inverted:
        m = pat.match(text)
        if not m or ctx.quoted[sent.start_char + m.start("name")]:
            continue
        start, end = sent.start_char + m.start("name"), sent.start_char + m.end("name")
        span = ctx.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        ent = ctx.entity_at(start, end)
        if ent is not None and ent.label in ("PERSON", "ORG", "GROUP"):
            mention = ctx.entity_mention(ent)
        else:
            mention = {"text": span.text, "canonical": span.text, "start": span.start_char, "end": span.end_char,
                       "label": None, "context": span.text}
        return Found("inverted", mention, m.group("cue").lower(), sent.start_char + m.start("cue"), end)
    return None


def _find_colon(ctx: _Context, sent: Span) -> Found | None:
    """"X: “…" and "He defected …: “…": the subject before the colon speaks the quotation."""
    for tok in sent:
        if tok.text != ":" or ctx.is_quoted(tok):
            continue
        after = ctx.text[tok.idx + 1:tok.idx + 4].lstrip()
        if not after or after[0] not in OPEN_QUOTES + '"':
            continue
        verb = tok.head
        while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT" and verb.head.i != verb.i:
            verb = verb.head
        subj = None
        for v in (verb, verb.head if verb.dep_ == "conj" else None):
            if v is not None and v.pos_ in ("VERB", "AUX"):
                subj = next((ch for ch in v.children if ch.dep_ == "nsubj"), None)
                if subj is not None:
                    break
        if subj is None and tok.i > sent.start:
            prev = ctx.doc[tok.i - 1]
            if prev.pos_ in ("NOUN", "PROPN"):
                subj = prev
        if subj is None:
            continue
        mention = ctx.mention(subj)
        if mention is None:
            continue
        return Found("colon", mention, ":", min(subj.idx, mention["start"]), tok.idx + 1)
    return None


def _find_in_sentence(ctx: _Context, sent: Span) -> Found | None:
    return (_find_according(ctx, sent) or _find_verb(ctx, sent) or _find_inverted(ctx, sent)
            or _find_colon(ctx, sent))


# --------------------------------------------------------------------------- the pass


def _as_speaker_and_origin(ctx: _Context, found: Found, scope: str) -> tuple[dict | None, dict | None]:
    mention = found.mention
    if mention.get("document") and ctx.last_author.get(mention["canonical"].split()[-1].lower()):
        mention = ctx.last_author[mention["canonical"].split()[-1].lower()]  # "the statement added"
    kind = ctx.kind(mention)
    if found.medium and not mention.get("document"):
        ctx.last_author[found.medium] = mention
    origin = {"name": ctx.credited_name(mention["canonical"]), "kind": kind,
              "text": ctx.text[found.start:found.end], "start": found.start, "end": found.end, "scope": scope}
    if found.medium:
        origin["medium"] = found.medium
    speaker = None
    if found.how != "confirm" and kind not in ("outlet", "agency", "document") and not mention.get("document"):
        speaker = {"text": mention["text"], "canonical": mention["canonical"], "start": mention["start"],
                   "end": mention["end"], "kind": ctx.speaker_kind(mention, kind)}
    return speaker, origin


def _carried(item: dict | None, scope: str) -> dict | None:
    if item is None:
        return None
    out = dict(item)
    if "scope" in out or "name" in out:
        out["scope"] = scope
    return out


def attribute_sentences(doc: Doc, entities, publisher: str | None, credited: list[dict] | None = None) -> list[Attribution]:
    """One Attribution per sentence of ``doc`` (see the module docstring)."""
    ctx = _Context(doc, entities, publisher, credited)
    sents = list(doc.sents)
    found = [_find_in_sentence(ctx, s) for s in sents]
    last_char = [max(s.start_char, s.end_char - 1 - (len(s.text) - len(s.text.rstrip()))) for s in sents]
    paras = [ctx.para_of(p) for p in last_char]
    quote_speaker: dict[int, tuple] = {}

    def sentence_at(pos: int) -> int:
        for i, s in enumerate(sents):
            if s.start_char <= pos < s.end_char:
                return i
        return len(sents) - 1

    results: list[Attribution] = []

    def resolve_quote(qi: int, depth: int = 0) -> tuple:
        """(speaker, origin, cue) of quotation ``qi``."""
        if qi in quote_speaker:
            return quote_speaker[qi]
        q = ctx.quotes[qi]
        out: tuple = (None, None, None)
        if q.heading and depth < 3:
            nxt = next((j for j in range(qi + 1, len(ctx.quotes)) if ctx.quotes[j].direct
                        and not ctx.quotes[j].heading and ctx.quotes[j].para <= q.para + 2), None)
            out = resolve_quote(nxt, depth + 1) if nxt is not None else out
            quote_speaker[qi] = out
            return out
        i_open, i_close = sentence_at(q.open), sentence_at(max(q.open, q.close - 1))
        for i in (i_open, i_close):  # a cue before it where it opens, or after it where it closes
            f = found[i]
            near = f is not None and (
                (i == i_open and f.end <= q.open and "\n" not in ctx.text[f.end:q.open])
                or (i == i_close and f.start >= q.close and len(ctx.text[q.close:f.start].strip(" ,;:–—-")) == 0))
            if near and f.how != "confirm" and f.mention is not None:
                sp, org = _as_speaker_and_origin(ctx, f, "quote")
                if sp is not None:
                    out = (sp, org, f.cue)
                    break
        if out[0] is None and i_close + 1 < len(sents):  # "… they are mostly foreigners.” Says X."
            nxt = sents[i_close + 1]
            f = found[i_close + 1]
            between = ctx.text[q.close:nxt.start_char].strip(" \t”\"")
            if f is not None and f.how in ("inverted", "speech") and not between.strip() and len(nxt) <= 12:
                sp, org = _as_speaker_and_origin(ctx, f, "quote")
                if sp is not None:
                    out = (sp, org, f.cue)
        if out[0] is None and ctx.text[max(ctx.paras[q.para], sents[i_open].start_char):q.open].strip() == "":
            # a quotation opening a sentence or paragraph after a sentence with a speaker
            prev = [i for i in range(min(i_open, len(results))) if not _heading_only(ctx, sents[i])]
            if prev:
                last = results[prev[-1]]
                if last.speaker is not None:
                    out = (_carried(last.speaker, "quote"), _carried(last.origin, "quote"), last.cue)
        quote_speaker[qi] = out
        return out

    carry: tuple | None = None
    for i, sent in enumerate(sents):
        first = i == 0 or paras[i] != paras[i - 1]
        if first:
            carry = None
        att = Attribution(sent.start_char, sent.end_char, publisher)
        overlapping = [(j, q) for j, q in enumerate(ctx.quotes) if q.direct and _overlap_words(
            ctx.text, max(q.open, sent.start_char), min(q.close, sent.end_char))]
        att.quote = any(not q.heading for _, q in overlapping) or (
            bool(overlapping) and all(q.heading for _, q in overlapping) and len(overlapping) == 1
            and _heading_only(ctx, sent))
        f = found[i]
        speaker = origin = cue = None
        if f is not None and f.mention is not None:
            speaker, origin = _as_speaker_and_origin(ctx, f, "sentence")
            cue = f.cue
        if speaker is None and overlapping:
            best = max(overlapping, key=lambda jq: (not jq[1].heading,
                                                    min(jq[1].close, sent.end_char) - max(jq[1].open, sent.start_char)))
            qs, qo, qc = resolve_quote(best[0])
            if qs is not None:
                speaker, cue = qs, qc
                if origin is None:
                    origin = qo
        if speaker is not None or origin is not None:
            if first or carry is not None:
                carry = (speaker, origin, cue)
        elif carry is not None:
            speaker, origin, cue = _carried(carry[0], "paragraph"), _carried(carry[1], "paragraph"), carry[2]
        att.speaker, att.origin, att.cue = speaker, origin, cue
        results.append(att)

    _modality(ctx, sents, paras, results)
    _unify_names(results)
    _document_credits(ctx, results)
    return results


def _overlap_words(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a word (not just a closing quotation mark)."""
    return start < end and bool(re.search(r"\w", text[start:end]))


def _heading_only(ctx: _Context, sent: Span) -> bool:
    """A sentence that is only a quotation without final punctuation: a pull-quote heading."""
    text = sent.text.rstrip()
    if not text or text[0] not in OPEN_QUOTES + '"':
        return False
    inner = text.rstrip("”»\"")
    return all(ctx.quoted[sent.start_char:sent.start_char + len(text)]) and inner[-1:] not in ".!?"


def _modality(ctx: _Context, sents: list[Span], paras: list[int], results: list[Attribution]) -> None:
    c = ctx.c
    opinion_para: dict[int, bool] = {}
    for i, (sent, att) in enumerate(zip(sents, results)):
        text = sent.text
        base = sent.start_char
        att.hedges = []
        for label, pat in c.hedges:
            if pat.search(text) and label not in att.hedges:
                att.hedges.append(label)
        author_voice = att.speaker is None
        opinion = False
        for label, pat, scope in c.opinions:
            for m in pat.finditer(text):
                if scope == "any" or (author_voice and not ctx.quoted[base + m.start()]):
                    opinion = True
                    break
            if opinion:
                break
        first = i == 0 or paras[i] != paras[i - 1]
        attributed = att.speaker is not None or att.origin is not None
        if c.question.search(text.rstrip()):
            att.modality = "question"
        elif opinion:
            att.modality = "opinion"
        elif att.hedges:
            att.modality = "hedged"
        elif attributed:
            att.modality = "reported"
        elif opinion_para.get(paras[i]) and author_voice:
            att.modality = "opinion"
        else:
            att.modality = "asserted"
        if first:
            opinion_para[paras[i]] = att.modality == "opinion" and author_voice and not attributed


def _name_key(name: str) -> frozenset[str]:
    words = re.findall(r"[\w’'-]+", _norm(name))
    return frozenset(w for w in words if w not in ("of", "the", "and", "s"))


def _unify_names(results: list[Attribution]) -> None:
    """One name for an origin or speaker written differently within the document."""
    names: list[str] = []
    for att in results:
        for item, key in ((att.speaker, "canonical"), (att.origin, "name")):
            if item is not None and item.get(key) not in names:
                names.append(item[key])
    best: dict[str, str] = {}
    for name in names:
        key = _name_key(name)
        rep = name
        if len(key) >= 2 or any(w[:1].isupper() for w in name.split()):
            for other in names:  # the longest name containing this one's words; the first of equals
                okey = _name_key(other)
                if key <= okey and len(okey) > len(_name_key(rep)):
                    rep = other
                elif key == okey and names.index(other) < names.index(rep):
                    rep = other
        best[name] = rep
    for att in results:
        if att.speaker is not None:
            att.speaker["canonical"] = best.get(att.speaker["canonical"], att.speaker["canonical"])
        if att.origin is not None:
            att.origin["name"] = best.get(att.origin["name"], att.origin["name"])


def _document_credits(ctx: _Context, results: list[Attribution]) -> None:
    """A credited outlet is the origin of every sentence that credits nobody else (opinion excepted)."""
    if not ctx.credited:
        return
    name = ctx.credited[0]
    kind = "agency" if ctx.c.kind_patterns["agency"] and ctx.c.kind_patterns["agency"].search(name) else "outlet"
    for att in results:
        if att.origin is None and att.modality not in ("opinion", "question"):
            att.origin = {"name": name, "kind": kind, "text": ctx.credit_evidence.get(name), "start": None,
                          "end": None, "scope": "document"}
