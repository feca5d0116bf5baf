"""The grammar of one amount: number core, currency, scale, unit, per-phrase, counted noun.

``amount_at`` reads the amount that starts at a token (``$2,000 each``, ``81 million``,
``twenty-one years``, ``1,500,000 kilometres``); ``noun_phrase`` finds the counted noun after a
bare number (``IS family members``); ``lemma`` turns its head into the unit of a count.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from newsgraph.extraction.quantities_lexicon import Lexicon, norm
from newsgraph.extraction.quantities_numbers import (
    Tok, date_like_fraction, digit_value, overlaps, word_number)

CURRENCY_CHARS = set("$€£¥₺₽₹")
SENTENCE_END = re.compile(r"[.!?]\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z0-9•*-])")


@dataclass(frozen=True)
class Amount:
    value: float
    tok_start: int          # first token of the number core
    tok_end: int            # token after the core
    start: int              # char span of the amount (currency prefix .. unit / per)
    end: int
    core_start: int
    core_end: int
    digits: bool            # written in digits (not words)
    plain_integer: bool     # digits only, no grouping, no decimals: candidate year / identifier
    kind: str = "count"
    unit: str | None = None
    per: str | None = None
    scaled: bool = False
    code_prefix: bool = False   # currency written as a letter code before the amount ("TL 200")
    bare_one: bool = False


class Context:
    """One text with its tokens, masks and lexicon; helpers shared by the grammar rules."""

    def __init__(self, text: str, toks: list[Tok], masks, lex: Lexicon):
        self.text = text
        self.toks = toks
        self.starts = [t.start for t in toks]
        self.masks = masks
        self.lex = lex
        self.bounds = [0] + [m.end() for m in SENTENCE_END.finditer(text)] + [len(text) + 1]

    def tok_at(self, pos: int) -> int:
        """Index of the first token starting at or after char position pos."""
        return bisect_left(self.starts, pos)

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect_left(self.bounds, pos + 1) - 1
        return self.bounds[i], self.bounds[i + 1]

    def prev_word(self, i: int, skip=(",",)) -> Tok | None:
        k = i - 1
        while k >= 0 and self.toks[k].text in skip:
            k -= 1
        return self.toks[k] if k >= 0 else None

    def is_plural(self, t: Tok) -> bool:
        w = t.low
        if t.kind != "word" or "'" in t.text or "’" in t.text:
            return False
        if w in self.lex.plurals:
            return True
        if t.text.isupper() or w in self.lex.not_plural:
            return False
        return len(w) >= 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous"))

    def lemma(self, word: str) -> str:
        lex = self.lex
        if word in lex.lemmas:
            return lex.lemmas[word]
        w = word.lower()
        if w in lex.lemmas:
            return lex.lemmas[w]
        if w.endswith("ies") and len(w) > 4:
            return w[:-3] + "y"
        if w.endswith(("sses", "shes", "ches", "xes", "zzes")):
            return w[:-2]
        if w.endswith("s") and not w.endswith("ss"):
            return w[:-1]
        return w


# --- the number core --------------------------------------------------------------------

def _identifier_before(ctx: Context, i: int) -> bool:
    """'B-21', 'MI6', 'J1149.5', 'mid-2015': letters glued to the number on its left."""
    k = i
    has_word = has_currency = False
    while k > 0 and ctx.toks[k].glued:
        k -= 1
        t = ctx.toks[k]
        if t.kind == "word":
            has_word = True
        if t.text in CURRENCY_CHARS:
            has_currency = True
    return has_word and not has_currency


def _negative(text: str, start: int) -> bool:
    if start == 0 or text[start - 1] not in "-−":
        return False
    before = text[start - 2] if start >= 2 else " "
    return before.isspace() or before in "($€£" or start == 1


def amount_at(ctx: Context, i: int) -> Amount | None:
    """The amount whose number starts at token i, or None if there is none there."""
    text, toks, lex = ctx.text, ctx.toks, ctx.lex
    t = toks[i]
    bare_one = False
    if t.kind == "num":
        if overlaps(ctx.masks, t.start, t.end) or _identifier_before(ctx, i):
            return None
        value = digit_value(t.text, lex)
        if value is None:
            return None
        core_start, core_end, tok_end, digits = t.start, t.end, i + 1, True
        plain = t.text.isdigit()
        fraction = "/" in t.text or t.text[-1] in lex.unicode_fractions
        if _negative(text, t.start):
            value, core_start = -value, t.start - 1
    elif t.kind == "word":
        if i > 0 and toks[i].glued and toks[i - 1].kind == "word":
            return None
        wn = word_number(toks, i, lex)
        if wn is None:
            return _article_unit(ctx, i)
        value, tok_end, digits, plain, bare_one = wn.value, wn.end, False, False, wn.bare_one
        fraction = wn.fraction
        core_start, core_end = t.start, toks[wn.end - 1].end
    else:
        return None

    amt = Amount(value, i, tok_end, core_start, core_end, core_start, core_end, digits, plain,
                 bare_one=bare_one)
    # currency before the amount: "$", "\$ ", "US$", "TL "
    window_start = max(0, core_start - 12)
    m = lex.currency_prefix_re.search(text, window_start, core_start)
    if m and (m.start() == window_start or not text[m.start() - 1].isalnum()):
        alias = m.group("cur").replace("\\", "")
        code = lex.currency_prefix.get(alias) or lex.currency_prefix.get(norm(alias)) \
            or lex.currency_prefix.get(alias.replace(" ", ""))
        if code:
            amt = replace(amt, kind="money", unit=code, start=m.start(),
                          code_prefix=alias[0].isalpha())
    pos = core_end
    pos, amt = _scale(ctx, amt, pos)
    pos, amt = _unit_or_currency(ctx, amt, pos)
    if amt is None:
        return None
    if amt.plain_integer and date_like_fraction(t.text):
        return None
    if "/" in t.text and amt.kind == "count" and date_like_fraction(t.text):
        return None
    if fraction and amt.kind == "count" and not amt.scaled:
        amt = replace(amt, kind="other", unit="fraction")     # "two thirds", "1/40": not a count
    # per-phrase: "each", "per trip", "a month", "/hour"
    m = lex.per_re.match(text, pos)
    if m and amt.kind != "count":
        per = _per_value(ctx, m)
        if per:
            amt = replace(amt, per=per)
            pos = m.end()
    # letters glued on the right that we did not read: "06F6", "1960s", "21st", "860BOX"
    if pos < len(text) and text[pos].isalnum() and not text[pos - 1].isspace():
        return None
    return replace(amt, end=max(pos, amt.end))


def _article_unit(ctx: Context, i: int) -> Amount | None:
    """'a gallon', 'a mile', 'for about a week': the article as the number one."""
    text, toks, lex = ctx.text, ctx.toks, ctx.lex
    if toks[i].low not in ("a", "an"):
        return None
    m = lex.unit_re.match(text, toks[i].end)
    if not m or m.group("sep") == "" or "-" in m.group("sep"):
        return None
    word = norm(m.group("unit")).lower()
    code = lex.unit_words.get(word)
    if not code:
        return None
    dim = lex.units[code].dim
    prev = ctx.prev_word(i)
    if dim == "time":
        if not prev or prev.low not in lex.time_one_after:
            return None
    elif dim not in lex.unit_article_dims:
        return None
    t = toks[i]
    return Amount(1.0, i, i + 1, t.start, m.end(), t.start, t.end, False, False,
                  kind="other", unit=code)


def _scale(ctx: Context, amt: Amount, pos: int) -> tuple[int, Amount]:
    lex = ctx.lex
    m = lex.scale_re.match(ctx.text, pos)
    if not m:
        return pos, amt
    if m.group("glued"):
        g = m.group("glued")
        if g in lex.scale_money_glued:
            if amt.kind != "money":
                return pos, amt
            factor = lex.scale_money_glued[g]
        else:
            factor = lex.scale_glued[g]
    else:
        factor = lex.scale_words[m.group("word").lower()]
    return m.end(), replace(amt, value=amt.value * factor, scaled=True, end=m.end())


def _money_context(ctx: Context, pos: int) -> bool:
    s, e = ctx.sentence(pos)
    words = re.findall(r"[^\W\d_]+", ctx.text[s:e].lower())
    return any(w in ctx.lex.money_cues for w in words)


def _unit_or_currency(ctx: Context, amt: Amount, pos: int) -> tuple[int, Amount | None]:
    text, lex = ctx.text, ctx.lex
    # ages: "30-years-old", "aged 30"
    m = lex.age_after_re.match(text, pos)
    before = lex.age_before_re.search(text, max(0, amt.start - 8), amt.start)
    if m or before:
        end = m.end() if m else pos
        start = before.start() if before else amt.start
        return end, replace(amt, kind="other", unit="age", start=start, end=end)
    # currency after the amount: "5,000 euros", "200 lira", "20 million pounds", "50 cents"
    m = lex.currency_suffix_re.match(text, pos)
    if m and not (m.group("sep") == "-" and amt.kind == "money"):
        alias = m.group("cur")
        key = norm(alias).lower()
        code = lex.currency_suffix_abbr.get(alias) or lex.currency_suffix_words.get(key)
        factor = 1.0
        if not code and key in lex.subunits:
            code, factor = lex.subunits[key]
        if not code and key in lex.currency_ambiguous and not re.match(r"\s+of\s", text[m.end():]):
            # "300 pounds of explosives" is a weight; "20 million pounds", "paid 300 pounds" money
            if amt.kind == "money" or amt.scaled or _money_context(ctx, pos):
                code = lex.currency_ambiguous[key]
        if code and m.group("sep") != "-":
            return m.end(), replace(amt, kind="money", unit=code, value=amt.value * factor,
                                    end=m.end(), code_prefix=False)
    # measurement unit: "27-kilometer", "4,000 km", "35%", "two weeks"
    m = lex.unit_re.match(text, pos)
    if m and (amt.kind != "money" or amt.code_prefix):
        alias = m.group("unit")
        code = lex.unit_abbr.get(alias) or lex.unit_words.get(norm(alias).lower())
        u = lex.units.get(code) if code else None
        ok = u is not None
        if ok and u.digits_only and not amt.digits:
            ok = False
        if ok and u.lookahead is not None and alias in lex.unit_abbr \
                and not u.lookahead.match(text, m.end()):
            ok = False
        if ok and alias in lex.unit_abbr and "-" in m.group("sep"):
            ok = False
        if ok and amt.bare_one and u.dim == "time":
            prev = ctx.prev_word(amt.tok_start)
            ok = prev is not None and prev.low in lex.time_one_after
        if ok:
            start = amt.core_start if amt.code_prefix else amt.start   # "TRY 14 DAYS": not lira
            return m.end(), replace(amt, kind="other", unit=code, end=m.end(), code_prefix=False,
                                    start=start)
    return pos, amt


def _per_value(ctx: Context, m: re.Match) -> str | None:
    lex = ctx.lex
    if m.group("each"):
        return lex.per_each[norm(m.group("each")).lower()]
    if m.group("a"):
        return lex.per_a_words[m.group("a").lower()]
    word = m.group("per") or m.group("slash")
    if not word:
        return None
    code = lex.unit_abbr.get(word) or lex.unit_words.get(word.lower())
    if code:
        return code
    if word.lower() in lex.np_stop:
        return None
    return ctx.lemma(word)


# --- counted noun phrase ----------------------------------------------------------------

@dataclass(frozen=True)
class NounPhrase:
    first: int      # token index of the first word
    head: int       # token index of the head noun
    start: int      # char offsets of the phrase (first word .. head)
    end: int
    skipped_of: bool


def noun_phrase(ctx: Context, pos: int, *, singular_ok: bool, allow_of: bool = True) -> NounPhrase | None:
    """The counted noun phrase after char position pos: 'IS family members' in
    '3500 IS family members and ...', 'detainees' in 'five of the detainees'."""
    toks, lex = ctx.toks, ctx.lex
    k = ctx.tok_at(pos)
    n = len(toks)
    skipped_of = False
    if allow_of and k < n and toks[k].low == "of":
        k += 1
        if k < n and toks[k].low in lex.of_determiners:
            k += 1
        skipped_of = True
    first = head = None
    words = 0
    while k < n and words < 6:
        t = toks[k]
        if t.kind == "sym":
            if t.text in "-‑" and t.glued and first is not None and k + 1 < n and toks[k + 1].glued:
                k += 1
                continue
            if t.text in "\"“”‘’'" and words < 3:
                k += 1              # 'killed 50 "terrorists"': scare quotes around the noun
                continue
            if t.text == "(" and first is not None:
                # "40 Daesh (outlawed in Russia) militants": a short aside inside the phrase
                close = next((j for j in range(k + 1, min(n, k + 9)) if toks[j].text == ")"), None)
                if close is not None and not any(toks[j].kind == "num" for j in range(k + 1, close)):
                    k = close + 1
                    continue
            break
        if t.kind == "num":
            if t.glued and first is not None and toks[k - 1].text in "-‑":
                k += 1
                continue
            break
        if not t.glued:
            acronym = len(t.text) > 1 and t.text.isupper()      # "IS", "US" are not "is", "us"
            if (t.low in lex.np_stop and not acronym) or t.text in lex.months:
                break
            words += 1
        if first is None:
            first = k
        hyphen_next = k + 1 < n and toks[k + 1].glued and toks[k + 1].text in "-‑"
        if ctx.is_plural(t) and not hyphen_next:
            head = k
            nk = k + 1
            if (nk < n and toks[nk].kind == "word" and not toks[nk].glued
                    and toks[nk].low not in lex.np_stop and ctx.is_plural(toks[nk])
                    and toks[nk].text[0].isupper() == t.text[0].isupper()
                    and toks[nk].low not in lex.unit_words):
                k = nk
                continue
            break
        if singular_ok and not hyphen_next and ctx.lemma(t.text) in lex.person_nouns:
            head = k
            break
        k += 1
    if head is None or first is None:
        return None
    return NounPhrase(first, head, toks[first].start, toks[head].end, skipped_of)
