"""How many people an event killed, injured or affected (data/event_counts.toml).

* the count of an event's role (events.py ``_count``) is its first count of people; later
  counts of people join it when coordinated ("10 civilians and 4 fighters" = 14, with both as
  sub-counts; "29 fighters were killed along with six militants" = 35) and are parts of it when
  nested ("12 people including 3 children" = 12, "killing 5, among them 2 women" = 5, "34 were
  killed, 6 of them women" = 34; "10 children and 13 rebels were among 48 people" = 48);
* a count of weapons, shells, vehicles, buildings or raids is never a count of people;
* injured and dead are separate: the count of a "wound" trigger is its ``injured``; "left 40
  dead and 70 wounded" gives 40 fatalities and 70 injured; "without any casualties" is 0;
* a toll ("the death toll rose to 20", "a toll of 31") is the fatalities of its incident; a
  later toll or figure of the same incident widens the range (low = smallest, high = largest)
  and the reason says which figure is best;
* a killing that reports a war's cumulative toll ("the war has killed 300000 people since
  2011") is background, not an incident (``is_cumulative``);
* a killing without its own number that refers back to the lede incident ("those killed",
  "the victims", "killed in the attack") takes the incident's count, with the reason.

Every count keeps the quantity module's low/best/high and its evidence span (text, start, end).
"""
from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from spacy.tokens import Span, Token


@cache
def settings() -> dict:
    return tomllib.loads(resources.files("newsgraph").joinpath("data/event_counts.toml").read_text("utf-8"))


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower().replace(",", " ").replace(";", " ")).strip(" -()\"'")


def _ends_with(gap: str, cues) -> bool:
    g = " " + _norm(gap)
    return any(g.endswith(" " + c) for c in cues)


def _starts_with(text: str, cues) -> bool:
    t = _norm(text) + " "
    return any(t.startswith(c + " ") for c in cues)


@cache
def _above_words() -> tuple[str, ...]:
    data = tomllib.loads(resources.files("newsgraph").joinpath("data/quantity_words.toml").read_text("utf-8"))
    return tuple(sorted((w for w, m in data["modifiers"].items() if m == "above"), key=len, reverse=True))


def qdict(q, **extra) -> dict:
    """An event's count from a quantity. "More than 30 killed" counts 30, the stated figure, as
    ACLED codes fatalities (the conservative figure: reports round down to the number a source
    gave); the quantity itself keeps its strict bound (low 31)."""
    d = {"low": q.low, "best": q.best, "high": q.high, "unit": q.unit, "text": q.text,
         "start": q.start, "end": q.end, "approximate": q.approximate, "vague": q.vague}
    low_text = q.text.lower()
    if q.kind == "count" and not q.vague and q.low is not None and q.best is None and q.high is None \
            and any(low_text.startswith(w + " ") for w in _above_words()):
        d["low"] = q.low - 1
        d["reason"] = f"{q.text!r}: the stated figure, as ACLED codes fatalities"
    d.update(extra)
    return d


def _sub(q, relation: str) -> dict:
    return {"best": q.best, "low": q.low, "high": q.high, "of": q.entity, "text": q.text,
            "start": q.start, "end": q.end, "relation": relation}


def is_person_count(q, ctx) -> bool:
    """A count whose unit may be people: any noun but a thing's (weapons, vehicles, buildings,
    raids, measures), or no noun ("killing 14")."""
    if q.kind != "count":
        return False
    unit = (q.unit or "").lower()
    if not unit:
        return True
    return unit not in settings()["non_person_units"] and unit.rstrip("s") not in settings()["non_person_units"]


def _outcome(q, ctx) -> str | None:
    """"40 dead", "70 wounded": what the words right after a count say of those counted."""
    after = ctx.text[q.end:q.end + 40]
    for field in ("injured", "fatalities"):
        if _starts_with(after, settings()["after"][field]):
            return field
    if (getattr(q, "unit", None) or "").lower() in settings()["after"]["fatality_units"]:
        return "fatalities"
    return None


def _conj_heads(q, ctx) -> set[int]:
    span = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or not len(span):
        return set()
    return {t.i for t in span.root.conjuncts}


def _root_i(q, ctx) -> int | None:
    span = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    return span.root.i if span is not None and len(span) else None


def _has_verb(gap: str, start: int, ctx) -> bool:
    """"two men from the militia and three men": no verb between two coordinated counts."""
    span = ctx.doc.char_span(start, start + len(gap), alignment_mode="contract")
    return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)


def combine(first, ctx, sent_end: int) -> tuple[dict, list[dict]]:
    """The count that starts at ``first`` with the counts of people joined to it in its
    sentence: added when coordinated, parts when nested (see the module docstring)."""
    cfg = settings()
    later = sorted((q for q in ctx.quantities if q.start >= first.end and q.end <= sent_end
                    and is_person_count(q, ctx)), key=lambda q: q.start)
    total, nested = [first], []
    prev, mode = first, "add"
    for q in later:
        gap = ctx.text[prev.end:q.start]
        if "." in gap or _outcome(q, ctx) == "injured":
            break
        own = _outcome(prev, ctx)
        after = ctx.text[q.end:q.end + 20]
        if _starts_with(after, cfg["nesting_after"]) or _ends_with(gap, cfg["nesting_cues"]):
            nested.append(q)
            prev, mode = q, "nested"
            continue
        if _ends_with(gap, cfg["container_cues"]) and q.best is not None and all(
                p.best is not None and p.best <= q.best for p in total):
            nested.extend(total)        # "10 children and 13 rebels were among 48 people"
            total, prev, mode = [q], q, "add"
            continue
        joined = _norm(gap) in cfg["adding_cues"] or (_root_i(q, ctx) in _conj_heads(prev, ctx))
        joined = joined or _ends_with(gap, cfg["adding_preps"]) or (
            _ends_with(gap, ["and"]) and own is None and not _has_verb(gap, prev.end, ctx))
        if not joined:
            break
        (nested if mode == "nested" else total).append(q)
        prev = q
    if len(total) == 1:
        count = qdict(first)
    else:
        def tot(attr):
            vals = [getattr(q, attr) for q in total]
            return None if any(v is None for v in vals) else sum(vals)
        low = tot("low")
        if low is None and all(q.low is not None or q.best is not None for q in total):
            low = sum(q.low if q.low is not None else q.best for q in total)
        start, end = total[0].start, total[-1].end
        count = {"low": low, "best": tot("best"), "high": tot("high"), "unit": "person",
                 "text": ctx.text[start:end], "start": start, "end": end,
                 "approximate": any(q.approximate for q in total), "vague": any(q.vague for q in total)}
    subs = ([_sub(q, "part") for q in total] if len(total) > 1 else []) + [_sub(q, "including") for q in nested]
    return count, subs


def people_count(found: list, ctx, sent_end: int) -> tuple[dict | None, list[dict]]:
    """The count of a role from the counts inside its arguments (``found``)."""
    found = sorted((q for q in found if is_person_count(q, ctx)), key=lambda q: q.start)
    if not found:
        return None, []
    first = found[0]
    for q in sorted(ctx.quantities, key=lambda q: -q.start):   # "Five children and [four staff]"
        if q.end <= first.start and is_person_count(q, ctx) and _norm(ctx.text[q.end:first.start]) in ("and", ""):
            if ctx.text[q.end:first.start].strip() in ("and", ",", ", and"):
                first = q
                continue
        if q.end <= first.start:
            break
    return combine(first, ctx, sent_end)


def among_the_dead(tok: Token, ctx) -> dict | None:
    """"70 children were among those killed": at least 70 dead (the figure is a part of a toll
    the sentence does not give)."""
    head = tok.head
    if tok.dep_ not in ("acl", "relcl") or head.lower_ not in ("those", "people", "the") and head.dep_ != "pobj":
        return None
    among = head.head
    if among.lower_ != "among" or among.dep_ != "prep":
        return None
    subj = next((c for c in among.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    q = next((q for q in ctx.quantities if q.kind == "count" and q.start <= subj.idx < q.end + 1
              and q.start >= subj.left_edge.idx and q.end <= subj.idx + len(subj)), None)
    low = None if q is None else (q.low if q.low is not None else q.best)
    if low is None:
        return None
    return {"low": low, "best": None, "high": None, "unit": "person", "text": q.text, "start": q.start,
            "end": q.end, "approximate": False, "vague": False,
            "reason": f"{q.text!r} were among the dead: at least that many"}


def right_after(tok: Token, ctx) -> dict | None:
    """"massacred 250 Syrian troops taken hostage": a count of people right after a killing verb
    is its victims even when the parse hangs the noun elsewhere."""
    if not tok.pos_.startswith("V") or tok.i + 1 >= len(tok.doc):
        return None
    end = tok.idx + len(tok)
    q = next((q for q in ctx.quantities if q.start >= end), None)
    if q is None or ctx.text[end:q.start].strip() or not is_person_count(q, ctx) or not q.unit:
        return None
    return qdict(q, reason="the count right after the verb")


def _one_person(tok: Token, ctx) -> bool:
    """"a woman", "an elderly man", or "one" standing for a person ("one was killed")."""
    if tok.lower_ == "one" and tok.pos_ in ("NUM", "PRON", "NOUN") and not any(c.dep_ == "prep" for c in tok.children):
        return True
    if tok.tag_ != "NN" or tok.lemma_.lower() not in ctx.onto.human_nouns:
        return False
    det = next((c for c in tok.children if c.dep_ == "det"), None)
    return det is not None and det.lower_ in ("a", "an")


def singular_victim(args: list, role: str | None, ctx) -> dict | None:
    """"a woman was killed", "killing a child": one victim in the singular is a count of 1;
    "a child and a woman were killed": each coordinated one counts ("one was killed": 1)."""
    for a in args:
        if a.role != role:
            continue
        people = [a.tok, *a.tok.conjuncts]
        if not all(_one_person(t, ctx) for t in people):
            continue
        n = len(people)
        lo = min(t.idx for t in people)
        hi = max(t.idx + len(t) for t in people)
        start, end = min(a.start, lo), max(a.end if n == 1 else hi, hi)
        return {"low": n, "best": n, "high": n, "unit": "person", "text": ctx.text[start:end], "start": start,
                "end": end, "approximate": False, "vague": False,
                "reason": "one victim in the singular" if n == 1 else f"{n} victims named one by one"}
    return None


# ---------------------------------------------------------------------------------------
# outcomes stated in the sentence

def is_injury(tok: Token) -> bool:
    return tok.lemma_.lower() in settings()["injury_lemmas"]


def sentence_outcomes(sent: Span, ctx) -> dict:
    """Fatalities and injured the sentence states with outcome words ("left 40 dead and 70
    wounded"), toll phrases ("the death toll rose to 20") or none-phrases ("without any
    casualties" = 0)."""
    out: dict = {}
    lo, hi = sent.start_char, sent.end_char
    for q in ctx.quantities:
        if not (lo <= q.start and q.end <= hi) or not is_person_count(q, ctx):
            continue
        field = _outcome(q, ctx)
        before = ctx.text[max(lo, q.start - 25):q.start]
        if field and _ends_with(before, settings()["nesting_cues"]) and not _ends_with(before, settings()["container_cues"]):
            continue                # "11 civilians - among them four women - were killed" (not "were among 39 people")
        if field and field not in out:
            after = _norm(ctx.text[q.end:q.end + 40])
            said = next((w for w in sorted(settings()["after"][field], key=len, reverse=True)
                         if after == w or after.startswith(w + " ")), None)
            why = f"stated as {said!r} after the figure" if said else f"the figure counts {q.unit}s"
            out[field] = qdict(q, reason=why)
        if "fatalities" not in out and is_toll(q, ctx, lo):
            out["fatalities"] = qdict(q, reason="death toll")
    text = " " + _norm(re.sub(r"[.!?:]", " ", ctx.text[lo:hi])) + " "
    for field, phrases in settings()["zero"].items():
        hit = next((p for p in phrases if f" {p} " in text), None)
        if hit and field not in out:
            i = ctx.text.lower().find(hit.split()[0], lo)
            out[field] = {"low": 0, "best": 0, "high": 0, "unit": "person", "text": hit, "start": i if i >= 0 else lo,
                          "end": (i if i >= 0 else lo) + len(hit), "approximate": False, "vague": False,
                          "reason": f"none stated: {hit!r}"}
    return out


_TOLL_WORDS = 16


def is_toll(q, ctx, sent_start: int) -> bool:
    """"the death toll from ... rose to at least 112 people", "a toll of 31": ``q`` is a toll."""
    cfg = settings()["toll"]
    before = _norm(ctx.text[max(sent_start, q.start - 160):q.start])
    words = before.split()
    for n in cfg["nouns"]:
        nw = n.split()
        for i in range(len(words) - len(nw), -1, -1):
            if words[i:i + len(nw)] == nw:
                rest = words[i + len(nw):]
                if len(rest) <= _TOLL_WORDS and _ends_with(" ".join(rest), cfg["links"]):
                    return True
                break
    return False


# ---------------------------------------------------------------------------------------
# background tolls

def _object_phrase(prep: Token) -> list[Token]:
    """The object of a preposition with its modifiers and "of" phrases, not its clauses
    ("in an attack that took the war to ..." is about an attack)."""
    out, todo = [], [c for c in prep.children if c.dep_ == "pobj"]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(c for c in t.children if c.dep_ in ("compound", "amod", "nmod", "poss", "prep", "pobj", "quantmod", "nummod"))
    return out


def _names_war(noun: Token, cfg) -> bool:
    """"the war", "four years of conflict": a noun that is a whole war or a span of one."""
    if noun.lemma_.lower() in cfg["agents"]:
        return True
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(o.lemma_.lower() in cfg["scopes"] for o in c.children)
               for c in noun.children)


def _coordinated(verb: Token) -> list[Token]:
    """The verb with the verbs and clauses coordinated with it: in "12 were killed and
    thousands displaced since 2011" the "since" hangs on "displaced" and dates both."""
    out, todo = [], [verb]
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
        todo.append(verb)
    while todo:
        t = todo.pop()
        if t in out:
            continue
        out.append(t)
        for c in t.children:
            if c.dep_ == "conj" or (c.dep_ == "acl" and t.dep_ == "conj"):
                todo.append(c)
    return out


def opens_a_period(tok: Token) -> bool:
    """"since the fighting began", "since the start of the bombing": the trigger names the
    start of a long period the sentence counts from, not an incident of its own."""
    cfg = settings()["cumulative"]
    head = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in cfg["start_verbs"]:
        return any(c.dep_ == "mark" and c.lower_ == "since" for c in head.children)
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in cfg["since_long"]:
        start = head.head
        return start.dep_ == "pobj" and start.head.lower_ == "since"
    return False


def is_cumulative(tok: Token, ctx) -> bool:
    """"the war has killed more than 300000 people since 2011", "killed in the conflict so
    far": a running total of a war, not an incident."""
    cfg = settings()["cumulative"]
    verb = tok
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj") and c.lemma_.lower() in cfg["agents"]:
            return True
    if tok.dep_ == "relcl" and _names_war(tok.head, cfg):
        return True                 # "a war which has killed ...", "years of war in which ... were killed"
    sub = list(verb.subtree)
    lo, hi = sub[0].idx, sub[-1].idx + len(sub[-1].text)
    clause = " " + _norm(ctx.text[lo:hi]) + " "
    if any(f" {r} " in clause for r in cfg["running"]):
        return True
    heads = _coordinated(verb)
    near = [c for h in heads for c in h.children]
    for c in [*near, *(t for c in near if c.dep_ in ("advcl", "prep") for t in c.children)]:
        low = c.lower_
        if low == "since":
            words = [t.lemma_.lower() for t in c.subtree if t != c]
            if any(w in cfg["since_long"] for w in words) or any(t.like_num and len(t.text) == 4 for t in c.subtree):
                return True
            if c.dep_ == "mark" or any(t.dep_ in ("pcomp",) or t.pos_ == "VERB" for t in c.subtree if t != c):
                return True         # "since peace talks broke off"
        if low in ("in", "during", "over", "throughout") and c.dep_ == "prep":
            words = [t.lemma_.lower() for t in _object_phrase(c)]
            if any(w in cfg["scopes"] for w in words):
                return True
    return False


# ---------------------------------------------------------------------------------------
# counts across the mentions of one incident

def widen(host: dict, other: dict, reason: str) -> dict:
    """The host's count with another figure of the same incident: low the smallest, high the
    largest figure given; best stays the host's figure (the first reported), with the reason."""
    def lo(c):
        return next((c[k] for k in ("low", "best", "high") if c.get(k) is not None), None)

    def hi(c):
        return next((c[k] for k in ("high", "best", "low") if c.get(k) is not None), None)
    if lo(other) is None or lo(host) is None:
        return host
    out = dict(host)
    out["low"] = min(lo(host), lo(other))
    out["high"] = max(hi(host), hi(other))
    if out.get("best") is not None and not out["low"] <= out["best"] <= out["high"]:
        out["best"] = None
    figures = list(host.get("figures") or [{"text": host.get("text"), "start": host.get("start"),
                                            "end": host.get("end"), "reason": host.get("reason")}])
    figures.append({"text": other.get("text"), "start": other.get("start"), "end": other.get("end"), "reason": reason})
    out["figures"] = figures
    out["reason"] = "range of the figures given for one incident; best is the first reported"
    return out


def _deaths(ev) -> dict | None:
    return ev.fatalities or (ev.count if ev.type == "killing" else None)


def _patients(m) -> list:
    return [a for a in m.args if a.role == "patient"]


def _refers_back(m, ctx) -> str | None:
    """Why a killing mention is about an incident already reported: its victims are named
    anaphorically ("those killed", "the victims", "they"), it has none ("were killed in the
    attack"), or its clause names the incident with a definite noun ("in the attack")."""
    merge = ctx.onto.merge
    dets = set(merge.get("anaphoric_determiners", []))
    prons = set(merge.get("anaphoric_pronouns", [])) | {"those"}
    tok = m.tok
    for c in tok.subtree:
        if c.dep_ == "pobj" and c.lemma_.lower() in incident_nouns(ctx) \
                and any(d.dep_ == "det" and d.lower_ in dets for d in c.children):
            return f"the incident named again ({c.head.text} {' '.join(t.text for t in c.subtree)})"
    toll = _toll_of(tok)
    if toll is not None:
        return f"another toll of the incident ({toll.text!r})"
    pats = _patients(m)
    if not pats:
        return "no victims of its own"
    p = pats[0].tok
    if p.lower_ in prons or p.lemma_.lower() in prons:
        return f"anaphoric victims ({p.text!r})"
    if p.tag_ in ("NNS", "NNPS") and any(d.dep_ == "det" and d.lower_ in dets for d in p.children):
        return f"anaphoric victims ({' '.join(t.text for t in p.subtree)!r})"
    return None


def _toll_of(tok: Token) -> Token | None:
    """The toll noun a killing's figure belongs to: "a toll of 31 people killed" (the trigger
    hangs on the counted noun, which is the object of "of" on "toll")."""
    nouns = {n.split()[-1] for n in settings()["toll"]["nouns"] if not n.startswith("number")}
    t = tok
    for _ in range(4):
        if t.head is t:
            return None
        t = t.head
        if t.lemma_.lower() in nouns and t.pos_ == "NOUN":
            return t
        if t.pos_ in ("VERB", "AUX") and t is not tok.head:
            return None
    return None


def _separate(ev, ctx) -> bool:
    """"another seven people were killed": another group of victims."""
    c = ev.count
    start = c["start"] if c and c.get("start") is not None else ev.sentence_start
    before = ctx.text[max(ev.sentence_start, start - 25):start]
    return _ends_with(before, settings()["separate_cues"]) or _starts_with(
        ctx.text[ev.sentence_start:ev.sentence_end], settings()["separate_cues"])


def incident_nouns(ctx) -> set[str]:
    nouns = set(settings()["incident_nouns"])
    for lemma, specs in ctx.onto.triggers.items():
        if any(s.type in settings()["casualty_types"] and s.pos == "NOUN" for s in specs):
            nouns.add(lemma)
    return nouns


def _same_incident(a, b) -> bool:
    from newsgraph.extraction.events_merge import _interval, is_country
    ia, ib = _interval(a.time), _interval(b.time)
    if ia and ib and (ia[1] < ib[0] or ib[1] < ia[0]):
        return False
    if a.place and b.place and a.place["text"].lower() != b.place["text"].lower():
        return is_country(a.place) or is_country(b.place)
    return True


def join_incident(kept: list, ctx, window: int) -> list:
    """A killing mention of an incident already reported takes or widens its count.

    Without a figure of its own it takes the incident's (``reason`` says which mention); with
    one, when it refers back to the incident, its figure widens the incident's range and the
    mention joins the incident's event. Only within ``window`` sentences of the incident,
    never across a second group of victims ("another seven people were killed")."""
    out: list = []
    for m in kept:
        ev = m.event
        if ev.type != "killing" or ev.factuality in ("planned", "negated"):
            out.append(m)
            continue
        host = None
        reach = int(settings().get("anaphora_window", window))
        if _toll_of(m.tok) is not None:
            reach = len(ctx.sent_index)     # a toll compared later in the article
        for k in reversed(out):
            if m.sent_index - k.sent_index > reach:
                break
            if k.event.type in settings()["casualty_types"] and _deaths(k.event):
                host = k
                break
        why = _refers_back(m, ctx) if host is not None else None
        if why == "no victims of its own" and m.sent_index - host.sent_index > window:
            why = None              # only explicit anaphora reaches beyond the sentence group
        if host is None or why is None or _separate(ev, ctx) or not _same_incident(host.event, ev):
            out.append(m)
            continue
        lede = _deaths(host.event)
        if ev.count is None:
            taken = dict(lede, reason=f"the incident of {host.event.trigger!r} at {host.event.trigger_start}: {why}")
            ev.count, ev.fatalities = taken, dict(taken)
            out.append(m)
            continue
        widened = widen(lede, ev.count, f"a figure of the same incident: {why}")
        if host.event.fatalities:
            host.event.fatalities = widened
        if host.event.type == "killing":
            host.event.count = dict(widened)
        starts = {e["start"] for e in host.event.evidence}
        host.event.evidence.extend(e for e in ev.evidence if e["start"] not in starts)
        host.event.evidence.sort(key=lambda e: e["start"])
        host.absorbed.append(m)
    return out
