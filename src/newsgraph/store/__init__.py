"""The store: one protocol, two backends (SQLite file, PostgreSQL server)."""
from newsgraph.store.failures import DATABASE_FAILURES, StoreBusy, StoreDataError
from newsgraph.store.failures import describe as describe_failure
from newsgraph.store.protocol import Store, StoreError
from newsgraph.store.sql import open_store

__all__ = ["DATABASE_FAILURES", "Store", "StoreBusy", "StoreDataError", "StoreError", "describe_failure", "open_store"]
