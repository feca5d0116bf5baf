"""Claim clusters across documents on the demo knowledge base: the clusters a careful reader
makes, the 27 vs 41 contradiction between independent origins, no contradiction between a $50
taxi fare and a $2,000 smuggling fee, and incremental joining."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.corpus import claims as claims_stage
from newsgraph.corpus.claims_match import amount_conflict, compare, features
from newsgraph.store import open_store

GOLDEN = Path(__file__).parent / "golden"


def file_key(doc: dict) -> str:
    """"01" … "12", "09a"/"09b" for the two lines of the JSONL file."""
    name = doc["origin"].replace("\\", "/").split("/")[-1]
    key = name[:2]
    if ":" in name:
        key += "ab"[int(name.rsplit(":", 1)[1]) - 1]
    return key


def summarise(store) -> list[dict]:
    keys = {d["id"]: file_key(d) for d in store.iter_documents()}
    out = []
    for c in store.iter_corpus_records("claim_cluster"):
        if len(c["documents"]) < 2:
            continue
        out.append({
            "text": c["text"],
            "documents": sorted(keys[d] for d in c["documents"]),
            "supporting": sorted(keys[e["document_id"]] for e in c["supporting"]),
            "contradicting": sorted([keys[e["document_id"]], e["reason"]] for e in c["contradicting"]),
            "independent_origins": c["independent_origins"],
            "article_count": c["article_count"],
            "grade": c["credibility"]["grade"],
        })
    return sorted(out, key=lambda c: (c["documents"], c["text"]))


@pytest.fixture(scope="module")
def demo(demo_kb):
    store = open_store(demo_kb)
    yield store
    store.close()


def cluster_with(store, words: str) -> dict:
    (cluster,) = [c for c in store.iter_corpus_records("claim_cluster") if words in c["text"]]
    return cluster


def test_demo_clusters_are_the_golden_ones(demo):
    expected = json.loads((GOLDEN / "claim_clusters_demo.json").read_text(encoding="utf-8"))
    assert summarise(demo) == expected


def test_27_vs_41_is_a_contradiction_between_independent_origins(demo):
    c = cluster_with(demo, "Turkish police detained 27 people")
    # only the claim about the same merged arrest event contradicts ("By our count 41 suspects were
    # detained" names no event of its own, so it is not joined to this incident)
    assert [e["reason"] for e in c["contradicting"]] == ["count 41 vs 27"]
    assert {e["source"] for e in c["contradicting"]} == {"Frontier Dispatch"}
    assert [e["source"] for e in c["supporting"]] == ["Levant Ledger", "Anatolia Wire"]
    (contra,) = c["contradiction_origins"]
    assert (contra["name"], contra["kind"], contra["interested"]) == ("Kurdish security official", "official", True)
    assert c["independent_origins"] == 1 and c["article_count"] == 2
    supporting = [o["name"] for o in c["origins"] if o["side"] == "supporting"]
    assert supporting == ["city's police department", "city's police department"]


def test_fare_and_fee_are_not_a_contradiction(demo):
    keys = {d["id"]: file_key(d) for d in demo.iter_documents()}
    for c in demo.iter_corpus_records("claim_cluster"):
        files = {keys[d] for d in c["documents"]}
        assert not ({"04"} <= files and files & {"06", "07"}), c["text"]
        assert not any("amount" in (e["reason"] or "") for e in c["contradicting"])
    fee = cluster_with(demo, "Four Saudi nationals arrived")
    assert fee["contradicting"] == [] and sorted(keys[d] for d in fee["documents"]) == ["06", "07"]


def test_amounts_of_different_things_never_conflict():
    fare = {"low": None, "best": 50.0, "high": None, "unit": "USD", "per": "trip", "text": "about $50 per trip",
            "partial": False}
    fee = {"low": None, "best": 2000.0, "high": None, "unit": "USD", "per": None, "text": "$2,000 each",
           "partial": False}
    assert amount_conflict(fare, fee, "amount") is None
    total = {"low": 27.0, "best": 27.0, "high": 27.0, "unit": "person", "per": None, "text": "27 people",
             "partial": False}
    part = {"low": 5.0, "best": 5.0, "high": 5.0, "unit": "person", "per": None, "text": "five of them",
            "partial": True}
    assert amount_conflict(total, part, "count") is None
    other = dict(total, low=41.0, best=41.0, high=41.0, unit="suspect", text="41 suspects")
    assert amount_conflict(total, other, "count") == "count 41 vs 27"
    vague = dict(total, low=21.0, best=None, high=None, text="more than 20")
    assert amount_conflict(total, vague, "count") is None


def _claim(cid, text, predicate, subject, obj, count=None, money=None, negated=False):
    slots = {}
    if count:
        slots["quantity"] = count
    if money:
        slots["money"] = money
    return {"id": cid, "text": text, "predicate": predicate, "subject": {"text": subject, "canonical": None},
            "object": {"text": obj, "canonical": None} if obj else None, "slots": slots, "negated": negated,
            "modality": "asserted", "evidence": [{"document_id": "d", "start": 0, "end": len(text), "sentence": text}]}


def test_taxi_fare_and_smuggling_fee_do_not_even_match():
    taxi = features(_claim("a", "Drivers charge about $50 per trip from Al Hasakah", "charge", "Drivers", "about $50"),
                    None, "d1", "X")
    fee = features(_claim("b", "Four Saudi nationals handed smugglers $2,000 each", "hand", "Four Saudi nationals",
                          "smugglers"), None, "d2", "Y")
    assert compare(taxi, fee, lambda t: 1.0)["match"] is False


def test_a_new_article_joins_the_existing_cluster_incrementally(tmp_path, demo_corpus):
    from conftest import build_knowledge_base

    db = str(tmp_path / "inc.db")
    files = sorted(demo_corpus.glob("0[12]_*"))
    build_knowledge_base(db, [str(p) for p in files])
    store = open_store(db)
    try:
        before = cluster_with(store, "Turkish police detained 27 people")
        assert before["contradicting"] == [] and before["credibility"]["grade"] == 6
        n_before = sum(1 for _ in store.iter_corpus_records("claim_cluster"))
    finally:
        store.close()
    build_knowledge_base(db, [str(next(demo_corpus.glob("03_*")))])
    store = open_store(db)
    try:
        after = cluster_with(store, "Turkish police detained 27 people")
        assert after["id"] == before["id"]
        assert [e["reason"] for e in after["contradicting"]] == ["count 41 vs 27"]
        assert sum(1 for _ in store.iter_corpus_records("claim_cluster")) > n_before
        done = store.documents_done("claims", claims_stage.VERSION)
        assert len(done) == 3
    finally:
        store.close()
