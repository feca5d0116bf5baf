"""Time-expression extraction and normalisation (newsgraph.extraction.times)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import pickle
import sys
from pathlib import Path

import pytest

from newsgraph.extraction.times import TimeExpr, find_times, normalize

PUB = dt.date(2017, 9, 28)  # a Thursday


def one(text: str, published: dt.date | None = PUB, surface: str | None = None) -> TimeExpr:
    """The expression whose text is `surface` (or the only one) found in `text`."""
    found = find_times(text, published)
    if surface is None:
        assert len(found) == 1, found
        return found[0]
    hits = [e for e in found if e.text == surface]
    assert len(hits) == 1, found
    return hits[0]


def interval(e: TimeExpr) -> tuple:
    return e.start_date, e.end_date, e.precision


# --- month-day without year -------------------------------------------------------------

def test_month_day_takes_most_recent_date_not_after_publication():
    text = "On September 25, border guards stopped a minibus near the crossing."
    e = one(text)
    assert (e.text, e.start, e.end) == ("September 25", 3, 15)
    assert interval(e) == ("2017-09-25", "2017-09-25", "day")
    assert (e.kind, e.value, e.anchor, e.modifier) == ("date", "2017-09-25", "publication", None)


def test_month_day_later_in_the_year_than_publication_is_last_year():
    e = one("The convoy left on December 2 and never arrived.")
    assert interval(e) == ("2016-12-02", "2016-12-02", "day")


def test_month_day_just_ahead_of_publication_is_read_forward():
    assert one("The deadline was extended to October 9.").value == "2017-10-09"
    assert one("Parliament reconvenes October 30.").value == "2017-10-30"


def test_month_day_takes_year_of_dated_expression_in_same_sentence():
    text = "She reached Adana on May 3, 2015 and crossed at Kilis on May 7."
    e = one(text, dt.date(2019, 2, 1), "May 7")
    assert (interval(e), e.anchor) == (("2015-05-07", "2015-05-07", "day"), "previous")


def test_month_day_with_future_cue_reads_forward():
    e = one("The court will hear the case on October 12.")
    assert e.value == "2017-10-12"


# --- modifiers --------------------------------------------------------------------------

@pytest.mark.parametrize("mod, first, last", [
    ("early", "2017-08-01", "2017-08-10"), ("mid", "2017-08-11", "2017-08-20"),
    ("late", "2017-08-21", "2017-08-31"),
])
def test_early_mid_late_month(mod, first, last):
    e = one(f"Five men were detained in {mod} August in a raid.")
    assert e.text == f"{mod} August"
    assert (e.start_date, e.end_date, e.precision, e.value, e.modifier) == (first, last, "month", "2017-08", mod)


def test_mid_with_hyphen():
    e = one("Talks stalled in mid-July.")
    assert (e.text, e.start_date, e.end_date, e.modifier) == ("mid-July", "2017-07-11", "2017-07-20", "mid")


def test_end_of_year_is_last_third_with_year_precision():
    e = one("The courier moved to Gaziantep at the end of 2013 with two cousins.")
    assert e.text == "the end of 2013"
    assert (interval(e), e.value, e.modifier, e.anchor) == (
        ("2013-09-01", "2013-12-31", "year"), "2013", "end", "absolute")


def test_late_year():
    e = one("He settled in Antakya in late 2015.")
    assert (e.text, interval(e), e.value, e.modifier) == (
        "late 2015", ("2015-09-01", "2015-12-31", "year"), "2015", "late")


def test_early_year_and_decade():
    assert interval(one("Checkpoints multiplied in early 2014.")) == ("2014-01-01", "2014-04-30", "year")
    e = one("Smuggling routes date from the 1990s.")
    assert (e.text, interval(e), e.value) == ("the 1990s", ("1990-01-01", "1999-12-31", "decade"), "199")


# --- anchoring on the previous expression -----------------------------------------------

def test_days_later_anchors_on_previous_expression():
    text = ("The recruit landed in Hatay on June 11, 2015 and reached the border on June 14. "
            "He was arrested three days later near a farm.")
    found = find_times(text, dt.date(2019, 10, 10))
    assert [e.text for e in found] == ["June 11, 2015", "June 14", "three days later"]
    later = found[2]
    assert (interval(later), later.value, later.anchor) == (("2015-06-17", "2015-06-17", "day"), "2015-06-17", "previous")


def test_days_later_without_previous_stays_unresolved():
    e = one("He was arrested three days later near a farm.")
    assert (e.start_date, e.anchor, e.text) == (None, "unresolved", "three days later")


def test_anchoring_does_not_cross_paragraphs():
    e = one("Police raided a flat on March 3, 2016.\nTwo days later the suspects were freed.",
            surface="Two days later")
    assert e.anchor == "unresolved"


def test_the_next_day_and_same_day():
    text = "The ban was issued on December 12, 2015; he left the next day and his brother the same day."
    found = {e.text: e for e in find_times(text, PUB)}
    assert found["the next day"].start_date == "2015-12-13"
    assert found["the same day"].start_date == "2015-12-13"  # anchored on "the next day", the previous one


def test_weekday_after_an_old_date_in_the_same_sentence():
    e = one("She flew to Istanbul on January 2, 2015 and crossed on Tuesday.", surface="Tuesday")
    assert (e.start_date, e.anchor) == ("2015-01-06", "previous")


def test_offset_after_a_date_anchors_on_that_date():
    e = one("The cell was dismantled two days after March 3, 2016.")
    assert (e.text, e.start_date, e.anchor) == ("two days after March 3, 2016", "2016-03-05", "absolute")


# --- publication-relative expressions ---------------------------------------------------

@pytest.mark.parametrize("sentence, surface", [
    ("Twelve fighters were caught in the last two weeks.", "the last two weeks"),
    ("Twelve fighters were caught in last two weeks.", "last two weeks"),
])
def test_last_two_weeks(sentence, surface):
    e = one(sentence)
    assert (e.text, interval(e), e.value, e.anchor) == (
        surface, ("2017-09-14", "2017-09-28", "week"), "P2W", "publication")


def test_over_the_weekend_is_weekend_before_publication():
    e = one("Several smugglers were detained over the weekend.")
    assert (e.text, interval(e), e.value) == ("the weekend", ("2017-09-23", "2017-09-24", "day"), "2017-W38-WE")


def test_last_week_is_previous_iso_week():
    e = one("A second group crossed last week.")
    assert (interval(e), e.value) == (("2017-09-18", "2017-09-24", "week"), "2017-W38")


def test_recent_weeks_is_vague_past_interval():
    e = one("Patrols have grown in recent weeks.")
    assert (e.text, interval(e), e.value, e.modifier) == (
        "recent weeks", ("2017-08-31", "2017-09-28", "week"), "PAST_REF", "approx")


def test_this_year_last_year():
    found = find_times("Arrests rose this year after falling last year.", PUB)
    assert [(e.text, e.value, e.start_date, e.end_date) for e in found] == [
        ("this year", "2017", "2017-01-01", "2017-12-31"),
        ("last year", "2016", "2016-01-01", "2016-12-31"),
    ]


def test_years_ago_is_open_past_interval():
    e = one("He joined the group years ago.")
    assert (e.text, e.start_date, e.end_date, e.value, e.anchor) == (
        "years ago", None, "2015-09-28", "PAST_REF", "publication")


def test_weeks_ago_and_yesterday():
    found = find_times("Yesterday a bus was stopped; three weeks ago another one.", PUB)
    assert [(e.text, e.value) for e in found] == [("Yesterday", "2017-09-27"), ("three weeks ago", "2017-W36")]


def test_weekday_is_most_recent_not_after_publication():
    assert one("Officials said on Monday that the road was closed.").value == "2017-09-25"
    assert one("The governor will visit the camp on Monday.").value == "2017-10-02"


# --- absolute expressions ---------------------------------------------------------------

@pytest.mark.parametrize("sentence, surface, value, first, last, precision", [
    ("Recruitment collapsed in 2015.", "2015", "2015", "2015-01-01", "2015-12-31", "year"),
    ("Two couriers were seized in March 2017.", "March 2017", "2017-03", "2017-03-01", "2017-03-31", "month"),
    ("French police were warned in December 2014.", "December 2014", "2014-12", "2014-12-01", "2014-12-31", "month"),
    ("She flew to Istanbul on January 2, 2015.", "January 2, 2015", "2015-01-02", "2015-01-02", "2015-01-02", "day"),
    ("The blast happened on April 3, 2017.", "April 3, 2017", "2017-04-03", "2017-04-03", "2017-04-03", "day"),
    ("The raid came on November 13, 2015.", "November 13, 2015", "2015-11-13", "2015-11-13", "2015-11-13", "day"),
    ("The raid came on 13 November 2015.", "13 November 2015", "2015-11-13", "2015-11-13", "2015-11-13", "day"),
    ("The report is dated 2016-07-04.", "2016-07-04", "2016-07-04", "2016-07-04", "2016-07-04", "day"),
    ("Crossings peaked in the summer of 2015.", "the summer of 2015", "2015-SU", "2015-06-01", "2015-08-31", "season"),
    ("Revenue fell in the third quarter of 2016.", "the third quarter of 2016", "2016-Q3", "2016-07-01", "2016-09-30",
     "quarter"),
])
def test_absolute_dates(sentence, surface, value, first, last, precision):
    e = one(sentence, surface=surface)
    assert (e.value, interval(e), e.anchor) == (value, (first, last, precision), "absolute")


def test_since_year_runs_to_publication():
    e = one("Incomes have fallen since 2015.")
    assert (e.text, e.value, interval(e), e.modifier) == (
        "since 2015", "2015", ("2015-01-01", "2017-09-28", "year"), "since")


def test_month_year_slash_range():
    e = one("It was the main supply route from 6/14-6/15 for weapons.", dt.date(2019, 10, 10))
    assert (e.text, interval(e), e.value, e.anchor) == (
        "6/14-6/15", ("2014-06-01", "2015-06-30", "month"), "2014-06/2015-06", "absolute")


def test_year_range_and_day_range():
    e = one("The network operated between 2013 and 2016.")
    assert (e.text, interval(e), e.value) == ("between 2013 and 2016", ("2013-01-01", "2016-12-31", "year"), "2013/2016")
    e = one("The border was shut on March 3-5, 2016.")
    assert interval(e) == ("2016-03-03", "2016-03-05", "day")


# --- undated articles -------------------------------------------------------------------

def test_undated_article_keeps_relative_expressions_unresolved():
    text = ("On September 25 a patrol stopped 14 men. Last week and three days ago others were held; "
            "more were held in early August, but the network dates from 2016.")
    found = find_times(text, None)
    assert [e.text for e in found] == ["September 25", "Last week", "three days ago", "early August", "2016"]
    for e in found[:4]:
        assert (e.start_date, e.end_date, e.anchor) == (None, None, "unresolved"), e
    assert found[0].value == "XXXX-09-25"
    assert (found[4].value, found[4].anchor, found[4].start_date) == ("2016", "absolute", "2016-01-01")


def test_undated_article_still_anchors_on_absolute_context():
    text = "He entered on November 4, 2014 and left 10 days later."
    later = one(text, None, "10 days later")
    assert (later.start_date, later.anchor) == ("2014-11-14", "previous")


def test_publication_known_only_to_the_month_leaves_day_expressions_unresolved():
    found = find_times("Yesterday and last month.", dt.date(2017, 9, 1), "month")
    assert [(e.text, e.value) for e in found] == [("Yesterday", None), ("last month", "2017-08")]


# --- kinds other than date --------------------------------------------------------------

def test_duration_set_and_time():
    found = find_times("They walked for two weeks, paid every month and left at 9 p.m. Tuesday.", PUB)
    assert [(e.text, e.kind, e.value) for e in found] == [
        ("two weeks", "duration", "P2W"), ("every month", "set", "P1M"),
        ("9 p.m. Tuesday", "time", "2017-09-26T21:00"),
    ]
    assert found[0].start_date is None


# --- things that are not dates ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The deal let 3500 family members and 250 fighters leave.",
    "Smugglers charged $2,000 per person.",
    "The B-21 and F-16 programmes were discussed.",
    "About 2000 fighters and 1500 civilians left.",
    "Foreign ministers Jan Kavan and Janos Martonyi met.",
    "They may march on the capital.",
    "The fall of Raqqa changed the route.",
    "He was 30 years old.",
])
def test_not_dates(text):
    assert [e.text for e in find_times(text, PUB) if e.kind == "date"] == []


def test_christmas_market_is_not_a_date_but_christmas_is():
    assert find_times("He drove into the Christmas market.", PUB) == []
    assert one("He was released on Christmas Day, 2016.").value == "2016-12-25"


# --- normalize (given spans) ------------------------------------------------------------

def test_normalize_span_with_previous_quarter():
    quarter = normalize("the third quarter", dt.date(1999, 11, 2))
    assert (quarter.value, quarter.anchor) == ("1999-Q3", "publication")
    before = normalize("a year earlier", dt.date(1999, 11, 2), quarter)
    assert (before.value, before.start_date, before.anchor) == ("1998-Q3", "1998-07-01", "previous")


def test_normalize_vague_and_nothing():
    assert normalize("the past", dt.date(2001, 5, 5)).value == "PAST_REF"
    assert normalize("now", dt.date(2001, 5, 5)).start_date == "2001-05-05"
    assert normalize("the minibus", dt.date(2001, 5, 5)) is None


def test_normalize_uses_tense_context():
    pub = dt.date(2001, 5, 2)  # Wednesday
    assert normalize("Friday", pub, context="Officials said on ").value == "2001-04-27"
    assert normalize("Friday", pub, context="The envoy will arrive on ").value == "2001-05-04"


def test_time_expr_is_picklable():
    found = find_times("On September 25 and in late 2015.", PUB)
    assert pickle.loads(pickle.dumps(found)) == found


# --- seeds (read from ../shared, never copied) ------------------------------------------

def test_seed_000_first_dates(seed_text):
    text = seed_text("000")
    found = [e for e in find_times(text, dt.date(2017, 9, 28)) if e.kind == "date"]
    assert found[0].value == "2017-09-28"  # the dateline
    assert (found[1].value, found[1].precision) == ("2017-09-25", "day")
    assert (found[2].start_date, found[2].end_date, found[2].modifier) == ("2017-08-01", "2017-08-10", "early")
    assert found[3].value == "2017-03"


def test_seed_004_chain_of_dates_without_publication_date(seed_text):
    found = find_times(seed_text("004"), None)
    by_text = {}
    for e in found:
        by_text.setdefault(e.text, e)
    assert by_text["6/14-6/15"].value == "2014-06/2015-06"
    assert by_text["June 14"].start_date == "2015-06-14"
    assert (by_text["three days later"].start_date, by_text["three days later"].anchor) == ("2015-06-17", "previous")
    assert by_text["the end of 2013"].start_date == "2013-09-01"
    assert by_text["late 2015"].end_date == "2015-12-31"
    assert all(e.anchor != "publication" for e in found)


def test_seed_002_last_two_weeks(seed_text):
    text = seed_text("002")
    e = next(e for e in find_times(text, dt.date(2018, 1, 6)) if e.text == "last two weeks")
    assert (e.start_date, e.end_date, e.value) == ("2017-12-23", "2018-01-06", "P2W")


def test_seed_003_weekend(seed_text):
    e = next(e for e in find_times(seed_text("003"), dt.date(2017, 11, 27)) if e.text == "the weekend")
    assert (e.start_date, e.end_date) == ("2017-11-25", "2017-11-26")


# --- quality floor on TimeBank ----------------------------------------------------------

def _scorer():
    path = Path(__file__).resolve().parents[1] / "eval" / "timebank.py"
    spec = importlib.util.spec_from_file_location("eval_timebank", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_timebank_floor(shared_dir):
    result = _scorer().evaluate(shared_dir)
    assert result["date_expressions"] > 1400
    assert result["value_accuracy"] >= 0.83
    assert result["detection"]["f1"] >= 0.88
    assert result["detection"]["recall"] >= 0.90


def test_story_year_lends_itself_to_the_next_sentences_dates():
    """Demo 08 style: the year named earlier in the paragraph, not the publication year."""
    text = ("He flew into Antalya on June 11, 2015. On June 14 he travelled on to Gaziantep. "
            "Three days later he was caught at the border.")
    found = find_times(text, dt.date(2019, 10, 14))
    assert [(e.text, e.start_date, e.end_date, e.precision) for e in found] == [
        ("June 11, 2015", "2015-06-11", "2015-06-11", "day"), ("June 14", "2015-06-14", "2015-06-14", "day"),
        ("Three days later", "2015-06-17", "2015-06-17", "day")]


def test_recent_story_keeps_the_publication_year_in_later_sentences():
    text = "Talks opened on September 3, 2017. On September 25 the two sides met again."
    assert interval(one(text, surface="September 25")) == ("2017-09-25", "2017-09-25", "day")


def test_demo_08_dates_anchor_on_2015(demo_corpus):
    from newsgraph.cleaning.html import extract_html
    from newsgraph.cleaning.text import clean_text

    raw = next(demo_corpus.glob("08_*")).read_text(encoding="utf-8")
    found = find_times(clean_text(extract_html(raw).text).text, dt.date(2019, 10, 14))
    got = {e.text: (e.start_date, e.anchor) for e in found}
    assert got["June 14"] == ("2015-06-14", "previous")
    assert got["Three days later"] == ("2015-06-17", "previous")
