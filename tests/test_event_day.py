"""The day of an event (extraction/events_day.py, events_background.py): stated in its own
clause, lent by its sentence, its report, the article's incident, or the publication date,
with how it was found; never for background sentences, plans or without a publication date.
Sentences are written for these tests."""
from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.extraction.times import find_times
from newsgraph.pipeline.extract import analyse
from newsgraph.schema.values import DateInterval, SchemaError

FRIDAY = dt.date(2021, 3, 5)


@pytest.fixture(scope="module")
def run(events_of):
    return lambda text, published=FRIDAY: events_of(text, published)


def day(ev) -> tuple | None:
    t = ev.time
    return None if t is None else (t["start_date"], t["end_date"], t["precision"], t["how"])


def test_a_weekday_of_the_own_clause_is_the_last_such_day_before_publication(run):
    [ev] = run("Gunmen killed four villagers on Wednesday night near the dam.")
    assert day(ev) == ("2021-03-03", "2021-03-03", "day", "stated")
    [ev] = run("Militants killed two farmers last Friday.")
    assert day(ev) == ("2021-02-26", "2021-02-26", "day", "stated")


def test_weekdays_resolve_across_a_month_and_a_year_boundary(run):
    [ev] = run("Gunmen killed four villagers on Saturday.", published=dt.date(2021, 3, 2))
    assert day(ev)[:2] == ("2021-02-27", "2021-02-27")
    [ev] = run("Gunmen killed four villagers on Wednesday.", published=dt.date(2021, 1, 1))
    assert day(ev)[:2] == ("2020-12-30", "2020-12-30")


def test_an_explicit_date_wins_over_the_publication_date(run):
    [ev] = run("Gunmen shot dead a judge outside his home on 12 February.")
    assert day(ev) == ("2021-02-12", "2021-02-12", "day", "stated")


def test_an_undated_incident_in_the_opening_is_the_day_of_publication_or_the_day_before(run):
    [ev] = run("At least twelve people were killed in air strikes on the market town. "
               "The monitor said eight of the dead were women.")
    assert ev.type == "attack"
    assert day(ev) == ("2021-03-04", "2021-03-05", "day", "published")


def test_without_a_publication_date_nothing_is_inferred(run):
    [ev] = run("At least twelve people were killed in air strikes on the market town.", published=None)
    assert ev.time is None


def test_the_day_of_the_report_dates_the_event_it_reports(run):
    [ev] = run("Rockets hit the old market, killing three traders, the civil defence said on Tuesday.")
    assert day(ev) == ("2021-03-01", "2021-03-02", "day", "reported")
    assert ev.time["text"] == "Tuesday"


def test_a_time_of_a_when_clause_dates_the_event_of_the_main_clause(run):
    [ev] = run("Six civilians were killed when rockets fired by militants on Thursday hit a school.")
    assert day(ev) == ("2021-03-04", "2021-03-04", "day", "sentence")


def test_a_later_mention_of_the_same_kind_takes_the_day_of_the_article_s_incident(run):
    evs = run("An air strike hit a bakery in the town on Monday, the monitor reported. "
              "Residents said eleven people were killed in the strike.")
    assert [(e.type, day(e)) for e in evs] == [
        ("attack", ("2021-03-01", "2021-03-01", "day", "stated")),
        ("killing", ("2021-03-01", "2021-03-01", "day", "incident"))]


def test_a_background_sentence_neither_takes_nor_lends_a_day(run):
    [ev] = run("So far, four soldiers have been killed in the offensive.")
    assert ev.time is None
    evs = run("So far this month, militants have killed nine soldiers in raids. "
              "A roadside bomb killed two soldiers near the airport.")
    assert [day(e)[3] for e in evs][-1] == "published"       # the roadside bomb, not the month's toll


def test_a_running_toll_of_the_war_is_not_an_event(run):
    assert run("The uprising has killed more than 300,000 people since 2011.") == []
    assert run("Since then more than a quarter of a million people have been killed.") == []
    evs = run("More than 200 people have been killed since the conflict began. "
              "A car bomb killed nine people at a checkpoint on Thursday.")
    assert [(e.type, day(e)[0]) for e in evs] == [("killing", "2021-03-04")]


def test_a_toll_since_a_recent_day_is_one_incident(run):
    [ev] = run("At least 46 fighters were killed since Tuesday in the battle for the base, the monitor said.")
    assert day(ev) == ("2021-03-02", "2021-03-05", "day", "stated")


def test_a_planned_event_gets_no_inferred_day(run):
    [ev] = run("The governor said the police will arrest the organisers.")
    assert ev.factuality == "planned" and ev.time is None


def test_the_event_record_says_how_its_day_was_found():
    out = analyse({"id": "d1", "text": "At least twelve people were killed in air strikes on the market town.",
                   "language": "en", "published": {"value": "2021-03-05", "precision": "day"}})
    [ev] = out["events"]
    assert ev["date"] == {"start": "2021-03-04", "end": "2021-03-05", "precision": "day", "text": None,
                          "how": "published"}
    out = analyse({"id": "d2", "text": "Gunmen killed four villagers on Wednesday near the dam.",
                   "language": "en", "published": {"value": "2021-03-05", "precision": "day"}})
    assert out["events"][0]["date"] == {"start": "2021-03-03", "end": "2021-03-03", "precision": "day",
                                        "text": "Wednesday"}


def test_a_date_with_an_unknown_how_is_refused():
    assert DateInterval.from_json({"start": "2021-03-04", "how": "reported"}).how == "reported"
    with pytest.raises(SchemaError, match="how"):
        DateInterval.from_json({"start": "2021-03-04", "how": "guessed"})


@pytest.mark.parametrize("text, expected", [
    ("Two men were killed yesterday.", ("yesterday", "2021-03-04", "2021-03-04")),
    ("Two men were killed earlier today.", ("earlier today", "2021-03-05", "2021-03-05")),
    ("Police described Monday's raid.", ("Monday's", "2021-03-01", "2021-03-01")),
    ("A shell hit the town last night.", ("last night", "2021-03-04", "2021-03-04")),
    ("A shell hit the town overnight.", ("overnight", "2021-03-04", "2021-03-05")),
    ("The overnight raids hit two villages.", ("overnight", "2021-03-04", "2021-03-05")),
    ("Strikes overnight on Tuesday hit two villages.", ("overnight on Tuesday", "2021-03-02", "2021-03-02")),
])
def test_news_words_for_a_day_resolve_against_the_publication_date(text, expected):
    [t] = find_times(text, FRIDAY)
    assert (t.text, t.start_date, t.end_date) == expected and t.precision == "day"


def test_an_overnight_train_is_no_date():
    assert find_times("They took an overnight train to the coast.", FRIDAY) == []
