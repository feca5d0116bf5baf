"""The analysis stages that ``newsgraph build`` runs after ingest, in order.

A stage is a small named callable over the store: ``run(store, advance) -> str`` returns a
one-line summary; ``advance(name)`` moves the progress bar. Each stage declares the kinds of
record it reads (``requires``) and writes (``provides``); the per-document extraction and
every module of ``newsgraph.corpus`` that defines ``STAGE`` run in the order those
declarations give (a topological sort, ties by name).
"""
from __future__ import annotations

import graphlib
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable  # (store, advance) -> str
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()


def ordered(stages: list[Stage]) -> list[Stage]:
    """The stages in an order where each runs after those that provide what it requires."""
    providers: dict[str, str] = {}
    for stage in stages:
        for kind in stage.provides:
            if kind in providers:
                raise ValueError(f"stages {providers[kind]} and {stage.name} both provide {kind!r}")
            providers[kind] = stage.name
    graph = graphlib.TopologicalSorter()
    for stage in sorted(stages, key=lambda s: s.name):
        graph.add(stage.name, *sorted({providers[k] for k in stage.requires if k in providers} - {stage.name}))
    graph.prepare()
    by_name = {s.name: s for s in stages}
    out: list[Stage] = []
    while graph.is_active():
        ready = sorted(graph.get_ready())
        out += [by_name[name] for name in ready]
        graph.done(*ready)
    return out


def all_stages() -> list[Stage]:
    """The stages in the order they run (imported here, so that loading the CLI stays light)."""
    from newsgraph import corpus
    from newsgraph.pipeline import extract

    found = []
    for info in pkgutil.iter_modules(corpus.__path__):
        stage = getattr(importlib.import_module(f"{corpus.__name__}.{info.name}"), "STAGE", None)
        if stage is not None:
            found.append(stage)
    return ordered([extract.STAGE] + found)
