"""Claim clustering at scale: time and peak memory for 10k, 100k and 1M synthetic claims.

Synthetic claims (a subject, a predicate of 12, an object, four content words of a 50k vocabulary,
a place of 2,000 and a day over three years; one in three about an incident with a merged event
shared by about four claims) go through the same code as the "claims" stage, in runs of 10,000
claims each against a real SQLite knowledge base, as incremental builds do: each run reads from the
store only the blocks, candidate claims, cluster members and word frequencies its claims touch
(``_Run``), ``_assign`` compares each claim with its candidates (blocking keys, blocks no larger
than ``max_block``, the latest ``block_recent`` of each), and ``save`` writes what changed. Each
size runs in its own process, so its peak memory (ru_maxrss) is its own. Flat cost per claim: the
100k -> 1M CPU ratio near 10 and the last run of 10,000 claims costing about the same at every size.

    .venv/bin/python bench/claims_scale.py [--sizes 10000,100000,1000000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PREDICATES = ["detain", "kill", "cross", "leave", "travel", "pay", "deport", "gather", "smuggle", "fall", "strike",
              "report"]


def synthetic(n: int, seed: int = 7):
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(50_000)]
    start = dt.date(2015, 1, 1)
    for i in range(n):
        day = (start + dt.timedelta(days=rng.randrange(3 * 365))).isoformat()
        pred = rng.choice(PREDICATES)
        text = " ".join(rng.choice(words) for _ in range(4))
        claim = {"id": f"clm-{i}", "text": f"subject{rng.randrange(5000)} {pred} {text}",
                 "subject": {"text": f"subject{rng.randrange(5000)}", "canonical": None},
                 "object": {"text": rng.choice(words), "canonical": None}, "predicate": pred,
                 "slots": {"place": {"text": f"town{rng.randrange(2000)}", "canonical": None},
                           "time": {"start_date": day, "end_date": day, "precision": "day", "value": day}},
                 "evidence": [{"document_id": f"doc-{i // 8}", "sentence": text, "start": 0, "end": len(text)}]}
        merged = f"event-{rng.randrange(max(n // 12, 1))}" if i % 3 == 0 else None
        event = {"id": f"evt-{i}", "type": "killing", "date": {"start": day, "end": day, "precision": "day"}} \
            if merged else None
        yield claim, event, merged


def run_one(n: int, batch_size: int = 10_000) -> dict:
    from newsgraph.corpus.claims import _assign, _Run, save
    from newsgraph.corpus.claims_match import features
    from newsgraph.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "bench.db"))
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            batches, last = 0, 0.0
            generated = synthetic(n)
            while True:
                batch = []
                for claim, event, merged in generated:
                    f = features(claim, event, claim["evidence"][0]["document_id"], "Bench Wire", merged)
                    f["copies"] = []
                    batch.append(f)
                    if len(batch) == batch_size:
                        break
                if not batch:
                    break
                b0 = time.process_time()
                r = _Run(store, fresh=batches == 0)  # each batch a run of its own, as incremental builds
                r.count(batch)
                touched = _assign(r, batch)
                with store.atomic():
                    save(r, touched)
                last = time.process_time() - b0
                batches += 1
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            clusters = store.count_corpus_records("claim_members")
        finally:
            store.close()
    return {"claims": n, "clusters": clusters, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "last_batch_cpu_seconds": round(last, 2), "batches": batches,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    for a, b in zip(results, results[1:]):
        print(f"{a['claims']:,} -> {b['claims']:,} claims (x{b['claims'] / a['claims']:.0f}): CPU time ratio "
              f"{b['cpu_seconds'] / a['cpu_seconds']:.1f}; CPU of the last batch of 10,000 "
              f"{a['last_batch_cpu_seconds']:.1f} s -> {b['last_batch_cpu_seconds']:.1f} s")


if __name__ == "__main__":
    main()
