"""Reading articles from files, folders, JSON Lines and standard input.

Each input yields ``RawArticle`` items or ``ReadFailure`` items with a one-line reason; a
bad file never stops the batch.
"""
from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from newsgraph import settings
from newsgraph.sources import jsonsafe
from newsgraph.sources.textsafe import scrub, scrub_note

# Encodings that news pages are really written in; a file in anything else is rejected.
NEWS_ENCODINGS = {
    "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "latin_1", "koi8_r",
    "koi8_u", "mac_roman", "utf_16", "utf_16_le", "utf_16_be", "gb2312", "gb18030", "big5", "shift_jis",
    "euc_jp", "euc_kr", "cp949",
}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
# JSON fields that may hold the article and its metadata, in order of preference.
TEXT_FIELDS = ("text", "content", "body", "article", "maintext")
HTML_FIELDS = ("html", "raw_html", "content_html")
META_FIELDS = {
    "url": ("url", "link", "href"),
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "site_name", "source_name", "domain"),
    "author": ("author", "authors", "byline"),
    "published": ("published", "date", "published_at", "pubdate", "date_publish", "datePublished", "publish_date"),
    "language": ("language", "lang"),
}


@dataclass
class RawArticle:
    origin: str  # path, path:line N, or <stdin>
    url: str | None  # the article URL, or for a file its path
    fmt: str  # "text" | "html"
    content: str
    fields: dict = field(default_factory=dict)  # metadata given by the input (JSON)
    notes: list[str] = field(default_factory=list)
    # the plain text given beside an HTML field, used when the HTML holds no article
    fallback_text: str | None = None


@dataclass
class ReadFailure:
    origin: str
    reason: str


@dataclass
class Skipped:
    origin: str
    reason: str


Item = RawArticle | ReadFailure | Skipped


def _kind(name: str) -> tuple[str | None, bool]:
    """(suffix kind, gzipped) from a file name."""
    path = Path(name.lower())
    gz = path.suffix == ".gz"
    if gz:
        path = path.with_suffix("")
    suffix = path.suffix
    if suffix in TEXT_SUFFIXES:
        return "text", gz
    if suffix in HTML_SUFFIXES:
        return "html", gz
    if suffix in JSON_SUFFIXES:
        return "json", gz
    return None, gz


def _read_limited(stream, limit: int, what: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{what} is larger than the limit of {limit // (1024 * 1024)} MB "
                         f"(set NEWSGRAPH_MAX_FILE_BYTES to raise it)")
    return data


def _decode(data: bytes, strict_utf8: bool) -> tuple[str, str | None]:
    """Text from bytes, and a note when the encoding was not UTF-8. (A file full of NUL bytes
    is refused afterwards by its share of control characters; a stray NUL is replaced.)"""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("binary file, not text (it contains NUL bytes)") from None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        if strict_utf8:
            raise ValueError(f"not valid UTF-8 (byte {exc.start}); JSON input must be UTF-8") from None
        best = next((m for m in from_bytes(data[:200_000])
                     if m.encoding in NEWS_ENCODINGS or m.encoding.startswith("iso8859")), None)
        if best is None or best.chaos > 0.1:
            raise ValueError("not valid UTF-8 and its encoding could not be recognised; "
                             "convert it to UTF-8") from None
        text = data.decode(best.encoding, errors="replace")
        return text, f"decoded as {best.encoding} (not UTF-8)"


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(sample)


def _sniff(text: str) -> str:
    head = text.lstrip()[:500].lower()
    if head.startswith(("{", "[")):
        return "json"
    if head.startswith(("<!doctype html", "<html")) or "<body" in head or "<p>" in head:
        return "html"
    return "text"


def _first(obj: dict, names: tuple[str, ...]):
    for name in names:
        value = obj.get(name)
        if value not in (None, "", []):
            return value
    return None


def _meta_value(value) -> str | None:
    """A metadata field as one string: a list is joined, an object gives its name."""
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = ", ".join(str(v.get("name") if isinstance(v, dict) else v) for v in value if v)
    if value in (None, "") or isinstance(value, (dict, list)):
        return None
    return str(value).strip() or None


def _from_json_object(obj, origin: str, default_url: str | None) -> Item:
    if not isinstance(obj, dict):
        return ReadFailure(origin, f"expected a JSON object with a text or html field, found {type(obj).__name__}")
    html = _first(obj, HTML_FIELDS)
    text = _first(obj, TEXT_FIELDS)
    text = text if isinstance(text, str) and text.strip() else None
    content, fmt = (html, "html") if isinstance(html, str) and html.strip() else (text, "text")
    if not isinstance(content, str) or not content.strip():
        return ReadFailure(origin, "no article text: expected a non-empty 'text' or 'html' field")
    notes, replaced = [], 0
    content, n = scrub(content)
    replaced += n
    fields = {}
    for key, names in META_FIELDS.items():
        value = _meta_value(_first(obj, names))
        if value is not None:
            fields[key], n = scrub(value)
            replaced += n
    fallback = None
    if fmt == "html" and text is not None:
        fallback, n = scrub(text)
        replaced += n
    if replaced:
        notes.append(scrub_note(replaced, "JSON fields"))
    if fmt == "text" and _sniff(content) == "html":
        fmt = "html"
    return RawArticle(origin, fields.get("url") or default_url, fmt, content, fields, notes, fallback)


def _json_items(text: str | None, origin: str, default_url: str | None,
                lines: list[bytes] | None = None, whole_error: str | None = None) -> Iterator[Item]:
    """The articles of one JSON document (an object or an array of them) or of JSON Lines.

    ``lines`` (with ``whole_error``) is given instead of ``text`` when the file is not valid
    UTF-8 as a whole, so that each line is decoded (and fails) alone. A file of which no line
    can be read gets one reason, not one per line."""
    if text is not None:
        try:
            whole = jsonsafe.loads(text.strip())
        except ValueError as exc:
            whole_error = str(exc)
        else:
            objects = whole if isinstance(whole, list) else [whole]
            for n, obj in enumerate(objects, 1):
                where = f"{origin}[{n}]" if isinstance(whole, list) else origin
                yield _from_json_object(obj, where, default_url)
            return
    # JSON Lines: one object per line; a bad line fails alone.
    items: list[Item] = []
    parsed = 0
    for n, line in enumerate(text.splitlines() if text is not None else lines, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                items.append(ReadFailure(f"{origin}:{n}", f"line {n} is not valid UTF-8 (byte {exc.start}); "
                                                          "JSON input must be UTF-8"))
                continue
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            obj = jsonsafe.loads(line)
        except jsonsafe.JsonError as exc:
            items.append(ReadFailure(where, f"malformed JSON on line {n}, column {exc.column}: {exc.reason}"))
            continue
        except ValueError as exc:
            items.append(ReadFailure(where, f"line {n}: {exc}"))
            continue
        parsed += 1
        items.append(_from_json_object(obj, where, default_url))
    if not parsed and whole_error and (len(items) > 1 or text is None):
        # not JSON Lines at all: one reason for the file, not one per line
        yield ReadFailure(origin, whole_error)
        return
    yield from items


def _items_from_bytes(data: bytes, origin: str, kind: str | None, url: str | None) -> Iterator[Item]:
    if not data.strip():
        yield ReadFailure(origin, "empty file: nothing to read")
        return
    if kind == "json":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield from _json_items(None, origin, url, lines=data.splitlines(),
                                   whole_error=f"not valid UTF-8 (byte {exc.start}); JSON input must be UTF-8")
            return
        yield from _json_items(text, origin, url)
        return
    text, note = _decode(data, strict_utf8=False)
    if _control_ratio(text) > 0.05:
        yield ReadFailure(origin, "binary file, not text (too many control characters)")
        return
    if not text.strip():
        yield ReadFailure(origin, "empty file: nothing to read")
        return
    kind = kind or _sniff(text)
    if kind == "json":
        yield from _json_items(text, origin, url)
        return
    notes = [note] if note else []
    text, replaced = scrub(text)
    if replaced:
        notes.append(scrub_note(replaced))
    yield RawArticle(origin, url, kind, text, notes=notes)


def _read_file(path: Path) -> Iterator[Item]:
    origin = str(path)
    kind, gz = _kind(path.name)
    limit = settings.get("max_file_bytes")
    try:
        with open(path, "rb") as raw:
            stream = gzip.GzipFile(fileobj=raw) if gz else raw
            data = _read_limited(stream, limit, "file")
    except PermissionError:
        yield ReadFailure(origin, "cannot read: permission denied")
        return
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield ReadFailure(origin, f"corrupt gzip file: {exc}")
        return
    except (OSError, ValueError) as exc:
        yield ReadFailure(origin, str(exc) if isinstance(exc, ValueError) else f"cannot read: {exc.strerror or exc}")
        return
    try:
        yield from _items_from_bytes(data, origin, kind, str(path))
    except ValueError as exc:
        yield ReadFailure(origin, str(exc))


def _stdin() -> Iterator[Item]:
    try:
        data = _read_limited(sys.stdin.buffer, settings.get("max_file_bytes"), "standard input")
        if data[:2] == b"\x1f\x8b":
            data = gzip.GzipFile(fileobj=io.BytesIO(data)).read()
        yield from _items_from_bytes(data, "<stdin>", None, None)
    except (ValueError, OSError, EOFError) as exc:
        yield ReadFailure("<stdin>", str(exc))


def read_inputs(paths: list[str]) -> Iterator[Item]:
    """Every article in the given paths: files, folders (recursively) and ``-`` for stdin."""
    for name in paths:
        if name == "-":
            yield from _stdin()
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            for file in files:
                rel = file.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or file.name.lower().startswith("readme"):
                    continue
                if _kind(file.name)[0] is None:
                    yield Skipped(str(file), "not an article file type (.txt, .html, .json, .jsonl, or .gz of them)")
                    continue
                yield from _read_file(file)
        elif path.exists():
            if _kind(path.name)[0] is None and not path.is_file():
                yield ReadFailure(str(path), "not a regular file")
                continue
            yield from _read_file(path)
        else:
            yield ReadFailure(str(path), "no such file or folder")


def expand_count(paths: list[str]) -> int | None:
    """How many files the paths hold (for a progress bar), or None if unknown (stdin)."""
    total = 0
    for name in paths:
        if name == "-":
            return None
        path = Path(name)
        total += sum(1 for p in path.rglob("*") if p.is_file()) if path.is_dir() else 1
    return total
