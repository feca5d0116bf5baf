"""Quality gate for time normalisation on TimeBank 1.2 + AQUAINT (TempEval-3 TBAQ-cleaned).

For every document the DCT (TIMEX3 with functionInDocument="CREATION_TIME") is taken as the
publication date. Two measures over gold TIMEX3 of type DATE:

(a) value accuracy: each gold span's text is given to `normalize` with the DCT, the text of
    its sentence before it (tense cues) and, as `previous`, our own normalisation of the
    preceding gold time expression of the same paragraph; our `value` must equal the gold
    value (exact string, after two notational equivalences: week numbers are zero-padded,
    "2000-W7" = "2000-W07", and a decade written "199X" = "199").
(b) detection: `find_times` over the plain text of the document; our date/time expressions
    against gold DATE spans, matched by overlap. "strict" precision counts every prediction
    not overlapping a gold DATE as false; "lenient" ignores predictions that overlap another
    gold TIMEX3 (DURATION, TIME, SET), which are time expressions typed differently.

Run:  .venv/bin/python eval/timebank.py [--shared ../shared] [--errors N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.extraction.times import TimeExpr, find_times, normalize  # noqa: E402

SUBDIRS = ("TimeBank", "AQUAINT")


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class Doc:
    name: str
    dct: dt.date
    text: str
    timexes: list[Timex]


_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")


def parse_tml(path: Path) -> Doc:
    raw = path.read_text(encoding="utf-8")
    dct_m = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    dct_value = re.search(r'value="([^"]+)"', dct_m.group(0)).group(1)
    dct = dt.date.fromisoformat(dct_value[:10])
    body = raw[raw.index("<TEXT>") + len("<TEXT>"):raw.index("</TEXT>")]
    out: list[str] = []
    pos = 0
    length = 0
    open_timex: tuple[int, dict] | None = None
    timexes: list[Timex] = []
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos:m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name, attrs = m.group(1), m.group(2), m.group(3)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(re.findall(r'(\w+)="([^"]*)"', attrs)))
        elif open_timex is not None:
            start, a = open_timex
            text = "".join(out)[start:length]
            timexes.append(Timex(start, length, text, a.get("type", ""), a.get("value", "")))
            open_timex = None
    out.append(html.unescape(body[pos:]))
    return Doc(path.stem, dct, "".join(out), timexes)


def load(shared: Path) -> list[Doc]:
    base = shared / "eval" / "timebank" / "TBAQ-cleaned"
    docs = []
    for sub in SUBDIRS:
        for path in sorted((base / sub).glob("*.tml")):
            docs.append(parse_tml(path))
    return docs


def canonical(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"-W(\d)(?!\d)", r"-W0\1", value)
    value = re.sub(r"^(\d{3})X$", r"\1", value)
    value = re.sub(r"^(\d{2})XX$", r"\1", value)
    return value


def shape(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d\d-\d\d.*", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d\d", value):
        return "month"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    return "other"


def _sentence_start(text: str, pos: int) -> int:
    cut = max(text.rfind("\n", 0, pos), -1)
    for m in re.finditer(r"[.!?][\"'”’)]*\s+(?=[\"“‘'(]?[A-Z0-9])", text[cut + 1:pos]):
        word = re.search(r"(\w+)\.$", text[cut + 1:cut + 1 + m.start() + 1])
        if word and (len(word.group(1)) == 1 or word.group(1) in ("Jan", "Feb", "Aug", "Sept", "Sep", "Oct", "Nov",
                                                                    "Dec", "Mr", "Mrs", "Dr", "St", "Gen", "Co", "Inc")):
            continue
        cut = cut + 1 + m.end() - 1
    return cut + 1


def evaluate(shared: Path, errors: list | None = None) -> dict:
    docs = load(shared)
    correct = total = 0
    by_shape: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    tp_pred = n_pred = n_pred_lenient = tp_gold = n_gold = 0
    e2e_correct = 0
    for doc in docs:
        previous: TimeExpr | None = None
        prev_end = 0
        for tx in doc.timexes:
            if previous is not None and "\n" in doc.text[prev_end:tx.start]:
                previous = None
            sent = _sentence_start(doc.text, tx.start)
            got = normalize(tx.text, doc.dct, previous, context=doc.text[sent:tx.start],
                            previous_in_sentence=previous is not None and prev_end > sent)
            if tx.type == "DATE":
                ok = got is not None and canonical(got.value) == canonical(tx.value)
                total += 1
                correct += ok
                s = by_shape[shape(tx.value)]
                s[0] += ok
                s[1] += 1
                if not ok and errors is not None:
                    errors.append((doc.name, doc.dct.isoformat(), tx.text, tx.value, got.value if got else None,
                                   doc.text[sent:tx.end][-120:]))
            if got is not None and got.start_date is not None and got.end_date is not None and got.kind in ("date", "time") \
                    and got.precision is not None and got.value not in ("PAST_REF", "PRESENT_REF", "FUTURE_REF"):
                previous = got
                prev_end = tx.end
        # detection
        preds = [e for e in find_times(doc.text, doc.dct) if e.kind in ("date", "time")]
        gold = [t for t in doc.timexes if t.type == "DATE"]
        other = [t for t in doc.timexes if t.type != "DATE"]

        def overlaps(a_start, a_end, b):
            return a_start < b.end and b.start < a_end
        for p in preds:
            hit = [g for g in gold if overlaps(p.start, p.end, g)]
            if hit:
                tp_pred += 1
                n_pred += 1
                n_pred_lenient += 1
                if any(canonical(p.value) == canonical(g.value) for g in hit):
                    e2e_correct += 1
            else:
                n_pred += 1
                if not any(overlaps(p.start, p.end, o) for o in other):
                    n_pred_lenient += 1
        for g in gold:
            n_gold += 1
            tp_gold += any(overlaps(p.start, p.end, g) for p in preds)
    precision = tp_pred / n_pred if n_pred else 0.0
    precision_lenient = tp_pred / n_pred_lenient if n_pred_lenient else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0

    def f1(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0
    return {
        "documents": len(docs),
        "date_expressions": total,
        "value_accuracy": correct / total if total else 0.0,
        "value_accuracy_by_shape": {k: (v[0] / v[1], v[1]) for k, v in sorted(by_shape.items())},
        "detection": {"precision": precision, "recall": recall, "f1": f1(precision, recall),
                      "precision_lenient": precision_lenient, "f1_lenient": f1(precision_lenient, recall),
                      "predictions": n_pred, "gold": n_gold},
        "end_to_end_value_accuracy": e2e_correct / tp_pred if tp_pred else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--errors", type=int, default=0, help="print this many value errors")
    args = ap.parse_args(argv)
    errs: list = []
    r = evaluate(args.shared, errs)
    print(f"TimeBank+AQUAINT: {r['documents']} documents, {r['date_expressions']} gold DATE expressions")
    print(f"(a) value accuracy on gold DATE spans: {r['value_accuracy']:.3f}")
    for k, (acc, n) in r["value_accuracy_by_shape"].items():
        print(f"      {k:6} {acc:.3f}  (n={n})")
    d = r["detection"]
    print(f"(b) detection vs gold DATE (overlap): P={d['precision']:.3f} R={d['recall']:.3f} F1={d['f1']:.3f}"
          f"  [lenient P={d['precision_lenient']:.3f} F1={d['f1_lenient']:.3f}]"
          f"  predictions={d['predictions']} gold={d['gold']}")
    print(f"    value accuracy of detected expressions matching a gold DATE: {r['end_to_end_value_accuracy']:.3f}")
    for e in errs[:args.errors]:
        print("  ERR", *e, sep=" | ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
