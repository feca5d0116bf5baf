"""The working record of the entity rules: a candidate span, and the document context."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from newsgraph.extraction import entities_text as tx

OUR_LABELS = ("PERSON", "ORG", "GROUP", "PLACE", "NORP", "FACILITY", "EVENT", "MISC")
NAME_LABELS = {"PERSON", "ORG", "GROUP", "PLACE", "NORP", "FACILITY"}


@dataclass
class Cand:
    start: int
    end: int
    label: str
    id: str = ""
    source: str = "model"      # model | alias | rule


def rule_cand(start: int, end: int, label: str) -> Cand:
    return Cand(start, end, label, "", "rule")


def covered(cands: list[Cand]) -> set[int]:
    return {i for c in cands for i in range(c.start, c.end)}


class Context:
    """Segments (sentences cut at line breaks) and per-segment facts of one Doc."""

    def __init__(self, doc: Doc):
        self.segs = tx.segments(doc)
        self.seg_of = tx.segment_index(doc, self.segs)
        self.doc = doc
        self._title: dict[int, bool] = {}

    def seg(self, i: int) -> tuple[int, int]:
        n = self.seg_of[i]
        return self.segs[n] if n >= 0 else (i, i + 1)

    def title_case(self, i: int) -> bool:
        """Is token i in a headline written in title case ("ISIS Militants and Commanders Flee")?"""
        n = self.seg_of[i]
        if n < 0:
            return False
        if n not in self._title:
            start, end = self.segs[n]
            words = [t for t in self.doc[start:end] if t.is_alpha and len(t) > 3]
            self._title[n] = len(words) >= 3 and all(t.text[0].isupper() for t in words) and not all(
                t.is_upper for t in words)
        return self._title[n]

    def seg_start(self, i: int) -> bool:
        return self.seg_of[i] >= 0 and self.segs[self.seg_of[i]][0] == i
