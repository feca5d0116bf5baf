"""The synthetic news generator of the scale benchmarks (bench/generate.py)."""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402  (bench/ is not a package)

from newsgraph.sources.readers import RawArticle, read_inputs  # noqa: E402


def test_same_seed_same_articles_other_seed_others():
    a = list(generate.generate(60, seed=3))
    assert a == list(generate.generate(60, seed=3))
    assert {x["text"] for x in a}.isdisjoint({x["text"] for x in generate.generate(60, seed=4)})


def test_distinct_articles_with_the_fields_the_reader_needs(tmp_path):
    items = list(generate.generate(400, seed=1))
    assert len({x["text"] for x in items}) == 400
    assert len({x["url"] for x in items}) == 400
    path = tmp_path / "corpus.jsonl"
    assert generate.write(items, path) == 400
    read = list(read_inputs([str(path)]))
    assert len(read) == 400 and all(isinstance(r, RawArticle) for r in read)
    for raw in read[:50]:
        assert set(raw.fields) >= {"url", "title", "source", "published"}
        assert raw.fmt == "text" and len(raw.content.split()) >= 120
    words = [len(x["text"].split()) for x in items]
    assert 150 <= sorted(words)[len(words) // 2] <= 400


def test_outlets_places_dates_and_kinds_vary():
    items = list(generate.generate(400, seed=1))
    assert len({x["source"] for x in items}) >= 20
    assert len({x["published"][:7] for x in items}) >= 20  # months over three years
    incidents = {x["incident"]: generate.incident(1, x["incident"]) for x in items}
    assert len({i.town for i in incidents.values()}) >= 25
    assert {i.kind for i in incidents.values()} == set(generate.KIND_WEIGHTS)
    assert len(incidents) <= generate.pool_size(400)


def test_incidents_are_told_by_several_outlets_with_differing_counts():
    items = list(generate.generate(400, seed=1))
    by_incident = defaultdict(list)
    for x in items:
        by_incident[x["incident"]].append(x)
    multi = [reports for reports in by_incident.values() if len({r["source"] for r in reports}) >= 3]
    assert len(multi) >= len(by_incident) // 2
    differing = 0
    for key, reports in by_incident.items():
        inc = generate.incident(1, key)
        counts = {c for c in [inc.count] + inc.other_counts if any(f" {c} " in r["text"] for r in reports)}
        differing += len(counts) > 1
    assert differing >= len(by_incident) // 3


def test_new_range_is_distinct_and_partly_about_known_incidents():
    base = list(generate.generate(200, seed=1))
    extra = list(generate.generate(10, seed=1, start=200, pool=generate.pool_size(200), fresh=0.5))
    assert {x["text"] for x in extra}.isdisjoint({x["text"] for x in base})
    known = {x["incident"] for x in base}
    assert 0 < sum(x["incident"] in known for x in extra) < 10


@pytest.mark.slow
def test_generated_articles_build_into_stories_and_claims(tmp_path):
    """A real build of 30 generated articles (about 7 incidents): stories and claim clusters
    that span documents."""
    from click.testing import CliRunner

    from newsgraph.cli import main
    from newsgraph.store import open_store

    path = tmp_path / "corpus.jsonl"
    generate.write(generate.generate(30, seed=2), path)
    db = tmp_path / "kb.db"
    result = CliRunner().invoke(main, ["build", str(path), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    store = open_store(str(db), create=False)
    try:
        stories = list(store.iter_corpus_records("story"))
        clusters = list(store.iter_corpus_records("claim_cluster"))
        assert len(list(store.iter_documents())) == 30
    finally:
        store.close()
    assert any(len(s["documents"]) > 1 for s in stories)
    assert any(len(c["documents"]) > 1 for c in clusters)
    incidents = {json.loads(line)["incident"] for line in path.read_text().splitlines()}
    assert len(stories) <= 2 * len(incidents)
