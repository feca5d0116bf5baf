"""Read-only data files of the geo layer (TOML under newsgraph/data), loaded once per process."""
from __future__ import annotations

import hashlib
import tomllib
from functools import lru_cache
from importlib import resources

ALIASES = "place_aliases.toml"
CUES = "geo_cues.toml"


def _read(name: str) -> bytes:
    return resources.files("newsgraph").joinpath("data", name).read_bytes()


@lru_cache(maxsize=None)
def aliases() -> dict:
    return tomllib.loads(_read(ALIASES).decode("utf-8"))


@lru_cache(maxsize=None)
def cues() -> dict:
    return tomllib.loads(_read(CUES).decode("utf-8"))


@lru_cache(maxsize=None)
def data_digest() -> str:
    """A short hash of the data files that shape the gazetteer (aliases, build section of cues)."""
    h = hashlib.sha1(_read(ALIASES))
    h.update(repr(cues()["build"]).encode())
    return h.hexdigest()[:8]
