"""Counts of events (extraction/events_counts.py): dead, injured and affected people with
low/best/high and their evidence; sentences written for these tests."""
from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.schema.values import Count

PUB = dt.date(2019, 6, 1)


@pytest.fixture(scope="module")
def run(events_of):
    return lambda text: events_of(text, PUB)


def of_type(events, type_):
    return [e for e in events if e.type == type_]


def lbh(c):
    return None if c is None else (c["low"], c["best"], c["high"])


def test_killed_and_wounded_are_separate_counts(run):
    [ev] = run("Air strikes killed 12 people and wounded 30 in the town on Monday.")
    assert ev.type == "attack"
    assert lbh(ev.fatalities) == (12, 12, 12) and ev.fatalities["text"] == "12 people"
    assert lbh(ev.injured) == (30, 30, 30)
    assert ev.count is None           # 30 is the injured, never the people attacked


def test_dead_and_wounded_after_the_figure(run):
    [ev] = run("Heavy clashes left at least 40 dead and 70 wounded on Friday.")
    assert lbh(ev.fatalities) == (40, None, None) and ev.fatalities["text"] == "at least 40"
    assert lbh(ev.injured) == (70, 70, 70)


def test_a_wound_trigger_counts_the_injured(run):
    [ev] = run("A roadside bomb wounded 25 passengers on a bus near the city.")
    assert lbh(ev.injured) == (25, 25, 25) and ev.injured["text"] == "25 passengers"
    assert ev.fatalities is None and ev.count is None


def test_coordinated_counts_add_up_with_sub_counts(run):
    [ev] = run("Soldiers shot dead 10 civilians and 4 fighters at the checkpoint.")
    assert lbh(ev.count) == (14, 14, 14) and lbh(ev.fatalities) == (14, 14, 14)
    assert [(s["best"], s["relation"]) for s in ev.sub_counts] == [(10, "part"), (4, "part")]


def test_counts_coordinated_across_a_modifier_add_up(run):
    [ev] = run("A drone hit a car, killing two men from the militia and three men from the local guard.")
    assert lbh(ev.fatalities) == (5, 5, 5)
    assert ev.fatalities["text"] == "two men from the militia and three men"


def test_along_with_adds_people(run):
    [ev] = run("At least 29 fighters were killed along with six militants near the dam.")
    assert lbh(ev.count) == (35, None, None)


def test_including_is_a_part_not_an_addition(run):
    [ev] = run("Gunmen killed 12 people including 3 children in the village.")
    assert lbh(ev.fatalities) == (12, 12, 12)
    assert [(s["best"], s["relation"]) for s in ev.sub_counts] == [(3, "including")]


def test_among_them_is_a_part(run):
    [ev] = run("Eight villagers were killed on Tuesday among them four women when the shells landed.")
    assert lbh(ev.count or ev.fatalities) == (8, 8, 8)


def test_of_them_is_a_part(run):
    [ev] = run("Police said 34 people were killed, 6 of them women.")
    assert lbh(ev.count) == (34, 34, 34)
    assert [s["best"] for s in ev.sub_counts] == [6]


def test_a_whole_after_its_parts(run):
    [ev] = run("Five nurses and two doctors were among 20 people executed by the militia.")
    assert lbh(ev.count) == (20, 20, 20)


def test_weapons_are_not_people(run):
    [ev] = run("Militants fired two rocket shells at the village without any casualties.")
    assert ev.count is None
    assert lbh(ev.fatalities) == (0, 0, 0) and ev.fatalities["reason"] == "none stated: 'without any casualties'"


def test_barrel_bombs_are_not_people(run):
    [ev] = run("Helicopters dropped 20 barrel bombs on the town in 30 air strikes.")
    assert ev.count is None and ev.fatalities is None


def test_no_one_was_hurt_is_zero_injured(run):
    [ev] = run("A car bomb exploded near the bakery and no one was hurt.")
    assert lbh(ev.injured) == (0, 0, 0) and lbh(ev.fatalities) == (0, 0, 0)


def test_a_death_toll_is_the_fatalities(run):
    [ev] = run("The death toll from the bombing of the bus station reached at least 112 people.")
    assert ev.type == "attack"
    assert lbh(ev.fatalities) == (112, None, None) and ev.fatalities["reason"] == "death toll"


def test_a_war_running_toll_is_not_an_incident(run):
    assert of_type(run("The war has killed more than 300000 people since 2011."), "killing") == []
    assert of_type(run("More than 20000 people have been killed since the uprising began."), "killing") == []
    assert of_type(run("Hundreds of fighters were killed in the conflict so far."), "killing") == []


def test_a_running_toll_dated_by_a_coordinated_clause_is_not_an_incident(run):
    # the "since" clause hangs on the second verb and dates both
    assert of_type(run("At least 5000 people have been killed and thousands displaced since the revolt started in 2012."),
                   "killing") == []
    assert of_type(run("The truce was meant to end four years of war in which more than 100000 people have been killed."),
                   "killing") == []


def test_the_start_of_a_period_is_not_an_event(run):
    assert run("Two million people have fled since the fighting began in March 2015.") == []
    [ev] = run("Since an air strike hit the market on Monday, residents have stayed indoors.")
    assert ev.type == "attack"      # a dated strike in a since clause is still an incident


def test_a_later_toll_widens_the_incident_from_anywhere_in_the_article(run):
    text = ("A suicide bomber struck a wedding in the town of Qamishli on Monday killing 22 people. "
            "The groom survived. Guests fled. Police closed the road. Ambulances came. "
            "The monitoring group gave a slightly lower toll of 21 people killed.")
    [ev] = run(text)
    assert ev.type == "attack" and lbh(ev.fatalities) == (21, 22, 22)
    assert [e["start"] for e in ev.evidence] == [0, text.index("The monitoring")]


def test_martyrs_and_bodies_are_the_dead(run):
    [ev] = run("5 Iraqi martyrs and 12 injured were claimed in a bombing which targeted a bus on Friday.")
    assert lbh(ev.fatalities) == (5, 5, 5) and ev.fatalities["reason"] == "the figure counts martyrs"
    [ev] = run("A car bomb targeted the checkpoint claiming 3 martyrs and 9 injured.")
    assert lbh(ev.fatalities) == (3, 3, 3)
    [ev] = run("Four soldiers were martyred on Tuesday as terrorists shelled the neighborhood.")
    assert lbh(ev.fatalities) == (4, 4, 4)


def test_a_note_in_parentheses_inside_the_counted_phrase(run):
    [ev] = run("The army killed 40 Daesh (outlawed in Russia) militants near the city.")
    assert lbh(ev.count) == (40, 40, 40) and ev.count["text"] == "40 Daesh (outlawed in Russia) militants"


def test_victims_named_one_by_one_and_one_standing_for_a_person(run):
    [ev] = run("A child and a woman were killed and seven others were injured by rocket attacks on the city.")
    assert lbh(ev.fatalities) == (2, 2, 2) and ev.fatalities["reason"] == "2 victims named one by one"
    assert lbh(ev.injured) == (7, 7, 7)
    [ev] = run("One was killed on Friday in the village.")
    assert lbh(ev.count) == (1, 1, 1)
    [ev] = run("One of the soldiers was killed.")
    assert ev.count is None          # a part of a group the sentence does not count


def test_a_part_among_the_dead_is_a_lower_bound(run):
    [ev] = run("Nearly 70 children were among those killed when a car bombing tore through buses.")
    assert ev.type == "attack" and lbh(ev.fatalities) == (70, None, None)
    assert ev.fatalities["reason"] == "'Nearly 70 children' were among the dead: at least that many"


def test_more_than_n_counts_the_stated_figure(run):
    [ev] = run("Air strikes killed more than 30 people in the town.")
    assert lbh(ev.fatalities) == (30, None, None)
    assert ev.fatalities["reason"] == "'more than 30 people': the stated figure, as ACLED codes fatalities"


def test_the_whole_the_victims_were_among(run):
    [ev] = run("They were among 39 people who died in the attack in the neighbourhood.")
    assert lbh(ev.fatalities) == (39, 39, 39) and ev.fatalities["reason"] == "stated as 'who died' after the figure"


def test_a_count_right_after_a_killing_verb(run):
    [killing, _] = run("The militants massacred 250 Syrian troops taken hostage at an airbase.")
    assert killing.type == "killing" and lbh(killing.count) == (250, 250, 250)
    assert killing.count["reason"] == "the count right after the verb"


def test_scare_quotes_around_the_counted_noun(run):
    [ev] = run('Government forces had killed 50 "terrorists" in the area.')
    assert lbh(ev.count) == (50, 50, 50)


def test_a_recent_since_is_still_an_incident(run):
    [ev] = run("Nine soldiers have been killed since dawn in the northern province.")
    assert lbh(ev.count) == (9, 9, 9)


def test_ages_are_not_counts(run):
    [ev] = run("Gunmen killed a boy aged 12 in the market.")
    assert ev.count is None and ev.fatalities is None


def test_anaphoric_killing_takes_the_lede_count_with_reason(run):
    attack, killing = run("Gunmen killed 12 people in the market on Monday. The victims were killed as they shopped.")
    assert attack.type == "attack" and lbh(attack.fatalities) == (12, 12, 12)
    assert killing.type == "killing" and lbh(killing.count) == (12, 12, 12)
    assert killing.count["reason"] == "the incident of 'Gunmen' at 0: anaphoric victims ('The victims')"


def test_a_singular_victim_does_not_take_the_lede_count(run):
    evs = run("Gunmen killed 12 people in the market on Monday. Her husband was killed last year.")
    assert [lbh(e.count) for e in of_type(evs, "killing")] == [None]


def test_figures_of_one_incident_make_a_range(run):
    evs = run("Air strikes killed 20 people in the town on Monday, the monitor said. "
              "The civil defence said 30 people were killed in the strikes.")
    assert [e.type for e in evs] == ["attack"]
    f = evs[0].fatalities
    assert lbh(f) == (20, 20, 30)
    assert [x["text"] for x in f["figures"]] == ["20 people", "30 people"]
    assert f["reason"] == "range of the figures given for one incident; best is the first reported"


def test_another_group_is_not_a_second_figure(run):
    evs = run("Air strikes killed 20 people in the town on Monday. Another seven people were killed in raids on a village.")
    attack, killing = evs
    assert lbh(attack.fatalities) == (20, 20, 20) and lbh(killing.count) == (7, 7, 7)


def test_count_keeps_reason_and_figures_in_json():
    c = Count.from_json({"low": 20, "best": 20, "high": 30, "reason": "range", "figures": [{"text": "30"}]})
    assert c.to_json()["figures"] == [{"text": "30"}]
    assert "reason" not in Count.from_json({"low": 1, "best": 1, "high": 1}).to_json()


def test_one_victim_in_the_singular_is_one(run):
    [ev] = run("A woman was killed and 25 others were wounded in a town south of the city.")
    assert lbh(ev.fatalities) == (1, 1, 1) and ev.fatalities["reason"] == "one victim in the singular"
    assert lbh(ev.injured) == (25, 25, 25)


def test_a_war_named_in_a_relative_clause_is_still_an_incident(run):
    evs = run("A suicide bomber killed four people in a hospital on Sunday in an attack that took the war to the town.")
    attack = of_type(evs, "attack")[0]
    assert lbh(attack.fatalities) == (4, 4, 4)


def test_a_toll_that_has_risen_keeps_its_parts_apart(run):
    [ev] = run("The death toll from a gas attack on the rebel-held town has risen to 86, 30 of them children.")
    assert lbh(ev.fatalities) == (86, 86, 86) and ev.fatalities["reason"] == "death toll"


def test_a_count_before_the_patient_count_is_coordinated(run):
    [ev] = run("Five children and four medical staff were killed by airstrikes on a hospital.")
    assert lbh(ev.fatalities) == (9, 9, 9)
    assert [s["text"] for s in ev.sub_counts] == ["Five children", "four medical staff"]


def test_a_parenthetical_among_them_is_nested(run):
    [ev] = run("At least 11 civilians - among them four women and four children - were killed in air raids on the region.")
    assert lbh(ev.fatalities) == (11, None, None)
    assert [(s["best"], s["relation"]) for s in ev.sub_counts] == [(4, "including"), (4, "including")]


def test_explicit_anaphora_reaches_past_the_sentence_group(run):
    evs = run("A car bomb killed 30 people at the market on Friday. Rescue workers searched the rubble all night. "
              "The monitor said the toll could rise. Officials gave no details. Those killed were mostly traders.")
    lede, later = of_type(evs, "killing")
    assert lbh(lede.count) == (30, 30, 30) and "reason" not in lede.count
    assert lbh(later.count) == (30, 30, 30)
    assert later.count["reason"] == "the incident of 'killed' at 11: anaphoric victims ('Those')"
