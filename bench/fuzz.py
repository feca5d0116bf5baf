"""Fuzz ``newsgraph ingest`` with our own generated bad and odd inputs.

    PYTHONPATH=src python bench/fuzz.py --inputs 2000 --seed 1
    PYTHONPATH=src python bench/fuzz.py --inputs 100000 --seed 7 --workdir /tmp/fuzz   # the long run

Prints inputs, crashes, hangs, bad exits and peak memory, then every crash and hang with
its case and file name (rerun one case with ``--seed`` and ``--inputs`` to reproduce it:
the inputs are a pure function of the seed). Exit code 1 when anything went wrong.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz.harness import run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds after which an input counts as a hang")
    parser.add_argument("--workdir", help="keep the database and inputs here (default: a temporary folder)")
    args = parser.parse_args()
    result = run(args.inputs, args.seed, args.timeout, args.workdir,
                 progress=lambda r: print(r.summary(), file=sys.stderr, flush=True))
    print(result.summary())
    print("seconds by case: " + ", ".join(f"{case} {s:.0f}" for case, s in result.seconds_by_case.most_common()))
    for case, name, what in result.crashes:
        print(f"crash {case} {name}: {what}")
    for case, name in result.hangs:
        print(f"hang {case} {name}")
    for case, name, what in result.bad_exits:
        print(f"bad exit {case} {name}: {what}")
    return 1 if result.crashes or result.hangs or result.bad_exits else 0


if __name__ == "__main__":
    sys.exit(main())
