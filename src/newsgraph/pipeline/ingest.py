"""Ingest: read inputs, prepare documents, store each one in its own transaction.

A bad input fails alone with a one-line reason; the rest of the batch goes on. A document
already stored (same content hash) is left as it is, so re-running an interrupted ingest
finishes the job without duplicates.
"""
from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from newsgraph import settings
from newsgraph.pipeline.deadline import Overtime, time_limit
from newsgraph.pipeline.prepare import ArticleError, content_id, lsh_keys, prepare, similarity
from newsgraph.sources.readers import RawArticle, ReadFailure, Skipped, read_inputs
from newsgraph.store.failures import StoreDataError
from newsgraph.store.protocol import Store

# the start of the reason given when newsgraph itself fails on an article (a bug to report)
INTERNAL_ERROR = "internal error"


@dataclass
class IngestReport:
    run_id: str
    read: int = 0
    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    near_duplicates: list[tuple[str, str, float]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted


def _file_of(origin: str) -> str:
    return re.sub(r"(:\d+|\[\d+\])$", "", origin)


def ingest(paths: list[str], store: Store, on_file: Callable[[str], None] | None = None) -> IngestReport:
    """Read every article under ``paths`` into ``store``. ``on_file`` is called as each input
    file is finished (for a progress bar). The run holds the store's writer lock: a second
    writer waits, or fails with ``StoreBusy``, before anything is read or written."""
    with store.writing():
        return _ingest_all(paths, store, on_file)


def _ingest_all(paths: list[str], store: Store, on_file: Callable[[str], None] | None) -> IngestReport:
    report = IngestReport(run_id=uuid.uuid4().hex[:12])
    threshold = settings.get("near_duplicate_threshold")
    current: str | None = None
    try:
        for item in read_inputs(paths):
            base = _file_of(item.origin)
            if current is not None and base != current and on_file:
                on_file(current)
            current = base
            if isinstance(item, Skipped):
                report.skipped.append((item.origin, item.reason))
                continue
            if isinstance(item, ReadFailure):
                report.failed.append((item.origin, item.reason))
                store.log_ingest(report.run_id, item.origin, "failed", reason=item.reason)
                continue
            _ingest_one(item, store, report, threshold)
    except KeyboardInterrupt:
        report.interrupted = True
    if current is not None and on_file:
        on_file(current)
    return report


def _prepare_limited(item: RawArticle):
    """``prepare(item)`` within the per-article time limit; ``ArticleError`` says why not."""
    seconds = settings.get("max_prepare_seconds")
    try:
        with time_limit(seconds):
            return prepare(item)
    except Overtime:
        raise ArticleError(f"cleaning took longer than {seconds:g} s (a pathological page); skipped "
                           "(set NEWSGRAPH_MAX_PREPARE_SECONDS to raise the limit)") from None
    except (ArticleError, KeyboardInterrupt):
        raise
    except RecursionError:
        raise ArticleError("nested too deeply to clean (a pathological page); skipped") from None
    except MemoryError:
        raise ArticleError("ran out of memory while cleaning; skipped "
                           "(lower NEWSGRAPH_MAX_ARTICLE_BYTES or give the process more memory)") from None
    except Exception as exc:  # noqa: BLE001 - one article must not stop the batch
        raise ArticleError(f"{INTERNAL_ERROR} while cleaning ({type(exc).__name__}: {str(exc)[:200]}); "
                           "skipped - please report this with the input file") from None


def _fail(item: RawArticle, store: Store, report: IngestReport, reason: str) -> None:
    report.failed.append((item.origin, reason))
    store.log_ingest(report.run_id, item.origin, "failed", reason=reason)


def _ingest_one(item: RawArticle, store: Store, report: IngestReport, threshold: float) -> None:
    report.read += 1
    doc_id = content_id(item.content)
    if store.has_document(doc_id):
        report.present.append(doc_id)
        store.log_ingest(report.run_id, item.origin, "present", doc_id)
        return
    try:
        doc = _prepare_limited(item)
    except ArticleError as exc:
        if item.fallback_text is None:
            _fail(item, store, report, str(exc))
            return
        # a JSON record whose html field holds no article, beside a text field that does
        item = dataclasses.replace(item, fmt="text", content=item.fallback_text, fallback_text=None,
                                   notes=item.notes + [f"the html field was not used ({exc}); read the text field"])
        if store.has_document(content_id(item.content)):
            report.present.append(content_id(item.content))
            store.log_ingest(report.run_id, item.origin, "present", content_id(item.content))
            return
        try:
            doc = _prepare_limited(item)
        except ArticleError as exc2:
            _fail(item, store, report, str(exc2))
            return
    keys = lsh_keys(doc.minhash)
    near = [
        (other, sim)
        for other, signature in store.lsh_candidates(keys).items()
        if other != doc.id and (sim := similarity(doc.minhash, signature)) >= threshold
    ]
    try:
        added = store.add_document(doc, near_duplicates=near, lsh_keys=keys)
    except StoreDataError as exc:
        _fail(item, store, report, f"not stored: {exc}")
        return
    if added:
        report.added.append(doc.id)
        report.near_duplicates += [(doc.id, other, sim) for other, sim in near]
        report.notes += [(item.origin, note) for note in doc.notes]
        store.log_ingest(report.run_id, item.origin, "added", doc.id)
    else:
        report.present.append(doc.id)
