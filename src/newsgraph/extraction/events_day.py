"""The day of each event whose own clause gives none, with how it was found.

    date_events(events, sents, ctx) -> None      (fills ``event.time`` in place)

News is written so that the reader knows when each incident happened without every clause
repeating the date. An event's time is, in this order (``time["how"]``):

- ``stated``: a time expression of its own clause (events.py ``_time_for``);
- ``sentence``: a time of its sentence given to an event of the same incident (the incident
  pairs are the ontology's ``[merge] fold_into``), or a time of a clause told as the same
  moment ("six people were killed when rockets fired on Friday hit the market");
- ``reported``: the time of the reporting verb of its sentence ("an air strike killed ten
  people, the monitor said on Monday"): the day of the report or the day before;
- ``incident``: the time of the article's first-told incident of its kind, when this later
  mention tells the same kind of incident and the sentence is not background;
- ``published``: the first incident of its kind in the opening of a news report that is
  dated nowhere takes the day of publication or the day before, which is how breaking news
  is written ("at least ten people were killed in air strikes on the city").

``incident`` and ``published`` are for the incidents a report is written about
(``incident_types``: attacks, killings, arrests ...); a journey, a crossing or a payment told
in a report is as often its background and keeps only the days the text gives it.

Nothing is inferred for a background sentence ("since 2011", "so far", "the war has killed";
events_background.py), for a planned, attempted or denied event, or without a publication
date; the words are in data/time_words.toml ``[event_day]``.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from importlib import resources

from newsgraph.extraction import events_syntax as sx
from newsgraph.extraction.events_background import is_background
from newsgraph.schema.values import DATE_HOW

__all__ = ["date_events", "HOW"]

# the ways an event's day is found, finest evidence first (see the module docstring)
HOW = ("stated", *DATE_HOW)


@lru_cache(maxsize=1)
def _words() -> dict:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("time_words.toml").read_text("utf-8"))
    cues = tomllib.loads(resources.files("newsgraph.data").joinpath("attribution_cues.toml").read_text("utf-8"))
    day = data["event_day"]
    return {
        "no_inference": set(day["no_inference_factuality"]),
        "opening": int(day["opening_sentences"]),
        "same_moment": set(day["same_moment_marks"]),
        "incident_types": set(day["incident_types"]),
        "reporting": set(cues["reporting"]["speech_verbs"]) | set(cues["reporting"]["confirmation_verbs"]),
    }


def _incident_pairs(ctx) -> set[frozenset]:
    fold = ctx.onto.merge.get("fold_into", {})
    return {frozenset((a, b)) for a, b in fold.items()}


def _same_incident(a: str, b: str, pairs: set[frozenset]) -> bool:
    return a == b or frozenset((a, b)) in pairs


def _time_dict(t, how: str, start: str | None = None, end: str | None = None) -> dict:
    return {"text": t.text if t is not None else None, "start": t.start if t is not None else None,
            "end": t.end if t is not None else None,
            "start_date": start or t.start_date, "end_date": end or t.end_date,
            "precision": "day" if start else t.precision, "value": None if start else t.value, "how": how}


def _day_before(day: str | dt.date) -> tuple[str, str]:
    d = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return (d - dt.timedelta(days=1)).isoformat(), d.isoformat()


def _governing_verb(tok):
    t = tok
    for _ in range(8):
        if t.head == t:
            return t if sx.is_verb(t) else None
        t = t.head
        if sx.is_verb(t):
            return t
    return None


def _same_moment(time_root, trig, marks) -> bool:
    """The time sits in a clause told as simultaneous with the event's ("were killed when rockets
    fired on Thursday hit a school"), or the event in one simultaneous with the time's clause."""
    def path(tok):
        out, t = [tok], tok
        while t.head != t and len(out) < 16:
            t = t.head
            out.append(t)
        return out
    up_t, up_e = path(time_root), path(trig)
    common = next((t for t in up_t if t in up_e), None)
    if common is None:
        return False
    crossed = up_t[:up_t.index(common)] + up_e[:up_e.index(common)]
    clauses = [t for t in crossed if t.dep_ in {"advcl", "relcl", "ccomp", "conj", "parataxis", "xcomp", "pcomp"}]
    return bool(clauses) and all(t.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in marks
                                                            for c in t.children) for t in clauses)


def _sentence_times(sent, ctx):
    out = []
    for t in ctx.times:
        if not (sent.start_char <= t.start < sent.end_char) or not t.start_date or not t.end_date:
            continue
        if getattr(t, "modifier", None) == "since":
            continue
        span = ctx.doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and len(span):
            out.append((t, span))
    return out


def _from_sentence(ev, sent, events, ctx, w, pairs) -> dict | None:
    """A time of the event's sentence that dates it: the same incident's, or the report's."""
    trig = ctx.doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
    pos = trig.root.i if trig is not None else sent.start
    best = None
    for t, span in _sentence_times(sent, ctx):
        donor = next((o for o in events if o is not ev and o.time and o.time.get("how") == "stated"
                      and o.time.get("start") == t.start), None)
        if donor is not None:
            if not _same_incident(donor.type, ev.type, pairs):
                continue
            how = "sentence"
        elif trig is not None and _same_moment(span.root, trig.root, w["same_moment"]):
            how = "sentence"
        else:
            verb = _governing_verb(span.root)
            if verb is None or verb.lemma_.lower() not in w["reporting"]:
                continue
            how = "reported"
        key = (HOW.index(how), abs(span.root.i - pos))
        if best is None or key < best[0]:
            best = (key, t, how)
    if best is None:
        return None
    _, t, how = best
    if how == "reported" and t.precision == "day" and t.start_date == t.end_date:
        return _time_dict(t, how, *_day_before(t.start_date))
    return _time_dict(t, how) if how == "sentence" or t.precision == "day" else None


def date_events(events, sents, ctx) -> None:
    """Give every event whose own clause has no time the day its article tells (see module)."""
    w = _words()
    pairs = _incident_pairs(ctx)
    sent_at = {s.start_char: (i, s) for i, s in enumerate(sents)}
    first_of_kind: list = []              # the first event told of each incident kind
    for ev in events:
        if ev.time:
            ev.time.setdefault("how", "stated")
    for ev in events:
        idx, sent = sent_at.get(ev.sentence_start, (None, None))
        if sent is None or ev.factuality in w["no_inference"] or is_background(sent, ev, ctx):
            continue              # never a donor of the article's incident day, never given one
        lede = next((f for f in first_of_kind if _same_incident(f.type, ev.type, pairs)), None)
        if lede is None:
            first_of_kind.append(ev)
        if ev.time:
            continue
        found = _from_sentence(ev, sent, events, ctx, w, pairs)
        told = ev.type in w["incident_types"]   # a journey or a payment keeps only the days it is given
        if found is None and told and lede is not None and lede.time and lede.time.get("start_date"):
            found = dict(lede.time, how="incident")
        elif found is None and told and lede is None and ctx.published and idx < w["opening"]:
            found = {"text": None, "start": None, "end": None, "precision": "day", "value": None,
                     "how": "published"}
            found["start_date"], found["end_date"] = _day_before(ctx.published)
        if found is not None:
            ev.time = found
