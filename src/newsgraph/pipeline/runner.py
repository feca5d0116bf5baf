"""Running the per-document pipeline: ``nlp.pipe`` in batches, on one or more processes.

``analyse_documents(documents)`` streams analyses in input order through one spaCy pipeline
(the model's components and ours, see ``pipeline.components``). A document whose analysis
raises comes out as a failure record (``{"failed": {"component", "reason"}, "notes"}``); the
others go on.

``analyse_stream(documents, workers)`` does the same on ``workers`` processes: documents go
out in chunks, at most a few chunks ahead, and come back in input order, so one writer
stores them in the same order as a one-process run would, and both store the same
knowledge base. A Dask ``distributed.Client`` can stand in for the process pool
(``submit`` / ``result`` are the same calls).
"""
from __future__ import annotations

import os
import resource
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache

from newsgraph import settings

CHUNK = 8          # documents per task sent to a worker (and per nlp.pipe batch)
AHEAD = 3          # chunks in flight per worker

# fields of a stored document that the analysis reads; nothing else is sent to a worker
FIELDS = ("id", "source", "text", "language", "published", "credited", "context_hint")


@cache
def load_pipeline():
    """The full per-document pipeline: the model, our entity components and our steps."""
    import spacy

    from newsgraph.extraction.nlp import MODEL, add_entity_components
    from newsgraph.pipeline.components import add_components, first_component

    nlp = spacy.load(MODEL)
    nlp.max_length = max(nlp.max_length, 2_000_000)
    add_entity_components(nlp)
    first_component(nlp)
    return add_components(nlp)


def _published(document: dict) -> date | None:
    value = (document.get("published") or {}).get("value")
    if not value:
        return None
    year, *rest = (int(p) for p in value.split("-"))
    return date(year, *(rest + [1] * (2 - len(rest))))


def _prepare(document: dict):
    """(text, DocMeta) for a document to analyse, or the finished analysis of one that is not."""
    from newsgraph.pipeline.components import DocMeta
    from newsgraph.pipeline.prepare import content_id

    text = document.get("text") or ""
    language = document.get("language")
    if language and language != "en":
        return {"notes": [f"language '{language}': not run through the English models"]}
    if not text.strip():
        return {"notes": ["no text to analyse"]}
    published = _published(document)
    notes = [] if published else ["no publication date: relative dates stay unresolved"]
    limit = settings.get("max_analysed_chars")
    if len(text) > limit:
        cut = text.rfind("\n\n", 0, limit)
        full = len(text)
        text = text[:cut if cut > 0 else limit]
        notes.append(f"article has {full:,} characters: only the first {len(text):,} were analysed "
                     "(set NEWSGRAPH_MAX_ANALYSED_CHARS to raise the limit)")
    hint = document.get("context_hint") or settings.get("geo_context") or None
    # a document analysed outside the store (no id yet) gets one from its text, as ingest would
    doc_id = document.get("id") or content_id(document.get("text") or "")
    meta = DocMeta(id=doc_id, source=document.get("source"), published=published,
                   precision=(document.get("published") or {}).get("precision") or "day",
                   credited=document.get("credited") or [], context_hint=hint, notes=notes)
    return text, meta


def failure(component: str, reason: str, notes: list[str] = ()) -> dict:
    return {"failed": {"component": component, "reason": reason},
            "notes": list(notes) + [f"analysis failed in {component}: {reason}"]}


def analyse_documents(documents: Iterable[dict], batch_size: int = CHUNK) -> Iterator[dict]:
    """One analysis per document, in input order (see the module docstring)."""
    from newsgraph.pipeline.extract import doc_to_records

    nlp = load_pipeline()
    queue: deque = deque()    # finished analyses (dict) and Docs still in the pipeline, in input order

    def docs():
        for document in documents:
            prepared = _prepare(document)
            if isinstance(prepared, dict):
                queue.append(prepared)
                continue
            text, meta = prepared
            try:
                doc = nlp.make_doc(text)
            except Exception as exc:  # noqa: BLE001 - a bad text fails its document only
                queue.append(failure("tokenizer", f"{type(exc).__name__}: {exc}", meta.notes))
                continue
            doc._.ng_meta = meta
            queue.append(doc)
            yield doc

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        while queue and queue[0] is not doc:
            yield _dropped(queue.popleft())
        queue.popleft()
        try:
            yield doc_to_records(doc)
        except Exception as exc:  # noqa: BLE001 - a record that fails its schema fails its document only
            yield failure("serializer", f"{type(exc).__name__}: {exc}", doc._.ng_meta.notes)
    while queue:
        yield _dropped(queue.popleft())


def _dropped(item) -> dict:
    """A finished analysis, or the failure of a Doc that a component raised on: spaCy leaves
    it out of the stream after the error handler has recorded why."""
    if isinstance(item, dict):
        return item
    failed = item._.ng_failed or {"component": "model", "reason": "dropped by a spaCy component"}
    return failure(failed["component"], failed["reason"], item._.ng_meta.notes)


def analyse_chunk(documents: list[dict]) -> tuple[list[dict], float]:
    """A worker's task: the analyses of a chunk of documents and the worker's peak memory (MB)."""
    out = list(analyse_documents(documents))
    return out, peak_memory_mb()


def peak_memory_mb() -> float:
    """This process's own peak resident memory (MB): VmHWM, which starts afresh in a new program,
    where ``ru_maxrss`` of a spawned worker starts at its parent's."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm() -> None:
    load_pipeline()
    from newsgraph.pipeline.geocoding import gazetteer

    gazetteer()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class Stream:
    """Analyses of ``documents`` in input order, on ``workers`` processes or a Dask client;
    ``peak_mb`` is the largest peak memory a worker reported (this process's when local)."""

    def __init__(self, documents: Iterable[dict], workers: int = 1, client=None):
        self.documents = documents
        self.workers = max(1, workers)
        self.client = client
        self.peak_mb = 0.0

    def __iter__(self) -> Iterator[dict]:
        if self.client is None and self.workers == 1:
            for analysis in analyse_documents(_slim(d) for d in self.documents):
                self.peak_mb = peak_memory_mb()
                yield analysis
            return
        yield from self._parallel()

    def _parallel(self) -> Iterator[dict]:
        pool = None
        if self.client is not None:
            submit = self.client.submit
            width = max(1, sum(self.client.nthreads().values())) * AHEAD
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            pool = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"), initializer=_warm)
            submit = pool.submit
            width = self.workers * AHEAD
        try:
            pending: deque = deque()
            chunk: list[dict] = []
            for document in self.documents:
                chunk.append(_slim(document))
                if len(chunk) == CHUNK:
                    pending.append((chunk, submit(analyse_chunk, chunk, pure=False) if self.client
                                    else submit(analyse_chunk, chunk)))
                    chunk = []
                    while len(pending) >= width:
                        yield from self._collect(pending.popleft())
            if chunk:
                pending.append((chunk, submit(analyse_chunk, chunk, pure=False) if self.client
                                else submit(analyse_chunk, chunk)))
            while pending:
                yield from self._collect(pending.popleft())
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _collect(self, item) -> Iterator[dict]:
        chunk, future = item
        try:
            analyses, peak = future.result()
        except Exception as exc:  # noqa: BLE001 - a lost worker fails its chunk only; a rebuild retries it
            reason = f"worker failed: {type(exc).__name__}: {exc}"
            analyses, peak = [failure("worker", reason) for _ in chunk], 0.0
        self.peak_mb = max(self.peak_mb, peak)
        yield from analyses


def _slim(document: dict) -> dict:
    return {k: document.get(k) for k in FIELDS}
