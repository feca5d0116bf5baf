"""Entity resolution at scale: synthetic mentions (typos, diacritics, particles, short forms,
alias ids, GeoNames ids) of 10k, 100k and 1M mentions; time and peak memory per size.

    .venv/bin/python bench/resolution_scale.py [--sizes 10000,100000,1000000] [--seed 7]

Each size runs in a fresh process (peak memory is that process's max RSS, generation of the
synthetic mentions included); the time is the resolution alone (units, blocking index,
matching, entity records), as wall-clock and as this process's CPU time (steadier on a shared
machine). The 100k -> 1M time ratio should stay near 10 (no all-pairs).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SYLLABLES = ["ka", "ra", "mo", "ha", "di", "lo", "ne", "sa", "tu", "ba", "zi", "ye", "qa", "fa", "ri", "ko",
             "ma", "al", "ib", "ud", "er", "os", "an", "el", "in", "ya", "şe", "ğu", "çi", "öz", "ım"]
GIVEN = ["Mohammed", "Ahmed", "Khalid", "Omar", "Yusuf", "Ali", "Hassan", "Ibrahim", "Mustafa", "Abdullah",
         "Kemal", "Ayşe", "Fatma", "Serhat", "Dilovan", "Rezan", "Hevin", "Aylin", "Emre", "Murat",
         "Ivan", "Olga", "Anna", "John", "Maria", "Pierre", "Karim", "Samir", "Leila", "Nadia"]
GROUPS = [(f"group_{i}", [f"Front {i}", f"F{i}L", f"Brigade of {i}"]) for i in range(40)]
NATIONALITIES = ["Syrian", "Turkish", "Iraqi", "Belgian", "French", "Russian", "Tunisian", "German"]
FOLD = str.maketrans("şğçöıü", "sgcoiu")


def surname(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return ("el-" if rng.random() < 0.1 else "") + word.capitalize()


def typo(rng: random.Random, name: str) -> str:
    i = rng.randrange(1, len(name) - 1)
    op = rng.random()
    if op < 0.4:
        return name[:i] + name[i + 1:]
    if op < 0.7:
        return name[:i] + name[i] + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2:] if i + 2 <= len(name) else name


def variant(rng: random.Random, first: str, last: str) -> str:
    r = rng.random()
    if r < 0.55:
        return f"{first} {last}"
    if r < 0.65:
        return f"{first} {last}".translate(FOLD)
    if r < 0.72:
        return f"{first} {last.replace('el-', 'El ')}"
    if r < 0.82:
        return typo(rng, f"{first} {last}")
    return last.replace("el-", "")


def mentions(n: int, seed: int = 7):
    """n synthetic mention dicts, 25 to a document, as the store's iter_mentions yields them."""
    rng = random.Random(seed)
    people = [(rng.choice(GIVEN), surname(rng), rng.choice(NATIONALITIES)) for _ in range(max(50, n // 40))]
    places = [(str(100000 + i), "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize())
              for _ in range(1) for i in range(max(20, n // 200))]
    out = []
    for i in range(n):
        doc = f"doc{i // 25:07d}"
        r = rng.random()
        m = {"mention_id": i + 1, "document_id": doc, "attributes": {}, "alias_id": None, "place": None}
        if r < 0.6:
            first, last, nat = people[min(int(rng.paretovariate(1.2)) - 1, len(people) - 1) if rng.random() < 0.3
                                      else rng.randrange(len(people))]
            text = variant(rng, first, last)
            m.update(text=text, canonical=text, label="PERSON")
            if rng.random() < 0.1:
                m["attributes"] = {"nationality": nat}
        elif r < 0.75:
            gid, names = rng.choice(GROUPS)
            text = rng.choice(names)
            m.update(text=text, canonical=names[0], alias_id=gid, label=rng.choice(["GROUP", "GROUP", "ORG"]))
        else:
            gid, name = rng.choice(places)
            resolved = rng.random() < 0.8
            m.update(text=name, canonical=name, label="PLACE")
            if resolved:
                m["place"] = {"resolved": True, "name": name, "geonames_id": gid, "lat": 0.0, "lon": 0.0,
                              "country_code": "SY", "admin1": "", "feature": "town", "precision": "town"}
        out.append(m)
    return out


def one(size: int, seed: int) -> dict:
    from newsgraph.corpus.entities import resolve

    data = mentions(size, seed)
    start, cpu = time.perf_counter(), time.process_time()
    records, links, resolver = resolve(data)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"size": size, "seconds": round(seconds, 2), "cpu": round(cpu, 2), "peak_mb": round(peak, 1), "entities": len(records),
            "linked": len(links), "cross_document": resolver.cross_document, "kept_apart": resolver.kept_apart}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.seed)))
        return
    results = {}
    print(f"{'mentions':>10} {'seconds':>8} {'cpu s':>8} {'peak MB':>8} {'entities':>9} {'x-doc merges':>12} {'kept apart':>10}")
    for size in (int(s) for s in args.sizes.split(",")):
        proc = subprocess.run([sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)],
                              capture_output=True, text=True, check=True)
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results[size] = r
        print(f"{size:>10,} {r['seconds']:>8} {r['cpu']:>8} {r['peak_mb']:>8} {r['entities']:>9,} {r['cross_document']:>12,} "
              f"{r['kept_apart']:>10,}", flush=True)
    if 100_000 in results and 1_000_000 in results:
        big, small = results[1_000_000], results[100_000]
        print(f"time ratio 100k -> 1M: {big['seconds'] / small['seconds']:.1f} wall, {big['cpu'] / small['cpu']:.1f} cpu "
              "(linear = 10)")


if __name__ == "__main__":
    main()
