"""Credibility 1–6 and reliability A–F: grading rules, explanations, edit functions, overrides that
survive a rebuild, the CLI commands and the claims / ClaimReview exports."""
from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.corpus import claims as claims_stage
from newsgraph.corpus.credibility import override_credibility, set_source_reliability, suggest_grade
from newsgraph.export import export
from newsgraph.store import open_store
from test_claim_clusters import cluster_with

POLICE = "Turkish police detained 27 people"


def origin(name, reliability="F", interested=False):
    return {"name": name, "reliability": reliability, "interested": interested}


def contra(name, reliability, credible=True, more=False):
    return {"name": name, "reliability": reliability, "interested": False, "credible": credible, "more_reliable": more}


def test_grading_rules():
    assert suggest_grade([origin("a", "B"), origin("b", "F")], [], False)[0] == 1
    assert suggest_grade([origin("a", "B")], [], False) == (2, "a single origin of reliability B (usually reliable)")
    assert suggest_grade([origin("a", "C")], [], False)[0] == 3
    assert suggest_grade([origin("a", "B")], [], True)[0] == 3
    assert suggest_grade([origin("a", "B", interested=True)], [], False)[0] == 4
    assert suggest_grade([origin("a", "F")], [], False)[0] == 6
    assert suggest_grade([], [], False) == (6, "no origin could be identified")
    assert suggest_grade([origin("a", "C"), origin("b", "C")], [contra("x", "C")], False)[0] == 4
    assert suggest_grade([origin("a", "C")], [contra("x", "A", more=True)], False) == (
        5, "contradicted by x, an independent origin more reliable (A) than the best supporting origin")
    assert suggest_grade([origin("a", "B")], [contra("x", "D", credible=False)], False)[0] == 3


def test_default_grade_and_explanation_of_the_27_cluster(demo_kb):
    store = open_store(demo_kb)
    try:
        c = cluster_with(store, POLICE)
    finally:
        store.close()
    cred = c["credibility"]
    assert (cred["grade"], cred["label"], cred["override"]) == (6, "Truth cannot be judged", None)
    text = cred["explanation"]
    assert text.startswith("Claim: “Turkish police detained 27 people”. It appears in 2 articles from 1 independent origin: "
                           "city's police department (official, reliability F).")
    # the contradicting claim is the official's sentence about the same merged arrest event
    assert ("Contradicted by Kurdish security official (official, a party to the conflict, reliability F) (count 41 vs 27) "
            "in Frontier Dispatch") in text
    assert "not counted as a credible contradiction because Kurdish security official is a party to the conflict" in text
    assert text.endswith("Suggested credibility 6 (Truth cannot be judged): a single origin of reliability F "
                         "(reliability cannot be judged) and nothing confirms it.")


def test_a_more_reliable_contradicting_origin_gives_5(demo_kb_copy):
    store = open_store(demo_kb_copy)
    try:
        set_source_reliability(store, "levant-ledger", "C", "local paper, mixed record")
        source = set_source_reliability(store, "Frontier Dispatch", "a", "verified every figure it printed so far")
        assert (source["id"], source["reliability"]) == ("frontier-dispatch", "A")
        assert source["reliability_basis"] == "analyst: verified every figure it printed so far"
        c = cluster_with(store, POLICE)
        assert c["credibility"]["grade"] == 5
        assert ("Suggested credibility 5 (Improbable): contradicted by Kurdish security official, an independent origin more "
                "reliable (A) than the best supporting origin") in c["credibility"]["explanation"]
        assert "city's police department (official, reliability C via Levant Ledger)" in c["credibility"]["explanation"]
        # a rebuild keeps the analyst's grades (decisions win over outlets.toml)
        store.reset_done("claims")
        claims_stage.run(store, lambda name="": None)
        assert cluster_with(store, POLICE)["credibility"]["grade"] == 5
    finally:
        store.close()


def test_override_is_kept_beside_the_grade_and_survives_a_rebuild(demo_kb_copy):
    store = open_store(demo_kb_copy)
    try:
        c = cluster_with(store, POLICE)
        updated = override_credibility(store, c["id"], "2", "police figure confirmed by the court file")
        assert updated["credibility"]["grade"] == 6
        assert updated["credibility"]["override"]["grade"] == 2
        assert updated["credibility"]["explanation"].endswith(
            "Analyst override: 2 (Probably true): police figure confirmed by the court file.")
        assert store.get_corpus_record("claim_cluster", c["id"])["credibility"]["override"]["grade"] == 2
        store.reset_done("claims")
        claims_stage.run(store, lambda name="": None)
        again = cluster_with(store, POLICE)
        assert again["credibility"]["grade"] == 6
        assert (again["credibility"]["override"]["grade"], again["credibility"]["override"]["note"]) == (
            2, "police figure confirmed by the court file")
        decisions = list(store.iter_decisions("claim_credibility"))
        assert [d["subject"] for d in decisions] == [c["id"]] and decisions[0]["data"]["grade"] == 2
    finally:
        store.close()


def test_edit_functions_refuse_bad_input(demo_kb_copy):
    store = open_store(demo_kb_copy)
    try:
        with pytest.raises(ValueError, match="reliability must be one letter A–F"):
            set_source_reliability(store, "levant-ledger", "G", "x")
        with pytest.raises(ValueError, match="unknown source 'nowhere'; known sources: anatolia-wire, "):
            set_source_reliability(store, "nowhere", "B", "x")
        with pytest.raises(ValueError, match="--basis is required"):
            set_source_reliability(store, "levant-ledger", "B", " ")
        with pytest.raises(ValueError, match=r"credibility must be a number 1–6 .*not '7'"):
            override_credibility(store, "clu-x", "7", "")
        with pytest.raises(ValueError, match="unknown claim cluster 'clu-x'"):
            override_credibility(store, "clu-x", 3, "")
        assert list(store.iter_decisions()) == []
    finally:
        store.close()


def test_cli_source_and_claim_commands(demo_kb_copy):
    runner = CliRunner()
    result = runner.invoke(main, ["source", "set", "rojava-press-desk", "--reliability", "D",
                                  "--basis", "media office of a party", "--db", demo_kb_copy])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("rojava-press-desk: reliability D (Not usually reliable) — analyst: media "
                                     "office of a party")
    result = runner.invoke(main, ["source", "set", "nowhere", "--reliability", "B", "--basis", "x", "--db", demo_kb_copy])
    assert result.exit_code == 1 and "Error: unknown source 'nowhere'" in result.output
    listing = runner.invoke(main, ["source", "list", "--db", demo_kb_copy], env={"COLUMNS": "250"})
    assert listing.exit_code == 0
    row = next(line for line in listing.output.splitlines() if "rojava-press-desk" in line)
    assert "D (Not usually reliable)" in row and "analyst: media office of a party" in row
    store = open_store(demo_kb_copy)
    try:
        cid = cluster_with(store, POLICE)["id"]
    finally:
        store.close()
    shown = runner.invoke(main, ["claim", "show", cid, "--db", demo_kb_copy], env={"COLUMNS": "400"})
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0] == f"{cid}: Turkish police detained 27 people"
    assert lines[1] == "credibility 6 (Truth cannot be judged); 1 independent origin(s), 2 article(s)"
    assert any(line.startswith("  contradicting: Frontier Dispatch — Turkish police detained 41 suspected members")
               and line.endswith("(count 41 vs 27)") for line in lines), lines
    assert "  origin (contradicting): Frontier Dispatch → Kurdish security official (official, interested, reliability F)" in lines
    graded = runner.invoke(main, ["claim", "grade", cid, "--grade", "4", "--note", "Kurdish count", "--db", demo_kb_copy],
                           env={"COLUMNS": "400"})
    assert graded.exit_code == 0
    assert graded.output.strip() == f"{cid}: analyst grade 4 (Doubtful) beside the suggested 6 (Truth cannot be judged)"
    bad = runner.invoke(main, ["claim", "grade", cid, "--grade", "0", "--db", demo_kb_copy])
    assert bad.exit_code == 1 and "credibility must be a number 1–6" in bad.output
    missing = runner.invoke(main, ["claim", "show", "clu-none", "--db", demo_kb_copy])
    assert missing.exit_code == 1 and "unknown claim cluster 'clu-none'" in missing.output


def test_claims_export_and_claimreview(demo_kb):
    store = open_store(demo_kb)
    try:
        fh = io.StringIO()
        n = export(store, "claims", "jsonl", fh)
        rows = [json.loads(line) for line in fh.getvalue().splitlines()]
        assert n == len(rows) == store.stats()["claims"]
        row = next(r for r in rows if r["text"] == POLICE)
        assert row["cluster_id"].startswith("clu-") and row["independent_origins"] == 1 and row["article_count"] == 2
        assert [e["reason"] for e in row["contradicting"]] == ["count 41 vs 27"]
        assert row["credibility"]["grade"] == 6 and row["explanation"].startswith("Claim: “Turkish police")
        assert all(r["cluster_id"] is None for r in rows if r["modality"] == "opinion")
        fh = io.StringIO()
        n = export(store, "claims", "claimreview", fh)
        reviews = json.loads(fh.getvalue())
        assert n == len(reviews) == 19  # every judged cluster, now that fragments are no longer claims
        review = next(r for r in reviews if r["claimReviewed"] == POLICE)
        assert (review["@context"], review["@type"], review["author"]["name"]) == ("https://schema.org", "ClaimReview", "newsgraph")
        rating = review["reviewRating"]
        assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"], rating["alternateName"]) == (
            6, 1, 6, "Truth cannot be judged")
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert [a["publisher"]["name"] for a in item["appearance"]] == ["Levant Ledger", "Anatolia Wire", "Frontier Dispatch"]
        assert item["firstAppearance"]["datePublished"] == "2017-10-03"
    finally:
        store.close()
