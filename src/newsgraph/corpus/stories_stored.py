"""Story clustering and event merging over the store: the stories and merged events a new document
may join are read by their blocking keys (``corpus_keys``), never all of them, so that adding
articles costs the same whatever the size of the knowledge base.

Keys kept for each story (kind "story"): ``k|<term>|<two-week bucket>`` (its lookup keys, see
``stories_cluster``) and ``doc|<document id>``. For each merged event (kind "event"):
``b|<blocking key>`` (``events.blocking_keys`` of each member), ``member:<event id>`` (read by the
claims stage to link a claim to its incident) and ``doc|<document id>``.
"""
from __future__ import annotations

import json

from newsgraph.corpus.events import EventMerger, blocking_keys, document_of, redirect
from newsgraph.corpus.stories_cluster import MAX_POSTINGS, Story, StoryIndex
from newsgraph.corpus.stories_features import local_entity_id

MEMBER_KEY = "member:"


def key(*parts) -> str:
    return "|".join(json.dumps(p) if isinstance(p, (list, tuple)) else str(p) for p in parts)


def story_keys(story: Story) -> list[str]:
    return [key("k", term, bucket) for term, bucket in story.keys] + [key("doc", d) for d in story.documents]


def event_keys(cluster) -> list[str]:
    out = [key("b", k) for m in cluster.members for k in blocking_keys(m, cluster.stories.get(m["id"]))]
    return out + [MEMBER_KEY + m["id"] for m in cluster.members] + [key("doc", d) for d in cluster.documents]


def document_redirects(store, document_ids) -> dict:
    """{(document id, local entity id): entity id} from the mentions the entity stage linked."""
    out = {}
    for m in store.mentions_of(document_ids):
        if m.get("resolved_entity_id"):
            out[(m["document_id"], local_entity_id(m))] = m["resolved_entity_id"]
    return out


class StoredStories(StoryIndex):
    """A ``StoryIndex`` whose postings and stories are read from the store as documents need them."""

    def __init__(self, store, fresh: bool, model: dict | None):
        super().__init__()
        self.store, self.fresh = store, fresh
        self.restore([], None if fresh else model)
        self._fetched: set[tuple] = set()
        self._asked: set[str] = set()

    def _fetch(self, keys: list[tuple]) -> None:
        missing = [k for k in dict.fromkeys(keys) if k not in self._fetched]
        self._fetched.update(missing)
        if self.fresh or not missing:
            return
        found = self.store.corpus_keys("story", [key("k", *k) for k in missing], latest=MAX_POSTINGS)
        for k in missing:
            ids = found.get(key("k", *k))
            if not ids:
                continue
            current = self._postings.get(k) or {}
            merged = dict.fromkeys([i for i in ids if i not in current] + list(current))
            while len(merged) > MAX_POSTINGS:
                del merged[next(iter(merged))]
            self._postings[k] = merged

    def load(self, story_ids) -> None:
        missing = [s for s in dict.fromkeys(story_ids) if s not in self.stories]
        if self.fresh or not missing:
            return
        for data in self.store.get_corpus_records("story_signature", missing).values():
            story = Story.from_signature(data)
            self.stories[story.id] = story
            for doc_id in story.documents:
                self.story_of.setdefault(doc_id, story.id)

    def candidates(self, doc, terms: list[str]) -> list[str]:
        bucket = None if doc.date is None else doc.date.toordinal() // 14
        buckets = ["all"] if bucket is None else ["undated", *range(bucket - 2, bucket + 3)]
        self._fetch([(t, b) for t in terms for b in buckets])
        found = super().candidates(doc, terms)
        self.load(found)
        return found

    def stories_of(self, document_ids) -> dict[str, str]:
        """The story of each of these documents (read from the store for those not seen yet)."""
        docs = list(dict.fromkeys(document_ids))
        ask = [d for d in docs if d not in self.story_of and d not in self._asked]
        self._asked.update(ask)
        if ask and not self.fresh:
            for k, ids in self.store.corpus_keys("story", [key("doc", d) for d in ask]).items():
                self.story_of.setdefault(k[len("doc|"):], ids[0])
        return {d: self.story_of[d] for d in docs if d in self.story_of}


class StoredEvents(EventMerger):
    """An ``EventMerger`` that restores the merged events a new event's blocking keys point at."""

    def __init__(self, store, fresh: bool, stories: StoredStories, sentence_similarity):
        super().__init__(sentence_similarity)
        self.store, self.fresh, self.index_of_stories = store, fresh, stories
        self._fetched: set[str] = set()

    def _fetch(self, keys: list[tuple]) -> None:
        wanted = {key("b", k): k for k in keys}
        missing = [s for s in wanted if s not in self._fetched]
        self._fetched.update(missing)
        if self.fresh or not missing:
            return
        found = self.store.corpus_keys("event", missing)
        self.restore_ids({cid for ids in found.values() for cid in ids})
        for s in missing:
            ids = found.get(s)
            if ids:
                k = wanted[s]
                current = self._index.get(k) or []
                self._index[k] = [i for i in dict.fromkeys(ids) if i not in current and i in self.clusters] + current

    def restore_ids(self, cluster_ids) -> None:
        """Take back these stored merged events with their member events as they are now."""
        missing = [c for c in sorted(cluster_ids) if c not in self.clusters and c not in self.deleted]
        if not missing:
            return
        records = self.store.get_corpus_records("event", missing)
        events = self.store.records_by_id("events", {m for r in records.values() for m in r.get("members") or []})
        docs = {document_of(e) for e in events.values()}
        redirects = document_redirects(self.store, docs)
        story_of = self.index_of_stories.stories_of(docs)
        for cid in missing:
            record = records.get(cid)
            if record is None:
                continue
            members = [redirect(events[m], redirects) for m in record.get("members") or [] if m in events]
            self.restore(cid, [(e, story_of.get(document_of(e))) for e in members],
                         record.get("merge", {}).get("reasons", []))

    def add(self, event: dict, story_id: str | None) -> str:
        self._fetch(blocking_keys(event, story_id, neighbours=True))
        return super().add(event, story_id)
