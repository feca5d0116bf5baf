"""Synthetic conflict news for the scale benchmarks: N distinct articles as JSON Lines.

Everything here is written for this generator (no text is taken from any corpus). A pool of
synthetic incidents (an air strike, shelling, a suicide bombing, an arrest, a deportation, a
border crossing, clashes or a protest, at a real Syrian, Turkish or Iraqi town on a day of
2015-2017, with a count and named actors) is reported by several outlets on days near the
incident. Each report draws its own sentences from the templates of its kind, in its own
order, with its own synonyms, people and sometimes its own count, so that reports of one
incident form a story, merge into one event and give claims that agree or contradict, while
reports of different incidents stay apart. The pool holds about N/4 incidents, so stories stay
small as the corpus grows, as in real news.

    python bench/generate.py --n 1000 --seed 1 --out corpus.jsonl [--check]

``generate(n, seed, start=0, pool=None, fresh=0.0)`` yields the articles as dicts; articles
``start .. start+n-1`` of one seed are distinct from any other range of the same seed, and
``fresh`` is the share of them about incidents outside the pool (for the incremental
benchmark: new articles partly about incidents already in the corpus).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Places: real towns with their governorate or province and country (names as the gazetteer
# knows them), and the bureau cities that open wire datelines.

PLACES = [
    # Syria
    ("Aleppo", "Aleppo", "Syria", "northern Syria"), ("Azaz", "Aleppo", "Syria", "northern Syria"),
    ("Manbij", "Aleppo", "Syria", "northern Syria"), ("Jarablus", "Aleppo", "Syria", "northern Syria"),
    ("al-Bab", "Aleppo", "Syria", "northern Syria"), ("Afrin", "Aleppo", "Syria", "northwestern Syria"),
    ("Kobani", "Aleppo", "Syria", "northern Syria"), ("Idlib", "Idlib", "Syria", "northwestern Syria"),
    ("Saraqib", "Idlib", "Syria", "northwestern Syria"), ("Ariha", "Idlib", "Syria", "northwestern Syria"),
    ("Maarrat al-Numan", "Idlib", "Syria", "northwestern Syria"), ("Khan Shaykhun", "Idlib", "Syria", "northwestern Syria"),
    ("Jisr ash-Shughur", "Idlib", "Syria", "northwestern Syria"), ("Raqqa", "Raqqa", "Syria", "northeastern Syria"),
    ("Tabqa", "Raqqa", "Syria", "northern Syria"), ("Tal Abyad", "Raqqa", "Syria", "northern Syria"),
    ("Deir ez-Zor", "Deir ez-Zor", "Syria", "eastern Syria"), ("Mayadin", "Deir ez-Zor", "Syria", "eastern Syria"),
    ("Abu Kamal", "Deir ez-Zor", "Syria", "eastern Syria"), ("Hasakah", "Hasakah", "Syria", "northeastern Syria"),
    ("Qamishli", "Hasakah", "Syria", "northeastern Syria"), ("Ras al-Ain", "Hasakah", "Syria", "northeastern Syria"),
    ("Hama", "Hama", "Syria", "central Syria"), ("Homs", "Homs", "Syria", "central Syria"),
    ("Palmyra", "Homs", "Syria", "central Syria"), ("Daraa", "Daraa", "Syria", "southern Syria"),
    ("Douma", "Rif Dimashq", "Syria", "the Damascus countryside"),
    # Turkey
    ("Gaziantep", "Gaziantep", "Turkey", "southeastern Turkey"), ("Nizip", "Gaziantep", "Turkey", "southeastern Turkey"),
    ("Kilis", "Kilis", "Turkey", "southern Turkey"), ("Akcakale", "Sanliurfa", "Turkey", "southeastern Turkey"),
    ("Ceylanpinar", "Sanliurfa", "Turkey", "southeastern Turkey"), ("Suruc", "Sanliurfa", "Turkey", "southeastern Turkey"),
    ("Sanliurfa", "Sanliurfa", "Turkey", "southeastern Turkey"), ("Reyhanli", "Hatay", "Turkey", "southern Turkey"),
    ("Antakya", "Hatay", "Turkey", "southern Turkey"), ("Mardin", "Mardin", "Turkey", "southeastern Turkey"),
    ("Adana", "Adana", "Turkey", "southern Turkey"), ("Istanbul", "Istanbul", "Turkey", "western Turkey"),
    # Iraq
    ("Mosul", "Nineveh", "Iraq", "northern Iraq"), ("Tal Afar", "Nineveh", "Iraq", "northern Iraq"),
    ("Sinjar", "Nineveh", "Iraq", "northwestern Iraq"), ("Kirkuk", "Kirkuk", "Iraq", "northern Iraq"),
    ("Tikrit", "Salahuddin", "Iraq", "central Iraq"), ("Samarra", "Salahuddin", "Iraq", "central Iraq"),
    ("Baiji", "Salahuddin", "Iraq", "northern Iraq"), ("Fallujah", "Anbar", "Iraq", "western Iraq"),
    ("Ramadi", "Anbar", "Iraq", "western Iraq"), ("Haditha", "Anbar", "Iraq", "western Iraq"),
    ("Baqubah", "Diyala", "Iraq", "eastern Iraq"), ("Erbil", "Erbil", "Iraq", "the Kurdistan Region of Iraq"),
]
BUREAUS = {"Syria": ["BEIRUT", "DAMASCUS", "AMMAN"], "Turkey": ["ISTANBUL", "ANKARA", "GAZIANTEP"],
           "Iraq": ["BAGHDAD", "ERBIL"]}
PROVINCE_WORD = {"Syria": ["province", "governorate"], "Turkey": ["province"], "Iraq": ["province", "governorate"]}

# Outlets: (name, domain, short name in a dateline or None, country focus or None, has bylines)
OUTLETS = [
    ("Reuters", "reuters.com", "Reuters", None, False), ("AFP", "afp.com", "AFP", None, False),
    ("Associated Press", "apnews.com", "AP", None, True), ("SANA", "sana.sy", "SANA", "Syria", False),
    ("Anadolu Agency", "aa.com.tr", "Anadolu", "Turkey", True), ("Rudaw", "rudaw.net", None, "Iraq", True),
    ("Kurdistan 24", "kurdistan24.net", None, None, True), ("Al Arabiya", "alarabiya.net", None, None, True),
    ("The New Arab", "newarab.com", None, None, True), ("Daily Sabah", "dailysabah.com", None, "Turkey", True),
    ("TRT World", "trtworld.com", None, "Turkey", True), ("Middle East Eye", "middleeasteye.net", None, None, True),
    ("Al-Monitor", "al-monitor.com", None, None, True), ("Asharq Al-Awsat", "aawsat.com", None, None, True),
    ("Xinhua", "xinhuanet.com", "Xinhua", None, False), ("ANHA", "hawarnews.com", None, "Syria", False),
    ("Orontes Herald", "orontesherald.example", None, "Syria", True),
    ("Euphrates Daily", "euphratesdaily.example", None, "Syria", True),
    ("Tigris Times", "tigristimes.example", None, "Iraq", True),
    ("Anatolian Frontier", "anatolianfrontier.example", None, "Turkey", True),
    ("Levant Wire", "levantwire.example", "Levant Wire", None, False),
    ("Crescent Post", "crescentpost.example", None, None, True),
    ("Border Observer", "borderobserver.example", None, None, True),
    ("Mesopotamia Report", "mesopotamiareport.example", None, "Iraq", True),
    ("Northern Syria Today", "northernsyriatoday.example", None, "Syria", True),
    ("Gulf Evening News", "gulfevening.example", None, None, True),
    ("The Desert Courier", "desertcourier.example", None, None, True),
    ("Aegean Monitor", "aegeanmonitor.example", None, "Turkey", True),
    ("Nineveh News Network", "ninevehnews.example", None, "Iraq", False),
    ("Damascus Evening Star", "damascusstar.example", None, "Syria", True),
]

FIRST = ["Ahmad", "Omar", "Khaled", "Mahmoud", "Yusuf", "Hassan", "Ali", "Mustafa", "Ibrahim", "Samir", "Bassam",
         "Rami", "Fadi", "Nabil", "Walid", "Ziad", "Tariq", "Hussein", "Karim", "Jamal", "Layla", "Rana", "Huda",
         "Nour", "Amal", "Mariam", "Salma", "Dima", "Hevin", "Rojda", "Berivan", "Dilan", "Serhat", "Baran",
         "Murat", "Emre", "Mehmet", "Kemal", "Selin", "Elif", "Ayse", "Hakan", "Burak", "Cem", "Zeynep", "Haider",
         "Abbas", "Qasim", "Saad", "Muhannad"]
LAST = ["Haddad", "Khalil", "Nasser", "Saleh", "Hamdan", "Darwish", "Barakat", "Haidar", "Mansour", "Rahman",
        "Qassem", "Othman", "Jaber", "Suleiman", "Abboud", "Najjar", "Tamimi", "Zoubi", "Halabi", "Sheikho",
        "Amin", "Mahmud", "Bakir", "Hamo", "Issa", "Kaya", "Yilmaz", "Demir", "Celik", "Aydin", "Ozturk", "Arslan",
        "Dogan", "Kurt", "Sahin", "Polat", "Jabouri", "Dulaimi", "Obeidi", "Shammari", "Juburi", "Karim",
        "Taha", "Fayad", "Sabbagh", "Hariri", "Masri", "Kurdi", "Ghanem", "Rifai"]
REPORTER_FIRST = ["Sarah", "James", "Claire", "Daniel", "Emma", "Lucas", "Hannah", "Thomas", "Julia", "Martin",
                  "Anna", "Peter", "Laura", "David", "Sophie", "Mark", "Nadia", "Leila", "Kareem", "Ece"]
REPORTER_LAST = ["Whitfield", "Brennan", "Morel", "Castell", "Lindqvist", "Harper", "Okafor", "Vasquez",
                 "Keller", "Fontaine", "Marsh", "Novak", "Delacroix", "Sorensen", "Ashworth", "Galloway"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
START, DAYS = dt.date(2015, 1, 1), 3 * 365

# Who acts, by kind and country: (long name, short name)
PERPETRATORS = {
    "air_strike": {"Syria": [("Russian warplanes", "Russian"), ("Syrian government aircraft", "government"),
                             ("aircraft of the US-led coalition", "coalition"), ("Turkish jets", "Turkish")],
                   "Iraq": [("aircraft of the US-led coalition", "coalition"), ("Iraqi air force jets", "Iraqi")],
                   "Turkey": [("Turkish jets", "Turkish")]},
    "shelling": {"Syria": [("Syrian government forces", "government"), ("rebel fighters", "rebel"),
                           ("Islamic State militants", "Islamic State"), ("Turkish artillery", "Turkish")],
                 "Iraq": [("Islamic State militants", "Islamic State"), ("Iraqi army artillery", "Iraqi army")],
                 "Turkey": [("Islamic State militants across the border", "cross-border")]},
    "suicide_bombing": {"*": [("the Islamic State group", "Islamic State")]},
    "arrest": {"Syria": [("the Syrian Democratic Forces", "SDF"), ("Kurdish security forces", "Asayish"),
                         ("Hayat Tahrir al-Sham", "HTS")],
               "Turkey": [("Turkish police", "police"), ("the Turkish gendarmerie", "gendarmerie")],
               "Iraq": [("Iraqi security forces", "Iraqi"), ("Kurdish Peshmerga forces", "Peshmerga")]},
    "deportation": {"Turkey": [("Turkish authorities", "Turkey")], "Iraq": [("Iraqi authorities", "Iraq")],
                    "Syria": [("Kurdish-led authorities", "Kurdish administration")]},
    "border_crossing": {"*": [("Turkish border guards", "border guards"), ("the Turkish gendarmerie", "gendarmerie")]},
    "clashes": {"Syria": [("Syrian government forces and rebel fighters", "rebels"),
                          ("the Syrian Democratic Forces and Islamic State militants", "SDF"),
                          ("Turkish-backed rebels and Kurdish fighters", "Kurdish fighters"),
                          ("Hayat Tahrir al-Sham and rival rebel factions", "HTS")],
                "Iraq": [("Iraqi troops and Islamic State militants", "Iraqi troops"),
                         ("the Popular Mobilization Forces and Islamic State militants", "PMF")],
                "Turkey": [("Turkish security forces and militants", "security forces")]},
    "protest": {"*": [("residents", "residents"), ("displaced families", "displaced"), ("students", "students"),
                      ("traders", "traders")]},
}
MONITORS = {"Syria": ["the Syrian Observatory for Human Rights", "the Syrian Network for Human Rights",
                      "the Syrian Civil Defence", "local activists", "a network of local monitors"],
            "Turkey": ["the governor's office", "the Turkish interior ministry", "local officials",
                       "the provincial police department", "security sources"],
            "Iraq": ["the Iraqi Joint Operations Command", "a police officer", "local health officials",
                     "the provincial council", "security sources"]}
OFFICIAL_ROLES = {
    ("Syria", "violent"): ["a spokesman for the civil defence", "a doctor at the town hospital", "a local council member",
                           "a paramedic in the town", "a spokesman for the rebel command"],
    ("Turkey", "violent"): ["the provincial governor", "a hospital director", "a local official", "the district mayor"],
    ("Iraq", "violent"): ["a police colonel", "a hospital director", "a member of the provincial council",
                          "the district mayor", "a spokesman for the Joint Operations Command"],
    ("Syria", "custody"): ["a spokesman for the Asayish", "an official of the local administration",
                           "a commander of the arresting unit", "a spokesman for the internal security forces"],
    ("Turkey", "custody"): ["a spokesman for the provincial police", "the deputy governor", "a gendarmerie commander",
                            "a spokesman for the interior ministry", "a local prosecutor"],
    ("Iraq", "custody"): ["a police colonel", "a spokesman for the interior ministry", "an intelligence officer",
                          "the district mayor"],
    ("Syria", "crowd"): ["a local council member", "one of the organisers", "a member of the local committee"],
    ("Turkey", "crowd"): ["a local official", "the district mayor", "a police spokesman"],
    ("Iraq", "crowd"): ["a member of the provincial council", "the district mayor", "a police officer"],
}
HOURS = ["shortly after dawn", "in the early morning", "at about 9 a.m.", "around midday", "shortly after noon",
         "in the mid-afternoon", "at dusk", "late in the evening", "shortly before midnight", "after Friday prayers"]
DISTRICTS = ["al-Qusour", "al-Jalaa", "al-Thawra", "Bab al-Nasr", "al-Karama", "al-Salam", "al-Nour", "al-Shuhada",
             "al-Wahda", "al-Zahraa", "al-Mansoura", "al-Rashidiya", "Tishreen", "al-Andalus", "al-Qadisiya",
             "al-Hurriya", "Yeni Mahalle", "Cumhuriyet", "Istasyon", "Carsi"]
VILLAGES = ["Tal Hamid", "Ain Dara", "Kafr Saleh", "Umm Jurn", "Deir Hafir", "Khirbat Ali", "Tal Salma",
            "Arab Hasan", "Kafr Naya", "Bir Hasan", "Harbal", "Tal Jabin", "Qaryat Nasr", "Ayn Issa"]
NATIONALITIES = ["Iraqi", "Syrian", "Russian", "Azerbaijani", "Tajik", "Uzbek", "German", "French", "Belgian",
                 "Moroccan", "Tunisian", "Egyptian", "Chechen", "Kazakh", "Dutch", "British"]
VEHICLES = ["a minibus", "a pickup truck", "a motorcycle", "a fuel tanker", "a white van", "a taxi", "a water truck"]
TARGETS = ["a crowded market", "a bakery", "a residential neighbourhood", "a school", "a hospital", "a mosque",
           "a displacement camp", "a bus station", "a checkpoint", "a fuel depot", "a vegetable market",
           "a busy street"]


@dataclass
class Incident:
    key: int
    kind: str
    town: str
    province: str
    country: str
    region: str
    day: dt.date
    actor: tuple[str, str]
    count: int
    injured: int
    target: str
    monitor: str
    official: str  # a named person with a role, ending in a comma ("Name, role,")
    witness: str
    other_counts: list[int] = field(default_factory=list)  # what some reports say instead
    facts: dict = field(default_factory=dict)  # details every report of this incident may repeat


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _pick_actor(rng: random.Random, kind: str, country: str) -> tuple[str, str]:
    table = PERPETRATORS[kind]
    return rng.choice(table.get(country) or table["*"])


KIND_WEIGHTS = {"air_strike": 3, "shelling": 3, "suicide_bombing": 1, "arrest": 3, "deportation": 1,
                "border_crossing": 2, "clashes": 2, "protest": 1}
KIND_COUNTRIES = {"air_strike": ("Syria", "Iraq"), "shelling": ("Syria", "Iraq"), "clashes": ("Syria", "Iraq"),
                  "deportation": ("Turkey", "Iraq", "Syria"), "border_crossing": ("Turkey",),
                  "arrest": ("Turkey", "Syria", "Iraq"), "suicide_bombing": ("Syria", "Iraq", "Turkey"),
                  "protest": ("Syria", "Iraq", "Turkey")}


def incident(seed: int | str, key: int) -> Incident:
    """Incident ``key`` of a seed's pool (each one from its own random stream)."""
    rng = random.Random(f"incident:{seed}:{key}")
    kinds = list(KIND_WEIGHTS)
    kind = rng.choices(kinds, weights=[KIND_WEIGHTS[k] for k in kinds])[0]
    towns = [p for p in PLACES if p[2] in KIND_COUNTRIES[kind]]
    town, province, country, region = rng.choice(towns)
    if kind in ("arrest", "deportation", "border_crossing"):
        count = rng.choice([rng.randint(3, 30), rng.randint(20, 90)])
    elif kind == "protest":
        count = rng.choice([rng.randint(2, 9) * 100, rng.randint(1, 5) * 1000])
    else:
        count = rng.choice([rng.randint(2, 12), rng.randint(5, 40)])
    injured = rng.randint(0, 3 * count) if kind not in ("deportation", "border_crossing", "arrest") else rng.randint(0, 5)
    # the numbers other reports give: a rising toll, a lower first estimate, a rival count
    others = sorted({max(1, count + d) for d in (rng.randint(1, 6), -rng.randint(1, 4), rng.randint(3, 10))} - {count})
    role = rng.choice(OFFICIAL_ROLES[(country, GROUP_OF[kind])])
    near = [p[0] for p in PLACES if p[2] == country and p[1] == province and p[0] != town] or \
        [p[0] for p in PLACES if p[2] == country and p[0] != town]
    facts = {"hour": rng.choice(HOURS), "district": f"{rng.choice(DISTRICTS)} {rng.choice(['district', 'neighbourhood', 'quarter'])}",
             "addresses": rng.randint(3, 40), "nationalities": " and ".join(rng.sample(NATIONALITIES, 2)),
             "near_town": rng.choice(near), "hours": rng.randint(2, 9), "weeks": rng.randint(2, 11),
             "fee": rng.choice(range(300, 3001, 100)), "buildings": rng.randint(2, 7), "k": rng.randint(1, 9),
             "earlier": rng.randint(2, 6), "ordinal": rng.choice(["second", "third", "fourth", "fifth"]), "vehicle": rng.choice(VEHICLES), "family": _person(rng).split()[1],
             "doctor": _person(rng), "village": rng.choice(VILLAGES)}
    return Incident(key, kind, town, province, country, region, START + dt.timedelta(days=rng.randrange(DAYS)),
                    _pick_actor(rng, kind, country), count, injured, rng.choice(TARGETS),
                    rng.choice(MONITORS[country]), f"{_person(rng)}, {role},", _person(rng), others, facts)


# ---------------------------------------------------------------------------------------------
# Templates. Fields: {town} {province} {country} {region} {day} (a date phrase), {n} (the count
# as this report gives it), {inj}, {actor} {actor_short}, {target}, {monitor}, {official},
# {official_name}, {witness}, {killing} (a synonym), {group}.

LEADS = {
    "air_strike": [
        "{actor_cap} struck {target} in {town}, in {region}, {day}, {killing} {n} people, {monitor} said.",
        "At least {n} civilians were {killed} {day} when {actor} bombed {target} in the town of {town} in {province} {prov_word}, according to {monitor}.",
        "Air strikes {day} on {town} in {region} {killed} {n} people and wounded {inj}, {monitor} reported.",
        "{n} people died {day} in an air raid on {target} in {town}, which {monitor} blamed on {actor}.",
        "An air strike hit {target} in {town} {day}, {killing} {n} people, among them several children, {monitor} said.",
        "Warplanes pounded {town} in {province} {prov_word} {day} and {killed} at least {n} people, {monitor} said, blaming {actor}.",
    ],
    "shelling": [
        "Shelling by {actor} {killed} {n} people in {town} {day}, {monitor} said.",
        "At least {n} people were {killed} {day} when shells fired by {actor} landed on {target} in {town}, in {region}, according to {monitor}.",
        "{actor_cap} shelled {town} in {province} {prov_word} {day}, {killing} {n} people and wounding {inj}, {monitor} said.",
        "Artillery and rocket fire on {town} {day} {killed} {n} civilians, {monitor} reported, blaming {actor}.",
        "{n} people died {day} as mortar rounds fired by {actor} hit {target} in {town}, {monitor} said.",
        "Heavy shelling of {town}, in {region}, {day} {killed} {n} people, among them women and children, {monitor} said.",
    ],
    "suicide_bombing": [
        "A suicide bomber blew himself up at {target} in {town} {day}, {killing} {n} people, {monitor} said.",
        "At least {n} people were {killed} {day} when a car bomb exploded near {target} in {town}, in {region}, according to {monitor}.",
        "A suicide attack claimed by {actor} {killed} {n} people at {target} in {town} {day}, {monitor} said.",
        "{n} people died {day} in a suicide car bombing in {town} in {province} {prov_word}, {monitor} reported.",
        "A bomber detonated an explosive vest among a crowd at {target} in {town} {day}, {killing} {n} people, according to {monitor}.",
        "Two explosions ripped through {target} in {town} {day}, {killing} at least {n} people, {monitor} said.",
    ],
    "arrest": [
        "{actor_cap} detained {n} people suspected of links to the Islamic State in raids in {town} {day}, {monitor} said.",
        "{n} suspected militants were arrested {day} in an operation by {actor} in {town}, in {region}, according to {monitor}.",
        "{actor_cap} took {n} suspects into custody in dawn raids across {town} in {province} {prov_word} {day}, {monitor} said.",
        "At least {n} people were detained {day} when {actor} raided several addresses in {town}, {monitor} reported.",
        "{actor_cap} arrested {n} people {day} in {town} over suspected ties to an armed group, {monitor} said.",
        "Security operations in {town} {day} ended with the detention of {n} suspects, {monitor} said, naming {actor} as the arresting force.",
    ],
    "deportation": [
        "{actor_cap} deported {n} foreign nationals suspected of links to the Islamic State from {town} {day}, {monitor} said.",
        "{n} people held in {town} were deported {day} to their home countries, according to {monitor}.",
        "{actor_cap} sent {n} detainees back across the border from {town} {day}, {monitor} said.",
        "At least {n} foreigners were expelled {day} by {actor} after weeks in a removal centre in {town}, in {region}, {monitor} reported.",
        "{actor_cap} handed over {n} suspected foreign fighters to their governments {day}, flying them out of {town}, {monitor} said.",
        "{n} people were deported from {town} in {province} {prov_word} {day}, {monitor} said, in the latest round of removals by {actor}.",
    ],
    "border_crossing": [
        "{actor_cap} caught {n} people trying to cross illegally into Turkey near {town} {day}, {monitor} said.",
        "{n} people were detained {day} as they crossed the border from Syria near {town}, in {region}, according to {monitor}.",
        "At least {n} migrants crossed the Syrian border into {province} {prov_word} near {town} {day} before {actor} stopped them, {monitor} said.",
        "{actor_cap} stopped {n} people who had slipped across the frontier near {town} {day}, {monitor} reported.",
        "A group of {n} people, among them suspected militants, crossed into Turkey near {town} {day} and were held by {actor}, {monitor} said.",
        "{n} people who crossed the border illegally were apprehended near {town} {day}, {monitor} said, the latest such group this month.",
    ],
    "clashes": [
        "Clashes between {actor} {killed} {n} fighters near {town} {day}, {monitor} said.",
        "At least {n} combatants were {killed} {day} in fighting between {actor} on the outskirts of {town}, in {region}, according to {monitor}.",
        "Fierce fighting between {actor} around {town} in {province} {prov_word} {day} left {n} dead, {monitor} said.",
        "{n} fighters died {day} as {actor} battled for control of villages near {town}, {monitor} reported.",
        "Heavy clashes between {actor} {killed} {n} people near {town} {day}, {monitor} said, in the worst fighting there in weeks.",
        "Fighting between {actor} near {town} {day} {killed} {n} combatants and wounded {inj}, according to {monitor}.",
    ],
    "protest": [
        "About {n} {actor} protested in {town} {day} against worsening living conditions, {monitor} said.",
        "Hundreds of {actor} rallied in the centre of {town} {day}, {monitor} said, with organisers putting the crowd at {n}.",
        "Some {n} {actor} demonstrated in {town}, in {region}, {day} to demand the release of detainees, according to {monitor}.",
        "Protesters took to the streets of {town} in {province} {prov_word} {day}; {monitor} said about {n} {actor} joined the march.",
        "A crowd of roughly {n} {actor} gathered outside the local council building in {town} {day}, {monitor} reported.",
        "About {n} {actor} marched through {town} {day} to protest against rising prices and power cuts, {monitor} said.",
    ],
}

# Detail sentences: by kind, then shared by kinds that kill (violent) or detain (custody).
DETAILS = {
    "air_strike": [
        "The strikes on {town} came {hour}, when the streets of the {district} were busy.",
        "Rescue workers dug through the rubble of {buildings} collapsed buildings in the {district} for {hours} hours.",
        "Residents of {town} said they heard the aircraft circling for several minutes before the first missile hit.",
        "Video posted online showed smoke rising over the {target_plain} in {town} and people carrying the wounded to cars.",
        "Several of the wounded were taken to {near_town} for treatment, a medic said.",
        "The raid was the {ordinal} on {town} in {weeks} weeks, residents said.",
        "A second strike hit the village of {village}, outside {town}, minutes later.",
    ],
    "shelling": [
        "The shells fell on the {district} of {town} {hour}, as families gathered indoors.",
        "Rockets continued to land on {town} for {hours} hours, residents said.",
        "A field hospital in {near_town} said it had received dozens of wounded from {town}.",
        "Schools in {town} were closed for {earlier} days after the bombardment.",
        "Shelling of {town} has intensified over the past {weeks} weeks, residents said.",
        "Several shells also hit farmland near the village of {village}.",
    ],
    "suicide_bombing": [
        "The explosion {hour} left a crater in the road and set fire to shops in the {district}.",
        "Witnesses said the attacker drove {vehicle} loaded with explosives up to the entrance.",
        "Security forces sealed off the {district} and ambulances took the wounded to {near_town}.",
        "It was the deadliest bombing in {town} in {weeks} weeks.",
        "Charred remains of {vehicle} lay across the street, a photographer in {town} said.",
        "A second device was found and defused near the {target_plain} {hours} hours later.",
    ],
    "arrest": [
        "Police searched {addresses} addresses in {town} and seized weapons, forged identity papers and phones.",
        "{earlier} of those detained in {town} had recently returned from Syria, investigators said.",
        "The suspects were taken to the security directorate in {town} for questioning.",
        "Prosecutors in {province} are expected to question the detainees over the next {earlier} days.",
        "Among those held in {town} were {nationalities} citizens.",
        "The raids in the {district} began {hour}, after an informant tipped off the authorities.",
        "Some of the suspects were caught in {near_town}, officials said.",
    ],
    "deportation": [
        "The deportees had been held in a removal centre in {town} for {weeks} weeks.",
        "Among those deported from {town} were {nationalities} citizens.",
        "Officials said {earlier} more groups would be deported from {town} once travel documents were ready.",
        "Rights groups have criticised the removals from {town}, saying some deportees risk torture at home.",
        "The deportees left {town} {hour} on {vehicle} bound for the airport.",
        "Those deported had been detained in {near_town} while trying to travel onward to Europe, officials said.",
    ],
    "border_crossing": [
        "The group had paid smugglers {fee} dollars each to guide them through the fields near {village}, officials said.",
        "Those caught near {town} were taken to a gendarmerie post for identification.",
        "Border guards fired warning shots {hour} before the group stopped, a local official said.",
        "{earlier} of the people caught near {town} were carrying forged passports.",
        "The frontier near {town} is lined with a concrete wall, but smugglers still find ways across near {village}.",
        "Officials said {earlier} of those held were {nationalities} nationals suspected of belonging to the Islamic State.",
    ],
    "clashes": [
        "The fighting near {town} began {hour} when one side attacked positions near {village}.",
        "Control of {village} changed hands twice during the day, residents of {town} said.",
        "Both sides brought in reinforcements from {near_town} as the fighting spread.",
        "Heavy machine-gun fire could be heard from the {district} of {town} for {hours} hours, residents said.",
        "The fighting forced hundreds of families from {village} to flee toward {near_town}.",
        "Commanders on both sides claimed to have inflicted heavy losses around {town}.",
    ],
    "protest": [
        "Protesters in {town} chanted slogans and carried banners denouncing the local council.",
        "The demonstration in the {district} ended peacefully {hour}.",
        "Police fired tear gas to disperse part of the crowd in {town}, witnesses said.",
        "Organisers in {town} said they would return to the streets every week until their demands were met.",
        "Shops along the main street of the {district} closed their shutters as the march passed.",
        "{earlier} protesters were briefly detained in {town}, activists said.",
    ],
}
VIOLENT_DETAILS = [
    "Hospitals in {town} and {near_town} appealed for blood donations.",
    "The death toll in {town} was expected to rise, as several of the wounded were in critical condition.",
    "Civil defence teams in {town} said they were still searching for people under the rubble of {buildings} buildings.",
    "Among the dead in {town} were at least {k} children, medics said.",
    "{inj} people were wounded in {town}, some of them seriously, {monitor_short} said.",
    "Members of the {family} family were among the dead, neighbours said.",
]
CUSTODY_DETAILS = [
    "Officials did not release the names of those held in {town}.",
    "Lawyers for some of the {town} detainees said they had not been allowed to see their clients.",
    "The authorities said the operation in {town} was part of a wider crackdown on the group's networks.",
    "Officials said the operation had been prepared for {weeks} weeks.",
]

ATTRIBUTIONS = [
    "{monitor_cap} said it had confirmed the figure for {town} through its sources on the ground.",
    "{official} said the number was based on a preliminary count from {town}.",
    "The figure from {town} could not be independently verified.",
    "{outlet} could not independently confirm the account from {town}.",
    "{official} said {n} people had been {counted} in {town} by late afternoon.",
    "According to {official_name}, the final figure for {town} could still change.",
    "{official} gave the same account of the events in {town} in a statement posted online.",
    "The report by {monitor} on {town} could not be verified, and officials did not respond to requests for comment.",
]
UPDATES = {
    "violent": ["The toll in {town} later rose to {n2}, {monitor} said in an update.",
                "An earlier count had put the number of dead in {town} at {n2}.",
                "Other sources put the death toll in {town} at {n2}.",
                "A hospital in {near_town} gave a toll of {n2}.",
                "{official_name} later said {n2} people had died in {town}."],
    "custody": ["Other sources put the number of people held in {town} at {n2}.",
                "An earlier statement had put the number held in {town} at {n2}.",
                "{official_name} later gave a figure of {n2} for {town}.",
                "Local media in {province} reported that {n2} people were held."],
    "crowd": ["Police estimated the crowd in {town} at about {n2}.",
              "Activists said as many as {n2} people took part in the {town} protest."],
}
QUOTES = {
    "violent": ['"We pulled out {k} bodies from one building in the {district} alone," said {witness}, a resident of {town}.',
                '"The aircraft came twice over {town}. The second time it hit the people who came to help," {witness} said.',
                '"There is nowhere safe left in {town}," said {witness}, whose cousin was among the dead.',
                '"This was a deliberate attack on the people of {town}," {official} said.',
                '"We have run out of beds for the wounded from {town}," {official} told {outlet}.',
                '"The children of the {family} family were on their way home," said {witness}, a neighbour.',
                '"I counted {k} ambulances in {hours} minutes," said {doctor}, a doctor in {near_town}.'],
    "custody": ['"Most of those held in {town} had been in Syria until {weeks} weeks ago," {official} said.',
                '"We will not allow {province} to be used as a transit route," {official} told reporters.',
                '"My brother was taken from his home in {town} at dawn and we have heard nothing since," said {witness}.',
                '"The investigation in {town} is continuing and more detentions are possible," {official} said.',
                '"These people paid smugglers {fee} dollars each to get to {town}," {official} said.'],
    "crowd": ['"We want our sons back and we want electricity in {town}," said {witness}, one of the organisers.',
              '"The people of {town} are not afraid any more," {witness} said as the crowd chanted.',
              '"The council in {town} must listen to the people," said {witness}, a teacher.',
              '"Nobody in the {district} is talking about security, only about bread," {official} said.'],
}
BACKGROUND = {
    "Syria": ["The war in Syria has killed hundreds of thousands of people since 2011 and displaced millions.",
              "{province} {prov_word} has changed hands several times during the conflict.",
              "Residents of {town} say the road to {near_town} has been cut for {weeks} weeks.",
              "Humanitarian agencies say access to {town} has been restricted for {weeks} weeks.",
              "{town} lies on the road that links {near_town} to the border.",
              "Thousands of families have fled {town} for {near_town} since the start of the year."],
    "Turkey": ["Turkey hosts more refugees from Syria than any other country.",
               "{town} has long been a transit point for people moving between Syria and Turkey.",
               "The authorities in {province} have detained hundreds of people in operations against the Islamic State.",
               "Ankara has built a wall along much of its border with Syria, including the stretch near {town}.",
               "Local officials in {town} say smuggling networks adapt quickly to each new barrier.",
               "Security in {town} and {near_town} was tightened after a string of attacks."],
    "Iraq": ["Iraq declared victory over the Islamic State in late 2017, but attacks by its cells continue.",
             "{province} {prov_word} was among the areas held by the Islamic State.",
             "Security forces have stepped up operations against militant cells between {town} and {near_town}.",
             "Tens of thousands of displaced people still live in camps around {town}.",
             "Rebuilding in {town} has been slow, residents say.",
             "Tensions between federal and Kurdish forces have complicated security around {town}."],
}
CLOSERS = ["No group immediately claimed responsibility for the events in {town}.",
           "{actor_short_cap} officials did not comment on the events in {town}.",
           "The situation in {town} remained tense on {pub_weekday}, residents said.",
           "It was not possible to reach officials in {town} for comment."]
HEADLINES = {
    "air_strike": ["Air strikes kill {n} in {town}", "{n} killed in air raid on {town} {target_plain}",
                   "{actor_short_cap} strikes on {town} leave {n} dead, monitor says",
                   "Air strike on {town} kills {n}, including children", "Deadly air raid hits {town}"],
    "shelling": ["Shelling kills {n} in {town}", "{n} dead as shells hit {town}",
                 "Bombardment of {town} kills {n}, monitor says", "{town}: {n} killed in shelling"],
    "suicide_bombing": ["Suicide bombing kills {n} in {town}", "{n} dead in {town} car bomb",
                        "Bomber strikes {town} {target_plain}, killing {n}", "Deadly blast hits {town}"],
    "arrest": ["{n} detained in {town} raids", "{actor_short_cap} arrest {n} Islamic State suspects in {town}",
               "Dawn raids in {town}: {n} held", "{n} suspects held in {town} operation"],
    "deportation": ["{n} deported from {town}", "{actor_short_cap} deports {n} foreign suspects",
                    "{n} foreign nationals sent home from {town}", "Deportations from {town}: {n} removed"],
    "border_crossing": ["{n} caught crossing border near {town}", "Border guards stop {n} near {town}",
                        "{n} held after illegal crossing at {town}", "Crossing near {town}: {n} detained"],
    "clashes": ["Clashes near {town} kill {n}", "{n} fighters killed in {town} fighting",
                "Fighting around {town} leaves {n} dead", "Heavy clashes near {town}"],
    "protest": ["Hundreds protest in {town}", "{town} residents rally against living conditions",
                "Protest in {town} draws about {n}", "Demonstrators march in {town}"],
}
KILLING = ["killing", "killing", "claiming the lives of"]  # the plain word twice as often
GROUP_OF = {"air_strike": "violent", "shelling": "violent", "suicide_bombing": "violent", "clashes": "violent",
            "arrest": "custody", "deportation": "custody", "border_crossing": "custody", "protest": "crowd"}
COUNTED = {"violent": "confirmed dead", "custody": "taken into custody", "crowd": "counted in the square"}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _date_phrase(rng: random.Random, day: dt.date, published: dt.date) -> str:
    weekday, month_day = WEEKDAYS[day.weekday()], f"{MONTHS[day.month - 1]} {day.day}"
    if day == published and rng.random() < 0.4:
        return rng.choice(["on " + weekday, "today"]) if rng.random() < 0.8 else "on " + weekday
    if (published - day).days <= 3 and rng.random() < 0.3:
        return "on " + weekday
    if day.year != published.year or rng.random() < 0.3:
        return f"on {month_day}, {day.year}"
    return rng.choice([f"on {month_day}", f"on {weekday}, {month_day}"])


def _fill(template: str, values: dict) -> str:
    return template.format(**values)


def article(seed: int | str, index: int, inc: Incident) -> dict:
    """Article ``index`` of a seed: one report of incident ``inc`` by one outlet."""
    rng = random.Random(f"article:{seed}:{index}")
    foci = [o for o in OUTLETS if o[3] in (None, inc.country)]
    name, domain, short, _focus, bylines = rng.choice(foci)
    published = inc.day + dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 3]))
    group = GROUP_OF[inc.kind]
    # the count this report gives: usually the incident's, sometimes another estimate
    n = inc.count if rng.random() < 0.6 or not inc.other_counts else rng.choice(inc.other_counts)
    n2 = rng.choice([c for c in inc.other_counts + [inc.count] if c != n] or [n + 2])
    official_name = inc.official.split(",")[0]
    monitor_short = inc.monitor.removeprefix("the ")
    values = {
        **inc.facts,
        "town": inc.town, "province": inc.province, "country": inc.country, "region": inc.region,
        "prov_word": rng.choice(PROVINCE_WORD[inc.country]),
        "day": _date_phrase(rng, inc.day, published), "n": n, "n2": n2, "inj": inc.injured or rng.randint(2, 9),
        "actor": inc.actor[0], "actor_cap": _cap(inc.actor[0]), "actor_short": inc.actor[1],
        "actor_short_cap": _cap(inc.actor[1]), "target": inc.target,
        "target_plain": inc.target.split(" ", 1)[1], "monitor": inc.monitor, "monitor_cap": _cap(inc.monitor),
        "monitor_short": monitor_short, "official": inc.official, "official_name": official_name,
        "witness": inc.witness if rng.random() < 0.7 else _person(rng), "outlet": name,
        "killed": "killed", "killing": rng.choice(KILLING), "counted": COUNTED[group], "pub_weekday": WEEKDAYS[published.weekday()],
    }
    lead = _fill(rng.choice(LEADS[inc.kind]), values)
    if short and rng.random() < 0.85:
        lead = f"{rng.choice(BUREAUS[inc.country])}, {MONTHS[published.month - 1]} {published.day} ({short}) - " + lead
    elif rng.random() < 0.5:
        lead = f"{inc.town.upper()} - " + lead
    pool = [_fill(t, values) for t in rng.sample(DETAILS[inc.kind], rng.randint(4, 6))]
    extra = {"violent": VIOLENT_DETAILS, "custody": CUSTODY_DETAILS}.get(group, [])
    pool += [_fill(t, values) for t in rng.sample(extra, min(len(extra), rng.randint(1, 2)))]
    pool += [_fill(t, values) for t in rng.sample(ATTRIBUTIONS, rng.randint(1, 3))]
    pool += [_fill(t, values) for t in rng.sample(QUOTES[group], rng.randint(1, 2))]
    if rng.random() < 0.45:
        pool.append(_fill(rng.choice(UPDATES[group]), values))
    rng.shuffle(pool)
    background = [_fill(t, values) for t in rng.sample(BACKGROUND[inc.country], rng.randint(2, 4))]
    body = [lead] + pool + background
    if rng.random() < 0.5:
        body.append(_fill(rng.choice(CLOSERS), values))
    # paragraphs of one to three sentences, as in wire copy
    paragraphs, i = [], 0
    while i < len(body):
        step = 1 if i == 0 else rng.choice([1, 1, 2, 2, 3])
        paragraphs.append(" ".join(body[i:i + step]))
        i += step
    title = _fill(rng.choice(HEADLINES[inc.kind]), {**values, "n": n})
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    out = {"title": title, "text": "\n\n".join(paragraphs),
           "url": f"https://www.{domain}/{published:%Y/%m/%d}/{slug}-{index}",
           "source": name, "published": published.isoformat(), "language": "en"}
    if bylines and rng.random() < 0.8:
        staff = random.Random(f"staff:{name}")  # three regular reporters per outlet, and occasional others
        regulars = [f"{staff.choice(REPORTER_FIRST)} {staff.choice(REPORTER_LAST)}" for _ in range(3)]
        out["author"] = rng.choice(regulars) if rng.random() < 0.7 else \
            f"{rng.choice(REPORTER_FIRST)} {rng.choice(REPORTER_LAST)}"
    out["incident"] = inc.key  # for tests and checks; the reader ignores unknown fields
    return out


def pool_size(n: int) -> int:
    return max(1, n // 4)


def generate(n: int, seed: int = 1, start: int = 0, pool: int | None = None, fresh: float = 0.0) -> Iterator[dict]:
    """Articles ``start .. start+n-1`` of ``seed``, about a pool of ``pool`` incidents (default
    ``pool_size(n)``); a share ``fresh`` of them is about incidents outside the pool (keys from
    ``pool`` on, never used by a build of ``pool_size`` incidents)."""
    pool = pool or pool_size(n)
    seen: set[bytes] = set()
    for index in range(start, start + n):
        rng = random.Random(f"pick:{seed}:{index}")
        key = pool + 1_000_000 + index if rng.random() < fresh else rng.randrange(pool)
        item = article(seed, index, incident(seed, key))
        h = hashlib.sha1(item["text"].encode()).digest()
        bump = 0
        while h in seen:  # two identical texts are vanishingly rare; give the second another draw
            bump += 1
            item = article(f"{seed}+{bump}", index, incident(seed, key))
            h = hashlib.sha1(item["text"].encode()).digest()
        seen.add(h)
        yield item


def write(items, out: Path) -> int:
    count = 0
    with open(out, "w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
            count += 1
    return count


def near_duplicates(texts: list[str]) -> int:
    """How many texts have a near-duplicate (the ingest stage's MinHash test, Jaccard >= 0.5)
    among the others."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from newsgraph import settings
    from newsgraph.pipeline.prepare import lsh_keys, minhash, similarity

    threshold = settings.get("near_duplicate_threshold")
    buckets: dict = {}
    sigs = []
    flagged = set()
    for i, text in enumerate(texts):
        sig = minhash(text)
        sigs.append(sig)
        candidates = set()
        for key in lsh_keys(sig):
            candidates.update(buckets.setdefault(key, []))
            buckets[key].append(i)
        for j in candidates:
            if similarity(sig, sigs[j]) >= threshold:
                flagged.update((i, j))
    return len(flagged)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of articles")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="index of the first article (another range of one seed "
                                                         "gives other articles about the same incidents)")
    ap.add_argument("--pool", type=int, default=None, help="incidents in the pool (default n/4)")
    ap.add_argument("--fresh", type=float, default=0.0, help="share of articles about incidents outside the pool")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--check", action="store_true", help="count distinct texts and near-duplicates (slow for large n)")
    args = ap.parse_args(argv)
    items = list(generate(args.n, args.seed, args.start, args.pool, args.fresh))
    write(items, args.out)
    texts = [a["text"] for a in items]
    words = sorted(len(t.split()) for t in texts)
    print(f"wrote {len(items)} articles about {len({a['incident'] for a in items})} incidents to {args.out}; "
          f"{len(set(texts))} distinct texts; words per article min {words[0]}, median {words[len(words) // 2]}, "
          f"max {words[-1]}")
    if args.check:
        dups = near_duplicates(texts)
        print(f"{len(items) - dups} of {len(items)} articles have no near-duplicate (MinHash Jaccard >= 0.5); "
              f"{dups} would be linked as near-duplicates")


if __name__ == "__main__":
    main()
