"""Read-only data files of the geo layer (TOML under newsgraph/data), loaded once per process."""
from __future__ import annotations

import hashlib
import tomllib
from functools import lru_cache
from importlib import resources

ALIASES = "place_aliases.toml"
CUES = "geo_cues.toml"
REGIONS = "regions.toml"
AGENCIES = "news_agencies.toml"


def _read(name: str) -> bytes:
    return resources.files("newsgraph").joinpath("data", name).read_bytes()


@lru_cache(maxsize=None)
def aliases() -> dict:
    return tomllib.loads(_read(ALIASES).decode("utf-8"))


@lru_cache(maxsize=None)
def cues() -> dict:
    return tomllib.loads(_read(CUES).decode("utf-8"))


@lru_cache(maxsize=None)
def regions() -> list[dict]:
    """The regions GeoNames misses (data/regions.toml)."""
    return tomllib.loads(_read(REGIONS).decode("utf-8")).get("region", [])


@lru_cache(maxsize=None)
def agency_names() -> frozenset[str]:
    """Every name and form of a news agency (data/news_agencies.toml), as written."""
    data = tomllib.loads(_read(AGENCIES).decode("utf-8"))
    return frozenset(n for a in data.get("agency", []) for n in [a["name"], *a.get("forms", [])])


@lru_cache(maxsize=None)
def data_digest() -> str:
    """A short hash of the data files that shape the gazetteer (aliases, regions, build section of cues)."""
    h = hashlib.sha1(_read(ALIASES))
    h.update(_read(REGIONS))
    h.update(repr(cues()["build"]).encode())
    return h.hexdigest()[:8]
