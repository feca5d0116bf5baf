"""Text helpers for pages: evidence sentences in their context, and highlight marks.

Marks are [start, end] character offsets; ``segments`` turns a text and its marks into plain
pieces that templates print escaped (``{{ piece.text }}`` inside ``<mark>`` or not), so article
text never becomes markup.
"""
from __future__ import annotations

import re


def locate(text: str, sentence: str, start: int | None, end: int | None) -> tuple[int, int]:
    """Where ``sentence`` sits in ``text``, near ``start`` (evidence spans are sometimes the whole
    sentence, sometimes only the claim inside it)."""
    start = start or 0
    end = end if end is not None else start
    core = (sentence or "").strip()
    if core and text[start:end].strip() == core:
        return start, end
    if core:
        at = text.find(core, max(0, start - len(core)))
        if at < 0:
            at = text.find(core)
        if at >= 0:
            return at, at + len(core)
    return start, max(start, end)


def _trim_left(s: str) -> str:
    cut = s.find(" ")
    return s[cut + 1:] if 0 <= cut < 30 else s


def _trim_right(s: str) -> str:
    cut = s.rfind(" ")
    return s[:cut] if cut > len(s) - 30 else s


def in_context(text: str, sentence: str, start: int | None, end: int | None, width: int = 160,
               terms: list[str] = (), spans: list[tuple[int, int]] = ()) -> dict:
    """{before, sentence, after, marks}: the evidence sentence with up to ``width`` characters around
    it; marks (relative to the sentence) cover the claim/trigger ``spans`` (absolute offsets) and
    every occurrence of ``terms``."""
    if not text:
        return {"before": "", "sentence": sentence or "", "after": "", "marks": term_marks(sentence or "", terms)}
    s0, s1 = locate(text, sentence, start, end)
    before = text[max(0, s0 - width):s0]
    after = text[s1:s1 + width]
    if s0 > width:
        before = "…" + _trim_left(before)
    if s1 + width < len(text):
        after = _trim_right(after) + "…"
    body = text[s0:s1]
    marks = [[a - s0, b - s0] for a, b in spans if a is not None and b is not None and s0 <= a < b <= s1
             and (a, b) != (s0, s1)]
    return {"before": before, "sentence": body, "after": after, "marks": merge_marks(marks + term_marks(body, terms))}


def term_marks(text: str, terms) -> list[list[int]]:
    marks = []
    for term in {t.strip() for t in terms if t and len(t.strip()) >= 2}:
        for m in re.finditer(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text):
            marks.append([m.start(), m.end()])
    return merge_marks(marks)


def merge_marks(marks) -> list[list[int]]:
    out: list[list[int]] = []
    for a, b in sorted(marks):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def segments(text: str, marks, labels=None) -> list[dict]:
    """[{text, mark (bool), label, href}] covering ``text``; marks may carry a label and href
    through ``labels`` (a list parallel to ``marks`` of dicts)."""
    out, pos = [], 0
    labels = labels or [{}] * len(marks)
    for (a, b), extra in sorted(zip(marks, labels), key=lambda x: (x[0][0], -x[0][1])):
        if a < pos or b <= a:
            continue
        if a > pos:
            out.append({"text": text[pos:a], "mark": False})
        out.append({"text": text[a:b], "mark": True, **extra})
        pos = b
    if pos < len(text):
        out.append({"text": text[pos:], "mark": False})
    return out


def anchor(text: str, sentence: str, start: int | None, end: int | None) -> str:
    """The fragment id of an evidence sentence on its document page: ``c-START-END``, the
    sentence's character span in the clean text (the same for every record that cites it)."""
    s0, s1 = locate(text, sentence, start, end)
    return f"c-{s0}-{s1}"


def blocks(text: str, spans: list[dict], marks, labels) -> list[dict]:
    """The document text cut into blocks for the page: plain ones, and sentence ones (a sentence
    something links to: ``{id, anchors, cites, pieces}``, ``cites`` the records citing it, empty for
    a sentence only linked to) where ``spans`` are {start, end, anchor, href, label}. Overlapping sentences share one block (each anchor id
    stays reachable); ``pieces`` are the mention ``segments`` inside each block."""
    groups: list[dict] = []
    for sp in sorted(spans, key=lambda x: (x["start"], -x["end"])):
        if groups and sp["start"] < groups[-1]["end"]:
            g = groups[-1]
            g["end"] = max(g["end"], sp["end"])
        else:
            g = {"start": sp["start"], "end": sp["end"], "anchors": [], "cites": []}
            groups.append(g)
        if sp["anchor"] not in g["anchors"]:
            g["anchors"].append(sp["anchor"])
        cite = {"href": sp["href"], "label": sp["label"]}
        if sp.get("href") and cite not in g["cites"]:
            g["cites"].append(cite)
    out, pos = [], 0

    def cut(a: int, b: int) -> list[dict]:
        inside = [(m, lab) for m, lab in zip(marks, labels) if a <= m[0] and m[1] <= b]
        return segments(text[a:b], [[m[0] - a, m[1] - a] for m, _ in inside], [lab for _, lab in inside])

    for g in groups:
        if g["start"] > pos:
            out.append({"evidence": False, "pieces": cut(pos, g["start"])})
        out.append({"evidence": True, "id": g["anchors"][0], "anchors": g["anchors"][1:], "cites": g["cites"],
                    "pieces": cut(g["start"], g["end"])})
        pos = g["end"]
    if pos < len(text):
        out.append({"evidence": False, "pieces": cut(pos, len(text))})
    return out
