"""Story clustering and event merging at scale: time and peak memory on synthetic corpora.

Synthetic documents (10 entity mentions each) report synthetic events: at 10k, 100k and 1M mentions
that is 1k, 10k and 100k documents, each with one event. Documents arrive in date order over three
years and go through the same code as the "stories" stage: ``StoryIndex.add`` (blocking by terms
and two-week buckets, scoring against candidate stories) and ``EventMerger.add`` (blocking by type,
month and country, or type and story). Each size runs in its own process so that its peak memory
(ru_maxrss) is its own. The 100k -> 1M time ratio should stay near 10 (linear), far from 100.

    .venv/bin/python bench/clustering_scale.py [--sizes 10000,100000,1000000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MENTIONS_PER_DOC = 10
DOCS_PER_STORY = 4
TYPES = ["arrest", "attack", "border_crossing", "travel", "deportation", "smuggling"]


def synthetic(documents: int, seed: int = 7):
    """Yield (StoryDoc, event) pairs in date order: ``documents`` documents about documents/4 stories."""
    from newsgraph.corpus.stories_cluster import StoryDoc

    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(20_000)]
    towns = [{"name": f"town{i}", "geonames_id": str(i), "lat": 30 + rng.random() * 10, "lon": 30 + rng.random() * 15,
              "country_code": rng.choice(["TR", "SY", "IQ"]), "precision": "town"} for i in range(500)]
    start = dt.date(2015, 1, 1)
    stories = []
    for s in range(max(1, documents // DOCS_PER_STORY)):
        day = start + dt.timedelta(days=int(1095 * s / max(1, documents // DOCS_PER_STORY)))
        stories.append({"words": rng.sample(vocabulary, 8), "entities": [f"ent-{rng.randrange(documents)}" for _ in range(3)],
                        "place": rng.choice(towns), "type": rng.choice(TYPES), "day": day, "count": rng.randrange(2, 60)})
    for n in range(documents):
        story = stories[min(len(stories) - 1, n // DOCS_PER_STORY)]
        date = story["day"] + dt.timedelta(days=rng.randrange(0, 3))
        terms = Counter(rng.sample(story["words"], 6) + rng.sample(vocabulary, 20))
        entities = Counter(story["entities"] * 3 + [f"ent-x{rng.randrange(documents)}"])
        event_date = {"start": story["day"].isoformat(), "end": story["day"].isoformat(), "precision": "day"}
        event = {"id": f"evt-{n}", "type": story["type"], "date": event_date, "place": story["place"],
                 "participants": [], "factuality": "reported", "money": [], "fatalities": None,
                 "count": {"low": story["count"], "best": story["count"], "high": story["count"] + rng.randrange(0, 2),
                           "unit": "person"},
                 "evidence": [{"document_id": f"doc-{n}", "source": f"outlet{n % 40}", "sentence": "", "start": 0, "end": 0}]}
        doc = StoryDoc(id=f"doc-{n}", date=date, terms=terms, entities=entities, types={story["type"]},
                       places=[story["place"]], main_event=event)
        yield doc, event


def run_size(mentions: int) -> dict:
    from newsgraph.corpus.events import EventMerger
    from newsgraph.corpus.stories_cluster import StoryIndex

    documents = mentions // MENTIONS_PER_DOC
    items = list(synthetic(documents))
    index, merger = StoryIndex(), EventMerger()
    started = time.perf_counter()
    for doc, event in items:
        story_id, _, _ = index.add(doc)
        merger.add(event, story_id)
    seconds = time.perf_counter() - started
    truth = Counter(n // DOCS_PER_STORY for n in range(documents))
    return {"mentions": mentions, "documents": documents, "events": documents, "seconds": round(seconds, 2),
            "stories": len(index.stories), "true_stories": len(truth), "merged_events": len(merger.clusters),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="mention counts, comma-separated")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_size(args.child)))
        return 0
    results = []
    print(f"{'mentions':>9} {'docs':>7} {'events':>7} {'seconds':>8} {'peak MB':>8} {'stories':>8} {'true':>7} {'merged ev':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--child", str(size)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        results.append(r)
        print(f"{r['mentions']:>9} {r['documents']:>7} {r['events']:>7} {r['seconds']:>8.2f} {r['peak_mb']:>8.1f} "
              f"{r['stories']:>8} {r['true_stories']:>7} {r['merged_events']:>9}", flush=True)
    for a, b in zip(results, results[1:]):
        print(f"time ratio {a['mentions']} -> {b['mentions']} mentions: {b['seconds'] / max(a['seconds'], 1e-9):.1f} "
              f"(x{b['mentions'] // a['mentions']} data)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
