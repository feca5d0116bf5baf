"""Name folding and blocking keys for entity resolution (tables in data/entity_resolution.toml).

``name_form(type, text)`` folds a name once: case, accents, hyphens and dots
(``norm_key``), honorifics dropped (people), particles unified (el-/al-/ad-), transliterated
given names (Mohammed/Muhammad), organisation suffixes dropped (Inc., LLC). The resulting
:class:`NameForm` carries everything the resolver compares: the folded full name, its core
tokens (without particles), first and last core token, and an acronym for organisations.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from newsgraph.extraction.entities_resources import norm_key

DATA = Path(__file__).resolve().parents[1] / "data" / "entity_resolution.toml"


@cache
def config() -> dict:
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


@cache
def _tables() -> tuple:
    cfg = config()
    names = cfg["names"]
    honorifics = tuple(sorted((tuple(h.split()) for h in names["honorifics"]), key=len, reverse=True))
    suffixes = tuple(sorted((tuple(s.split()) for s in names["org_suffixes"]), key=len, reverse=True))
    return (honorifics, suffixes, dict(cfg["particles"]), dict(cfg["transliteration"]),
            frozenset(names["acronym_skip"]))


@cache
def alias_family(label: str) -> str:
    for family in config()["types"]["alias_families"]:
        if label in family:
            return "+".join(family)
    return label


@dataclass(frozen=True)
class NameForm:
    full: str                 # folded full name ("recep tayyip erdogan")
    core: tuple[str, ...]     # folded tokens without particles
    acronym: str | None       # initials of a multi-token organisation name ("gm")
    upper: bool               # written as a single all-capital token ("GM", "YPG")

    @property
    def single(self) -> bool:
        return len(self.core) == 1

    @property
    def first(self) -> str:
        return self.core[0] if self.core else ""

    @property
    def last(self) -> str:
        return self.core[-1] if self.core else ""


def _strip_prefix(tokens: list[str], options: tuple) -> list[str]:
    changed = True
    while changed and tokens:
        changed = False
        for option in options:
            if len(tokens) > len(option) and tuple(tokens[:len(option)]) == option:
                tokens, changed = tokens[len(option):], True
                break
    return tokens


def _strip_suffix(tokens: list[str], options: tuple) -> list[str]:
    changed = True
    while changed and tokens:
        changed = False
        for option in options:
            if len(tokens) > len(option) and tuple(tokens[-len(option):]) == option:
                tokens, changed = tokens[:-len(option)], True
                break
    return tokens


_INITIALS = re.compile(r"\b(?:[a-z] ){1,4}[a-z]\b")


def _join_initials(key: str) -> str:
    """"u s" (from "U.S.") -> "us", so that U.S. and US meet."""
    return _INITIALS.sub(lambda m: m.group(0).replace(" ", ""), key)


@lru_cache(maxsize=200_000)
def head_text(text: str) -> str | None:
    """The trailing proper name after a lower-case descriptor: "U.S. automaker Chrysler" -> "Chrysler"."""
    words = _clean_text(text).split()
    articles = set(config()["names"]["articles"])
    last_lower = max((i for i, w in enumerate(words) if w[:1].islower() and w.lower() not in articles
                      and w.lower() not in _tables()[2]), default=-1)
    if last_lower < 0 or last_lower == len(words) - 1:
        return None
    head = words[last_lower + 1:]
    return " ".join(head) if head and head[0][:1].isupper() else None


def _clean_text(text: str) -> str:
    text = text.split("(")[0] if not text.lstrip().startswith("(") else text
    return re.sub(r"[\[\],;:!?\"/`]", " ", text).strip()


@lru_cache(maxsize=200_000)
def name_form(label: str, text: str) -> NameForm:
    honorifics, suffixes, particles, translit, acronym_skip = _tables()
    tokens = _join_initials(norm_key(_clean_text(text))).split()
    tokens = _strip_prefix(tokens, tuple((a,) for a in config()["names"]["articles"]))
    if label == "PERSON":
        tokens = _strip_prefix(tokens, honorifics)
        tokens = [translit.get(t, t) for t in tokens]
    if label in ("ORG", "GROUP"):
        tokens = _strip_prefix(_strip_suffix(tokens, suffixes), (("the",),))
    tokens = [particles.get(t, t) for t in tokens]
    core = tuple(t for t in tokens if t not in particles.values()) or tuple(tokens)
    acronym = None
    words = [t for t in tokens if t not in acronym_skip and t not in particles.values()]
    if label in config()["types"]["acronym_types"] and len(words) > 1:
        acronym = "".join(w[0] for w in words)
    stripped = text.strip().replace(".", "")
    upper = " " not in stripped and len(stripped) > 1 and stripped.isupper()
    return NameForm(" ".join(tokens), core, acronym, upper)


def is_given_name(token: str) -> bool:
    """A folded token that is a known given name (entity_names.toml, folded and transliterated)."""
    return token in _given_names()


@cache
def _given_names() -> frozenset[str]:
    from newsgraph.extraction.entities_resources import first_names

    translit = _tables()[3]
    out = set()
    for name in first_names():
        key = norm_key(name)
        out.add(translit.get(key, key))
    return frozenset(out)


def nationalities(attributes: dict) -> frozenset[str]:
    value = attributes.get("nationality")
    if not value:
        return frozenset()
    values = value if isinstance(value, list) else re.split(r",|\band\b|/", str(value))
    return frozenset(norm_key(v) for v in values if v.strip())


_STOP = frozenset("a an the of for to in on at and or with by former current ex from".split())


def role_words(attributes: dict) -> frozenset[str]:
    value = attributes.get("role")
    if not value:
        return frozenset()
    values = value if isinstance(value, list) else [value]
    return frozenset(w for v in values for w in norm_key(str(v)).split() if w not in _STOP and len(w) > 2)
