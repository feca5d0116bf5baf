"""p50/p95 latency of the main JSON endpoints of `newsgraph serve`.

Runs a real uvicorn server in a thread and times requests with httpx, on
  * the demo knowledge base (built from examples/corpus unless --demo-db is given), and
  * a synthetic knowledge base of --events merged events (default 100,000) with documents, sources,
    entities, stories and claim clusters in proportion, written straight through the store and
    indexed for search by the search stage.

    .venv/bin/python bench/api_latency.py [--events 100000] [--requests 40] [--skip-demo]
"""
from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPES = ["arrest", "border_crossing", "travel", "attack", "killing", "deportation", "smuggling", "financing"]
PLACES = [("Gaziantep", 37.05944, 37.3825, "TR"), ("Istanbul", 41.01384, 28.94966, "TR"),
          ("Idlib", 35.93062, 36.63393, "SY"), ("Ar Raqqah", 35.95283, 39.00788, "SY"),
          ("Al Hasakah", 36.50237, 40.74772, "SY"), ("Antalya", 36.90812, 30.69556, "TR"),
          ("Mosul", 36.335, 43.11889, "IQ"), ("Brussels", 50.85045, 4.34878, "BE")]
WORDS = ("police detained suspects border smugglers convoy checkpoint fighters officials said raid village "
         "families crossing night statement court prosecutors network money transfer").split()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(db: str):
    import uvicorn

    from newsgraph.web.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(db, None), host="127.0.0.1", port=free_port(),
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{server.config.port}"


def sentence(rng: random.Random, place: str) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + f" in {place}."


def synthetic(db: str, n_events: int, seed: int = 7) -> dict:
    """Write a synthetic knowledge base of ``n_events`` merged events into ``db``; returns timings."""
    from newsgraph.corpus import search_index
    from newsgraph.store import open_store
    from newsgraph.store.sql import now

    rng = random.Random(seed)
    t0 = time.perf_counter()
    store = open_store(db)
    n_docs, n_sources = max(50, n_events // 20), 40
    n_entities, n_stories, n_clusters = max(20, n_events // 20), max(5, n_events // 100), max(10, n_events // 10)
    sources = [{"id": f"outlet-{i}", "name": f"Outlet {i}", "created_at": now()} for i in range(n_sources)]
    docs = []
    for i in range(n_docs):
        place = rng.choice(PLACES)[0]
        text = "\n\n".join(sentence(rng, place) for _ in range(8))
        docs.append({"id": f"doc{i:07d}", "url": f"https://example.org/{i}", "source_id": f"outlet-{i % n_sources}",
                     "title": f"Report {i} from {place}", "author": None,
                     "published": f"20{15 + i % 8}-0{1 + i % 9}-1{i % 10}",
                     "published_precision": "day", "language": "en", "input_format": "text", "raw": text,
                     "source_text": text, "clean_text": text, "offset_map": "[]", "comments": "[]", "credited": "[]",
                     "notes": "[]", "minhash": "[]", "origin": f"synthetic/{i}", "ingested_at": now()})
    with store.engine.begin() as conn:
        conn.execute(store.t["sources"].insert(), sources)
        for chunk in range(0, len(docs), 2000):
            conn.execute(store.t["documents"].insert(), docs[chunk:chunk + 2000])
    entities = [{"id": f"ent-{i:07d}", "type": "PERSON" if i % 3 else "GROUP", "name": f"Person {i}",
                 "aliases": [f"Person {i}", f"P. {i}"], "attributes": {}, "mention_count": 1 + i % 7,
                 "documents": [f"doc{(i * 7) % n_docs:07d}"], "alias_id": None, "local_ids": [f"ent-{i:07d}"],
                 "merge": None} for i in range(n_entities)]
    store.replace_entities(entities, {})
    events = []
    for i in range(n_events):
        name, lat, lon, cc = rng.choice(PLACES)
        day = f"20{15 + rng.randrange(8)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
        doc = f"doc{rng.randrange(n_docs):07d}"
        who = rng.randrange(n_entities)
        events.append({
            "id": f"event-{i:08d}", "type": rng.choice(TYPES), "date": {"start": day, "end": day, "precision": "day"},
            "place": {"name": name, "geonames_id": str(1000 + PLACES.index((name, lat, lon, cc))),
                      "lat": lat + rng.uniform(-0.3, 0.3), "lon": lon + rng.uniform(-0.3, 0.3), "country_code": cc,
                      "feature": "town", "precision": "town"},
            "participants": [{"role": "agent", "name": f"Person {who}", "entity_id": f"ent-{who:07d}"}],
            "count": {"low": 3, "best": 3, "high": 5, "sources": {"low": [], "best": [], "high": []}},
            "fatalities": None, "money": [], "factuality": "asserted", "members": [f"evt-{i:08d}"],
            "documents": [doc], "sources": [f"Outlet {int(doc[3:]) % n_sources}"],
            "evidence": [{"document_id": doc, "source": None, "sentence": sentence(rng, name), "start": 0, "end": 60}],
            "story_id": f"story-{i % n_stories:06d}", "merge": {"reasons": []}})
    store.replace_corpus_records("event", events)
    stories = [{"id": f"story-{i:06d}", "title": f"Story {i}", "summary": f"Synthetic story {i}.",
                "documents": [f"doc{(i * 3) % n_docs:07d}"],
                "events": [f"event-{j:08d}" for j in range(i, n_events, n_stories)][:50],
                "start": "2017-01-01", "end": "2017-12-31", "precision": "year", "place": None, "types": ["arrest"],
                "entities": [], "size": 1 + i % 9} for i in range(n_stories)]
    store.replace_corpus_records("story", stories)
    clusters = []
    for i in range(n_clusters):
        doc = f"doc{rng.randrange(n_docs):07d}"
        ev = {"claim_id": f"clm-{i:08d}", "document_id": doc, "source": f"Outlet {i % n_sources}",
              "sentence": sentence(rng, "Idlib"), "start": 0, "end": 40}
        clusters.append({"id": f"clu-{i:08d}", "text": f"claim {i}", "subject": "police", "predicate": "detain",
                         "object": None, "claims": [ev["claim_id"]], "documents": [doc], "supporting": [ev],
                         "contradicting": [dict(ev, reason="count differs")] if i % 10 == 0 else [], "related": [],
                         "origins": [{"name": f"Outlet {i % n_sources}", "kind": "outlet", "interested": False,
                                      "chain": [f"Outlet {i % n_sources}"], "documents": [doc]}],
                         "independent_origins": 1, "article_count": 1 + i % 4,
                         "credibility": {"grade": 3, "label": "Possibly true", "explanation": "synthetic",
                                         "override": None},
                         "story_id": None})
    store.replace_corpus_records("claim_cluster", clusters)
    t1 = time.perf_counter()
    search_index.run(store, lambda name="": None)
    t2 = time.perf_counter()
    store.close()
    return {"write_s": round(t1 - t0, 1), "index_s": round(t2 - t1, 1), "documents": n_docs, "entities": n_entities,
            "stories": n_stories, "claim_clusters": n_clusters}


def measure(base: str, paths: list[str], requests: int) -> dict:
    import httpx

    out = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for path in paths:
            times = []
            for _ in range(requests):
                t = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {r.status_code} {r.text[:200]}")
            times.sort()
            out[path] = {"p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
                         "bytes": len(r.content)}
    return out


def paths_for(base: str) -> list[str]:
    import httpx

    with httpx.Client(base_url=base, timeout=120) as client:
        event = client.get("/events.json?limit=1&offset=7").json()["items"][0]["id"]
        claims = client.get("/claims.json?limit=1").json()["items"]
        entity = client.get("/entities.json?limit=1").json()["items"][0]["id"]
        doc = client.get("/documents.json?limit=1").json()["items"][0]["id"]
        source = client.get("/sources.json").json()["items"][0]["id"]
    paths = ["/index.json", "/events.json?limit=100&offset=50", f"/events/{event}.json", f"/entities/{entity}.json",
             f"/documents/{doc}.json", f"/sources/{source}.json", "/search.json?q=Gaziantep%20police"]
    if claims:
        paths.insert(3, f"/claims/{claims[0]['id']}.json")
    return paths


def run(db: str, requests: int) -> dict:
    import httpx

    server, thread, base = start(db)
    try:
        t = time.perf_counter()
        httpx.get(base + "/index.json", timeout=300).raise_for_status()
        first = {"first /index.json (builds the snapshot)": {"ms": round((time.perf_counter() - t) * 1000, 1)}}
        return first | measure(base, paths_for(base), requests)
    finally:
        server.should_exit = True
        thread.join(10)


def show(title: str, results: dict) -> None:
    print(f"\n{title}")
    print(f"{'endpoint':48} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9}")
    for path, r in results.items():
        if "ms" in r:
            print(f"{path:48} {r['ms']:>8}")
        else:
            print(f"{path:48} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['bytes']:>9}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="merged events in the synthetic knowledge base")
    parser.add_argument("--requests", type=int, default=40, help="requests per endpoint")
    parser.add_argument("--demo-db", help="an already built demo knowledge base (default: build one)")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    figures = {}
    with tempfile.TemporaryDirectory(prefix="ng-bench-") as tmp:
        if not args.skip_demo:
            db = args.demo_db
            if not db:
                sys.path.insert(0, str(ROOT / "tests"))
                from conftest import build_knowledge_base

                db = build_knowledge_base(str(Path(tmp) / "demo.db"), [str(ROOT / "examples" / "corpus")])
            figures["demo"] = run(db, args.requests)
            show("demo knowledge base", figures["demo"])
        if args.events > 0:
            db = str(Path(tmp) / "synthetic.db")
            t = time.perf_counter()
            built = synthetic(db, args.events)
            built["total_s"] = round(time.perf_counter() - t, 1)
            print(f"\nsynthetic knowledge base: {args.events:,} events, {built}")
            figures["synthetic"] = run(db, args.requests)
            figures["synthetic_build"] = built
            show(f"synthetic knowledge base ({args.events:,} events)", figures["synthetic"])
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
