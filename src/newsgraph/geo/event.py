"""Where an event happened, and the legs of a movement, from resolved place mentions.

Event place (``event_place``), first that applies; each step says how and why:

  1. "argument": the place the event's own phrase names (the trigger's or an argument's
     "in/near/at X", "X's", "the town of X"), as the event extraction found it;
  2. "governed": a place a preposition of location governs in the event's sentence (the one
     nearest the trigger), else "sentence": the place the sentence names nearest the trigger;
  3. a country or wide region chosen so far yields to a place inside it that the sentence names
     ("in northern Syria's Aleppo province"), else to the article's main incident place when that
     lies inside it ("story", reason says so);
  4. "story": the article's main incident place (see :func:`story_place`), one precision step
     coarser, when the sentence names no place;
  5. "nearest": the closest country-level place told before the sentence (else after), coarser.

Never an event place: demonyms and metonymic places (actors), and the places
:func:`newsgraph.geo.event_filters.not_event_place` rules out (datelines, agencies, an
organisation's base, a place inside an actor's name, a deal's parties, a border named as a
direction). "the X countryside", "rural X", "X suburbs" name the governorate around X (with a
gazetteer): the event is placed at the governorate, at province precision.
"""
from __future__ import annotations

import collections
import re
from dataclasses import replace

from .event_filters import not_event_place
from .model import Place, Resolution, coarser
from .normalize import name_key
from .resolve import WITHIN
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


def _with(r: Resolution, reason: str, place: Place | None = None) -> Resolution:
    return replace(r, place=place or r.place, reason=reason)


def _eligible(resolutions: list[Resolution], text: str) -> list[Resolution]:
    return [r for r in _literal(resolutions) if not_event_place(r, text) is None]


def main_place(resolutions: list[Resolution]) -> Resolution | None:
    """The article's most often mentioned literal place (first mention on ties)."""
    lit = _literal(resolutions)
    if not lit:
        return None
    counts = collections.Counter(r.place.geonames_id for r in lit)
    top = max(counts.values())
    return next(r for r in lit if counts[r.place.geonames_id] == top)


_LOCAL = ("facility", "town", "district", "province")


def story_country(resolutions: list[Resolution], text: str) -> str | None:
    """The country the article's story happens in: the one its literal places (not ruled out) name
    most, a country's own name counting half a town's, the first sentence naming a place twice
    (first on ties). Nationality words are left out: they name the actors ("Turkish artillery"),
    not where things happen."""
    named = [r for r in _eligible(resolutions, text) if r.place.country_code]
    if not named:
        return None
    lede = named[0].mention.sentence_start
    votes: dict[str, float] = collections.defaultdict(float)
    order: dict[str, int] = {}
    for i, r in enumerate(named):
        weight = 1.0 if r.place.feature in _LOCAL else 0.5   # a town says more than a country's name
        votes[r.place.country_code] += weight * (2.0 if r.mention.sentence_start == lede else 1.0)
        order.setdefault(r.place.country_code, i)
    return max(votes, key=lambda k: (votes[k], -order[k]))


def _lede_end(text: str) -> int:
    """Where the lede ends: after the text's second sentence (a headline without a full stop
    runs into the first)."""
    ends = 0
    for m in re.finditer(r"[.!?][\"”’]?\s+(?=[\"“A-Z0-9])", text):
        ends += 1
        if ends == 2:
            return m.end()
    return len(text)


def story_place(resolutions: list[Resolution], text: str) -> Resolution | None:
    """The place of the article's main incident, among the literal places finer than a country
    that are not ruled out (datelines, bases, actors' names ...) and lie in the story's country
    (:func:`story_country`): the lede's place (the first place a preposition of location governs
    in the first two sentences, else the first named there); when the lede names none, the same
    in the first sentence that names one (news tells the incident before its background)."""
    ok = _eligible(resolutions, text)
    country = story_country(resolutions, text)
    local = [r for r in ok if r.place.feature in _LOCAL and not r.place.geonames_id.startswith(WITHIN)]
    local = [r for r in local if r.place.country_code == country] or local
    if not local:
        return None
    lede_end = _lede_end(text)
    # news tells the incident first: the lede's places, else those of the first sentence naming one
    lede = [r for r in local if r.mention.end <= lede_end] or \
        [r for r in local if r.mention.sentence_start == local[0].mention.sentence_start]
    pattern = _location_pattern()
    return next((r for r in lede if _governed(r, text, pattern, r.mention.sentence_start)), lede[0])


def _within(outer: Place, inner: Place) -> bool:
    """Whether ``inner`` lies in the country, region or province ``outer`` (by its codes)."""
    if outer.geonames_id == inner.geonames_id:
        return False
    if outer.feature in ("country", "region"):
        return bool(outer.country_code) and inner.country_code == outer.country_code \
            and inner.feature in _LOCAL
    if outer.feature == "province":
        return bool(outer.admin1) and inner.admin1 == outer.admin1 and inner.feature != "province"
    return False


def _distance(r: Resolution, trigger: tuple[int, int] | None) -> int:
    if trigger is None:
        return r.mention.start
    return min(abs(r.mention.start - trigger[1]), abs(trigger[0] - r.mention.end))


def _location_pattern() -> re.Pattern:
    if "location" not in _PATTERNS:
        cfg = cues()["event_place"]
        filler = "|".join(sorted((re.escape(f) for f in cfg["location_filler"]), key=len, reverse=True))
        preps = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in cfg["location"]), key=len,
                                reverse=True))
        _PATTERNS["location"] = re.compile(
            rf"\b(?i:{preps})\s+(?:(?:(?i:{filler})|[A-Z][\w'’-]+)\s+){{0,5}}$")
    return _PATTERNS["location"]


_CONTAINER = re.compile(r"^\s*(?:,\s*)?(?:in|of|near|outside|on the outskirts of)\s+(?:the\s+)?"
                        r"(?:(?:[a-z]+ern|central|rural|countryside|suburbs|outskirts|capital|city|province|"
                        r"governorate|region|district|town|village|of|parts?|areas?|edge|[A-Z][\w'’-]*)\s+){0,4}$")


def _container(argument: tuple[int, int], inside: list[Resolution], text: str) -> Resolution | None:
    """The resolved place right after an unresolved place phrase that it holds: "the area of
    Burj X in the Syrian capital Damascus", "two villages in central Hama province"."""
    after = [r for r in inside if r.mention.start >= argument[1] and not r.place.geonames_id.startswith(WITHIN)]
    for r in sorted(after, key=lambda r: r.mention.start)[:1]:
        if _CONTAINER.match(text[argument[1]:r.mention.start]) and r.place.feature != "country":
            return r
    return None


def _countryside(r: Resolution, text: str, gazetteer) -> Resolution:
    """"the Hama countryside", "rural Idlib", "Damascus suburbs": the governorate around the town."""
    p = r.place
    if gazetteer is None or p.feature not in ("town", "facility") or not p.admin1:
        return r
    cfg = cues()["event_place"]
    after = text[r.mention.end: r.mention.end + 25]
    before = text[max(r.mention.sentence_start, r.mention.start - 40): r.mention.start]
    word = next((w for w in sorted(cfg["after_countryside"], key=len, reverse=True)
                 if re.match(rf"^\s*{re.escape(w)}\b", after, re.IGNORECASE)), None)
    if word is None and not re.search(rf"\b(?:{'|'.join(map(re.escape, cfg['before_countryside']))})\s+(?:the\s+)?$",
                                      before, re.IGNORECASE):
        return r
    name = r.mention.text[:-2] if r.mention.text.endswith(("'s", "’s")) else r.mention.text
    base = (word or "countryside").replace("'s", "").replace("’s", "").strip()
    named = [c for c in gazetteer.lookup(name_key(f"{name} {base}"))   # "Damascus countryside": Rif Dimashq
             if c.kind == "alias" and c.place.feature == "province"]
    province = named[0].place if named else gazetteer.admin1(p.admin1)
    if province is None:
        return r
    return _with(r, f"{r.reason}; '{name} countryside' names the governorate around {p.name}", province)


def event_place(sentence_span: tuple[int, int], resolutions: list[Resolution], text: str,
                trigger: tuple[int, int] | None = None, argument: tuple[int, int] | None = None,
                gazetteer=None, relation: str | None = None) -> tuple[Resolution | None, str]:
    """The event's place and how it was found ("argument", "governed", "sentence", "story",
    "nearest" or "none"; see the module docstring). ``trigger``: the trigger's span;
    ``argument``: the span of the place the event's phrase names, if any, and ``relation`` its
    preposition ("in", "to"): a destination or origin country ("travelled to Turkey") is the
    event's place as said, never narrowed to a town of the story. The returned
    resolution's ``reason`` says why; beyond the sentence its precision is lowered."""
    s0, s1 = sentence_span
    ok = _eligible(resolutions, text)
    inside = [r for r in ok if s0 <= r.mention.start and r.mention.end <= s1]
    story = story_place(resolutions, text)
    chosen, how = None, "none"
    if argument is not None:
        chosen = next((r for r in inside if argument[0] <= r.mention.start and r.mention.end <= argument[1]), None)
        how = "argument" if chosen else how
        placeholder = chosen is not None and chosen.place.geonames_id.startswith(WITHIN)
        if (chosen is None or placeholder) and (outer := _container(argument, inside, text)) is not None:
            # "the village of X in Hama province", X unknown to the gazetteer: the place that holds it
            chosen = _with(outer, f"{outer.reason}; the event's phrase names {text[argument[0]:argument[1]]!r}, "
                                  f"which the gazetteer lacks, in {outer.mention.text}")
            how = "argument"
    if chosen is None:
        pattern = _location_pattern()
        governed = [r for r in inside if _governed(r, text, pattern, s0)]
        if governed:
            chosen, how = min(governed, key=lambda r: _distance(r, trigger)), "governed"
        elif named := [r for r in inside if not r.place.geonames_id.startswith(WITHIN)]:
            # a name the gazetteer lacks, only placed at the article's main town, is no evidence
            chosen, how = min(named, key=lambda r: _distance(r, trigger)), "sentence"
    if chosen is not None:
        said = {"argument": "the event's phrase names it", "governed": "a preposition of place governs it in "
                "the event's sentence", "sentence": "the event's sentence names it"}[how]
        chosen = _with(chosen, f"{chosen.reason}; event place: {said}")
        located = how != "argument" or relation is None or relation.lower() in cues()["event_place"]["location"]
        if located and chosen.place.feature in ("country", "region", "province"):
            finer = [r for r in inside if _within(chosen.place, r.place)]
            if finer:
                best = min(finer, key=lambda r: _distance(r, trigger))
                chosen = _with(best, f"{best.reason}; event place: inside {chosen.place.name}, which the event's "
                                     "sentence names")
            elif chosen.place.feature != "province" and story is not None and _within(chosen.place, story.place):
                chosen = _lowered(_with(story, f"{story.reason}; the sentence says {chosen.mention.text}: the "
                                              "article's main incident place inside it"), 1, "story")
                how = "story"
        return _countryside(chosen, text, gazetteer), how
    if story is not None:
        reason = f"{story.reason}; the sentence names no place: the article's main incident place"
        return _lowered(_countryside(_with(story, reason), text, gazetteer), 1, "story"), "story"
    if ok:
        # the story so far sets the scene: a place told before the sentence wins over one told
        # after it ("… shot dead dozens. … the US-led coalition" is not a shooting in the US)
        before = [r for r in ok if r.mention.end <= s0]
        nearest = min(before or ok, key=lambda r: min(abs(r.mention.start - s0), abs(r.mention.end - s1)))
        return _lowered(nearest, 1, "nearest"), "nearest"
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
