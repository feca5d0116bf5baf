"""Sentences that tell the war's past or a running total rather than one incident.

    is_background(sent, event, ctx) -> bool     the sentence gives no day to the article's incident

News reports close with context: "so far this year", "to date", "in total", "the conflict
has killed more than 300,000 people since 2011". Events told in such a sentence never lend
or take the article's incident day (events_day.py). A killing that is a war's running toll is
no event at all (events_counts.is_cumulative, which this module reuses for the trigger).
Words: data/time_words.toml ``[event_day] background_words``.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from newsgraph.extraction import events_counts as counts

__all__ = ["is_background"]


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], tuple[str, ...]]:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("time_words.toml").read_text("utf-8"))
    words = data["event_day"]["background_words"]
    return frozenset(w.lower() for w in words if " " not in w), tuple(w.lower() for w in words if " " in w)


def is_background(sent, ev, ctx) -> bool:
    single, phrases = _words()
    low = sent.text.lower()
    if any(t.lower_ in single for t in sent) or any(p in low for p in phrases):
        return True
    span = ctx.doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
    return span is not None and len(span) > 0 and counts.is_cumulative(span.root, ctx)
