"""Cleaning of plain article text, line by line.

Removes page furniture (navigation, paywall notices, share prompts, disclaimers, lists of
other headlines, author bios), paragraphs repeated inside the article, and keeps reader
comments apart. The clean text is made of exact substrings of the input, so a map of
segments leads every clean offset back to its raw offset. What was removed is kept, with
its kind and the reason, for the analyst to see.
"""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from newsgraph.cleaning.opening import Piece, inline_furniture, inline_rules, opening
from newsgraph.cleaning.textmeta import PublishedDate, parse_byline, parse_date, parse_dateline

TERMINAL = ".!?:;\"”’)…»"


@dataclass(frozen=True)
class Removed:
    start: int  # raw offsets
    end: int
    kind: str
    reason: str
    text: str


@dataclass(frozen=True)
class Comment:
    author: str | None
    date: str | None
    text: str
    start: int  # raw offsets of the comment's text
    end: int


@dataclass(frozen=True)
class Credit:
    name: str
    evidence: str
    start: int
    end: int
    how: str = "credit line"
    place: str | None = None      # the place of reporting, for a dateline


@dataclass
class CleanText:
    text: str
    offset_map: list[tuple[int, int, int]]  # (clean_start, raw_start, length), sorted
    removed: list[Removed] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    source: str | None = None
    published: PublishedDate | None = None
    dateline_place: str | None = None

    def to_raw(self, clean_offset: int) -> int:
        """The raw offset of a clean-text offset."""
        return to_raw(self.offset_map, clean_offset)


def to_raw(offset_map: list[tuple[int, int, int]] | list[list[int]], clean_offset: int) -> int:
    if not offset_map:
        return clean_offset
    starts = [seg[0] for seg in offset_map]
    i = max(bisect_right(starts, clean_offset) - 1, 0)
    clean_start, raw_start, length = offset_map[i]
    return raw_start + min(clean_offset - clean_start, length)


@dataclass(frozen=True)
class Rule:
    kind: str
    reason: str
    pattern: re.Pattern
    max_words: int


@dataclass(frozen=True)
class CreditRule:
    pattern: re.Pattern
    remove: bool


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[Rule, ...], tuple[CreditRule, ...]]:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("furniture.toml").read_text("utf-8"))
    rules = tuple(
        Rule(r["kind"], r["reason"], re.compile(r["pattern"], re.I), int(r.get("max_words", 1000)))
        for r in data["rule"]
    )
    credits = tuple(CreditRule(re.compile(c["pattern"], re.I), bool(c.get("remove", True))) for c in data["credit"])
    return rules, credits


@dataclass
class _Line:
    start: int
    end: int
    text: str
    kind: str = "body"
    reason: str = ""
    fragment: bool = False      # a piece of a longer line (see _split), never a headline by itself

    @property
    def words(self) -> int:
        return len(self.text.split())


def _lines(raw: str) -> list[_Line]:
    out = []
    for m in re.finditer(r"[^\n]+", raw):
        text = m.group()
        stripped = text.strip()
        if not stripped:
            continue
        lead = len(text) - len(text.lstrip())
        start = m.start() + lead
        out.append(_Line(start, start + len(stripped), stripped))
    return out


def _is_headline(line: _Line) -> bool:
    words = line.text.split()
    text = line.text.rstrip(".…") if line.text.endswith(("...", "…")) else line.text
    if not text or not 1 <= len(words) <= 16 or text[-1] in ".,;:":
        return False
    long_words = [w for w in words if len(w) > 3]
    capitalised = [w for w in long_words if w[0].isupper() or w[0] in "\"“'‘" or w[0].isdigit()]
    return bool(long_words) and len(capitalised) / len(long_words) >= 0.5


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _classify(lines: list[_Line], result: CleanText) -> None:
    rules, credit_rules = _rules()
    in_comments = False
    for line in lines:
        for credit in credit_rules:
            m = credit.pattern.search(line.text)
            if m:
                name = m.group("name").strip().strip("\"“”'’ ")
                result.credits.append(Credit(name, line.text, line.start, line.end))
                if credit.remove and line.words <= 40:
                    line.kind, line.reason = "credit", f"credits {name} as the original publisher"
                break
        if line.kind != "body":
            continue
        if in_comments:
            line.kind = "comment"
        for rule in rules:
            if line.words <= rule.max_words and rule.pattern.search(line.text):
                line.kind, line.reason = rule.kind, rule.reason
                break
        if line.kind == "comments_header":
            in_comments = True


def _metadata(lines: list[_Line], result: CleanText) -> None:
    """Byline, datelines and the title; the lines that carry them leave the body."""
    body = [ln for ln in lines if ln.kind == "body"]
    # Datelines at the top (first six body lines) or a signature at the very end.
    candidates = body[:6] + body[-2:]
    for line in candidates:
        if line.kind != "body":
            continue
        author = parse_byline(line.text)
        if author and result.author is None:
            result.author = author
            line.kind, line.reason = "byline", f"byline: author {author}"
            continue
        dateline = parse_dateline(line.text)
        if dateline:
            line.kind, line.reason = "dateline", f"dateline: {dateline.date.value}"
            if result.published is None:
                result.published = dateline.date
            if dateline.source and result.source is None:
                result.source = dateline.source
    body = [ln for ln in lines if ln.kind == "body"]
    # Masthead: the outlet's name on top of the page, before the headline.
    while len(body) > 1 and body[0].words <= 4 and (
        (result.source and _norm(result.source) in _norm(body[0].text))
        or (body[0].text.isupper() and len(body[0].text) > 3)
    ):
        body[0].kind, body[0].reason = "masthead", "outlet name on top of the page"
        if result.source is None:
            name = body[0].text.split("|")[0].strip()
            result.source = name.title() if name.isupper() else name
        body = body[1:]
    if len(body) > 1 and not body[0].fragment and body[0].words <= 20 and body[0].text[-1] not in ".,;:":
        body[0].kind, body[0].reason = "title", "headline, stored as the title"
        result.title = body[0].text
        # A one-to-three-word kicker right under the title is a section label.
        if len(body) > 2 and body[1].words <= 3 and _is_headline(body[1]) and body[2].words > 12:
            body[1].kind, body[1].reason = "label", "section or category label under the title"


def _bios_and_lists(lines: list[_Line], result: CleanText) -> None:
    body_idx = [i for i, ln in enumerate(lines) if ln.kind == "body"]
    if not body_idx:
        return
    # Author bio near the end: "<Author> is a ... correspondent".
    names = [result.author] if result.author else []
    job = r"(correspondent|journalist|editor|writer|reporter|analyst|researcher|author|columnist|contributor|fellow|commentator|scholar|specialist)"
    tail = body_idx[int(len(body_idx) * 0.6):]
    for i in tail:
        line = lines[i]
        starts_with_author = any(line.text.startswith(n + " is ") for n in names)
        generic = re.match(r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3} is an? [^.]{0,120}\b" + job + r"\b", line.text)
        if starts_with_author or generic:
            line.kind, line.reason = "author_bio", "author biography"
    # Tag lists: "ISIS, Islamic State, Turkey, Recep Tayyip Erdoğan".
    for i in body_idx:
        items = [it.strip() for it in lines[i].text.split(",")]
        if (
            len(items) >= 3
            and lines[i].text[-1] not in ".!?"
            and all(it and len(it.split()) <= 4 and it[0].isupper() for it in items)
        ):
            lines[i].kind, lines[i].reason = "tags", "list of tags"
    # A short headline at the very end of the body links to another article.
    rest = [i for i in body_idx if lines[i].kind == "body"]
    if len(rest) >= 4 and _is_headline(lines[rest[-1]]) and lines[rest[-1]].words <= 10:
        lines[rest[-1]].kind = "headline_list"
        lines[rest[-1]].reason = "link to another article after the body"
    # The lines under a "Latest headlines" / "Related articles" label are that list, in title
    # case or in sentence case ("- Farmers protest fuel prices"): short, with no full stop.
    labels = [r.pattern for r in inline_rules() if r.kind == "headline_list"]
    for i, label in enumerate(lines):
        if not any(p.fullmatch(label.text.strip()) for p in labels):
            continue
        label.kind, label.reason = "headline_list", "links to other articles"
        for line in lines[i + 1:]:
            text = line.text.strip()
            if not text:
                continue
            if line.kind != "body" or line.words > 16 or text[-1:] in ".!?:":
                break
            line.kind, line.reason = "headline_list", "list of other headlines"
    # Runs of three or more headline-like lines: lists of other headlines or menus.
    run: list[int] = []
    for i in body_idx + [None]:
        if i is not None and lines[i].kind == "body" and _is_headline(lines[i]) and lines[i].words <= 16:
            if run and any(lines[j].kind == "body" for j in range(run[-1] + 1, i)):
                run = []
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                lines[j].kind, lines[j].reason = "headline_list", "list of other headlines"
        run = []
    # A short line standing alone between furniture lines is furniture too.
    for n, i in enumerate(body_idx):
        line = lines[i]
        if line.kind != "body" or line.words > 5 or not _is_headline(line):
            continue
        prev_kind = lines[i - 1].kind if i > 0 else "edge"
        next_kind = lines[i + 1].kind if i + 1 < len(lines) else "edge"
        furniture = {"navigation", "label", "paywall", "disclaimer", "share_prompt", "edge", "headline_list", "dateline", "byline"}
        if prev_kind in furniture and next_kind in furniture and not (prev_kind == next_kind == "edge"):
            line.kind, line.reason = "navigation", "short line between page furniture"


def _duplicates(lines: list[_Line]) -> None:
    seen: dict[str, _Line] = {}
    for line in lines:
        if line.kind not in ("body", "title") or line.words < 3:
            continue
        key = _norm(line.text)
        if key in seen:
            first = seen[key]
            what = "headline" if first.kind == "title" else "paragraph"
            line.kind, line.reason = "duplicate", f"repeats the {what} at raw offset {first.start}"
        else:
            seen[key] = line


def _comment_date(line: _Line) -> str | None:
    m = re.match(r"^(?P<date>.{6,40}?\d{4})(\s+at\s+[\d:]+\s*[ap]\.?m\.?)?\s*#?\s*$", line.text, re.I)
    parsed = parse_date(m.group("date")) if m else None
    return parsed.value if parsed else None


def _comments(lines: list[_Line], raw: str) -> list[Comment]:
    """Reader comments: "1. Name" or a short name line followed by a date line opens a comment."""
    comments: list[Comment] = []
    author: str | None = None
    when: str | None = None
    parts: list[_Line] = []

    def flush() -> None:
        nonlocal parts
        if parts:
            text = raw[parts[0].start:parts[-1].end]
            comments.append(Comment(author, when, text, parts[0].start, parts[-1].end))
        parts = []

    body = [ln for ln in lines if ln.kind == "comment"]
    for i, line in enumerate(body):
        numbered = re.match(r"^\d+\.\s+(?P<name>[^.!?]{2,60})$", line.text)
        followed_by_date = i + 1 < len(body) and _comment_date(body[i + 1]) is not None
        date = _comment_date(line)
        if numbered or (followed_by_date and line.words <= 5 and date is None):
            flush()
            author = numbered.group("name").strip() if numbered else line.text
            when = None
        elif date is not None:
            when = date
        else:
            parts.append(line)
    flush()
    return comments


def _join(lines: list[_Line], raw: str) -> tuple[str, list[tuple[int, int, int]]]:
    """Clean text from the body lines; a sentence broken across lines is joined again."""
    body = [ln for ln in lines if ln.kind == "body"]
    pieces: list[str] = []
    segments: list[tuple[int, int, int]] = []
    pos = 0
    for n, line in enumerate(body):
        if n:
            prev = body[n - 1]
            broken = prev.text[-1] not in TERMINAL and (
                line.text[0].islower() or (prev.words >= 8 and not _is_headline(line))
            )
            sep = " " if broken else "\n\n"
            pieces.append(sep)
            pos += len(sep)
        segments.append((pos, line.start, line.end - line.start))
        pieces.append(raw[line.start:line.end])
        pos += line.end - line.start
    return "".join(pieces), segments


def _split(lines: list[_Line], index: int, pieces: list[Piece], raw: str) -> None:
    """Replace line ``index`` by its pieces: the removed ones with their kind, the rest body."""
    line = lines[index]
    out: list[_Line] = []

    def body(start: int, end: int) -> None:
        text = raw[start:end]
        stripped = text.strip()
        if stripped:
            s = start + len(text) - len(text.lstrip())
            out.append(_Line(s, s + len(stripped), stripped, fragment=True))

    pos = line.start
    for piece in sorted(pieces, key=lambda p: p.start):
        if piece.start < pos or piece.end <= piece.start:
            continue
        body(pos, piece.start)
        out.append(_Line(piece.start, piece.end, raw[piece.start:piece.end].strip(), piece.kind, piece.reason))
        pos = piece.end
    body(pos, line.end)
    lines[index:index + 1] = out


def _opening(lines: list[_Line], raw: str, result: CleanText, title: str | None) -> None:
    """The opening of the first body line: publication date, repeated headline, agency credit,
    dateline."""
    first = next((i for i, ln in enumerate(lines) if ln.kind == "body"), None)
    if first is not None:
        found = opening(raw, lines[first].start, lines[first].end, title or result.title)
        if found.published and result.published is None:
            result.published = found.published
        if found.dateline_place:
            result.dateline_place = found.dateline_place
        for name, evidence, start, end in found.agencies:
            dateline = found.dateline_place is not None and evidence in (p and raw[p.start:p.end].strip()
                                                                          for p in found.pieces if p.kind == "dateline")
            result.credits.append(Credit(name, evidence, start, end, "dateline" if dateline else "credit line",
                                         found.dateline_place if dateline else None))
        for piece in found.pieces:
            if piece.kind == "title" and result.title is None:
                result.title = raw[piece.start:piece.end].strip().rstrip(".:|- ")
        if found.pieces:
            _split(lines, first, found.pieces, raw)


def _inline(lines: list[_Line], raw: str, result: CleanText) -> None:
    """Furniture runs inside body lines: tags, share counters, credits, newsletter boxes."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind == "body":
            pieces = inline_furniture(raw, line.start, line.end)
            for piece, name in pieces:
                if name:
                    result.credits.append(Credit(name, raw[piece.start:piece.end].strip(), piece.start, piece.end))
            if pieces:
                before = len(lines)
                _split(lines, i, [p for p, _ in pieces], raw)
                i += len(lines) - before
        i += 1


def clean_text(raw: str, title: str | None = None) -> CleanText:
    """Clean one article's plain text (``title``: the headline, when the input gives it)."""
    lines = _lines(raw)
    result = CleanText(text="", offset_map=[])
    _classify(lines, result)
    _inline(lines, raw, result)
    _metadata(lines, result)
    _opening(lines, raw, result, title)
    _bios_and_lists(lines, result)
    _duplicates(lines)
    result.comments = _comments(lines, raw)
    result.text, result.offset_map = _join(lines, raw)
    result.removed = [
        Removed(ln.start, ln.end, ln.kind, ln.reason, ln.text)
        for ln in lines
        if ln.kind not in ("body", "comment")
    ]
    return result
