"""Exports: ``newsgraph export WHAT --format FMT``. Each writer streams records to a file."""
from __future__ import annotations

import json
from typing import IO

from newsgraph.store.protocol import Store


def _documents_jsonl(store: Store, fh: IO[str]) -> int:
    n = 0
    for doc in store.iter_documents():
        doc.pop("offset_map", None)
        fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
        n += 1
    return n


def _jsonl(records, fh: IO[str]) -> int:
    n = 0
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def _entities_jsonl(store: Store, fh: IO[str]) -> int:
    return _jsonl(store.iter_entities(), fh)


# what -> {format: writer(store, fh) -> count}
EXPORTS = {
    "documents": {"jsonl": _documents_jsonl},
    "entities": {"jsonl": _entities_jsonl},
}


def export(store: Store, what: str, fmt: str, fh: IO[str]) -> int:
    """Write the records ``what`` in format ``fmt`` to ``fh``; returns how many were written."""
    return EXPORTS[what][fmt](store, fh)
