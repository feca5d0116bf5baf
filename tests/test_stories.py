"""Stories: documents clustered by what happened, where and when; incremental; the stories export."""
from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter

import pytest

from newsgraph.corpus.stories_cluster import StoryIndex
from newsgraph.corpus.stories_features import text_features
from newsgraph.export import export
from newsgraph.store import open_store

GAZIANTEP_SUMMARY = ("Arrest by Turkish police in Gaziantep on 2017-10-02: 27 to 41 people (27 according to Anatolia Wire, "
                     "Levant Ledger; 41 according to Frontier Dispatch); reported in 3 documents from 3 outlets.")


def short(doc: dict) -> str:
    """"01".."12" from the demo file name, "09a"/"09b" for the two JSONL lines."""
    origin = doc["origin"].rsplit("/", 1)[-1]
    return origin[:2] + {":1": "a", ":2": "b"}.get(origin[-2:], "")


@pytest.fixture(scope="module")
def demo(demo_kb):
    store = open_store(demo_kb)
    try:
        docs = {d["id"]: short(d) for d in store.iter_documents()}
        stories = list(store.iter_corpus_records("story"))
        events = {e["id"]: e for e in store.iter_corpus_records("event")}
        yield docs, stories, events
    finally:
        store.close()


def test_demo_stories_are_the_ones_a_reader_makes(demo):
    docs, stories, _ = demo
    assert sorted(sorted(docs[d] for d in s["documents"]) for s in stories) == [
        ["01", "02", "03"],  # the Gaziantep raid: original, near-duplicate, the Kurdish count
        ["04"], ["05"],
        ["06", "07"],  # the Idlib smuggling fee and its republication
        ["08"], ["09a"], ["09b"], ["10"], ["11"], ["12"]]
    assert [s["size"] for s in stories] == [len(s["documents"]) for s in stories]


def test_demo_gaziantep_story(demo):
    docs, stories, events = demo
    (story,) = [s for s in stories if s["size"] == 3]
    assert story["title"] == "27 Islamic State suspects held in Gaziantep raids"
    assert story["label"] == "Arrest in Gaziantep, 2017-10"
    assert story["summary"] == GAZIANTEP_SUMMARY
    assert (story["start"], story["end"], story["precision"]) == ("2017-10-02", "2017-10-02", "day")
    assert story["place"]["name"] == "Gaziantep"
    main = events[story["events"][0]]
    assert main["id"] == story["main_event"]
    assert (main["count"]["low"], main["count"]["high"]) == (27, 41)
    assert main["story_id"] == story["id"]
    assert story["types"][0] == "arrest"
    # every merged event of the story has a member from one of its documents
    assert all(set(events[e]["documents"]) & set(story["documents"]) for e in story["events"])


def test_demo_other_summaries(demo):
    docs, stories, _ = demo
    by_doc = {docs[s["documents"][0]]: s for s in stories if s["size"] == 1}
    assert by_doc["12"]["summary"] == ("Arrest by Turkish security forces in Istanbul on 2017-09-25: 36 people; "
                                       "reported in 3 documents from 3 outlets.")
    assert by_doc["09a"]["summary"] == ("Evacuation by Syrian Democratic Forces in Ar Raqqah in 2017-10: 3750 people; "
                                        "reported in 1 document from 1 outlet.")
    assert by_doc["11"]["start"] is None  # undated: no date invented
    assert by_doc["10"]["summary"].startswith("1 document without a merged event")


def test_stories_export_lists_documents_and_events_in_full(demo_kb):
    store = open_store(demo_kb)
    try:
        buf = io.StringIO()
        assert export(store, "stories", "jsonl", buf) == 10
    finally:
        store.close()
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    first = rows[0]
    assert [d["title"] for d in first["documents"]] == [
        "27 Islamic State suspects held in Gaziantep raids",
        "Gaziantep police detain 27 in dawn raid on Islamic State suspects",
        "Kurdish official says Turkish raid in Antep netted 41 IS suspects"]
    assert [(d["source"], d["date"]) for d in first["documents"]] == [
        ("Anatolia Wire", "2017-10-03"), ("Levant Ledger", "2017-10-03"), ("Frontier Dispatch", "2017-10-04")]
    raid = first["events"][0]
    assert set(raid) >= {"id", "type", "date", "place", "participants", "count", "fatalities", "money", "factuality",
                         "members", "documents", "sources", "evidence", "story_id", "merge"}
    assert len(raid["evidence"]) == 4  # 03 gives the raid twice (report and quote)
    assert [r["size"] for r in rows] == [3, 2, 1, 1, 1, 1, 1, 1, 1, 1]


NEW_ARTICLE = """Levant Ledger

Court remands Gaziantep raid suspects

By Test Desk

Levant Ledger, October 6, 2017

Turkish police detained 30 people in Gaziantep on October 2, 2017, in raids against suspected Islamic State members, a court official said on Friday, correcting earlier figures. The court in Gaziantep remanded most of the suspects in custody pending trial.

Lawyers for several of the detainees said their clients had been held in Gaziantep since the dawn raids in the city.
"""


def test_a_new_document_joins_its_story_and_touches_nothing_else(demo_kb_copy, tmp_path):
    from newsgraph.corpus import stories as stories_stage
    from newsgraph.pipeline.ingest import ingest
    from newsgraph.pipeline.stages import all_stages

    path = tmp_path / "13_levant_ledger_court.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    store = open_store(demo_kb_copy)
    try:
        before = {s["id"]: s for s in store.iter_corpus_records("story")}
        assert ingest([str(path)], store).ok
        summaries = {stage.name: stage.run(store, lambda name="": None) for stage in all_stages()}
        assert summaries["stories"].startswith("1 documents into 1 stories (10 in all)")
        after = {s["id"]: s for s in store.iter_corpus_records("story")}
        new_id = next(d["id"] for d in store.iter_documents() if d["title"] == "Court remands Gaziantep raid suspects")
        (story,) = [s for s in after.values() if new_id in s["documents"]]
        assert story["size"] == 4 and story["id"] in before
        assert {k: v for k, v in after.items() if k != story["id"]} == {
            k: v for k, v in before.items() if k != story["id"]}
        raid = store.get_corpus_record("event", story["main_event"])
        assert (raid["count"]["low"], raid["count"]["best"], raid["count"]["high"]) == (27, 27, 41)
        assert len(raid["documents"]) == 4
        assert stories_stage.run(store, lambda name="": None) == "no new documents for stories"
    finally:
        store.close()


def docs_of(texts: dict[str, str]) -> list:
    return [text_features(k, v, date=dt.date(2017, 10, 2)) for k, v in texts.items()]


TEXTS = {
    "a": "Turkish police detained suspects in a dawn raid in Gaziantep; the governor said nine were foreigners.",
    "b": "Police in Gaziantep detained suspects during a dawn raid; nine foreigners among them, said the governor.",
    "c": "Smugglers in Idlib charge foreign fighters a fee to cross the border into southern Turkey.",
    "d": "Foreign fighters waiting in Idlib pay smugglers a fee to be taken across the border to Turkey.",
}


def test_story_index_clusters_and_restores_from_signatures():
    index = StoryIndex()
    ids = [index.add(d)[0] for d in docs_of(TEXTS)]
    assert ids == ["story-a", "story-a", "story-c", "story-c"]
    restored = StoryIndex()
    partial = StoryIndex()
    for d in docs_of(TEXTS)[:2]:
        partial.add(d)
    restored.restore([s.signature() for s in partial.stories.values()], partial.model())
    assert [restored.add(d)[0] for d in docs_of(TEXTS)[2:]] == ["story-c", "story-c"]
    assert restored.words.documents == 4


def test_documents_far_apart_in_time_are_not_compared():
    index = StoryIndex()
    first = text_features("a", TEXTS["a"], date=dt.date(2017, 10, 2))
    later = text_features("b", TEXTS["a"], date=dt.date(2017, 12, 2))
    assert index.add(first)[0] == "story-a"
    assert index.add(later)[0] == "story-b"  # the same words two months later: another story
    story, score, parts = index.add(text_features("c", TEXTS["a"], date=dt.date(2017, 10, 4)))
    assert story == "story-a" and parts["time"] == 1.0 and score == pytest.approx(1.0)
    assert Counter(index.story_of.values()) == {"story-a": 2, "story-b": 1}
