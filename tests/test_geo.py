"""Geocoder: gazetteer lookups, the known traps, roles, qualifiers, event places."""
from __future__ import annotations

import pickle
import re

import pytest

from newsgraph.geo import Gazetteer, PlaceMention, event_place, movement_places, resolve_mentions, resolve_name


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.open()  # builds into the user cache on first use (about 20 s, no network)


def mentions_of(text: str, *names: str, label: str = "PLACE") -> list[PlaceMention]:
    """Mentions of each name at its first occurrence, with the sentence around it."""
    out = []
    for name in names:
        start = text.index(name)
        s0 = max(text.rfind(". ", 0, start) + 2, 0) if text.rfind(". ", 0, start) >= 0 else 0
        s1 = text.find(". ", start)
        s1 = len(text) if s1 < 0 else s1 + 1
        lab = label if isinstance(label, str) else label[name]
        out.append(PlaceMention(name, start, start + len(name), s0, s1, lab))
    return out


def resolve(text: str, *names: str, gaz: Gazetteer, **kw):
    return resolve_mentions(mentions_of(text, *names, **kw), text, gaz)


def test_st_petersburg_is_in_russia_and_paris_in_france(gaz):
    r = resolve("Police in St. Petersburg and Paris arrested two men.", "St. Petersburg", "Paris", gaz=gaz)
    assert [(x.place.name, x.place.country_code) for x in r] == [("Saint Petersburg", "RU"), ("Paris", "FR")]


def test_paris_texas_when_the_text_says_so(gaz):
    r = resolve("He grew up in Paris, Texas, before moving away.", "Paris", "Texas", gaz=gaz)
    assert (r[0].place.name, r[0].place.country_code, r[0].place.admin1) == ("Paris", "US", "US.TX")
    assert "qualified by Texas" in r[0].reason


def test_ras_al_ayn_is_the_syrian_town(gaz):
    r = resolve("Fighting resumed around Ras al-Ayn on Monday.", "Ras al-Ayn", gaz=gaz)[0]
    assert (r.place.geonames_id, r.place.country_code, r.place.feature) == ("165509", "SY", "town")


@pytest.mark.parametrize("name,geonames_id", [("Of", "741240"), ("Batman", "321836"), ("Van", "298117")])
def test_of_batman_van_are_turkish_towns(gaz, name, geonames_id):
    text = f"Three suspects were detained in {name} on Friday."
    r = resolve(text, name, gaz=gaz)[0]
    assert (r.place.geonames_id, r.place.country_code, r.place.precision) == (geonames_id, "TR", "town")


@pytest.mark.parametrize("abbr,expected", [("US", ("United States", "6252001")), ("U.S.", ("United States", "6252001")),
                                           ("UK", ("United Kingdom", "2635167")),
                                           ("EU", ("European Union", "alias:european-union"))])
def test_all_caps_abbreviations_are_not_villages(gaz, abbr, expected):
    text = f"Officials from the {abbr} met on Tuesday."
    r = resolve(text, abbr, gaz=gaz)[0]
    assert (r.place.name, r.place.geonames_id) == expected
    assert r.place.feature in ("country", "region")


def test_common_words_are_never_matched_from_raw_text(gaz):
    text = "In March, Vladimir went to buy a ticket for Chelsea."
    assert resolve_mentions([], text, gaz) == []  # only recognised mentions are resolved


def test_recogniser_does_not_take_common_words_for_places():
    from newsgraph.geo.recognize import place_mentions

    text = "In March, Vladimir said he would buy the house. He later flew to Ankara."
    found = [m.text for m in place_mentions(text)]
    assert "Ankara" in found
    assert not {"March", "Vladimir", "buy"} & set(found)


def test_demonym_is_a_nationality_not_a_place(gaz):
    text = "A Turkish court sentenced him."
    r = resolve(text, "Turkish", gaz=gaz, label="NORP")[0]
    assert (r.role, r.place.name, r.place.feature) == ("demonym", "Turkey", "country")


def test_metonymy_keeps_the_country_as_an_actor(gaz):
    text = "Turkey refused to extradite the suspects, who were held in Gaziantep."
    r = resolve(text, "Turkey", "Gaziantep", gaz=gaz)
    assert [(x.place.name, x.role) for x in r] == [("Turkey", "metonymy"), ("Gaziantep", "literal")]
    place, how = event_place((0, len(text)), r, text)
    assert (place.place.name, how) == ("Gaziantep", "governed")


def test_coordinated_countries_act_and_a_governed_place_is_where(gaz):
    text = "France and Britain said inspectors in Syria should reach the site."
    r = resolve(text, "France", "Britain", "Syria", gaz=gaz)
    assert [(x.place.name, x.role) for x in r] == [("France", "metonymy"), ("United Kingdom", "metonymy"),
                                                   ("Syria", "literal")]


def test_x_district_of_y_qualifier(gaz):
    text = "He crossed near Akcakale district of Sanliurfa last year."
    r = resolve(text, "Akcakale", "Sanliurfa", gaz=gaz)
    assert (r[0].place.geonames_id, r[0].place.admin1) == ("324944", "TR.63")
    assert r[1].place.country_code == "TR"


def test_province_word_selects_the_province(gaz):
    text = "Clashes spread across Idlib province and into Idlib itself."
    r = resolve_mentions([PlaceMention("Idlib", 22, 27, 0, len(text)), PlaceMention("Idlib", 48, 53, 0, len(text))],
                         text, gaz)
    assert [(x.place.feature, x.place.country_code) for x in r] == [("province", "SY"), ("town", "SY")]


@pytest.mark.parametrize("name,place_id", [("Serêkaniyê", "165509"), ("Sari Kani", "165509"), ("Qamishlo", "173377"),
                                           ("Tel Tamer", "163434"), ("Anteb", "314830"), ("Rojava", "alias:rojava"),
                                           ("Caucasus", "alias:caucasus"), ("Central Asia", "alias:central-asia"),
                                           ("Incirlik", "alias:incirlik"), ("Ash Shaddadi", "172837"),
                                           ("Shaddadi", "172837"), ("Mayadeen", "173480"), ("Al-Mayadin", "173480")])
def test_project_aliases(gaz, name, place_id):
    r = resolve_name(name, gaz)
    assert r.place.geonames_id == place_id


def test_alias_places_carry_feature_and_precision(gaz):
    base = resolve_name("Incirlik", gaz).place
    region = resolve_name("Rojava", gaz).place
    assert (base.feature, base.precision, base.country_code) == ("facility", "point", "TR")
    assert (region.feature, region.precision) == ("region", "region")


def test_unresolvable_place_keeps_its_mention(gaz):
    text = "They met in Xqzzyville at dawn."
    r = resolve(text, "Xqzzyville", gaz=gaz)[0]
    assert (r.place, r.mention.text, r.mention.start, r.reason) == (None, "Xqzzyville", 12, "no gazetteer entry")


def test_coordinates_are_in_range(gaz):
    rows = gaz._query("SELECT min(lat), max(lat), min(lon), max(lon), count(*) FROM places", ())[0]
    assert -90 <= rows[0] <= rows[1] <= 90 and -180 <= rows[2] <= rows[3] <= 180
    assert rows[4] > 200_000
    for name in ("Raqqa", "Fiji", "Kiribati", "Anchorage", "Suva"):
        p = resolve_name(name, gaz).place
        assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180


def test_event_place_falls_back_with_lower_precision(gaz):
    text = "Police raided a house in Gaziantep. Two men were detained."
    r = resolve(text, "Gaziantep", gaz=gaz)
    second = (text.index("Two"), len(text))
    place, how = event_place(second, r, text)   # the article's main incident place, one step coarser
    assert (how, place.place.name, place.place.precision) == ("story", "Gaziantep", "district")
    text = "Police raided a house in Turkey. Two men were detained."
    r = resolve(text, "Turkey", gaz=gaz)
    place, how = event_place((text.index("Two"), len(text)), r, text)   # no town: the nearest place
    assert (how, place.place.name, place.place.precision) == ("nearest", "Turkey", "region")
    assert event_place(second, [], text) == (None, "none")   # a dateline is never the event place


def test_movement_legs(gaz):
    text = "He fled from Raqqa via Tal Abyad to Sanliurfa in 2015."
    r = resolve(text, "Raqqa", "Tal Abyad", "Sanliurfa", gaz=gaz)
    legs = movement_places((0, len(text)), r, text)
    assert {k: [x.mention.text for x in v] for k, v in legs.items()} == {
        "origin": ["Raqqa"], "via": ["Tal Abyad"], "destination": ["Sanliurfa"]}


def test_gazetteer_pickles_for_a_process_pool(gaz):
    again = pickle.loads(pickle.dumps(gaz))
    assert again.path == gaz.path
    assert resolve_name("Kilis", again).place.geonames_id == "307864"


def test_resolution_contract_fields(gaz):
    r = resolve("Aid reached Kobani.", "Kobani", gaz=gaz)[0]
    p = r.place
    assert (p.name, p.geonames_id, p.country_code, p.admin1, p.feature, p.precision) == (
        "‘Ayn al ‘Arab", "172256", "SY", "SY.09", "town", "town")
    assert re.fullmatch(r"-?\d+\.\d+", str(p.lat)) and r.role == "literal" and r.score > 0


def test_recogniser_datelines_and_span_repair(gaz):
    from newsgraph.geo.recognize import dateline_mentions, repaired_mentions

    text = "BEIRUT (AP) — Aid reached Washington, D.C., and the town of Gilgit-Baltistan."
    assert [(m.text, m.start) for m in dateline_mentions(text, gaz, [])] == [("BEIRUT", 0)]
    w = text.index("Washington")
    assert [m.text for m in repaired_mentions(text, w, w + len("Washington"), 0, len(text), gaz)] == [
        "Washington, D.C."]
    g = text.index("Gilgit")
    assert [m.text for m in repaired_mentions(text, g, g + len("Gilgit"), 0, len(text), gaz)] == ["Gilgit-Baltistan"]
    pair = "jobs in Greece Italy or Spain"
    a = pair.index("Greece")
    assert [m.text for m in repaired_mentions(pair, a, a + len("Greece Italy"), 0, len(pair), gaz)] == [
        "Greece", "Italy"]


@pytest.mark.parametrize("span, label, found", [
    ("Syrian Capital Damascus", "ORG", [("Damascus", "PLACE")]),      # a qualifier, then the place
    ("Syrias Hama", "PERSON", [("Hama", "PLACE")]),                   # the apostrophe lost in copy
    ("Damascus University", "ORG", [("Damascus", "ORG-embedded")]),   # a place inside an actor's name
    ("Syrian Observatory", "ORG", [("Syrian", "ORG-embedded")]),
    ("Americans Smith", "PERSON", []),
])
def test_a_qualified_place_taken_for_a_name(gaz, span, label, found):
    from newsgraph.geo.recognize import embedded_mentions

    text = f"They said {span} was hit."
    a = text.index(span)
    assert [(m.text, m.label) for m in embedded_mentions(text, a, a + len(span), 0, len(text), label, gaz)] == found


def test_ash_shaddadi_and_mayadeen_in_a_route(gaz):
    text = "The convoy moved from Ash Shaddadi to Al Hasakah, then fighters left Mayadeen for Deir ez-Zor."
    r = resolve(text, "Ash Shaddadi", "Al Hasakah", "Mayadeen", gaz=gaz)
    assert [(x.place.name, x.place.country_code, x.place.feature) for x in r] == [
        ("Ash Shaddādah", "SY", "town"), ("Al Ḩasakah", "SY", "town"), ("Al Mayādīn", "SY", "town")]


def test_counties_from_country_state_city(gaz):
    text = "Deputies in Cuyahoga County, Ohio, searched the house."
    r = resolve(text, "Cuyahoga County", "Ohio", gaz=gaz)[0]
    assert (r.place.name, r.place.country_code, r.place.admin1, r.place.feature) == (
        "Cuyahoga County", "US", "US.OH", "district")


def test_unknown_street_is_placed_at_the_articles_town(gaz):
    text = ("Police in Gaziantep raided a flat on Kavaklik Street. Gaziantep officials said the men had come "
            "from Syria.")
    r = resolve_mentions(mentions_of(text, "Gaziantep", "Kavaklik Street", "Syria"), text, gaz)
    street = r[1]
    assert (street.place.name, street.place.geonames_id, street.place.feature, street.place.precision) == (
        "Kavaklik Street", "within:314830:kavaklik street", "facility", "town")
    assert (street.place.lat, street.place.lon) == (r[0].place.lat, r[0].place.lon)
    assert street.role == "literal"
    assert street.reason == ("not in the gazetteer; placed at Gaziantep, the article's main town "
                             "(precision town)")


def test_unknown_name_without_a_town_in_the_article_stays_unresolved(gaz):
    text = "Officials in Turkey said the Kavaklik Bridge was closed."
    r = resolve(text, "Turkey", "Kavaklik Bridge", gaz=gaz)
    assert (r[1].place, r[1].reason) == (None, "no gazetteer entry")


def test_regional_abbreviations_follow_the_article(gaz):
    text = "A farm near Estey's Bridge, N.B. burned down; firefighters from Moncton helped."
    r = resolve(text, "N.B.", "Moncton", gaz=gaz)[0]
    assert (r.place.name, r.place.admin1, r.place.feature) == ("New Brunswick", "CA.04", "province")
    text = "Millions of South Africans depend on mining. SA holds large platinum reserves near Rustenburg."
    r = resolve(text, "SA", "Rustenburg", gaz=gaz)[0]
    assert (r.place.name, r.place.feature) == ("South Africa", "country")


def test_context_hint_picks_the_domain_country(gaz):
    text = "Smugglers were seen near Tripoli at night."
    none = resolve_mentions(mentions_of(text, "Tripoli"), text, gaz)[0]
    hinted = resolve_mentions(mentions_of(text, "Tripoli"), text, gaz, context_hint="LB,SY")[0]
    assert (none.place.country_code, hinted.place.country_code) == ("LY", "LB")
    assert "hint" in hinted.reason and "hint" not in none.reason


@pytest.mark.parametrize("hint, country", [(None, "LY"), ("LB", "LB"), ("LY", "LY")])
def test_geo_context_setting_decides_an_ambiguous_name(monkeypatch, hint, country):
    from newsgraph.pipeline.extract import analyse

    if hint:
        monkeypatch.setenv("NEWSGRAPH_GEO_CONTEXT", hint)
    doc = {"id": "t", "text": "Officials said the men were detained in Tripoli on Monday after crossing the border.",
           "published": {"value": "2017-10-03", "precision": "day"}, "language": "en", "source": "Test"}
    places = [(m["text"], m["place"]["country_code"]) for m in analyse(doc)["mentions"] if m.get("place")]
    assert places == [("Tripoli", country)]


def test_the_story_place_is_the_ledes_not_a_later_one(gaz):
    text = ("Smugglers wait near Idlib, according to people in contact with them. "
            "Guards have shot dead dozens of people this year. Raqqa fell to the coalition.")
    r = resolve(text, "Idlib", "Raqqa", gaz=gaz)
    start = text.index("Guards")
    place, how = event_place((start, text.index(".", start) + 1), r, text)
    assert (how, place.place.name) == ("story", "Idlib")
