"""Claim features and the comparison of two claims (for corpus/claims.py).

``features(claim, event, document_id, source)`` reduces a stored claim to what matching needs:
the predicate class (data: origin_cues.toml [predicates]), content words, subject and object
keys, and the time, place, count and money slots (from the claim, else from the per-document
event whose trigger lies in the claim). ``compare(a, b, idf)`` says whether two claims join one
cluster and how they relate: "supporting", "contradicting" (an incompatible count, amount,
date, place, actor role or negation for the SAME event) or "related".

Two numbers contradict only when they count the same thing: same predicate class, same event
(time and place agree or are unknown), same unit, same "per" for money, and neither is a part
("five of the detainees") of the other. A $50 taxi fare per trip and a $2,000 fee each are
different things; so are 27 detainees and 5 of them.
"""
from __future__ import annotations

import math
import re
import tomllib
from functools import lru_cache
from importlib import resources

from newsgraph.corpus.credibility import norm, party_of
from newsgraph.schema.values import DateInterval

VAGUE_PARTS = {"some", "most", "many", "several", "few", "part", "half", "majority", "rest"}
FINE_PLACES = {"point", "town", "city", "village", "district", "facility", "neighbourhood", "neighborhood"}
RELATIVE_TIMES = {"PRESENT_REF", "PAST_REF", "FUTURE_REF"}


@lru_cache(maxsize=1)
def match_data() -> dict:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("origin_cues.toml").read_text("utf-8"))
    classes = {}
    for cls, lemmas in data["predicates"].items():
        for lemma in lemmas:
            classes[lemma] = cls
    m = data["matching"]
    return {"classes": classes, "stopwords": frozenset(m["stopwords"]), **{k: v for k, v in m.items() if k != "stopwords"}}


def predicate_class(lemma: str | None) -> str:
    lemma = (lemma or "").lower().strip()
    return match_data()["classes"].get(lemma, lemma)


def content_tokens(text: str | None) -> list[str]:
    stop = match_data()["stopwords"]
    out = []
    for w in norm(text).split():
        if w in stop or w.isdigit() or len(w) < 2:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return out


def _key(mention: dict | None) -> str | None:
    if not mention or not mention.get("text"):
        return None
    if mention.get("canonical"):
        return norm(mention["canonical"])
    words = content_tokens(mention["text"])
    return words[-1] if words else None


def _time(claim: dict, event: dict | None) -> dict | None:
    """The claim's interval: its event's date, else its time slot (a time expression)."""
    t = claim.get("slots", {}).get("time") or {}
    d = DateInterval.from_json((event or {}).get("date")) or (
        DateInterval.from_time(t) if t.get("value") not in RELATIVE_TIMES else None)
    return {"start": d.start, "end": d.end, "precision": d.precision} if d else None


def _place(claim: dict, event: dict | None, geocoded: dict | None = None) -> dict | None:
    """The claim's place: its event's, else its place slot, geocoded when the document's mention
    of it was (``geocoded``: mention start -> place), so that two towns differ."""
    place = (event or {}).get("place") or {}
    slot = claim.get("slots", {}).get("place") or {}
    if not place.get("geonames_id") and slot.get("start") is not None:
        place = (geocoded or {}).get(slot["start"]) or {}
    if place.get("geonames_id"):
        return {"key": "geo:" + str(place["geonames_id"]), "name": place.get("name"),
                "fine": place.get("precision") in FINE_PLACES}
    if slot.get("text"):
        return {"key": norm(slot.get("canonical") or slot["text"]), "name": slot.get("canonical") or slot["text"],
                "fine": False}
    return None


def _amount(q: dict | None) -> dict | None:
    if not q:
        return None
    text = q.get("text") or ""
    words = norm(text).split()
    partial = " of " in f" {norm(text)} " or bool(words and words[0] in VAGUE_PARTS)
    return {"low": q.get("low"), "best": q.get("best"), "high": q.get("high"), "unit": q.get("unit"),
            "per": q.get("per"), "text": text, "partial": partial}


def is_incident(f: dict) -> bool:
    """A claim about an incident: linked to an incident event of its document, or with an incident predicate."""
    m = match_data()
    return f.get("event_type") in set(m["incident_event_types"]) or f["pred_class"] in set(m["incident_predicates"])


def member_group(subject: dict | None, document_group: str | None) -> str | None:
    """The group whose members a subject names: "IS terrorists", "foreign fighters for the Islamic
    State" -> Islamic State; "the Islamists" -> the article's main armed group (``document_group``)."""
    text = (subject or {}).get("text")
    if not text:
        return None
    words = content_tokens(text)
    members = set(match_data()["member_nouns"])
    if not words or not any(w in members for w in words):
        return None
    short = next((group for abbr, group in match_data()["member_abbreviations"].items()
                  if re.search(rf"(?<![A-Za-z]){re.escape(abbr)}(?![A-Za-z])", text)), None)
    return party_of(text) or party_of((subject or {}).get("canonical")) or short or document_group


def _places(claim: dict) -> list[str]:
    slots = claim.get("slots") or {}
    places = slots.get("places") or ([slots["place"]] if slots.get("place") else [])
    out = [norm(p.get("canonical") or p.get("text")) for p in places if p.get("text")]
    obj = claim.get("object") or {}
    if obj.get("label") == "PLACE" and obj.get("text"):
        out.append(norm(obj.get("canonical") or obj["text"]))
    return sorted(set(filter(None, out)))


def features(claim: dict, event: dict | None, document_id: str, source: str | None,
             merged_event: str | None = None, document_group: str | None = None,
             geocoded: dict | None = None) -> dict:
    ev = (claim.get("evidence") or [{}])[0]
    slots = claim.get("slots") or {}
    count = slots.get("quantity")
    if count is None and event is not None and event.get("count"):
        count = event["count"]
    f = {
        "id": claim["id"], "document_id": document_id, "source": source,
        "text": claim.get("text"), "sentence": ev.get("sentence"), "start": ev.get("start"), "end": ev.get("end"),
        "subject": (claim.get("subject") or {}).get("text"), "object": (claim.get("object") or {}).get("text"),
        "predicate": claim.get("predicate"), "pred_class": predicate_class(claim.get("predicate")),
        "subject_key": _key(claim.get("subject")), "object_key": _key(claim.get("object")),
        "subject_named": bool((claim.get("subject") or {}).get("canonical")),
        "negated": bool(claim.get("negated")), "modality": claim.get("modality"),
        "hedges": [h.get("text") if isinstance(h, dict) else str(h) for h in claim.get("hedges") or []],
        "tokens": [t for t in content_tokens(claim.get("text"))
                   if t[:4] != (claim.get("predicate") or "")[:4].lower()],  # the verb is in pred_class
        "time": _time(claim, event), "place": _place(claim, event, geocoded),
        "count": _amount(count), "money": _amount(slots.get("money")),
        "event_id": (event or {}).get("id"), "event_type": (event or {}).get("type"),
        "merged_event": merged_event, "copies": [],
    }
    group = member_group(claim.get("subject"), document_group)
    if group and f["pred_class"] in set(match_data()["movement_predicates"]) and not f["negated"]:
        f["movement"] = {"group": group, "places": _places(claim)}
    f["blocks"] = blocking_keys(f)
    return f


def blocking_keys(f: dict) -> list[str]:
    p = f["pred_class"]
    keys = {f"{p}|{t}" for t in f["tokens"]}
    for k in (f["subject_key"], f["object_key"], (f["place"] or {}).get("key")):
        if k:
            keys.add(f"{p}|@{k}")
    if f["event_type"] and f["time"]:
        keys.add(f"{p}|#{f['time']['start']}")
    if f.get("merged_event"):
        keys.add(f"~{f['merged_event']}")  # every claim about one merged event is a candidate
    if f.get("movement"):
        keys.update(f"move|{norm(f['movement']['group'])}|{p}" for p in f["movement"]["places"])
    return sorted(keys)


# --------------------------------------------------------------------------- comparison


def cosine(a: list[str], b: list[str], idf) -> float:
    def vec(tokens):
        v: dict[str, float] = {}
        for t in tokens:
            v[t] = v.get(t, 0.0) + idf(t)
        return v

    va, vb = vec(a), vec(b)
    dot = sum(w * vb.get(t, 0.0) for t, w in va.items())
    na = math.sqrt(sum(w * w for w in va.values()))
    nb = math.sqrt(sum(w * w for w in vb.values()))
    return dot / (na * nb) if na and nb else 0.0


def time_relation(a: dict | None, b: dict | None) -> str | None:
    if not a or not b:
        return None
    if a["end"] < b["start"] or b["end"] < a["start"]:
        return "differ"
    fine = {"day", "week"}
    return "same" if a.get("precision") in fine and b.get("precision") in fine else None


def place_relation(a: dict | None, b: dict | None) -> str | None:
    if not a or not b:
        return None
    if a["key"] == b["key"] or norm(a.get("name")) == norm(b.get("name")):
        return "same"
    if a["fine"] and b["fine"]:
        return "differ"
    return None


def key_relation(a: str | None, b: str | None) -> str | None:
    if not a or not b:
        return None
    if a == b or a.endswith(" " + b) or b.endswith(" " + a):
        return "same"
    return "differ"


def _fmt(x: dict) -> str:
    if x.get("best") is not None:
        v = x["best"]
    elif x.get("low") is not None:
        v = f"{x['low']:g}+" if x.get("high") is None else f"{x['low']:g}–{x['high']:g}"
        return v
    else:
        return x.get("text") or "?"
    return f"{v:g}"


def _range(x: dict) -> tuple[float, float] | None:
    low = x["low"] if x.get("low") is not None else x.get("best")
    high = x["high"] if x.get("high") is not None else x.get("best")
    if low is None and high is None:
        return None
    return (low if low is not None else -math.inf, high if high is not None else math.inf)


def _unit(unit: str | None) -> str | None:
    if not unit:
        return None
    u = norm(unit)
    return "person" if u in set(match_data()["person_units"]) or u.rstrip("s") in set(match_data()["person_units"]) else u


def amount_conflict(a: dict | None, b: dict | None, what: str) -> str | None:
    """"count 41 vs 27" when two amounts of the same thing cannot both be true."""
    if not a or not b or a["partial"] or b["partial"]:
        return None
    if _unit(a.get("unit")) != _unit(b.get("unit")) or (a.get("per") or None) != (b.get("per") or None):
        return None
    ra, rb = _range(a), _range(b)
    if ra is None or rb is None or not (ra[1] < rb[0] or rb[1] < ra[0]):
        return None
    return f"{what} {_fmt(b)} vs {_fmt(a)}"


def compare(a: dict, b: dict, idf) -> dict:
    """{match, relation, reason, score} of claim ``b`` against claim ``a`` (features)."""
    m = match_data()
    same_pred = a["pred_class"] == b["pred_class"]
    t = time_relation(a["time"], b["time"])
    p = place_relation(a["place"], b["place"])
    s = key_relation(a["subject_key"], b["subject_key"])
    if s == "differ" and not (a.get("subject_named") and b.get("subject_named")):
        s = None  # head words ("hundreds", "fighters") do not tell two subjects apart
    o = key_relation(a["object_key"], b["object_key"])
    cos = cosine(a["tokens"], b["tokens"], idf)
    no = {"match": False, "relation": None, "reason": None, "score": cos}
    if is_incident(a) or is_incident(b):
        return _same_incident(a, b, cos, s, no)
    ma, mb = a.get("movement"), b.get("movement")
    if ma and mb and norm(ma["group"]) == norm(mb["group"]) and set(ma["places"]) & set(mb["places"]) \
            and t != "differ" and a["modality"] != "hedged" and b["modality"] != "hedged":
        shared = sorted(set(ma["places"]) & set(mb["places"]))
        return {"match": True, "relation": "supporting", "reason": None,
                "score": 0.5 + cos + 0.1 * len(shared)}
    anchored = (t == "same" and p == "same") or (same_pred and a["tokens"] and a["tokens"] == b["tokens"])
    if len(set(a["tokens"]) & set(b["tokens"])) < m["min_shared"] and not anchored:
        return no
    if not anchored and (not (a["subject_key"] or a["object_key"]) or not (b["subject_key"] or b["object_key"])):
        return no  # "who asked not to be named": nothing to say what it is about
    weak = set(m["weak_predicates"])
    same_text = norm(a["text"]) == norm(b["text"])
    if (a["pred_class"] in weak or b["pred_class"] in weak) and not (t == "same" and p == "same") and not same_text and not (
            s == "same" and a.get("subject_named") and b.get("subject_named")):
        return no
    if s == "differ":
        return no  # two named subjects: two propositions ("X lies on the road", "Y lies on the road")
    if same_pred and t != "differ" and p != "differ":
        same_event = s != "differ" and (t == "same" or p == "same" or cos >= m["event_cosine"])
        if not (cos >= m["same_cosine"] or (t == "same" and p == "same") or (same_event and cos >= m["same_cosine"] / 2)):
            return no
        score = cos + 0.3 * (t == "same") + 0.3 * (p == "same") + 0.2 * (s == "same")
        if same_event:
            reasons = _conflicts(a, b)
            if reasons:
                return {"match": True, "relation": "contradicting", "reason": "; ".join(reasons), "score": score}
        if s == "differ" and cos < m["related_cosine"] or a["negated"] != b["negated"]:
            return {"match": True, "relation": "related", "reason": None, "score": score}
        return {"match": True, "relation": "supporting", "reason": None, "score": score}
    if same_pred and s == "same" and o == "same" and cos >= m["related_cosine"] and a.get("subject_named") \
            and b.get("subject_named"):  # "police" in two towns are two police forces, not one told two ways
        reason = "date" if t == "differ" else "place"
        a_v = a["time"]["start"] if reason == "date" else a["place"]["name"]
        b_v = b["time"]["start"] if reason == "date" else b["place"]["name"]
        return {"match": True, "relation": "contradicting", "reason": f"{reason} {b_v} vs {a_v}", "score": cos}
    if not same_pred and cos >= m["related_cosine"] and t != "differ" and p != "differ":
        return {"match": True, "relation": "related", "reason": None, "score": cos}
    return no


def _conflicts(a: dict, b: dict) -> list[str]:
    """Why two claims about one incident contradict each other: their counts or amounts, one
    denying what the other asserts, or the actors' roles reversed."""
    reasons = [r for r in (amount_conflict(a["count"], b["count"], "count"),
                           amount_conflict(a["money"], b["money"], "amount")) if r]
    if a["negated"] != b["negated"]:
        reasons.append("one says it did not happen")
    if (a["subject_key"] and a["subject_key"] == b["object_key"] and a["object_key"]
            and a["object_key"] == b["subject_key"] and a["subject_key"] != a["object_key"]):
        reasons.append("actor roles reversed")
    return reasons


def _copies(a: dict, b: dict) -> bool:
    """``a``'s document is a near-duplicate of ``b``'s, or credits ``b``'s publisher (a repost)."""
    copies = a.get("copies") or ()
    return b["document_id"] in copies or bool(b.get("source")) and "credits:" + norm(b["source"]) in copies


def _same_incident(a: dict, b: dict, cos: float, s: str | None, no: dict) -> dict:
    """Claims about incidents join only inside one merged event: same event type, time and place at
    their precision, compatible participants (the identity of corpus/events.py); or as the same
    words in near-duplicate documents (``copies``: a repost, a wire copy)."""
    m = match_data()
    copies = _copies(a, b) or _copies(b, a)
    if not (a.get("merged_event") and a.get("merged_event") == b.get("merged_event")):
        # a repost or wire copy of one article tells the same incident in the same words
        if copies and a["pred_class"] == b["pred_class"] and cos >= m["copy_cosine"]:
            return {"match": True, "relation": "supporting", "reason": None, "score": 1.0 + cos}
        return {**no, "reason": "not the same incident (no shared merged event)"}
    score = 1.0 + cos + 0.2 * (s == "same")
    if a["pred_class"] != b["pred_class"]:
        if cos >= m["related_cosine"]:
            return {"match": True, "relation": "related", "reason": None, "score": score - 1.0}
        return no
    reasons = _conflicts(a, b)
    if reasons:
        return {"match": True, "relation": "contradicting", "reason": "; ".join(reasons), "score": score}
    return {"match": True, "relation": "supporting", "reason": None, "score": score}
