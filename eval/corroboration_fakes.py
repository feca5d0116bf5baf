"""Corroboration figures of a FA-KES knowledge base against its gold incidents (issue 12).

usage: python eval/corroboration_fakes.py FAKES_CSV KB [--samples N] [--json OUT]

FAKES_CSV is the dev half's fakes_dev.csv (../shared/eval/fakes_dev/), KB the knowledge base
built from fakes_to_jsonl.py's output. Gold identity: two articles report one incident when
their gold cause and governorate are equal and their gold dates at most one day apart. Printed:

* claim clusters across documents about incidents (an event type or an incident predicate):
  how many hold articles of different gold incidents (target at most 5%); also over the clusters
  whose supporting claims all tell their article's main incident (the gold annotates only that
  one: a background sentence repeated by articles about other incidents counts as "mixed");
* gold same-incident pairs of different outlets that share a merged violent event (target at
  least 70%) and merged-event purity (share of a multi-document merged event's articles that
  report its majority incident, averaged over articles; target at least 0.9), over every violent
  merged event and over those that hold the articles' main events (an article also tells older
  incidents: those are not its gold incident, so the first figure understates purity);
* of joined pairs whose gold totals differ: how many show the range (low < high) and a flagged
  contradiction (target at least 80%);
* the longest story in days of gold dates (target at most 31);
* clusters graded 1 whose supporting evidence comes from one article or one origin (target 0).

``--samples N`` prints N cross-document incident clusters and N merged events to read.
"""
from __future__ import annotations

import collections
import datetime as dt
import importlib.util
import json
import random
import sys
from pathlib import Path

from newsgraph.corpus.claims_match import predicate_class
from newsgraph.store import open_store

VIOLENT = ("killing", "attack")
INCIDENT_CLASSES = {"kill", "attack", "arrest", "strike", "bomb", "detain", "die", "wound", "injure", "shell"}


def load_gold(csv_path: str) -> list[dict]:
    here = Path(csv_path).resolve().parent
    spec = importlib.util.spec_from_file_location("score_fakes", here / "score_fakes.py")
    mod = importlib.util.module_from_spec(spec)
    sys.argv, argv = [str(here / "score_fakes.py")], sys.argv  # the module reads nothing at import
    spec.loader.exec_module(mod)
    sys.argv = argv
    return mod.load_gold(csv_path)


def same_incident(a: dict, b: dict) -> bool:
    return a["cause"] == b["cause"] and a["location"] == b["location"] and abs(
        (dt.date.fromisoformat(a["date"]) - dt.date.fromisoformat(b["date"])).days) <= 1


def grade1_violations(store) -> list[dict]:
    """Clusters graded 1 whose supporting evidence comes from one article or from one origin name."""
    bad = []
    for c in store.iter_corpus_records("claim_cluster"):
        if (c.get("credibility") or {}).get("grade") != 1:
            continue
        docs = {e["document_id"] for e in c.get("supporting") or []}
        names = {o["name"] for o in c.get("origins") or [] if o.get("side") == "supporting"}
        if len(docs) < 2 or len(names) < 2:
            bad.append({"id": c["id"], "text": c["text"], "documents": len(docs), "origins": sorted(names)})
    return bad


def figures(csv_path: str, db: str, samples: int = 0, seed: int = 7) -> dict:
    gold = load_gold(csv_path)
    store = open_store(db)
    try:
        docs = {d["id"]: d for d in store.iter_documents()}
        by_url = {d.get("url"): i for i, d in docs.items()}
        rep: dict[str, dict] = {}
        for g in gold:
            d = by_url.get(g["url"])
            if d and d not in rep:
                rep[d] = g
        events = list(store.iter_corpus_records("event"))
        stories = list(store.iter_corpus_records("story"))
        clusters = list(store.iter_corpus_records("claim_cluster"))
        per_doc_types = {e["id"]: e.get("type") for e in store.iter_records("events")}
        out: dict = {}

        per_doc = collections.defaultdict(list)
        for e in store.iter_records("events"):
            per_doc[e["evidence"][0]["document_id"]].append(e)
        main_of = {}  # the article's main violent event (its first killing, else first attack), as score_fakes
        for d, evs in per_doc.items():
            kills = [e for e in evs if e["type"] == "killing"] or [e for e in evs if e["type"] in VIOLENT]
            if kills:
                main_of[d] = kills[0]["id"]

        event_of_claim = {f["id"]: f.get("event_id") for f in store.iter_corpus_records("claim_feature")}

        # claim clusters about incidents
        incident, main_incident = [], []
        for c in clusters:
            ds = [d for d in c["documents"] if d in rep]
            if len(set(c["documents"])) < 2:
                continue
            if not (c.get("event_type") or predicate_class(c.get("predicate")) in INCIDENT_CLASSES):
                continue
            mixed = any(not same_incident(rep[a], rep[b]) for i, a in enumerate(ds) for b in ds[i + 1:])
            incident.append((c, mixed))
            about_main = [event_of_claim.get(e["claim_id"]) == main_of.get(e["document_id"]) for e in c["supporting"]]
            if about_main and all(about_main):  # every supporting claim tells its article's main incident
                main_incident.append((c, mixed))
        n_mixed = sum(1 for _, m in incident if m)
        n_main = sum(1 for _, m in main_incident if m)
        out["incident_clusters"] = {"cross_document": len(incident), "mixed_incidents": n_mixed,
                                    "mixed_share": round(n_mixed / len(incident), 3) if incident else 0.0,
                                    "about_main_events": len(main_incident), "about_main_events_mixed": n_main,
                                    "about_main_events_mixed_share":
                                        round(n_main / len(main_incident), 3) if main_incident else 0.0}

        # merged events: recall of gold pairs, purity
        violent = [e for e in events if e.get("type") in VIOLENT]
        ev_of_doc = collections.defaultdict(set)
        for e in violent:
            for d in e["documents"]:
                ev_of_doc[d].add(e["id"])
        ids = sorted(rep)
        pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
                 if same_incident(rep[a], rep[b]) and rep[a]["outlet"] != rep[b]["outlet"]]
        joined = [(a, b) for a, b in pairs if ev_of_doc[a] & ev_of_doc[b]]
        def purity(events_docs):
            num = den = 0
            for ds in events_docs:
                if len(ds) < 2:
                    continue
                best = max(sum(1 for y in ds if y == x or same_incident(rep[x], rep[y])) for x in ds)
                num, den = num + best, den + len(ds)
            return round(num / den, 3) if den else None

        all_docs = [[d for d in e["documents"] if d in rep] for e in violent]
        main_docs = [[d for d in e["documents"] if d in rep and main_of.get(d) in set(e.get("members") or [])]
                     for e in violent]
        out["merged_events"] = {"gold_pairs": len(pairs), "share_merged_event": len(joined),
                                "recall": round(len(joined) / len(pairs), 3) if pairs else 0.0,
                                "multi_doc_violent": sum(1 for e in violent if len(e["documents"]) > 1),
                                "purity": purity(all_docs),
                                "purity_main_events": purity(main_docs),
                                "main_event_merges": sum(1 for x in main_docs if len(x) > 1)}

        # contradictions on joined pairs whose totals differ
        by_id = {e["id"]: e for e in violent}
        differ = [(a, b) for a, b in joined if rep[a]["total"] != rep[b]["total"]]
        shown = flagged = 0
        for a, b in differ:
            shared = [by_id[i] for i in ev_of_doc[a] & ev_of_doc[b]]
            rng = any(((e.get("count") or e.get("fatalities") or {}).get("low") or 0)
                      < ((e.get("count") or e.get("fatalities") or {}).get("high") or 0) for e in shared)
            flag = any(e.get("contradictions") for e in shared)
            shown += rng
            flagged += rng and flag
        out["contradictions"] = {"joined_pairs_totals_differ": len(differ), "range_shown": shown,
                                 "range_and_flagged": flagged,
                                 "share": round(flagged / len(differ), 3) if differ else None}

        # stories bounded in time
        spans = []
        for s in stories:
            dates = [dt.date.fromisoformat(rep[d]["date"]) for d in s["documents"] if d in rep]
            if len(dates) > 1:
                spans.append(((max(dates) - min(dates)).days, len(dates), s["id"]))
        spans.sort(reverse=True)
        out["stories"] = {"stories": len(stories), "multi_doc": len(spans),
                          "longest_days": spans[0][0] if spans else 0,
                          "over_31_days": sum(1 for x in spans if x[0] > 31),
                          "largest": max((len(s["documents"]) for s in stories), default=0)}
        bad = grade1_violations(store)
        out["grade1"] = {"graded_1": sum(1 for c in clusters if (c.get("credibility") or {}).get("grade") == 1),
                         "from_one_article_or_origin": len(bad)}

        if samples:
            rnd = random.Random(seed)
            print("-- incident clusters", file=sys.stderr)
            for c, mixed in rnd.sample(incident, min(samples, len(incident))):
                print(f"== {c['id']} grade {(c.get('credibility') or {}).get('grade')} io={c['independent_origins']} "
                      f"mixed={mixed} contra={len(c['contradicting'])} | {c['text'][:100]}", file=sys.stderr)
                for x in (c["supporting"] + c["contradicting"])[:6]:
                    g = rep.get(x["document_id"], {})
                    print(f"   {x['source']} {g.get('date')} {g.get('location')} {g.get('cause')} total {g.get('total')}"
                          f" {x.get('reason') or ''} | {x['sentence'][:120]}", file=sys.stderr)
            print("-- merged events", file=sys.stderr)
            multi = [e for e in violent if len(e["documents"]) > 1]
            for e in rnd.sample(multi, min(samples, len(multi))):
                c = e.get("count") or e.get("fatalities") or {}
                print(f"== {e['id']} {e['type']} {e.get('date')} {(e.get('place') or {}).get('name')} "
                      f"{c.get('low')}/{c.get('best')}/{c.get('high')} contradictions {len(e.get('contradictions') or [])}",
                      file=sys.stderr)
                for d in e["documents"][:6]:
                    g = rep.get(d, {})
                    print(f"   {docs[d].get('source')} {g.get('date')} {g.get('location')} {g.get('cause')} "
                          f"total {g.get('total')}", file=sys.stderr)
    finally:
        store.close()
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    opt = lambda k, d=None: argv[argv.index(k) + 1] if k in argv else d  # noqa: E731
    out = figures(argv[1], argv[2], int(opt("--samples", 0)))
    print(json.dumps(out, indent=1))
    if opt("--json"):
        Path(opt("--json")).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
