"""Event figures of a FA-KES knowledge base against its gold incidents (issue 11).

usage: python eval/fakes_events.py [--shared ../shared] [--build DIR | --exp DIR] [--json OUT]
                                   [--audit N] [--seed S]

``--build DIR`` converts the dev half (``fakes_to_jsonl.py``), builds it into ``DIR/dev.db``
with this checkout's newsgraph and exports the documents and events to ``DIR/exp``; ``--exp
DIR`` reads exports made before. The gold (``fakes_dev.csv``) annotates one incident per
article; the article's main event is chosen as the dataset's scorer does (``score_fakes.py``:
its first killing in text order, else its first attack). Printed, per article:

* ``governorate``: the main event's place lies in the gold governorate (admin1 code), and the
  lenient figure (Damascus and Rif Dimashq as one);
* ``day_pm1``: the main event is dated to the day and within one day of the gold date; beside
  it the publication-date baseline and the figure per way the day was found (``date.how``);
  ``text_agrees_with_publication``: of the misses, how many main events are dated by the
  article's own words to its publication day (or the day before) while the gold date is
  elsewhere: the crowdsourced date, not the text, is then off;
* ``count_contains``: the main event's count range contains the gold total (civilians and
  non-civilians), and over any violent event of the article;

and over every event of the corpus, ``misplaced``: events placed at the article's dateline
place, at a news agency's name or at an organisation's base ("Britain-based"); the target is 0.

``--audit N`` prints N random events (all types) with their sentence, for reading by hand
(eval/audits/).
"""
from __future__ import annotations

import collections
import datetime as dt
import importlib.util
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _scorer(shared: Path):
    path = shared / "eval" / "fakes_dev" / "score_fakes.py"
    spec = importlib.util.spec_from_file_location("score_fakes", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def build(shared: Path, out: Path, workers: int = 2) -> Path:
    """Convert, build and export the dev half into ``out``; returns the export folder."""
    out.mkdir(parents=True, exist_ok=True)
    fakes = shared / "eval" / "fakes_dev"
    jsonl, db, exp = out / "dev.jsonl", out / "dev.db", out / "exp"
    exp.mkdir(exist_ok=True)
    py = sys.executable
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    subprocess.run([py, str(fakes / "fakes_to_jsonl.py"), str(fakes / "fakes_dev.csv"), str(jsonl)],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run([py, "-m", "newsgraph.cli", "build", str(jsonl), "--db", str(db), "--workers", str(workers)],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    for what in ("documents", "events"):
        subprocess.run([py, "-m", "newsgraph.cli", "export", what, "--format", "jsonl", "--db", str(db),
                        "--out", str(exp / f"{what}.jsonl")], check=True, env=env, stdout=subprocess.DEVNULL)
    return exp


def _places_module():
    """eval/fakes_event_places.py: what makes a place one no event happens at (one rule, two scorers)."""
    spec = importlib.util.spec_from_file_location("fakes_event_places", ROOT / "eval" / "fakes_event_places.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _pub_range(pub: str | None) -> tuple[dt.date, dt.date] | None:
    if not pub:
        return None
    d = dt.date.fromisoformat(pub[:10])
    return d - dt.timedelta(days=1), d


def figures(shared: Path, exp: Path, audit: int = 0, seed: int = 11) -> dict:
    sf = _scorer(shared)
    gold = sf.load_gold(str(shared / "eval" / "fakes_dev" / "fakes_dev.csv"))
    docs = [json.loads(x) for x in open(exp / "documents.jsonl", encoding="utf-8") if x.strip()]
    events = [json.loads(x) for x in open(exp / "events.jsonl", encoding="utf-8") if x.strip()]
    by_url = {d.get("url"): d for d in docs}
    by_id = {d["id"]: d for d in docs}
    evd = collections.defaultdict(list)
    for e in events:
        evd[e["evidence"][0]["document_id"]].append(e)
    group_doc = {}                        # repeated texts were stored once: their rows share it
    for g in gold:
        if g["url"] in by_url:
            group_doc.setdefault(g["group"], by_url[g["url"]])
    c = collections.Counter()
    how = collections.defaultdict(lambda: [0, 0])
    for g in gold:
        doc = by_url.get(g["url"]) or group_doc.get(g["group"])
        if doc is None:
            continue
        c["articles"] += 1
        evs = evd.get(doc["id"], [])
        viol = [e for e in evs if e["type"] in sf.VIOLENT]
        main = ([e for e in evs if e["type"] == "killing"] or viol or [None])[0]
        pub = (doc.get("published") or {}).get("value")
        pd = {"start": pub, "end": pub, "precision": "day"} if pub else None
        c["pub_pm1"] += sf.date_checks(pd, g["date"])["pm1"]
        if main is None:
            continue
        date = main.get("date")
        dc = sf.date_checks(date, g["date"])
        pc = sf.place_checks(main.get("place"), g["location"])
        c["day_pm1"] += dc["pm1"]
        c["dated"] += bool(date)
        c["governorate"] += pc["admin1"]
        c["governorate_lenient"] += pc["admin1_lenient"]
        key = (date or {}).get("how") or ("stated" if date else "undated")
        how[key][0] += 1
        how[key][1] += dc["pm1"]
        pr = _pub_range(pub)
        if date and not dc["pm1"] and pr and date.get("precision") == "day" and key != "published" \
                and pr[0] <= dt.date.fromisoformat(date["start"]) <= pr[1]:
            c["text_agrees_with_publication"] += 1
        if g["total"]:
            c["with_total"] += 1
            c["count_contains"] += sf.contains(sf.ranges(main), g["total"])
            c["count_contains_any"] += sf.contains([r for e in viol for r in sf.ranges(e)], g["total"])
    places = _places_module()
    agencies = places.agency_names()
    wrong = collections.Counter()
    for e in events:
        why = places.kind_of(e.get("place") or {}, by_id.get(e["evidence"][0]["document_id"], {}).get("text") or "",
                             agencies)
        if why:
            wrong[why] += 1
    n, nt = c["articles"] or 1, c["with_total"] or 1
    out = {
        "articles": c["articles"], "events": len(events),
        "governorate": round(c["governorate"] / n, 3), "governorate_lenient": round(c["governorate_lenient"] / n, 3),
        "day_pm1": round(c["day_pm1"] / n, 3), "dated": round(c["dated"] / n, 3),
        "publication_baseline_pm1": round(c["pub_pm1"] / n, 3),
        "day_pm1_by_how": {k: {"events": v[0], "pm1": round(v[1] / v[0], 3)} for k, v in sorted(how.items())},
        "text_agrees_with_publication": c["text_agrees_with_publication"],
        "count_contains": round(c["count_contains"] / nt, 3), "count_contains_any": round(c["count_contains_any"] / nt, 3),
        "articles_with_total": c["with_total"],
        "misplaced": dict(wrong), "misplaced_total": sum(wrong.values()),
    }
    if audit:
        rnd = random.Random(seed)
        out["audit"] = [_audit_row(e, by_id) for e in rnd.sample(events, min(audit, len(events)))]
    return out


def _audit_row(e: dict, by_id: dict) -> dict:
    p = e.get("place") or {}
    doc = by_id.get(e["evidence"][0]["document_id"], {})
    return {"id": e["id"], "type": e["type"], "trigger": e["trigger"]["text"],
            "acled": [e.get("mappings", {}).get(k) for k in ("acled_event_type", "acled_sub_event_type")],
            "place": f"{p.get('name')} ({p.get('admin1')}, {p.get('precision')}; {p.get('how')})" if p else None,
            "date": e.get("date"), "count": (e.get("count") or {}).get("best"),
            "fatalities": (e.get("fatalities") or {}).get("best"), "factuality": e.get("factuality"),
            "published": (doc.get("published") or {}).get("value"),
            "sentence": e["evidence"][0].get("sentence")}


def main(argv: list[str]) -> int:
    opt = lambda k, d=None: argv[argv.index(k) + 1] if k in argv else d
    shared = Path(opt("--shared", str(ROOT.parent / "shared")))
    if opt("--build"):
        exp = build(shared, Path(opt("--build")))
    elif opt("--exp"):
        exp = Path(opt("--exp"))
    else:
        sys.exit(__doc__)
    out = figures(shared, exp, int(opt("--audit", 0)), int(opt("--seed", 11)))
    text = json.dumps(out, indent=1, ensure_ascii=False)
    if opt("--json"):
        Path(opt("--json")).write_text(text, "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
