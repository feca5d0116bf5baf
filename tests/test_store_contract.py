"""The store contract: every backend (SQLite file, PostgreSQL server) passes the same tests."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from newsgraph.pipeline.prepare import lsh_keys, minhash
from newsgraph.records import Document, RemovedSpan
from newsgraph.store import StoreDataError, StoreError, open_store

MIGRATIONS = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "store" / "migrations" / "versions"


def make_doc(doc_id: str, text: str, source: str | None = "Levant Ledger", **extra) -> Document:
    values = dict(
        id=doc_id, url=f"https://example.test/{doc_id}", source=source, title=f"Title {doc_id}",
        author="Hannah Mercer", published="2017-10-03", published_precision="day", language="en",
        input_format="text", raw="RAW " + text, source_text="RAW " + text, clean_text=text,
        offset_map=[[0, 4, len(text)]], origin=f"/in/{doc_id}.txt",
        removed=[RemovedSpan(0, 3, "navigation", "site navigation", "RAW")],
        comments=[{"author": "Reader", "date": "2017-10-04", "text": "Fifty, not 27."}],
        credited=[{"name": "Anatolia Wire", "evidence": "Originally published by Anatolia Wire", "how": "credit line"}],
        notes=[], minhash=minhash(text),
    )
    values.update(extra)
    return Document(**values)


TEXT = "Police detained 27 people in Gaziantep on October 2, 2017, a spokesman said on Tuesday."


def test_add_and_read_back_a_document(store):
    doc = make_doc("a1", TEXT)
    assert store.add_document(doc, lsh_keys=lsh_keys(doc.minhash)) is True
    got = store.get_document("a1")
    assert got["text"] == TEXT
    assert got["source"] == "Levant Ledger"
    assert got["published"] == {"value": "2017-10-03", "precision": "day"}
    assert got["removed"] == [{"start": 0, "end": 3, "kind": "navigation", "reason": "site navigation", "text": "RAW"}]
    assert got["comments"][0]["text"] == "Fifty, not 27."
    assert got["credited"][0]["name"] == "Anatolia Wire"
    assert got["offset_map"] == [[0, 4, len(TEXT)]]
    assert store.get_document("a1", raw=True)["raw"] == "RAW " + TEXT
    assert store.get_document("missing") is None


def test_same_id_twice_changes_nothing(store):
    doc = make_doc("a1", TEXT)
    assert store.add_document(doc) is True
    assert store.add_document(make_doc("a1", "something else entirely")) is False
    assert store.get_document("a1")["text"] == TEXT
    stats = store.stats()
    assert stats["documents"] == 1 and stats["removed_spans"] == 1 and stats["sources"] == 1


def test_near_duplicates_are_linked_both_ways_and_found_by_lsh(store):
    first = make_doc("a1", TEXT)
    store.add_document(first, lsh_keys=lsh_keys(first.minhash))
    second = make_doc("b2", TEXT.replace("Tuesday", "Monday"), source="Anatolia Wire")
    candidates = store.lsh_candidates(lsh_keys(second.minhash))
    assert set(candidates) == {"a1"}
    assert candidates["a1"] == first.minhash
    store.add_document(second, near_duplicates=[("a1", 0.75)], lsh_keys=lsh_keys(second.minhash))
    assert store.get_document("a1")["near_duplicates"] == [{"id": "b2", "similarity": 0.75}]
    assert store.get_document("b2")["near_duplicates"] == [{"id": "a1", "similarity": 0.75}]
    assert store.stats()["near_duplicate_pairs"] == 1
    assert store.stats()["sources"] == 2


def test_iter_documents_in_ingest_order(store):
    for doc_id in ("z9", "a1", "m5"):
        store.add_document(make_doc(doc_id, f"{TEXT} ({doc_id})"))
    assert [d["id"] for d in store.iter_documents()] == ["z9", "a1", "m5"]


def test_a_failed_write_leaves_nothing_half_written(store):
    bad = make_doc("a1", TEXT, removed=[RemovedSpan(0, 3, None, "no kind", "RAW")])  # kind is NOT NULL
    with pytest.raises(StoreDataError, match=r"the database refused a value \(.*(removed_spans\.kind|\"kind\" of relation \"removed_spans\")"):
        store.add_document(bad)
    assert store.get_document("a1") is None
    assert store.stats()["removed_spans"] == 0
    assert store.stats()["sources"] == 0
    assert store.add_document(make_doc("a1", TEXT)) is True


def test_reopening_keeps_data_and_schema(db_url):
    first = open_store(db_url)
    first.add_document(make_doc("a1", TEXT))
    first.close()
    again = open_store(db_url)
    try:
        assert again.get_document("a1")["text"] == TEXT
        with again.engine.connect() as conn:
            head = max(p.name[:4] for p in MIGRATIONS.glob("0*.py"))
            assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == head
    finally:
        again.close()


def test_ingest_log_records_each_input(store):
    store.log_ingest("run1", "/in/a.txt", "added", "a1")
    store.log_ingest("run1", "/in/b.txt", "failed", reason="empty file: nothing to read")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("select origin, status, reason from ingest_log order by id")).all()
    assert [tuple(r) for r in rows] == [("/in/a.txt", "added", None), ("/in/b.txt", "failed", "empty file: nothing to read")]


def test_bad_database_locations_give_clear_errors(tmp_path):
    with pytest.raises(StoreError, match="folder .* does not exist"):
        open_store(str(tmp_path / "nowhere" / "kb.db"))
    with pytest.raises(StoreError, match="is a folder"):
        open_store(str(tmp_path))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a newsgraph database or is damaged"):
        open_store(str(junk))
    with pytest.raises(StoreError, match="unsupported database URL"):
        open_store("mysql://localhost/x")


@pytest.mark.postgres
def test_unreachable_postgres_gives_clear_error():
    with pytest.raises(StoreError, match="cannot open database postgresql\\+psycopg://newsgraph:\\*\\*\\*@127.0.0.1:1/kb"):
        open_store("postgresql://newsgraph:secret@127.0.0.1:1/kb")


def test_corpus_records_replace_upsert_and_read_back(store):
    assert store.replace_corpus_records("story", [{"id": "s2", "title": "Raid"}, {"id": "s1", "title": "Fee"}]) == 2
    assert [r["id"] for r in store.iter_corpus_records("story")] == ["s1", "s2"]
    store.upsert_corpus_records("story", [{"id": "s1", "title": "Smuggling fee"}], delete_ids=["s2"])
    assert list(store.iter_corpus_records("story")) == [{"id": "s1", "title": "Smuggling fee"}]
    assert store.get_corpus_record("story", "s1")["title"] == "Smuggling fee"
    assert store.get_corpus_record("story", "s2") is None
    assert store.get_corpus_record("event", "s1") is None
    assert store.stats()["corpus:story"] == 1


def test_documents_done_are_kept_per_stage_and_version(store):
    store.add_document(make_doc("a1", TEXT))
    store.add_document(make_doc("a2", "Another text about a fee of $2,000 each."))
    store.mark_done("stories", "v1", ["a1", "a2"])
    assert store.documents_done("stories", "v1") == {"a1", "a2"}
    assert store.documents_done("stories", "v2") == set()
    assert store.documents_done("claims", "v1") == set()
    store.mark_done("stories", "v2", ["a1"])
    assert store.documents_done("stories", "v1") == {"a2"}
    store.reset_done("stories")
    assert store.documents_done("stories", "v1") == set()


def test_decisions_and_source_reliability(store):
    store.add_document(make_doc("a1", TEXT))
    first = store.add_decision("entity_merge", "ent-a", {"into": "ent-b"}, note="same person")
    second = store.add_decision("source_reliability", "levant-ledger", {"reliability": "B"})
    assert second > first
    assert [d["kind"] for d in store.iter_decisions()] == ["entity_merge", "source_reliability"]
    merge = next(store.iter_decisions("entity_merge"))
    assert (merge["subject"], merge["data"], merge["note"]) == ("ent-a", {"into": "ent-b"}, "same person")
    assert store.update_source("levant-ledger", reliability="B", reliability_basis="track record") is True
    assert store.update_source("nobody", reliability="C") is False
    [source] = store.iter_sources()
    assert source == {"id": "levant-ledger", "name": "Levant Ledger", "domain": None, "reliability": "B",
                      "reliability_basis": "track record", "interested": False, "documents": 1}
    with pytest.raises(StoreError, match="cannot set name on a source"):
        store.update_source("levant-ledger", name="x")


# -- the read model (store/views.py, store/search.py): the same answers on every backend -------------

def _analysed(store):
    """Two documents with a mention, an event and a claim each, an entity and corpus records."""
    for i, (doc_id, text) in enumerate((("d1", TEXT), ("d2", "Turkish police said 41 people were held in Antep."))):
        store.add_document(make_doc(doc_id, text, published=f"2017-10-0{3 + i}"))
        ev = {"start": 0, "end": len(text), "sentence": text}
        store.save_analysis(doc_id, "v1", {
            "mentions": [{"start": text.index("p") if "police" in text else 0, "end": 6, "label": "ORG",
                          "text": text[:6], "sentence_start": 0, "sentence_end": len(text), "entity_id": "ent-1"}],
            "events": [{"id": f"evt-{doc_id}", "type": "arrest", "evidence": [ev]}],
            "claims": [{"id": f"clm-{doc_id}", "type": "claim", "text": text[:20], "evidence": [ev]}],
        })
    store.replace_entities([{"id": "ent-1", "type": "ORG", "name": "Police", "aliases": ["Police", "Polis"],
                             "mention_count": 2, "documents": ["d1", "d2"], "local_ids": ["ent-1"]}], {})
    store.replace_corpus_records("event", [{"id": "event-1", "type": "arrest", "members": ["evt-d1", "evt-d2"],
                                            "documents": ["d1", "d2"], "sources": ["Levant Ledger"]}])


def test_read_model_views(store):
    from newsgraph.store import views

    _analysed(store)
    briefs = views.document_briefs(store, ["d2", "d1", "nope", None])
    assert sorted(briefs) == ["d1", "d2"]
    assert briefs["d1"] == {"id": "d1", "title": "Title d1", "source": "Levant Ledger", "source_id": "levant-ledger",
                            "published": {"value": "2017-10-03", "precision": "day"}}
    assert views.document_texts(store, ["d1"]) == {"d1": TEXT}
    assert views.document_ids(store) == ["d2", "d1"]  # newest first
    assert views.document_ids(store, "levant-ledger") == ["d2", "d1"] and views.document_ids(store, "x") == []
    assert views.record(store, "events", "evt-d1")["type"] == "arrest"
    assert views.record(store, "events", "nope") is None
    assert [c["id"] for c in views.records(store, "claims")] == ["clm-d1", "clm-d2"]
    assert [c["id"] for c in views.records(store, "claims", ["d2"])] == ["clm-d2"]
    assert views.records(store, "claims", []) == []
    items, types = views.entity_rows(store)
    assert items == [{"id": "ent-1", "type": "ORG", "name": "Police", "mention_count": 2, "documents": 2}]
    assert types == ["ORG"] and views.entity_rows(store, "PERSON") == ([], ["ORG"])
    total, rows = views.mentions(store, entity_id="ent-1", limit=1)
    assert total == 2 and len(rows) == 1 and rows[0]["document_id"] == "d1"
    total, rows = views.mentions(store, document_id="d2")
    assert total == 1 and rows[0]["label"] == "ORG"
    assert views.entity_exists(store, "ent-1") and not views.entity_exists(store, "ent-2")
    assert views.entity_by_ref(store, "Polis")["id"] == "ent-1"
    with pytest.raises(ValueError, match="no entity with id or name 'Nobody'"):
        views.entity_by_ref(store, "Nobody")
    snapshot = views.catalog_rows(store)
    assert snapshot["merged"] is True and [e["id"] for e in snapshot["events"]] == ["event-1"]
    assert snapshot["events"][0]["members"] == ["evt-d1", "evt-d2"]
    assert snapshot["counts"] == {"documents": 2, "sources": 1, "entities": 1, "movements": 0, "claims": 2}
    before = views.fingerprint(store)
    store.add_decision("note", "d1", {})
    assert views.fingerprint(store) != before
    assert set(views.document_ingested_at(store)) == {"d1", "d2"}


def test_search_view(store):
    from newsgraph.corpus import search_index
    from newsgraph.store.search import entities_signature, entity_names, run_plan, snippet

    _analysed(store)
    search_index.run(store, lambda name="": None)
    found = run_plan(store, [["Gaziantep", "Antep"], ["police"]], ["document", "event"], limit=10, offset=0)
    assert (found["document"]["total"], found["event"]["total"]) == (2, 0)  # the merged event has no text
    titles = sorted(h["title"] for h in found["document"]["hits"])
    assert titles == ["Title d1", "Title d2"]
    hit = next(h for h in found["document"]["hits"] if h["title"] == "Title d2")
    assert {hit["snippet"][a:b] for a, b in hit["marks"]} == {"police", "Antep"}
    page = run_plan(store, [["police"]], ["document"], limit=1, offset=1)
    assert page["document"]["total"] == 2 and len(page["document"]["hits"]) == 1
    assert entity_names(store) == [("ent-1", "Police", ["Police", "Polis"], 2)]
    assert entities_signature(store)[0] == 1
    assert snippet("Raids in Aydın and Antep", ["aydin"]) == "Raids in \x02Aydın\x03 and Antep"


def test_blocking_keys_come_back_in_write_order_and_are_replaced_per_record(store):
    store.set_corpus_keys("story", {"s1": ["k|siege|100", "doc|a1"], "s2": ["k|siege|100"]})
    store.set_corpus_keys("story", {"s3": ["k|siege|100", "k|siege|all"]})
    store.set_corpus_keys("event", {"e1": ["k|siege|100"]})  # another kind never mixes in
    assert store.corpus_keys("story", ["k|siege|100", "k|nothing|1"]) == {"k|siege|100": ["s1", "s2", "s3"]}
    assert store.corpus_keys("story", ["k|siege|100"], latest=2) == {"k|siege|100": ["s2", "s3"]}
    # rewriting s1's keys moves it to the end and drops the keys it no longer has
    store.set_corpus_keys("story", {"s1": ["k|siege|100"]})
    assert store.corpus_keys("story", ["k|siege|100", "doc|a1"]) == {"k|siege|100": ["s2", "s3", "s1"]}
    store.set_corpus_keys("story", {"s9": ["k|x|1"]}, replace_all=True)
    assert store.corpus_keys("story", ["k|siege|100", "k|x|1"]) == {"k|x|1": ["s9"]}
    assert store.corpus_keys("event", ["k|siege|100"]) == {"k|siege|100": ["e1"]}


def test_incremental_reads_take_only_the_documents_and_records_asked_for(store):
    for doc_id, text in (("a1", TEXT), ("a2", "Shelling hit Idlib on Monday, killing four people."),
                         ("a3", "Border guards turned back 40 people near Kilis on Friday.")):
        store.add_document(make_doc(doc_id, text))
    assert store.documents_pending("claims", "3") == ["a1", "a2", "a3"] and not store.has_done("claims", "3")
    store.mark_done("claims", "3", ["a2"])
    store.mark_done("claims", "2", ["a1"])  # another version of the stage does not count
    assert store.documents_pending("claims", "3") == ["a1", "a3"] and store.has_done("claims", "3")
    assert store.documents_done_among("claims", "3", ["a1", "a2", "zz"]) == {"a2"}
    store.save_analysis("a3", "v1", {"events": [
        {"id": "ev-a3-0", "type": "attack", "evidence": [{"document_id": "a3", "start": 0, "end": 4, "sentence": "s"}]}]})
    store.save_analysis("a2", "v1", {"events": [
        {"id": f"ev-a2-{s}", "type": "attack", "evidence": [{"document_id": "a2", "start": s, "end": s + 4, "sentence": "s"}]}
        for s in (30, 5)]})
    assert [e["id"] for e in store.records_of("events", ["a3", "a2", "a1"])] == ["ev-a3-0", "ev-a2-5", "ev-a2-30"]
    assert sorted(store.records_by_id("events", ["ev-a2-5", "nope"])) == ["ev-a2-5"]
    store.upsert_corpus_records("story", [{"id": "s1", "n": 1}, {"id": "s2", "n": 2}])
    assert store.get_corpus_records("story", ["s2", "s3"]) == {"s2": {"id": "s2", "n": 2}}
    assert store.count_corpus_records("story") == 2
    docs = store.get_documents(["a3", "a1", "missing"])
    assert sorted(docs) == ["a1", "a3"] and docs["a3"]["text"].startswith("Border guards")


def test_a_blocking_key_longer_than_the_column_is_found_again(store):
    long_key = "name|ORG|" + "committee " * 60
    store.set_corpus_keys("entity", {"e1": [long_key, "name|ORG|short"]})
    assert store.corpus_keys("entity", [long_key]) == {long_key: ["e1"]}
    assert store.corpus_keys("entity", [long_key], latest=1) == {long_key: ["e1"]}
