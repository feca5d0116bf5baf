"""The analysis stages that ``newsgraph build`` runs after ingest, in order.

A stage is a small named callable over the store: ``run(store, advance) -> str`` returns a
one-line summary; ``advance(name)`` moves the progress bar. Later stages (extraction,
geocoding, corpus resolution) register here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable  # (store, advance) -> str


def all_stages() -> list[Stage]:
    """The stages in the order they run (imported here, so that loading the CLI stays light)."""
    from newsgraph.pipeline import extract

    return [extract.STAGE]
