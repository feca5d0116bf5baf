"""PLOVER gold-standard records (PLOVER_GSR_CAMEO.json) as a quality gate for event typing.

Each gold record is one news sentence coded with a PLOVER event (and mode). The mapping
from PLOVER to our types is data, in src/newsgraph/data/ontology.toml ([[plover_eval]]):
e.g. COERCE/arrest -> arrest, COERCE/deport -> deportation, ASSAULT -> attack (or killing),
RETREAT -> evacuation, SANCTION -> entry_ban. Records whose PLOVER event is not mapped are
outside our ontology.

We run the whole per-document chain on each sentence (load_nlp, extract_entities,
find_times, find_quantities, extract_events) and report:
  * coverage: the share of gold records whose PLOVER event maps to one of our types;
  * accuracy: on covered records, is our top event (the trigger nearest the root of the
    parse) of an accepted type (primary accuracy: of the primary type);
  * accuracy_any: is any of our events of an accepted type;
  * a confusion matrix (gold primary type or "other" x our top type or "none");
  * detection P/R/F1 of "the sentence has an event of a covered type": gold positive =
    covered record, predicted positive = we found an event of any type the mapping reaches,
    not planned or negated (PLOVER codes those as AGREE / THREATEN / DEMAND). Sentences
    coded for another event often also mention one of ours ("killed in riots" in a PROTEST
    record): such detections count as false positives, so precision is a lower bound.

Usage: .venv/bin/python eval/plover.py [--shared ../shared] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

DATA = Path("eval") / "plover_gsr" / "PLOVER_GSR_CAMEO.json"
# PLOVER codes what happened; intentions and threats are other PLOVER events (AGREE,
# THREATEN, DEMAND), so planned and negated events do not count as detections.
REALIS = {"asserted", "reported", "hedged", "historical", "attempted"}


def load_records(shared: Path) -> list[dict]:
    records = json.loads((shared / DATA).read_text(encoding="utf-8"))
    return [r for r in records if r.get("text") and r.get("event") != "DOCUMENT"]


def mapping() -> list[dict]:
    from newsgraph.extraction.events_lexicon import ontology

    return list(ontology().plover_eval)


def accepted(record: dict, table: list[dict]) -> list[str]:
    """Our types accepted for a gold record (empty: outside our ontology)."""
    event, mode = record["event"], (record.get("mode") or "").strip()
    text = (record.get("eventText") or "").lower()
    for key in ([f"{event}/{mode}"] if mode else []) + [event]:
        for m in table:
            if m["plover"] != key:
                continue
            if m.get("text_any") and not any(w in text for w in m["text_any"]):
                continue
            return list(m["ours"])
        if any(m["plover"] == key for m in table):
            return []
    return []


def _top(doc, events):
    """Our main event of a sentence: the trigger nearest the root of the parse."""
    def depth(ev):
        span = doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
        return (sum(1 for _ in span.root.ancestors) if span is not None else 99, ev.trigger_start)
    return min(events, key=depth) if events else None


def evaluate(shared: Path, limit: int | None = None) -> dict:
    from newsgraph.extraction.entities import extract_entities
    from newsgraph.extraction.events import extract_events
    from newsgraph.extraction.nlp import load_nlp
    from newsgraph.extraction.quantities import find_quantities
    from newsgraph.extraction.times import find_times

    nlp = load_nlp()
    table = mapping()
    reachable = {t for m in table for t in m["ours"]}
    records = load_records(shared)[:limit]
    docs = nlp.pipe([r["text"] for r in records])
    covered = correct = primary = any_ok = 0
    tp = fp = fn = 0
    confusion: dict[str, Counter] = defaultdict(Counter)
    per_type: dict[str, Counter] = defaultdict(Counter)
    for record, doc in zip(records, docs):
        text = record["text"]
        events = extract_events(doc, extract_entities(doc), find_times(text, None), find_quantities(text), None)
        ok_types = accepted(record, table)
        top = _top(doc, events)
        top_type = top.type if top else "none"
        gold = ok_types[0] if ok_types else "other"
        confusion[gold][top_type] += 1
        predicted = any(e.type in reachable and e.factuality in REALIS for e in events)
        if ok_types:
            covered += 1
            per_type[gold]["n"] += 1
            if top_type in ok_types:
                correct += 1
                per_type[gold]["correct"] += 1
            if top_type == ok_types[0]:
                primary += 1
            if any(e.type in ok_types for e in events):
                any_ok += 1
            tp += predicted
            fn += not predicted
        else:
            fp += predicted
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "records": len(records), "covered": covered,
        "coverage": covered / len(records) if records else 0.0,
        "accuracy": correct / covered if covered else 0.0,
        "primary_accuracy": primary / covered if covered else 0.0,
        "accuracy_any": any_ok / covered if covered else 0.0,
        "detection": {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn},
        "per_type": {k: dict(v) for k, v in sorted(per_type.items())},
        "confusion": {k: dict(v) for k, v in sorted(confusion.items())},
    }


def _print(res: dict) -> None:
    print(f"records {res['records']}  covered {res['covered']}  coverage {res['coverage']:.3f}")
    print(f"accuracy (top event of an accepted type) {res['accuracy']:.3f}   "
          f"primary {res['primary_accuracy']:.3f}   any event {res['accuracy_any']:.3f}")
    d = res["detection"]
    print(f"detection of a covered type: P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}  "
          f"(tp {d['tp']} fp {d['fp']} fn {d['fn']})")
    print("per type:", ", ".join(f"{k} {v.get('correct', 0)}/{v['n']}" for k, v in res["per_type"].items()))
    cols = sorted({c for row in res["confusion"].values() for c in row})
    print("\nconfusion (rows gold, columns our top event)")
    print(f"{'':14}" + "".join(f"{c[:11]:>12}" for c in cols))
    for gold, row in res["confusion"].items():
        print(f"{gold[:13]:14}" + "".join(f"{row.get(c, 0):>12}" for c in cols))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    _print(evaluate(args.shared, args.limit))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
