"""Main text and metadata of a news page given as HTML.

``extract_html`` runs trafilatura twice on the parsed page: a precision pass (its own
extractor, without the readability/jusText fallbacks, which pick the wrong block more often
than they rescue one) and a recall pass. The precision text is kept unless it holds less
than half the words of the recall text. Then our own passes:

* embedded tweets are lifted out of their widget wrappers before extraction (a quoted
  post is article content);
* an article body cut into several containers of the same kind (ad slots between them)
  is put back together when trafilatura kept only the first part;
* a second, independent extractor (trafilatura's readability port) votes: when it agrees
  with most of the text, short non-sentence paragraphs it does not contain are dropped;
* leftover page furniture (links to other articles, share and follow prompts, newsletter
  sign-ups, copyright lines, photo and wire credits, datelines, bylines) is removed with
  the patterns in ``newsgraph/data/html_furniture.toml``, as are repeats of the headline.

The publication date is read as the page states it (JSON-LD, meta tags, ``<time>``, the
URL, then htmldate without its text search) and keeps its precision; a page that states
none gets ``None``. Nothing here uses the network, the clock or file times.
"""
from __future__ import annotations

import re
import tomllib
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura.utils import load_html

from newsgraph.sources import jsonsafe

__all__ = ["HtmlExtraction", "extract_html"]


@dataclass(frozen=True)
class HtmlExtraction:
    """What ``extract_html`` found on one page; absent values are ``None`` or empty."""

    text: str
    title: str | None = None
    author: str | None = None
    source: str | None = None
    published: str | None = None
    published_precision: str | None = None
    language: str | None = None
    comments: list[str] = field(default_factory=list)


EMPTY = HtmlExtraction(text="")
_TAG = re.compile(r"<[A-Za-z!?/]")
_WORD = re.compile(r"\w+")
_MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)]\s*$")
_CONTINUATION = re.compile(r"^[a-z,;.)\]]")
_PARSER = HTMLParser(encoding="utf-8", remove_comments=True)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def extract_html(html: str, url: str | None = None) -> HtmlExtraction:
    """Extract the article body, its metadata and reader comments from one HTML page.

    ``text`` holds the body paragraphs separated by blank lines. An empty string or a
    string without any HTML tag gives an empty extraction; only a non-``str`` ``html``
    raises ``ValueError``.
    """
    if not isinstance(html, str):
        raise ValueError(f"extract_html expects the page as str, got {type(html).__name__}")
    if url is not None and not isinstance(url, str):
        raise ValueError(f"url must be a str or None, got {type(url).__name__}")
    if not html.strip() or not _TAG.search(html):
        return EMPTY
    tree = _load(_trim_long_tags(html))
    if tree is None:
        return EMPTY
    _unwrap_embedded_posts(tree)

    main = _run_trafilatura(tree, url, favor_precision=True, fast=True)
    wide = _run_trafilatura(tree, url, favor_recall=True, fast=True, include_links=True)
    meta = _metadata(tree, url)
    main_text = main.text if main is not None else ""
    wide_text = wide.text if wide is not None else ""
    base = main_text
    if _count_words(main_text) < 0.5 * _count_words(wide_text):
        base = wide_text  # the precise pass lost most of the article
    lines = _split_lines(base)
    lines = _merge_split_body(tree, lines)
    lines = _vote_with_readability(tree, lines)
    title = _clean(meta.title) if meta is not None else None
    comments = main.comments if main is not None else ""
    published, precision = find_published(tree, url)
    return HtmlExtraction(
        text="\n\n".join(_drop_furniture(lines, title)),
        title=title,
        author=_clean(meta.author) if meta is not None else None,
        source=_clean(meta.sitename) if meta is not None else None,
        published=published,
        published_precision=precision,
        language=find_language(tree),
        comments=[_strip_links(c) for c in _split_lines(comments)],
    )


# --------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def _furniture() -> dict[str, Any]:
    text = resources.files("newsgraph.data").joinpath("html_furniture.toml").read_text("utf-8")
    data = tomllib.loads(text)
    flags = re.IGNORECASE | re.UNICODE
    data["_line_re"] = [re.compile(p, flags) for p in data["lines"]["patterns"]]
    data["_short_re"] = [re.compile(p, flags) for p in data["short_lines"]["patterns"]]
    data["_header_re"] = [re.compile(p, flags) for p in data["blocks"]["headers"]]
    data["_url_re"] = [re.compile(p, re.IGNORECASE) for p in data["dates"]["url_patterns"]]
    return data


# --------------------------------------------------------------------------- parsing


def _load(html: str) -> HtmlElement | None:
    """Parse a page or a fragment; ``None`` when nothing can be parsed."""
    try:
        tree = load_html(html)
    except (ValueError, etree.ParserError):  # pragma: no cover - load_html catches most
        tree = None
    if tree is None:  # trafilatura refuses fragments such as "<p>...</p>"
        try:
            tree = document_fromstring(html.encode("utf-8"), parser=_PARSER)
        except (ValueError, etree.ParserError):
            return None
    return tree if isinstance(tree, HtmlElement) else None


# No real page puts more attributes on one element; thousands of them make the HTML parser
# (which checks each new attribute against the others) and the date finder quadratic, so a
# long tag keeps its first attributes only, before the page is parsed.
MAX_ATTRIBUTES = 64
_LONG_TAG = re.compile(r"<([A-Za-z][^\s<>/]*)([^<>]{4096,}+)>")
_ATTRIBUTE = re.compile(r"""\s*[^\s=<>"'/]+(?:\s*=\s*(?:"[^"]*+"|'[^']*+'|[^\s<>"']++))?""")


def _trim_long_tags(html: str) -> str:
    if len(html) < 4096:
        return html

    def trim(m: re.Match) -> str:
        attributes = _ATTRIBUTE.findall(m.group(2))
        if len(attributes) <= MAX_ATTRIBUTES:
            return m.group(0)
        return f"<{m.group(1)}{''.join(attributes[:MAX_ATTRIBUTES])}>"

    return _LONG_TAG.sub(trim, html)


def _unwrap_embedded_posts(tree: HtmlElement) -> None:
    """Lift embedded tweets out of the social-widget wrappers that extractors discard."""
    wrapper = re.compile(r"social|embed|tweet|twitter", re.IGNORECASE)
    for quote in tree.xpath('//blockquote[contains(@class, "twitter-tweet")]'):
        quote.attrib.pop("class", None)
        outer = quote
        parent = outer.getparent()
        while (
            parent is not None
            and parent.tag in {"div", "figure", "span", "section", "aside"}
            and wrapper.search(f"{parent.get('class', '')} {parent.get('id', '')}")
            and not (parent.text or "").strip()
        ):
            outer, parent = parent, parent.getparent()
        if outer is not quote and parent is not None:
            quote.tail = outer.tail
            parent.replace(outer, quote)


def _metadata(tree: HtmlElement, url: str | None):
    try:
        return trafilatura.extract_metadata(deepcopy(tree), default_url=url, extensive=False)
    except Exception:  # noqa: BLE001 - a third-party failure must not stop a batch
        return None


def _run_trafilatura(tree: HtmlElement, url: str | None, **options: Any):
    try:
        # bare_extraction copies a tree it is given, so ``tree`` stays untouched
        return trafilatura.bare_extraction(
            tree, url=url, include_comments=True, include_tables=True, **options
        )
    except Exception:  # noqa: BLE001 - a third-party failure must not stop a batch
        return None


# --------------------------------------------------------------------------- text helpers


def _split_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _strip_links(line: str) -> str:
    return re.sub(r"\s+", " ", _MD_LINK.sub(r"\1", line)).strip()


def _count_words(text: str) -> int:
    return len(_WORD.findall(_MD_LINK.sub(r"\1", text or "")))


def _tokens(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _clean(value: str | None) -> str | None:
    value = re.sub(r"\s+", " ", value or "").strip()
    return value or None


# --------------------------------------------------------------------------- own passes


def _block_texts(tree: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    for elem in tree.iter("p"):
        text = re.sub(r"\s+", " ", elem.text_content()).strip()
        if text:
            yield elem, text


def _signature(elem: HtmlElement) -> tuple[str, str] | None:
    cls = " ".join(sorted((elem.get("class") or "").split()))
    return (elem.tag, cls) if cls else None


def _merge_split_body(tree: HtmlElement, lines: list[str]) -> list[str]:
    """Add the later parts of an article body cut into sibling containers.

    The containers holding the extracted paragraphs are found in the page; other
    containers with the same tag and classes whose paragraphs were all left out are the
    missing parts, inserted in page order.
    """
    if not lines:
        return lines
    extracted = {_tokens(_strip_links(line)) for line in lines}
    kept: dict[HtmlElement, int] = {}
    order: list[HtmlElement] = []
    for elem, text in _block_texts(tree):
        parent = elem.getparent()
        if parent is None:
            continue
        if _tokens(text) in extracted:
            kept[parent] = kept.get(parent, 0) + 1
        order.append(elem)
    signatures = {_signature(p) for p, n in kept.items() if n >= 2} - {None}
    if not signatures:
        return lines
    anchors = [p for p, n in kept.items() if n >= 2]
    missing: dict[HtmlElement, list[str]] = {}
    for elem in order:
        parent = elem.getparent()
        if parent in kept or _signature(parent) not in signatures:
            continue
        if not any(_near(parent, anchor) for anchor in anchors):
            continue
        missing.setdefault(parent, []).append(re.sub(r"\s+", " ", elem.text_content()).strip())
    additions = {p: texts for p, texts in missing.items() if sum(map(_count_words, texts)) >= 40}
    if not additions:
        return lines
    # rebuild in page order: each container contributes its lines where it sits
    position = {elem: i for i, elem in enumerate(tree.iter())}
    line_pos: list[int] = []
    text_pos = {}
    for elem, text in _block_texts(tree):
        text_pos.setdefault(_tokens(text), position[elem])
    last = -1
    for line in lines:
        last = text_pos.get(_tokens(_strip_links(line)), last)
        line_pos.append(last)
    merged = list(zip(line_pos, range(len(lines)), lines))
    for parent, texts in additions.items():
        merged.extend((position[parent], 10**9 + i, t) for i, t in enumerate(texts))
    merged.sort(key=lambda item: (item[0], item[1]))
    return [line for _, _, line in merged]


def _near(elem: HtmlElement, anchor: HtmlElement, levels: int = 3) -> bool:
    """Same article and a common ancestor at most ``levels`` up from both."""
    if _enclosing_article(elem) is not _enclosing_article(anchor):
        return False
    ups = list(anchor.iterancestors())[:levels]
    return any(a in ups for a in list(elem.iterancestors())[:levels])


def _enclosing_article(elem: HtmlElement) -> HtmlElement | None:
    return next(elem.iterancestors("article"), None)


def _vote_with_readability(tree: HtmlElement, lines: list[str]) -> list[str]:
    """Drop short paragraphs that a second extractor, agreeing on the rest, left out."""
    try:
        from trafilatura.external import try_readability
    except ImportError:  # pragma: no cover - internal module of trafilatura 2.x
        return lines
    try:
        other = try_readability(deepcopy(tree))
        other_text = " " + _tokens(" ".join(other.itertext())) + " "
    except Exception:  # noqa: BLE001
        return lines
    if len(other_text.split()) < 50:
        return lines
    plain = [_strip_links(line) for line in lines]
    total = sum(_count_words(p) for p in plain)
    agreed = sum(_count_words(p) for p in plain if f" {_tokens(p)} " in other_text)
    if not total or agreed < 0.7 * total:
        return lines
    return [line for line, p in zip(lines, plain) if _is_prose(p) or f" {_tokens(p)} " in other_text]


def _is_prose(paragraph: str) -> bool:
    """Long enough and ending like a sentence: never dropped on a vote alone."""
    words = _count_words(paragraph)
    return words > 20 or (words >= 10 and bool(_SENTENCE_END.search(paragraph)))


def _drop_furniture(lines: list[str], title: str | None) -> list[str]:
    data = _furniture()
    line_re, header_re = data["_line_re"], data["_header_re"]
    max_words = data["lines"]["max_words"]
    short_re, short_words = data["_short_re"], data["short_lines"]["max_words"]
    max_item_words = data["blocks"]["max_item_words"]
    max_items = data["blocks"]["max_items"]
    title_tokens = _tokens(title) if title else None

    out: list[str] = []
    in_block = 0
    for index, plain in enumerate(_join_fragments([_strip_links(line) for line in lines])):
        words = _count_words(plain)
        if in_block:
            if words <= max_item_words and (plain.startswith("- ") or not _SENTENCE_END.search(plain)):
                in_block -= 1
                continue
            in_block = 0
        if words <= max_item_words and any(r.fullmatch(plain) for r in header_re):
            in_block = max_items
            continue
        if not plain or (words <= max_words and any(r.fullmatch(plain) for r in line_re)):
            continue
        if words <= short_words and any(r.fullmatch(plain) for r in short_re):
            continue
        if title_tokens and _repeats_title(_tokens(plain), title_tokens, index):
            continue
        out.append(plain)
    return out


def _repeats_title(tokens: str, title: str, index: int) -> bool:
    """The headline again, or near the top a shortened or lengthened form of it."""
    if tokens == title:
        return True
    if index > 2 or not tokens:
        return False
    shorter, longer = sorted((tokens, title), key=len)
    return f" {shorter} " in f" {longer} " and len(shorter) >= 0.6 * len(longer)


def _join_fragments(lines: list[str]) -> list[str]:
    """Glue back sentences that the extractor cut at inline elements."""
    out: list[str] = []
    for line in lines:
        if out and _CONTINUATION.match(line) and not _SENTENCE_END.search(out[-1]) and not line.startswith("- "):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


# --------------------------------------------------------------------------- metadata


def find_language(tree: HtmlElement) -> str | None:
    """The language the page declares (``<html lang>``, then meta tags), as a BCP 47 tag."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("name") or meta.get("property") or "").lower()
        if key in {"content-language", "language", "dc.language", "og:locale"}:
            candidates.append(meta.get("content"))
    for value in candidates:
        value = (value or "").strip().replace("_", "-").split(",")[0].strip()
        if value and _LANG.match(value):
            primary, *rest = value.split("-")
            return "-".join([primary.lower(), *(r.upper() if len(r) == 2 else r for r in rest)])
    return None


def find_published(tree: HtmlElement, url: str | None = None) -> tuple[str | None, str | None]:
    """The publication date as the page states it, with its precision, or ``(None, None)``."""
    for value in _date_candidates(tree):
        found = parse_date(value)
        if found:
            return found
    if url:
        for pattern in _furniture()["_url_re"]:
            match = pattern.search(url)
            if match:
                found = _from_parts(match.group("y"), match.group("m"), match.groupdict().get("d"))
                if found:
                    return found
    return _htmldate(tree, url)


def _htmldate(tree: HtmlElement, url: str | None) -> tuple[str | None, str | None]:
    try:
        from htmldate import find_date

        value = find_date(deepcopy(tree), extensive_search=False, original_date=True, url=url)
    except Exception:  # noqa: BLE001
        return None, None
    found = parse_date(value or "")
    if found and found[1] == "day" and found[0].endswith("-01"):
        return found[0][:7], "month"
    return found or (None, None)


def _date_candidates(tree: HtmlElement) -> Iterator[str]:
    conf = _furniture()["dates"]
    for key in conf["jsonld_keys"]:
        for data in _jsonld(tree):
            for value in _find_key(data, key):
                if isinstance(value, str):
                    yield value
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key and content and key not in metas:
            metas[key] = content
    for name in conf["meta_names"]:
        if name in metas:
            yield metas[name]
    for elem in tree.xpath('//*[@itemprop="datePublished"]|//time[@pubdate]'):
        yield elem.get("content") or elem.get("datetime") or elem.text_content()


def _jsonld(tree: HtmlElement) -> Iterator[Any]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:  # depth-checked: a script nested thousands of levels deep is skipped
            yield jsonsafe.loads(script.text or "")
        except (ValueError, TypeError):
            continue


def _find_key(data: Any, key: str) -> Iterable[Any]:
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                yield v
            else:
                yield from _find_key(v, key)
    elif isinstance(data, list):
        for item in data:
            yield from _find_key(item, key)


_ISO = re.compile(r"^\s*((?:19|20)\d{2})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?=$|[T\s,+Z]|\d{2}:)")
_COMPACT = re.compile(r"^\s*((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=$|[T\s])")


def parse_date(value: str) -> tuple[str, str] | None:
    """Read a date as written: ``("2019-11-19", "day")``, ``("2019-11", "month")``..."""
    value = (value or "").strip()
    if not value:
        return None
    match = _ISO.match(value) or _COMPACT.match(value)
    if match:
        return _from_parts(*match.groups())
    if not re.search(r"\b(19|20)\d{2}\b", value):
        return None  # relative or partial dates ("2 hours ago") are not resolved here
    return _parse_free_date(value)


def _parse_free_date(value: str) -> tuple[str, str] | None:
    try:
        from dateparser.date import DateDataParser

        data = DateDataParser(settings={"RETURN_AS_TIMEZONE_AWARE": False}).get_date_data(value)
    except Exception:  # noqa: BLE001
        return None
    if data is None or data.date_obj is None:
        return None
    when = data.date_obj
    if str(when.year) not in value:
        return None
    period = data.period or "day"
    if period == "year":
        return f"{when.year:04d}", "year"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}", "month"
    return when.date().isoformat(), "day"


def _from_parts(y: str, m: str | None, d: str | None) -> tuple[str, str] | None:
    year = int(y)
    if not m:
        return f"{year:04d}", "year"
    month = int(m) if m.isdigit() else _MONTHS.get(m[:3].lower(), 0)
    if not 1 <= month <= 12:
        return None
    if not d:
        return f"{year:04d}-{month:02d}", "month"
    try:
        return date(year, month, int(d)).isoformat(), "day"
    except ValueError:
        return None
