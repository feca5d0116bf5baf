#!/usr/bin/env python3
"""Count events placed where no event happened: at a dateline, at a news agency's name, or at an
organisation's base ("London-based"). Reads an export directory (documents.jsonl, events.jsonl),
e.g. of the FA-KES dev build (../shared/eval/fakes_dev/README.md), and reads the text around each
event's place mention, independently of the rules in newsgraph.geo.event_filters.

usage: .venv/bin/python eval/fakes_event_places.py EXPORT_DIR [--examples N]

Prints one line per kind with the number of events (all events with a place) and N examples.
"""
from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGENCIES = ROOT / "src" / "newsgraph" / "data" / "news_agencies.toml"


def agency_names() -> set[str]:
    data = tomllib.loads(AGENCIES.read_text(encoding="utf-8"))
    return {n for a in data.get("agency", []) for n in [a["name"], *a.get("forms", [])]}


def kind_of(place: dict, text: str, agencies: set[str]) -> str | None:
    """"dateline", "agency", "base" or None for an event's place, read from the text around it."""
    start, end, mention = place.get("start"), place.get("end"), place.get("mention") or ""
    if start is None or end is None or place.get("lat") is None:
        return None
    after = text[end: end + 40]
    if mention in agencies or re.match(r"^\s+(?:news\s+agency|reporter)\b", after):
        return "agency"
    if re.match(r"^\s*[-–]?\s*based\b", after, re.IGNORECASE):
        return "base"
    caps = re.sub(r"[^A-Za-z]", "", mention)
    alts = "|".join(re.escape(a) for a in sorted(agencies, key=len, reverse=True))
    if re.match(rf"^,?\s*(?:\(\s*(?:{alts})\s*\)|(?:{alts})\s*[-–—:])", after) or (
            len(caps) >= 3 and caps.isupper() and re.match(r"^(?:,\s*[A-Z][\w.]*)?\s*(?:\(|—|–|--| - )", after)):
        return "dateline"
    return None


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    exp = Path(argv[0])
    n_examples = int(argv[argv.index("--examples") + 1]) if "--examples" in argv else 5
    texts = {}
    for line in (exp / "documents.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        texts[d["id"]] = d.get("text") or ""
    agencies = agency_names()
    counts, placed = Counter(), 0
    examples = defaultdict(list)
    for line in (exp / "events.jsonl").open(encoding="utf-8"):
        e = json.loads(line)
        place = e.get("place") or {}
        if place.get("lat") is None:
            continue
        placed += 1
        doc = (e.get("evidence") or [{}])[0].get("document_id")
        kind = kind_of(place, texts.get(doc, ""), agencies)
        if kind:
            counts[kind] += 1
            t = texts.get(doc, "")
            examples[kind].append(f"{e['id']} {place.get('mention')!r} -> {place.get('name')} ({place.get('how')}): "
                                  f"…{t[max(0, place['start'] - 50): place['end'] + 40]!r}")
    print(f"events with a place: {placed}")
    for kind in ("dateline", "agency", "base"):
        print(f"placed at {kind}: {counts[kind]}")
        for ex in examples[kind][:n_examples]:
            print("   ", ex)
    print(f"total wrongly placed (dateline + agency + base): {sum(counts.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
