"""Merging per-document events into corpus events: type, time, place, participants, counts as ranges."""
from __future__ import annotations

import sqlite3

import pytest

from newsgraph.corpus.events import EventMerger, count_range, merged_record
from newsgraph.corpus.stories_eventmatch import compare, compare_place, compare_time

GAZIANTEP = {"name": "Gaziantep", "geonames_id": "314830", "lat": 37.05944, "lon": 37.3825, "country_code": "TR",
             "feature": "town", "precision": "town"}
NIZIP = {"name": "Nizip", "geonames_id": "303195", "lat": 37.00972, "lon": 37.79694, "country_code": "TR",
         "feature": "town", "precision": "town"}  # 37 km east of Gaziantep
KILIS = {"name": "Kilis", "geonames_id": "443189", "lat": 36.71611, "lon": 37.115, "country_code": "TR",
         "feature": "town", "precision": "province"}  # 45 km south
TURKEY = {"name": "Turkey", "geonames_id": "298795", "lat": 39.0, "lon": 35.0, "country_code": "TR",
          "feature": "country", "precision": "country"}
SYRIA = {"name": "Syria", "geonames_id": "163843", "lat": 35.0, "lon": 38.0, "country_code": "SY",
         "feature": "country", "precision": "country"}


def day(value: str, end: str | None = None, precision: str = "day") -> dict:
    return {"start": value, "end": end or value, "precision": precision}


def count(low, best, high, unit="person") -> dict:
    return {"low": low, "best": best, "high": high, "unit": unit, "text": f"{best}"}


def event(eid: str, doc: str, *, type="arrest", date=None, place=None, participants=(), n=None,
          factuality="reported", sentence="Police detained the suspects.", source=None) -> dict:
    return {"id": eid, "type": type, "date": date, "place": place, "participants": list(participants),
            "count": n, "fatalities": None, "money": [], "factuality": factuality,
            "evidence": [{"document_id": doc, "source": source, "sentence": sentence, "start": 0, "end": len(sentence)}]}


def test_dates_overlap_at_their_precision():
    assert compare_time(day("2017-10-02"), day("2017-10-03")).reasons == [
        "dates overlap at day precision (2017-10-02 / 2017-10-03)"]
    assert not compare_time(day("2017-10-02"), day("2017-10-05")).ok  # one day of tolerance, not three
    week = day("2017-09-25", "2017-10-01", "week")
    match = compare_time(day("2017-09-25"), week)
    assert (match.ok, match.strong) == (True, True)
    year = compare_time(day("2017-09-25"), day("2017-01-01", "2017-12-31", "year"))
    assert (year.ok, year.strong) == (True, False)  # a year is too coarse to join events of two stories
    assert compare_time(None, day("2017-10-02")) is None


def test_place_distance_depends_on_precision():
    assert compare_place(GAZIANTEP, GAZIANTEP).reasons == ["same place (Gaziantep, town)"]
    near = compare_place(GAZIANTEP, NIZIP)
    assert (near.ok, near.reasons) == (False, ["places 37 km apart, beyond 25 km for town (Gaziantep / Nizip)"])
    province = compare_place(GAZIANTEP, KILIS)
    assert (province.ok, province.strong) == (True, True)
    assert province.reasons == ["places 45 km apart, within 150 km for province (Gaziantep / Kilis)"]
    country = compare_place(GAZIANTEP, TURKEY)
    assert (country.ok, country.strong, country.reasons) == (True, False, ["same country (TR / TR; Gaziantep / Turkey)"])
    assert not compare_place(TURKEY, SYRIA).ok


def test_type_factuality_and_participants_must_agree():
    a = event("a", "d1", date=day("2017-10-02"), place=GAZIANTEP,
              participants=[{"role": "agent", "name": "Turkish police", "entity_id": "ent-police"}])
    assert compare(a, {**a, "type": "killing"}).reasons == ["different types"]
    assert compare(a, {**a, "factuality": "planned"}).reasons == ["factuality reported / planned"]
    other_agent = {**a, "participants": [{"role": "agent", "name": "YPG", "entity_id": "ent-ypg"}]}
    assert compare(a, other_agent).reasons == ["different agents"]
    unnamed = {**a, "participants": [{"role": "agent", "name": "security forces"}]}
    assert compare(a, unnamed).ok  # a name without an entity does not conflict


def gaziantep_events() -> list[dict]:
    police = {"role": "agent", "name": "Turkish police"}
    return [
        event("e1", "doc01", date=day("2017-10-02"), place=GAZIANTEP, n=count(27, 27, 27), participants=[police],
              source="Levant Ledger"),
        event("e2", "doc02", date=day("2017-10-02"), place=GAZIANTEP, n=count(27, 27, 27), participants=[police],
              source="Anatolia Wire"),
        event("e3", "doc03", date=day("2017-10-02"), place={**GAZIANTEP, "name": "Antep"},
              n=count(41, 41, 41, "member"), participants=[police], source="Frontier Dispatch"),
    ]


SOURCES = {"doc01": "Levant Ledger", "doc02": "Anatolia Wire", "doc03": "Frontier Dispatch"}


def test_differing_counts_become_a_range_with_the_source_of_each_bound():
    merger = EventMerger()
    ids = {merger.add(e, "story-a") for e in gaziantep_events()}
    assert len(ids) == 1
    record = merged_record(merger.clusters[ids.pop()], SOURCES, origin_of={"doc02": "doc01"})
    assert record["members"] == ["e1", "e2", "e3"]
    assert record["documents"] == ["doc01", "doc02", "doc03"]
    assert record["sources"] == ["Levant Ledger", "Anatolia Wire", "Frontier Dispatch"]
    c = record["count"]
    assert (c["low"], c["best"], c["high"]) == (27, 27, 41)
    assert c["sources"] == {"low": ["Levant Ledger", "Anatolia Wire"], "best": ["Levant Ledger", "Anatolia Wire"],
                            "high": ["Frontier Dispatch"]}
    assert c["documents"]["high"] == ["doc03"]
    assert c["best_basis"] == "the most documents (2 of 3), not more independent origins (1 of 2)"
    assert record["date"] == {"start": "2017-10-02", "end": "2017-10-02", "precision": "day"}
    assert record["place"]["name"] == "Gaziantep"
    assert record["participants"] == [{"role": "agent", "name": "Turkish police", "entity_id": None}]
    assert record["story_id"] == "story-a"
    assert record["merge"]["reasons"] == [
        "e2 ~ e1: same type (arrest); dates overlap at day precision (2017-10-02 / 2017-10-02); same place (Gaziantep, town)",
        "e3 ~ e1: same type (arrest); dates overlap at day precision (2017-10-02 / 2017-10-02); same place (Gaziantep, town)",
    ]


def test_best_figure_comes_from_the_more_reliable_source_and_is_never_averaged():
    events = gaziantep_events()
    c = count_range(events, "count", SOURCES, reliability={"Frontier Dispatch": "B"})
    assert (c["low"], c["best"], c["high"]) == (27, 41, 41)
    assert c["best_basis"] == "the most reliable source (reliability B)"
    tie = count_range([events[0], events[2]], "count", SOURCES)
    assert (tie["low"], tie["best"], tie["high"]) == (27, None, 41)
    assert tie["best_basis"] == "the figures are equally supported: no best figure"
    vague = count_range([event("v", "doc05", n=count(21, None, None))], "count", {"doc05": "Rojava Press Desk"})
    assert (vague["low"], vague["best"], vague["high"]) == (21, None, None)


def test_events_without_date_or_place_merge_only_inside_one_story_with_evidence():
    sentence = "Several of the detainees had crossed from Syria in recent months, police said."
    a = event("a", "d1", place=SYRIA, sentence=sentence)
    b = event("b", "d2", place=SYRIA, sentence=sentence)
    merger = EventMerger()
    first = merger.add(a, "story-1")
    assert merger.add(b, "story-2") != first  # another story: never
    merger = EventMerger()
    first = merger.add(a, "story-1")
    assert merger.add(b, "story-1") == first
    assert merger.clusters[first].reasons == [
        "b ~ a: weak: same story story-1, no precise date and place on both sides; same type (arrest); "
        "same place (Syria, country); similar sentences (word overlap 1.00)"]
    merger = EventMerger()
    first = merger.add(a, "story-1")
    unrelated = event("c", "d3", place=SYRIA, sentence="A court in Damascus sentenced a smuggler.")
    assert merger.add(unrelated, "story-1") != first  # same story but nothing else in common


def test_precise_events_merge_across_stories_but_never_twice_from_one_document():
    merger = EventMerger()
    a = event("a", "d1", date=day("2017-09-25"), place=GAZIANTEP)
    first = merger.add(a, "story-1")
    assert merger.add(event("b", "d2", date=day("2017-09-25", "2017-10-01", "week"), place=GAZIANTEP), "story-2") == first
    assert merger.add(event("c", "d1", date=day("2017-09-25"), place=GAZIANTEP), "story-1") != first
    assert merger.add(event("d", "d4", date=day("2017-09-25"), place=NIZIP), "story-1") != first


def test_a_restored_merger_continues_where_the_stored_one_stopped():
    events = gaziantep_events()
    merger = EventMerger()
    cid = merger.add(events[0], "s")
    merger.add(events[1], "s")
    record = merged_record(merger.clusters[cid], SOURCES)
    restored = EventMerger()
    by_id = {e["id"]: e for e in events}
    restored.restore(record["id"], [(by_id[m], "s") for m in record["members"]], record["merge"]["reasons"])
    assert restored.add(events[2], "s") == cid
    assert restored.touched == {cid}
    assert merged_record(restored.clusters[cid], SOURCES)["count"]["high"] == 41


@pytest.fixture(scope="module")
def demo_events(demo_kb):
    from newsgraph.store import open_store

    store = open_store(demo_kb)
    try:
        docs = {d["id"]: d["origin"].rsplit("/", 1)[-1][:2] for d in store.iter_documents()}
        yield docs, list(store.iter_corpus_records("event")), len(list(store.iter_records("events")))
    finally:
        store.close()


def test_demo_gaziantep_raid_is_one_event_with_27_and_41(demo_events):
    docs, events, _ = demo_events
    (raid,) = [e for e in events if e["type"] == "arrest" and (e["place"] or {}).get("name") == "Gaziantep"
               and len(e["documents"]) > 1]
    assert sorted(docs[d] for d in raid["documents"]) == ["01", "02", "03"]
    assert raid["date"] == {"start": "2017-10-02", "end": "2017-10-02", "precision": "day"}
    c = raid["count"]
    assert (c["low"], c["best"], c["high"]) == (27, 27, 41)
    assert sorted(c["sources"]["low"]) == ["Anatolia Wire", "Levant Ledger"]
    assert c["sources"]["high"] == ["Frontier Dispatch"]
    assert c["best_basis"] == "the most documents (2 of 3), not more independent origins (1 of 2)"
    assert raid["factuality"] == "reported"
    assert sorted(raid["sources"]) == ["Anatolia Wire", "Frontier Dispatch", "Levant Ledger"]


def test_demo_merged_events(demo_events):
    docs, events, per_document = demo_events
    assert per_document == 83   # 87 before the headlines under "Latest headlines" left the text
    assert len(events) == 77
    merged = sorted((e["type"], (e["place"] or {}).get("name"), sorted(docs[d] for d in e["documents"]))
                    for e in events if len(e["documents"]) > 1)
    assert merged == [("arrest", "Gaziantep", ["01", "02", "03"]),
                      ("arrest", "Istanbul", ["01", "02", "12"]),  # "last week" in 01/02 is 12's 2017-09-25
                      ("arrest", "Syria", ["01", "02"]),
                      ("travel", "Turkey", ["01", "02"])]
    # the $50 taxi fare (04) and the $2,000 smuggling fee (06) stay in different events
    assert not [e for e in events if {"04", "06"} <= {docs[d] for d in e["documents"]}]


def test_every_per_document_event_is_in_exactly_one_merged_event(demo_kb):
    db = sqlite3.connect(demo_kb)
    try:
        rows = [r[0] for r in db.execute("SELECT data FROM corpus_records WHERE kind = 'event'")]
    finally:
        db.close()
    import json

    members = [m for r in rows for m in json.loads(r)["members"]]
    assert len(members) == len(set(members)) == 83
