"""Token-level helpers of the entity layer: segments, casing, cue words."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from newsgraph.extraction.entities_resources import aliases, first_names, gazetteer, rules, word_set

POSSESSIVE = {"'s", "’s", "'", "’"}
_INITIAL = re.compile(r"^[A-Z]\.$")
_INITIALS_NAME = re.compile(r"^(?:[A-Z]\.)+[A-Z][a-z]*['’]?[A-Z]?[a-z]+$")     # "T.O'Gorman", "J.Smith"
_NUMERIC = re.compile(r"^[\d.,:/-]+$")


def segments(doc: Doc) -> list[tuple[int, int]]:
    """Sentences cut further at line breaks: the unit for context rules (headlines, tables)."""
    out = []
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if tok.is_space or "\n" in tok.whitespace_:
                end = tok.i if tok.is_space else tok.i + 1
                if end > start:
                    out.append((start, end))
                start = tok.i + 1
        if sent.end > start:
            out.append((start, sent.end))
    return out


def segment_index(doc: Doc, segs: list[tuple[int, int]]) -> list[int]:
    """For every token, the index of its segment in ``segs`` (-1 for line-break tokens)."""
    index = [-1] * len(doc)
    for n, (start, end) in enumerate(segs):
        for i in range(start, end):
            index[i] = n
    return index


def is_allcaps(tokens) -> bool:
    """A headline or dateline in capitals: most letters-only words are upper case."""
    alpha = [t for t in tokens if t.is_alpha]
    if not alpha or not any(len(t) > 1 and t.is_upper for t in alpha):
        return False
    return sum(t.is_upper for t in alpha) >= 0.8 * len(alpha) and len(alpha) >= 1


def is_namelike(tok: Token) -> bool:
    """Title-case word ("Bozkurt", "McGurk", "O'Brien") or an initial ("J.")."""
    text = tok.text
    if _INITIAL.match(text) or _INITIALS_NAME.match(text):
        return True
    return tok.is_alpha and text[0].isupper() and not text.isupper() or (
        "-" in text and text[0].isupper() and text.replace("-", "").isalpha() and not text.isupper())


def is_first_name(text: str) -> bool:
    return text in first_names() or (text.isupper() and text.title() in first_names())


def is_particle(tok: Token) -> bool:
    return tok.lower_ in word_set("person", "particles")


def is_number(tok: Token) -> bool:
    """Digits ("4", "429-7", ".533", "1/2", "1:33.5"), not number words."""
    return bool(_NUMERIC.match(tok.text)) and any(c.isdigit() for c in tok.text)


@cache
def acronym_forms() -> frozenset[str]:
    """Upper-case alias forms that must keep their case when a headline is re-cased."""
    out = set()
    for entry in aliases():
        for name in list(entry["names"]) + list(entry.get("case_sensitive", [])) + list(entry.get("contextual", [])):
            if name.isupper():
                out.add(name)
    return frozenset(out)


def case_map(doc: Doc, skip: set[int]) -> dict[str, str]:
    """Most frequent casing of each word in the document's mixed-case sentences
    (sentence-initial words excluded): used to re-case headlines."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for sent_start, sent_end in segments(doc):
        if sent_start in skip:
            continue
        for tok in doc[sent_start + 1:sent_end]:
            if tok.is_alpha and not tok.is_upper:
                counts[tok.lower_][tok.text] += 1
    return {low: c.most_common(1)[0][0] for low, c in counts.items()}


def truecase(tok: Token, known: dict[str, str]) -> str:
    text = tok.text
    if not any(c.isalpha() for c in text) or not text.isupper():
        return text
    if text in acronym_forms():
        return text
    low = text.lower()
    if low in known:
        return known[low]
    if low in STOP_WORDS:
        return low
    if "." in text:
        return text
    titled = "-".join(part.capitalize() for part in text.split("-"))
    if is_first_name(titled) or gazetteer().lookup(low) is not None:
        return titled
    if common_word(low):
        return low
    return titled


_LEXICON: frozenset[str] | None = None


def set_lexicon(nlp) -> None:
    """Dictionary words (the WordNet lemma lists of the pipeline's lemmatizer tables), once."""
    global _LEXICON
    if _LEXICON is not None:
        return
    words: frozenset[str] = frozenset()
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
        if lookups.has_table("lemma_index"):
            index = lookups.get_table("lemma_index")
            words = frozenset(w for group in index.values() for w in group if w.isalpha())
    _LEXICON = words


def _english_words() -> frozenset[str]:
    if _LEXICON is None:
        from newsgraph.extraction.nlp import load_nlp

        set_lexicon(load_nlp())
    return _LEXICON or frozenset()


def common_word(text: str) -> bool:
    """A dictionary word ("attendance", "seized", "rebels")."""
    low = text.lower()
    words = _english_words()
    if low in words:
        return True
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                         ("ing", "e"), ("er", ""), ("ers", "")):
        if low.endswith(suffix) and low[: -len(suffix)] + repl in words:
            return True
    return False


def person_cue_before(doc: Doc, start: int) -> bool:
    if start == 0:
        return False
    prev = doc[start - 1]
    titles = word_set("person", "titles")
    return prev.lower_ in titles or (start >= 2 and f"{doc[start - 2].lower_} {prev.lower_}" in titles)


def person_cue_after(doc: Doc, end: int) -> bool:
    """"X said", "X, who", "X, a Belgian national", "X, the White House coordinator"."""
    if end >= len(doc):
        return False
    nxt = doc[end]
    if nxt.text in {",", "("} and end + 1 < len(doc):
        nxt = doc[end + 1]
        if nxt.lower_ == "who":
            return True
        if nxt.lower_ in {"a", "an", "the"}:
            nouns = word_set("attributes", "nationality_nouns") | word_set("attributes", "role_nouns")
            for tok in doc[nxt.i + 1:min(len(doc), nxt.i + 6)]:
                if tok.is_punct:
                    break
                if tok.lower_ in nouns:
                    return True
    return nxt.lower_ in word_set("person", "speech_verbs")


def has_org_word(span: Span) -> bool:
    orgs = word_set("person", "org_words")
    return any(t.lower_ in orgs for t in span)




_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
               "outskirts", "centre", "center"}


def locative_before(doc: Doc, start: int) -> bool:
    """"east of Tavildara", "the town of Tavildara", "the village of Layron"."""
    if start < 2 or doc[start - 1].lower_ != "of":
        return False
    noun = doc[start - 2].lower_
    return noun in _DIRECTIONS or noun in word_set("places", "kind_nouns")
