#!/usr/bin/env python3
"""Gazetteer speed: build time (with --build) and lookups per second (cold and cached).

usage: .venv/bin/python bench/gazetteer.py [--build] [--path FILE] [--n 20000]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.geo import Gazetteer, build_gazetteer  # noqa: E402
from newsgraph.geo.normalize import name_key  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", action="store_true", help="also time a fresh build into a temp dir")
    ap.add_argument("--path", type=Path, default=None)
    ap.add_argument("--n", type=int, default=20000)
    args = ap.parse_args(argv)
    if args.build:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            build_gazetteer(Path(tmp) / "gazetteer.sqlite")
            print(f"build: {time.perf_counter() - t0:.1f} s")
    gaz = Gazetteer.open(args.path)
    meta = gaz.meta()
    print(f"gazetteer {gaz.path}: {meta['places']} places, {meta['names']} names")
    rng = random.Random(7)
    names = [r[0] for r in gaz._query("SELECT name FROM places WHERE pid % 7 = 0", ())]
    sample = [rng.choice(names) for _ in range(args.n)]
    keys = [name_key(n) for n in sample]
    t0 = time.perf_counter()
    found = sum(1 for k in keys if gaz._lookup(k))
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for n in sample:
        gaz.candidates(n)
    cached = time.perf_counter() - t0
    print(f"lookups (SQLite, uncached): {args.n / cold:,.0f}/s ({found} of {args.n} names found)")
    print(f"lookups (normalise + LRU cache, {len(set(keys))} distinct): {args.n / cached:,.0f}/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
