"""Toponym resolution: recognised place mentions -> gazetteer places.

Only mentions that a recogniser found are resolved (never raw string matching over the text).
Each candidate is scored (weights in data/geo_cues.toml [score]) by

  * a population prior (population 0 means unknown: the feature's default is used),
  * its feature type (country > region > province > town) and how the name matched
    (project alias > official name > abbreviation > region short form > alternate name),
  * "X, Y" / "X district of Y" / "X in Y" qualifiers naming the province or country around it,
  * document context, in a second pass: countries, first-level regions and nearby places that
    the other mentions of the article resolved to (a mention never supports itself),
  * an optional hint (``context_hint``: countries or a dateline place).

Roles: "demonym" when the mention is a nationality word ("Turkish" -> Turkey),
"metonymy" when the place acts or speaks ("Turkey refused ..."), else "literal".
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .gazetteer import Gazetteer
from .model import Candidate, Place, PlaceMention, Resolution
from .normalize import fold, is_acronym, name_key
from .resources import agency_names, cues

TENTATIVE = "TENTATIVE"
WITHIN = "within:"  # id prefix of a place located at the article's main town (not in the gazetteer)  # label of a mention another recogniser label may have hidden ("Nelson" as PERSON)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def km(a: Place, b: Place) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def contains(outer: Place, inner: Place) -> bool:
    """Whether ``inner`` lies in the country or first-level region ``outer``."""
    if outer.geonames_id == inner.geonames_id:
        return False
    if outer.feature == "country":
        return bool(outer.country_code) and inner.country_code == outer.country_code
    if outer.feature == "province":
        return bool(outer.admin1) and inner.admin1 == outer.admin1 and inner.feature != "province"
    return False


@dataclass
class _Mention:
    """A mention with its candidates and the cues read around it."""

    mention: PlaceMention
    key: str
    candidates: list[Candidate]
    region_word: bool = False  # "Idlib province"
    qualifiers: list[list[Candidate]] = field(default_factory=list)  # places that qualify it
    metonymy: bool = False
    inner: bool = False  # candidates are of a place named inside the mention
    agency: bool = False  # the mention is a news agency's name
    common_words: bool = False  # the name is made only of common words ("Grand Island")
    town_of: bool = False  # "the town of X" right before it
    place_preposition: bool = False  # "in X", "near X" right before it


def _phrase_list(words: list[str]) -> re.Pattern:
    alts = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))
    return re.compile(rf"(?:{alts})", re.IGNORECASE)


class _Cues:
    def __init__(self) -> None:
        c = cues()
        self.score = c["score"]
        q = c["qualifier"]
        self.between = re.compile(rf"^\s*(?:{_phrase_list(q['between']).pattern})\s*$", re.IGNORECASE)
        self.region_after = re.compile(rf"^\s+(?:{_phrase_list(q['region_words']).pattern})\b", re.IGNORECASE)
        self.region_words = {w.lower() for w in q["region_words"]}
        # "the province of Idlib" names the province as "Idlib province" does
        self.region_before = re.compile(rf"\b(?:{_phrase_list(q['region_words']).pattern})\s+of\s+$", re.IGNORECASE)
        self.district_words = {w.lower() for w in q["district_words"]}
        self.inner_min_population = q["inner_min_population"]
        self.generic = {w.lower() for w in q["generic"]}
        self.inner_stop = self.generic | {w.lower() for w in q["function_words"]}
        self.not_the_place = {w.lower() for w in q["not_the_place"]}
        self.town_of = re.compile(rf"\b(?:{_phrase_list(q['town_of']).pattern})\s+$", re.IGNORECASE)
        self.common_min_population = q["common_words_min_population"]
        self.place_preposition = re.compile(rf"\b(?:{_phrase_list(q['place_prepositions']).pattern})\s+(?:the\s+)?$",
                                            re.IGNORECASE)
        m = c["metonymy"]
        self.verb_after = re.compile(rf"^\s+(?:{_phrase_list(m['verbs']).pattern})\b", re.IGNORECASE)
        self.possessed_after = re.compile(rf"^(?:'s|’s)\s+(?:{_phrase_list(m['possessed']).pattern})\b",
                                          re.IGNORECASE)
        self.before = re.compile(rf"\b(?:{_phrase_list(m['before']).pattern})\s+$", re.IGNORECASE)


_CUES: _Cues | None = None


def _cues() -> _Cues:
    global _CUES
    if _CUES is None:
        _CUES = _Cues()
    return _CUES


def _lookup(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    return list(gazetteer.lookup(name_key(text)))


def _filter(mention: PlaceMention, cands: list[Candidate]) -> list[Candidate]:
    """Drop candidates the mention's form rules out."""
    cfg = _cues().score
    if is_acronym(mention.text):  # "US", "EU", "UK": not the villages Us, Eu, Uk
        cands = [c for c in cands if c.kind in ("abbr", "alias", "demonym") or c.place.feature in ("country", "region")
                 or c.place.population >= cfg["acronym_min_population"]]
    if mention.label == "NORP":  # nationality words name countries and regions, not villages
        cands = [c for c in cands if c.kind == "demonym" or c.place.feature in ("country", "region", "province")]
    return cands


def _prepare(mention: PlaceMention, text: str, gazetteer: Gazetteer) -> _Mention:
    cue = _cues()
    surface = _POSSESSIVE.sub("", mention.text.strip()).strip()
    after = text[mention.end: mention.end + 40]
    m = _Mention(mention, name_key(surface), [])
    m.region_word = bool(cue.region_after.match(after) or cue.region_before.search(text[max(0, mention.start - 30):
                                                                                        mention.start]))
    words = surface.split()
    if surface in agency_names():  # "SANA" (the Syrian agency) is not Sanaa; "Xinhua" is no town
        m.agency = True
        return m
    cands = _lookup(surface, gazetteer)
    if all(name_key(w) in cue.generic for w in words):
        # a name made only of common words ("South Bend", "Bay City") is the town it names when
        # the gazetteer has that very name; a single common word ("West", "Central") needs place
        # evidence around it (a qualifier, "the town of"): see _common_words
        m.common_words = True
        m.town_of = bool(cue.town_of.search(text[max(0, mention.start - 30): mention.start]))
        m.candidates = [c for c in cands if c.kind in ("name", "alias")]
        if len(words) == 1 and not m.town_of:
            m.candidates = []
        return m
    m.town_of = bool(cue.town_of.search(text[max(0, mention.start - 30): mention.start]))
    m.place_preposition = bool(cue.place_preposition.search(text[max(0, mention.start - 30): mention.start]))
    if not cands and len(words) > 1 and words[-1].lower() in cue.region_words:  # "Idlib Governorate"
        cands = _lookup(" ".join(words[:-1]), gazetteer)
        m.region_word = True
    if not cands and len(words) > 1 and words[-1].lower() in cue.district_words:  # "Akcakale district"
        cands = [c for c in _lookup(" ".join(words[:-1]), gazetteer) if c.place.feature in ("town", "district")]
    if not cands and "," in surface:  # "Paris, Texas" recognised as one span
        head, _, tail = surface.partition(",")
        cands = _lookup(head, gazetteer)
        qual = [c for c in _lookup(tail, gazetteer) if c.place.feature in ("country", "province")]
        if qual:
            m.qualifiers.append(qual)
    if not cands and len(words) > 1 and not {name_key(w) for w in words} & cue.not_the_place:
        cands = _inner(words, gazetteer)
        m.inner = bool(cands)
    m.candidates = _filter(mention, cands)
    before = text[max(0, mention.start - 40): mention.start]
    # "France and Britain said": a place coordinated with others before the verb acts too
    after = _COORDINATED.sub("", after, count=1)
    m.metonymy = bool(cue.verb_after.match(after) or cue.possessed_after.match(text[mention.end - 2 if
                      mention.text.endswith(("'s", "’s")) else mention.end: mention.end + 40])
                      or cue.before.search(before)) and not _LOCATIVE.search(before)
    return m


# "inspectors in Syria should ...": a place a preposition of place governs is where, not who
_LOCATIVE = re.compile(r"\b(?:in|at|near|inside|across|into|from|throughout)\s+(?:the\s+)?$", re.IGNORECASE)
_COORDINATED = re.compile(r"^(?:\s*(?:,|\band\b)\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})+(?=\s)")


def _inner(words: list[str], gazetteer: Gazetteer) -> list[Candidate]:
    """Candidates of the longest, leftmost run of words inside the mention that names a prominent
    place ("Colorado State University" -> Colorado; "Dubai World Cup" -> Dubai)."""
    cue = _cues()
    for size in range(len(words) - 1, 0, -1):
        for i in range(len(words) - size + 1):
            run = words[i: i + size]
            if not run[0][:1].isupper() or all(name_key(w) in cue.inner_stop for w in run):
                continue
            cands = [c for c in _lookup(" ".join(run), gazetteer) if c.kind not in ("alt", "short") and (
                c.place.feature in ("country", "region", "province") or c.kind == "demonym"
                or c.place.population >= cue.inner_min_population)]
            if cands:
                return cands
    return []


def _link_qualifiers(ms: list[_Mention], text: str) -> None:
    """Mention j qualifies mention i when only a qualifier phrase stands between them."""
    cue = _cues()
    order = sorted(range(len(ms)), key=lambda i: ms[i].mention.start)
    for a, b in zip(order, order[1:]):
        i, j = ms[a], ms[b]
        gap = text[i.mention.end: j.mention.start]
        if len(gap) <= 30 and cue.between.match(gap):
            qual = [c for c in j.candidates if c.place.feature in ("country", "province")]
            if qual:
                i.qualifiers.append(qual)


@dataclass
class _Context:
    countries: dict[str, set[str]] = field(default_factory=dict)  # cc -> keys of the mentions that gave it
    admin1s: dict[str, set[str]] = field(default_factory=dict)
    points: list[tuple[str, Place]] = field(default_factory=list)
    hint: set[str] = field(default_factory=set)

    def dominant(self, key: str) -> str | None:
        """The country named by the most other mentions (distinct names) of the article, if one
        leads: a single strong majority of the article's places."""
        counts = sorted(((len(keys - {key}), cc) for cc, keys in self.countries.items()), reverse=True)
        if not counts or counts[0][0] < 2 or (len(counts) > 1 and counts[1][0] * 2 > counts[0][0]):
            return None
        return counts[0][1]

    def add(self, key: str, place: Place) -> None:
        if place.country_code:
            self.countries.setdefault(place.country_code, set()).add(key)
        if place.admin1:
            self.admin1s.setdefault(place.admin1, set()).add(key)
        if place.feature in ("town", "facility", "district"):
            self.points.append((key, place))


def _others(keys: set[str] | None, key: str) -> bool:
    return bool(keys) and bool(keys - {key})


def _score(m: _Mention, c: Candidate, ctx: _Context) -> tuple[float, list[str]]:
    cfg = _cues().score
    p = c.place
    pop = p.population if p.population > 0 else cfg["default_population"].get(p.feature, 3000)
    s = math.log10(pop + 1) + cfg["feature_bonus"].get(p.feature, 0.0) + cfg["kind_bonus"].get(c.kind, 0.0)
    why = [f"{c.kind} match" + (" inside the name" if m.inner else "")]
    if c.matched == m.mention.text.strip():
        s += cfg["exact_spelling"]
    if p.feature == "province" and not m.region_word:
        shadow = [o for o in m.candidates if o.place.feature == "town" and o.place.country_code == p.country_code
                  and ((contains(p, o.place) and (c.kind == "short" or o.place.population >= 50_000))
                       or o.place.population >= cfg["major_city"])]
        if shadow:
            s += cfg["shadowed_region"]
            why.append("town of that name inside")
    if m.region_word and p.feature == "province":
        s += 2.0
        why.append("called a province")
    for qual in m.qualifiers:
        if any(contains(q.place, p) for q in qual):
            s += cfg["qualifier_inside"]
            why.append(f"qualified by {qual[0].place.name}")
        elif all(q.place.feature == "country" for q in qual) and p.feature != "country":
            s += cfg["qualifier_outside"]
    if p.country_code in ctx.hint:
        s += cfg["hint_country"]
        why.append("hint")
    if _others(ctx.countries.get(p.country_code), m.key):
        s += cfg["context_country"]
        why.append(f"{p.country_code} in article")
        if p.country_code == ctx.dominant(m.key):
            s += cfg["context_dominant"]
            why.append("the article's main country")
    if p.admin1 and _others(ctx.admin1s.get(p.admin1), m.key):
        s += cfg["context_admin1"]
        why.append("province in article")
    if p.feature not in ("country", "region") and any(
            key != m.key and km(p, q) <= cfg["context_near_km"] for key, q in ctx.points):
        s += cfg["context_near"]
        why.append("near other places")
    return s, why


def _choose(m: _Mention, ctx: _Context) -> tuple[Candidate | None, float, float, str]:
    """Best candidate, its score, its margin over the next place, and why."""
    best, best_s, second_s, best_why = None, -math.inf, -math.inf, ""
    for c in m.candidates:
        s, why = _score(m, c, ctx)
        if s > best_s:
            if best is None or best.place.geonames_id != c.place.geonames_id:
                second_s = best_s
            best, best_s, best_why = c, s, "; ".join(why)
        elif s > second_s and best is not None and c.place.geonames_id != best.place.geonames_id:
            second_s = s
    return best, best_s, best_s - second_s, best_why


def _hint_countries(context_hint: str | None, gazetteer: Gazetteer) -> set[str]:
    if not context_hint:
        return set()
    out = set()
    for part in re.split(r"[,;|]", context_hint):
        part = part.strip()
        if re.fullmatch(r"[A-Z]{2}", part):
            out.add(part)
        elif part:
            cands = [c for c in gazetteer.lookup(name_key(part)) if c.place.country_code]
            if cands:
                best = max(cands, key=lambda c: (c.place.feature == "country", c.place.population))
                out.add(best.place.country_code)
    return out


def _surnames(persons: list[str] | None) -> dict[str, str]:
    """Last word of each person's full name -> the name ("Clinton" -> "Hillary Clinton")."""
    out = {}
    for name in persons or []:
        words = _POSSESSIVE.sub("", name.strip()).split()
        if len(words) > 1 and words[-1][:1].isupper():
            out.setdefault(words[-1], " ".join(words))
    return out


def resolve_mentions(mentions: list[PlaceMention], text: str, gazetteer: Gazetteer,
                     context_hint: str | None = None, persons: list[str] | None = None) -> list[Resolution]:
    """Resolve each mention (same order as given). ``context_hint``: ISO country codes or place
    names, comma-separated ("TR,SY" or "Qamishli, Syria"), e.g. the corpus's countries or a dateline.
    ``persons``: the full names of the people the text names; a one-word place mention repeating
    one's surname is that person unless the text says it is a place."""
    cfg = _cues().score
    surnames = _surnames(persons)
    ms = [_prepare(m, text, gazetteer) for m in mentions]
    _link_qualifiers(ms, text)
    ctx = _Context(hint=_hint_countries(context_hint, gazetteer))
    # Pass 1: no document context; confident choices become the context of pass 2.
    doc = _Context(hint=ctx.hint)
    for m in ms:
        if m.mention.label == TENTATIVE:
            continue  # a maybe-place never supports others
        best, s, margin, _ = _choose(m, ctx)
        if best is not None and s >= cfg["min_score"] and (margin >= 0.5 or best.place.feature == "country"):
            doc.add(m.key, best.place)
    out = []
    for m in ms:
        best, s, margin, why = _choose(m, doc)
        if best is not None and m.mention.label == TENTATIVE and not _supported(best, why):
            out.append(Resolution(m.mention, None, 0.0, "recognised as another kind of name; no place nearby "
                                  "in the article", "literal"))
            continue
        if m.agency:
            out.append(Resolution(m.mention, None, 0.0, "a news agency's name, not a place", "literal"))
            continue
        who = _surname(m, surnames) if best is not None and len(m.mention.text.split()) == 1 else None
        if who is not None and best.place.feature not in ("country", "province", "region"):
            out.append(Resolution(m.mention, None, 0.0, f"the surname of {who}, named in the text; no place "
                                  "evidence around it", "literal"))
            continue
        if best is not None and m.common_words and not _common_words_place(m, best):
            out.append(Resolution(m.mention, None, 0.0, "a name made of common words with no place evidence",
                                  "literal"))
            continue
        if best is not None and _stray(m, best, why, doc):
            out.append(Resolution(m.mention, None, 0.0, f"only a small town abroad has this name while the "
                                  f"article's places are in {doc.dominant(m.key)}: likelier a place the gazetteer "
                                  "lacks", "literal"))
            continue
        if best is None or s < cfg["min_score"]:
            reason = "no gazetteer entry" if not m.candidates else f"best score {s:.2f} below threshold"
            out.append(Resolution(m.mention, None, 0.0, reason, _role(m, None)))
            continue
        out.append(Resolution(m.mention, best.place, round(s, 3), f"{why}; margin {margin:.2f}", _role(m, best)))
    return _locate_unknown(ms, out)


def _main_place(out: list[Resolution]) -> Place | None:
    """The article's most mentioned town (or district or facility) among its literal places
    (the first mentioned on a tie), or None."""
    counts: dict[str, list] = {}
    for i, r in enumerate(out):
        p = r.place
        if p is None or r.role != "literal" or p.feature not in ("town", "district", "facility") \
                or p.geonames_id.startswith(WITHIN):
            continue
        entry = counts.setdefault(p.geonames_id, [0, -i, p])
        entry[0] += 1
    return max(counts.values(), key=lambda e: (e[0], e[1]))[2] if counts else None


def _locatable(m: _Mention) -> bool:
    """A mention the gazetteer lacks that may be a street, building or neighbourhood of the
    article's town: a place mention, capitalised, not a generic word or an acronym."""
    text = m.mention.text.strip()
    if m.mention.label not in ("PLACE", "FACILITY") or m.candidates or not (text[:1].isupper() or text[:1].isdigit()):
        return False
    words = [name_key(w) for w in text.split()]
    if len(words) == 1 and words[0] in _cues().generic:
        return False  # "West", "State"
    return not is_acronym(text) or any(c.isdigit() for c in text)  # "A120" is a road, "FATA" a region


def _locate_unknown(ms: list[_Mention], out: list[Resolution]) -> list[Resolution]:
    """Third pass: a place the gazetteer lacks ("Royal Street", "Carnegie Library") is placed at
    the article's main town, with that town's precision; a name read inside a longer one ("University
    of Alberta" -> Alberta) yields to the main town when the town lies inside that region."""
    cfg = _cues().score
    if not cfg.get("locate_unknown", True):
        return out
    main = _main_place(out)
    if main is None:
        return out
    for i, (m, r) in enumerate(zip(ms, out)):
        inside_region = (m.inner and r.place is not None and r.place.feature in ("country", "province")
                         and (contains(r.place, main)))
        if not inside_region and not (r.place is None and _locatable(m)):
            continue
        at, how = main, "the article's main town"
        name = _POSSESSIVE.sub("", m.mention.text.strip()).strip()
        place = Place(name, f"{WITHIN}{at.geonames_id}:{m.key}", at.lat, at.lon, at.country_code,
                      at.admin1, "facility", at.precision, 0)
        out[i] = Resolution(m.mention, place, cfg["min_score"],
                            f"not in the gazetteer; placed at {at.name}, {how} (precision {at.precision})", "literal")
    return out


def _common_words_place(m: _Mention, best: Candidate) -> bool:
    """A name made only of common words is taken as a place when it is the project's own name of a
    region ("West Bank"), a sizeable town of exactly that name, or the text qualifies it ("Bay City,
    Texas") or calls it a town."""
    return bool(m.qualifiers) or m.town_of or best.kind == "alias" or best.place.feature in (
        "country", "province", "region") or best.place.population >= _cues().common_min_population


def _stray(m: _Mention, best: Candidate, why: str, ctx: _Context) -> bool:
    """A small town (or a name read inside a longer one) in another country than the one most of
    the article's places are in, with nothing near it in the text: a village of the story's
    country that the gazetteer lacks is likelier ("Arbin" in a Damascus story is not in France)."""
    dominant = ctx.dominant(m.key)
    p = best.place
    if dominant is None or p.country_code == dominant or best.kind == "alias":
        return False
    if any(contains(q.place, p) for qual in m.qualifiers for q in qual):
        return False   # "Adra, Spain"; but "Adra in Damascus countryside" is no Spanish town
    if "near other places" in why or "province in article" in why:
        return False
    return p.feature in ("town", "facility") and (m.inner or p.population < _cues().score["stray_max_population"])


def _surname(m: _Mention, surnames: dict[str, str]) -> str | None:
    """The person whose surname the one-word mention repeats ("Clinton" after "Hillary Clinton"),
    when nothing around it says it is a place (a preposition of place, "the town of", a qualifier)."""
    who = surnames.get(m.mention.text.strip())
    if who is None or m.town_of or m.place_preposition or m.qualifiers or m.region_word:
        return None
    return who


def _supported(best: Candidate, why: str) -> bool:
    """A tentative mention (a person's or organisation's name that is also a town) is taken as a
    place only when the place is prominent or the article's other places are around it."""
    p = best.place
    if best.kind in ("alias", "demonym") or p.feature in ("country", "region", "province"):
        return True
    if p.population >= _cues().score["mislabelled_min_population"]:
        return True
    return "near other places" in why or "province in article" in why


def _role(m: _Mention, best: Candidate | None) -> str:
    if m.mention.label == "NORP" or (best is not None and best.kind == "demonym"):
        return "demonym"
    if m.metonymy and (best is None or best.place.feature in ("country", "province", "region")
                       or best.place.population >= 100_000):
        return "metonymy"
    return "literal"


def resolve_name(name: str, gazetteer: Gazetteer, context_hint: str | None = None) -> Resolution:
    """Resolve a bare name (no surrounding text), e.g. a dateline."""
    mention = PlaceMention(name, 0, len(name), 0, len(name))
    return resolve_mentions([mention], name, gazetteer, context_hint)[0]


__all__ = ["resolve_mentions", "resolve_name", "contains", "km", "fold"]
