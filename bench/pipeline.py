"""Throughput of the per-document pipeline beside raw spaCy, in the same run.

Prints words/second of ``newsgraph.pipeline.extract.analyse`` and of raw spaCy
``nlp.pipe`` with the same model on the same texts, on 1 and 2 processes, their ratio,
and the peak memory (max RSS) of this process and its children.

    .venv/bin/python bench/pipeline.py [--words 60000] [--runs 3] [--shared ../shared]

Other programs on the machine change the speed of both from one second to the next, so each
run measures raw spaCy and newsgraph back to back, and the table shows the median of the runs.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time
from pathlib import Path

import spacy

from newsgraph.cleaning.text import clean_text
from newsgraph.extraction.nlp import MODEL
from newsgraph.pipeline.extract import analyse

ROOT = Path(__file__).resolve().parents[1]


def corpus(shared: Path, words: int) -> list[str]:
    files = sorted((ROOT / "examples" / "corpus").glob("*.txt"))
    seeds = shared / "corpus" / "seeds"
    if seeds.is_dir():
        files += sorted(seeds.glob("*.txt"))
    texts = [clean_text(f.read_text(encoding="utf-8")).text for f in files if "_tr" not in f.name]
    out, total = [], 0
    while total < words:
        for t in texts:
            out.append(t)
            total += len(t.split())
            if total >= words:
                break
    return out


def _analyse(text: str) -> int:
    analyse({"text": text, "language": "en", "published": {"value": "2017-10-03", "precision": "day"}})
    return len(text.split())


def ours(texts: list[str], processes: int) -> float:
    start = time.perf_counter()
    if processes == 1:
        words = sum(_analyse(t) for t in texts)
    else:
        with mp.get_context("fork").Pool(processes) as pool:
            words = sum(pool.map(_analyse, texts, chunksize=4))
    return words / (time.perf_counter() - start)


def raw_spacy(nlp, texts: list[str], processes: int) -> float:
    start = time.perf_counter()
    words = 0
    for doc in nlp.pipe(texts, n_process=processes, batch_size=16):
        words += sum(1 for t in doc if not t.is_space)
    return words / (time.perf_counter() - start)


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=60000)
    parser.add_argument("--runs", type=int, default=3, help="runs per process count (median shown)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    texts = corpus(args.shared, args.words)
    nlp = spacy.load(MODEL)
    analyse({"text": "Warm-up in Gaziantep on October 2, 2017.", "language": "en", "published": None})
    print(f"{len(texts)} documents, {sum(len(t.split()) for t in texts):,} words; model {MODEL}")
    print(f"{'processes':>9} {'raw spaCy w/s':>14} {'newsgraph w/s':>14} {'ratio':>6}")
    for processes in (1, 2):
        runs = []
        for _ in range(max(1, args.runs)):
            base = raw_spacy(nlp, texts, processes)
            mine = ours(texts, processes)
            runs.append((mine / base, base, mine))
        ratio, base, mine = sorted(runs)[len(runs) // 2]
        spread = f"  (runs: {', '.join(f'{r[0]:.2f}' for r in runs)})" if len(runs) > 1 else ""
        print(f"{processes:>9} {base:>14,.0f} {mine:>14,.0f} {ratio:>6.2f}{spread}")
    own, children = peak_mb()
    print(f"peak memory: {own:,.0f} MB in this process, {children:,.0f} MB in the largest child")


if __name__ == "__main__":
    main()
