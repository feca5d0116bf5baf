"""The corpus stages take a large corpus in batches (memory bounded by the batch): built in
batches of three documents, the demo corpus still has every document in exactly one story, every
per-document event in exactly one merged event, every claim in exactly one cluster and every
mention linked to an entity that exists, and about the figures of a build in one batch."""
from __future__ import annotations

from conftest import build_knowledge_base
from newsgraph.corpus import claims, entities, stories
from newsgraph.store import open_store


def _shape(db: str) -> dict:
    store = open_store(db)
    try:
        docs = [d["id"] for d in store.iter_documents()]
        story_docs = [d for s in store.iter_corpus_records("story") for d in s["documents"]]
        members = [m for e in store.iter_corpus_records("event") for m in e["members"]]
        events = [e["id"] for e in store.iter_records("events")]
        clustered = [c for cl in store.iter_corpus_records("claim_cluster") for c in cl["claims"]]
        claimed = [c["id"] for c in store.iter_records("claims") if c.get("modality") not in claims.SKIP_MODALITIES]
        ids = {e["id"] for e in store.iter_entities()}
        links = [m.get("resolved_entity_id") for m in store.mentions_of(docs)]
        return {"docs": docs, "story_docs": story_docs, "members": members, "events": events,
                "clustered": clustered, "claimed": claimed, "entity_ids": ids, "links": links,
                "stories": store.count_corpus_records("story"), "clusters": store.count_corpus_records("claim_cluster")}
    finally:
        store.close()


def test_a_corpus_built_in_batches_of_three_covers_everything_once(tmp_path, demo_corpus, demo_kb, monkeypatch):
    for module in (entities, stories, claims):
        monkeypatch.setattr(module, "BATCH", 3)
    shape = _shape(build_knowledge_base(str(tmp_path / "batched.db"), [str(demo_corpus)]))
    whole = _shape(demo_kb)
    assert len(shape["docs"]) > 3 * 4  # five batches or more
    assert sorted(shape["story_docs"]) == sorted(shape["docs"])
    assert sorted(shape["members"]) == sorted(shape["events"])
    assert sorted(shape["clustered"]) == sorted(shape["claimed"])
    assert shape["links"] and all(link in shape["entity_ids"] for link in shape["links"])
    assert abs(len(shape["entity_ids"]) - len(whole["entity_ids"])) <= 0.1 * len(whole["entity_ids"])
    assert abs(shape["stories"] - whole["stories"]) <= max(2, 0.2 * whole["stories"])
    assert abs(shape["clusters"] - whole["clusters"]) <= 0.1 * whole["clusters"]
