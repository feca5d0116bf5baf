"""Golden claim clusters and origins on the five seed articles (tests/golden/claim_clusters_seeds.json)."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from newsgraph.store import open_store

GOLDEN = json.loads((Path(__file__).parent / "golden" / "claim_clusters_seeds.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seeds(seeds_kb):
    store = open_store(seeds_kb)
    yield store
    store.close()


def prefix(doc: dict) -> str:
    return doc["origin"].replace("\\", "/").split("/")[-1][:3]


def test_no_cluster_spans_two_seeds_and_nothing_contradicts(seeds):
    clusters = list(seeds.iter_corpus_records("claim_cluster"))
    ids = {c["id"] for c in clusters}
    features = list(seeds.iter_corpus_records("claim_feature"))
    assert len(features) == sum(len(c["claims"]) for c in clusters) == 162  # claims that are propositions (fragments and unresolved pronouns are none)
    assert all(f["cluster_id"] in ids for f in features)
    assert [c["text"] for c in clusters if len(c["documents"]) > 1] == GOLDEN["cross_document_clusters"]
    assert [c["text"] for c in clusters if c["contradicting"]] == GOLDEN["contradictions"]


def test_document_origins(seeds):
    keys = {d["id"]: prefix(d) for d in seeds.iter_documents()}
    counts: dict[str, Counter] = {}
    found: dict[str, dict] = {}
    for c in seeds.iter_corpus_records("claim_cluster"):
        for o in c["origins"]:
            for d in o["documents"]:
                counts.setdefault(keys[d], Counter())[o["name"]] += len(o["claims"])
                found[(keys[d], o["name"])] = o
    for doc, expected in GOLDEN["document_origins"].items():
        name = counts[doc].most_common(1)[0][0]
        o = found[(doc, name)]
        assert {"name": name, "kind": o["kind"], "interested": o["interested"], "reliability": o["reliability"]} == expected


def test_source_priors_loaded(seeds):
    sources = {s["id"]: [s["reliability"], s["interested"]] for s in seeds.iter_sources()}
    assert sources == GOLDEN["sources"]


def test_repackaged_guardian_article_has_the_guardian_as_origin(seeds):
    keys = {d["id"]: prefix(d) for d in seeds.iter_documents()}
    chains = {tuple(o["chain"][1:]) for c in seeds.iter_corpus_records("claim_cluster") for o in c["origins"]
              if keys[o["documents"][0]] == "001"}
    assert chains == {("The Guardian",)}


def test_is_members_crossing_into_turkey_is_one_cluster_with_its_origins(seeds):
    keys = {d["id"]: prefix(d) for d in seeds.iter_documents()}
    (c,) = [c for c in seeds.iter_corpus_records("claim_cluster") if len(c["documents"]) > 1]
    assert sorted(keys[d] for d in c["documents"]) == ["001", "002"]
    supporting = [(o["name"], o["kind"], o["interested"], keys[o["documents"][0]]) for o in c["origins"]
                  if o["side"] == "supporting"]
    assert supporting == [("The Guardian", "outlet", False, "001"),
                          ("YPG Anti-Terror Units General Command", "party", True, "002")]
    assert c["independent_origins"] == 2 and c["credibility"]["grade"] == 1
    texts = sorted(e["text"] for e in c["supporting"])
    assert texts == ["IS terrorists trying to go to Turkey",
                     "Several dozen former fighters have already made it across the heavily patrolled frontier to towns "
                     "and cities in Turkey’s south in recent weeks"]
