"""Where an event happened, and the legs of a movement, from resolved place mentions.

Event place: the place governed by in/at/near/from/to/into in the event's sentence, else the
nearest resolved place in the text, else the dateline, else the article's main place, with the
precision lowered for each step away from the sentence. Demonyms ("Turkish") and metonymic
places ("Turkey refused ...") are actors, never event places.
"""
from __future__ import annotations

import collections
import re
from dataclasses import replace

from .model import Resolution, coarser
from .resources import cues


def _governing_pattern(words: list[str]) -> re.Pattern:
    cfg = cues()["event"]
    filler = "|".join(re.escape(f) for f in cfg["filler"])
    preps = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))
    # the preposition, then up to four filler words (or capitalised words: "the Syrian town of"),
    # right before the place
    return re.compile(rf"\b(?i:{preps})\s+(?:(?:(?i:{filler})|[A-Z][\w'-]+)\s+){{0,4}}$")


_PATTERNS: dict[str, re.Pattern] = {}


def _pattern(name: str) -> re.Pattern:
    if name not in _PATTERNS:
        if name == "governing":
            words = cues()["event"]["governing"]
        else:
            words = cues()["movement"][name]
        _PATTERNS[name] = _governing_pattern(words)
    return _PATTERNS[name]


def _literal(resolutions: list[Resolution]) -> list[Resolution]:
    return [r for r in resolutions if r.place is not None and r.role == "literal"]


def _cue_start(r: Resolution, text: str, pattern: re.Pattern, sentence_start: int) -> int | None:
    """Where the governing cue before the mention starts (None when there is none)."""
    before = text[max(sentence_start, r.mention.start - 60): r.mention.start]
    m = pattern.search(before)
    return None if m is None else m.start()


def _governed(r: Resolution, text: str, pattern: re.Pattern, sentence_start: int) -> bool:
    return _cue_start(r, text, pattern, sentence_start) is not None


def _lowered(r: Resolution, steps: int, how: str) -> Resolution:
    place = r.place
    floor = coarser(place.precision, steps)
    return replace(r, place=replace(place, precision=floor), reason=f"{r.reason}; event place by {how}")


def main_place(resolutions: list[Resolution]) -> Resolution | None:
    """The article's main place: the most often mentioned literal place (first mention on ties)."""
    lit = _literal(resolutions)
    if not lit:
        return None
    counts = collections.Counter(r.place.geonames_id for r in lit)
    top = max(counts.values())
    return next(r for r in lit if counts[r.place.geonames_id] == top)


def event_place(sentence_span: tuple[int, int], resolutions: list[Resolution], text: str,
                dateline_place: Resolution | None = None) -> tuple[Resolution | None, str]:
    """The event's place and how it was found: "governed", "sentence", "nearest" (the closest
    place told before the sentence, else after it), "dateline", "article" or "none". Beyond the
    sentence the returned place's precision is lowered."""
    s0, s1 = sentence_span
    lit = _literal(resolutions)
    inside = [r for r in lit if s0 <= r.mention.start and r.mention.end <= s1]
    governed = [r for r in inside if _governed(r, text, _pattern("governing"), s0)]
    if governed:
        return governed[0], "governed"
    if inside:
        return inside[0], "sentence"
    if lit:
        # the story so far sets the scene: a place told before the sentence wins over one told
        # after it ("… shot dead dozens. … the US-led coalition" is not a shooting in the US)
        before = [r for r in lit if r.mention.end <= s0]
        nearest = min(before or lit, key=lambda r: min(abs(r.mention.start - s0), abs(r.mention.end - s1)))
        return _lowered(nearest, 1, "nearest"), "nearest"
    if dateline_place is not None and dateline_place.place is not None:
        return _lowered(dateline_place, 1, "dateline"), "dateline"
    main = main_place(resolutions)
    if main is not None:
        return _lowered(main, 2, "article"), "article"
    return None, "none"


def movement_places(sentence_span: tuple[int, int], resolutions: list[Resolution],
                    text: str) -> dict[str, list[Resolution]]:
    """Origin, via and destination places of a movement sentence ("fled from Raqqa via Tal Abyad
    to Sanliurfa"), each list in text order."""
    s0, s1 = sentence_span
    out: dict[str, list[Resolution]] = {"origin": [], "via": [], "destination": []}
    for r in _literal(resolutions):
        if not (s0 <= r.mention.start and r.mention.end <= s1):
            continue
        starts = {leg: _cue_start(r, text, _pattern(leg), s0) for leg in ("via", "origin", "destination")}
        found = {leg: at for leg, at in starts.items() if at is not None}
        if found:  # the closest cue governs ("via Tal Abyad to Sanliurfa": Sanliurfa is the destination)
            out[max(found, key=found.get)].append(r)
    return out
