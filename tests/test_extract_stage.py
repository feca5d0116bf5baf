"""The extraction stage over a real store: mentions with spans, entities, notes, incremental runs."""
from __future__ import annotations

import io
import json

import pytest

from newsgraph.export import export
from newsgraph.pipeline import extract
from newsgraph.pipeline.ingest import ingest
from newsgraph.pipeline.stages import all_stages


def run_stage(store):
    """Run extraction, then the corpus stages (entities and the rest) as ``newsgraph build`` does."""
    seen = []
    summary = extract.run(store, seen.append)
    for stage in all_stages()[1:]:
        stage.run(store, lambda name="": None)
    return summary, seen


@pytest.fixture
def seeded(store, seeds_dir, demo_corpus):
    report = ingest([str(seeds_dir), str(demo_corpus / "10_anatolia_wire_ceylanpinar_sinir_tr.txt"),
                     str(demo_corpus / "11_undated_border_guides.txt")], store)
    assert report.ok
    return store


def exported(store, what):
    buf = io.StringIO()
    export(store, what, "jsonl", buf)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_stage_stores_mentions_whose_spans_match_the_clean_text(seeded):
    summary, seen = run_stage(seeded)
    assert summary.startswith("analysed 6 documents (1 not analysed, see their notes)")
    assert len(seen) == 7
    texts = {d["id"]: d["text"] for d in seeded.iter_documents()}
    mentions = list(seeded.iter_mentions())
    assert len(mentions) > 100
    for m in mentions:
        assert texts[m["document_id"]][m["start"]:m["end"]] == m["text"]
        assert m["sentence_start"] <= m["start"] < m["end"] <= m["sentence_end"]
        assert m["entity_id"] if "entity_id" in m else True


def test_entities_export_merges_aliases_and_resolves_short_names(seeded):
    run_stage(seeded)
    entities = {(e["type"], e["name"]): e for e in exported(seeded, "entities")}
    isis = entities[("GROUP", "Islamic State")]
    assert {"ISIS", "IS", "Islamic State", "Isis"} <= set(isis["aliases"])
    assert len(isis["documents"]) == 6
    bozkurt = entities[("PERSON", "Abdullah Bozkurt")]
    assert "Bozkurt" in bozkurt["aliases"] and bozkurt["mention_count"] >= 4
    mcgurk = entities[("PERSON", "Brett McGurk")]
    assert "McGurk" not in {n for (t, n) in entities if t == "PERSON"} or "McGurk" in mcgurk["aliases"]
    for e in entities.values():
        assert set(e) >= {"id", "type", "name", "aliases", "attributes", "mention_count"}
        assert e["mention_count"] >= 1


def test_other_language_and_undated_documents_get_notes(seeded):
    run_stage(seeded)
    with seeded.engine.connect() as conn:
        import sqlalchemy as sa

        notes = {row.document_id: json.loads(row.notes) for row in
                 conn.execute(sa.select(seeded.t["analyses"]))}
    docs = {d["origin"].rsplit("/", 1)[-1]: d["id"] for d in seeded.iter_documents()}
    assert notes[docs["10_anatolia_wire_ceylanpinar_sinir_tr.txt"]] == ["language 'tr': not run through the English models"]
    assert notes[docs["11_undated_border_guides.txt"]] == ["no publication date: relative dates stay unresolved"]


def test_second_run_analyses_nothing_and_changes_nothing(seeded):
    run_stage(seeded)
    before = seeded.stats()
    summary, seen = run_stage(seeded)
    assert summary.startswith("analysed 0 documents") and seen == []
    assert seeded.stats() == before


def test_analyse_handles_empty_and_huge_documents(monkeypatch):
    assert extract.analyse({"text": "   ", "language": None}) == {"notes": ["no text to analyse"]}
    assert extract.analyse({"text": "... !!", "language": None})["notes"] == [
        "no publication date: relative dates stay unresolved", "no sentences found"]
    monkeypatch.setenv("NEWSGRAPH_MAX_ANALYSED_CHARS", "20000")
    paragraph = "Police detained five people in Kilis on Friday, officials said.\n\n"
    big = (paragraph * (5_000_000 // len(paragraph) + 1))[:5_000_000]
    result = extract.analyse({"text": big, "language": "en", "published": {"value": "2017-10-06", "precision": "day"}})
    kept = big.rfind("\n\n", 0, 20000)
    assert result["notes"] == [f"article has 5,000,000 characters: only the first {kept:,} were analysed "
                               "(set NEWSGRAPH_MAX_ANALYSED_CHARS to raise the limit)"]
    assert {m["text"] for m in result["mentions"]} == {"Kilis"}
    assert len(result["mentions"]) == big[:kept].count("Kilis")


def test_places_are_geocoded_and_exported_with_their_mentions(seeded):
    run_stage(seeded)
    entities = {(e["type"], e["name"]): e for e in exported(seeded, "entities")}
    antep = entities[("PLACE", "Gaziantep")]
    assert {"Antep", "Anteb"} <= set(antep["aliases"])
    assert antep["attributes"]["place"]["country_code"] == "TR"
    ras = next(e for (t, n), e in entities.items() if t == "PLACE" and "Sari Kani" in e["aliases"])
    assert ras["attributes"]["place"]["country_code"] == "SY"  # the Syrian town, not Rosh Ha'Ayin
    petersburg = next(e for (t, n), e in entities.items() if "St. Petersburg" in e["aliases"])
    assert petersburg["attributes"]["place"]["country_code"] == "RU"
    places = exported(seeded, "places")
    texts = {d["id"]: d["text"] for d in seeded.iter_documents()}
    resolved = [p for p in places if p["resolved"]]
    assert resolved[0]["name"] in {"Turkey", "Syria"}
    for place in resolved:
        assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180
        assert set(place) >= {"name", "geonames_id", "lat", "lon", "country_code", "feature", "precision", "mentions"}
        for m in place["mentions"]:
            assert texts[m["document_id"]][m["start"]:m["end"]] == m["text"]
    for place in places[len(resolved):]:
        assert place["resolved"] is False and place["reason"] and place["mentions"]


def test_claims_export_carries_attribution_and_evidence(seeded):
    run_stage(seeded)
    claims = exported(seeded, "claims")
    texts = {d["id"]: d["text"] for d in seeded.iter_documents()}
    assert len(claims) > 50
    for claim in claims:
        assert set(claim) >= {"text", "subject", "predicate", "object", "slots", "modality", "publisher",
                              "speaker", "origin", "evidence"}
        ev = claim["evidence"][0]
        assert ev["sentence"] in texts[ev["document_id"]]
    detainees = next(c for c in claims if c["text"].startswith("According to law enforcement agencies, five"))
    assert detainees["publisher"] == "Global Research"
    assert detainees["modality"] == "reported"
    assert detainees["speaker"]["canonical"] == "law enforcement agencies"
    assert detainees["slots"]["quantity"]["best"] == 5
    guardian = [c for c in claims if c["evidence"][0]["source"] is None and (c["origin"] or {}).get("name") == "The Guardian"]
    assert guardian, "seed 001 credits The Guardian: its factual claims carry that origin"
    positions = [c["evidence"][0]["start"] for c in claims if c["evidence"][0]["document_id"] == detainees["evidence"][0]["document_id"]]
    assert positions == sorted(positions)


def test_events_export_contract_and_the_istanbul_arrest(seeded):
    run_stage(seeded)
    events = exported(seeded, "events")
    texts = {d["id"]: d["text"] for d in seeded.iter_documents()}
    for event in events:
        assert set(event) >= {"id", "type", "date", "place", "participants", "count", "fatalities", "money",
                              "factuality", "evidence"}
        for ev in event["evidence"]:
            assert texts[ev["document_id"]][ev["start"]:ev["end"]] == ev["sentence"]
        if event["place"] and "lat" in event["place"]:
            assert -90 <= event["place"]["lat"] <= 90 and -180 <= event["place"]["lon"] <= 180
    arrest = next(e for e in events if e["type"] == "arrest" and (e["count"] or {}).get("best") == 36)
    assert arrest["date"] == {"start": "2017-09-25", "end": "2017-09-25", "precision": "day", "text": "September 25"}
    assert arrest["place"]["name"] == "Istanbul" and arrest["place"]["country_code"] == "TR"
    assert arrest["sub_counts"][0]["best"] == 5
    assert arrest["mappings"]["cameo"] == ["173"]
    assert {p["role"] for p in arrest["participants"]} >= {"agent", "patient"}
    # one arrest record for the 36 detainees, not one per sentence
    assert sum(1 for e in events if e["type"] == "arrest" and (e["count"] or {}).get("best") == 36) == 1


def test_movements_export_has_the_legs_in_order(seeded):
    run_stage(seeded)
    movements = exported(seeded, "movements")
    bakraoui = next(m for m in movements if m["name"] == "Ibrahim El Bakraoui")
    legs = [(leg["from"] or {}).get("name", None) for leg in bakraoui["legs"]], \
           [(leg["to"] or {}).get("name") for leg in bakraoui["legs"]]
    assert legs[1][:2] == ["Antalya", "Gaziantep Province"]   # "moved on to the border province of Gaziantep"
    assert bakraoui["legs"][0]["means"] == "flight"
    assert bakraoui["legs"][0]["date"]["start"] == "2015-06-11"
    assert bakraoui["legs"][1]["from"]["name"] == "Antalya"
    assert [leg["date"]["start"] for leg in bakraoui["legs"]][:4] == ["2015-06-11", "2015-06-14", "2015-06-17", "2015-07-14"]
    assert bakraoui["legs"][3]["kind"] == "deportation" and bakraoui["legs"][3]["to"]["country_code"] == "NL"
