"""Throughput of the per-document pipeline beside raw spaCy, in the same run.

On the FA-KES dev texts (real news, distinct texts, cleaned as ingest cleans them), prints:

* the extract stage's words per CPU-second (``runner.analyse_documents``: the model, our
  entity components and every newsgraph step, and the serializer) as a share of raw spaCy
  ``nlp.pipe`` with the same model on the same texts (words counted the same way on both
  sides: whitespace-separated words of the clean text);
* the wall-clock throughput of the pipeline on 2 worker processes (``runner.Stream``, as
  ``newsgraph build --workers 2``) as a multiple of 1 worker, and each worker's peak memory (the
  pool's start, each worker loading the model, is inside the clock: give enough documents);
* with ``--dask``, the same on a local Dask cluster (a ``dask scheduler`` and two ``dask worker``
  processes on 127.0.0.1, as ``newsgraph build --scheduler tcp://…``), as a multiple of 1 worker
  (the workers load the model once each, before the clock starts).

    .venv/bin/python bench/pipeline.py [--docs 200] [--runs 3] [--dask] [--shared ../shared]

Other programs on the machine change the speed of both from one second to the next, so each
run measures raw spaCy and newsgraph back to back, and the table shows the median of the runs.
"""
from __future__ import annotations

import argparse
import json
import resource
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import spacy

from newsgraph.cleaning.text import clean_text
from newsgraph.extraction.nlp import MODEL
from newsgraph.pipeline.runner import Stream, analyse_documents, load_pipeline

ROOT = Path(__file__).resolve().parents[1]


def corpus(shared: Path, limit: int) -> list[dict]:
    folder = shared / "eval" / "fakes_dev"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dev.jsonl"
        subprocess.run([sys.executable, str(folder / "fakes_to_jsonl.py"), str(folder / "fakes_dev.csv"), str(out)],
                       check=True, capture_output=True)
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    docs, seen = [], set()
    for i, row in enumerate(rows):
        if row["text"] in seen:
            continue
        seen.add(row["text"])
        cleaned = clean_text(row["text"], title=row.get("title"))
        published = {"value": cleaned.published.value, "precision": "day"} if cleaned.published else None
        docs.append({"id": f"doc{i}", "source": row.get("source"), "text": cleaned.text, "language": "en",
                     "published": published})
    return docs[:limit]


def words(docs: list[dict]) -> int:
    return sum(len(d["text"].split()) for d in docs)


def raw_spacy(nlp, docs: list[dict]) -> float:
    start = time.process_time()
    for _ in nlp.pipe((d["text"] for d in docs), batch_size=8):
        pass
    return words(docs) / (time.process_time() - start)


def ours(docs: list[dict]) -> float:
    start = time.process_time()
    for _ in analyse_documents(docs):
        pass
    return words(docs) / (time.process_time() - start)


def wall(docs: list[dict], workers: int, client=None) -> tuple[float, float]:
    start = time.perf_counter()
    stream = Stream(iter(docs), workers=workers, client=client)
    n = sum(1 for _ in stream)
    assert n == len(docs)
    return words(docs) / (time.perf_counter() - start), stream.peak_mb


@contextmanager
def local_cluster(workers: int = 2):
    """A real Dask scheduler and ``workers`` single-thread worker processes on 127.0.0.1."""
    from distributed import Client

    dask = str(Path(sys.executable).with_name("dask"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0", "--no-show"], **quiet)]
    try:
        procs += [subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                                    "--dashboard-address", ":0", "--name", f"w{i}"], **quiet) for i in range(workers)]
        client = Client(address, timeout=60)
        client.wait_for_workers(workers, timeout=120)
        try:
            yield client
        finally:
            client.close()
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            p.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="runs (median shown)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--dask", action="store_true", help="also measure a local 2-worker Dask cluster")
    args = parser.parse_args()
    docs = corpus(args.shared, args.docs)
    nlp = spacy.load(MODEL)
    load_pipeline()
    list(analyse_documents(docs[:3]))      # warm: model, gazetteer, tables
    print(f"{len(docs)} FA-KES dev documents, {words(docs):,} words; model {MODEL}")
    runs = []
    for _ in range(max(1, args.runs)):
        base = raw_spacy(nlp, docs)
        mine = ours(docs)
        runs.append((mine / base, base, mine))
    ratio, base, mine = sorted(runs)[len(runs) // 2]
    print(f"words per CPU-second: raw spaCy nlp.pipe {base:,.0f}, extract stage {mine:,.0f}: "
          f"ratio {ratio:.2f} (runs: {', '.join(f'{r[0]:.2f}' for r in runs)})")
    one, peak1 = wall(docs, 1)
    two, peak2 = wall(docs, 2)
    print(f"wall-clock words/s: 1 worker {one:,.0f}, 2 workers {two:,.0f}: {two / one:.2f} times")
    if args.dask:
        with local_cluster(2) as client:
            from newsgraph.pipeline.runner import _warm

            client.run(_warm)  # every worker loads the model and the gazetteer before the clock starts
            on_dask, _ = wall(docs, 2, client)
        print(f"wall-clock words/s on a local Dask cluster of 2 workers: {on_dask:,.0f}: {on_dask / one:.2f} times 1 worker")
    print(f"peak memory: 1 worker (this process) {peak1:,.0f} MB; each of 2 workers at most {peak2:,.0f} MB")
    print(f"peak memory of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
