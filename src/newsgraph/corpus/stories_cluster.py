"""Incremental story clustering of documents (what happened, where, when).

A document joins the best existing story whose score reaches the threshold, or starts a new one.
The score combines, each in 0..1 and weighted by data/event_merge.toml [story]:
  text      cosine of TF-IDF vectors over content words (the story side is the centroid of its documents)
  entities  cosine of TF-IDF vectors over entity keys
  types     Jaccard of the event types found in the document and in the story
  place     closeness of the document's places to the story's places (a shared town counts far
            more than a shared country)
A component is left out (and the weights renormalised) when one side lacks what it needs, so that
documents without entities or places are judged on what they have. Then:
  event     a bonus when the document's main event (a precise date and place) is the same event as a
            story's main event; a factor below 1 when it is clearly another one
  time      a factor exp(-days beyond the grace period / scale) from the document's date (published,
            else its first event dated to the day) to the story's date range; a factor below 1 when
            only one side is dated. A story is bounded in time: a document that would stretch it
            beyond ``max_span_days`` does not join it

No all-pairs comparison: candidate stories come from an inverted index of (term, two-week bucket)
keys of the document's heaviest terms and entities, each posting list capped; documents further
apart than the time window are never compared. The index and the document frequencies can be
restored from stored story signatures, so adding documents later gives the same kind of result
without recomputing what is already clustered.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from newsgraph.corpus.stories_eventmatch import compare, compare_place, config

MAX_POSTINGS = 200


@dataclass
class StoryDoc:
    """What story clustering needs to know about one document."""

    id: str
    title: str = ""
    date: dt.date | None = None
    terms: Counter = field(default_factory=Counter)
    entities: Counter = field(default_factory=Counter)
    types: set[str] = field(default_factory=set)
    places: list[dict] = field(default_factory=list)
    main_event: dict | None = None


@dataclass
class Story:
    id: str
    documents: list[str] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)
    entities: dict[str, float] = field(default_factory=dict)
    types: Counter = field(default_factory=Counter)
    places: list[dict] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    events: list[dict] = field(default_factory=list)
    keys: list[list] = field(default_factory=list)
    keyset: set = field(default_factory=set, repr=False)

    def signature(self) -> dict:
        """A JSON form of the story's clustering state (kept in the store between runs)."""
        return {"id": self.id, "documents": self.documents, "terms": self.terms, "entities": self.entities,
                "types": dict(self.types), "places": self.places,
                "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None, "events": self.events, "keys": self.keys}

    @classmethod
    def from_signature(cls, data: dict) -> Story:
        return cls(id=data["id"], documents=list(data["documents"]), terms=dict(data["terms"]),
                   entities=dict(data["entities"]), types=Counter(data["types"]), places=list(data["places"]),
                   start=dt.date.fromisoformat(data["start"]) if data.get("start") else None,
                   end=dt.date.fromisoformat(data["end"]) if data.get("end") else None,
                   events=list(data["events"]), keys=[list(k) for k in data["keys"]],
                   keyset={tuple(k) for k in data["keys"]})


def _unit(counts: Counter) -> dict[str, float]:
    """Sublinear term frequencies scaled to unit length."""
    weights = {t: 1.0 + math.log(n) for t, n in counts.items() if n > 0}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def _bucket(date: dt.date | None) -> int | None:
    return None if date is None else date.toordinal() // 14


class DocumentFrequencies:
    def __init__(self, documents: int = 0, df: dict[str, int] | None = None):
        self.documents = documents
        self.df: Counter = Counter(df or {})

    def add(self, keys) -> None:
        self.documents += 1
        self.df.update(set(keys))

    def idf(self, term: str) -> float:
        return math.log((1 + self.documents) / (1 + self.df.get(term, 0))) + 1.0


def _norm(vector: dict[str, float], freq: DocumentFrequencies) -> float:
    return math.sqrt(sum((w * freq.idf(t)) ** 2 for t, w in vector.items()))


def _cosine(doc: dict[str, float], doc_norm: float, story: dict[str, float], story_norm: float,
            freq: DocumentFrequencies) -> float:
    """Cosine of the TF-IDF vectors (the norms are given: the story's is cached until it changes)."""
    if not doc_norm or not story_norm:
        return 0.0
    dot = 0.0
    for t, w in doc.items():
        other = story.get(t)
        if other:
            dot += w * other * freq.idf(t) ** 2
    return dot / (doc_norm * story_norm)


class StoryIndex:
    """Stories with their signatures, an inverted index of blocking keys and document frequencies."""

    def __init__(self, settings: dict | None = None, prefix: str = "story-"):
        self.cfg = settings or config()["story"]
        self.prefix = prefix
        self.stories: dict[str, Story] = {}
        self.story_of: dict[str, str] = {}
        self.words = DocumentFrequencies()
        self.names = DocumentFrequencies()
        self._postings: dict[tuple, dict[str, None]] = defaultdict(dict)  # insertion-ordered sets
        self._norms: dict[str, tuple[float, float]] = {}  # story TF-IDF norms, dropped when a story changes

    # ---- state kept between runs ----
    def restore(self, signatures: list[dict], model: dict | None) -> None:
        if model:
            self.words = DocumentFrequencies(model["documents"], model["words"])
            self.names = DocumentFrequencies(model["documents"], model["names"])
        for data in signatures:
            story = Story.from_signature(data)
            self.stories[story.id] = story
            for doc_id in story.documents:
                self.story_of[doc_id] = story.id
            for term, bucket in story.keys:
                self._post((term, bucket), story.id)

    def model(self) -> dict:
        return {"documents": self.words.documents, "words": dict(self.words.df), "names": dict(self.names.df)}

    def _post(self, key: tuple, story_id: str) -> None:
        ids = self._postings[key]
        ids.pop(story_id, None)
        ids[story_id] = None
        if len(ids) > MAX_POSTINGS:
            del ids[next(iter(ids))]

    # ---- clustering ----
    def _lookup_terms(self, doc: StoryDoc) -> list[str]:
        limit = self.cfg["max_df_share"] * max(self.words.documents, 1)
        small = self.words.documents < 1 / self.cfg["max_df_share"] * 3
        words = sorted(((1 + math.log(n)) * self.words.idf(t), t) for t, n in doc.terms.items()
                       if small or self.words.df.get(t, 0) <= limit)
        names = sorted(((1 + math.log(n)) * self.names.idf(t), "e:" + t) for t, n in doc.entities.items())
        n = self.cfg["lookup_terms"]
        return [t for _, t in words[::-1][:n]] + [t for _, t in names[::-1][: n // 2]]

    def candidates(self, doc: StoryDoc, terms: list[str]) -> list[str]:
        """Stories sharing at least ``min_hits`` blocking keys with the document, the most shared first: a dated document
        looks in its two-week bucket and the two either side (and among undated stories), an undated
        one everywhere."""
        bucket = _bucket(doc.date)
        buckets = ["all"] if bucket is None else ["undated", *range(bucket - 2, bucket + 3)]
        hits: Counter = Counter()
        for term in terms:
            for b in buckets:
                for sid in self._postings.get((term, b), ()):
                    hits[sid] += 1
        return [sid for sid, n in hits.most_common(self.cfg["max_candidates"]) if n >= self.cfg["min_hits"]]

    def score(self, doc: StoryDoc, story: Story, doc_words: dict, doc_names: dict,
              doc_norms: tuple[float, float] | None = None) -> tuple[float, dict] | None:
        """The score of ``doc`` against ``story`` and its components; None when the dates are further
        apart than the window. The content components are averaged with their weights; then a
        strong match of main events adds a bonus, a clear mismatch, distant dates, or a date on one
        side only scale it down."""
        cfg = self.cfg
        doc_norms = doc_norms or (_norm(doc_words, self.words), _norm(doc_names, self.names))
        norms = self._norms.get(story.id)
        if norms is None:
            norms = self._norms[story.id] = (_norm(story.terms, self.words), _norm(story.entities, self.names))
        parts: dict[str, float] = {"text": _cosine(doc_words, doc_norms[0], story.terms, norms[0], self.words)}
        if doc_names and story.entities:
            parts["entities"] = _cosine(doc_names, doc_norms[1], story.entities, norms[1], self.names)
        if doc.types and story.types:
            parts["types"] = len(doc.types & set(story.types)) / len(doc.types | set(story.types))
        if doc.places and story.places:
            closeness = [m.score if m.ok else 0.0 for p in doc.places[:5] for q in story.places[:10]
                         if (m := compare_place(p, q)) is not None]
            if closeness:
                parts["place"] = max(closeness)
        weights = cfg["weights"]
        score = sum(weights[k] * v for k, v in parts.items()) / sum(weights[k] for k in parts)
        if doc.date and story.start:
            days = max((story.start - doc.date).days, (doc.date - story.end).days, 0)
            span = (max(story.end, doc.date) - min(story.start, doc.date)).days
            if days > cfg["window_days"] or span > cfg["max_span_days"]:
                return None  # a story is bounded in time: one spanning months is several stories
            parts["time"] = math.exp(-max(days - cfg["time_grace_days"], 0) / cfg["time_scale_days"])
            score *= parts["time"]
        elif (doc.date is None) != (story.start is None):
            score *= cfg["one_side_dated_factor"]
        if doc.main_event and story.events:
            matches = [compare(doc.main_event, e) for e in story.events]
            if any(m.ok and m.strong for m in matches):
                parts["event"] = 1.0
                score += cfg["event_bonus"]
            elif all(not m.ok for m in matches):
                parts["event"] = 0.0
                score *= cfg["event_mismatch_factor"]
        return score, parts

    def add(self, doc: StoryDoc) -> tuple[str, float, dict]:
        """Put a document in the best story above the threshold, or a new story. Returns the story
        id, the score (0 for a new story) and the score's components."""
        self.words.add(doc.terms)
        self.names.add(doc.entities)
        doc_words, doc_names = _unit(doc.terms), _unit(doc.entities)
        terms = self._lookup_terms(doc)
        best: tuple[float, str, dict] | None = None
        doc_norms = (_norm(doc_words, self.words), _norm(doc_names, self.names))
        for sid in self.candidates(doc, terms):
            scored = self.score(doc, self.stories[sid], doc_words, doc_names, doc_norms)
            if scored and scored[0] >= self.cfg["threshold"] and (best is None or scored[0] > best[0]):
                best = (scored[0], sid, scored[1])
        if best is None:
            story = Story(self.prefix + doc.id)
            self.stories[story.id] = story
            score, parts = 0.0, {}
        else:
            story, score, parts = self.stories[best[1]], best[0], best[2]
        self._join(story, doc, doc_words, doc_names, terms)
        return story.id, score, parts

    def _join(self, story: Story, doc: StoryDoc, doc_words: dict, doc_names: dict, terms: list[str]) -> None:
        story.documents.append(doc.id)
        self.story_of[doc.id] = story.id
        self._norms.pop(story.id, None)
        for target, source, freq in ((story.terms, doc_words, self.words), (story.entities, doc_names, self.names)):
            for t, w in source.items():
                target[t] = target.get(t, 0.0) + w
            limit = self.cfg["signature_terms"]
            if len(target) > limit:
                keep = sorted(target, key=lambda t: target[t] * freq.idf(t), reverse=True)[:limit]
                kept = {t: target[t] for t in keep}
                target.clear()
                target.update(kept)
        story.types.update(doc.types)
        for place in doc.places[:5]:
            if len(story.places) < 20 and place not in story.places:
                story.places.append(place)
        if doc.date:
            story.start = min(story.start or doc.date, doc.date)
            story.end = max(story.end or doc.date, doc.date)
        if doc.main_event and len(story.events) < 10:
            story.events.append(doc.main_event)
        bucket = _bucket(doc.date)
        for term in terms:
            for b in (bucket, "all") if bucket is not None else ("undated", "all"):
                if (term, b) not in story.keyset:
                    story.keyset.add((term, b))
                    story.keys.append([term, b])
                self._post((term, b), story.id)
        if len(story.keys) > 800:
            for term, b in story.keys[: len(story.keys) - 800]:
                story.keyset.discard((term, b))
            del story.keys[: len(story.keys) - 800]
