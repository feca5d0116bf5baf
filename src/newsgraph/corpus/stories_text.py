"""Content words of a text, for story similarity and for comparing evidence sentences."""
from __future__ import annotations

import re
from collections import Counter

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsgraph.geo.normalize import fold

_WORD = re.compile(r"[^\W\d_]{3,}")
# Words of every news article that say nothing about what happened.
_NEWS_WORDS = frozenset("""said says told according reported report reports reporting news article
statement added also would could year years week weeks month months day days monday tuesday wednesday
thursday friday saturday sunday today yesterday time people""".split())
STOP = frozenset(ENGLISH_STOP_WORDS) | _NEWS_WORDS


def stem(word: str) -> str:
    """A light plural/verb-ending stripper: "raids" -> "raid", "detained" -> "detain"."""
    for suffix, keep in (("ies", "y"), ("ed", ""), ("es", ""), ("s", "")):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def content_words(text: str) -> list[str]:
    """Folded, stemmed words of three letters or more, without stop words or numbers."""
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in STOP]


def term_counts(text: str) -> Counter:
    return Counter(content_words(text))


def jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the content-word sets of two texts (0 when either has none)."""
    wa, wb = set(content_words(a)), set(content_words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)
