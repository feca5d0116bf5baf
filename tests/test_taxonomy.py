"""ACLED taxonomy of events (data/ontology.toml [acled], extraction/events_taxonomy.py) and the
ACLED columns of the CSV export. Sentences are written for these tests."""
from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.export.acled_csv import acled_types
from newsgraph.extraction.events_lexicon import event_types, load_ontology_data
from newsgraph.extraction.events_taxonomy import taxonomy
from newsgraph.pipeline.extract import analyse

PUB = dt.date(2021, 3, 5)

# the ACLED codebook: 6 event types and their 25 sub-event types
CODEBOOK = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"],
}
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Political violence; Demonstrations", "Strategic developments": "Strategic developments"}


@pytest.fixture(scope="module")
def run(events_of):
    return lambda text: events_of(text, PUB)


def test_the_ontology_holds_the_codebook_with_definitions():
    tx = taxonomy()
    assert {name: d["disorder_type"] for name, d in tx.event_types.items()} == DISORDER
    assert {sub: d["event_type"] for sub, d in tx.sub_event_types.items()} == {
        sub: etype for etype, subs in CODEBOOK.items() for sub in subs}
    assert len(tx.sub_event_types) == 25
    assert all(len(d["definition"]) > 30 for d in [*tx.event_types.values(), *tx.sub_event_types.values()])
    own = {"border_crossing", "deportation", "smuggling", "financing", "travel", "entry_ban", "evacuation"}
    assert tx.own_types == own
    # every type the rules name exists, every newsgraph type is either ACLED-coded or its own
    ruled = {t for r in tx.rules for t in r.types}
    assert ruled | own == set(event_types())
    raw = load_ontology_data()["types"]
    assert all(raw[t]["description"] and "plover" in raw[t] and "cameo" in raw[t] for t in event_types())


@pytest.mark.parametrize("text, etype, sub", [
    ("Government warplanes bombed a market in the town, killing twelve civilians.",
     "Explosions/Remote violence", "Air/drone strike"),
    ("A car bomb exploded near a checkpoint, killing four soldiers.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("A suicide bomber blew himself up at a wedding, killing 30 people.", "Explosions/Remote violence", "Suicide bomb"),
    ("Rebels fired mortar shells at the old city, wounding five residents.",
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("A chlorine gas attack on the village killed nine people.", "Explosions/Remote violence", "Chemical weapon"),
    ("A man hurled a grenade at a police patrol.", "Explosions/Remote violence", "Grenade"),
    ("Gunmen shot dead a teacher outside his school.", "Violence against civilians", "Attack"),
    ("Militants kidnapped two aid workers near the border.", "Violence against civilians",
     "Abduction/forced disappearance"),
    ("Clashes between rebels and government troops killed 14 fighters.", "Battles", "Armed clash"),
    ("Militants attacked an army post near the town.", "Battles", "Armed clash"),
    ("Rebels captured the town after heavy fighting.", "Battles", "Non-state actor overtakes territory"),
    ("Regime forces recaptured the village from rebels.", "Battles", "Government regains territory"),
    ("Police arrested three journalists in the capital.", "Strategic developments", "Arrests"),
    ("The two sides signed a ceasefire in the capital.", "Strategic developments", "Agreement"),
    ("Thousands of protesters rallied in the capital.", "Protests", "Peaceful protest"),
    ("Police fired tear gas to disperse protesters in the square.", "Protests", "Protest with intervention"),
    ("Security forces opened fire on protesters, killing three.", "Protests", "Excessive force against protesters"),
    ("Rioters torched cars and looted shops in the city centre.", "Riots", "Violent demonstration"),
])
def test_the_sub_event_type_follows_the_weapon_target_and_actor(run, text, etype, sub):
    first = next(e for e in run(text) if e.acled["acled_event_type"])
    assert (first.acled["acled_event_type"], first.acled["acled_sub_event_type"]) == (etype, sub), first.acled
    assert first.acled["disorder_type"] == DISORDER[etype]
    assert first.acled["acled_reason"]


def test_a_type_default_says_so(run):
    [ev] = run("Two men were killed in the village.")
    assert ev.acled["acled_sub_event_type"] == "Attack"
    assert "violence against civilians" in ev.acled["acled_reason"]


def test_own_types_carry_no_acled_type_and_say_why(run):
    [ev] = run("Dozens of people crossed the border into Turkey.")
    assert ev.type == "border_crossing"
    assert ev.acled == {"acled_event_type": None, "acled_sub_event_type": None, "disorder_type": None,
                        "acled_reason": "a newsgraph type the ACLED codebook does not code"}


def test_the_event_record_carries_the_mappings():
    out = analyse({"id": "d1", "text": "A car bomb exploded near a checkpoint, killing four soldiers.",
                   "language": "en", "published": {"value": "2021-03-05", "precision": "day"}})
    [ev] = out["events"]
    m = ev["mappings"]
    assert (m["acled_event_type"], m["acled_sub_event_type"], m["disorder_type"]) == (
        "Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence")
    assert "ASSAULT" in m["plover"] and m["cameo"]
    assert acled_types(m) == ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED")


def test_every_value_the_export_can_write_is_a_codebook_name():
    tx = taxonomy()
    for rule in tx.rules:
        etype = tx.sub_event_types[rule.sub_event_type]["event_type"]
        mappings = {"acled_event_type": etype, "acled_sub_event_type": rule.sub_event_type,
                    "disorder_type": tx.event_types[etype]["disorder_type"]}
        disorder, event_type, sub = acled_types(mappings)
        assert sub in CODEBOOK[event_type] and disorder == DISORDER[event_type]
    assert acled_types({"acled_event_type": None}) == ("", "", "")


def test_the_taxonomy_doc_lists_every_type_and_sub_event_type():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "taxonomy.md").read_text("utf-8")
    tx = taxonomy()
    assert all(f"`{t}`" in doc for t in event_types())
    assert all(f"| {sub} | {d['definition']} |" in doc for sub, d in tx.sub_event_types.items())
