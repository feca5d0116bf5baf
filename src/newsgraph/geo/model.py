"""Records of the geo layer: places, candidates, mentions and resolutions (all immutable)."""
from __future__ import annotations

from dataclasses import dataclass

# What a place is, and what its coordinate stands for, from finest to coarsest.
FEATURES = ("facility", "town", "district", "province", "country", "region")
PRECISIONS = ("point", "town", "district", "province", "country", "region")
ROLES = ("literal", "metonymy", "demonym")


def coarser(precision: str, steps: int = 1) -> str:
    """The precision ``steps`` levels coarser than ``precision`` (never past "region")."""
    i = PRECISIONS.index(precision) if precision in PRECISIONS else 0
    return PRECISIONS[min(len(PRECISIONS) - 1, i + steps)]


@dataclass(frozen=True)
class Place:
    """A gazetteer entry. ``geonames_id`` is a GeoNames id ("298795") or our own id ("alias:rojava",
    "adm1:TR.63" for a first-level region that came without a GeoNames id)."""

    name: str
    geonames_id: str
    lat: float
    lon: float
    country_code: str
    admin1: str  # "TR.63" style (country code . admin1 code), "" when unknown
    feature: str  # one of FEATURES
    precision: str  # one of PRECISIONS
    population: int  # 0 means unknown, not small


@dataclass(frozen=True)
class Candidate:
    """A place a name may refer to, with how the name matched it."""

    place: Place
    matched: str  # the gazetteer's spelling of the name that matched
    kind: str  # "name" | "short" | "alt" | "abbr" | "alias" | "demonym"


@dataclass(frozen=True)
class PlaceMention:
    """A recognised place (or nationality) mention: character span in the text and its sentence."""

    text: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    label: str = "PLACE"  # the recogniser's label: PLACE, NORP (nationality), ORG-embedded, ...


@dataclass(frozen=True)
class Resolution:
    """What a mention refers to. ``place`` is None when unresolved (the mention is kept)."""

    mention: PlaceMention
    place: Place | None
    score: float
    reason: str
    role: str  # "literal" | "metonymy" | "demonym"

    @property
    def resolved(self) -> bool:
        return self.place is not None
