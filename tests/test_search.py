"""Full-text search: the index stage (incremental) and queries on SQLite FTS5 and PostgreSQL."""
from __future__ import annotations

import json

import pytest
from conftest import build_knowledge_base

from newsgraph.corpus import search_index
from newsgraph.store import open_store
from newsgraph.store.sql import now
from newsgraph.web.search import search

RAID_TITLES = [
    "27 Islamic State suspects held in Gaziantep raids",
    "Before Brussels: how the Bakraoui brothers moved through Turkey",
    "Gaziantep police detain 27 in dawn raid on Islamic State suspects",
    "Kurdish official says Turkish raid in Antep netted 41 IS suspects",
    "YPG units arrest more than 20 IS members heading for Turkey",
]


@pytest.fixture
def demo(demo_kb):
    s = open_store(demo_kb)
    yield s
    s.close()


def test_gaziantep_finds_the_raid_documents_and_the_place(demo):
    found = search(demo, "Gaziantep", limit=50)
    docs = found["results"]["document"]
    assert docs["total"] == 5
    assert sorted(h["title"] for h in docs["hits"]) == RAID_TITLES
    places = [h for h in found["results"]["entity"]["hits"] if h["title"] == "Gaziantep"]
    assert len(places) == 1
    assert places[0]["snippet"].startswith("PLACE\n")
    # the three articles with the name (or its alias Antep) in their title rank first
    assert {h["title"] for h in docs["hits"][:3]} == {RAID_TITLES[0], RAID_TITLES[2], RAID_TITLES[3]}


def test_a_name_finds_what_its_aliases_find(demo):
    def docs(q):
        found = search(demo, q, kinds=["document"], limit=50)
        return found, {h["ref"] for h in found["results"]["document"]["hits"]}

    islamic_state, by_name = docs("Islamic State")
    isis, by_isis = docs("ISIS")
    assert len(by_name) == 12 and by_isis == by_name
    assert isis["expanded"] == [{"words": "ISIS", "names": ["Islamic State", "Daesh", "ISIS"]}]
    acronym, by_acronym = docs("IS")
    assert by_acronym == by_name  # the alias IS as typed: the group, never the verb "is"
    verb, _ = docs("is")
    assert (verb["total"], verb["note"]) == (0, "only stop words: type a name, a place or what happened")
    assert docs("Antep")[1] == docs("Gaziantep")[1] and len(docs("Antep")[1]) == 5
    both, found = docs("Islamic State Gaziantep")
    assert found <= by_name and len(found) == 5


def test_a_mistyped_name_is_corrected(demo):
    found = search(demo, "Gazientep", limit=50)
    assert (found["suggestion"], found["corrected"]) == ("Gaziantep", True)
    assert found["results"]["document"]["total"] == 5
    nothing = search(demo, "Qwertyuiop", limit=50)
    assert (nothing["total"], nothing["suggestion"], nothing["corrected"]) == (0, None, False)


def test_snippet_marks_point_at_the_matched_words(demo):
    hits = search(demo, "Gaziantep", kinds=["document"], limit=50)["results"]["document"]["hits"]
    for hit in hits:
        marked = {hit["snippet"][a:b] for a, b in hit["marks"]}
        assert marked <= {"Gaziantep", "Antep"}  # the alias is marked too
    assert any(hit["marks"] for hit in hits)


def test_stemming_accents_and_odd_input(demo):
    # "detain" finds "detained"; dotless ı and Ş are found from plain ASCII spellings
    assert search(demo, "detain", kinds=["document"])["results"]["document"]["total"] == 7
    ascii_hits = search(demo, "Aydin", kinds=["document"])["results"]["document"]
    turkish_hits = search(demo, "Aydın", kinds=["document"])["results"]["document"]
    assert ascii_hits["total"] == turkish_hits["total"] == 2
    assert search(demo, "Sahinbey", kinds=["document"])["results"]["document"]["total"] == 2
    # FTS syntax in the query is taken as words, never as an error
    assert search(demo, 'NEAR( "unbalanced * ) ^', kinds=["document"])["results"]["document"]["total"] == 0
    assert search(demo, "   ")["total"] == 0
    with pytest.raises(ValueError, match="unknown kind 'nope'"):
        search(demo, "x", kinds=["nope"])


def test_stage_is_incremental(demo_kb_copy, demo_corpus, tmp_path):
    s = open_store(demo_kb_copy)
    try:
        again = search_index.run(s, lambda name="": None)
        assert again.startswith("indexed 0 documents, 0 entity items, 0 event items, 0 claim items, 0 story items, "
                                "0 source items; removed 0;")
        # a changed entity is re-indexed alone, and found by its new name only
        entities = list(s.iter_entities())
        target = next(e for e in entities if e["name"] == "Gaziantep")
        target["name"] = "Zeugmapolis"
        target["aliases"], target["attributes"] = ["Zeugmapolis"], {}
        with s.engine.begin() as conn:
            table = s.t["entities"]
            conn.execute(table.update().where(table.c.id == target["id"]).values(  # as the store writes it: stamped
                name="Zeugmapolis", data=json.dumps(target), updated_at=now()))
        summary = search_index.run(s, lambda name="": None)
        assert "0 documents, 1 entity items, 0 event items" in summary
        hits = search(s, "Zeugmapolis", kinds=["entity"])["results"]["entity"]["hits"]
        assert [h["ref"] for h in hits] == [target["id"]]
        assert [h["title"] for h in search(s, "Gaziantep", kinds=["entity"])["results"]["entity"]["hits"]] == [
            "Kemal Aydın"]
        # a new document is indexed on its own
        new = tmp_path / "new.txt"
        new.write_text("Zeugmapolis archive\n\nA quiet note about the Zeugmapolis ferry timetable.\n", encoding="utf-8")
        from newsgraph.pipeline.ingest import ingest
        assert ingest([str(new)], s).ok
        assert search_index.run(s, lambda name="": None).startswith("indexed 1 documents")
        docs = search(s, "ferry timetable", kinds=["document"])["results"]["document"]
        assert docs["total"] == 1 and docs["hits"][0]["title"] == "Zeugmapolis archive"
    finally:
        s.close()


def test_postgresql_search(pg_url, demo_corpus):
    build_knowledge_base(pg_url, [str(demo_corpus / "01_levant_ledger_gaziantep_raid.txt")])
    s = open_store(pg_url)
    try:
        found = search(s, "Gaziantep police")
        docs = found["results"]["document"]
        assert docs["total"] == 1
        assert docs["hits"][0]["title"] == "Gaziantep police detain 27 in dawn raid on Islamic State suspects"
        hit = docs["hits"][0]
        assert {hit["snippet"][a:b] for a, b in hit["marks"]} <= {"Gaziantep", "police"}
        assert "Gaziantep" in [h["title"] for h in search(s, "Gaziantep")["results"]["entity"]["hits"]]
        assert search(s, "detain", kinds=["document"])["results"]["document"]["total"] == 1
        assert search(s, "Sahinbey Aydin", kinds=["document"])["results"]["document"]["total"] == 1
        assert search(s, 'NEAR( "unbalanced * ) ^', kinds=["document"])["results"]["document"]["total"] == 0
        antep = search(s, "Antep", kinds=["document"])  # an alias the article does not use
        assert antep["expanded"] == [{"words": "Antep", "names": ["Gaziantep", "Antep"]}]
        assert antep["results"]["document"]["total"] == 1
        typo = search(s, "Gazientep", kinds=["document"])
        assert (typo["suggestion"], typo["corrected"], typo["results"]["document"]["total"]) == ("Gaziantep", True, 1)
        assert search(s, "is", kinds=["document"])["total"] == 0
        assert search_index.run(s, lambda name="": None).startswith("indexed 0 documents, 0 entity items")
    finally:
        s.close()
