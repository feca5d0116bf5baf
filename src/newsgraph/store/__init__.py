"""The store: one protocol, two backends (SQLite file, PostgreSQL server)."""
from newsgraph.store.protocol import Store, StoreError
from newsgraph.store.sql import open_store

__all__ = ["Store", "StoreError", "open_store"]
