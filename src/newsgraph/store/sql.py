"""The store on SQLAlchemy Core: a SQLite file (default) or a PostgreSQL server.

Both backends run the same code; only the engine set-up differs. The schema comes from the
Alembic migrations in ``migrations/``, run on open; the tables are then reflected.

Guarantees (see docs/security.md): one writer at a time (``writing``, store/guard.py); a
stage's output and its done-marks commit together (``atomic``); a database from a newer
newsgraph, a file that is not a newsgraph database, a damaged file (``quick_check`` when the
file changed since newsgraph last wrote it), a full disk or a lost server each give a
``StoreError`` saying what to do; a read-only SQLite file opens read-only.
"""
from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event

from newsgraph.records import Document
from newsgraph.sources.ids import source_id as make_source_id
from newsgraph.store.failures import DATABASE_FAILURES, describe
from newsgraph.store.guard import PostgresLock, SqliteLock, fingerprint, holder_info
from newsgraph.store.protocol import StoreError


# corpus record kinds users see in the stats (the stages' own bookkeeping kinds are left out)
CORPUS_KINDS = ("story", "event", "claim_cluster")


FAILED_PREFIX = "failed:"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def database_url(db: str) -> str:
    """A SQLAlchemy URL from what a user types: a file path, sqlite:///…, or postgresql://…"""
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if db.startswith(("postgresql+", "sqlite:")):
        return db
    if "://" in db:
        raise StoreError(f"unsupported database URL {db!r}: give a SQLite file path or a postgresql:// URL")
    return "sqlite:///" + str(Path(db).expanduser().resolve())


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_read_only_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("newsgraph.store").joinpath("migrations")))
    return config


def _migrate(engine: sa.Engine) -> None:
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _missing(db: str) -> StoreError:
    return StoreError(f"no knowledge base at {db}: build one first (newsgraph build PATHS --db {db})")


def _writable(path: Path) -> bool:
    """Whether SQLite can write the file (and create its journal files beside it)."""
    if not os.access(path.parent, os.W_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


class SqlStore:
    """A store over one SQLAlchemy engine. Each write method is one transaction."""

    def __init__(self, db: str, create: bool = True):
        self.url = database_url(db)
        self.path: Path | None = None
        self.read_only = False
        self._local = threading.local()  # the connection of an ``atomic`` block, per thread
        self._lock_guard = threading.RLock()
        self._lock_depth = 0
        self._wrote = False
        self._checked = False
        if self.url.startswith("sqlite:///"):
            path = Path(self.url.removeprefix("sqlite:///"))
            if path.exists() and path.is_dir():
                raise StoreError(f"{path} is a folder; give a database file path")
            if not create and not path.is_file():
                raise _missing(db)
            if not path.parent.exists():
                raise StoreError(f"cannot create database {path}: folder {path.parent} does not exist")
            self.path = path
            self.read_only = not _writable(path)
            if self.read_only and not path.exists():
                raise StoreError(f"cannot create database {path}: folder {path.parent} is not writable")
        try:
            self.engine = self._create_engine()
            self._lock = PostgresLock(self.engine) if self.path is None else SqliteLock(self.path)
            self._check_file()
            if not create and not sa.inspect(self.engine).has_table("documents"):
                raise _missing(self.display_url)
            self._check_schema()
            if not self.read_only and self._revision != self._head:  # readers of an up-to-date file take no lock
                with self.writing():
                    self._wrote = True
                    _migrate(self.engine)
        except StoreError:
            self._dispose()
            raise
        except sa.exc.OperationalError as exc:
            self._dispose()
            raise StoreError(f"cannot open database {self.display_url}: {exc.orig}".strip()) from exc
        except sa.exc.DatabaseError as exc:
            self._dispose()
            raise StoreError(
                f"{self.display_url} is not a newsgraph database or is damaged ({exc.orig}); "
                "give another --db path"
            ) from exc
        self.meta = sa.MetaData()
        self.meta.reflect(self.engine)
        self.t = self.meta.tables

    def _create_engine(self) -> sa.Engine:
        if self.path is None:
            name = f"newsgraph pid {os.getpid()} {holder_info()['command']}"[:63]
            return sa.create_engine(self.url, future=True, connect_args={"application_name": name})
        if self.read_only:
            engine = sa.create_engine(f"sqlite:///file:{self.path}?mode=ro&uri=true", future=True)
            event.listen(engine, "connect", _sqlite_read_only_pragmas)
            try:
                with engine.connect() as conn:
                    conn.execute(sa.text("SELECT count(*) FROM sqlite_master")).scalar()
            except sa.exc.OperationalError:
                # a WAL database in a folder we cannot write: read it as an unchanging file
                engine.dispose()
                engine = sa.create_engine(f"sqlite:///file:{self.path}?immutable=1&uri=true", future=True)
                event.listen(engine, "connect", _sqlite_read_only_pragmas)
            return engine
        engine = sa.create_engine(self.url, future=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine

    def _dispose(self) -> None:
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()

    def _check_file(self) -> None:
        """``PRAGMA quick_check`` when the SQLite file is not as newsgraph last left it."""
        if self.path is None or not self.path.exists() or self.path.stat().st_size == 0:
            return
        if self._lock.state().get("fingerprint") == fingerprint(self.path):
            return
        try:
            with self.engine.connect() as conn:
                problems = [row[0] for row in conn.execute(sa.text("PRAGMA quick_check(5)"))]
        except sa.exc.DatabaseError as exc:  # too damaged for the check itself to run
            if "not a database" in str(exc.orig):
                raise  # not a database at all: the caller says so
            problems = [" ".join(str(exc.orig).split())]
        self._checked = True  # sealed on close, so that the next open need not check again
        if problems != ["ok"]:
            raise StoreError(
                f"{self.path} is damaged (SQLite quick_check: {'; '.join(problems)[:300]}); nothing was changed. "
                "Restore it from a backup, or rebuild the knowledge base into a new --db file with `newsgraph build`")

    def _check_schema(self) -> None:
        """A database from a newer newsgraph, or another program's database, is refused."""
        script = ScriptDirectory.from_config(_alembic_config())
        known = {rev.revision for rev in script.walk_revisions()}
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            tables = sa.inspect(conn).get_table_names()
        self._revision, self._head = current, script.get_current_head()
        if current is not None and current not in known:
            raise StoreError(
                f"{self.display_url} was written by a newer version of newsgraph (schema {current}; this version "
                f"knows up to {script.get_current_head()}): upgrade newsgraph to read it; nothing was changed")
        if current is None and tables:
            raise StoreError(
                f"{self.display_url} is a database but not a newsgraph knowledge base (it holds tables "
                f"{', '.join(sorted(tables)[:5])}); give another --db path; nothing was changed")
        if self.read_only and current != script.get_current_head():
            raise StoreError(
                f"{self.display_url} is read-only and needs an upgrade of its schema ({current or 'empty'} to "
                f"{script.get_current_head()}): make it writable once and open it again")

    # -- transactions, the writer lock ---------------------------------------------------------

    @contextmanager
    def _failures(self):
        """Database failures inside the block become a ``StoreError`` saying what to do."""
        try:
            yield
        except DATABASE_FAILURES as exc:
            raise describe(exc, self.display_url) from exc

    @contextmanager
    def writing(self, wait: float | None = None, seal: bool = False):
        """Hold the writer lock of this knowledge base for the block (re-entrant). A second
        writer waits up to ``wait`` seconds (default: the lock_wait setting), then fails with
        ``StoreBusy``. ``seal`` records the file as newsgraph leaves it (on close)."""
        if self.read_only:
            raise StoreError(f"{self.display_url} is read-only: it can be read (stats, export, serve) but not "
                             "changed; make the file and its folder writable to build or edit")
        with self._lock_guard:
            if self._lock_depth == 0:
                with self._failures():
                    self._lock.acquire(self.display_url, wait)
            self._lock_depth += 1
        try:
            yield
        finally:
            with self._lock_guard:
                self._lock_depth -= 1
                if self._lock_depth == 0:
                    self._lock.release(changed=self._wrote, fingerprint_now=self._seal() if seal else None)

    def _seal(self) -> str | None:
        """Checkpoint the SQLite write-ahead log; the file's fingerprint as newsgraph leaves it."""
        if self.path is None:
            return None
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except DATABASE_FAILURES:
            return None
        return fingerprint(self.path)

    @contextmanager
    def atomic(self):
        """Every write of the block in one transaction: all of it is committed, or none.

        A corpus stage writes its records and the marks of the documents it took in inside
        one ``atomic`` block, so a kill at any point leaves either the old state or the new."""
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self.writing(), self._failures(), self.engine.begin() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None
                self._wrote = True

    @contextmanager
    def begin(self):
        """A connection in a transaction for one write, under the writer lock (the ``atomic``
        block's connection, if any). Modules of the store use it instead of ``engine.begin()``."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self.writing(), self._failures(), self.engine.begin() as conn:
            self._wrote = True
            yield conn

    @contextmanager
    def _connect(self):
        """A connection for reading (the ``atomic`` block's, if any, so it sees its writes)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self._failures(), self.engine.connect() as conn:
            yield conn

    @property
    def display_url(self) -> str:
        return re.sub(r"//([^:/@]+):[^@]+@", r"//\1:***@", self.url)

    # -- documents ---------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        docs = self.t["documents"]
        with self._connect() as conn:
            return conn.execute(sa.select(docs.c.id).where(docs.c.id == doc_id)).first() is not None

    def _ensure_source(self, conn, name: str) -> str:
        sources = self.t["sources"]
        source_id = make_source_id(name)
        if conn.execute(sa.select(sources.c.id).where(sources.c.id == source_id)).first() is None:
            conn.execute(sources.insert().values(id=source_id, name=name, created_at=now()))
        return source_id

    def add_document(self, doc: Document, near_duplicates: Iterable[tuple[str, float]] = (),
                     lsh_keys: Iterable[tuple[int, str]] = ()) -> bool:
        t = self.t
        with self.begin() as conn:
            if conn.execute(sa.select(t["documents"].c.id).where(t["documents"].c.id == doc.id)).first():
                return False
            source_id = self._ensure_source(conn, doc.source) if doc.source else None
            conn.execute(t["documents"].insert().values(
                id=doc.id, url=doc.url, source_id=source_id, title=doc.title, author=doc.author,
                published=doc.published, published_precision=doc.published_precision,
                language=doc.language, input_format=doc.input_format, raw=doc.raw,
                source_text=doc.source_text, clean_text=doc.clean_text,
                offset_map=json.dumps(doc.offset_map), comments=json.dumps(doc.comments, ensure_ascii=False),
                credited=json.dumps(doc.credited, ensure_ascii=False),
                notes=json.dumps(doc.notes, ensure_ascii=False), minhash=json.dumps(doc.minhash),
                origin=doc.origin, ingested_at=now(),
            ))
            if doc.removed:
                conn.execute(t["removed_spans"].insert(), [
                    {"document_id": doc.id, "raw_start": r.raw_start, "raw_end": r.raw_end, "kind": r.kind,
                     "reason": r.reason, "text": r.text} for r in doc.removed
                ])
            keys = [{"band": band, "bucket": bucket, "document_id": doc.id} for band, bucket in lsh_keys]
            if keys:
                conn.execute(t["lsh_buckets"].insert(), keys)
            links = []
            for other, similarity in near_duplicates:
                for a, b in ((doc.id, other), (other, doc.id)):
                    links.append({"document_id": a, "other_id": b, "similarity": round(similarity, 4),
                                  "method": "minhash-lsh 5-word shingles"})
            if links:
                conn.execute(t["near_duplicates"].insert(), links)
        return True

    def lsh_candidates(self, lsh_keys: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
        t = self.t
        keys = list(lsh_keys)
        if not keys:
            return {}
        buckets = t["lsh_buckets"]
        # one (band, bucket) pair each, ORed: both databases search the primary key for each
        # (SQLite scans the whole table for a row-value IN list)
        cond = sa.or_(*[sa.and_(buckets.c.band == band, buckets.c.bucket == bucket) for band, bucket in keys])
        with self._connect() as conn:
            ids = sorted({row[0] for row in conn.execute(sa.select(buckets.c.document_id).where(cond))})
            if not ids:
                return {}
            docs = t["documents"]
            rows = conn.execute(sa.select(docs.c.id, docs.c.minhash).where(docs.c.id.in_(ids)))
            return {row.id: json.loads(row.minhash) for row in rows}

    def _document_dict(self, conn, row, parts: dict | None = None) -> dict:
        """A document row with its removed spans, near-duplicates, analysis state and source name
        (``parts``: those read for many documents at once by ``_document_parts``)."""
        if parts is None:
            parts = self._document_parts(conn, [row])
        spans, dups = parts["spans"].get(row.id, []), parts["dups"].get(row.id, [])
        analysis = parts["analyses"].get(row.id)
        failed = None
        if analysis is not None and analysis.version.startswith(FAILED_PREFIX):
            failed = next((n for n in json.loads(analysis.notes) if n.startswith("analysis failed")), "analysis failed")
        source = parts["sources"].get(row.source_id) if row.source_id else None
        return {
            "id": row.id,
            "url": row.url,
            "source": source,
            "title": row.title,
            "author": row.author,
            "published": {"value": row.published, "precision": row.published_precision},
            "language": row.language,
            "text": row.clean_text,
            "comments": json.loads(row.comments),
            "removed": [
                {"start": s.raw_start, "end": s.raw_end, "kind": s.kind, "reason": s.reason, "text": s.text}
                for s in spans
            ],
            "near_duplicates": [{"id": d.other_id, "similarity": d.similarity} for d in dups],
            "credited": (credited := json.loads(row.credited)),
            "dateline": next(({"place": c["place"], "agency": c["name"], "text": c.get("evidence")}
                              for c in credited if c.get("how") == "dateline"), None),
            "notes": json.loads(row.notes),
            "input_format": row.input_format,
            "origin": row.origin,
            "offset_map": json.loads(row.offset_map),
            "analysis_failed": failed,
        }

    def _document_parts(self, conn, rows) -> dict:
        """Removed spans, near-duplicate links, analyses and source names of these document rows,
        in four queries whatever their number."""
        t, ids = self.t, [r.id for r in rows]
        spans: dict[str, list] = {}
        for s in conn.execute(sa.select(t["removed_spans"]).where(t["removed_spans"].c.document_id.in_(ids))
                              .order_by(t["removed_spans"].c.document_id, t["removed_spans"].c.raw_start)):
            spans.setdefault(s.document_id, []).append(s)
        dups: dict[str, list] = {}
        nd = t["near_duplicates"]
        for d in conn.execute(sa.select(nd.c.document_id, nd.c.other_id, nd.c.similarity)
                              .where(nd.c.document_id.in_(ids)).order_by(nd.c.document_id, nd.c.other_id)):
            dups.setdefault(d.document_id, []).append(d)
        an = t["analyses"]
        analyses = {a.document_id: a for a in conn.execute(
            sa.select(an.c.document_id, an.c.version, an.c.notes).where(an.c.document_id.in_(ids)))}
        source_ids = sorted({r.source_id for r in rows if r.source_id})
        sources = {s.id: s.name for s in conn.execute(
            sa.select(t["sources"].c.id, t["sources"].c.name).where(t["sources"].c.id.in_(source_ids)))} if source_ids else {}
        return {"spans": spans, "dups": dups, "analyses": analyses, "sources": sources}

    def get_document(self, doc_id: str, raw: bool = False) -> dict | None:
        docs = self.t["documents"]
        with self._connect() as conn:
            row = conn.execute(sa.select(docs).where(docs.c.id == doc_id)).first()
            if row is None:
                return None
            out = self._document_dict(conn, row)
            if raw:
                out["raw"] = row.raw
                out["source_text"] = row.source_text
            return out

    def iter_documents(self) -> Iterator[dict]:
        docs = self.t["documents"]
        with self._connect() as conn:
            ids = [r.id for r in conn.execute(sa.select(docs.c.id).order_by(docs.c.ingested_at, docs.c.id))]
        for doc_id in ids:
            doc = self.get_document(doc_id)
            if doc is not None:
                yield doc

    # -- per-document analysis --------------------------------------------------------------

    def documents_to_analyse(self, version: str) -> list[str]:
        """Ids of documents not yet analysed with this version of the extraction stage."""
        docs, analyses = self.t["documents"], self.t["analyses"]
        query = (
            sa.select(docs.c.id)
            .select_from(docs.outerjoin(analyses, analyses.c.document_id == docs.c.id))
            .where(sa.or_(analyses.c.version.is_(None), analyses.c.version != version))
            .order_by(docs.c.ingested_at, docs.c.id)
        )
        with self._connect() as conn:
            return [row.id for row in conn.execute(query)]

    def save_analysis(self, doc_id: str, version: str, analysis: dict) -> None:
        """Replace what extraction found in one document, in one transaction.

        ``analysis`` holds lists ``mentions`` (dicts with char_start, char_end, sentence_start,
        sentence_end, label, text and more), and ``events``, ``movements``, ``claims`` (dicts with
        id, type, name, evidence [{char_start, char_end, sentence}] and more), and ``notes``.
        """
        t = self.t
        with self.begin() as conn:
            for kind in ("events", "movements", "claims"):
                ids = [r.id for r in conn.execute(sa.select(t[kind].c.id).where(t[kind].c.document_id == doc_id))]
                if ids:
                    conn.execute(t["evidence"].delete().where(sa.and_(
                        t["evidence"].c.record_kind == kind, t["evidence"].c.record_id.in_(ids))))
                    conn.execute(t[kind].delete().where(t[kind].c.document_id == doc_id))
            conn.execute(t["mentions"].delete().where(t["mentions"].c.document_id == doc_id))
            conn.execute(t["analyses"].delete().where(t["analyses"].c.document_id == doc_id))
            mentions = [
                {"document_id": doc_id, "char_start": m["start"], "char_end": m["end"],
                 "sentence_start": m.get("sentence_start"), "sentence_end": m.get("sentence_end"),
                 "label": m["label"], "text": m["text"], "entity_id": m.get("entity_id"),
                 "data": json.dumps(m, ensure_ascii=False)}
                for m in analysis.get("mentions", [])
            ]
            if mentions:
                conn.execute(t["mentions"].insert(), mentions)
            evidence = []
            for kind in ("events", "movements", "claims"):
                rows = analysis.get(kind, [])
                if not rows:
                    continue
                conn.execute(t[kind].insert(), [
                    {"id": r["id"], "type": r["type"], "name": r.get("name"), "document_id": doc_id,
                     "data": json.dumps(r, ensure_ascii=False)} for r in rows
                ])
                evidence += [
                    {"record_kind": kind, "record_id": r["id"], "document_id": doc_id,
                     "char_start": e["start"], "char_end": e["end"], "sentence": e["sentence"]}
                    for r in rows for e in r.get("evidence", [])
                ]
            if evidence:
                conn.execute(t["evidence"].insert(), evidence)
            conn.execute(t["analyses"].insert().values(
                document_id=doc_id, version=version, analysed_at=now(),
                notes=json.dumps(analysis.get("notes", []), ensure_ascii=False)))

    def save_failure(self, doc_id: str, version: str, analysis: dict) -> None:
        """Record that a document's analysis failed (``analysis["failed"]``: component, reason).
        Its earlier results are removed, and the next build retries it (the stored version is
        ``failed:<version>``, never the current one)."""
        self.save_analysis(doc_id, FAILED_PREFIX + version,
                           {"notes": analysis.get("notes") or [], "failed": analysis["failed"]})

    def failed_analyses(self) -> list[dict]:
        """Documents whose last analysis failed: id, title and the reason."""
        an, docs = self.t["analyses"], self.t["documents"]
        query = (sa.select(an.c.document_id, an.c.notes, docs.c.title, docs.c.origin)
                 .select_from(an.join(docs, docs.c.id == an.c.document_id))
                 .where(an.c.version.like(FAILED_PREFIX + "%")).order_by(docs.c.ingested_at, docs.c.id))
        with self.engine.connect() as conn:
            return [{"id": r.document_id, "title": r.title, "origin": r.origin,
                     "reason": next((n for n in json.loads(r.notes) if n.startswith("analysis failed")), "")}
                    for r in conn.execute(query)]

    def iter_records(self, kind: str) -> Iterator[dict]:
        """Stored events, movements or claims (their JSON data), in document and text order."""
        table, docs = self.t[kind], self.t["documents"]
        query = (sa.select(table.c.document_id, table.c.data)
                 .select_from(table.join(docs, docs.c.id == table.c.document_id))
                 .order_by(docs.c.ingested_at, table.c.document_id))
        with self._connect() as conn:
            batch: list[dict] = []
            current = None
            for row in conn.execute(query):
                if row.document_id != current and batch:
                    yield from sorted(batch, key=_text_position)
                    batch = []
                current = row.document_id
                batch.append(json.loads(row.data))
            yield from sorted(batch, key=_text_position)

    def iter_mentions(self) -> Iterator[dict]:
        mentions = self.t["mentions"]
        with self._connect() as conn:
            for row in conn.execute(sa.select(mentions.c.id, mentions.c.document_id, mentions.c.data)
                                    .order_by(mentions.c.id)):
                data = json.loads(row.data)
                data["mention_id"], data["document_id"] = row.id, row.document_id
                yield data

    def replace_entities(self, entities: list[dict], mention_entity: dict[int, str]) -> None:
        """Store the entities built from all mentions and link each mention to its entity."""
        t, stamp = self.t, now()
        with self.begin() as conn:
            conn.execute(t["entities"].delete())
            if entities:
                conn.execute(t["entities"].insert(), [
                    {"id": e["id"], "type": e["type"], "name": e["name"], "data": json.dumps(e, ensure_ascii=False),
                     "updated_at": stamp} for e in entities
                ])
            by_entity: dict[str, list[int]] = {}
            for mention_id, entity_id in mention_entity.items():
                by_entity.setdefault(entity_id, []).append(mention_id)
            for entity_id, ids in by_entity.items():
                for chunk in range(0, len(ids), 500):
                    conn.execute(t["mentions"].update().where(t["mentions"].c.id.in_(ids[chunk:chunk + 500]))
                                 .values(entity_id=entity_id))

    def upsert_entities(self, entities: list[dict], mention_entity: dict[int, str]) -> None:
        """Insert or replace these entities (by id) and link these mentions to their entity."""
        t, stamp = self.t, now()
        with self.begin() as conn:
            for chunk in _chunks(sorted(e["id"] for e in entities)):
                conn.execute(t["entities"].delete().where(t["entities"].c.id.in_(chunk)))
            if entities:
                conn.execute(t["entities"].insert(), [
                    {"id": e["id"], "type": e["type"], "name": e["name"], "data": json.dumps(e, ensure_ascii=False),
                     "updated_at": stamp} for e in entities
                ])
            if mention_entity:
                conn.execute(t["mentions"].update().where(t["mentions"].c.id == sa.bindparam("mid"))
                             .values(entity_id=sa.bindparam("eid")),
                             [{"mid": m, "eid": e} for m, e in mention_entity.items()])

    def unlink_mentions(self) -> None:
        """Forget every mention's entity (a full entity resolution starts again)."""
        with self.begin() as conn:
            conn.execute(self.t["mentions"].update().values(entity_id=None))

    def entities_by_id(self, ids: Iterable[str]) -> dict[str, dict]:
        entities, out = self.t["entities"], {}
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(ids))):
                for row in conn.execute(sa.select(entities.c.id, entities.c.data).where(entities.c.id.in_(chunk))):
                    out[row.id] = json.loads(row.data)
        return out

    def count_entities(self) -> int:
        with self._connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(self.t["entities"])).scalar()

    def iter_entities(self) -> Iterator[dict]:
        entities = self.t["entities"]
        with self._connect() as conn:
            for row in conn.execute(sa.select(entities.c.data).order_by(entities.c.id)):
                yield json.loads(row.data)

    # -- across documents --------------------------------------------------------------------

    def replace_corpus_records(self, kind: str, records: Iterable[dict]) -> int:
        """Replace every corpus record of ``kind`` (each a dict with an ``id``) in one transaction."""
        table = self.t["corpus_records"]
        stamp = now()
        rows = [{"kind": kind, "id": r["id"], "data": json.dumps(r, ensure_ascii=False), "updated_at": stamp}
                for r in records]
        with self.begin() as conn:
            conn.execute(table.delete().where(table.c.kind == kind))
            for chunk in range(0, len(rows), 1000):
                conn.execute(table.insert(), rows[chunk:chunk + 1000])
        return len(rows)

    def upsert_corpus_records(self, kind: str, records: Iterable[dict], delete_ids: Iterable[str] = ()) -> int:
        """Insert or replace corpus records of ``kind`` by id, and delete ``delete_ids``, in one transaction."""
        table = self.t["corpus_records"]
        stamp = now()
        rows = [{"kind": kind, "id": r["id"], "data": json.dumps(r, ensure_ascii=False), "updated_at": stamp}
                for r in records]
        gone = sorted(set(delete_ids) | {r["id"] for r in rows})
        with self.begin() as conn:
            for chunk in range(0, len(gone), 500):
                conn.execute(table.delete().where(sa.and_(table.c.kind == kind,
                                                          table.c.id.in_(gone[chunk:chunk + 500]))))
            for chunk in range(0, len(rows), 1000):
                conn.execute(table.insert(), rows[chunk:chunk + 1000])
        return len(rows)

    def iter_corpus_records(self, kind: str) -> Iterator[dict]:
        """Corpus records of ``kind`` in id order."""
        table = self.t["corpus_records"]
        with self._connect() as conn:
            for row in conn.execute(sa.select(table.c.data).where(table.c.kind == kind).order_by(table.c.id)):
                yield json.loads(row.data)

    def count_corpus_records(self, kind: str) -> int:
        table = self.t["corpus_records"]
        with self._connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(table).where(table.c.kind == kind)).scalar()

    def get_corpus_record(self, kind: str, record_id: str) -> dict | None:
        table = self.t["corpus_records"]
        with self._connect() as conn:
            data = conn.execute(sa.select(table.c.data).where(
                sa.and_(table.c.kind == kind, table.c.id == record_id))).scalar()
        return json.loads(data) if data is not None else None

    def get_corpus_records(self, kind: str, ids: Iterable[str]) -> dict[str, dict]:
        """The corpus records of ``kind`` with these ids (those stored), in batched queries."""
        table, out = self.t["corpus_records"], {}
        wanted = sorted(set(ids))
        with self._connect() as conn:
            for chunk in _chunks(wanted):
                for row in conn.execute(sa.select(table.c.id, table.c.data).where(
                        sa.and_(table.c.kind == kind, table.c.id.in_(chunk)))):
                    out[row.id] = json.loads(row.data)
        return out

    # -- blocking keys of corpus records (indexed candidate lookups) -------------------------

    def corpus_keys(self, kind: str, keys: Iterable[str], latest: int | None = None) -> dict[str, list[str]]:
        """{key: [record ids]} for the keys of ``kind`` that are stored, each list in write order
        (only the ``latest`` written of each key, when given)."""
        table, out = self.t["corpus_keys"], {}
        asked = {_bounded_key(k): k for k in keys}
        with self._connect() as conn:
            for chunk in _chunks(sorted(asked)):
                where = sa.and_(table.c.kind == kind, table.c.key.in_(chunk))
                if latest is None:
                    query = sa.select(table.c.key, table.c.id).where(where).order_by(table.c.seq, table.c.id)
                else:
                    rank = sa.func.row_number().over(partition_by=table.c.key, order_by=table.c.seq.desc())
                    ranked = sa.select(table.c.key, table.c.id, table.c.seq, rank.label("rank")).where(where).subquery()
                    query = (sa.select(ranked.c.key, ranked.c.id).where(ranked.c.rank <= latest)
                             .order_by(ranked.c.seq, ranked.c.id))
                for row in conn.execute(query):
                    out.setdefault(asked[row.key], []).append(row.id)
        return out

    def set_corpus_keys(self, kind: str, keys_by_id: dict[str, Iterable[str]], replace_all: bool = False) -> int:
        """Replace the blocking keys of these records (all of ``kind``'s with ``replace_all``)."""
        table = self.t["corpus_keys"]
        with self.begin() as conn:
            if replace_all:
                conn.execute(table.delete().where(table.c.kind == kind))
                seq = 0
            else:
                for chunk in _chunks(sorted(keys_by_id)):
                    conn.execute(table.delete().where(sa.and_(table.c.kind == kind, table.c.id.in_(chunk))))
                seq = conn.execute(sa.select(sa.func.max(table.c.seq)).where(table.c.kind == kind)).scalar() or 0
            rows = []
            for record_id, keys in keys_by_id.items():
                for key in dict.fromkeys(map(_bounded_key, keys)):
                    seq += 1
                    rows.append({"kind": kind, "key": key, "id": record_id, "seq": seq})
            for chunk in range(0, len(rows), 1000):
                conn.execute(table.insert(), rows[chunk:chunk + 1000])
        return len(rows)

    # -- what an incremental corpus stage reads for the documents it takes in -----------------

    def documents_pending(self, stage: str, version: str) -> list[str]:
        """Ids of the documents ``stage`` has not taken in with ``version``, in ingest order."""
        docs, done = self.t["documents"], self.t["corpus_done"]
        query = (sa.select(docs.c.id)
                 .select_from(docs.outerjoin(done, sa.and_(done.c.document_id == docs.c.id, done.c.stage == stage,
                                                           done.c.version == version)))
                 .where(done.c.document_id.is_(None)).order_by(docs.c.ingested_at, docs.c.id))
        with self._connect() as conn:
            return [row.id for row in conn.execute(query)]

    def records_of(self, kind: str, document_ids: Iterable[str]) -> Iterator[dict]:
        """The events, movements or claims of these documents, in the order given and text order within."""
        table, order = self.t[kind], list(dict.fromkeys(document_ids))
        by_doc: dict[str, list[dict]] = {}
        with self._connect() as conn:
            for chunk in _chunks(order):
                for row in conn.execute(sa.select(table.c.document_id, table.c.data)
                                        .where(table.c.document_id.in_(chunk))):
                    by_doc.setdefault(row.document_id, []).append(json.loads(row.data))
        for doc_id in order:
            yield from sorted(by_doc.get(doc_id, ()), key=_text_position)

    def records_by_id(self, kind: str, ids: Iterable[str]) -> dict[str, dict]:
        """Events, movements or claims by id (those stored)."""
        table, out = self.t[kind], {}
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(ids))):
                for row in conn.execute(sa.select(table.c.id, table.c.data).where(table.c.id.in_(chunk))):
                    out[row.id] = json.loads(row.data)
        return out

    def mentions_of(self, document_ids: Iterable[str]) -> list[dict]:
        """The mentions of these documents (with ``mention_id``, ``document_id`` and the entity
        stage's ``resolved_entity_id``), in id order."""
        mentions, out = self.t["mentions"], []
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(document_ids))):
                for row in conn.execute(sa.select(mentions.c.id, mentions.c.document_id, mentions.c.entity_id,
                                                  mentions.c.data).where(mentions.c.document_id.in_(chunk))):
                    data = json.loads(row.data)
                    data["mention_id"], data["document_id"] = row.id, row.document_id
                    data["resolved_entity_id"] = row.entity_id
                    out.append(data)
        return sorted(out, key=lambda m: m["mention_id"])

    def document_dates(self, ids: Iterable[str]) -> dict[str, dict]:
        """{document id: its publication date {value, precision}} for these documents."""
        docs, out = self.t["documents"], {}
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(ids))):
                for row in conn.execute(sa.select(docs.c.id, docs.c.published, docs.c.published_precision)
                                        .where(docs.c.id.in_(chunk))):
                    out[row.id] = {"value": row.published, "precision": row.published_precision}
        return out

    def get_documents(self, ids: Iterable[str]) -> dict[str, dict]:
        """Documents by id (as ``get_document`` gives them, without the raw text)."""
        out = {}
        docs = self.t["documents"]
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(ids))):
                rows = conn.execute(sa.select(docs).where(docs.c.id.in_(chunk))).all()
                parts = self._document_parts(conn, rows) if rows else None
                for row in rows:
                    out[row.id] = self._document_dict(conn, row, parts)
        return out

    def has_done(self, stage: str, version: str) -> bool:
        """Whether ``stage`` has taken in any document with ``version``."""
        table = self.t["corpus_done"]
        with self._connect() as conn:
            return conn.execute(sa.select(table.c.document_id).where(
                sa.and_(table.c.stage == stage, table.c.version == version)).limit(1)).first() is not None

    def documents_done_among(self, stage: str, version: str, document_ids: Iterable[str]) -> set[str]:
        """Which of these documents ``stage`` has taken in with ``version``."""
        table, out = self.t["corpus_done"], set()
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(document_ids))):
                out.update(row.document_id for row in conn.execute(sa.select(table.c.document_id).where(sa.and_(
                    table.c.stage == stage, table.c.version == version, table.c.document_id.in_(chunk)))))
        return out

    def documents_done(self, stage: str, version: str) -> set[str]:
        """Documents the corpus stage ``stage`` has already taken in with ``version``."""
        table = self.t["corpus_done"]
        with self._connect() as conn:
            return {row.document_id for row in conn.execute(
                sa.select(table.c.document_id).where(sa.and_(table.c.stage == stage, table.c.version == version)))}

    def mark_done(self, stage: str, version: str, document_ids: Iterable[str]) -> None:
        table = self.t["corpus_done"]
        ids = sorted(set(document_ids))
        with self.begin() as conn:
            for chunk in range(0, len(ids), 500):
                conn.execute(table.delete().where(sa.and_(table.c.stage == stage,
                                                          table.c.document_id.in_(ids[chunk:chunk + 500]))))
            if ids:
                conn.execute(table.insert(), [{"stage": stage, "document_id": i, "version": version,
                                               "done_at": now()} for i in ids])

    def reset_done(self, stage: str) -> None:
        """Forget what ``stage`` has taken in, so that its next run starts from scratch."""
        table = self.t["corpus_done"]
        with self.begin() as conn:
            conn.execute(table.delete().where(table.c.stage == stage))

    def add_decision(self, kind: str, subject: str, data: dict, note: str = "") -> int:
        """Record an analyst decision (kept across rebuilds); returns its id."""
        table = self.t["decisions"]
        with self.begin() as conn:
            result = conn.execute(table.insert().values(kind=kind, subject=subject, note=note or "",
                                                        data=json.dumps(data, ensure_ascii=False), created_at=now()))
            return int(result.inserted_primary_key[0])

    def iter_decisions(self, kind: str | None = None) -> Iterator[dict]:
        """Analyst decisions, oldest first (a later decision on the same subject wins)."""
        table = self.t["decisions"]
        query = sa.select(table).order_by(table.c.id)
        if kind is not None:
            query = query.where(table.c.kind == kind)
        with self._connect() as conn:
            for row in conn.execute(query):
                yield {"id": row.id, "kind": row.kind, "subject": row.subject, "data": json.loads(row.data),
                       "note": row.note, "created_at": row.created_at}

    def iter_sources(self) -> Iterator[dict]:
        table, docs = self.t["sources"], self.t["documents"]
        counts = (sa.select(docs.c.source_id, sa.func.count().label("n")).group_by(docs.c.source_id).subquery())
        query = (sa.select(table, sa.func.coalesce(counts.c.n, 0).label("documents"))
                 .select_from(table.outerjoin(counts, counts.c.source_id == table.c.id)).order_by(table.c.id))
        with self._connect() as conn:
            for row in conn.execute(query):
                yield {"id": row.id, "name": row.name, "domain": row.domain, "reliability": row.reliability,
                       "reliability_basis": row.reliability_basis, "interested": bool(row.interested),
                       "documents": row.documents}

    def update_source(self, source_id: str, **values) -> bool:
        """Set ``reliability``, ``reliability_basis``, ``interested`` or ``domain`` of a source."""
        allowed = {"reliability", "reliability_basis", "interested", "domain"}
        unknown = set(values) - allowed
        if unknown:
            raise StoreError(f"cannot set {', '.join(sorted(unknown))} on a source; allowed: {', '.join(sorted(allowed))}")
        table = self.t["sources"]
        with self.begin() as conn:
            return conn.execute(table.update().where(table.c.id == source_id).values(**values)).rowcount > 0

    # -- bookkeeping -----------------------------------------------------------------------

    def log_ingest(self, run_id: str, origin: str, status: str, document_id: str | None = None,
                   reason: str | None = None) -> None:
        with self.begin() as conn:
            conn.execute(self.t["ingest_log"].insert().values(
                run_id=run_id, origin=origin, status=status, document_id=document_id, reason=reason, at=now()))

    def stats(self) -> dict[str, int]:
        out = {}
        with self._connect() as conn:
            for name in ("sources", "documents", "removed_spans", "analyses", "mentions", "entities", "events",
                         "movements", "claims"):
                out[name] = conn.execute(sa.select(sa.func.count()).select_from(self.t[name])).scalar_one()
            cr = self.t["corpus_records"]
            for kind, n in conn.execute(sa.select(cr.c.kind, sa.func.count()).where(cr.c.kind.in_(CORPUS_KINDS))
                                        .group_by(cr.c.kind).order_by(cr.c.kind)):
                out[f"corpus:{kind}"] = n
            nd = self.t["near_duplicates"]
            out["near_duplicate_pairs"] = conn.execute(
                sa.select(sa.func.count()).select_from(nd).where(nd.c.document_id < nd.c.other_id)
            ).scalar_one()
            an = self.t["analyses"]
            out["failed_analyses"] = conn.execute(
                sa.select(sa.func.count()).select_from(an).where(an.c.version.like(FAILED_PREFIX + "%"))
            ).scalar_one()
            docs = self.t["documents"]
            for lang, n in conn.execute(sa.select(docs.c.language, sa.func.count()).group_by(docs.c.language)):
                out[f"language:{lang or 'unknown'}"] = n
        return out

    def close(self) -> None:
        if (self._wrote or self._checked) and self._lock_depth == 0 and not self.read_only:
            try:  # seal the file, so that the next open need not check it
                with self.writing(wait=0, seal=True):
                    pass
            except StoreError:
                pass  # another writer holds the lock; the next open checks the file
        self.engine.dispose()


def _bounded_key(key: str) -> str:
    """A blocking key as stored (the column holds 400 characters; a longer key is cut, which can
    only add candidates)."""
    return key if len(key) <= 400 else key[:400]


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _text_position(record: dict) -> int:
    evidence = record.get("evidence") or [{}]
    return evidence[0].get("start") or 0


def open_store(db: str, create: bool = True) -> SqlStore:
    """Open (and create or migrate) the store at ``db``: a file path or a postgresql:// URL.
    With ``create=False`` a missing database (or one without newsgraph's tables) is an error
    instead of a new empty knowledge base: only ingest and build create one."""
    return SqlStore(db, create=create)
