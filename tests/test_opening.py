"""The opening of one-line article texts: publication date, headline, agency credit, dateline,
and furniture runs inside a line. Sentences written for these tests."""
from __future__ import annotations

import pytest

from newsgraph.cleaning.text import clean_text


@pytest.mark.parametrize("opening, iso", [
    ("Tue 07 Mar 2023", "2023-03-07"),
    ("Date of publication 4 December 2022", "2022-12-04"),
    ("Published January 9 2021", "2021-01-09"),
    ("12.05.2019", "2019-05-12"),
    ("3-11-2020", "2020-11-03"),
    ("Last updated at Jun 042018", "2018-06-04"),
    ("Friday, 14 October 2016 09:41", "2016-10-14"),
    ("Posted on May 2 2019 by Levant Ledger", "2019-05-02"),
])
def test_publication_date_forms_at_the_start(opening: str, iso: str) -> None:
    cleaned = clean_text(f"{opening} Rebels shelled a market in the north of the province on Monday, "
                         "officials said, and two shops burned.")
    assert cleaned.published is not None and cleaned.published.value == iso
    assert cleaned.text.startswith("Rebels shelled a market")
    assert [r.kind for r in cleaned.removed] == ["dateline"]


def test_a_date_inside_a_sentence_is_not_a_publication_date() -> None:
    cleaned = clean_text("Two men were detained on Sunday 5 March 2023 near the crossing, the governor said.")
    assert cleaned.published is None
    assert cleaned.text.startswith("Two men were detained")


def test_a_standfirst_before_the_agency_byline_stays_text() -> None:
    title = "Car bomb kills nine near river town"
    text = (f"{title} State television says at least nine people were killed when a car bomb went off near "
            "the market of the river town the third blast there this month AFP Tuesday 14 Mar 2023 "
            "A car bomb killed nine people near the market on Tuesday, officials said.")
    cleaned = clean_text(text, title=title)
    assert cleaned.published.value == "2023-03-14"
    assert [(r.kind, r.text) for r in cleaned.removed] == [("title", title), ("credit", "AFP"),
                                                          ("dateline", "Tuesday 14 Mar 2023")]
    assert cleaned.text.startswith("State television says at least nine people")


def test_section_labels_and_a_time_between_the_title_and_a_numeric_date() -> None:
    title = "Rockets hit the river town"
    text = (f"{title} - Reports Levant Ledger Jane Roe Middle East 1432 14.03.2023(updated 1510 14.03.2023) "
            "Rockets hit the river town on Tuesday, officials said.")
    cleaned = clean_text(text, title=title)
    assert cleaned.published.value == "2023-03-14"
    assert cleaned.text.startswith("Rockets hit the river town on Tuesday")


def test_headline_agency_and_date_then_the_body() -> None:
    text = ("Mortar fire kills six in river town monitor AFP Sunday 12 Mar 2023 Mortar fire killed six people "
            "in the river town on Sunday, a monitor said.")
    cleaned = clean_text(text)
    assert cleaned.published.value == "2023-03-12"
    assert cleaned.title == "Mortar fire kills six in river town monitor"
    assert [c.name for c in cleaned.credits] == ["AFP"]
    assert cleaned.text == "Mortar fire killed six people in the river town on Sunday, a monitor said."


def test_known_title_repeated_after_the_date_is_removed() -> None:
    text = "02-04-2021 Convoy hit near the dam. A convoy was hit near the dam on Friday."
    cleaned = clean_text(text, title="Convoy hit near the dam")
    assert cleaned.text == "A convoy was hit near the dam on Friday."
    assert [(r.kind, r.text) for r in cleaned.removed] == [("dateline", "02-04-2021"),
                                                           ("title", "Convoy hit near the dam.")]


@pytest.mark.parametrize("line, place, agency", [
    ("AMMAN, Jan 4 (Reuters) - Shelling hit a village near the border on Tuesday.", "Amman", "Reuters"),
    ("MOSCOW (Sputnik) — Shelling hit a village near the border on Tuesday.", "Moscow", "Sputnik"),
    ("Homs SANA- Shelling hit a village near the border on Tuesday.", "Homs", "SANA"),
])
def test_dateline_place_and_agency_are_recorded_and_leave_the_text(line: str, place: str, agency: str) -> None:
    cleaned = clean_text(line)
    assert cleaned.text == "Shelling hit a village near the border on Tuesday."
    assert cleaned.dateline_place == place
    assert [(c.name, c.how, c.place) for c in cleaned.credits] == [(agency, "dateline", place)]


def test_a_sentence_about_an_agency_is_not_a_dateline() -> None:
    cleaned = clean_text("Reuters reported that the bridge was closed on Monday after the shelling.")
    assert cleaned.text.startswith("Reuters reported")
    assert cleaned.credits == []


def test_tag_list_inside_a_line_ends_where_the_sentence_starts() -> None:
    text = ("12 May 2022 Aid trucks crossed at dawn. Tags Northern Syria aid convoy Bab al-Hawa UN "
            "The trucks carried flour and medicine to the camps, the agency said.")
    cleaned = clean_text(text)
    assert cleaned.text == ("Aid trucks crossed at dawn.\n\nThe trucks carried flour and medicine to the camps, "
                            "the agency said.")
    assert ("tags", "Tags Northern Syria aid convoy Bab al-Hawa UN") in [(r.kind, r.text) for r in cleaned.removed]


def test_furniture_runs_inside_a_line() -> None:
    text = ("Fighting resumed near the airport (Photo by Jane Roe / Levant Ledger) on Friday. Get short URL 0 12 "
            "Residents fled east. Reporting by John Doe; Editing by Mary Major Read Also")
    cleaned = clean_text(text)
    kinds = [r.kind for r in cleaned.removed]
    assert kinds == ["photo_credit", "share_prompt", "staff_credit", "headline_list"]
    assert "Get short URL" not in cleaned.text and "Read Also" not in cleaned.text
    assert "Photo by" not in cleaned.text


def test_agency_sign_off_is_a_credit() -> None:
    cleaned = clean_text("Two bridges were closed after the floods, the ministry said on Sunday. - AFP")
    assert cleaned.text == "Two bridges were closed after the floods, the ministry said on Sunday."
    assert [c.name for c in cleaned.credits] == ["AFP"]


def test_related_is_only_furniture_as_a_label() -> None:
    text = "The related attack on the depot killed four guards, a spokesman said on Monday."
    assert clean_text(text).text == text


def test_an_agency_name_inside_a_word_is_no_dateline() -> None:
    # "ria" inside "Syria" and a "-based" compound opening the text
    cleaned = clean_text("Syria-based militants shelled a village near the border on Tuesday.")
    assert cleaned.text.startswith("Syria-based militants")
    assert cleaned.dateline_place is None and cleaned.credits == []


def test_the_lines_under_a_headlines_label_are_other_stories() -> None:
    text = ("Shelling hit a village near the border on Tuesday, officials said.\n\n"
            "Latest headlines\n- Farmers protest fuel prices in the north\n- New water station opens in the east\n"
            "- Mine clearance: 300 devices removed in a week\n\n"
            "The reporter can be reached at the desk.\n")
    cleaned = clean_text(text)
    assert "Farmers protest" not in cleaned.text and "water station" not in cleaned.text
    assert [r.kind for r in cleaned.removed][:4] == ["headline_list"] * 4
    assert cleaned.text.startswith("Shelling hit a village") and "reached at the desk." in cleaned.text
