"""Quality gate: quantity extraction against the quantulum3 test sentences.

Reads ``<shared>/eval/quantities/quantities.json`` (101 sentences, each with gold quantities:
value, unit, surface text) and ``quantities.ambiguity.json`` (20 harder sentences), runs
``newsgraph.extraction.quantities.find_quantities`` on every sentence and aligns predictions with
gold by surface overlap (one-to-one, preferring equal values). It prints, per gold category
(count, money, duration, measure) and overall:

* span P/R/F1: a prediction overlaps a gold quantity;
* value accuracy and unit accuracy over the aligned pairs;
* strict P/R/F1: aligned and the value is right (the headline figure).

Conventions that make the two schemes comparable: gold "dozen"/"gross"/"baker's dozen" are
counts times 12/144/13, cents/pennies/dimes are fractions of their currency; our value is
``best``, else the middle of low..high, else whichever bound is set; a gold range written as a
change ("rose from $350 per kg to $680 per kg") matches our pair of related quantities.
A gold "dimensionless" number matches any count. ``errors.json`` sentences must not crash.

The data is quantulum3's own test suite (general physics units, not conflict news); figures
for quantulum3 itself on it are therefore not a fair comparison.

usage: .venv/bin/python eval/quantities.py [--shared PATH] [--details]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.extraction.quantities import Quantity, find_quantities  # noqa: E402
from newsgraph.extraction.quantities_lexicon import lexicon  # noqa: E402

CATEGORIES = ("count", "money", "duration", "measure")
# gold unit -> (unit it is counted in, factor)
GOLD_NORMAL = {
    "dozen": ("dimensionless", 12.0),
    "gross": ("dimensionless", 144.0),
    "baker's dozen": ("dimensionless", 13.0),
    "cent": ("dollar", 0.01),
    "penny": ("pound sterling", 0.01),
    "dime": ("dollar", 0.1),
}
TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
              "gigayear", "megayear"}


def _money_names() -> set[str]:
    return {n.lower() for n in lexicon().currency_names.values()}


def gold_category(unit: str) -> str:
    unit = unit.lower()
    if unit in ("dimensionless",) or unit.startswith("count"):
        return "count"
    base = unit.split(" per ")[0]
    if base in _money_names():
        return "money"
    if base in TIME_UNITS:
        return "duration"
    return "measure"


def pred_unit_name(q: Quantity) -> str:
    lex = lexicon()
    if q.kind == "count" or q.unit == "fraction":
        name = "dimensionless"
    elif q.kind == "money":
        name = lex.currency_names.get(q.unit or "", q.unit or "")
    else:
        u = lex.units.get(q.unit or "")
        name = u.name if u else (q.unit or "")
    if q.per and q.kind != "count":
        pu = lex.units.get(q.per)
        name += " per " + (pu.name if pu else q.per)
    return name.lower()


def pred_category(q: Quantity) -> str:
    if q.kind in ("count", "money"):
        return q.kind
    if q.unit == "fraction":              # a pure number, as gold "dimensionless"
        return "count"
    u = lexicon().units.get(q.unit or "")
    return "duration" if u is not None and u.dim == "time" else "measure"


def pred_value(q: Quantity) -> float | None:
    if q.best is not None:
        return q.best
    if q.low is not None and q.high is not None:
        return (q.low + q.high) / 2
    return q.low if q.low is not None else q.high


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _locate(text: str, golds: list[dict]) -> list[tuple[int, int] | None]:
    spans, cursor = [], {}
    for g in golds:
        surface = g["surface"]
        start = text.find(surface, cursor.get(surface, 0))
        if start < 0:
            start = text.find(surface)
        spans.append(None if start < 0 else (start, start + len(surface)))
        if start >= 0:
            cursor[surface] = start + 1
    return spans


def _gold_items(item: dict) -> list[dict]:
    out = []
    for g in item["res"]:
        unit, value = g["unit"], float(g["value"])
        if unit in GOLD_NORMAL:
            unit, factor = GOLD_NORMAL[unit]
            value *= factor
        out.append({"surface": g["surface"], "value": value, "unit": unit.lower(),
                    "category": gold_category(unit)})
    return out


def _predictions(text: str) -> list[dict]:
    qs = find_quantities(text)
    preds = [{"q": q, "span": (q.start, q.end), "value": pred_value(q),
              "unit": pred_unit_name(q), "category": pred_category(q), "parts": (k,)}
             for k, q in enumerate(qs)]
    # a change pair read together as the range it spans
    for k, q in enumerate(qs):
        if q.related is not None and q.related > k:
            o = qs[q.related]
            lo, hi = sorted((pred_value(q) or 0.0, pred_value(o) or 0.0))
            preds.append({"q": q, "span": (q.start, o.end), "value": (lo + hi) / 2,
                          "unit": pred_unit_name(q), "category": pred_category(q),
                          "parts": (k, q.related)})
    return preds


def _align(gold_spans, golds, preds):
    pairs = []
    for gi, span in enumerate(gold_spans):
        if span is None:
            continue
        for pi, p in enumerate(preds):
            s, e = p["span"]
            overlap = min(e, span[1]) - max(s, span[0])
            if overlap > 0:
                ok = _same(p["value"], golds[gi]["value"])
                # a merged pair only competes when it is right
                if len(p["parts"]) > 1 and not ok:
                    continue
                pairs.append((ok, len(p["parts"]) > 1, overlap, gi, pi))
    pairs.sort(key=lambda t: (t[0], t[1], t[2]), reverse=True)
    used_g, used_parts, matches = set(), set(), []
    for ok, _, _, gi, pi in pairs:
        parts = preds[pi]["parts"]
        if gi in used_g or any(x in used_parts for x in parts):
            continue
        used_g.add(gi)
        used_parts.update(parts)
        matches.append((gi, pi, ok))
    return matches, used_g, used_parts


def _score_file(path: Path) -> tuple[dict, list[dict]]:
    items = json.loads(path.read_text("utf-8"))
    stats = {c: dict(gold=0, pred=0, span_tp_g=0, span_tp_p=0, strict_g=0, strict_p=0,
                     aligned=0, value_ok=0, unit_ok=0) for c in CATEGORIES}
    details = []
    for item in items:
        text = item["req"]
        golds = _gold_items(item)
        preds = _predictions(text)
        single = [p for p in preds if len(p["parts"]) == 1]
        matches, used_g, used_parts = _align(_locate(text, golds), golds, preds)
        for g in golds:
            stats[g["category"]]["gold"] += 1
        for p in single:
            stats[p["category"]]["pred"] += 1
        for gi, pi, ok in matches:
            g, p = golds[gi], preds[pi]
            gs, ps = stats[g["category"]], stats[p["category"]]
            unit_ok = p["unit"] == g["unit"] or (g["unit"] == "dimensionless"
                                                 and p["category"] == "count")
            gs["aligned"] += 1
            gs["span_tp_g"] += 1
            gs["value_ok"] += ok
            gs["unit_ok"] += unit_ok
            gs["strict_g"] += ok
            # precision side: every part of the prediction counts as found
            n_parts = len(p["parts"])
            ps["span_tp_p"] += n_parts
            ps["strict_p"] += n_parts if ok else 0
        details.append({
            "text": text,
            "gold": [(g["surface"], g["value"], g["unit"]) for g in golds],
            "pred": [(p["q"].text, p["value"], p["unit"]) for p in single],
            "missed": [golds[k]["surface"] for k in range(len(golds)) if k not in used_g],
            "extra": [single[k]["q"].text for k in range(len(single)) if k not in used_parts],
            "wrong": [(golds[gi]["surface"], golds[gi]["value"], preds[pi]["value"], preds[pi]["unit"],
                       golds[gi]["unit"]) for gi, pi, ok in matches
                      if not ok or not (preds[pi]["unit"] == golds[gi]["unit"]
                                        or (golds[gi]["unit"] == "dimensionless"
                                            and preds[pi]["category"] == "count"))],
        })
    return _summarise(stats), details


def _prf(tp_p: int, pred: int, tp_g: int, gold: int) -> tuple[float, float, float]:
    p = tp_p / pred if pred else 0.0
    r = tp_g / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def _summarise(stats: dict) -> dict:
    total = {k: sum(s[k] for s in stats.values()) for k in next(iter(stats.values()))}
    out = {}
    for name, s in list(stats.items()) + [("all", total)]:
        sp, sr, sf = _prf(s["span_tp_p"], s["pred"], s["span_tp_g"], s["gold"])
        p, r, f = _prf(s["strict_p"], s["pred"], s["strict_g"], s["gold"])
        out[name] = {
            "gold": s["gold"], "pred": s["pred"], "aligned": s["aligned"],
            "span_precision": sp, "span_recall": sr, "span_f1": sf,
            "value_accuracy": round(s["value_ok"] / s["aligned"], 4) if s["aligned"] else 0.0,
            "unit_accuracy": round(s["unit_ok"] / s["aligned"], 4) if s["aligned"] else 0.0,
            "precision": p, "recall": r, "f1": f,
        }
    return out


def evaluate(shared: Path, *, with_details: bool = False) -> dict:
    """Score find_quantities on the gold sentences. Returns
    {"main": {category: metrics}, "ambiguity": {...}, "crashes": int, "sentences": int}."""
    base = Path(shared) / "eval" / "quantities"
    main, main_details = _score_file(base / "quantities.json")
    result = {"main": main, "sentences": len(main_details)}
    amb_path = base / "quantities.ambiguity.json"
    if amb_path.exists():
        result["ambiguity"], amb_details = _score_file(amb_path)
    else:
        amb_details = []
    crashes = 0
    errors_path = base / "errors.json"
    if errors_path.exists():
        for text in json.loads(errors_path.read_text("utf-8")):
            try:
                find_quantities(text)
            except Exception:  # noqa: BLE001 - counting crashes is the point
                crashes += 1
    result["crashes"] = crashes
    if with_details:
        result["details"] = main_details + amb_details
    return result


def _table(title: str, metrics: dict) -> str:
    head = f"{'category':<10}{'gold':>6}{'pred':>6}{'spanF1':>8}{'value':>8}{'unit':>8}{'P':>8}{'R':>8}{'F1':>8}"
    lines = [title, head, "-" * len(head)]
    for name, m in metrics.items():
        lines.append(f"{name:<10}{m['gold']:>6}{m['pred']:>6}{m['span_f1']:>8.3f}"
                     f"{m['value_accuracy']:>8.3f}{m['unit_accuracy']:>8.3f}{m['precision']:>8.3f}"
                     f"{m['recall']:>8.3f}{m['f1']:>8.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--details", action="store_true", help="print misses and errors per sentence")
    args = ap.parse_args(argv)
    res = evaluate(args.shared, with_details=args.details)
    print(_table(f"quantities.json ({res['sentences']} sentences); value/unit = accuracy on "
                 "aligned pairs; P/R/F1 strict (aligned and value right)", res["main"]))
    if "ambiguity" in res:
        print()
        print(_table("quantities.ambiguity.json", res["ambiguity"]))
    print(f"\nerrors.json crashes: {res['crashes']}")
    if args.details:
        for d in res["details"]:
            if d["missed"] or d["extra"] or d["wrong"]:
                print("\n" + d["text"])
                for key in ("missed", "extra", "wrong"):
                    if d[key]:
                        print(f"  {key}: {d[key]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
