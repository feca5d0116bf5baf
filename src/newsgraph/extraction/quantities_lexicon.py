"""Read-only word tables for quantity extraction, loaded once from data/quantity_words.toml.

Besides the raw tables this module compiles the few regular expressions the grammar needs
(currency before/after an amount, units, modifiers, per-phrases), so the grammar modules
only combine them.
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class UnitDef:
    code: str
    name: str
    dim: str
    digits_only: bool
    lookahead: re.Pattern | None


@dataclass(frozen=True)
class Vague:
    phrase: str
    low: float | None
    best: float | None
    high: float | None
    needs_noun: bool


@dataclass(frozen=True)
class Lexicon:
    small: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    groups: dict[str, int]
    fractions: dict[str, int]
    unicode_fractions: dict[str, float]
    scale_words: dict[str, float]
    scale_glued: dict[str, float]
    scale_money_glued: dict[str, float]
    vague: dict[str, Vague]
    modifiers: dict[str, str]
    postmodifiers: dict[str, str]
    change_prefixes: tuple[str, ...]
    currency_names: dict[str, str]
    currency_prefix: dict[str, str]        # exact alias -> code
    currency_suffix_words: dict[str, str]  # lower-case alias -> code
    currency_suffix_abbr: dict[str, str]   # exact alias -> code
    currency_ambiguous: dict[str, str]     # lower-case word -> code ("pounds")
    subunits: dict[str, tuple[str, float]]
    money_cues: frozenset[str]
    per_each: dict[str, str]
    per_a_words: dict[str, str]
    per_adjectives: dict[str, str]
    units: dict[str, UnitDef]              # code -> definition
    unit_words: dict[str, str]             # lower-case alias -> code
    unit_abbr: dict[str, str]              # exact alias -> code
    unit_article_dims: frozenset[str]
    time_one_after: frozenset[str]
    lemmas: dict[str, str]
    plurals: frozenset[str]
    not_plural: frozenset[str]
    person_nouns: frozenset[str]
    np_stop: frozenset[str]
    of_determiners: frozenset[str]
    elliptic: tuple[str, ...]
    name_exceptions: frozenset[str]
    months: frozenset[str]
    year_leads: frozenset[str]
    age_after: tuple[str, ...]
    age_before: tuple[str, ...]
    # compiled patterns
    currency_prefix_re: re.Pattern
    currency_suffix_re: re.Pattern
    unit_re: re.Pattern
    scale_re: re.Pattern
    modifier_re: re.Pattern
    vague_re: re.Pattern
    postmod_re: re.Pattern
    per_re: re.Pattern
    age_after_re: re.Pattern
    age_before_re: re.Pattern
    adjective_re: re.Pattern
    elliptic_re: re.Pattern


def _alt(aliases, *, fold: bool) -> str:
    """Regex alternation, longest first; a space in an alias matches any run of spaces."""
    keys = {a.lower() if fold else a for a in aliases}
    parts = sorted(keys, key=len, reverse=True)
    return "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in parts)


def _alt_mixed(abbr, words) -> str:
    """Alternation of case-sensitive symbols and case-insensitive words, longest first, so
    'km cubed' wins over 'km' and 'min' over 'm'."""
    items = [(a, False) for a in set(abbr)] + [(w, True) for w in {w.lower() for w in words}]
    items.sort(key=lambda it: len(it[0]), reverse=True)
    out = []
    for text, fold in items:
        pat = re.escape(text).replace(r"\ ", r"\s+")
        out.append(f"(?i:{pat})" if fold else pat)
    return "|".join(out)


def _num(value) -> float | None:
    return None if value is None else float(value)


def norm(text: str) -> str:
    """Collapse whitespace; used to look matched aliases up in the tables."""
    return " ".join(text.split())


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = tomllib.loads(
        resources.files("newsgraph").joinpath("data/quantity_words.toml").read_text("utf-8"))
    nums = raw["numbers"]

    currency_names, prefix, suffix_words, suffix_abbr, ambiguous = {}, {}, {}, {}, {}
    for cur in raw["currency"]:
        code = cur["code"]
        currency_names[code] = cur["name"]
        for alias in cur.get("prefix", []):
            prefix[alias] = code
        for alias in cur.get("suffix", []):
            # aliases with a lower-case letter are words (case-insensitive); others are codes
            if any(c.islower() for c in alias):
                suffix_words[norm(alias).lower()] = code
            else:
                suffix_abbr[alias] = code
        for alias in cur.get("ambiguous", []):
            ambiguous[alias.lower()] = code
    subunits = {}
    for sub in raw["subunit"]:
        for word in sub["words"]:
            subunits[word.lower()] = (sub["code"], float(sub["factor"]))

    units, unit_words, unit_abbr = {}, {}, {}
    for u in raw["unit"]:
        look = re.compile(u["lookahead"]) if u.get("lookahead") else None
        units[u["code"]] = UnitDef(u["code"], u["name"], u["dim"], bool(u.get("digits_only")), look)
        for w in u.get("words", []):
            unit_words[norm(w).lower()] = u["code"]
        for a in u.get("abbr", []):
            unit_abbr[a] = u["code"]

    vague = {}
    for v in raw["vague"]:
        vague[norm(v["phrase"]).lower()] = Vague(
            v["phrase"], _num(v.get("low")), _num(v.get("best")), _num(v.get("high")),
            bool(v.get("needs_noun")))

    modifiers = {norm(k).lower(): v for k, v in raw["modifiers"].items()}
    postmodifiers = {norm(k).lower(): v for k, v in raw["postmodifiers"].items()}
    per = raw["per"]
    scales = raw["scales"]

    # Currency written before the amount. "$" may come escaped ("\$") from pasted text.
    prefix_parts = []
    for alias in sorted(prefix, key=len, reverse=True):
        pat = re.escape(alias).replace(r"\ ", r"\s?")
        if alias.endswith("$"):
            pat = pat[: -len(r"\$")] + r"\\?\$"
        prefix_parts.append(pat)
    currency_prefix_re = re.compile(r"(?<![\w])(?P<cur>" + "|".join(prefix_parts) + r")\s?$")

    money_words = list(suffix_words) + list(ambiguous) + list(subunits)
    currency_suffix_re = re.compile(
        r"(?P<sep>\s?|-)(?P<cur>" + _alt_mixed(suffix_abbr, money_words) + r")(?![\w])")

    unit_re = re.compile(
        r"(?P<sep>\s?-\s?|\s?)(?P<unit>" + _alt_mixed(unit_abbr, unit_words) + r")(?![\w-])")

    scale_re = re.compile(
        r"(?:(?P<glued>" + _alt(list(scales["glued"]) + list(scales["money_glued"]), fold=False)
        + r")|\s?(?i:(?P<word>" + _alt(list(scales["words"]) + ["dozen"], fold=True) + r")))(?![\w])")

    modifier_re = re.compile(
        r"(?<![\w.])(?i:(?P<mod>" + _alt(modifiers, fold=True) + r"))\s*$")
    vague_re = re.compile(r"(?i:(?P<v>" + _alt(vague, fold=True) + r"))(?![\w])")
    postmod_re = re.compile(r"(?:\s*|-)(?i:(?P<pm>" + _alt(postmodifiers, fold=True) + r"))(?![\w])")
    per_each = {norm(k).lower(): v for k, v in per["each"].items()}
    per_re = re.compile(
        r"\s*(?:(?i:(?P<each>" + _alt(per_each, fold=True) + r"))"
        r"|(?i:per|every)\s+(?P<per>[^\W\d_]+)|/\s?(?P<slash>[^\W\d_]+)"
        r"|(?i:a|an)\s+(?i:(?P<a>" + _alt(per["a_words"], fold=True) + r")))(?![\w])")
    age = raw["age"]
    age_after_re = re.compile(r"(?i:" + _alt(age["after"], fold=True) + r")(?![\w])")
    age_before_re = re.compile(r"(?<![\w])(?i:" + _alt(age["before"], fold=True) + r")\s+$")
    adjective_re = re.compile(
        r"(?<![\w])(?i:(?P<adj>" + _alt(per["adjectives"], fold=True) + r"))(?![\w])")
    elliptic_re = re.compile(r"\s*(?i:" + _alt(raw["elliptic"]["followers"], fold=True) + r")(?![\w])")

    return Lexicon(
        small=nums["small"], tens=nums["tens"], scales=nums["scales"], groups=nums["groups"],
        fractions=nums["fractions"], unicode_fractions=nums["unicode_fractions"],
        scale_words={k.lower(): float(v) for k, v in scales["words"].items()} | {"dozen": 12.0},
        scale_glued={k: float(v) for k, v in scales["glued"].items()},
        scale_money_glued={k: float(v) for k, v in scales["money_glued"].items()},
        vague=vague, modifiers=modifiers, postmodifiers=postmodifiers,
        change_prefixes=tuple(raw["change"]["verb_prefixes"]),
        currency_names=currency_names, currency_prefix=prefix,
        currency_suffix_words=suffix_words, currency_suffix_abbr=suffix_abbr,
        currency_ambiguous=ambiguous, subunits=subunits,
        money_cues=frozenset(raw["money_cues"]["words"]),
        per_each=per_each, per_a_words={k.lower(): v for k, v in per["a_words"].items()},
        per_adjectives={k.lower(): v for k, v in per["adjectives"].items()},
        units=units, unit_words=unit_words, unit_abbr=unit_abbr,
        unit_article_dims=frozenset(raw["unit_article"]["dims"]),
        time_one_after=frozenset(raw["time_one"]["after"]),
        lemmas=raw["lemmas"], plurals=frozenset(raw["plurals"]["words"]),
        not_plural=frozenset(raw["not_plural"]["words"]),
        person_nouns=frozenset(raw["person_nouns"]["words"]),
        np_stop=frozenset(raw["np_stop"]["words"]),
        of_determiners=frozenset(raw["of_determiners"]["words"]),
        elliptic=tuple(raw["elliptic"]["followers"]),
        name_exceptions=frozenset(raw["name_exceptions"]["words"]),
        months=frozenset(raw["months"]["words"]),
        year_leads=frozenset(raw["year_leads"]["words"]),
        age_after=tuple(age["after"]), age_before=tuple(age["before"]),
        currency_prefix_re=currency_prefix_re, currency_suffix_re=currency_suffix_re,
        unit_re=unit_re, scale_re=scale_re, modifier_re=modifier_re, vague_re=vague_re,
        postmod_re=postmod_re, per_re=per_re, age_after_re=age_after_re,
        age_before_re=age_before_re, adjective_re=adjective_re, elliptic_re=elliptic_re,
    )
