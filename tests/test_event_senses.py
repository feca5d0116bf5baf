"""Trigger senses that are no conflict event, modality, and triggers real news uses
(data/ontology.toml [[senses]], [factuality], triggers). Sentences are written for these tests."""
from __future__ import annotations

import datetime as dt

import pytest


PUB = dt.date(2021, 3, 5)


@pytest.fixture(scope="module")
def run(events_of):
    return lambda text: [(e.type, e.trigger, e.factuality) for e in events_of(text, PUB)]


@pytest.mark.parametrize("text", [
    "The former minister died of cardiac arrest in hospital.",
    "Firefighters battled wildfires near the coast for a third day.",
    "A gas tank exploded in a restaurant, killing two cooks.",
    "Three people were killed in a car crash on the highway.",
    "A heart attack killed the singer.",
    "The opposition leader attacked the new policy in parliament.",
    "Critics called the ruling an attack on free speech.",
    "The striker shot the ball past the goalkeeper in the league match.",
    "The crew shot a documentary in the old city.",
])
def test_senses_that_are_no_conflict_event(run, text):
    assert run(text) == []


def test_the_fighting_a_ceasefire_halts_is_no_new_battle(run):
    assert "attack" not in [t for t, *_ in run("The ceasefire agreement called for a halt to the fighting in the north.")]
    assert "attack" not in [t for t, *_ in run("Both sides agreed to end the clashes around the airport.")]
    assert [t for t, *_ in run("Heavy fighting broke out in the north despite the ceasefire.")] == ["attack"]


def test_a_truce_is_an_event_when_it_is_made(run):
    assert [t for t, *_ in run("The two sides signed a ceasefire in the capital.")] == ["agreement"]
    assert [t for t, *_ in run("A truce came into force at midnight.")] == ["agreement"]
    assert run("The talks stalled over the truce.") == []


def test_the_same_words_in_a_conflict_stay_events(run):
    assert [t for t, *_ in run("A bomb exploded near the stadium as fans left the match, killing six.")] == ["attack"]
    assert [t for t, *_ in run("Police arrested two men after an attack on a checkpoint.")] == ["arrest", "attack"]


@pytest.mark.parametrize("text, fact", [
    ("The officials said the smugglers must be arrested.", "planned"),
    ("The minister said the men should be deported.", "planned"),
    ("He said the fighters would be evacuated.", "planned"),
    ("Lawmakers demanded the arrest of the commander.", "planned"),
    ("The council called for the arrest of the governor.", "planned"),
    ("Police did not arrest anyone.", "negated"),
])
def test_obligations_demands_and_denials_are_not_asserted(run, text, fact):
    assert run(text)[0][2] == fact


def test_a_denial_reaches_its_own_event_only(run):
    assert run("Police did not provide further details on the blast in the market.") == [
        ("attack", "blast", "asserted")]
    assert ("attack", "clashes", "asserted") in run("Police did not arrest anyone after the clashes.")


@pytest.mark.parametrize("text, expected", [
    ("Warplanes destroyed a bridge and two houses in the village.", ("attack", "destroyed")),
    ("Gunmen gunned down a local official outside his home.", ("attack", "Gunmen")),
    ("A man hurled a grenade at a police patrol.", ("attack", "hurled")),
    ("Two activists were picked up by police at the airport.", ("arrest", "picked up")),
    ("The journalists were held in a military prison for weeks.", ("arrest", "held")),
    ("The rebels held the aid workers hostage for a month.", ("abduction", "held the aid workers hostage")),
    ("A car bomb hit the checkpoint near the bridge.", ("attack", "hit")),
    ("A missile struck a school in the town.", ("attack", "struck")),
    ("Rebels targeted the checkpoint with mortars.", ("attack", "targeted")),
    ("Four soldiers were martyred on Tuesday in the town.", ("killing", "martyred")),
])
def test_triggers_real_news_uses(run, text, expected):
    assert run(text)[0][:2] == expected


@pytest.mark.parametrize("text", ["The council held a meeting on Tuesday.", "He picked up his daughter from school.",
                                  "The storm hit the coast on Monday.", "The new tax hit families hard.",
                                  "The campaign targeted young voters.", "Workers struck for higher pay."])
def test_the_same_verbs_in_daily_life_are_no_event(run, text):
    assert run(text) == []


def test_a_protest_is_a_crowd_in_the_street(run):
    assert [t for t, *_ in run("Thousands of protesters rallied in the capital.")] == ["protest"]
    assert [t for t, *_ in run("Residents staged a protest outside the town hall.")] == ["protest"]
    assert run("The foreign ministry lodged a protest with the ambassador.") == []
    assert run("The war began with peaceful protests demanding reform.") == []


def test_the_month_of_march_is_no_street_march(run):
    assert run("The war began as a peaceful protest movement in March 2011.") == []


def test_a_thing_seized_is_no_arrest(run):
    assert "arrest" not in [t for t, *_ in run("Rebels seized it after a week of fighting.")]
    assert run("The army announced its capture on Monday.") == []
    assert [t for t, *_ in run("Police seized him at the border.")] == ["arrest"]


def test_a_note_in_parentheses_on_a_name_is_no_event(run):
    assert run("The army killed 40 Daesh (outlawed in Russia) militants near the city.") == [
        ("killing", "killed", "asserted")]
    assert run("Al-Nusra Front (banned in Russia) attacked the village.") == [("attack", "attacked", "asserted")]
    # a common noun's aside still tells an incident
    assert [t for t, _, _ in run("The fighters (killed in the city on Monday) were buried.")] == ["killing"]
