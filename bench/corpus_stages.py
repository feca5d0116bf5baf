"""The corpus stages on SQLite and on PostgreSQL, on the same knowledge base, in one run.

Takes two knowledge bases built from the same articles (``newsgraph build`` into a SQLite file
and into a PostgreSQL database), then on each: forgets what the corpus stages took in
(``reset_done``) and reruns them from scratch, then adds ``--add`` more articles with a normal
build and times the corpus stages of that incremental build. Prints wall and CPU seconds per
stage on each backend and the PostgreSQL / SQLite ratio (the target: at most 1.2).

    .venv/bin/python bench/corpus_stages.py --sqlite KB.db --postgres postgresql://…/db [--add more.jsonl]

Both knowledge bases are changed (their corpus records are rebuilt): give copies.
"""
from __future__ import annotations

import argparse
import time

CORPUS_STAGES = ("entities", "stories", "claims", "search")


def run_stages(db: str) -> dict[str, tuple[float, float]]:
    from newsgraph.pipeline.stages import all_stages
    from newsgraph.store import open_store

    store = open_store(db)
    out = {}
    try:
        with store.writing():
            for stage in all_stages():
                if stage.name not in CORPUS_STAGES:
                    continue
                w, c = time.perf_counter(), time.process_time()
                stage.run(store, lambda *a: None)
                out[stage.name] = (time.perf_counter() - w, time.process_time() - c)
    finally:
        store.close()
    return out


def reset(db: str) -> None:
    from newsgraph.store import open_store

    store = open_store(db)
    try:
        for name in CORPUS_STAGES:
            store.reset_done(name)
        store.upsert_corpus_records("search_state", [], delete_ids=[r["id"] for r in store.iter_corpus_records("search_state")])
    finally:
        store.close()


def ingest_and_extract(db: str, path: str) -> None:
    from newsgraph.pipeline.ingest import ingest
    from newsgraph.pipeline.stages import all_stages
    from newsgraph.store import open_store

    store = open_store(db)
    try:
        ingest([path], store)
        with store.writing():
            next(s for s in all_stages() if s.name == "extract").run(store, lambda *a: None)
    finally:
        store.close()


def table(title: str, results: dict[str, dict]) -> None:
    print(title)
    print(f"{'stage':10} {'SQLite wall':>12} {'PG wall':>9} {'ratio':>6} {'SQLite CPU':>11} {'PG CPU':>8}")
    lite, pg = results["sqlite"], results["postgres"]
    for name in CORPUS_STAGES:
        (lw, lc), (pw, pc) = lite[name], pg[name]
        print(f"{name:10} {lw:12.2f} {pw:9.2f} {pw / max(lw, 1e-3):6.2f} {lc:11.2f} {pc:8.2f}")
    lw, pw = sum(v[0] for v in lite.values()), sum(v[0] for v in pg.values())
    print(f"{'all':10} {lw:12.2f} {pw:9.2f} {pw / max(lw, 1e-3):6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", required=True)
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--add", help="articles (a file) to add in an incremental build after the full rerun")
    args = parser.parse_args()
    full = {}
    for name, db in (("sqlite", args.sqlite), ("postgres", args.postgres)):
        reset(db)
        full[name] = run_stages(db)
    table("corpus stages from scratch (seconds)", full)
    if args.add:
        inc = {}
        for name, db in (("sqlite", args.sqlite), ("postgres", args.postgres)):
            ingest_and_extract(db, args.add)
            inc[name] = run_stages(db)
        table(f"corpus stages of an incremental build adding {args.add} (seconds)", inc)


if __name__ == "__main__":
    main()
