"""Movements in legs: chaining, attempts, deportations, via/means, pronouns, group routes;
golden movements of the five seeds.

Golden files (tests/golden/movements_<seed>.json) list, by hand, the movements a careful
reader finds. Tolerance: every golden movement must be found (by the person's canonical name
or text) with exactly the golden legs, in order; in each leg the listed fields (kind, origin,
destination, alternatives, via, date start, means, means_all, cost) are exact and the others
are not checked; at most ``max_extra`` other movements may be output.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from newsgraph.cleaning.text import clean_text
from newsgraph.extraction.entities import extract_entities
from newsgraph.extraction.events import extract_events
from newsgraph.extraction.movements import Movement, extract_movements
from newsgraph.extraction.nlp import load_nlp
from newsgraph.extraction.quantities import find_quantities
from newsgraph.extraction.times import find_times

GOLDEN = Path(__file__).parent / "golden"


def movements_of(text: str, published: dt.date | None = None) -> list[Movement]:
    doc = load_nlp()(text)
    entities = extract_entities(doc)
    times = find_times(text, published)
    events = extract_events(doc, entities, times, find_quantities(text), published)
    return extract_movements(doc, entities, times, events)


def person(movements: list[Movement], name: str) -> Movement:
    found = [m for m in movements if name in (m.person["canonical"], m.person["text"])]
    assert len(found) == 1, [m.person for m in movements]
    return found[0]


def summary(m: Movement) -> list[tuple]:
    return [(leg.kind, leg.origin and leg.origin["text"], leg.destination and leg.destination["text"],
             leg.date and leg.date["start_date"]) for leg in m.legs]


def test_legs_of_one_person_with_pronouns_attempt_and_deportation():
    text = ("Karim Saleh, a French national, flew to Istanbul on May 2, 2016 and travelled on to Hatay on May 5. "
            "He was arrested four days later as he was trying to cross into Syria and deported to France on "
            "June 1, 2016.")
    m = person(movements_of(text), "Karim Saleh")
    assert summary(m) == [
        ("travel", None, "Istanbul", "2016-05-02"),
        ("travel", "Istanbul", "Hatay", "2016-05-05"),
        ("attempt", "Hatay", "Syria", "2016-05-09"),
        ("deportation", None, "France", "2016-06-01"),
    ]
    assert m.legs[0].means == "flight"
    assert m.person == {"text": "Karim Saleh", "canonical": "Karim Saleh", "start": 0, "end": 11, "label": "PERSON"}
    ev = m.legs[2].evidence
    assert text[ev["start"]:ev["end"]] == ev["sentence"] and ev["sentence"].startswith("He was arrested")


def test_via_and_means_of_a_quoted_speaker():
    text = 'Yusuf Demir said: "I reached Turkey by bus, passing through Serbia and Bulgaria."'
    m = person(movements_of(text), "Yusuf Demir")
    assert len(m.legs) == 1
    leg = m.legs[0]
    assert (leg.kind, leg.destination["text"], [v["text"] for v in leg.via], leg.means) == (
        "travel", "Turkey", ["Serbia", "Bulgaria"], "bus")


def test_overland_with_a_vehicle_keeps_both():
    text = 'Ali Kaya recalled: "I came to Greece overland passing through Albania with a truck."'
    leg = person(movements_of(text), "Ali Kaya").legs[0]
    assert leg.destination["text"] == "Greece"
    assert [v["text"] for v in leg.via] == ["Albania"]
    assert (leg.means, leg.means_all) == ("truck", ["overland", "truck"])


def test_duration_of_a_leg():
    leg = person(movements_of("Hana Said walked for three days to reach Kilis."), "Hana Said").legs[0]
    assert (leg.destination["text"], leg.duration, leg.means) == ("Kilis", "for three days", "on foot")


def test_successive_destinations_and_origin_from_a_stay():
    text = ("Nour Hamdan stayed in Mersin for a week before moving to Adana. "
            "Dana Aziz was taken to Ankara from Baku, and then to Kayseri.")
    ms = movements_of(text)
    assert summary(person(ms, "Nour Hamdan")) == [("travel", "Mersin", "Adana", None)]
    assert summary(person(ms, "Dana Aziz")) == [("travel", "Baku", "Ankara", None), ("travel", "Ankara", "Kayseri", None)]


def test_group_route_with_alternatives():
    text = ("The usual route for the Islamic State runs through Deir ez-Zor – Al Hasakah – Tall Tamr. "
            "Then most of the militants reach the border towns of Ras al-Ayn and Amuda.")
    m = person(movements_of(text), "Islamic State")
    assert [(leg.origin["text"], leg.destination["text"]) for leg in m.legs] == [
        ("Deir ez-Zor", "Al Hasakah"), ("Al Hasakah", "Tall Tamr"), ("Tall Tamr", "Ras al-Ayn")]
    assert [a["text"] for a in m.legs[-1].destination["alternatives"]] == ["Amuda"]


def test_group_route_written_with_prepositions():
    text = ("The main corridor runs from Deir ez-Zor north to Al Hasakah and on to Tall Tamr. From there, "
            "fighters travelling with their families make for the border towns of Ras al-Ayn and Amuda.")
    m = person(movements_of(text), "fighters")
    assert [(leg.origin["text"], leg.destination["text"]) for leg in m.legs] == [
        ("Deir ez-Zor", "Al Hasakah"), ("Al Hasakah", "Tall Tamr"), ("Tall Tamr", "Ras al-Ayn")]
    assert [a["text"] for a in m.legs[-1].destination["alternatives"]] == ["Amuda"]


def test_planned_and_negated_trips_are_not_movements():
    text = "Omar Nasser plans to travel to Syria next year. Leyla Kaya did not go to Iraq."
    assert movements_of(text) == []


def test_arrest_alone_is_not_a_movement():
    assert movements_of("Police detained Sami Haddad in Kilis on May 3, 2017.") == []


# ---------------------------------------------------------------------------------------
# golden seeds

def seed_movements(seed_text, prefix: str) -> list[Movement]:
    clean = clean_text(seed_text(prefix))
    published = dt.date.fromisoformat(clean.published.value) if clean.published else None
    return movements_of(clean.text, published)


def _place_text(p):
    return p["text"] if p else None


def _leg_matches(leg, g: dict) -> bool:
    checks = {
        "kind": lambda: leg.kind,
        "origin": lambda: _place_text(leg.origin),
        "destination": lambda: _place_text(leg.destination),
        "alternatives": lambda: [a["text"] for a in (leg.destination or {}).get("alternatives", [])],
        "via": lambda: [v["text"] for v in leg.via],
        "date": lambda: leg.date and leg.date["start_date"],
        "means": lambda: leg.means,
        "means_all": lambda: leg.means_all,
        "cost": lambda: leg.cost and leg.cost["best"],
    }
    return all(get() == g[key] for key, get in checks.items() if key in g)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_golden_seed_movements(seed_text, prefix):
    golden = json.loads((GOLDEN / f"movements_{prefix}.json").read_text(encoding="utf-8"))
    movements = seed_movements(seed_text, prefix)
    free = list(movements)
    for g in golden["movements"]:
        cands = [m for m in free if g["person"] in (m.person["canonical"], m.person["text"])]
        assert cands, f"no movement of {g['person']}: {[m.person['text'] for m in movements]}"
        m = cands[0]
        assert len(m.legs) == len(g["legs"]), (g["person"], [leg.kind for leg in m.legs])
        for leg, gl in zip(m.legs, g["legs"]):
            assert _leg_matches(leg, gl), (g["person"], gl, leg)
        free.remove(m)
    assert len(free) <= golden["max_extra"], [m.person["text"] for m in free]
