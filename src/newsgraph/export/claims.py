"""Claims as JSON Lines."""
from __future__ import annotations

from newsgraph.export.records import jsonl

EXPORTS = {
    "claims": {"jsonl": lambda store, fh: jsonl(store.iter_records("claims"), fh)},
}
