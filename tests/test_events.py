"""Event extraction: ontology, triggers, roles, time/place/count, factuality, one record per
event; golden events of the five seeds; the PLOVER gold-standard floor.

Golden files (tests/golden/events_<seed>.json) list, by hand, the events a careful reader
finds in a seed. Tolerance: every golden event must be found, each by a distinct output
event of the same type and trigger whose listed fields (time start/end or text, place text,
count low/best/high, fatalities, sub-counts, money, factuality, number of evidence
sentences, agent/patient) are exactly as written; fields a golden event does not list are not
checked; the output may hold at most ``max_extra`` events beyond the golden ones (the file
says which generic mentions those are).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from newsgraph.cleaning.text import clean_text
from newsgraph.extraction.entities import extract_entities
from newsgraph.extraction.events import Event, extract_events
from newsgraph.extraction.events_lexicon import event_types, ontology
from newsgraph.extraction.nlp import load_nlp
from newsgraph.extraction.quantities import find_quantities
from newsgraph.extraction.times import find_times

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run():
    nlp = load_nlp()
    cache: dict = {}

    def events(text: str, published: dt.date | None = dt.date(2019, 6, 1)) -> list[Event]:
        key = (text, published)
        if key not in cache:
            doc = nlp(text)
            cache[key] = extract_events(doc, extract_entities(doc), find_times(text, published),
                                        find_quantities(text), published)
        return cache[key]

    return events


def only(events: list[Event], type_: str) -> Event:
    found = [e for e in events if e.type == type_]
    assert len(found) == 1, [(e.type, e.trigger) for e in events]
    return found[0]


def texts(ev: Event, role: str) -> list[str]:
    return [p["text"] for p in ev.role(role)]


# ---------------------------------------------------------------------------------------
# ontology

def test_ontology_has_the_design_types_with_mappings():
    assert event_types() == ["arrest", "deportation", "border_crossing", "travel", "attack", "killing",
                             "evacuation", "entry_ban", "smuggling", "financing", "abduction", "protest",
                             "agreement", "territory"]
    onto = ontology()
    assert onto.types["arrest"].plover == ("COERCE/arrest", "COERCE/detain")
    assert onto.types["arrest"].cameo == ("173",)
    assert onto.types["deportation"].cameo == ("174",)
    assert onto.types["evacuation"].plover == ("RETREAT",)
    assert onto.types["entry_ban"].plover[0] == "SANCTION"
    assert "ASSAULT" in onto.types["attack"].plover
    assert set(onto.types["travel"].roles) == {"agent", "patient", "origin", "destination", "via", "facilitator", "means"}
    heads = {s.head_word for specs in onto.triggers.values() for s in specs}
    assert {"detain", "deport", "cross", "fly", "bomb", "kill", "evacuate", "ban", "pay", "income"} <= heads


# ---------------------------------------------------------------------------------------
# one arrest, its slots, its sub-count

ARREST = ("On March 3, 2016, gendarmes in the province of Adana detained 14 people suspected of links to the "
          "group. According to prosecutors, three of the detainees had fought in Iraq.")


def test_arrest_with_agent_patient_time_place_count_and_sub_count(run):
    ev = only(run(ARREST, dt.date(2016, 3, 5)), "arrest")
    assert ev.trigger == "detained"
    assert texts(ev, "agent") == ["gendarmes"]
    assert texts(ev, "patient") == ["14 people"]
    assert ev.time["start_date"] == ev.time["end_date"] == "2016-03-03"
    assert ev.time["precision"] == "day"
    assert ev.place == {"text": "Adana", "start": ARREST.index("Adana"), "end": ARREST.index("Adana") + 5,
                        "relation": "in"}
    assert (ev.count["low"], ev.count["best"], ev.count["high"]) == (14, 14, 14)
    assert [(s["best"], s["of"], s["text"]) for s in ev.sub_counts] == [(3, "detainees", "three of the detainees")]
    assert ev.factuality == "asserted"
    assert ev.evidence == [{"start": 0, "end": ARREST.index(" According"), "sentence": ARREST[:ARREST.index(" According")]}]


def test_anaphoric_mention_in_next_sentence_joins_the_event(run):
    text = ("Two suspects were arrested in Mersin in May 2018. The suspects were detained during a raid on a "
            "flat near the harbour.")
    events = run(text)
    ev = only(events, "arrest")
    assert ev.trigger == "arrested"
    assert ev.count["best"] == 2
    assert ev.time["value"] == "2018-05"
    assert ev.place["text"] == "Mersin"
    assert [e["start"] for e in ev.evidence] == [0, text.index("The suspects")]


def test_place_and_date_of_the_operation_count_for_the_arrest(run):
    text = ("Police detained 19 people suspected of recruiting for the group in a wave of raids in the eastern "
            "city of Van on April 9, 2018, the governor said.")
    ev = only(run(text), "arrest")
    assert (ev.place["text"], ev.time["start_date"], ev.count["best"]) == ("Van", "2018-04-09", 19)
    assert ev.factuality == "reported"


def test_same_count_in_a_later_quote_is_the_same_arrest(run):
    text = ('Police detained 41 suspects in Mersin on Monday, an official said. "By our count 41 suspects were '
            'detained in Mersin," he added.')
    ev = only(run(text, dt.date(2018, 5, 9)), "arrest")
    assert ev.count["best"] == 41 and len(ev.evidence) == 2


def test_evacuation_takes_in_the_departure_it_describes(run):
    text = ("A deal let the fighters leave Manbij in June. About 300 fighters and 900 relatives left the town "
            "in buses, and the evacuation was overseen by the Syrian Democratic Forces.")
    ev = only(run(text), "evacuation")
    assert ev.place["text"] == "Manbij"
    assert ev.time["value"] == "2019-06"
    assert ev.count["best"] == 1200 and [s["best"] for s in ev.sub_counts] == [300, 900]
    assert "Syrian Democratic Forces" in [p["canonical"] for p in ev.role("agent")]
    assert not [e for e in run(text) if e.type == "travel"]


def test_two_unrelated_arrests_stay_apart(run):
    text = "Police detained 12 men in Bursa on May 4, 2018. In Izmir, soldiers arrested 30 people on May 9, 2018."
    arrests = [e for e in run(text) if e.type == "arrest"]
    assert [(e.count["best"], e.place["text"], e.time["start_date"]) for e in arrests] == [
        (12, "Bursa", "2018-05-04"), (30, "Izmir", "2018-05-09")]


# ---------------------------------------------------------------------------------------
# attack with fatalities, deportation, evacuation, entry ban, financing, smuggling

def test_kill_next_to_an_attack_becomes_its_fatalities(run):
    text = "A car bomb exploded in Kirkuk on June 2, 2019, killing 11 people."
    events = run(text)
    assert [e.type for e in events] == ["attack"]
    ev = events[0]
    assert ev.trigger == "exploded"
    assert ev.place["text"] == "Kirkuk"
    assert ev.time["start_date"] == "2019-06-02"
    assert ev.fatalities["best"] == 11 and ev.fatalities["text"] == "11 people"


def test_killing_alone_is_a_killing(run):
    ev = only(run("Border guards shot dead three smugglers near Kilis on April 1, 2018."), "killing")
    assert ev.trigger == "shot dead"
    assert texts(ev, "patient") == ["three smugglers"]
    assert ev.fatalities["best"] == 3
    assert ev.place["text"] == "Kilis" and ev.place["relation"] == "near"


def test_deportation_with_destination(run):
    ev = only(run("Turkey deported 20 foreign fighters to Germany in 2019."), "deportation")
    assert texts(ev, "agent") == ["Turkey"]
    assert texts(ev, "destination") == ["Germany"]
    assert ev.count["best"] == 20
    assert ev.time["value"] == "2019" and ev.time["precision"] == "year"


def test_evacuation_counts_are_summed_with_their_parts(run):
    text = "Under the deal, the rebels were granted a safe passage from Douma to Idlib for 400 fighters and 1,200 civilians."
    ev = only(run(text), "evacuation")
    assert ev.trigger == "safe passage"
    assert texts(ev, "origin") == ["Douma"]
    assert texts(ev, "destination") == ["Idlib"]
    assert ev.count["best"] == 1600
    assert [s["best"] for s in ev.sub_counts] == [400, 1200]


def test_entry_ban_and_warrant_on_the_same_day_are_two_events(run):
    text = ("Rami Aziz entered Greece in 2015. An entry ban for Rami Aziz was imposed on March 2, 2016, after "
            "Austria issued an arrest warrant for him on the same day.")
    bans = [e for e in run(text) if e.type == "entry_ban"]
    assert [(e.trigger, e.time["start_date"]) for e in bans] == [("entry ban", "2016-03-02"), ("arrest warrant", "2016-03-02")]
    assert texts(bans[1], "agent") == ["Austria"]
    assert [p["canonical"] for p in bans[1].role("patient")] == ["Rami Aziz"]


def test_financing_and_smuggling_carry_money(run):
    text = ("The group's monthly revenue fell from $30 million to $4 million, analysts said. "
            "The four men paid smugglers $1,500 each to reach Kilis.")
    fin = only(run(text), "financing")
    assert [m["best"] for m in fin.money] == [30_000_000, 4_000_000]
    assert fin.factuality == "reported"
    smug = only(run(text), "smuggling")
    assert smug.trigger == "paid"
    assert [(m["best"], m["per"]) for m in smug.money] == [(1500, "person")]
    assert texts(smug, "patient") == ["smugglers"]


# ---------------------------------------------------------------------------------------
# factuality

@pytest.mark.parametrize("text, type_, expected", [
    ("Officials said that soldiers arrested five men in Hatay.", "arrest", "reported"),
    ("According to the ministry, police detained nine people in Kilis.", "arrest", "reported"),
    ("The fighters allegedly crossed the border into Turkey.", "border_crossing", "hedged"),
    ("It is not excluded that the men crossed into Turkey.", "border_crossing", "hedged"),
    ("They tried to cross the border into Turkey.", "border_crossing", "attempted"),
    ("Police did not detain anyone in Gaziantep.", "arrest", "negated"),
    ("The cell was preparing a bomb attack in Ankara.", "attack", "planned"),
    ("The men plan to cross into Turkey next month.", "border_crossing", "planned"),
    ("Hundreds of fighters crossed into Turkey years ago.", "border_crossing", "historical"),
    ("Police arrested two men in Adana on May 1, 2019.", "arrest", "asserted"),
])
def test_factuality(run, text, type_, expected):
    assert only(run(text), type_).factuality == expected


def test_event_long_before_publication_is_historical(run):
    ev = only(run("Police arrested two men in Adana in March 2009.", dt.date(2019, 6, 1)), "arrest")
    assert ev.factuality == "historical"


def test_quoted_event_is_reported(run):
    ev = only(run('He told reporters: "We crossed into Turkey at night."'), "border_crossing")
    assert ev.factuality == "reported"


# ---------------------------------------------------------------------------------------
# movement-type events: roles and pronouns

def test_travel_roles_and_pronoun(run):
    text = ("Sami Harb flew to Antalya on May 2, 2016. He later travelled to Hatay through Adana by bus with the "
            "help of smugglers.")
    travels = [e for e in run(text) if e.type == "travel"]
    assert [(e.trigger, e.place["text"]) for e in travels] == [("flew", "Antalya"), ("travelled", "Hatay")]
    assert [p["canonical"] for p in travels[1].role("agent")] == ["Sami Harb"]
    assert texts(travels[1], "via") == ["Adana"]
    assert [p["canonical"] for p in travels[1].role("means")] == ["bus"]
    assert texts(travels[1], "facilitator") == ["smugglers"]
    assert [p["canonical"] for p in travels[0].role("means")] == ["flight"]


def test_words_that_are_not_movements(run):
    text = "The talks moved forward. Prices went up again. He left no doubt about his plans."
    assert run(text) == []


# ---------------------------------------------------------------------------------------
# golden seeds

def seed_events(seed_text, prefix: str) -> list[Event]:
    clean = clean_text(seed_text(prefix))
    published = dt.date.fromisoformat(clean.published.value) if clean.published else None
    doc = load_nlp()(clean.text)
    return extract_events(doc, extract_entities(doc), find_times(clean.text, published),
                          find_quantities(clean.text), published)


def _matches(ev: Event, g: dict) -> bool:
    if ev.type != g["type"] or ev.trigger.lower() != g["trigger"].lower():
        return False
    checks = {
        "time": lambda: (ev.time or {}).get("start_date"),
        "time_end": lambda: (ev.time or {}).get("end_date"),
        "time_text": lambda: (ev.time or {}).get("text"),
        "place": lambda: ev.place and ev.place["text"],
        "fatalities": lambda: ev.fatalities and ev.fatalities["best"],
        "sub_counts": lambda: [s["best"] for s in ev.sub_counts],
        "money": lambda: [m["best"] for m in ev.money],
        "factuality": lambda: ev.factuality,
        "evidence": lambda: len(ev.evidence),
    }
    for key, get in checks.items():
        if key in g and get() != g[key]:
            return False
    if "count" in g:
        if g["count"] is None:
            if ev.count is not None:
                return False
        elif ev.count is None or any(ev.count.get(k) != v for k, v in g["count"].items()):
            return False
    for role in ("agent", "patient"):
        if role in g and not any(g[role] in (p["text"], p.get("canonical")) for p in ev.role(role)):
            return False
    return True


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_golden_seed_events(seed_text, prefix):
    golden = json.loads((GOLDEN / f"events_{prefix}.json").read_text(encoding="utf-8"))
    events = seed_events(seed_text, prefix)
    free = list(events)
    missing = []
    for g in golden["events"]:
        hit = next((e for e in free if _matches(e, g)), None)
        if hit is None:
            missing.append(g)
        else:
            free.remove(hit)
    assert not missing, f"golden events not found: {missing}"
    assert len(free) <= golden["max_extra"], [(e.type, e.trigger) for e in free]


# ---------------------------------------------------------------------------------------
# PLOVER gold standard floor (eval/plover.py); measured: coverage 0.168 (protests, abductions and
# territory taken now covered), accuracy 0.870, detection P 0.527 R 0.907 F1 0.667 (see the eval
# for the mapping and the definitions)

def test_plover_floor(shared_dir):
    sys.path.insert(0, str(ROOT / "eval"))
    try:
        import plover
    finally:
        sys.path.remove(str(ROOT / "eval"))
    res = plover.evaluate(shared_dir)
    assert res["records"] == 322
    assert res["covered"] >= 54
    assert res["accuracy"] >= 0.857
    assert res["detection"]["recall"] >= 0.85
    assert res["detection"]["f1"] >= 0.64
