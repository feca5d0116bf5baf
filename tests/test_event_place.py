"""Place of an event: the place tied to the event, else the article's main incident place, with
how and why; never a dateline, an agency, an organisation's base, an actor's name, a deal's
party or a border named as a direction. Sentences are our own."""
from __future__ import annotations

import pytest

from newsgraph.geo import Gazetteer, PlaceMention, event_place, resolve_mentions
from newsgraph.geo.event import story_place
from newsgraph.geo.event_filters import not_event_place


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.open()


def _sentence(text: str, at: int) -> tuple[int, int]:
    s0 = text.rfind(". ", 0, at)
    s0 = 0 if s0 < 0 else s0 + 2
    s1 = text.find(". ", at)
    return s0, len(text) if s1 < 0 else s1 + 1


def resolved(text: str, gaz, *names: str, label: str = "PLACE"):
    """Resolutions of each name (every occurrence, in text order), sentence bounds from '. '."""
    mentions = []
    for name in names:
        at = text.find(name)
        while at >= 0:
            mentions.append(PlaceMention(name, at, at + len(name), *_sentence(text, at), label))
            at = text.find(name, at + 1)
    mentions.sort(key=lambda m: m.start)
    return resolve_mentions(mentions, text, gaz)


def place_for(text: str, trigger: str, rs, gaz=None):
    t0 = text.index(trigger)
    return event_place(_sentence(text, t0), rs, text, trigger=(t0, t0 + len(trigger)), gazetteer=gaz)


def test_a_dateline_is_not_the_event_place(gaz):
    text = "WASHINGTON (Reuters) - Jets bombed a depot in Homs on Monday, killing four guards."
    rs = resolved(text, gaz, "WASHINGTON", "Homs")
    assert not_event_place(rs[0], text) == "dateline"
    place, how = place_for(text, "bombed", rs)
    assert (place.mention.text, place.place.admin1, how) == ("Homs", "SY.11", "governed")


def test_a_caps_dateline_after_a_headline_is_not_the_event_place(gaz):
    text = "Strikes Hit Fuel Depots Near Homs MOSCOW (Sputnik) Jets struck two depots overnight."
    rs = resolved(text, gaz, "Homs", "MOSCOW")
    assert [not_event_place(r, text) for r in rs] == [None, "dateline"]
    place, how = place_for(text, "struck", rs)   # one sentence: the headline's "Near Homs" governs
    assert (place.mention.text, how) == ("Homs", "governed")


def test_an_organisations_base_is_not_the_event_place(gaz):
    text = "Shelling killed six people in Douma, the London-based monitor said. The UK-based group counted the dead."
    rs = resolved(text, gaz, "Douma", "London", "UK")
    assert [not_event_place(r, text) for r in rs] == [None, "base", "base"]
    place, how = place_for(text, "counted", rs)
    assert (place.mention.text, place.place.admin1, how, place.place.precision) == ("Douma", "SY.08", "story",
                                                                                     "district")
    assert "the article's main incident place" in place.reason


def test_a_base_said_after_the_organisation_is_not_the_event_place(gaz):
    text = "Gunmen killed two monks in Qamishli, a charity based in Germany said."
    rs = resolved(text, gaz, "Qamishli", "Germany")
    assert [not_event_place(r, text) for r in rs] == [None, "base"]


def test_an_unknown_place_takes_the_place_that_holds_it(gaz):
    text = "A blast hit the area of Bab Zurqa in the Syrian capital Damascus on Saturday."
    rs = resolved(text, gaz, "Damascus")
    a = text.index("the area")
    place, how = event_place((0, len(text)), rs, text, trigger=(2, 7), argument=(a, a + len("the area of Bab Zurqa")))
    assert (place.mention.text, place.place.admin1, how) == ("Damascus", "SY.13", "argument")
    assert "names 'the area of Bab Zurqa', which the gazetteer lacks, in Damascus" in place.reason
    # a country never stands in for the unknown place: the sentence's own rules decide
    text = "Five people were killed in the village of Tal Jabbar in Syria."
    rs = resolved(text, gaz, "Syria")
    a = text.index("the village")
    place, how = event_place((0, len(text)), rs, text, trigger=(19, 25), argument=(a, a + len("the village of Tal Jabbar")))
    assert how != "argument"


def test_an_unknown_name_placed_at_the_main_town_yields_to_the_place_that_holds_it(gaz):
    text = ("Jets killed 12 people in Deir ez-Zor on Monday. "
            "Jets killed 60 civilians in Zawarna village in the northeastern parts of Aleppo.")
    rs = resolved(text, gaz, "Deir ez-Zor", "Zawarna village", "Aleppo")
    assert rs[1].place.geonames_id.startswith("within:")     # placed at the article's main town
    a = text.index("Zawarna")
    t0 = text.index("killed 60")
    place, how = event_place(_sentence(text, t0), rs, text, trigger=(t0, t0 + 6), argument=(a, a + len("Zawarna village")))
    assert (place.mention.text, place.place.admin1, how) == ("Aleppo", "SY.09", "argument")


def test_a_backer_and_an_armed_groups_name_are_not_the_event_place(gaz):
    text = ("The US-led coalition said its strikes hit Raqqa on Friday. Fighters of the Islamic State of Iraq "
            "and the Levant fired rockets at Raqqa.")
    rs = resolved(text, gaz, "US", "Raqqa", "Iraq")
    assert [(r.mention.text, not_event_place(r, text)) for r in rs] == [
        ("US", "backer"), ("Raqqa", None), ("Iraq", "actor name"), ("Raqqa", None)]
    place, how = place_for(text, "fired", rs)
    assert (place.mention.start, how) == (text.rindex("Raqqa"), "governed")


def test_the_parties_to_a_deal_are_not_the_event_place(gaz):
    text = "Buses left Homs under a deal involving Iran and Russia on Sunday."
    rs = resolved(text, gaz, "Homs", "Iran", "Russia")
    assert [not_event_place(r, text) for r in rs] == [None, "deal party", "deal party"]


def test_a_border_named_as_a_direction_is_not_the_event_place(gaz):
    text = "Gunmen attacked a village in Daraa near the border with Jordan, killing three farmers."
    rs = resolved(text, gaz, "Daraa", "Jordan")
    assert not_event_place(rs[1], text) == "border direction"
    place, how = place_for(text, "attacked", rs)
    assert (place.mention.text, place.place.country_code) == ("Daraa", "SY")
    text = "Rockets fired from a town on the Turkey border hit Kilis. Nobody was hurt."
    rs = resolved(text, gaz, "Turkey", "Kilis")
    assert not_event_place(rs[0], text) == "border direction"
    text = "Militants overran a village bordering Iraq on Sunday."
    assert not_event_place(resolved(text, gaz, "Iraq")[0], text) == "border direction"


def test_a_backer_without_its_hyphen_and_a_chain_of_backers(gaz):
    text = "Dozens died in Homs after the US led coalition and a US-Russian brokered truce failed."
    rs = resolved(text, gaz, "Homs", "US")
    assert [(r.mention.text, not_event_place(r, text)) for r in rs] == [("Homs", None), ("US", "backer"),
                                                                         ("US", "backer")]


def test_a_countrys_weapons_are_the_attacker_but_a_towns_name_the_target(gaz):
    text = "Russia warplanes bombed a bakery. Homs air strikes went on all week."
    rs = resolved(text, gaz, "Russia", "Homs")
    assert [not_event_place(r, text) for r in rs] == ["actor name", None]


def test_a_country_yields_to_the_place_inside_it_the_sentence_names(gaz):
    text = "Barrel bombs killed nine people in northern Syria on Monday, in the town of Azaz in Aleppo province."
    rs = resolved(text, gaz, "Syria", "Azaz", "Aleppo")
    place, how = place_for(text, "killed", rs)
    assert (place.mention.text, place.place.admin1) == ("Azaz", "SY.09")
    assert "inside Syria, which the event's sentence names" in place.reason


def test_a_country_yields_to_the_main_incident_place_inside_it(gaz):
    text = ("A car bomb exploded at a checkpoint in Azaz on Saturday. Police in Azaz sealed the road. "
            "At least nine people were killed in northern Syria, medics said.")
    rs = resolved(text, gaz, "Azaz", "Syria")
    place, how = place_for(text, "killed", rs)
    assert (place.mention.text, how, place.place.admin1, place.place.precision) == ("Azaz", "story", "SY.09",
                                                                                   "district")
    assert "the sentence says Syria: the article's main incident place inside it" in place.reason


def test_a_country_abroad_keeps_its_place(gaz):
    text = "Fighters from Azaz joined the war. The commander was killed by drones in Iraq last year."
    rs = resolved(text, gaz, "Azaz", "Iraq")
    place, how = place_for(text, "killed", rs)
    assert (place.place.name, place.place.feature, how) == ("Iraq", "country", "governed")


def test_the_x_countryside_is_the_governorate_at_province_precision(gaz):
    text = "Artillery shelled villages in the Hama countryside on Friday, killing two shepherds."
    rs = resolved(text, gaz, "Hama")
    place, how = place_for(text, "shelled", rs, gaz)
    assert (place.place.name, place.place.feature, place.place.precision, place.place.admin1) == (
        "Hama Governorate", "province", "province", "SY.10")
    assert place.reason.endswith("'Hama countryside' names the governorate around Ḩamāh")
    text = "Jets struck farms in rural Damascus on Sunday."
    rs = resolved(text, gaz, "Damascus")
    place, _ = place_for(text, "struck", rs, gaz)
    assert (place.place.name, place.place.admin1, place.place.precision) == ("Rif Dimashq Governorate", "SY.08",
                                                                            "province")


def test_the_main_incident_place_is_the_ledes_place_in_the_storys_country(gaz):
    text = ("MOSCOW (Sputnik) Rockets hit a school in Jableh on Tuesday. Officials in Moscow and Paris condemned "
            "the attack. Jableh lies south of Latakia.")
    rs = resolved(text, gaz, "MOSCOW", "Jableh", "Moscow", "Paris", "Latakia")
    story = story_place(rs, text)
    assert (story.mention.text, story.mention.start, story.place.admin1) == ("Jableh", text.index("Jableh"), "SY.02")


def test_no_place_at_all(gaz):
    text = "Two men were detained on Monday."
    assert event_place((0, len(text)), [], text) == (None, "none")


def test_a_small_town_abroad_in_a_one_country_story_is_left_to_the_story(gaz):
    text = ("Gunmen ambushed a bus near Adra in the Damascus countryside. Families in Homs, Hama and Damascus "
            "mourned the dead.")
    rs = resolved(text, gaz, "Adra", "Damascus", "Homs", "Hama")
    adra = rs[0]
    assert adra.place is None and adra.reason.startswith("only a small town abroad has this name")
    place, how = place_for(text, "ambushed", rs, gaz)
    assert (place.mention.text, place.place.name, how) == ("Damascus", "Rif Dimashq Governorate", "governed")


def test_a_destination_country_is_not_narrowed_to_the_storys_town(gaz):
    text = "Police in Azaz searched the market. Later two brothers travelled to Turkey by bus."
    rs = resolved(text, gaz, "Azaz", "Turkey")
    t0 = text.index("travelled")
    span = (text.index("Turkey"), text.index("Turkey") + 6)
    place, how = event_place(_sentence(text, t0), rs, text, trigger=(t0, t0 + 9), argument=span, relation="to")
    assert (place.place.name, how) == ("Turkey", "argument")
    place, how = event_place(_sentence(text, t0), rs, text, trigger=(t0, t0 + 9), argument=span, relation="in")
    assert place.place.country_code == "TR"   # Azaz is in Syria: the story's town is not inside Turkey


def test_a_legal_note_and_a_groups_branch_are_not_the_event_place(gaz):
    text = "Daesh (banned in Russia) fighters and al-Qaeda's branch in the Levant shelled Homs on Monday."
    rs = resolved(text, gaz, "Russia", "Levant", "Homs")
    assert [(r.mention.text, not_event_place(r, text)) for r in rs] == [
        ("Russia", "legal note"), ("Levant", "actor name"), ("Homs", None)]
    place, how = place_for(text, "shelled", rs)
    assert (place.mention.text, how) == ("Homs", "sentence")
