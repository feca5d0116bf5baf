"""Database failures as errors for people: what happened, whether anything was lost, what to do."""
from __future__ import annotations

import sqlalchemy as sa

from newsgraph.store.protocol import StoreError

# Errors the store raises from any call; the CLI turns them into one clear line.
DATABASE_FAILURES = (sa.exc.DBAPIError,)


class StoreDataError(StoreError):
    """The database refused one record's values; other records can still be written."""


class StoreBusy(StoreError):
    """Another newsgraph process is writing to the same knowledge base."""


KEPT = "what was stored before is kept"


def describe(exc: sa.exc.DBAPIError, where: str) -> StoreError:
    """A ``StoreError`` saying what the database failure means for the user."""
    orig = exc.orig if getattr(exc, "orig", None) is not None else exc
    text = " ".join(str(orig).split())[:300]
    low = text.lower()
    if "disk is full" in low or "no space left" in low or "could not extend file" in low:
        return StoreError(f"the disk holding {where} is full ({text}); {KEPT}: free some space and run the "
                          "same command again")
    if "readonly database" in low or "read-only" in low:
        return StoreError(f"{where} is read-only ({text}); it can be read (stats, export, serve) but not "
                          "changed: make the file and its folder writable to build or edit")
    if "malformed" in low or "not a database" in low or "disk i/o error" in low:
        return StoreError(f"{where} is damaged ({text}); restore it from a backup, or rebuild the knowledge "
                          "base into a new --db file with `newsgraph build`")
    if isinstance(exc, sa.exc.OperationalError) and any(
            w in low for w in ("server closed", "terminating connection", "connection refused", "connection failed",
                               "consuming input failed", "ssl syscall", "the connection is closed", "lost")):
        return StoreError(f"lost the connection to the database server {where} ({text}); {KEPT} (each step "
                          "commits whole or not at all): start the server and run the same command again")
    if isinstance(exc, (sa.exc.DataError, sa.exc.IntegrityError)):
        return StoreDataError(f"the database refused a value ({text})")
    return StoreError(f"database error on {where}: {text}")
