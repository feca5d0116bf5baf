"""Places a sentence names that are not where its event happened.

``not_event_place(resolution, text)`` says why a resolved literal place mention cannot be an
event's place, or returns None. News names many places that are no location of the incident:

* a dateline ("WASHINGTON (Reuters) -", "Aleppo, SANA -"): where the copy was filed;
* an organisation's base ("the London-based monitor", "a charity based in Germany") or backer ("the US-led coalition");
* a place inside an actor's name or title ("the Damascus government", "Aleppo Media Center",
  "Islamic State of Iraq and the Levant", "al-Qaeda's branch in the Levant");
* a legal note on a group ("banned in Russia");
* a party to a deal ("a deal involving Iran and Russia");
* a border named as a direction ("near the border with Jordan", "on the Turkey border").

Cue lists are data: ``[event_place]`` in data/geo_cues.toml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .model import Resolution
from .resources import agency_names, cues


def _alts(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


class _Rules:
    def __init__(self) -> None:
        c = cues()["event_place"]
        agencies = _alts(sorted(agency_names()))
        # a place in capitals (maybe ", STATE") then "(Agency)" or a dash; or any place then
        # "(Agency)" / ", Agency -" ("Aleppo, SANA -")
        self.dateline_caps = re.compile(r"^(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*(?:\(|—|–|--|-\s|:\s)")
        self.dateline_agency = re.compile(rf"^(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?,?\s*(?:\(\s*(?:{agencies})\s*\)"
                                          rf"|(?:{agencies})\s*(?:—|–|--|-|:))")
        self.base = re.compile(rf"^(?:{_alts(c['after_base'])})\b", re.IGNORECASE)
        self.base_before = re.compile(rf"\b(?:{_alts(c['before_base'])})\s+(?:the\s+)?$", re.IGNORECASE)
        # "-led" right after the place, or after a chain of names ("US-Russian brokered", "Iran-Russia-backed")
        backer = _alts([w.lstrip("-") for w in c["after_backer"]])
        spaced = _alts(c["after_backer_spaced"])   # "US led" where the hyphen was lost
        self.backer = re.compile(rf"^(?:[-–/][A-Z][\w'’]*)*(?:[-–](?:{backer})|\s(?:{spaced}))\b")
        self.actor = re.compile(rf"^\s+(?:{_alts(c['after_actor'])})\b", re.IGNORECASE)
        self.owner = re.compile(rf"^\s+(?:{_alts(c['after_owner'])})\b", re.IGNORECASE)
        self.legal = re.compile(rf"\b(?:{_alts(c['before_legal'])})\s+(?:the\s+)?$", re.IGNORECASE)
        self.branch = re.compile(rf"\b(?:{_alts(c['before_branch'])})\s+(?:the\s+)?$", re.IGNORECASE)
        # "a deal involving Iran and" + Russia: up to three coordinated names between cue and place
        names = r"(?:(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}\s*(?:,|\band\b)\s*){0,3}"
        self.deal = re.compile(rf"\b(?:{_alts(c['deal_words'])})\b[^.;:]{{0,50}}?\b(?:{_alts(c['deal_parties'])})"
                               rf"\s+{names}(?:the\s+)?$", re.IGNORECASE)
        self.border_before = re.compile(rf"\b(?:{_alts(c['before_border'])})\s+{names}(?:the\s+)?$", re.IGNORECASE)
        self.border_after = re.compile(rf"^(?:[-–][A-Z][\w'’]*)?\s*(?:{_alts(c['after_border'])})\b", re.IGNORECASE)
        self.groups = re.compile(rf"\b(?:{_alts(c['group_names'])})\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    return _Rules()


def _caps(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def not_event_place(r: Resolution, text: str) -> str | None:
    """Why the place mention ``r`` is no event's place ("dateline", "agency", "base", "backer",
    "actor name", "legal note", "deal party", "border direction"), or None."""
    rules = _rules()
    m = r.mention
    name = m.text[:-2] if m.text.endswith(("'s", "’s")) else m.text
    end = m.start + len(name)
    after = text[end: end + 60]
    before = text[max(m.sentence_start, m.start - 120): m.start]
    if name.strip() in agency_names():
        return "agency"
    if rules.dateline_agency.match(after) or (_caps(name) and rules.dateline_caps.match(after)
                                              and _line_opening(text, m.start)):
        return "dateline"
    if rules.base.match(after) or rules.base_before.search(before):
        return "base"
    if rules.backer.match(after):
        return "backer"
    if r.place is not None and r.place.feature == "country" and rules.owner.match(after):
        return "actor name"
    if m.label == "ORG-embedded" or rules.actor.match(after) or _inside_group_name(text, m.start, end):
        return "actor name"
    if rules.branch.search(before):
        return "actor name"
    if rules.legal.search(before):
        return "legal note"
    if rules.deal.search(before):
        return "deal party"
    if rules.border_before.search(before) or rules.border_after.match(after):
        return "border direction"
    return None


def _line_opening(text: str, start: int) -> bool:
    """A dateline in capitals opens the text or a line, or follows a sentence or a headline."""
    prev = text[:start].rstrip()
    return not prev or prev[-1] in ".!?:\"”" or "\n" in text[len(prev):start] or _after_title(text, start)


def _after_title(text: str, start: int) -> bool:
    """A capitalised headline run right before the dateline ("... in Hama Province WASHINGTON")."""
    words = text[max(0, start - 80): start].split()[-4:]
    return len(words) >= 2 and all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def _inside_group_name(text: str, start: int, end: int) -> bool:
    lo = max(0, start - 60)
    for g in _rules().groups.finditer(text, lo, min(len(text), end + 60)):
        if g.start() <= start and end <= g.end():
            return True
    return False
