"""Stories as JSON Lines: each story with its documents (id, title, source, date) and its merged events in full."""
from __future__ import annotations

from typing import IO

from newsgraph.export.records import jsonl
from newsgraph.store.protocol import Store


def story_rows(store: Store):
    """Stories, largest first, each with ``documents`` expanded and ``events`` as full merged events."""
    docs = {d["id"]: {"id": d["id"], "title": d.get("title"), "source": d.get("source"),
                      "date": (d.get("published") or {}).get("value")} for d in store.iter_documents()}
    from newsgraph.export._kb import KnowledgeBase

    kb = KnowledgeBase(store)
    events = {e["id"]: kb.resolved(e) for e in store.iter_corpus_records("event")}
    stories = sorted(store.iter_corpus_records("story"), key=lambda s: (-s.get("size", 0), s.get("start") or "9999", s["id"]))
    for story in stories:
        yield {**story,
               "documents": [docs.get(d, {"id": d, "title": None, "source": None, "date": None}) for d in story["documents"]],
               "events": [events[e] for e in story.get("events") or [] if e in events]}


def _stories_jsonl(store: Store, fh: IO[str]) -> int:
    return jsonl(story_rows(store), fh)


EXPORTS = {"stories": {"jsonl": _stories_jsonl}}
