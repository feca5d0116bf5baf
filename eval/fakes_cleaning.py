"""Publication dates and page furniture on the FA-KES dev half (real Syrian-war articles).

For every article, the cleaner's publication date is compared with the dates the text states
in its first 120 characters, written as a full date (a day, a month and a four-digit
year); a recovered date that the text does not state anywhere
counts as invented. Then the clean text is searched for the furniture that must not be left
in it: tag lists, design credits, related-headline markers and agency datelines.

    .venv/bin/python eval/fakes_cleaning.py [--shared ../shared] [--show N]
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from newsgraph.cleaning.text import clean_text

ROOT = Path(__file__).resolve().parents[1]
MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# a date written out: a month name within a few characters of a four-digit year, or d-m-y digits
STATES_DATE = re.compile(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s,]+\d{1,2}(st|nd|rd|th)?[\s,]*"
                         r"(19|20)\d\d|\b\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
                         r"[\s,]+(19|20)\d\d|\b\d{1,2}[-./]\d{1,2}[-./](19|20)\d\d")


def states(text: str, iso: str) -> bool:
    """Whether ``text`` writes the date ``iso`` (its year, month and day all appear together)."""
    year, month, day = iso.split("-")
    m, d = int(month), int(day)
    month_re = rf"(?:{MONTH_NAMES[m - 1]}[a-z]*\.?|0?{m})"
    day_re = rf"0?{d}(?:st|nd|rd|th)?"
    forms = [rf"{day_re}[\s,./-]+{month_re}[\s,./-]*{year}", rf"{month_re}[\s,./-]+{day_re}[\s,]*{year}",
             rf"{year}-0?{m}-0?{d}"]
    return any(re.search(rf"(?i)(?<!\d){f}", text) for f in forms)


FURNITURE = {
    "tags": re.compile(r"(?<![\w-])Tags\b"),
    "design credit": re.compile(r"\bDesign by\b"),
    "related headlines": re.compile(r"\b(Read (more|also)|More from|Latest headlines|Related (articles|stories))\b", re.I),
    "agency dateline": re.compile(r"\((Reuters|AFP|AP|Sputnik|SANA|Xinhua|Anadolu|TASS)\)\s*[-–—]|\b[A-Z][a-z]+ SANA\s*[-–—]"),
}


def rows(shared: Path) -> list[dict]:
    """The dev articles as the dataset's own converter writes them (title, source, text)."""
    folder = shared / "eval" / "fakes_dev"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dev.jsonl"
        subprocess.run([sys.executable, str(folder / "fakes_to_jsonl.py"), str(folder / "fakes_dev.csv"), str(out)],
                       check=True, capture_output=True)
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--show", type=int, default=0, help="print this many misses and leftovers")
    args = parser.parse_args()
    data = rows(args.shared)
    stated = found = right = invented = emptied = 0
    misses, leftovers = [], []
    counts = dict.fromkeys(FURNITURE, 0)
    seen = set()
    for row in data:
        text = row["text"]
        if not text or text in seen:
            continue
        seen.add(text)
        cleaned = clean_text(text, title=row.get("title") or None)
        if not cleaned.text.strip():
            emptied += 1
        value = cleaned.published.value if cleaned.published else None
        if STATES_DATE.search(text[:120]):
            stated += 1
            if value:
                found += 1
                right += states(text[:140], value)
            else:
                misses.append(("not found", text[:160]))
        if value and not states(text, value):
            invented += 1
            misses.append(("INVENTED " + value, text[:160]))
        for name, pattern in FURNITURE.items():
            for m in pattern.finditer(cleaned.text):
                counts[name] += 1
                leftovers.append((name, cleaned.text[max(0, m.start() - 60):m.end() + 60]))
    print(f"articles (distinct texts): {len(seen)}")
    print(f"first 120 characters state a date: {stated}")
    print(f"  publication date recovered: {found} ({found / max(stated, 1):.3f}); "
          f"the stated date: {right} ({right / max(stated, 1):.3f})")
    print(f"dates the text does not state: {invented}")
    print(f"articles left without text: {emptied}")
    for name, n in counts.items():
        print(f"furniture left, {name}: {n}")
    for item in misses[:args.show]:
        print("MISS", item)
    for item in leftovers[:args.show]:
        print("LEFT", item)


if __name__ == "__main__":
    main()
