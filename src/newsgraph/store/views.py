"""The read model: what pages, exports, the report and the CLI read, in one place.

Each function takes an open store and returns plain dicts. Callers outside ``store/`` read the
knowledge base through these views (and the store's own ``iter_*``/``get_*`` methods), never
through its tables.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import sqlalchemy as sa


class AmbiguousRef(ValueError):
    """A name that several records carry: the message lists them with their ids."""


def entity_by_ref(store, ref: str) -> dict:
    """The one entity with id ``ref``, else the one named (or aliased) ``ref``. A name several
    entities carry, or none, is a ValueError that says which ids to choose from."""
    from newsgraph.corpus.entities import find_entities

    found = find_entities(store, ref)
    if not found:
        raise ValueError(f"no entity with id or name {ref!r} (see `newsgraph entity list`)")
    if len(found) > 1:
        listed = "; ".join(f"{e['id']} ({e['type']} {e['name']})" for e in found[:10])
        raise AmbiguousRef(f"{len(found)} entities are named {ref!r}; give one id: {listed}")
    return found[0]


def entity_exists(store, entity_id: str) -> bool:
    table = store.t["entities"]
    with store.engine.connect() as conn:
        return conn.execute(sa.select(table.c.id).where(table.c.id == entity_id)).first() is not None


def document_ingested_at(store) -> dict[str, str]:
    """Document id -> when it was stored (ISO timestamp)."""
    docs = store.t["documents"]
    with store.engine.connect() as conn:
        return {r.id: r.ingested_at for r in conn.execute(sa.select(docs.c.id, docs.c.ingested_at))}


# -- time limits -------------------------------------------------------------------------------

class TimeLimit(Exception):
    """A read took longer than its time limit and was stopped."""


_limit = threading.local()


def _past_deadline() -> int:
    deadline = getattr(_limit, "deadline", None)
    return 1 if deadline is not None and time.monotonic() > deadline else 0


def install_time_limits(store, cap_seconds: float) -> None:
    """Let ``time_limit`` stop the store's queries: SQLite checks the running thread's deadline
    while a statement runs; PostgreSQL stops any statement after ``cap_seconds``."""
    from sqlalchemy import event

    if store.engine.dialect.name == "sqlite":
        event.listen(store.engine, "connect",
                     lambda dbapi, _record: dbapi.set_progress_handler(_past_deadline, 10_000))
    else:
        def timeout(dbapi, _record):
            with dbapi.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(cap_seconds * 1000)}")
            dbapi.commit()

        event.listen(store.engine, "connect", timeout)
    store.engine.dispose()  # connections opened before now get the limit too


@contextmanager
def time_limit(seconds: float):
    """Queries run by this thread inside the block stop after ``seconds`` with ``TimeLimit``."""
    _limit.deadline = time.monotonic() + seconds
    try:
        yield
    except sa.exc.OperationalError as exc:
        text = str(exc.orig).lower()
        if "interrupted" in text or "statement timeout" in text or "canceling statement" in text:
            raise TimeLimit(f"stopped after {seconds:g} s") from exc
        raise
    finally:
        _limit.deadline = None
