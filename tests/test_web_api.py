"""The JSON API and pages against a running server (uvicorn on a free port) over the demo knowledge base."""
from __future__ import annotations

import time

import pytest
from conftest import build_knowledge_base
from web_server import TOKEN, running

from newsgraph.geo.outlines import bbox_of, country_outlines, project
from newsgraph.store import open_store

RAID_TITLES = {
    "27 Islamic State suspects held in Gaziantep raids",
    "Before Brussels: how the Bakraoui brothers moved through Turkey",
    "Gaziantep police detain 27 in dawn raid on Islamic State suspects",
    "Kurdish official says Turkish raid in Antep netted 41 IS suspects",
    "YPG units arrest more than 20 IS members heading for Turkey",
}
DAWN_RAID = "e6bb1b17cae262dc"


@pytest.fixture(scope="module")
def api(kb):
    with running(kb, TOKEN) as client:
        yield client


@pytest.fixture(scope="module")
def store(kb):
    s = open_store(kb)
    yield s
    s.close()


def test_overview_counts_match_the_store(api, store):
    data = api.get("/index.json").json()
    stats = store.stats()
    assert data["counts"]["documents"] == 13
    assert data["counts"]["sources"] == 7
    assert data["counts"]["movements"] == stats["movements"] == 24
    assert data["counts"]["entities"] == stats["entities"]
    assert data["counts"]["claims"] == stats["claims"]
    assert data["counts"]["events"] == stats.get("corpus:event", 0)
    assert data["counts"]["stories"] == stats.get("corpus:story", 0)
    assert data["counts"]["claim_clusters"] == stats.get("corpus:claim_cluster", 0)
    events = list(store.iter_corpus_records("event"))
    placed = [e for e in events if (e.get("place") or {}).get("lat") is not None]
    dated = [e for e in events if (e.get("date") or {}).get("start")]
    assert data["events"] == {"total": len(events), "shown": len(events)}
    assert sorted(p["id"] for p in data["map"]["points"]) == sorted(e["id"] for e in placed)
    assert all(p["href"] == f"/events/{p['id']}" for p in data["map"]["points"])
    assert len(data["timeline"]["items"]) == len(dated)
    lons = [p["lon"] for p in data["map"]["points"]]
    assert data["map"]["bbox"][0] <= min(lons) and data["map"]["bbox"][2] >= max(lons)
    sizes = [s["size"] for s in data["stories"]]
    assert sizes == sorted(sizes, reverse=True) and len(sizes) == min(10, stats.get("corpus:story", 0))
    assert all(c["contradicting"] > 0 for c in data["contested"])


def test_every_page_has_a_json_twin(api, store):
    event = next(store.iter_corpus_records("event"))["id"]
    story = next(store.iter_corpus_records("story"))["id"]
    cluster = next(store.iter_corpus_records("claim_cluster"))["id"]
    entity = next(store.iter_entities())["id"]
    for path in ["/", "/search?q=Gaziantep", "/events", f"/events/{event}", "/claims", f"/claims/{cluster}",
                 "/entities", f"/entities/{entity}", "/sources", "/sources/levant-ledger", "/documents",
                 f"/documents/{DAWN_RAID}", "/stories", f"/stories/{story}"]:
        page = api.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
        base, _, query = path.partition("?")
        twin = ("/index" if base == "/" else base) + ".json" + (f"?{query}" if query else "")
        assert f'data-twin="{twin}"' in page.text
        assert api.get(twin).headers["content-type"] == "application/json", twin
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/index.json", "/events/{event_id}.json", "/claims/{claim_id}.json", "/entities/{entity_id}.json",
            "/sources/{source_id}.json", "/documents/{doc_id}.json", "/search.json", "/outlines.json",
            "/sources/{source_id}/reliability", "/claims/{cluster_id}/credibility",
            "/entities/{entity_id}/merge", "/entities/{entity_id}/split"} <= set(paths)


def test_lists_page_and_filter(api, store):
    total = store.stats()["corpus:event"]
    first = api.get("/events.json?limit=5").json()
    assert (first["total"], first["offset"], first["limit"], len(first["items"])) == (total, 0, 5, 5)
    second = api.get("/events.json?limit=5&offset=5").json()
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    arrests = api.get("/events.json?type=arrest&limit=500").json()
    expected = [e for e in store.iter_corpus_records("event") if e["type"] == "arrest"]
    assert arrests["total"] == len(expected) and {e["type"] for e in arrests["items"]} == {"arrest"}
    sources = api.get("/sources.json").json()
    assert sources["total"] == 7
    assert {s["name"] for s in sources["items"]} >= {"Levant Ledger", "Anatolia Wire", "Frontier Dispatch"}
    docs = api.get("/documents.json").json()
    assert docs["total"] == 13 and len(docs["items"]) == 13
    bad = api.get("/events.json?limit=0")  # a 400 that says what is allowed (issue 15; was 422)
    assert (bad.status_code, bad.json()) == (400, {"detail": "bad request: limit: Input should be greater than or "
                                                             "equal to 1 (got 0)"})


def test_event_page_shows_evidence_in_context(api, store):
    event = next(e for e in store.iter_corpus_records("event")
                 if e["type"] == "arrest" and (e.get("place") or {}).get("name") == "Gaziantep")
    data = api.get(f"/events/{event['id']}.json").json()
    assert data["event"]["id"] == event["id"]
    assert data["event"]["place"]["name"] == "Gaziantep" and data["event"]["place"]["precision"] == "town"
    assert data["event"]["date"]["precision"] == event["date"]["precision"]
    assert len(data["evidence"]) == len(event["evidence"])
    first = data["evidence"][0]
    assert first["sentence"].strip() == event["evidence"][0]["sentence"].strip()
    assert "Gaziantep" in [first["sentence"][a:b] for a, b in first["marks"]]
    assert {d["id"] for d in data["documents"]} == set(event["documents"])
    # a per-document event points at the merged event it belongs to
    member = event["members"][0]
    single = api.get(f"/events/{member}.json").json()
    assert single["event"]["merged"] is False and single["event"]["merged_into"] == event["id"]


def test_claim_page_sides_graph_and_per_document_claim(api, store):
    cluster = max(store.iter_corpus_records("claim_cluster"), key=lambda c: (len(c["origins"]), c["id"]))
    data = api.get(f"/claims/{cluster['id']}.json").json()
    assert data["cluster"]["text"] == cluster["text"]
    assert len(data["supporting"]) == len(cluster["supporting"])
    assert len(data["contradicting"]) == len(cluster["contradicting"])
    assert data["credibility"]["grade"] == cluster["credibility"]["grade"]
    assert data["credibility"]["explanation"] == cluster["credibility"]["explanation"]
    names = {n["id"] for n in data["graph"]["nodes"]}
    assert {o["name"] for o in cluster["origins"]} <= names
    for a, b in data["graph"]["edges"]:
        assert a in names and b in names
    claim_id = cluster["claims"][0]
    single = api.get(f"/claims/{claim_id}.json").json()
    assert single["claim"]["id"] == claim_id and single["cluster_id"] == cluster["id"]


def test_entity_page_movement_legs_in_order(api, store):
    ibrahim = next(e for e in store.iter_entities() if e["name"] == "Ibrahim El Bakraoui")
    data = api.get(f"/entities/{ibrahim['id']}.json").json()
    assert data["entity"]["type"] == "PERSON"
    assert data["entity"]["attributes"]["nationality"] == "Belgian"
    legs = data["legs"]
    assert [leg["seq"] for leg in legs] == list(range(1, len(legs) + 1))
    dates = [leg["date"]["start"] for leg in legs]
    assert dates == sorted(dates) and dates[0] == "2015-06-11"
    # Antalya by air, on to Gaziantep, caught on the way into Syria, deported to the Netherlands
    assert [leg["to"] for leg in legs] == ["Antalya", "Gaziantep", "Syria", "The Netherlands"]
    assert [leg["means"] for leg in legs][0] == "flight"
    # a leg without a start place continues from where the previous one ended
    assert legs[3]["from"] is None and legs[3]["coords"][0] == legs[2]["coords"][-1]
    assert [line["seq"] for line in data["map"]["lines"]] == [2, 3, 4]
    assert data["mentions"]["total"] == ibrahim["mention_count"]
    m = data["mentions"]["items"][0]
    assert m["sentence"][m["marks"][0][0]:m["marks"][0][1]] == m["text"]
    assert [d["title"] for d in data["documents"]] == [
        "Before Brussels: how the Bakraoui brothers moved through Turkey"]


def test_source_and_document_pages(api):
    source = api.get("/sources/levant-ledger.json").json()
    assert source["source"]["name"] == "Levant Ledger"
    assert [(d["title"], d["published"]["value"]) for d in source["documents"]] == [  # newest first
        ("Gaziantep police detain 27 in dawn raid on Islamic State suspects", "2017-10-03"),
        ("Idlib becomes a waiting room for foreign IS fighters", "2017-09-20")]
    doc = api.get(f"/documents/{DAWN_RAID}.json").json()
    assert doc["document"]["source"] == "Levant Ledger" and doc["document"]["source_id"] == "levant-ledger"
    assert doc["document"]["published"] == {"value": "2017-10-03", "precision": "day"}
    assert len(doc["document"]["removed"]) == 25   # the five lines under "Latest headlines" among them
    assert [c["author"] for c in doc["document"]["comments"]] == ["Mehmet K.", "Sarah L."]
    assert doc["mentions"] and all(doc["text"][m["start"]:m["end"]] == m["text"] for m in doc["mentions"])
    assert "offset_map" not in doc["document"] and "raw" not in doc["document"]


@pytest.mark.parametrize("path, message", [
    ("/events/nope", "no event 'nope' in this knowledge base: find events at /events or /search"),
    ("/claims/nope", "no claim 'nope' in this knowledge base: find claims at /claims or /search"),
    ("/sources/nope", "no source 'nope' in this knowledge base: see every outlet at /sources"),
    ("/documents/nope", "no document 'nope' in this knowledge base: see the documents at /documents"),
    ("/stories/nope", "no story 'nope' in this knowledge base: see the stories at /stories"),
    ("/entities/nope", "no entity 'nope' in this knowledge base (it may have been merged): "
                       "find people, groups and places at /entities or /search"),
    ("/nothing/here", "no page at /nothing/here: start at / (overview), /search or /docs (the API)"),
])
def test_unknown_ids_are_404_with_a_helpful_message(api, path, message):
    r = api.get(path + ".json")
    assert r.status_code == 404
    assert r.json() == {"detail": message.replace("/nothing/here:", "/nothing/here.json:")}
    page = api.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert message.replace("'", "&#39;") in page.text


def test_search_api(api):
    found = api.get("/search.json", params={"q": "Gaziantep"}).json()
    docs = found["results"]["document"]
    assert docs["total"] == 5 and {h["title"] for h in docs["hits"]} == RAID_TITLES
    assert all(h["href"] == f"/documents/{h['ref']}" for h in docs["hits"])
    place = [h for h in found["results"]["entity"]["hits"] if h["title"] == "Gaziantep"]
    assert len(place) == 1 and place[0]["href"].startswith("/entities/ent-")
    only = api.get("/search.json", params={"q": "Gaziantep", "kind": "document", "limit": 2}).json()
    assert list(only["results"]) == ["document"] and len(only["results"]["document"]["hits"]) == 2
    bad = api.get("/search.json", params={"q": "x", "kind": "bogus"})
    assert bad.status_code == 400
    assert bad.json() == {"detail": "unknown kind 'bogus': choose from document, entity, event, claim, story, source"}


def test_outlines_and_projection(api):
    outlines = api.get("/outlines.json").json()
    by_code = {o["iso2"]: o for o in outlines}
    assert len(outlines) == len(country_outlines()) == 173
    assert by_code["SY"]["name"] == "Syria" and by_code["TR"]["name"] == "Turkey"
    assert all(len(ring) >= 3 for o in outlines for ring in o["polygons"] if len({tuple(p) for p in ring}) > 2)
    lon, lat = zip(*by_code["SY"]["polygons"][0])
    assert 35.5 < min(lon) < 36.0 and 42.0 < max(lon) < 42.5 and 32.2 < min(lat) < 32.5 and 37.0 < max(lat) < 37.5
    assert project(36, 35, (35, 32, 43, 38), 800, 600) == (100.0, 300.0)
    assert project(35, 38, (35, 32, 43, 38), 800, 800) == (0.0, 100.0)
    assert bbox_of([(37.38, 37.06)], pad=1.0, min_span=5.0) == (34.88, 34.56, 39.88, 39.56)
    assert bbox_of([]) == (-180.0, -90.0, 180.0, 90.0)


def test_editing_is_disabled_without_a_token(kb):
    with running(kb, None) as client:
        r = client.post("/sources/levant-ledger/reliability", json={"grade": "B", "basis": "x"})
        assert r.status_code == 403
        assert r.json() == {"detail": "editing is disabled: start the server with --token"}
        assert client.get("/sources/levant-ledger.json").status_code == 200


def test_token_rules(api):
    body = {"grade": "B", "basis": "x"}
    missing = api.post("/sources/levant-ledger/reliability", json=body)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert missing.json() == {"detail": "editing needs the server's token: send the header "
                                        "'Authorization: Bearer <token>'"}
    wrong = api.post("/sources/levant-ledger/reliability", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert wrong.json() == {"detail": "the token does not match the one the server was started with"}
    # the token is checked before the body
    assert api.post("/claims/x/credibility", json={}).status_code == 401


def test_edits_apply_at_once_and_survive_a_rebuild(demo_kb_copy, demo_corpus):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    s = open_store(demo_kb_copy)
    cluster = next(c for c in s.iter_corpus_records("claim_cluster") if c["credibility"]["grade"] != 2)
    entities = {e["name"]: e["id"] for e in s.iter_entities()}
    s.close()
    with running(demo_kb_copy, TOKEN) as api:
        r = api.post("/sources/anatolia-wire/reliability", json={"grade": "b", "basis": "checked wire copy"},
                     headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["source"]["reliability"] == "B"
        assert api.get("/sources/anatolia-wire.json").json()["source"]["reliability"] == "B"
        bad = api.post("/sources/anatolia-wire/reliability", json={"grade": "Z", "basis": "x"}, headers=auth)
        assert bad.status_code == 400 and bad.json()["detail"].startswith("reliability must be one letter A–F")
        assert api.post("/sources/nope/reliability", json={"grade": "B", "basis": "x"}, headers=auth).json() == {
            "detail": "no source 'nope' in this knowledge base"}

        r = api.post(f"/claims/{cluster['id']}/credibility", json={"grade": 2, "note": "confirmed by phone"},
                     headers=auth)
        assert r.status_code == 200, r.text
        page = api.get(f"/claims/{cluster['id']}.json").json()
        assert page["credibility"]["override"]["grade"] == 2
        assert page["credibility"]["override"]["note"] == "confirmed by phone"
        assert api.post(f"/claims/{cluster['id']}/credibility", json={"grade": 9, "note": "x"},
                        headers=auth).status_code == 400

        a, b = entities["Ibrahim El Bakraoui"], entities["Ibrahim"]
        r = api.post(f"/entities/{a}/merge", json={"other": b, "note": "same man"}, headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["entity"]["id"] == a and "Ibrahim" in r.json()["entity"]["aliases"]
        gone = api.get(f"/entities/{b}.json", follow_redirects=True)
        assert gone.status_code == 200 and gone.json()["entity"]["id"] == a  # followed the redirect
        split = api.post(f"/entities/{a}/split", json={"aliases": ["Ibrahim"], "note": "not sure"}, headers=auth)
        assert split.status_code == 200, split.text
        assert [e["id"] for e in split.json()["entities"]][0] == a and len(split.json()["entities"]) == 2
    # a rebuild keeps the analysts' decisions
    build_knowledge_base(demo_kb_copy, [str(demo_corpus)])
    s = open_store(demo_kb_copy)
    try:
        source = next(x for x in s.iter_sources() if x["id"] == "anatolia-wire")
        assert source["reliability"] == "B"
        after = s.get_corpus_record("claim_cluster", cluster["id"])
        assert after["credibility"]["override"]["grade"] == 2
        kinds = [d["kind"] for d in s.iter_decisions()]
        assert kinds == ["source_reliability", "claim_credibility", "entity_merge", "entity_split"]
    finally:
        s.close()


def test_untrusted_text_is_escaped(tmp_path):
    doc = tmp_path / "evil.txt"
    doc.write_text("Evil Gazette\n\nA <script>alert('x')</script> note with <a href=\"javascript:alert(1)\">a link</a> "
                   "about Gaziantep police.\n", encoding="utf-8")
    db = build_knowledge_base(str(tmp_path / "evil.db"), [str(doc)])
    with running(db, None) as api:
        doc_id = api.get("/documents.json").json()["items"][0]["id"]
        page = api.get(f"/documents/{doc_id}", headers={"Accept": "text/html"}).text
        assert "<script>alert" not in page and 'href="javascript:' not in page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
        assert api.get(f"/documents/{doc_id}.json").json()["text"].count("<script>") == 1


def test_postgresql_backend(pg_url, demo_corpus):
    build_knowledge_base(pg_url, [str(demo_corpus / "01_levant_ledger_gaziantep_raid.txt")])
    with running(pg_url, None) as api:
        data = api.get("/index.json").json()
        assert data["counts"]["documents"] == 1 and data["counts"]["sources"] == 1
        found = api.get("/search.json", params={"q": "Gaziantep police", "kind": "document"}).json()
        assert [h["title"] for h in found["results"]["document"]["hits"]] == [
            "Gaziantep police detain 27 in dawn raid on Islamic State suspects"]
        doc = api.get(f"/documents/{DAWN_RAID}.json").json()
        assert doc["document"]["title"] == "Gaziantep police detain 27 in dawn raid on Islamic State suspects"
        assert api.get("/sources/levant-ledger.json").json()["source"]["name"] == "Levant Ledger"


def test_pages_follow_the_store_without_a_restart(demo_kb_copy):
    with running(demo_kb_copy, None) as api:
        before = api.get("/index.json").json()
        s = open_store(demo_kb_copy)
        try:
            s.upsert_corpus_records("story", [{"id": "story-zz-new", "title": "A story written while serving",
                                               "summary": "", "documents": [DAWN_RAID], "events": [], "start": None,
                                               "end": None, "precision": None, "place": None, "types": [],
                                               "entities": [], "size": 99}])
        finally:
            s.close()
        deadline = time.monotonic() + 15
        while True:
            after = api.get("/index.json").json()
            if after["counts"]["stories"] == before["counts"]["stories"] + 1 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert after["counts"]["stories"] == before["counts"]["stories"] + 1
        assert after["stories"][0]["title"] == "A story written while serving"
        assert api.get("/stories/story-zz-new.json").json()["story"]["size"] == 99


def test_serve_refuses_a_missing_knowledge_base(tmp_path):
    from click.testing import CliRunner

    from newsgraph.cli import main

    missing = tmp_path / "nope.db"
    result = CliRunner().invoke(main, ["serve", "--db", str(missing)])
    assert result.exit_code == 1
    assert f"no knowledge base at {missing}: build one first (newsgraph build PATHS --db {missing})" in \
        " ".join(result.output.split())
    assert not missing.exists()
