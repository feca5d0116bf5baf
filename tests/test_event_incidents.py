"""One incident told in several sentences of one article is one event
(extraction/events_merge.py ``join_incident_mentions``). Sentences are written for these tests."""
from __future__ import annotations

import datetime as dt

import pytest

PUB = dt.date(2019, 6, 5)   # a Wednesday


@pytest.fixture(scope="module")
def run(events_of):
    return lambda text: events_of(text, PUB)


def starts(ev) -> list[int]:
    return [e["start"] for e in ev.evidence]


def test_the_incident_named_again_joins_its_event(run):
    text = ("A suicide bomber struck a wedding in Qamishli on Monday, killing 22 people. "
            "The blast also wounded 40. Another attack hit Hasakeh on Tuesday.")
    first, other = run(text)
    assert first.type == "attack" and first.fatalities["best"] == 22
    assert first.injured["best"] == 40                   # from "the blast", the same incident
    assert starts(first) == [0, text.index("The blast")]
    assert other.trigger == "attack" and starts(other) == [text.index("Another")]


def test_a_definite_subject_of_the_trigger_verb_names_the_incident(run):
    text = "Air strikes on the town of Hass killed 22 children. The strikes hit a school and a market."
    [ev] = run(text)
    assert ev.fatalities["best"] == 22 and starts(ev) == [0, text.index("The strikes")]


def test_a_separate_incident_stays_apart(run):
    text = ("Air strikes on the town of Hass killed 22 children. "
            "Separate strikes on the village of Kafr Nabl killed five people.")
    events = run(text)
    assert [len(e.evidence) for e in events] == [1, 1]


def test_another_day_is_another_incident(run):
    text = ("Shelling killed four people in Douma on Monday. "
            "The shelling of March 2017 had killed twelve people there.")
    events = run(text)
    assert len(events) == 2


def test_a_different_toll_without_a_toll_word_is_another_incident(run):
    text = "A car bomb killed nine people in Azaz on Monday. The bombing in Azaz killed 14 soldiers."
    assert len(run(text)) == 2


def test_the_same_place_on_the_same_day_is_the_same_incident(run):
    text = ("Barrel bombs killed eleven civilians in Maarat al-Numan on Tuesday. "
            "Rescuers in Maarat al-Numan pulled survivors from the rubble of the bombing.")
    [ev] = run(text)
    assert ev.fatalities["best"] == 11 and len(ev.evidence) == 2
