"""Origins of claims: republication, near-duplicates, credit lines, relayed origins, shared quotes."""
from __future__ import annotations

from collections import Counter

import pytest

from newsgraph.corpus.origins import document_links, document_relay, is_generic, rare_quotes
from newsgraph.store import open_store
from test_claim_clusters import cluster_with, file_key


@pytest.fixture(scope="module")
def demo(demo_kb):
    store = open_store(demo_kb)
    yield store
    store.close()


def test_near_duplicates_01_and_02_are_one_origin(demo):
    c = cluster_with(demo, "The Gaziantep operation follows raids")
    assert (c["independent_origins"], c["article_count"]) == (1, 2)
    assert [(o["name"], o["group"], o["dependence"]) for o in c["origins"]] == [
        ("Levant Ledger", 0, None),
        ("Anatolia Wire", 0, "near-duplicate texts (MinHash similarity 0.84)"),
    ]


def test_07_republishes_06_and_counts_as_its_origin(demo):
    c = cluster_with(demo, "Four Saudi nationals arrived")
    assert (c["independent_origins"], c["article_count"]) == (1, 2)
    chains = [o["chain"] for o in c["origins"]]
    assert chains == [["Levant Ledger", "smuggler"], ["Crescent Defense Review", "Levant Ledger", "smuggler"]]
    assert c["origins"][1]["dependence"] == "Crescent Defense Review republishes Levant Ledger"


def test_03_is_an_independent_interested_origin(demo):
    c = cluster_with(demo, "Turkish police detained 27 people")
    contra = [o for o in c["origins"] if o["side"] == "contradicting"]
    assert [(o["name"], o["interested"], o["chain"]) for o in contra] == [
        ("Kurdish security official", True, ["Frontier Dispatch", "Kurdish security official"]),
    ]
    assert contra[0]["dependence"] is None and c["independent_origins"] == 1


def test_istanbul_36_has_two_independent_origins(demo):
    c = cluster_with(demo, "security forces detained 36 people")
    assert (c["independent_origins"], c["article_count"]) == (2, 3)
    assert [o["name"] for o in c["origins"] if o["side"] == "supporting" and not o["dependence"]] == [
        "Levant Ledger", "Euphrates Review"]


def seed_origins(seeds_kb) -> dict[str, tuple]:
    store = open_store(seeds_kb)
    try:
        keys = {d["id"]: file_key(d)[:3] for d in store.iter_documents()}
        keys = {i: d["origin"].replace("\\", "/").split("/")[-1][:3] for i, d in
                ((d["id"], d) for d in store.iter_documents())}
        counts: dict[str, Counter] = {}
        for f in store.iter_corpus_records("claim_feature"):
            o = f["origin"]
            counts.setdefault(keys[f["document_id"]], Counter())[(o["name"], o["kind"], tuple(o["chain"][1:]))] += 1
        return {k: v.most_common(1)[0][0] for k, v in counts.items()}
    finally:
        store.close()


def test_seed_origins(seeds_kb):
    origins = seed_origins(seeds_kb)
    assert origins["000"] == ("Inside Syria Media Center", "outlet", ("Inside Syria Media Center",))
    assert origins["001"] == ("The Guardian", "outlet", ("The Guardian",))
    # the YPG article's claims now are propositions only: most of what is left is the press office's own reporting
    assert origins["002"] == ("YPG Press Office", "outlet", ())
    assert origins["003"] == ("BBC", "outlet", ("BBC",))
    assert origins["004"] == ("Abdullah Bozkurt", "expert", ("Abdullah Bozkurt",))


def test_ypg_relay_is_interested(seeds_kb):
    store = open_store(seeds_kb)
    try:
        ypg = [o for c in store.iter_corpus_records("claim_cluster") for o in c["origins"]
               if o["name"] == "YPG Anti-Terror Units General Command"]
        assert ypg and all(o["interested"] and o["party"] == "YPG" for o in ypg)
        press = next(s for s in store.iter_sources() if s["name"] == "YPG Press Office")
        assert (press["reliability"], press["interested"]) == ("D", True)
    finally:
        store.close()


def test_generic_descriptions_and_relays():
    assert is_generic("Kurdish security official") and is_generic("city's police department")
    assert not is_generic("Dilovan Ahmed") and not is_generic("Levant Ledger")
    doc = {"id": "x" * 16, "source": None, "credited": [], "title": "t"}
    claims = [{"origin": {"name": "Abdullah Bozkurt", "kind": "expert"}}] * 3 + [
        {"origin": {"name": "Brett McGurk", "kind": "official"}}, {"origin": None}]
    assert document_relay(doc, claims) == {"name": "Abdullah Bozkurt", "how": "relayed throughout",
                                           "evidence": None, "kind": "expert"}
    credited = dict(doc, credited=[{"name": "The Guardian", "evidence": "To read …", "how": "credit line"}])
    assert document_relay(credited, claims)["name"] == "The Guardian"


def test_shared_rare_quote_and_credit_line_make_documents_dependent():
    quote = "“We are arresting them with various operations almost every day before they act”"
    a = {"id": "a", "source": "Outlet A", "text": f"He said {quote}.", "near_duplicates": [], "credited": []}
    b = {"id": "b", "source": "Outlet B", "text": f"The command said: {quote}", "near_duplicates": [],
         "credited": [{"name": "Outlet A", "how": "credit line"}]}
    c = {"id": "c", "source": "Outlet C", "text": "“short quote here”", "near_duplicates": [], "credited": []}
    assert rare_quotes(c["text"]) == set()
    links = document_links({"a": a, "b": b, "c": c})
    assert [(x, y) for x, y, _ in links] == [("b", "a"), ("a", "b")]
    assert links[0][2] == "Outlet B credits Outlet A (credit line)"
    assert links[1][2].startswith("shared quotation “we are arresting them")
