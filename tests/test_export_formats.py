"""Standard exports read back with the library of their ecosystem, on the demo knowledge base via the CLI."""
from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import uuid

import networkx as nx
import pytest
import stix2
from click.testing import CliRunner
from conftest import need
from followthemoney import model

from newsgraph.cli import main
from newsgraph.export._kb import KnowledgeBase
from newsgraph.export.acled_csv import COLUMNS, event_date, time_precision
from newsgraph.export.geojson import leg_features
from newsgraph.export.stix import NAMESPACE
from newsgraph.store import open_store

GAZIANTEP = [37.3825, 37.05944]  # [lon, lat] of Gaziantep (GeoNames 314830)


def export(db: str, what: str, fmt: str, *extra: str):
    result = CliRunner().invoke(main, ["export", what, "--format", fmt, "--db", db, *extra])
    return result


_cache: dict = {}


@pytest.fixture
def out(demo_kb):
    """Text of ``newsgraph export WHAT --format FMT`` on the demo knowledge base (run once per format)."""
    def get(what: str, fmt: str) -> str:
        if (what, fmt) not in _cache:
            result = export(demo_kb, what, fmt)
            assert result.exit_code == 0, result.output
            _cache[(what, fmt)] = result.stdout
        return _cache[(what, fmt)]
    return get


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def gaziantep_arrests(events: list[dict]) -> list[dict]:
    return [e for e in events if e["type"] == "arrest" and (e["date"] or {}).get("start") == "2017-10-02"
            and e["place"]["name"] == "Gaziantep"]


# -- GeoJSON ------------------------------------------------------------------------------------

def test_events_geojson_points_with_properties(out):
    collection = json.loads(out("events", "geojson"))
    events = jsonl(out("events", "jsonl"))
    assert collection["type"] == "FeatureCollection"
    located = [e for e in events if e["place"] and e["place"].get("lat") is not None]
    assert len(collection["features"]) == len(located) == 83
    for f in collection["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    raids = [f for f in collection["features"] if f["properties"]["type"] == "arrest"
             and f["properties"]["date_start"] == "2017-10-02" and f["properties"]["place_name"] == "Gaziantep"]
    assert [(f["properties"]["source"], f["properties"]["count"]) for f in raids] == [
        ("Levant Ledger", 27), ("Anatolia Wire", 27), ("Frontier Dispatch", 41)]
    first = raids[0]
    assert first["geometry"]["coordinates"] == GAZIANTEP
    assert first["id"] == first["properties"]["id"] == gaziantep_arrests(events)[0]["id"]
    props = first["properties"]
    assert {k: props[k] for k in ("date_end", "date_precision", "geonames_id", "country_code", "precision",
                                  "count_low", "count_high", "fatalities", "factuality")} == {
        "date_end": "2017-10-02", "date_precision": "day", "geonames_id": "314830", "country_code": "TR",
        "precision": "town", "count_low": 27, "count_high": 27, "fatalities": None, "factuality": "reported"}
    assert [(p["role"], p["name"]) for p in props["participants"]] == [("agent", "Turkish police"),
                                                                        ("patient", "27 people")]
    assert props["sentence"].startswith("Turkish police detained 27 people suspected of working for the Islamic")
    assert props["document_id"] == gaziantep_arrests(events)[0]["evidence"][0]["document_id"]


def test_movements_geojson_legs_as_lines(out):
    collection = json.loads(out("movements", "geojson"))
    assert collection["type"] == "FeatureCollection"
    assert all(f["geometry"]["type"] == "LineString" and len(f["geometry"]["coordinates"]) >= 2
               for f in collection["features"])
    movements = jsonl(out("movements", "jsonl"))
    drawable = 0  # legs with at least two distinct located points among from, via and to
    for m in movements:
        for leg in m["legs"]:
            stops = [leg["from"], *leg["via"], leg["to"]]
            drawable += len({(s["lon"], s["lat"]) for s in stops if s and s.get("lat") is not None}) >= 2
    assert len(collection["features"]) == drawable
    bakraoui = [f for f in collection["features"] if f["properties"]["person"] == "Ibrahim El Bakraoui"]
    assert [(f["properties"]["leg_index"], f["properties"]["from"], f["properties"]["to"]) for f in bakraoui] == [
        (1, "Antalya", "Gaziantep"), (2, "Gaziantep", "Syria")]
    assert bakraoui[0]["geometry"]["coordinates"] == [[30.69556, 36.90812], GAZIANTEP]
    assert bakraoui[1]["geometry"]["coordinates"] == [GAZIANTEP, [38.0, 35.0]]
    assert bakraoui[1]["properties"]["kind"] == "attempt"
    assert bakraoui[0]["properties"]["source"] == "Frontier Dispatch"


def test_leg_with_a_via_point_runs_through_it(demo_kb):
    store = open_store(demo_kb)
    try:
        kb = KnowledgeBase(store)
    finally:
        store.close()
    place = {"Antalya": (36.90812, 30.69556), "Gaziantep": (37.05944, 37.3825), "Syria": (35.0, 38.0)}

    def stop(name):
        return {"name": name, "lat": place[name][0], "lon": place[name][1]}

    movement = {"id": "mov-x", "name": "a courier", "person": {"text": "a courier", "start": 0, "end": 9},
                "legs": [{"from": stop("Antalya"), "via": [stop("Gaziantep")], "to": stop("Syria"),
                          "date": {"start": "2015-06-11", "end": "2015-06-11", "precision": "day", "text": None},
                          "means": "overland", "kind": "travel",
                          "evidence": {"document_id": "d", "source": "S", "sentence": "He went.\n"}},
                         {"from": None, "via": [], "to": stop("Syria"), "kind": "travel"}]}
    features = list(leg_features(movement, kb))
    assert len(features) == 1
    assert features[0]["geometry"]["coordinates"] == [[30.69556, 36.90812], GAZIANTEP, [38.0, 35.0]]
    assert features[0]["properties"] == {
        "movement_id": "mov-x", "leg_index": 0, "person": "a courier", "person_entity_id": None, "from": "Antalya",
        "to": "Syria", "via": ["Gaziantep"], "date_start": "2015-06-11", "date_end": "2015-06-11",
        "date_precision": "day", "means": "overland", "kind": "travel", "source": "S", "document_id": "d",
        "sentence": "He went."}


def test_geojson_valid_for_the_geojson_library(out):
    need(importlib.util.find_spec("geojson") is not None, "the geojson package is not installed (pip install geojson)")
    import geojson

    for what in ("events", "movements"):
        collection = geojson.loads(out(what, "geojson"))
        assert isinstance(collection, geojson.FeatureCollection)
        assert collection.is_valid, collection.errors()


# -- ACLED-like CSV --------------------------------------------------------------------------------

# The 31 columns of the ACLED codebook, in its order.
ACLED_CODEBOOK = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)


def test_events_csv_acled_columns(demo_kb, tmp_path):
    import pandas as pd

    path = tmp_path / "events.csv"
    result = export(demo_kb, "events", "csv", "--out", str(path), "--bom")
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"\xef\xbb\xbfevent_id_cnty,event_date,")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert tuple(frame.columns[:31]) == ACLED_CODEBOOK and tuple(frame.columns) == COLUMNS
    assert len(frame) == 77  # one row per merged event (83 per-document events)
    rows = frame.to_dict("records")
    (raid,) = [r for r in rows if r["event_date"] == "2017-10-02" and r["location"] == "Gaziantep"]
    assert {k: raid[k] for k in ACLED_CODEBOOK if k not in ("notes", "event_id_cnty", "timestamp")} == {
        "event_date": "2017-10-02", "year": "2017", "time_precision": "1", "disorder_type": "Strategic developments",
        "event_type": "Strategic developments", "sub_event_type": "Arrests",
        "actor1": "Turkish police", "assoc_actor_1": "", "inter1": "State forces",
        "actor2": "Islamic State", "assoc_actor_2": "", "inter2": "Rebel group",
        "interaction": "State forces-Rebel group", "civilian_targeting": "",
        "iso": "792", "region": "Middle East", "country": "Turkey", "admin1": "Gaziantep Province",
        "admin2": "", "admin3": "", "location": "Gaziantep", "latitude": "37.05944", "longitude": "37.3825",
        "geo_precision": "1", "source": "Anatolia Wire; Levant Ledger; Frontier Dispatch", "source_scale": "",
        "fatalities": "", "tags": "factuality: reported"}
    assert raid["event_id_cnty"].startswith("TUR") and raid["event_id_cnty"][3:].isdigit()
    assert raid["timestamp"].isdigit()
    assert raid["notes"].startswith("Turkish police detained 27 people")
    assert raid["newsgraph_event_id"].startswith("event-") and len(raid["member_event_ids"].split("; ")) == 3
    assert raid["document_ids"].split("; ") == ["2cc912923deebf3d", "e6bb1b17cae262dc", "e487f1283bc0a515"]
    assert raid["source_urls"].split("; ")[1].endswith("examples/corpus/01_levant_ledger_gaziantep_raid.txt")
    assert raid["evidence"].split(" ; ")[0] == "/documents/2cc912923deebf3d#c-0-188"
    # no pronoun, count or bare phrase as an actor
    actors = {r[k] for r in rows for k in ("actor1", "actor2")} - {""}
    assert not actors & {"them", "he", "He", "27 people", "they"}
    syria = next(r for r in rows if r["location"] == "Syria")
    assert (syria["geo_precision"], syria["country"], syria["admin1"], syria["iso"]) == ("3", "Syria", "", "760")
    travel = next(r for r in rows if r["newsgraph_event_type"] == "travel")
    assert (travel["event_type"], travel["sub_event_type"], travel["disorder_type"]) == ("", "", "")
    undated = next(r for r in rows if not r["date_start"])
    assert (undated["event_date"], undated["time_precision"], undated["year"]) == ("", "", "")
    assert sorted(r["fatalities"] for r in rows if r["fatalities"]) == ["12", "12", "32"]


def test_csv_cells_never_start_a_formula():
    from newsgraph.export._csv import write_csv

    buffer = io.StringIO()
    write_csv(buffer, ("a", "b", "c", "d"), [{"a": '=HYPERLINK("http://x.example","y")', "b": "-3.7", "c": "@SUM(1)",
                                              "d": "+ 1"}, {"a": "-cmd", "b": -2, "c": "plain", "d": ""}])
    assert buffer.getvalue() == ('a,b,c,d\n"\'=HYPERLINK(""http://x.example"",""y"")",-3.7,\'@SUM(1),\'+ 1\n'
                                 "'-cmd,-2,plain,\n")


def test_acled_time_precision_and_date():
    assert time_precision("2017-10-02", "2017-10-02", "day") == 1
    assert time_precision("2017-09-25", "2017-10-01", "week") == 2
    assert time_precision("2017-09-01", "2017-09-30", "month") == 3
    assert time_precision("2015-01-01", "2015-12-31", "year") == 3
    assert time_precision("2017-10-01", "2017-10-03", "day") == 2
    assert time_precision("2017-10-01", "2017-10-20", "day") == 3
    assert time_precision(None, None, None) is None
    assert event_date("2017-09-01", "2017-09-30") == "2017-09-15"
    assert event_date("2017-10-02", "2017-10-02") == "2017-10-02"
    assert event_date(None, None) == ""


# -- STIX 2.1 --------------------------------------------------------------------------------------

def test_stix_bundle_parses_and_links(out, demo_kb):
    text = out("all", "stix")
    bundle = stix2.parse(text, allow_custom=True)
    objects = {o.id: o for o in bundle.objects}
    by_type: dict[str, list] = {}
    for o in bundle.objects:
        by_type.setdefault(o.type, []).append(o)
    events = jsonl(out("events", "jsonl"))
    claims = jsonl(out("claims", "jsonl"))
    ext = by_type["extension-definition"][0].id
    undated = [g for g in by_type["grouping"] if "document_id" in g.extensions[ext]]
    assert len(by_type["report"]) == 12 and len(undated) == 1  # 13 documents, 1 undated (11)
    assert len(by_type["incident"]) == len(events) == 83
    assert len(by_type["note"]) == len(claims)
    sources = [o for o in by_type["identity"] if o.get("sectors") == ["communications"]]
    assert sorted(s.name for s in sources) == [
        "Anatolia Wire", "Crescent Defense Review", "Euphrates Review", "Frontier Dispatch", "Levant Ledger",
        "Northern Syria Monitor", "Rojava Press Desk"]

    raid = gaziantep_arrests(events)[0]
    incident = objects["incident--" + str(uuid.uuid5(NAMESPACE, raid["id"]))]
    assert incident.name == "arrest, Gaziantep, 2017-10-02"
    props = incident.extensions[ext]
    assert (props["event_type"], props["factuality"], props["source"]) == ("arrest", "reported", "Levant Ledger")
    assert props["date"] == {"start": "2017-10-02", "end": "2017-10-02", "precision": "day"}
    located = [r for r in by_type["relationship"] if r.source_ref == incident.id
               and r.relationship_type == "located-at"]
    assert len(located) == 1
    place = objects[located[0].target_ref]
    assert (place.name, place.latitude, place.longitude, place.country) == ("Gaziantep", 37.05944, 37.3825, "TR")
    assert place.extensions[ext]["geonames_id"] == "314830"

    report = next(r for r in by_type["report"] if incident.id in r.object_refs)
    assert report.published.isoformat() == "2017-10-03T00:00:00+00:00"
    assert objects[report.created_by_ref].name == "Levant Ledger"
    assert report.name == "Gaziantep police detain 27 in dawn raid on Islamic State suspects"
    note = next(n for n in by_type["note"] if report.id in n.object_refs and n.abstract == "Turkish police "
                "detained 27 people")
    assert note.authors[0] == "Levant Ledger"
    assert note.extensions[ext]["modality"] == "reported"
    store = open_store(demo_kb)
    try:
        graded = [c for c in store.iter_corpus_records("claim_cluster")
                  if (c.get("credibility") or {}).get("grade") in (1, 2, 3, 4, 5)]
    finally:
        store.close()
    assert len(by_type.get("opinion", [])) == len(graded)
    for opinion in by_type.get("opinion", []):
        assert all(objects[ref].type == "note" for ref in opinion.object_refs)
    bakraoui = next(o for o in by_type["identity"] if o.name == "Ibrahim El Bakraoui")
    assert bakraoui.identity_class == "individual"
    # standard relationship types only; the agent is attributed-to
    assert {r.relationship_type for r in by_type["relationship"]} <= {"attributed-to", "located-at", "related-to"}
    attributed = [r for r in by_type["relationship"] if r.relationship_type == "attributed-to"]
    assert attributed and all(r.description.startswith("agent: ") and objects[r.target_ref].type == "identity"
                              for r in attributed)
    # TLP marking on every object, confidence from the credibility grade, reliability for OpenCTI
    (tlp,) = by_type["marking-definition"]
    assert (tlp.id, tlp.name) == ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "TLP:GREEN")
    assert all(o.object_marking_refs == [tlp.id] for o in bundle.objects if o.type != "marking-definition")
    confidence = {CONFIDENCE_OF[o.extensions[ext]["grade"]] == o.confidence for o in by_type.get("opinion", [])}
    assert confidence == {True} and all(o.confidence in (90, 70, 50, 30, 10) for o in by_type["opinion"])
    assert not any("confidence" in n for n in by_type["note"] if n.abstract == "Turkish police detained 27 people")
    assert {s.x_opencti_reliability for s in sources} == {"F - Reliability cannot be judged"}
    assert export_again_is_identical(out, text)


CONFIDENCE_OF = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}


def test_stix_passes_the_stix2_validator(out, tmp_path):
    from stix2validator import ValidationOptions, validate_file

    path = tmp_path / "bundle.json"
    path.write_text(out("all", "stix"), encoding="utf-8")
    result = validate_file(str(path), ValidationOptions(version="2.1"))
    errors = [str(e) for o in result.object_results for e in o.errors]
    assert (result.is_valid, errors) == (True, [])


def export_again_is_identical(out, text: str) -> bool:
    _cache.pop(("all", "stix"))
    return out("all", "stix") == text


# -- FollowTheMoney --------------------------------------------------------------------------------

def test_ftm_entities_read_back(out):
    proxies = [model.get_proxy(json.loads(line)) for line in out("all", "ftm").splitlines()]
    by_id = {p.id: p for p in proxies}
    schemas: dict[str, list] = {}
    for p in proxies:
        schemas.setdefault(p.schema.name, []).append(p)
    events = jsonl(out("events", "jsonl"))
    movements = jsonl(out("movements", "jsonl"))
    assert len(schemas["Article"]) == 13
    assert len(schemas["Event"]) == len(events) == 83
    assert len(schemas["Trip"]) == sum(len(m["legs"]) for m in movements) == 33
    assert set(schemas) == {"Article", "Person", "Organization", "Address", "Event", "Trip", "Documentation"}
    for p in proxies:  # every entity reference points at an entity in the export
        for prop in p.schema.properties.values():
            if prop.type.name == "entity":
                assert all(v in by_id for v in p.get(prop)), (p.id, prop.name)

    raid = by_id["ng-" + gaziantep_arrests(events)[0]["id"]]
    assert raid.get("date") == ["2017-10-02"] and raid.get("location") == ["Gaziantep"]
    assert raid.get("country") == ["tr"] and raid.get("publisher") == ["Levant Ledger"]
    address = by_id[raid.get("addressEntity")[0]]
    assert address.schema.name == "Address"
    assert (address.get("full"), address.get("latitude"), address.get("longitude")) == (
        ["Gaziantep"], ["37.05944"], ["37.3825"])
    assert by_id[raid.get("proof")[0]].get("title") == [
        "Gaziantep police detain 27 in dawn raid on Islamic State suspects"]

    person = next(p for p in schemas["Person"] if p.get("name") == ["Ibrahim El Bakraoui"])
    assert person.get("nationality") == ["be"]
    trip = next(t for t in schemas["Trip"] if person.id in t.get("involved")
                and [by_id[x].get("full")[0] for x in t.get("startLocation")] == ["Antalya"])
    assert by_id[trip.get("endLocation")[0]].get("full") == ["Gaziantep"]
    assert trip.get("keywords") == ["travel"]
    islamic_state = next(p for p in schemas["Organization"] if p.get("name") == ["Islamic State"])
    assert {"Daesh", "ISIS"} <= set(islamic_state.get("alias"))
    links = [d for d in schemas["Documentation"] if d.get("entity") == [islamic_state.id]]
    assert len(links) == 12 and all(by_id[d.get("document")[0]].schema.name == "Article" for d in links)


# -- GraphML and GEXF ------------------------------------------------------------------------------

def _edges(graph) -> dict[tuple[str, str, str], dict]:
    names = {n: d["name"] for n, d in graph.nodes(data=True)}
    return {(names[u], names[v], d["kind"]): d for u, v, d in graph.edges(data=True)}


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_entity_graph_read_by_networkx(out, tmp_path, fmt, reader):
    path = tmp_path / f"g.{fmt}"
    path.write_text(out("graph", fmt), encoding="utf-8")
    graph = reader(path)
    entities = jsonl(out("entities", "jsonl"))
    assert graph.number_of_nodes() == len(entities)
    islamic_state = next(d for _, d in graph.nodes(data=True) if d["name"] == "Islamic State")
    assert (islamic_state["type"], islamic_state["mention_count"]) == ("GROUP", 27)
    edges = _edges(graph)
    leg = edges[("Ibrahim El Bakraoui", "Gaziantep", "movement")]
    assert (leg["weight"], leg["evidence"], leg["documents"], leg["labels"]) == (2, 2, 1, "from; to")
    arrest = edges[("Islamic State", "People's Protection Units", "co_participation")]
    assert (arrest["weight"], arrest["labels"]) == (1, "arrest")
    assert edges[("Brett McGurk", "Turkey", "claim")]["labels"] == "accuse"
    assert {k for _, _, k in edges} == {"co_participation", "movement", "claim", "participation", "co_occurrence"}
    raid = edges[("Islamic State", "Gaziantep", "participation")]
    assert "patient of arrest" in raid["labels"].split("; ")
    together = graph.to_undirected()
    isolated = sorted(graph.nodes[n]["name"] for n in nx.isolates(together))
    assert len(isolated) == 6  # of 81: entities never named in a sentence with another one
    assert nx.number_connected_components(together) < 15


# -- corpus records: merged events and stories, claim clusters --------------------------------------

def test_merged_events_stories_and_opinions(demo_kb_copy):
    store = open_store(demo_kb_copy)
    try:
        events = list(store.iter_records("events"))
        claims = list(store.iter_records("claims"))
        members = [e["id"] for e in gaziantep_arrests(events)]
        store.replace_corpus_records("event", [{"id": "mev-gaziantep", "type": "arrest", "members": members,
                                                "story_id": "sty-raids"}])
        store.replace_corpus_records("story", [{"id": "sty-raids", "title": "Gaziantep raids",
                                                "events": ["mev-gaziantep"], "documents": []}])
        store.replace_corpus_records("claim_cluster", [{
            "id": "ccl-27", "claims": [claims[0]["id"]], "documents": [],
            "credibility": {"grade": 2, "label": "probably true", "explanation": "two independent origins",
                            "override": None}}])
    finally:
        store.close()
    rows = list(csv.DictReader(io.StringIO(export(demo_kb_copy, "events", "csv").stdout)))
    assert [(r["newsgraph_event_id"], r["member_event_ids"], r["story_id"]) for r in rows] == [
        ("mev-gaziantep", "; ".join(members), "sty-raids")]
    features = json.loads(export(demo_kb_copy, "events", "geojson").stdout)["features"]
    assert [f["id"] for f in features if f["properties"]["story_id"] == "sty-raids"] == members

    bundle = stix2.parse(export(demo_kb_copy, "all", "stix").stdout, allow_custom=True)
    opinion = next(o for o in bundle.objects if o.type == "opinion")
    assert (opinion.opinion, opinion.explanation) == ("agree", "two independent origins")
    assert opinion.object_refs == ["note--" + str(uuid.uuid5(NAMESPACE, claims[0]["id"]))]
    story = next(o for o in bundle.objects if o.type == "grouping" and o.name == "Gaziantep raids")
    assert sorted(story.object_refs) == sorted("incident--" + str(uuid.uuid5(NAMESPACE, m)) for m in members)


# -- CLI behaviour ----------------------------------------------------------------------------------

def test_out_writes_a_file(demo_kb, tmp_path):
    target = tmp_path / "events.csv"
    result = export(demo_kb, "events", "csv", "--out", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "wrote 77 events to" in result.stderr  # merged events
    assert len(list(csv.DictReader(target.open(encoding="utf-8")))) == 77


def test_unknown_format_lists_the_formats(demo_kb):
    result = export(demo_kb, "events", "kml")
    assert result.exit_code == 1
    assert "export events has no format 'kml'; choose one of: csv, geojson, jsonl" in result.stderr
    result = export(demo_kb, "graph", "dot")
    assert "export graph has no format 'dot'; choose one of: graphml, gexf" in result.stderr


def test_out_file_message_counts_records_of_a_whole_export(demo_kb, tmp_path):
    target = tmp_path / "kb.ftm"
    result = CliRunner().invoke(main, ["export", "all", "--format", "ftm", "--db", demo_kb, "--out", str(target)])
    assert result.exit_code == 0, result.output
    lines = target.read_text(encoding="utf-8").splitlines()
    assert f"wrote {len(lines)} records to {target}" in " ".join(result.output.split())  # rich wraps long lines


# -- ClaimReview -----------------------------------------------------------------------------------

def check_claimreview(review: dict) -> list[str]:
    """What the fact-check ecosystem requires of a ClaimReview (schema.org and the fact-check
    markup guidelines): the problems found, none when it passes."""
    problems = []
    for key in ("url", "claimReviewed", "datePublished", "author", "reviewRating", "itemReviewed"):
        if not review.get(key):
            problems.append(f"missing {key}")
    if review.get("@type") != "ClaimReview" or review.get("@context") != "https://schema.org":
        problems.append("not a schema.org ClaimReview")
    if not str(review.get("url", "")).startswith(("http://", "https://")):
        problems.append("url is not absolute")
    if review.get("datePublished") and not re.fullmatch(r"\d{4}-\d\d-\d\d", review["datePublished"]):
        problems.append("datePublished is not an ISO date")
    if (review.get("author") or {}).get("@type") not in ("Organization", "Person"):
        problems.append("review author is neither Organization nor Person")
    rating = review.get("reviewRating") or {}
    if not rating.get("alternateName") or rating.get("@type") != "Rating":
        problems.append("reviewRating without alternateName")
    if not (rating.get("bestRating", 0) <= rating.get("ratingValue", -1) <= rating.get("worstRating", -1)):
        problems.append("ratingValue outside bestRating…worstRating")
    item = review.get("itemReviewed") or {}
    if item.get("@type") != "Claim":
        problems.append("itemReviewed is not a Claim")
    authors = item.get("author") or []
    if not authors or any(a.get("@type") not in ("Organization", "Person") or not a.get("name") for a in authors):
        problems.append("claim author missing or not a Person/Organization")
    appearances = item.get("appearance") or []
    if not appearances or any(not str(a.get("url", "")).startswith(("http://", "https://")) for a in appearances):
        problems.append("appearance missing or without an absolute url")
    return problems


@pytest.mark.parametrize("kb_name", ["demo_kb", "seeds_kb"])
def test_claimreview_has_the_required_fields(kb_name, request):
    db = request.getfixturevalue(kb_name)
    result = export(db, "claims", "claimreview")
    assert result.exit_code == 0, result.output
    reviews = json.loads(result.stdout)
    assert reviews, "no claim reviewed"
    assert {r["identifier"]: check_claimreview(r) for r in reviews} == {r["identifier"]: [] for r in reviews}
    if kb_name == "demo_kb":
        assert len(reviews) == 19
        police = next(r for r in reviews if r["claimReviewed"] == "Turkish police detained 27 people")
        assert police["url"] == f"http://127.0.0.1:8000/claims/{police['identifier']}"
        assert police["itemReviewed"]["author"] == [{"@type": "Organization", "name": "city's police department"}]
        assert police["itemReviewed"]["appearance"][0]["url"].startswith("http://127.0.0.1:8000/documents/")


def test_no_dangling_participant_ids(out):
    entities = {e["id"] for e in jsonl(out("entities", "jsonl"))}
    events = jsonl(out("events", "jsonl"))
    ids = [p["entity_id"] for e in events for p in e["participants"] if p.get("entity_id")]
    assert ids and set(ids) <= entities
    merged = [e for s in jsonl(out("stories", "jsonl")) for e in s["events"]]
    ids = [p["entity_id"] for e in merged for p in e["participants"] if p.get("entity_id")]
    assert ids and set(ids) <= entities
    pronouns = [p for e in events for p in e["participants"] if p.get("name") in ("they", "them", "it", "who")]
    assert pronouns and all(p["entity_id"] is None for p in pronouns)
