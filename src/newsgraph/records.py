"""The records newsgraph stores. Later stages add theirs here."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RemovedSpan:
    raw_start: int
    raw_end: int
    kind: str
    reason: str
    text: str


@dataclass
class Document:
    id: str  # content hash
    url: str | None
    source: str | None  # outlet name
    title: str | None
    author: str | None
    published: str | None  # ISO date at its precision: YYYY-MM-DD, YYYY-MM, YYYY
    published_precision: str | None  # day | month | year
    language: str | None
    input_format: str  # text | html
    raw: str  # the input as read
    source_text: str  # the text clean offsets map into: raw for text, the extracted text for HTML
    clean_text: str
    offset_map: list[list[int]]  # [clean_start, source_start, length]
    origin: str  # where it was read: path, path:line, <stdin>
    removed: list[RemovedSpan] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    credited: list[dict] = field(default_factory=list)  # [{name, evidence, how}]
    notes: list[str] = field(default_factory=list)
    minhash: list[int] = field(default_factory=list)
