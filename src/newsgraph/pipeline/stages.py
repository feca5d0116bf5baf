"""The analysis stages that ``newsgraph build`` runs after ingest, in order.

A stage is a small named callable over the store: ``run(store, advance) -> str`` returns a
one-line summary; ``advance(name)`` moves the progress bar. The per-document extraction runs
first; then every module of ``newsgraph.corpus`` that defines ``STAGE``, by ``order``.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable  # (store, advance) -> str
    order: int = 0


def all_stages() -> list[Stage]:
    """The stages in the order they run (imported here, so that loading the CLI stays light)."""
    from newsgraph import corpus
    from newsgraph.pipeline import extract

    found = []
    for info in pkgutil.iter_modules(corpus.__path__):
        stage = getattr(importlib.import_module(f"{corpus.__name__}.{info.name}"), "STAGE", None)
        if stage is not None:
            found.append(stage)
    return [extract.STAGE] + sorted(found, key=lambda s: (s.order, s.name))
