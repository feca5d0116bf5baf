"""Counts, money and other quantities in one text, with their vagueness kept.

``find_quantities(text)`` is a pure function; the word tables (data/quantity_words.toml) are
loaded once. Conventions (the precision rule of DESIGN.md: never invent precision):

* exact: "36 people" -> low = best = high = 36, unit "person", entity "people".
* "over/more than N" -> low N+1 for whole counts (N for money and measures), best and high unset;
  "at least N" / "N or more" -> low N; "up to / as many as N" -> high N;
  "fewer/less than N" -> high N-1 for whole counts.
* "nearly/almost N" -> best N flagged approximate, high N, low unset (the figure stays as
  written and it does not reach beyond N); "about/some/an estimated N" -> best N, approximate.
* vague words carry the low/best/high of the table: "dozens" -> 12/12/99 and "hundreds" ->
  100/100/999 (ACLED codes dozens as 12 and hundreds as 100); "scores" -> 40/40/199; "several",
  "a few", "a handful", "many" keep best unset. vague = True.
* ranges ("between 10 and 15", "3 to 4 L", "10-15") are one quantity with low/high and best
  unset. Changes ("declined from $81 million to $10 million", any descending "X to Y", "rose to
  $1,500 from $500") are two quantities with trend "decline"/"rise" whose ``related`` fields
  point at each other.
* money: unit is the ISO code (USD, EUR, GBP, TRY...), per the rate ("each" -> "person",
  "per trip", "a month", or "monthly" earlier in the sentence). Pasted "\\$" is read as "$".
* not quantities: calendar years ("in 2015"), dates ("June 14", "6/14"), clock times, phone
  numbers, identifiers and model numbers ("B-21", "MI6", "Voyager 2"), ordinals, decades, list
  markers, and "one of the ..." (a partitive picking one individual, not a count).
  Ages ("30-years-old", "aged 30") are kind "other" with unit "age".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from newsgraph.extraction.quantities_grammar import (
    Amount, Context, NounPhrase, _per_value, amount_at, noun_phrase)
from newsgraph.extraction.quantities_lexicon import lexicon, norm
from newsgraph.extraction.quantities_numbers import digit_value, masked_spans, tokenize, word_number

__all__ = ["Quantity", "find_quantities"]


@dataclass(frozen=True)
class Quantity:
    text: str
    start: int
    end: int
    kind: str                      # "count" | "money" | "other"
    low: float | None
    best: float | None
    high: float | None
    unit: str | None
    entity: str | None
    per: str | None
    approximate: bool
    vague: bool
    trend: str | None
    related: int | None


@dataclass
class _Draft:
    start: int
    end: int
    kind: str
    low: float | None
    best: float | None
    high: float | None
    unit: str | None = None
    entity: str | None = None
    per: str | None = None
    approximate: bool = False
    vague: bool = False
    trend: str | None = None
    pair: "_Draft | None" = None


_CONNECTOR = re.compile(r"(?:\s*-)?\s+(?P<w>to|and|or|through)\s+|\s*(?P<d>[-–—])\s*")
_OF_CURRENCY = re.compile(r"\s+of\s+")
_PLUS_MINUS = re.compile(r"\s*(?:±|\+/-|\+/−|\+-)\s*")
_AND_NEXT = re.compile(r"\s*(?:,|and|&)\s*")
_FROM_AFTER = re.compile(r"\s+(?P<w>from)\s+")
# a year between the two amounts of a change: "fell from $81 million in 2015 to about $10 million"
_YEAR_BETWEEN = re.compile(r"\s+in\s+(?:1[89]|20)\d\d(?=\s+to\s)")
_TO_BEFORE = re.compile(r"(?<![\w])to\s+$", re.I)
_RANGE_VERBS = ("rang", "vary", "vari")


def find_quantities(text: str) -> list[Quantity]:
    """All counts, money amounts and other quantities in text, in text order."""
    lex = lexicon()
    ctx = Context(text, tokenize(text), masked_spans(text), lex)
    drafts: list[_Draft] = []
    i, n = 0, len(ctx.toks)
    while i < n:
        nxt = _vague_at(ctx, i, drafts)
        if nxt is None:
            nxt = _quantity_at(ctx, i, drafts)
        i = nxt if nxt is not None and nxt > i else i + 1
    drafts.sort(key=lambda d: d.start)
    index = {id(d): k for k, d in enumerate(drafts)}
    return [
        Quantity(text[d.start:d.end], d.start, d.end, d.kind, _clean(d.low), _clean(d.best),
                 _clean(d.high), d.unit,
                 d.entity, d.per, d.approximate, d.vague, d.trend,
                 index.get(id(d.pair)) if d.pair is not None else None)
        for d in drafts
    ]


def _clean(value: float | None) -> float | None:
    """Drop binary noise from scaled values: 3 dimes is 0.3, not 0.30000000000000004."""
    return None if value is None else float(f"{value:.12g}")


# --- vague words --------------------------------------------------------------------------

def _vague_at(ctx: Context, i: int, drafts: list[_Draft]) -> int | None:
    text, toks, lex = ctx.text, ctx.toks, ctx.lex
    t = toks[i]
    if t.kind != "word" or (t.glued and i > 0 and toks[i - 1].kind == "word"):
        return None
    m = lex.vague_re.match(text, t.start)
    if not m:
        return None
    v = lex.vague[norm(m.group("v")).lower()]
    end = m.end()
    d = _Draft(t.start, end, "count", v.low, v.best, v.high, vague=True)
    of = _OF_CURRENCY.match(text, end)
    cur = lex.currency_suffix_re.match(text, of.end()) if of else None
    code = None
    if cur:
        alias = cur.group("cur")
        code = lex.currency_suffix_words.get(norm(alias).lower()) or lex.currency_suffix_abbr.get(alias)
    if code:
        d.kind, d.unit, d.end = "money", code, cur.end()
    else:
        np = noun_phrase(ctx, end, singular_ok=False)
        if np is None:
            if v.needs_noun:
                return None
        else:
            _apply_noun(ctx, d, np)
    drafts.append(d)
    return ctx.tok_at(d.end)


def _apply_noun(ctx: Context, d: _Draft, np: NounPhrase) -> None:
    head = ctx.toks[np.head].text
    lemma = ctx.lemma(head)
    unit_code = ctx.lex.unit_words.get(head.lower())
    if unit_code:                       # "several days", "hundreds of kilometres"
        d.kind, d.unit = "other", unit_code
    else:
        d.unit, d.entity = lemma, ctx.text[np.start:np.end]
    d.end = max(d.end, np.end)


# --- numbers --------------------------------------------------------------------------------

def _modifier(ctx: Context, pos: int) -> tuple[str | None, int]:
    m = ctx.lex.modifier_re.search(ctx.text, max(0, pos - 25), pos)
    if not m:
        return None, pos
    return ctx.lex.modifiers[norm(m.group("mod")).lower()], m.start()


def _bounds(value: float, mod: str | None, whole: bool):
    """(low, best, high, approximate) for a value and the modifier in front of it."""
    if mod == "above":
        return (value + 1 if whole else value), None, None, False
    if mod == "min":
        return value, None, None, False
    if mod == "max":
        return None, None, value, False
    if mod == "below":
        return None, None, (value - 1 if whole else value), False
    if mod == "near":
        return None, value, value, True
    if mod == "approx":
        return None, value, None, True
    return value, value, value, False


def _is_year(a: Amount, text: str) -> bool:
    raw = text[a.core_start:a.core_end]
    return a.plain_integer and len(raw) == 4 and 1800 <= a.value <= 2100 and not a.scaled


def _second_amount(ctx: Context, pos: int) -> tuple[Amount | None, str | None]:
    """The amount right after a range connector, with an optional modifier ('to about $10m')."""
    start = pos
    j = ctx.tok_at(pos)
    n = len(ctx.toks)
    for jj in range(j, min(j + 4, n)):
        t = ctx.toks[jj]
        if t.kind == "num" or (t.kind == "word" and word_number(ctx.toks, jj, ctx.lex)):
            b = amount_at(ctx, jj)
            if b is None:
                return None, None
            mod, mstart = _modifier(ctx, b.start)
            if mod and mstart >= start:
                return b, mod
            if b.start != start:
                return None, None
            return b, None
    return None, None


def _change_or_range(ctx: Context, a: Amount, b: Amount, outer: str | None, conn: str,
                     start: int) -> str | None:
    """'change', 'range' or None (not linked) for 'a <conn> b'."""
    s, _ = ctx.sentence(start)
    # the verb nearest before the amounts decides: "ranged from" vs "rose from"
    for w in reversed(re.findall(r"[^\W\d_]+", ctx.text[s:start].lower())):
        if w.startswith(_RANGE_VERBS):
            return "range"
        if w.startswith(ctx.lex.change_prefixes):
            if conn == "from" and a.value != b.value:
                return "change_back"                         # "rose to $1,500 from $500"
            if conn in ("to", "-") and (outer == "from" or conn == "to") and a.value != b.value:
                return "change"
            break
    if conn == "to" and a.value > b.value:
        return "change"
    if conn == "from":
        return None
    if conn in ("-", "to", "through") and a.value > b.value and outer != "from":
        return None
    return "range"


@dataclass
class _Link:
    a: Amount                       # the first amount, units completed from the second
    b: Amount | None = None         # the second amount of a range or change
    bmod: str | None = None         # modifier in front of the second amount
    how: str | None = None          # "range" | "change"
    conn: str = ""                  # "to", "and", "or", "through", "-"
    years: bool = False             # "2013-14": a span of years, not a quantity


def _link(ctx: Context, a: Amount, outer: str | None, start: int) -> _Link:
    """A range or change after amount a: 'between 10 and 15', '3 to 4 L', 'from $81m to $10m'."""
    text = ctx.text
    after = a.end
    if outer == "from" and (ym := _YEAR_BETWEEN.match(text, a.end)):
        after = ym.end()
    cm = _CONNECTOR.match(text, after) or _FROM_AFTER.match(text, after)
    if not cm:
        return _Link(a)
    conn = (cm.group("w") or "-").lower()
    if conn == "from" and not _TO_BEFORE.search(text, max(0, start - 6), start):
        return _Link(a)                                      # only "rose to $1,500 from $500"
    if conn == "and" and outer != "between":
        return _Link(a)
    b, bmod = _second_amount(ctx, cm.end())
    if b is None:
        return _Link(a)
    if _is_year(a, text) and a.unit is None and not _is_year(b, text):
        prev = ctx.prev_word(ctx.tok_at(a.start))
        if prev is not None and prev.low in ctx.lex.year_leads:
            return _Link(a)                                  # "$81 million in 2015 to $10 million"
    if conn == "-" and _is_year(a, text) and (_is_year(b, text) or b.core_end - b.core_start == 2):
        return _Link(a, b, years=True)
    compatible = (a.kind == b.kind and (a.unit == b.unit or a.unit is None or b.unit is None)) \
        or (a.kind == "count" and a.unit is None) or (b.kind == "count" and b.unit is None)
    if not compatible:
        return _Link(a)
    if a.kind == "count" and b.kind != "count":
        a = replace(a, kind=b.kind, unit=b.unit)
    elif b.kind == "count" and a.kind != "count":
        b = replace(b, kind=a.kind, unit=a.unit)
    elif a.unit is None:
        a = replace(a, unit=b.unit)
    if b.scaled and not a.scaled and a.value < b.value:      # "between 3 and 4 million"
        factor = _scale_factor(b, text, ctx.lex)
        if factor and a.value * factor <= b.value * 1.0001:
            a = replace(a, value=a.value * factor, scaled=True)
    a, b = replace(a, per=a.per or b.per), replace(b, per=b.per or a.per)
    how = _change_or_range(ctx, a, b, outer, conn, start)
    return _Link(a, b, bmod, how, conn) if how else _Link(a)


def _uncertainty(ctx: Context, a: Amount, start: int) -> _Draft | None:
    """'2,000.45±0.01 pounds': a value with its uncertainty."""
    m = _PLUS_MINUS.match(ctx.text, a.end)
    if not m:
        return None
    u, _ = _second_amount(ctx, m.end())
    if u is None or (a.unit is not None and u.unit not in (None, a.unit)):
        return None
    kind, unit = (u.kind, u.unit) if a.kind == "count" and u.kind != "count" else (a.kind, a.unit)
    return _Draft(start, u.end, kind, a.value - abs(u.value), a.value, a.value + abs(u.value),
                  unit=unit, per=a.per or u.per)


def _quantity_at(ctx: Context, i: int, drafts: list[_Draft]) -> int | None:
    text, lex = ctx.text, ctx.lex
    a = amount_at(ctx, i)
    if a is None:
        return None
    mod, start = _modifier(ctx, a.start)
    outer = None
    own_start = start                      # where the amount starts without "between"/"from"
    if mod in ("between", "from"):
        outer, mod, own_start = mod, None, a.start
    elif mod:
        o, ostart = _modifier(ctx, start)
        if o in ("between", "from"):
            outer, start = o, ostart

    d = _uncertainty(ctx, a, start)
    if d is not None:
        drafts.append(d)
        return ctx.tok_at(d.end)

    # "45 and 50 mg": a bare number takes the unit written after the next one
    andm = _AND_NEXT.match(text, a.end)
    if andm and a.kind == "count" and outer != "between":
        nb, _ = _second_amount(ctx, andm.end())
        if nb is not None and nb.kind != "count":
            a = replace(a, kind=nb.kind, unit=nb.unit, per=nb.per)

    end = a.end
    pm = lex.postmod_re.match(text, a.end)                  # "500 or more", "300+"
    if pm:
        mod = lex.postmodifiers[norm(pm.group("pm")).lower()]
        end = pm.end()
        link = _Link(a)
    else:
        link = _link(ctx, a, outer, start)
        if link.years:
            return ctx.tok_at(link.b.end)                  # "2013-14", "2014-2015"
        a = link.a
    b = link.b if link.how else None
    if b is not None:
        end = b.end
    elif outer:
        start = own_start                  # "captured 1,500 fighters from 46 countries"

    whole = a.kind == "count" and float(a.value).is_integer()
    low, best, high, approx = _bounds(a.value, mod, whole)
    d = _Draft(start, end, a.kind, low, best, high, unit=a.unit, per=a.per, approximate=approx)
    if a.kind == "count":
        verdict = _count_noun(ctx, i, a, d, end, drafts, linked=b is not None)
        if verdict is not None:
            return verdict
    if a.kind == "money" and d.per is None:                 # "monthly incomes ... $10 million"
        s, _ = ctx.sentence(start)
        adjs = list(lex.adjective_re.finditer(text, s, start))
        if adjs:
            d.per = lex.per_adjectives[adjs[-1].group("adj").lower()]

    if b is not None and link.how == "range":
        d.low, d.best, d.high = min(a.value, b.value), None, max(a.value, b.value)
        d.approximate = d.approximate or link.conn == "or" or link.bmod == "approx"
        drafts.append(d)
        return ctx.tok_at(d.end)
    if b is not None and link.how in ("change", "change_back"):
        newer, older = (b, a) if link.how == "change" else (a, b)
        trend = "decline" if newer.value < older.value else "rise"
        noun_end = d.end if d.kind == "count" and d.entity else b.end
        d.end = a.end
        low, best, high, approx = _bounds(b.value, link.bmod, whole)
        d2 = _Draft(b.start, max(b.end, noun_end), d.kind, low, best, high, unit=d.unit,
                    entity=d.entity, per=d.per, approximate=approx, trend=trend)
        d.trend, d.pair, d2.pair = trend, d2, d
        drafts.extend([d, d2])
        return ctx.tok_at(d2.end)
    drafts.append(d)
    return ctx.tok_at(d.end)


def _scale_factor(b: Amount, text: str, lex) -> float | None:
    raw = digit_value(text[b.core_start:b.core_end].lstrip("-−"), lex)
    if not raw:
        return None
    return abs(b.value / raw)


def _count_noun(ctx: Context, i: int, a: Amount, d: _Draft, end: int, drafts: list[_Draft],
                *, linked: bool) -> int | None:
    """Attach the counted noun to a count, or reject the number (year, date, name...).
    Returns a token index to resume from when the number is rejected, else None."""
    text, toks, lex = ctx.text, ctx.toks, ctx.lex
    skip = ctx.tok_at(max(end, a.end))
    if a.bare_one:
        k = ctx.tok_at(a.end)
        if k < len(toks) and toks[k].low == "of":
            return skip                                     # "one of the leaders"
        np = noun_phrase(ctx, a.end, singular_ok=True, allow_of=False)
        if np is None or ctx.lemma(toks[np.head].text) not in lex.person_nouns \
                or ctx.is_plural(toks[np.head]):
            return skip                                     # "One Response", "one costs"
    else:
        np = noun_phrase(ctx, end, singular_ok=a.value == 1)
    prev = ctx.prev_word(i)
    prev_raw = toks[i - 1] if i > 0 else None
    nxt_i = ctx.tok_at(a.end)
    nxt = toks[nxt_i] if nxt_i < len(toks) else None
    if a.digits:
        # dates: "June 14", "14 June", "September 25, 2017"
        if (prev and prev.text.rstrip(".") in lex.months) or (nxt and nxt.text.rstrip(".") in lex.months):
            return skip
        # calendar years
        if _is_year(a, text) and not linked and (np is None or (prev and prev.low in lex.year_leads)):
            return skip
        # list markers: "1. Alan", "2) ..."
        line_start = text.rfind("\n", 0, a.start) + 1
        if not text[line_start:a.start].strip() and re.match(r"[.)]\s", text[a.end:a.end + 2]):
            return skip
    if np is None:
        # names and identifiers: "Voyager 2", "English 101", "Core i7 860"
        if prev_raw is not None and prev_raw.kind == "word" and prev_raw.text[0].isupper() \
                and prev_raw.text not in lex.name_exceptions and prev_raw.text not in lex.months:
            return skip
        if prev_raw is not None and prev_raw.kind == "num" and i >= 2 and prev_raw.glued \
                and toks[i - 2].kind == "word":
            return skip
        # elliptic counts: "killed 89 people (130 in total ...)"
        if lex.elliptic_re.match(text, a.end):
            s, _ = ctx.sentence(a.start)
            earlier = [p for p in drafts if p.kind == "count" and p.unit and p.start >= s]
            if earlier:
                d.unit = earlier[-1].unit
        return None
    if np.skipped_of and a.value == 1 and not a.digits:
        return skip
    _apply_noun(ctx, d, np)
    # "smuggled 100 people a day", "2,000 fighters per month"
    m = lex.per_re.match(text, d.end)
    if m and not m.group("each"):
        per = _per_value(ctx, m)
        if per:
            d.per, d.end = per, m.end()
    return None

