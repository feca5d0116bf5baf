"""Attributions: speakers, origins, cues, modality, quotations, paragraph carry-over."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.extraction.attribution import Attribution, attribute_sentences, find_quotes, paragraph_starts
from newsgraph.extraction.entities import extract_entities
from newsgraph.extraction.nlp import load_nlp

GOLDEN = Path(__file__).parent / "golden"
SEEDS = ["000", "001", "002", "003", "004"]


def attribute(text: str, publisher: str | None = "Test Courier", credited=None) -> tuple[str, list[Attribution]]:
    doc = load_nlp()(text)
    return doc.text, attribute_sentences(doc, extract_entities(doc), publisher, credited)


def at(text: str, atts: list[Attribution], anchor: str) -> Attribution:
    found = [a for a in atts if anchor in text[a.sentence_start:a.sentence_end]]
    assert len(found) == 1, f"{anchor!r} in {len(found)} sentences"
    return found[0]


def speaker(att: Attribution) -> str | None:
    return att.speaker["canonical"] if att.speaker else None


def origin(att: Attribution) -> tuple | None:
    return (att.origin["name"], att.origin["kind"]) if att.origin else None


# --------------------------------------------------------------------------- sentences of ours


def test_one_attribution_per_sentence_with_offsets():
    text, atts = attribute("Police detained four men in Kilis on Monday. The men were released on Friday.")
    assert [(a.sentence_start, a.sentence_end) for a in atts] == [(0, 44), (45, 77)]
    assert all(a.publisher == "Test Courier" for a in atts)
    assert [a.modality for a in atts] == ["asserted", "asserted"]
    assert [a.speaker for a in atts] == [None, None]
    assert [a.origin for a in atts] == [None, None]


def test_according_to_an_institution_is_speaker_and_official_origin():
    text, atts = attribute("According to border police officials, nine of the detainees were foreigners.")
    (a,) = atts
    assert a.cue == "according to"
    assert origin(a) == ("border police officials", "official")
    assert a.origin["text"] == "According to border police officials"
    assert (a.origin["start"], a.origin["end"]) == (0, 36)
    assert a.speaker == {"text": "border police officials", "canonical": "border police officials",
                         "start": 13, "end": 36, "kind": "official"}
    assert a.modality == "reported"
    assert a.quote is False


def test_outlet_confirmation_is_origin_without_speaker():
    text, atts = attribute("Several trucks crossed the frontier at night, the Guardian has confirmed.")
    (a,) = atts
    assert a.cue == "has confirmed"
    assert origin(a) == ("The Guardian", "outlet")
    assert a.origin["text"] == "the Guardian has confirmed"
    assert a.speaker is None
    assert a.modality == "reported"


def test_document_author_is_origin():
    text, atts = attribute(
        "According to the information provided by the Border Protection Command, 40 smugglers were caught.\n\n"
        "What the BBC investigation uncovered was that the convoy had left at dawn.")
    a, b = atts
    assert origin(a) == ("Border Protection Command", "official")
    assert a.origin["medium"] == "information"
    assert speaker(a) == "Border Protection Command"
    assert origin(b) == ("BBC", "outlet") and b.speaker is None and b.cue == "uncovered"


def test_paragraph_opening_with_an_attribution_carries_it():
    text, atts = attribute(
        "According to Jana Novak, an expert on border security, the network moved to Kilis in 2016. "
        "The office was run by two brothers.\n\n"
        "Trucks were seen near the crossing on Monday.")
    a, b, c = atts
    assert speaker(a) == "Jana Novak" and origin(a) == ("Jana Novak", "expert") and a.origin["scope"] == "sentence"
    assert speaker(b) == "Jana Novak" and origin(b) == ("Jana Novak", "expert") and b.origin["scope"] == "paragraph"
    assert b.modality == "reported"
    assert c.speaker is None and c.origin is None and c.modality == "asserted"


def test_an_attribution_in_the_middle_of_a_paragraph_is_not_carried():
    text, atts = attribute(
        "Police raided six houses on Monday. According to prosecutors, the men planned an attack. "
        "The suspects were taken to Ankara.")
    assert [origin(a) for a in atts] == [None, ("prosecutors", "official"), None]


def test_reported_speech_and_pronoun_resolved_to_the_last_person():
    text, atts = attribute(
        "Jana Novak said, the network had moved its office to Kilis.\n\n"
        "She added, the smugglers charge $500 per person.")
    a, b = atts
    assert speaker(a) == "Jana Novak" and a.cue == "said" and a.modality == "reported"
    assert b.speaker["text"] == "She" and speaker(b) == "Jana Novak" and b.cue == "added"
    assert b.speaker["kind"] == "person"


def test_quotation_over_several_sentences_takes_the_speaker_after_it():
    text, atts = attribute('"We saw the trucks. They crossed at night," said Omar Farouk, a local farmer.')
    assert [speaker(a) for a in atts] == ["Omar Farouk", "Omar Farouk"]
    assert [a.quote for a in atts] == [True, True]
    assert [origin(a) for a in atts] == [("Omar Farouk", "witness")] * 2
    assert atts[0].origin["scope"] == "quote"


def test_says_x_after_a_quotation_and_the_quoted_paragraph_that_follows():
    text, atts = attribute(
        "“Nobody checks the trucks at night. They pass every week.” Says Harbour Security Command.\n\n"
        "“All of them pay the guards. We know the price.”\n\n"
        "The port reopened on Friday.")
    names = [speaker(a) for a in atts]
    assert names == ["Harbour Security Command"] * 5 + [None]
    assert [a.quote for a in atts] == [True, True, False, True, True, False]
    assert atts[2].cue == "says"


def test_colon_introduces_a_quotation():
    text, atts = attribute("Karim Haddad shares the following information: “I crossed with my brother in 2015.”")
    (a,) = atts
    assert speaker(a) == "Karim Haddad" and a.quote is True and origin(a) == ("Karim Haddad", "witness")


def test_scare_quotes_are_not_quotations():
    text = "The so called “dirty deal” let the “local partners” leave.\n\n“We left at night,” he said."
    quotes = find_quotes(text, paragraph_starts(text))
    assert [(q.open, q.close, q.closed) for q in quotes] == [(14, 26, True), (35, 51, True), (60, 79, True)]
    _, atts = attribute(text)
    assert atts[0].quote is False


def test_unclosed_quotation_ends_with_its_paragraph():
    text = "He said: “We came by taxi. We paid $50.\n\nThe border was closed."
    quotes = find_quotes(text, paragraph_starts(text))
    assert [(q.open, q.close, q.closed) for q in quotes] == [(9, 39, False)]


def test_tweet_credits_its_author():
    text, atts = attribute(
        "In a tweet dated May 3, 2019, Lena Ortiz, the regional envoy, accused the council of hiding the figures.")
    (a,) = atts
    assert speaker(a) == "Lena Ortiz" and a.cue == "accused"
    assert origin(a) == ("Lena Ortiz", "official") and a.origin["medium"] == "tweet"
    assert a.origin["text"].startswith("In a tweet dated May 3, 2019, Lena Ortiz")


@pytest.mark.parametrize("sentence, hedges", [
    ("The convoy allegedly carried fuel to the border.", ["allegedly"]),
    ("It is not excluded that the men will try to cross again.", ["it is not excluded"]),
    ("He is believed to have paid the guides.", ["is believed to"]),
    ("The guides reportedly changed their route.", ["reportedly"]),
    ("It seems that the crossing is still open.", ["it seems"]),
])
def test_hedges(sentence, hedges):
    _, (a,) = attribute(sentence)
    assert a.hedges == hedges and a.modality == "hedged"


@pytest.mark.parametrize("sentence", [
    "The police should check every car at the crossing.",
    "We have warned about this network for years.",
    "After years of neglect, it is too little, too late.",
    "The smugglers are clearly protected by someone.",
    "It would be naive to expect a change.",
])
def test_opinion_in_the_publishers_voice(sentence):
    _, (a,) = attribute(sentence)
    assert a.modality == "opinion"


def test_opinion_marker_inside_a_quotation_is_the_speakers_report():
    _, atts = attribute('"We know every route they use," said Jana Novak.')
    (a,) = atts
    assert a.modality == "reported" and speaker(a) == "Jana Novak"


def test_an_opinion_opening_a_paragraph_colours_the_paragraph_but_not_hedges():
    text, atts = attribute(
        "The government should act now. The networks are growing. It is not excluded that they will expand.")
    assert [a.modality for a in atts] == ["opinion", "opinion", "hedged"]


def test_question():
    _, (a,) = attribute("Who pays the smugglers at the border?")
    assert a.modality == "question"


def test_document_credit_is_the_origin_of_unattributed_facts_only():
    text, atts = attribute(
        "Four men arrived in Kilis in early May. According to police, they paid $2,000 each.\n\n"
        "The authorities should have stopped them.",
        publisher="Frontier Digest",
        credited=[{"name": "The Northern Courier", "how": "credit line", "evidence": "Read more at The Northern Courier"}])
    a, b, c = atts
    assert origin(a) == ("The Northern Courier", "outlet")
    assert a.origin["scope"] == "document" and a.origin["text"] == "Read more at The Northern Courier"
    assert a.origin["start"] is None and a.modality == "asserted"
    assert origin(b) == ("police", "official")
    assert c.modality == "opinion" and c.origin is None


def test_credited_outlet_keeps_its_credited_name():
    text, atts = attribute("The convoy left at dawn, the Guardian has confirmed.",
                           credited=[{"name": "The Guardian"}])
    assert origin(atts[0]) == ("The Guardian", "outlet") and atts[0].origin["scope"] == "sentence"


def test_one_name_for_one_source_written_twice():
    text, atts = attribute(
        "According to the General Command of Coastal Units, 12 boats were stopped.\n\n"
        "The Coastal Units General Command stated that patrols will continue.")
    assert [speaker(a) for a in atts] == ["General Command of Coastal Units"] * 2


def test_to_dict():
    _, (a,) = attribute("Police detained four men.")
    assert a.to_dict() == {"sentence_start": 0, "sentence_end": 25, "publisher": "Test Courier", "speaker": None,
                           "origin": None, "cue": None, "modality": "asserted", "hedges": [], "quote": False}


# --------------------------------------------------------------------------- golden seeds


@pytest.fixture(scope="module")
def seed_attributions(cleaned_seed):
    cache = {}

    def get(seed: str):
        if seed not in cache:
            c = cleaned_seed(seed)
            cache[seed] = attribute(c["text"], c["source"], c["credited"])
        return cache[seed]

    return get


@pytest.mark.parametrize("seed", SEEDS)
def test_golden_attributions(seed, seed_attributions):
    golden = json.loads((GOLDEN / f"attributions_{seed}.json").read_text("utf-8"))
    text, atts = seed_attributions(seed)
    wrong = []
    for want in golden["attributions"]:
        a = at(text, atts, want["anchor"])
        got = {"speaker": speaker(a), "origin": dict(zip(("name", "kind"), origin(a))) if a.origin else None,
               "modality": a.modality}
        expected = {k: want[k] for k in ("speaker", "origin", "modality")}
        if "quote" in want:
            got["quote"], expected["quote"] = a.quote, want["quote"]
        if got != expected:
            wrong.append((want["anchor"], got, expected))
    assert not wrong, "\n".join(f"{a!r}: got {g}, want {w}" for a, g, w in wrong)
