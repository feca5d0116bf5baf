"""What every store backend offers. The contract tests in tests/test_store_contract.py run
against each backend."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from newsgraph.records import Document


class StoreError(Exception):
    """A store could not be opened or written; the message says what to do."""


class Store(Protocol):
    url: str

    def has_document(self, doc_id: str) -> bool: ...

    def add_document(self, doc: Document, near_duplicates: Iterable[tuple[str, float]] = (),
                     lsh_keys: Iterable[tuple[int, str]] = ()) -> bool:
        """Store a document with its removed spans, source, LSH keys and near-duplicate links in
        one transaction. Returns False (and changes nothing) when the id is already stored."""

    def lsh_candidates(self, lsh_keys: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
        """Documents sharing at least one LSH bucket, with their MinHash signatures."""

    def get_document(self, doc_id: str) -> dict | None: ...

    def iter_documents(self) -> Iterator[dict]: ...

    def log_ingest(self, run_id: str, origin: str, status: str, document_id: str | None = None,
                   reason: str | None = None) -> None: ...

    def stats(self) -> dict[str, int]: ...

    def close(self) -> None: ...
