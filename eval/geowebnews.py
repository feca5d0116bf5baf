#!/usr/bin/env python3
"""End-to-end geoparsing of GeoWebNews (recognise + resolve), scored by the reference scorer
``../shared/eval/score_geowebnews.py`` beside the stored Edinburgh, Yahoo and EMM outputs.

usage: .venv/bin/python eval/geowebnews.py [--shared PATH] [--out FILE] [--recogniser layer|spacy]

Writes our output in the scorer's line format (one line per article, toponyms separated by '||',
each ``role,,name,,lat,,lon,,start,,end``), then prints the scorer's table: span P/R/F1, Acc@161 on
the toponyms found, mean/median km, AUC, E2E@161 over all gold toponyms, R_lit and E2E_lit over
literal place mentions. Every resolved mention is written, demonyms and metonymy included (the
gold has coordinates for them too); unresolved mentions are left out.
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.geo import Gazetteer, resolve_mentions  # noqa: E402
from newsgraph.geo.recognize import entity_spans, place_mentions  # noqa: E402

STORED = ("gwn_edin.txt", "gwn_yahoo.txt", "gwn_emm.txt")


def _scorer(shared: Path):
    path = shared / "eval" / "score_geowebnews.py"
    spec = importlib.util.spec_from_file_location("score_geowebnews", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _clean(name: str) -> str:
    return name.replace(",,", ", ").replace("||", "|").replace("\n", " ")


def system_lines(texts: list[str], gazetteer: Gazetteer, recogniser: str | None = None) -> list[str]:
    lines = []
    for text, spans in zip(texts, entity_spans(texts, recogniser)):
        mentions = place_mentions(text, spans, gazetteer=gazetteer)
        items = []
        for r in resolve_mentions(mentions, text, gazetteer):
            if r.place is None:
                continue
            m = r.mention
            items.append(f"{r.role},,{_clean(m.text)},,{r.place.lat},,{r.place.lon},,{m.start},,{m.end}")
        lines.append("||".join(items))
    return lines


def evaluate(shared: Path, out: Path | None = None, gazetteer: Gazetteer | None = None,
             recogniser: str | None = None) -> dict[str, dict]:
    """Scores of our output and of the stored systems, keyed by system file name."""
    scorer = _scorer(shared)
    gold = scorer.load_gold()
    texts = [a.findtext("text") or "" for a in ET.parse(scorer.GOLD_FILE).getroot().findall("article")]
    gaz = gazetteer or Gazetteer.open()
    lines = system_lines(texts, gaz, recogniser)
    if out is None:
        out = Path(tempfile.mkdtemp(prefix="newsgraph-gwn-")) / "gwn_newsgraph.txt"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = {}
    for path in [*(Path(scorer.HERE) / "geowebnews" / f for f in STORED), out]:
        results[path.name] = scorer.score(gold, scorer.load_system(str(path), len(gold)))
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=None, help="where to write our system file (default: a temp dir)")
    ap.add_argument("--gazetteer", type=Path, default=None)
    ap.add_argument("--recogniser", choices=["layer", "spacy"], default=None)
    args = ap.parse_args(argv)
    t0 = time.time()
    results = evaluate(args.shared, args.out, Gazetteer.open(args.gazetteer), args.recogniser)
    print(f"{'system':20} {'P':>5} {'R':>5} {'F1':>5} {'Acc@161':>7} {'meankm':>7} {'medkm':>6} {'AUC':>5} "
          f"{'E2E@161':>7} {'R_lit':>5} {'E2E_lit':>7}")
    for name, m in results.items():
        print(f"{name[:20]:20} {m['P']:5.3f} {m['R']:5.3f} {m['F1']:5.3f} {m['Acc@161']:7.3f} {m['mean_km']:7.0f} "
              f"{m['median_km']:6.0f} {m['AUC']:5.3f} {m['E2E@161']:7.3f} {m['R_lit']:5.3f} {m['E2E_lit']:7.3f}")
    m = next(iter(results.values()))
    print(f"gold toponyms with coordinates: {m['gold']}; literal: {m['gold_lit']}; {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
