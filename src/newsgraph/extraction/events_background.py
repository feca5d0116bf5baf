"""Sentences that tell the war's past rather than one incident.

    is_background(sent, event, ctx) -> bool     the sentence gives no day to the article's incident
    drop_statistics(events, sents, ctx) -> list  the events without running tolls of a war

News reports close with context: "the conflict has killed more than 300,000 people since
2011", "since then a quarter of a million people have been killed". Such a figure is a
statistic of the whole war, not an incident with a day, a place and a count: it stays a
claim of its article (claims.py) but is no event to draw on a map. A killing or attack is a
running toll when its subject is the war itself ("the war has killed"), when a "since"
reaches back further than ``statistic_days`` or to the war's start ("since the conflict
began"), or when its figure is larger than any single incident of armed violence
(``statistic_count``). Background sentences in general ("so far", "to date", "in total")
keep their events but never lend or take the article's incident day (events_day.py).
Words and thresholds: data/time_words.toml ``[event_day]``.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from importlib import resources

from newsgraph.extraction import events_syntax as sx

__all__ = ["is_background", "is_statistic", "drop_statistics"]


@lru_cache(maxsize=1)
def _words() -> dict:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("time_words.toml").read_text("utf-8"))
    day = data["event_day"]
    return {
        "words": {w.lower() for w in day["background_words"] if " " not in w},
        "phrases": [w.lower() for w in day["background_words"] if " " in w],
        "agents": set(day["background_agents"]),
        "types": set(day["statistic_types"]),
        "count": int(day["statistic_count"]),
        "days": int(day["statistic_days"]),
    }


def _trigger(ev, ctx):
    span = ctx.doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _war_subject(ev, ctx, w) -> bool:
    tok = _trigger(ev, ctx)
    if tok is None or not sx.is_verb(tok):
        return False
    subj, _ = sx.subject_of(tok)
    return subj is not None and subj.lemma_.lower() in w["agents"]


def is_background(sent, ev, ctx) -> bool:
    w = _words()
    low = sent.text.lower()
    if any(t.lower_ in w["words"] for t in sent) or any(p in low for p in w["phrases"]):
        return True
    return _war_subject(ev, ctx, w)


def _long_since(sent, ctx, w) -> bool:
    for t in ctx.times:
        if sent.start_char <= t.start < sent.end_char and getattr(t, "modifier", None) == "since" \
                and t.start_date and t.end_date:
            if (dt.date.fromisoformat(t.end_date) - dt.date.fromisoformat(t.start_date)).days > w["days"]:
                return True
    for tok in sent:                      # "since the conflict began", "since the start of the war"
        if tok.lower_ == "since":
            if any(n.lemma_.lower() in w["agents"] for n in tok.doc[tok.i + 1: min(tok.i + 6, sent.end)]):
                return True
    return False


def _figure(ev) -> float:
    best = 0
    for c in (ev.count, ev.fatalities):
        if c:
            best = max(best, *(v for v in (c.get("low"), c.get("best")) if isinstance(v, (int, float))), 0)
    return best


def is_statistic(ev, sent, ctx) -> bool:
    w = _words()
    if ev.type not in w["types"]:
        return False
    return _war_subject(ev, ctx, w) or _long_since(sent, ctx, w) or _figure(ev) >= w["count"]


def drop_statistics(events, sents, ctx) -> list:
    by_start = {s.start_char: s for s in sents}
    return [ev for ev in events
            if not (by_start.get(ev.sentence_start) is not None and is_statistic(ev, by_start[ev.sentence_start], ctx))]
