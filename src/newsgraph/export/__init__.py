"""Exports: ``newsgraph export WHAT --format FMT``. Each writer streams records to a file.

Every public module in this package defines ``EXPORTS = {what: {format: writer}}`` with
``writer(store, fh) -> count``; they are merged here into one table.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import IO

from newsgraph.store.protocol import Store


def _collect() -> dict[str, dict]:
    table: dict[str, dict] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for what, formats in getattr(module, "EXPORTS", {}).items():
            clash = set(formats) & set(table.get(what, {}))
            if clash:
                raise RuntimeError(f"export {what} {sorted(clash)} is defined twice (in {module.__name__})")
            table.setdefault(what, {}).update(formats)
    return table


# what -> {format: writer(store, fh) -> count}
EXPORTS = _collect()


def export(store: Store, what: str, fmt: str, fh: IO[str]) -> int:
    """Write the records ``what`` in format ``fmt`` to ``fh``; returns how many were written."""
    return EXPORTS[what][fmt](store, fh)
