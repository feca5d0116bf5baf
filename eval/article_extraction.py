"""Quality gate: article-body extraction from HTML news pages.

Runs ``newsgraph.cleaning.html.extract_html`` on every page of the article extraction
benchmark in ``<shared>/eval/article_extraction/html/*.html.gz``, writes the bodies in the
format of the reference scorer (page id -> {"articleBody": text}) and scores them with
``<shared>/eval/score_article_extraction.py``: mean word-4-gram precision, recall and F1 per
page, printed beside the stored outputs of nine other extractors.

usage: .venv/bin/python eval/article_extraction.py [--shared PATH] [--out FILE] [--workers N]
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
SYSTEM_NAME = "newsgraph"


def _bench(shared: Path) -> Path:
    return Path(shared) / "eval" / "article_extraction"


def _scorer(shared: Path):
    path = Path(shared) / "eval" / "score_article_extraction.py"
    spec = importlib.util.spec_from_file_location("score_article_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _decode(raw: bytes) -> str:
    from trafilatura.utils import decode_file

    return decode_file(raw)


def _page(path: Path) -> str:
    return _decode(gzip.decompress(path.read_bytes()))


def extract_all(shared: Path, workers: int = 2) -> dict[str, dict[str, str]]:
    """Our body for every benchmark page, in the reference scorer's input format."""
    from newsgraph.cleaning.html import extract_html

    bench = _bench(shared)
    gold = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    paths = sorted((bench / "html").glob("*.html.gz"))
    ids = [path.name.removesuffix(".html.gz") for path in paths]
    pages = [_page(path) for path in paths]
    urls = [gold.get(page_id, {}).get("url") for page_id in ids]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=min(workers, 2)) as pool:
            results = list(pool.map(extract_html, pages, urls, chunksize=4))
    else:
        results = list(map(extract_html, pages, urls))
    return {page_id: {"articleBody": result.text} for page_id, result in zip(ids, results)}


def evaluate(shared: Path = DEFAULT_SHARED, workers: int = 2, out: Path | None = None) -> dict:
    """Score our extraction with the reference scorer; returns mean precision/recall/F1.

    Also returns ``pages`` (how many were scored), ``seconds`` (extraction wall time) and
    ``out`` (the JSON file written in the scorer's format).
    """
    shared = Path(shared)
    start = time.perf_counter()
    system = extract_all(shared, workers=workers)
    seconds = time.perf_counter() - start
    if out is None:
        out = Path(tempfile.mkdtemp(prefix="newsgraph-eval-")) / f"{SYSTEM_NAME}.json"
    Path(out).write_text(json.dumps(system, ensure_ascii=False), encoding="utf-8")
    scorer = _scorer(shared)
    gold = json.loads((_bench(shared) / "ground-truth.json").read_text(encoding="utf-8"))
    precision, recall, f1 = scorer.score(gold, system)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "pages": len(gold),
        "seconds": seconds,
        "out": str(out),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (default ../shared)")
    parser.add_argument("--out", type=Path, default=None, help=f"where to write our bodies (default a temp {SYSTEM_NAME}.json)")
    parser.add_argument("--workers", type=int, default=2, help="extraction processes, at most 2 (default 2)")
    args = parser.parse_args(argv)
    if not (args.shared / "eval" / "article_extraction").is_dir():
        parser.error(f"article extraction benchmark not found under {args.shared}")
    result = evaluate(args.shared, workers=args.workers, out=args.out)
    print(f"extracted {result['pages']} pages in {result['seconds']:.1f} s; bodies in {result['out']}")
    scorer_path = args.shared / "eval" / "score_article_extraction.py"
    subprocess.run([sys.executable, str(scorer_path), result["out"]], check=True)
    print(f"newsgraph: P={result['precision']:.4f} R={result['recall']:.4f} F1={result['f1']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
