"""Entity mentions of one document.

``extract_entities(doc)`` turns a Doc parsed by ``load_nlp()`` (whose ``newsgraph_entities``
component has already corrected ``doc.ents``) into ``EntityMention`` records: our label, the
character span, the sentence, the canonical name (alias table, extra places, or the full
name given earlier in the document) and the attributes stated next to a person.

Labels: PERSON, ORG, GROUP (armed / terrorist / militant group), PLACE, NORP (nationality,
religious or political group), FACILITY, EVENT, MISC.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from newsgraph.extraction.entities_resolve import attributes_for, resolve_canonicals
from newsgraph.extraction.entities_cand import OUR_LABELS
from newsgraph.extraction.entities_rules import DONE_FLAG

LABELS = OUR_LABELS


@dataclass(frozen=True)
class EntityMention:
    text: str
    start: int                  # character offsets in doc.text
    end: int
    label: str                  # one of LABELS
    canonical: str              # "Bozkurt" -> "Abdullah Bozkurt"; "Daesh" -> "Islamic State"
    alias_id: str | None        # id in aliases.toml ("islamic_state") when matched
    sentence_start: int         # character span of the sentence
    sentence_end: int
    attributes: dict = field(default_factory=dict, hash=False, compare=False)


def extract_entities(doc: Doc) -> list[EntityMention]:
    """Entity mentions of ``doc`` in text order (see the module docstring)."""
    if not doc.user_data.get(DONE_FLAG):
        # not parsed by load_nlp(): parse the same text with it (character offsets are the same)
        from newsgraph.extraction.nlp import load_nlp

        doc = load_nlp()(doc.text)
    ents = [e for e in doc.ents if e.label_ in OUR_LABELS]
    canonicals = resolve_canonicals(doc, ents)
    out = []
    for ent, (canonical, alias_id) in zip(ents, canonicals):
        sent = ent[0].sent
        out.append(EntityMention(
            text=ent.text, start=ent.start_char, end=ent.end_char, label=ent.label_,
            canonical=canonical, alias_id=alias_id,
            sentence_start=sent.start_char, sentence_end=sent.end_char,
            attributes=attributes_for(doc, ent) if ent.label_ == "PERSON" else {},
        ))
    return out
