"""One writer at a time per knowledge base, and a damage check when a SQLite file changed.

The writer lock is held by a process for as long as it writes (a whole ``ingest`` or
``build``, or one edit), and is released by the operating system or the database server
when the process dies, even by ``kill -9``:

* SQLite: ``flock`` on the file ``<db>.lock`` beside the database;
* PostgreSQL: a session advisory lock in the database, on its own connection.

A second writer waits up to ``NEWSGRAPH_LOCK_WAIT`` seconds, then fails with a message that
names the process holding the lock. Readers (``stats``, ``export``, ``serve``) never wait:
each of their queries reads one committed state.

The lock file also keeps the SQLite file's fingerprint (size and modification time of the
database and its write-ahead log) as the last newsgraph writer left it. When the file no
longer matches on open (a writer was killed, or something else touched the file), the store
runs ``PRAGMA quick_check`` before using it.
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from newsgraph import settings
from newsgraph.store.failures import StoreBusy

# PostgreSQL advisory lock key for "the newsgraph writer of this database"
PG_LOCK_KEY = 0x6E_67_77_72  # "ngwr"


def holder_info() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(), "command": " ".join(
        [Path(sys.argv[0]).name] + sys.argv[1:3]) if sys.argv else "python",
        "since": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")}


def _describe(holder: dict | None) -> str:
    if not holder:
        return "another newsgraph process"
    return (f"another newsgraph process (pid {holder.get('pid')} on {holder.get('host')}, "
            f"`{holder.get('command')}`, since {holder.get('since')})")


def _busy(where: str, holder: dict | None, waited: float) -> StoreBusy:
    return StoreBusy(f"{_describe(holder)} is writing to {where}; waited {waited:g} s. Wait for it to finish and run "
                     "the same command again (nothing was changed), or set NEWSGRAPH_LOCK_WAIT to wait longer")


def fingerprint(path: Path) -> str:
    parts = []
    for p in (path, Path(f"{path}-wal")):
        try:
            st = p.stat()
        except FileNotFoundError:
            parts.append("-")
        else:
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


class SqliteLock:
    def __init__(self, path: Path):
        self.path = path
        self.lock_path = Path(f"{path}.lock")
        self.fd: int | None = None

    def state(self) -> dict:
        try:
            return json.loads(self.lock_path.read_text("utf-8") or "{}")
        except (OSError, ValueError):
            return {}

    def _write(self, state: dict) -> None:
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, json.dumps(state).encode(), 0)

    def acquire(self, where: str, wait: float | None = None) -> None:
        wait = settings.get("lock_wait") if wait is None else wait
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= wait:
                    os.close(fd)
                    raise _busy(where, self.state().get("holder"), round(waited, 1)) from None
                time.sleep(min(0.2, max(wait - waited, 0.01)))
        self.fd = fd
        state = self.state()
        state["holder"] = holder_info()
        self._write(state)

    def release(self, changed: bool = True, fingerprint_now: str | None = None) -> None:
        """Unlock; ``changed`` says the holder wrote to the database, ``fingerprint_now`` is the
        file's fingerprint after a checkpoint (None: unknown, so the next open checks it)."""
        if self.fd is None:
            return
        state = self.state()
        state["holder"] = None
        if fingerprint_now is not None:
            state["fingerprint"] = fingerprint_now
        elif changed:
            state.pop("fingerprint", None)
        try:
            self._write(state)
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


class PostgresLock:
    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.conn = None

    def _holder(self, conn) -> dict | None:
        row = conn.execute(sa.text(
            "SELECT a.pid, a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
            "AND l.objid::bigint = :k AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
            {"k": PG_LOCK_KEY}).first()
        if row is None:
            return None
        return {"pid": f"{row.pid} (server)", "host": row.client_addr or "local socket",
                "command": row.application_name or "?", "since": f"{row.backend_start:%Y-%m-%d %H:%M:%S %Z}"}

    def acquire(self, where: str, wait: float | None = None) -> None:
        wait = settings.get("lock_wait") if wait is None else wait
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        started = time.monotonic()
        while not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": PG_LOCK_KEY}).scalar():
            waited = time.monotonic() - started
            if waited >= wait:
                holder = self._holder(conn)
                conn.close()
                raise _busy(where, holder, round(waited, 1))
            time.sleep(min(0.2, max(wait - waited, 0.01)))
        self.conn = conn

    def release(self, changed: bool = True, fingerprint_now: str | None = None) -> None:
        if self.conn is None:
            return
        try:
            self.conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
        except sa.exc.DBAPIError:
            pass  # the connection is gone, and the server released the lock with it
        finally:
            self.conn.close()
            self.conn = None
