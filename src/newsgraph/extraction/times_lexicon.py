"""Read-only word tables for time expressions, loaded once from data/time_words.toml."""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    month_homographs: frozenset[str]
    weekdays: dict[str, int]
    day_parts: dict[str, str]
    seasons: dict[str, str]
    season_months: dict[str, tuple[int, int]]
    numbers: dict[str, int]
    vague_numbers: tuple[str, ...]
    ordinals: dict[str, int]
    units: dict[str, str]
    unit_codes: dict[str, str]
    modifiers: dict[str, str]
    modifier_phrases: tuple[str, ...]
    approx: tuple[str, ...]
    vague_detect: dict[str, str]
    vague_normalize: dict[str, str]
    recent_span: dict[str, int]
    vague_future: tuple[str, ...]
    vague_past: tuple[str, ...]
    year_leads: frozenset[str]
    month_leads: frozenset[str]
    not_year_followers: frozenset[str]
    not_year_leads: frozenset[str]
    future_cues: tuple[str, ...]
    past_cues: tuple[str, ...]
    holidays_fixed: dict[str, tuple[int, int]]
    holidays_movable: dict[str, str]
    thirds: dict[str, list[list[int]]]
    decade_words: dict[str, int]
    function_words: frozenset[str]
    duration_verbs: frozenset[str]


def alt(words) -> str:
    """Regex alternation of words/phrases, longest first; spaces match any whitespace."""
    parts = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts)


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = tomllib.loads(resources.files("newsgraph").joinpath("data/time_words.toml").read_text("utf-8"))
    return Lexicon(
        months=raw["months"],
        month_homographs=frozenset(raw["month_homographs"]["words"]),
        weekdays=raw["weekdays"],
        day_parts=raw["day_parts"],
        seasons=raw["seasons"],
        season_months={k: tuple(v) for k, v in raw["season_months"].items()},
        numbers=raw["numbers"],
        vague_numbers=tuple(raw["vague_numbers"]["words"]),
        ordinals=raw["ordinals"],
        units=raw["units"],
        unit_codes=raw["unit_codes"],
        modifiers=raw["modifiers"],
        modifier_phrases=tuple(raw["modifier_phrases"]["words"]),
        approx=tuple(raw["approx"]["words"]),
        vague_detect=raw["vague"]["detect"],
        vague_normalize={**raw["vague"]["detect"], **raw["vague"]["normalize_only"]},
        recent_span=raw["recent_span"],
        vague_future=tuple(raw["vague_period_words"]["future"]),
        vague_past=tuple(raw["vague_period_words"]["past"]),
        year_leads=frozenset(raw["leads"]["year"]),
        month_leads=frozenset(raw["leads"]["month"]),
        not_year_followers=frozenset(raw["not_year_followers"]["words"]),
        not_year_leads=frozenset(raw["not_year_leads"]["words"]),
        future_cues=tuple(raw["future_cues"]["words"]),
        past_cues=tuple(raw["past_cues"]["words"]),
        holidays_fixed={k: tuple(v) for k, v in raw["holidays"]["fixed"].items()},
        holidays_movable=raw["holidays"]["movable"],
        thirds=raw["thirds"],
        decade_words=raw["decade_words"],
        function_words=frozenset(raw["function_words"]["words"]),
        duration_verbs=frozenset(raw["duration_verbs"]["words"]),
    )
