"""The value types of the record schema: parse, validate, JSON round trip, clear errors."""
from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.schema.ids import entity_id, entity_key, record_id
from newsgraph.schema.values import Count, DateInterval, Evidence, Money, PlaceRef, SchemaError


def test_date_interval_round_trip_and_precision():
    d = DateInterval.from_json({"start": "2016-07-01", "end": "2016-07-31", "precision": "month", "text": "July 2016"})
    assert d.days == 31
    assert DateInterval.from_json(d.to_json()) == d
    assert d.to_json() == {"start": "2016-07-01", "end": "2016-07-31", "precision": "month", "text": "July 2016"}
    assert DateInterval.from_json({"start": "2016-07-04"}) == DateInterval("2016-07-04", "2016-07-04", "day")
    assert DateInterval.day(dt.date(2016, 7, 4), "Monday").to_json()["text"] == "Monday"
    assert d.gap_days(DateInterval("2016-08-03", "2016-08-03", "day")) == 3
    assert d.gap_days(DateInterval("2016-07-10", "2016-07-10", "day")) == 0


def test_date_interval_from_a_time_expression():
    time = {"text": "on Wednesday", "start_date": "2017-04-05", "end_date": "2017-04-05", "precision": "day"}
    assert DateInterval.from_time(time) == DateInterval("2017-04-05", "2017-04-05", "day", "on Wednesday")
    assert DateInterval.from_time({"text": "on Wednesday", "start_date": None, "end_date": None}) is None


@pytest.mark.parametrize("data, message", [
    ({"start": "2016-02-30"}, "DateInterval.start: '2016-02-30' is not a day of the calendar"),
    ({"start": "2016-7-4"}, "DateInterval.start: expected an ISO date YYYY-MM-DD, got '2016-7-4'"),
    ({"start": "2016-07-04", "end": "2016-07-01"}, "DateInterval.end: 2016-07-01 is before the start 2016-07-04"),
    ({"start": "2016-07-04", "precision": "fortnight"}, "DateInterval.precision: expected one of day, week"),
    ({"start_date": "2016-07-04"}, "DateInterval.start_date: unknown field"),
    ({"end": "2016-07-04"}, "DateInterval.start: missing"),
    ("2016-07-04", "DateInterval.*: expected an object, got str"),
])
def test_date_interval_bad_input(data, message):
    with pytest.raises(SchemaError, match=message.replace("(", r"\(").replace(".", r"\.").replace("*", r"\*")):
        DateInterval.from_json(data)


def test_place_ref_round_trip_resolved_and_not():
    data = {"name": "Gaziantep", "mention": "Antep", "start": 10, "end": 15, "geonames_id": "314830",
            "lat": 37.06, "lon": 37.38, "country_code": "TR", "admin1": "TR.83", "feature": "town",
            "precision": "town", "how": "governed by a preposition in the sentence"}
    place = PlaceRef.from_json(data)
    assert place.resolved and PlaceRef.from_json(place.to_json()) == place
    assert place.to_json() == data
    loose = PlaceRef.from_json({"name": "the old bakery", "mention": "the old bakery", "resolved": False})
    assert not loose.resolved and loose.to_json() == {"name": "the old bakery", "mention": "the old bakery",
                                                      "resolved": False}


@pytest.mark.parametrize("data, message", [
    ({"name": ""}, "PlaceRef.name: expected a place name"),
    ({"name": "X", "lat": 95.0, "lon": 1.0}, "PlaceRef.lat: 95.0 is outside -90..90"),
    ({"name": "X", "lat": 5.0}, "PlaceRef.lon: lat and lon go together"),
    ({"name": "X", "lat": 5.0, "lon": 1.0, "precision": "street"}, "PlaceRef.precision: expected one of"),
    ({"name": "X", "lat": 5.0, "lon": 1.0, "country_code": "tur"}, "PlaceRef.country_code: expected an ISO"),
    ({"name": "X", "resolved": True}, "PlaceRef.lat: a resolved place needs coordinates"),
    ({"name": "X", "start": -1, "resolved": False}, "PlaceRef.start: expected a character offset"),
])
def test_place_ref_bad_input(data, message):
    with pytest.raises(SchemaError, match=message.replace(".", r"\.")):
        PlaceRef.from_json(data)


def test_count_round_trip_and_range():
    dozens = Count.from_json({"low": 24, "best": None, "high": None, "unit": "person", "text": "dozens",
                              "start": 0, "end": 6, "approximate": True, "vague": True})
    assert Count.from_json(dozens.to_json()) == dozens
    assert dozens.contains(30) and not dozens.contains(20)
    exact = Count(12, 12, 12, "person")
    assert exact.contains(12) and not exact.contains(13)
    assert Count(None, 0, None).contains(0)      # "without any casualties" is a count of 0


@pytest.mark.parametrize("data, message", [
    ({"low": None, "best": None, "high": None}, "Count.best: a count needs at least one of low, best, high"),
    ({"low": 10, "best": 5, "high": 20}, "Count.best: best 5.0 is outside 10.0..20.0"),
    ({"low": 30, "best": None, "high": 20}, "Count.low: low 30.0 is above high 20.0"),
    ({"low": None, "best": -2, "high": None}, "Count.best: -2.0 is negative"),
    ({"low": None, "best": "ten", "high": None}, "Count.best: expected a finite number, got 'ten'"),
    ({"low": None, "best": float("nan"), "high": None}, "Count.best: expected a finite number"),
    ({"low": None, "best": 3, "high": None, "people": 3}, "Count.people: unknown field"),
])
def test_count_bad_input(data, message):
    with pytest.raises(SchemaError, match=message.replace(".", r"\.").replace("'", "'")):
        Count.from_json(data)


def test_money_needs_a_currency_code():
    money = Money.from_json({"low": 40000, "best": 40000, "high": 40000, "unit": "USD", "text": "$40,000"})
    assert Money.from_json(money.to_json()) == money
    with pytest.raises(SchemaError, match=r"Money\.unit: expected an ISO 4217 currency code, got 'dollars'"):
        Money.from_json({"low": 1, "best": 1, "high": 1, "unit": "dollars"})


def test_evidence_round_trip_and_errors():
    ev = Evidence.from_json({"document_id": "d1", "source": "Levant Ledger", "sentence": "Two men were held.",
                             "start": 0, "end": 18})
    assert Evidence.from_json(ev.to_json()) == ev
    with pytest.raises(SchemaError, match=r"Evidence\.sentence: missing"):
        Evidence.from_json({"document_id": "d1", "start": 0, "end": 3})
    with pytest.raises(SchemaError, match=r"Evidence\.end: 2 is before the start 5"):
        Evidence.from_json({"document_id": "d1", "start": 5, "end": 2, "sentence": "x"})


def test_ids_are_stable_and_from_one_module():
    assert record_id("doc", "attack", 12) == record_id("doc", "attack", 12) != record_id("doc", "attack", 13)
    assert len(record_id("x")) == 16
    mention = {"label": "GROUP", "text": "Daesh", "canonical": "Islamic State", "alias_id": "islamic_state"}
    assert entity_key(mention) == ("GROUP", "islamic_state")
    assert entity_id(mention) == "ent-" + record_id("GROUP", "islamic_state")
    place = {"label": "PLACE", "text": "Antep", "place": {"resolved": True, "geonames_id": "314830"}}
    assert entity_key(place) == ("PLACE", "geo:314830")
