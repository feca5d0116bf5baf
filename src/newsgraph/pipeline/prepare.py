"""From a raw article to a Document: clean text, metadata, language, fingerprint.

A pure function of its input, so it can run in a process pool.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache
from urllib.parse import urlparse

from datasketch import MinHash

from newsgraph import settings
from newsgraph.cleaning.html import extract_html
from newsgraph.cleaning.text import clean_text
from newsgraph.cleaning.textmeta import parse_date
from newsgraph.records import Document, RemovedSpan
from newsgraph.sources.readers import RawArticle

SHINGLE_WORDS = 5
BANDS, ROWS = 32, 4
LANGUAGES = (
    "ENGLISH", "TURKISH", "ARABIC", "PERSIAN", "RUSSIAN", "UKRAINIAN", "FRENCH", "GERMAN", "SPANISH",
    "ITALIAN", "DUTCH", "SWEDISH", "PORTUGUESE", "POLISH", "HEBREW", "URDU", "AZERBAIJANI", "KAZAKH",
    "CHINESE", "INDONESIAN",
)


class ArticleError(ValueError):
    """An article that cannot be stored; the message says why."""


def content_id(content: str) -> str:
    """Document id: a hash of the article content, so the same article is stored once."""
    normalised = content.replace("\r\n", "\n").strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*[getattr(Language, n) for n in LANGUAGES]).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short to tell."""
    sample = text[:3000]
    if len(re.findall(r"\w+", sample)) < 5:
        return None
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else None


def parse_published(value: str) -> tuple[str, str] | None:
    """(ISO value, precision) from a metadata date: 2017-10-03, 2017-10-03T08:00Z, 2017-10, 2017."""
    value = value.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$", value)
    if m:
        try:
            return date(*map(int, m.groups())).isoformat(), "day"
        except ValueError:
            return None
    m = re.match(r"^(\d{4})-(\d{2})$", value)
    if m and 1 <= int(m.group(2)) <= 12:
        return value, "month"
    if re.match(r"^(19|20)\d\d$", value):
        return value, "year"
    parsed = parse_date(value)
    return (parsed.value, parsed.precision) if parsed else None


def shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def minhash(text: str) -> list[int]:
    mh = MinHash(num_perm=settings.get("minhash_permutations"), seed=7)
    mh.update_batch(list(shingles(text)))
    return [int(v) for v in mh.hashvalues]


def lsh_keys(signature: list[int]) -> list[tuple[int, str]]:
    rows = max(len(signature) // BANDS, 1)
    keys = []
    for band in range(len(signature) // rows):
        chunk = ",".join(str(v) for v in signature[band * rows:(band + 1) * rows])
        keys.append((band, hashlib.sha1(chunk.encode()).hexdigest()[:20]))
    return keys


def similarity(a: list[int], b: list[int]) -> float:
    if not a or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b) if x == y) / len(a)


def _domain(url: str | None) -> str | None:
    if not url or "://" not in url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


def _credited(credits) -> list[dict]:
    """The sources a text credits, once each (the first mention wins); a dateline keeps its place."""
    out: dict[str, dict] = {}
    for c in credits:
        entry = out.setdefault(c.name.lower(), {"name": c.name, "evidence": c.evidence, "how": c.how})
        if c.place and "place" not in entry:
            entry.update(how="dateline", place=c.place, evidence=c.evidence)
    return list(out.values())


def prepare(article: RawArticle) -> Document:
    """Clean one raw article and recover its metadata."""
    limit = settings.get("max_article_bytes")
    size = len(article.content.encode("utf-8"))
    if size > limit:
        raise ArticleError(f"article is {size // (1024 * 1024)} MB, over the limit of {limit // (1024 * 1024)} MB "
                           "(set NEWSGRAPH_MAX_ARTICLE_BYTES to raise it)")
    notes = list(article.notes)
    meta: dict = {}
    comments: list[dict] = []
    if article.fmt == "html":
        extracted = extract_html(article.content, article.url)
        source_text = extracted.text
        meta = {
            "title": extracted.title, "author": extracted.author, "source": extracted.source,
            "published": (extracted.published, extracted.published_precision) if extracted.published else None,
            "language": extracted.language,
        }
        comments = [{"author": None, "date": None, "text": c} for c in extracted.comments]
        if not source_text.strip():
            raise ArticleError("no article text found in the HTML page")
    else:
        source_text = article.content
    cleaned = clean_text(source_text, title=article.fields.get("title") or meta.get("title"))
    if not cleaned.text.strip():
        raise ArticleError("no article text left after removing page furniture")
    comments += [{"author": c.author, "date": c.date, "text": c.text} for c in cleaned.comments]

    fields = article.fields
    published = None
    if fields.get("published"):
        published = parse_published(fields["published"])
        if published is None:
            notes.append(f"published date {fields['published']!r} not understood; left unknown")
    published = published or meta.get("published") or (
        (cleaned.published.value, cleaned.published.precision) if cleaned.published else None)

    language = detect_language(cleaned.text) or (fields.get("language") or meta.get("language") or None)
    if language and language != "en":
        notes.append(f"language '{language}' detected: stored, not run through the English models")

    title = fields.get("title") or meta.get("title") or cleaned.title
    source = fields.get("source") or meta.get("source") or cleaned.source or _domain(article.url)
    author = fields.get("author") or meta.get("author") or cleaned.author
    signature = minhash(cleaned.text)
    return Document(
        id=content_id(article.content),
        url=fields.get("url") or article.url,
        source=source,
        title=title,
        author=author,
        published=published[0] if published else None,
        published_precision=published[1] if published else None,
        language=language,
        input_format=article.fmt,
        raw=article.content,
        source_text=source_text,
        clean_text=cleaned.text,
        offset_map=[list(seg) for seg in cleaned.offset_map],
        origin=article.origin,
        removed=[RemovedSpan(r.start, r.end, r.kind, r.reason, r.text) for r in cleaned.removed],
        comments=comments,
        credited=_credited(cleaned.credits),
        notes=notes,
        minhash=signature,
    )
