"""Regions GeoNames misses (data/regions.toml), names made of common words, surnames."""
from __future__ import annotations

import pytest

from newsgraph.geo import Gazetteer, PlaceMention, resolve_mentions, resolve_name
from newsgraph.geo.resources import regions


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.open()


@pytest.mark.parametrize("name,place_id,country,admin1,feature", [
    ("Darfur", "alias:darfur", "SD", "", "region"),
    ("Golan Heights", "alias:golan-heights", "SY", "SY.03", "district"),
    ("Gaza Strip", "alias:gaza-strip", "PS", "PS.GZ", "district"),
    ("West Bank", "alias:west-bank", "PS", "", "district"),
    ("Donbas", "alias:donbas", "UA", "", "region"),
    ("South Ossetia", "alias:south-ossetia", "GE", "", "region"),
    ("Kashmir", "alias:kashmir", "", "", "region"),
    ("Rojava", "alias:rojava", "SY", "", "region"),
    ("Kurdistan Region", "alias:iraqi-kurdistan", "IQ", "", "province"),
    ("Sinai", "alias:sinai", "EG", "", "region"),
    ("Sahel", "alias:sahel", "", "", "region"),
    ("Eastern Ghouta", "alias:ghouta", "SY", "SY.08", "district"),
    ("Ghouta", "alias:ghouta", "SY", "SY.08", "district"),
    ("Qalamoun", "alias:qalamoun", "SY", "SY.08", "district"),
])
def test_regions_geonames_misses(gaz, name, place_id, country, admin1, feature):
    p = resolve_name(name, gaz).place
    assert (p.geonames_id, p.country_code, p.admin1, p.feature) == (place_id, country, admin1, feature)


@pytest.mark.parametrize("name,admin1", [("Crimea", "UA.11"), ("Chechnya", "RU.12"), ("Abkhazia", "GE.02"),
                                         ("Damascus countryside", "SY.08"), ("rural Damascus", "SY.08")])
def test_a_region_that_is_a_first_level_region_lends_it_its_names(gaz, name, admin1):
    p = resolve_name(name, gaz).place
    assert (p.feature, p.precision, p.admin1, p.geonames_id.startswith("adm1:")) == ("province", "province", admin1, True)


def test_every_region_says_where_it_comes_from():
    for r in regions():
        assert r["source"].startswith(("GeoNames", "Wikipedia", "Natural Earth")), r["name"]
        assert r.get("same_as") in (None, "admin1")
        assert r.get("same_as") is None or r.get("admin1"), r["name"]


@pytest.mark.parametrize("name,place_id", [("South Bend", "4926563"), ("Salt Lake City", "5780993"),
                                           ("Bay City", "4985180"), ("Grand Island", "5069297")])
def test_a_name_made_of_common_words_is_looked_up(gaz, name, place_id):
    assert resolve_name(name, gaz).place.geonames_id == place_id


def _one(text: str, name: str, gaz, at: int | None = None, persons=None):
    start = text.index(name) if at is None else at
    m = PlaceMention(name, start, start + len(name), 0, len(text))
    return resolve_mentions([m], text, gaz, persons=persons)[0]


def test_a_single_common_word_needs_place_evidence(gaz):
    r = _one("Voters in the West turned out early.", "West", gaz)
    assert (r.place, r.reason) == (None, "no gazetteer entry")
    assert _one("Prices rose in the South this year.", "South", gaz).place is None


def test_a_news_agency_is_not_a_place(gaz):
    r = _one("Two shells hit the market, a police source told SANA on Tuesday.", "SANA", gaz)
    assert (r.place, r.reason) == (None, "a news agency's name, not a place")


def test_a_surname_is_a_place_only_with_place_evidence(gaz):
    text = "Senator Mary Lincoln spoke on Monday. Lincoln said the bill would pass. A fire in Lincoln destroyed a barn."
    said = _one(text, "Lincoln", gaz, at=text.index("Lincoln said"), persons=["Senator Mary Lincoln"])
    assert (said.place, said.reason) == (None, "the surname of Senator Mary Lincoln, named in the text; no place "
                                                "evidence around it")
    fire = _one(text, "Lincoln", gaz, at=text.rindex("Lincoln"), persons=["Senator Mary Lincoln"])
    assert fire.place is not None and fire.place.country_code == "US"
    # without a person of that name the town is read as before
    assert _one("Lincoln said the bill would pass.", "Lincoln", gaz).place is not None


def test_the_province_of_x_names_the_province(gaz):
    r = _one("Jets struck the northwestern province of Idlib on Monday.", "Idlib", gaz)
    assert (r.place.feature, r.place.admin1) == ("province", "SY.12")
