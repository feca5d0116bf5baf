"""Cleaning the real seed articles: furniture gone, lead once, comments apart, metadata found."""
from __future__ import annotations

import pytest

from newsgraph.cleaning.text import clean_text, to_raw

FURNITURE = {
    "000": ["Region:", "Theme:", "In-depth Report", "Become a Member", "Articles by:", "Disclaimer:",
            "copyrighted material", "For media inquiries", "is a special investigative correspondent",
            "The original source of this article", "By Sophie Mangal", "Global Research, September 28"],
    "001": ["daily free article limit", "Subscribe and support", "To read the entire article", "Photo courtesy",
            "B-21 Stealth Bombers", "Inside Delta Force", "Intercontinental Ballistic Missile",
            "Chelsea Walsh", "Happy Birthday Delta Force", "insider access", "Already a subscriber",
            "COMMENTS", "You must become a subscriber"],
    "002": ["January 6, 2018 | News", "YPG Press Office | January 6, 2018"],
    "003": ["This post is also available in", "One Response to", "Leave a Reply", "Leave your opinion",
            "Alan Harvey", "poetic irony"],
    "004": ["Connect with us", "Click to comment", "Leave a Comment", "More in Counterterrorism", "To Top",
            "Follow him on Twitter", "Recep Tayyip Erdoğan, Turkish, Erdoğan"],
}


@pytest.mark.parametrize("seed", sorted(FURNITURE))
def test_no_furniture_survives(seed, seed_text):
    result = clean_text(seed_text(seed))
    for phrase in FURNITURE[seed]:
        assert phrase not in result.text, f"{phrase!r} survived in seed {seed}"


@pytest.mark.parametrize("seed", sorted(FURNITURE))
def test_every_removed_span_has_a_kind_and_reason_and_points_at_the_raw_text(seed, seed_text):
    raw = seed_text(seed)
    result = clean_text(raw)
    assert result.removed
    for span in result.removed:
        assert span.kind and span.reason
        assert raw[span.start:span.end] == span.text


@pytest.mark.parametrize("seed", sorted(FURNITURE))
def test_clean_offsets_map_back_to_raw(seed, seed_text):
    raw = seed_text(seed)
    result = clean_text(raw)
    for clean_start, raw_start, length in result.offset_map:
        assert result.text[clean_start:clean_start + length] == raw[raw_start:raw_start + length]
    # any clean offset inside a segment maps to the same character in the raw text
    for offset in range(0, len(result.text), 97):
        if result.text[offset] not in " \n":
            assert raw[result.to_raw(offset)] == result.text[offset]


def test_lead_of_001_appears_once(seed_text):
    raw = seed_text("001")
    lead, second = raw.splitlines()[:2]
    result = clean_text(raw)
    assert raw.count(lead) == 2  # the paywall repeats the lead ...
    assert result.text.count(lead) == 1  # ... and the clean text has it once
    assert result.text.count(second) == 1
    assert result.text.startswith(lead)
    duplicates = [r for r in result.removed if r.kind == "duplicate"]
    assert len(duplicates) == 3
    assert duplicates[0].reason == "repeats the paragraph at raw offset 0"
    # the paragraph after the repeated lead is kept
    assert "However, large numbers of militants" in result.text


def test_001_credits_the_guardian(seed_text):
    result = clean_text(seed_text("001"))
    assert [c.name for c in result.credits] == ["The Guardian"]


def test_reader_comment_of_003_is_a_comment_not_body(seed_text):
    result = clean_text(seed_text("003"))
    assert len(result.comments) == 1
    comment = result.comments[0]
    assert comment.author == "Alan Harvey"
    assert comment.date == "2017-11-27"
    assert comment.text.startswith("The “secret deal” was no secret.")
    assert comment.text.endswith("cause trouble for Erdogan.")
    assert "secret deal” was no secret" not in result.text
    assert result.text.rstrip().endswith("posing the real risk to national security.")


def test_000_metadata(seed_text):
    result = clean_text(seed_text("000"))
    assert result.published.value == "2017-09-28" and result.published.precision == "day"
    assert result.author == "Sophie Mangal"
    assert result.source == "Global Research"
    assert result.title == "ISIS Militants and Commanders Flee to Turkey"
    assert [c.name for c in result.credits] == ["Inside Syria Media Center"]
    assert result.text.startswith("On September 25, security forces of Turkey detained 36 people")


def test_000_sentence_broken_by_a_blank_line_is_joined(seed_text):
    result = clean_text(seed_text("000"))
    assert "IS leaders need to have time to legalize themselves" in result.text
    assert "Rarely they flee towards Amuda and Qamishli" in result.text


def test_002_metadata(seed_text):
    result = clean_text(seed_text("002"))
    assert result.published.value == "2018-01-06"
    assert result.source == "YPG Press Office"
    assert result.title == "Daesh’s desperate militants seek salvation in Turkey"
    assert "YPG Anti-Terror Units General Command stated that the operations will continue." in result.text


def test_undated_seeds_stay_undated(seed_text):
    for seed in ("001", "003", "004"):
        assert clean_text(seed_text(seed)).published is None, seed
    # the date of the reader comment in 003 is not the publication date
    assert clean_text(seed_text("003")).published is None


def test_004_repeated_headline_removed_once(seed_text):
    result = clean_text(seed_text("004"))
    assert result.title == "ISIS establishes second base in Erdoğan’s Turkey"
    assert "ISIS establishes second base" not in result.text
    assert [r.reason for r in result.removed if r.kind == "duplicate"] == ["repeats the headline at raw offset 17"]


def test_to_raw_without_a_map_is_identity():
    assert to_raw([], 12) == 12
