"""Factuality of an event mention: asserted, reported, hedged, attempted, negated, planned,
historical.

Cue phrases come from data/ontology.toml ([factuality]). A cue applies to a trigger when it
sits in the cue's scope: "chain" (the trigger and the words governing it inside its clause:
"tried to cross", "did not arrest", "plans to cross"), "ancestors" (any governing word:
"police said ... detained"), or "sentence" ("according to ..."). The first class of the
configured order with an applicable cue wins; a time long before publication makes an
event historical, and quotation marks make it reported.
"""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Span, Token

from newsgraph.extraction import events_syntax as sx
from newsgraph.extraction.events_lexicon import Cue, Ontology


def _keys(tok: Token) -> frozenset[str]:
    """What a cue word may match in a token: its form, its lemma, its tag ("<vb>")."""
    return frozenset((tok.lower_, tok.lemma_.lower(), f"<{tok.tag_.lower()}>"))


def cue_matches(sent: Span, onto: Ontology) -> list[tuple[Cue, Token]]:
    """Cue phrases found in ``sent``, longest first, each with the highest token it covers."""
    used: set[int] = set()
    found: list[tuple[Cue, Token]] = []
    toks = list(sent)
    keys = [_keys(t) for t in toks]
    where: dict[str, list[int]] = {}
    for i, ks in enumerate(keys):
        for k in ks:
            where.setdefault(k, []).append(i)
    for cue in onto.cues:
        n = len(cue.words)
        for i in where.get(cue.words[0], ()):
            if i + n > len(toks):
                break
            window = toks[i:i + n]
            if any(t.i in used for t in window):
                continue
            if not all(w in keys[i + k] for k, w in enumerate(cue.words)):
                continue
            if n == 1 and window[0].pos_ in {"PROPN", "NUM"}:
                continue            # "May 22" is not a modal
            if cue.verbs_only and not sx.is_verb(window[0]):
                continue
            head = min(window, key=sx.depth)
            used.update(t.i for t in window)
            found.append((cue, head))
    return found


def _applies(cue: Cue, head: Token, trigger: Token, chain: list[Token], ancestors: list[Token]) -> bool:
    if cue.scope == "sentence":
        return True
    scope = chain if cue.scope == "chain" else ancestors
    if cue.cls == "negated" and cue.scope == "chain":
        anchor = head if head in scope else head.head
        if anchor in scope and any(t.dep_ in {"prep", "pobj", "pcomp"} for t in scope[:scope.index(anchor)]):
            return False    # a denial reaches its own event, not one told in its prepositions:
            #                 "gave no details on the blast", "did not arrest anyone after the clashes"
    if head in scope:
        if cue.scope == "chain" and head != trigger and sx.is_verb(head):
            # a governing verb counts through its complement ("plans to cross", "tried to
            # cross"), not through an adverbial ("pledged allegiance ... before being taken")
            below = scope[scope.index(head) - 1]
            if below.dep_ in {"prep", "pcomp", "pobj", "advcl"} and below.lower_ not in cue.words:
                return False    # ...but "called for the arrest": the cue holds its preposition
        return head != trigger or cue.scope != "ancestors" or cue.cls == "hedged"
    return head.head in scope and head.dep_ in {"aux", "neg", "advmod", "prep", "det", "npadvmod", "mark",
                                                 "auxpass", "acomp", "dep"}


def factuality(trigger: Token, matches: list[tuple[Cue, Token]], onto: Ontology, *,
               in_quote: bool = False, time: dict | None = None, published: dt.date | None = None) -> str:
    chain = sx.chain(trigger)
    ancestors = sx.ancestors_and_self(trigger)
    found = {cue.cls for cue, head in matches if head != trigger or cue.cls in ("negated", "hedged")
             if _applies(cue, head, trigger, chain, ancestors)}
    if in_quote and onto.quotes_are_reported:
        found.add("reported")
    if published and time and time.get("end_date"):
        end = dt.date.fromisoformat(time["end_date"])
        if (published - end).days > 365 * onto.historical_years:
            found.add("historical")
    for cls in onto.factuality_order:
        if cls in found:
            return cls
    return "asserted"
