"""Build generated corpora of growing size and print what each stage costs per article.

For each size N (``--sizes``, default 1000,10000,100000) a fresh subprocess generates N
distinct articles (bench/generate.py), builds them into a fresh SQLite knowledge base the way
``newsgraph build`` does (ingest, then every stage of ``all_stages()`` in order, under one
writer lock), and reports per stage:

* CPU seconds: ``time.process_time()`` of this process plus the user+sys time of its finished
  worker processes (``RUSAGE_CHILDREN``; the extract stage runs on ``--workers`` processes);
* CPU milliseconds per article, and wall seconds;
* peak memory: max RSS of the main process (``RUSAGE_SELF``) and of the largest worker
  (``RUSAGE_CHILDREN``); each size runs in its own process, so its peak is its own.

Between consecutive sizes it prints each stage's ratio of CPU time (the target of issue 14:
100,000 / 10,000 at most 11, i.e. near-linear).

``--incremental K`` (default 10; 0 to skip): after building size N, K new articles (another
range of the generator's seed, half about incidents already in the corpus, half about new ones)
are built into the N-article knowledge base, and the same K into an empty one; the ratio of each
stage's time says how far a stage is from "adding K articles costs the same whatever the size"
(target: near 1).

    nice -n 10 .venv/bin/python bench/scale.py --sizes 1000,10000 --incremental 10 --json scale.json
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def cpu_seconds() -> float:
    """CPU time of this process and of its finished (waited-for) child processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def peak_mb() -> dict:
    return {"main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


def say(label: str, text: str) -> None:
    print(f"[{label}] {text}", file=sys.stderr, flush=True)


def build(paths: list[str], db: str, label: str) -> dict:
    """Ingest ``paths`` into the knowledge base at ``db`` and run every stage, as ``newsgraph
    build`` does; the CPU and wall seconds of each stage, its summary, and the counts after."""
    from newsgraph.pipeline.ingest import ingest
    from newsgraph.pipeline.stages import all_stages
    from newsgraph.store import open_store

    store = open_store(db)
    stages: dict[str, dict] = {}
    try:
        with store.writing():
            c0, w0 = cpu_seconds(), time.perf_counter()
            report = ingest(paths, store)
            stages["ingest"] = {"cpu": cpu_seconds() - c0, "wall": time.perf_counter() - w0,
                                "summary": f"read {report.read}, added {len(report.added)}, "
                                           f"{len(report.near_duplicates)} near-duplicate links, "
                                           f"{len(report.failed)} failed", "peak_mb": peak_mb()}
            say(label, f"ingest: {stages['ingest']['cpu']:.1f} s CPU, {stages['ingest']['wall']:.1f} s wall; "
                       f"{stages['ingest']['summary']}")
            for stage in all_stages():
                c0, w0 = cpu_seconds(), time.perf_counter()
                summary = stage.run(store, lambda _name: None)
                stages[stage.name] = {"cpu": cpu_seconds() - c0, "wall": time.perf_counter() - w0,
                                      "summary": summary, "peak_mb": peak_mb()}
                say(label, f"{stage.name}: {stages[stage.name]['cpu']:.1f} s CPU, "
                           f"{stages[stage.name]['wall']:.1f} s wall; {summary}")
        stats = store.stats()
    finally:
        store.close()
    return {"stages": stages, "added": len(report.added), "near_duplicates": len(report.near_duplicates),
            "read": report.read, "stats": stats}


def run_one(n: int, seed: int, workers: int, incremental: int, tmp: Path) -> dict:
    """One size, in this (fresh) process."""
    from generate import generate, pool_size, write

    from newsgraph import settings

    label = f"{n:,}"
    started = time.perf_counter()
    corpus = tmp / f"corpus-{n}.jsonl"
    t0 = time.perf_counter()
    write(generate(n, seed), corpus)
    say(label, f"generated {n:,} articles in {time.perf_counter() - t0:.1f} s")
    result = {"n": n, "seed": seed, "workers": workers, "generate_seconds": round(time.perf_counter() - t0, 1)}
    with settings.override(workers=workers):
        result.update(build([str(corpus)], str(tmp / f"kb-{n}.db"), label))
        result["peak_mb"] = peak_mb()
        result["build_seconds"] = round(time.perf_counter() - started - result["generate_seconds"], 1)
        if incremental:
            extra = tmp / f"extra-{n}.jsonl"
            # articles numbered after the corpus, half about incidents of its pool, half about new ones
            write(generate(incremental, seed, start=n, pool=pool_size(n), fresh=0.5), extra)
            into_full = build([str(extra)], str(tmp / f"kb-{n}.db"), f"{label} +{incremental}")
            into_empty = build([str(extra)], str(tmp / f"kb-empty-{n}.db"), f"empty +{incremental}")
            result["incremental"] = {"k": incremental, "into_full": into_full, "into_empty": into_empty}
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    return result


def child(n: int, args, tmp: Path) -> dict:
    """Run one size in a fresh interpreter, so that its peak memory is its own."""
    out = tmp / f"result-{n}.json"
    cmd = [sys.executable, __file__, "--one", str(n), "--seed", str(args.seed), "--workers", str(args.workers),
           "--incremental", str(args.incremental), "--tmp", str(tmp), "--result", str(out)]
    subprocess.run(cmd, check=True)
    return json.loads(out.read_text())


def _ratio(a: float, b: float, sizes: float) -> str:
    """b / a, marked '!' when it exceeds 1.1 times the ratio of the sizes (worse than linear)."""
    if a <= 0.05:
        return "-"
    return f"{b / a:.2f}" + ("!" if b / a > 1.1 * sizes else " ")


def table(results: list[dict]) -> str:
    names = list(results[0]["stages"])
    lines = []
    head = f"{'stage':<10}" + "".join(f"{'CPU s @' + format(r['n'], ','):>17}{'ms/art':>9}{'wall s':>9}"
                                      for r in results)
    head += "".join(f"{'ratio ' + format(b['n'] // a['n']) + 'x':>11}" for a, b in zip(results, results[1:]))
    lines.append(head)
    for name in names + ["total"]:
        row = f"{name:<10}"
        cpus = []
        for r in results:
            st = r["stages"]
            cpu = sum(s["cpu"] for s in st.values()) if name == "total" else st.get(name, {}).get("cpu", 0.0)
            wall = sum(s["wall"] for s in st.values()) if name == "total" else st.get(name, {}).get("wall", 0.0)
            cpus.append(cpu)
            row += f"{cpu:>17.1f}{1000 * cpu / r['n']:>9.1f}{wall:>9.1f}"
        row += "".join(f"{_ratio(a, b, rb['n'] / ra['n']):>11}"
                       for a, b, ra, rb in zip(cpus, cpus[1:], results, results[1:]))
        lines.append(row)
    if len(results) > 1:
        lines.append("(ratio: CPU time of a stage at one size over the size before; '!' marks more than 1.1 times "
                     "the ratio of the sizes)")
    lines.append("")
    for r in results:
        s = r["stats"]
        lines.append(f"{r['n']:>9,} articles: {r['added']:,} stored as distinct documents "
                     f"({r['near_duplicates']} near-duplicate links); {s.get('corpus:story', 0):,} stories, "
                     f"{s.get('corpus:event', 0):,} merged events, {s.get('corpus:claim_cluster', 0):,} claim clusters, "
                     f"{s.get('entities', 0):,} entities; peak memory main {r['peak_mb']['main']:,.0f} MB, "
                     f"largest worker {r['peak_mb']['worker']:,.0f} MB; build {r['build_seconds']:,.0f} s wall "
                     f"({r['total_seconds']:,.0f} s with generation and the incremental runs)")
    for r in results:
        inc = r.get("incremental")
        if not inc:
            continue
        lines.append("")
        lines.append(f"incremental: {inc['k']} new articles into the {r['n']:,}-article knowledge base vs into an empty one")
        lines.append(f"{'stage':<10}{'into ' + format(r['n'], ',') + ' (CPU s)':>24}{'into empty (CPU s)':>20}{'ratio':>8}"
                     f"{'wall ratio':>12}")
        full, empty = inc["into_full"]["stages"], inc["into_empty"]["stages"]
        for name in full:
            a, b = full[name], empty.get(name, {"cpu": 0.0, "wall": 0.0})
            lines.append(f"{name:<10}{a['cpu']:>24.2f}{b['cpu']:>20.2f}"
                         f"{(a['cpu'] / b['cpu'] if b['cpu'] > 0.005 else float('nan')):>8.2f}"
                         f"{(a['wall'] / b['wall'] if b['wall'] > 0.005 else float('nan')):>12.2f}")
        corpus = [n for n in full if n not in ("ingest", "extract")]
        a = sum(full[n]["cpu"] for n in corpus)
        b = sum(empty.get(n, {"cpu": 0})["cpu"] for n in corpus)
        lines.append(f"{'corpus':<10}{a:>24.2f}{b:>20.2f}{(a / b if b else float('nan')):>8.2f}"
                     f"   (the stages after extract)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated corpus sizes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2, help="processes for the extract stage")
    ap.add_argument("--incremental", type=int, default=10, help="articles added after each size (0: skip)")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--keep", type=Path, help="keep the corpora and knowledge bases in this folder")
    ap.add_argument("--table", type=Path, help="only print the table of a file written by --json")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.table:
        print(table(json.loads(args.table.read_text())["results"]))
        return
    if args.one:
        result = run_one(args.one, args.seed, args.workers, args.incremental, args.tmp)
        args.result.write_text(json.dumps(result, indent=1))
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = []
    with tempfile.TemporaryDirectory(prefix="newsgraph-scale-") as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            results.append(child(n, args, tmp))
            print(f"\n== after {n:,} articles ==\n" + table(results), flush=True)
            if args.json:  # after each size, so a long run keeps what it measured
                args.json.write_text(json.dumps({"measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                                 "machine": f"{os.cpu_count()} cores",
                                                 "command": " ".join(["bench/scale.py"] + (argv or sys.argv[1:])),
                                                 "results": results}, indent=1))


if __name__ == "__main__":
    main()
