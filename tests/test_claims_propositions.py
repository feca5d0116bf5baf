"""Claims are propositions, and grade 1 always rests on two articles and two origins (issue 12).

Every claim of the demo corpus is checked: no clause fragment (a claim text opening with a
subordinator, a relative or wh-word), no subject that is an unresolved pronoun or a part of one,
no claim from page furniture (a text over a line break) or a question. Then every cluster graded 1
on the demo and the seeds has supporting evidence from at least two articles and two origins.
"""
from __future__ import annotations

import re

import pytest

from newsgraph.store import open_store
from test_claims import brief, claims_of

OPENERS = {"when", "as", "because", "if", "whether", "which", "who", "whom", "whose", "what", "how", "where",
           "why", "that", "though", "although", "while", "since", "once", "until", "unless"}
PRONOUNS = {"he", "she", "it", "they", "them", "we", "us", "i", "you", "this", "those", "these"}
PARTITIVE = re.compile(r"^(\w+ )+of (them|those|us|these)$", re.IGNORECASE)


def fragment_problems(claim: dict) -> list[str]:
    text = claim["text"]
    problems = []
    if text.split()[0].lower() in OPENERS:
        problems.append("opens with a subordinator or relative word")
    if "\n" in text:
        problems.append("runs over a line break")
    if claim["evidence"][0]["sentence"].strip().endswith("?"):
        problems.append("from a question")
    subject = claim.get("subject") or {}
    words = (subject.get("text") or "").lower()
    if words and not subject.get("canonical") and (words in PRONOUNS or PARTITIVE.match(words)):
        problems.append(f"pronoun subject {subject['text']!r}")
    if subject.get("text") and subject["text"] not in text:
        problems.append("the claim does not state its subject")
    return problems


def _read(db: str, read) -> list:
    store = open_store(db)
    try:
        return list(read(store))
    finally:
        store.close()


@pytest.mark.parametrize("kb", ["demo_kb", "seeds_kb"])
def test_every_claim_is_a_proposition(kb, request):
    claims = _read(request.getfixturevalue(kb), lambda store: store.iter_records("claims"))
    assert claims
    bad = [(c["text"], p) for c in claims for p in fragment_problems(c)]
    assert bad == []


@pytest.mark.parametrize("kb", ["demo_kb", "seeds_kb"])
def test_no_grade_1_from_one_article_or_one_origin(kb, request):
    clusters = _read(request.getfixturevalue(kb), lambda store: store.iter_corpus_records("claim_cluster"))
    graded_1 = [c for c in clusters if c["credibility"]["grade"] == 1]
    for c in graded_1:
        articles = {e["document_id"] for e in c["supporting"]}
        groups = {o["group"] for o in c["origins"] if o["side"] == "supporting"}
        assert len(articles) >= 2 and len(groups) >= 2, c["credibility"]["explanation"]
    if kb == "demo_kb":
        assert [c["text"] for c in graded_1] == ["security forces detained 36 people over suspected ties to the group"]


def test_fragments_of_our_own_sentences_make_no_claims():
    text = ("Border police in Kilis, which locals call the gate, arrested 12 men on Monday. "
            "If the crossing closes, trade will stop. Where did they go? They left at dawn. "
            "Everyone wants to leave. The men were questioned when police searched the van.")
    assert [brief(c) for c in claims_of(text)] == [
        ("Border police", "arrest", "12 men", "asserted", False),
        (None, "question", "The men", "asserted", False),
        ("police", "search", "the van", "asserted", False),
    ]
    last = claims_of(text)[-1]
    assert last.text == "police searched the van"  # the subordinator is not part of the proposition


def test_relative_clause_takes_its_antecedent_as_subject():
    (join, leave) = claims_of("Karim Haddad, who joined the group in 2014, left Raqqa in 2017.")
    assert join.text == "Karim Haddad joined the group in 2014"
    assert leave.text.startswith("Karim Haddad")
