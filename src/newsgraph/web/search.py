"""Search as an analyst expects it: a name finds what its aliases find, a mistyped name is
corrected, and a stop word is never taken for a name.

``search(store, q)`` turns the query into a plan for the store's full-text view
(``newsgraph.store.search``):

- the longest runs of words that are an entity's name or alias become one group that matches
  any of that entity's names ("ISIS" also finds "Islamic State" and "Daesh");
- an alias that is a stop word in lower case ("IS") only counts when typed as written (upper
  case): "is" stays a stop word, and the alias itself is never searched as a word (it would match
  the verb), only the entity's other names;
- other stop words are left out; every other word must match, the last one as a prefix;
- when nothing matches, each word unknown to the entity names is replaced by the closest entity
  name word (rapidfuzz, similarity at least ``SUGGEST_SCORE``), the corrected query is run and
  reported as ``suggestion`` ("did you mean"), with ``corrected: true``.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

KINDS = ("document", "entity", "event", "claim", "story", "source")
SUGGEST_SCORE = 80
MIN_SUGGEST_LEN = 4
_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _key(words) -> str:
    return " ".join(w.casefold() for w in words)


class Names:
    """Entity names and aliases by their lower-case word sequence, and the name words for suggestions."""

    def __init__(self, rows):
        self.groups: dict[str, list[list[str]]] = {}  # key -> [aliases of one entity, …]
        self.exact: dict[str, set[str]] = {}  # key of a stop-word alias -> its spellings as written
        vocab: dict[str, int] = {}
        stops = stop_words()
        for _id, name, aliases, mentions in rows:
            names = list(dict.fromkeys([name, *aliases]))
            for n in names:
                words = _WORD.findall(n)
                if not words:
                    continue
                key = _key(words)
                self.groups.setdefault(key, []).append(names)
                if key in stops:
                    self.exact.setdefault(key, set()).add(" ".join(words))
                for w in words:
                    if len(w) >= MIN_SUGGEST_LEN and w.casefold() not in stops:
                        vocab[w] = max(vocab.get(w, 0), mentions)
        self.longest = max((len(k.split()) for k in self.groups), default=1)
        self.vocab = vocab
        self.folded = {w.casefold() for w in vocab}

    def alias_group(self, words: list[str]) -> list[str] | None:
        """Every name of the entities named by ``words``, or None. A stop-word alias must be
        typed as written, and is itself left out of the group."""
        key = _key(words)
        if key not in self.groups:
            return None
        stops = stop_words()
        if key in stops and " ".join(words) not in self.exact.get(key, ()):
            return None
        names = {n for group in self.groups[key] for n in group}
        return sorted((n for n in names if _key(_WORD.findall(n)) not in stops), key=lambda n: (-len(n), n)) or None

    def suggest(self, word: str) -> str | None:
        if len(word) < MIN_SUGGEST_LEN or word.casefold() in self.folded or word.casefold() in stop_words():
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(word, list(self.vocab), scorer=fuzz.ratio, processor=str.casefold,
                                  score_cutoff=SUGGEST_SCORE)
        return best[0] if best else None


_lock = threading.Lock()
_names: dict[int, tuple[tuple, Names]] = {}


def names_of(store) -> Names:
    """The entity names of ``store``, rebuilt when its entities change."""
    from newsgraph.store.search import entities_signature, entity_names

    sig = entities_signature(store)
    with _lock:
        cached = _names.get(id(store))
        if cached and cached[0] == sig:
            return cached[1]
    names = Names(entity_names(store))
    with _lock:
        _names[id(store)] = (sig, names)
    return names


def plan(q: str, names: Names) -> tuple[list[list[str]], list[dict]]:
    """(plan, expansions): the query's groups of phrases, and which words were expanded to which names."""
    words = _WORD.findall(q)
    groups, expanded, i = [], [], 0
    stops = stop_words()
    while i < len(words):
        for j in range(min(len(words), i + names.longest), i, -1):
            group = names.alias_group(words[i:j])
            if group:
                groups.append(group)
                expanded.append({"words": " ".join(words[i:j]), "names": group})
                i = j
                break
        else:
            if words[i].casefold() not in stops:
                groups.append([words[i]])
            i += 1
    return groups, expanded


def search(store, q: str, kinds: tuple[str, ...] | list[str] = KINDS, limit: int = 20, offset: int = 0) -> dict:
    """Hits per kind for the query ``q``::

        {"query": q, "total": n, "expanded": [{words, names}], "suggestion": str | None,
         "corrected": bool, "results": {kind: {"total": n, "hits": [
            {"kind", "ref", "title", "snippet", "marks": [[start, end], ...], "score"}]}}}
    """
    from newsgraph.store.search import run_plan

    q = (q or "").strip()
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}: choose from {', '.join(KINDS)}")
    out = {"query": q, "total": 0, "expanded": [], "suggestion": None, "corrected": False,
           "results": {k: {"total": 0, "hits": []} for k in kinds}}
    if not _WORD.search(q):
        return out
    names = names_of(store)
    groups, expanded = plan(q, names)
    if not groups:
        out["note"] = "only stop words: type a name, a place or what happened"
        return out
    results = run_plan(store, groups, kinds, limit, offset)
    total = sum(r["total"] for r in results.values())
    if not total:
        fixed = [names.suggest(w) or w for w in _WORD.findall(q)]
        suggestion = " ".join(fixed)
        if suggestion.casefold() != " ".join(_WORD.findall(q)).casefold():
            groups, expanded = plan(suggestion, names)
            results = run_plan(store, groups, kinds, limit, offset)
            total = sum(r["total"] for r in results.values())
            out.update(suggestion=suggestion, corrected=bool(total))
            if not total:
                results = {k: {"total": 0, "hits": []} for k in kinds}
    out.update(total=total, expanded=expanded, results=results)
    return out
