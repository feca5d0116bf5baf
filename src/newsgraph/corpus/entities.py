"""Entities across documents: the mentions of every document resolved into entities.

The stage resolves units (one document's mentions of one local entity, see
``entities_resolver``) through a blocking index: alias ids, GeoNames ids, folded names and
surnames, first tokens, acronyms; fuzzy matching only inside a block. Every merge carries a
score and its reasons; names kept apart say why (``kept_apart``). Entity ids are stable: an
entity takes the smallest local id of its members, so analyst decisions keep applying.

Analyst decisions (``entity_merge``, ``entity_split``) are replayed after every full
resolution, oldest first; :func:`merge_entities` and :func:`split_entity` record one and
apply it at once.

Incremental runs: documents whose mentions are not linked yet are resolved against the
stored entities (rebuilt into the index from their names, alias ids, GeoNames ids and
attributes) without touching the others; a document re-analysed after it was resolved (its
mentions replaced) or ``store.reset_done("entities")`` triggers a full resolution.
"""
from __future__ import annotations

import sqlalchemy as sa

from newsgraph.corpus.entities_resolver import Cluster, Resolver, assign_ids, cluster_keys, units_from_mentions
from newsgraph.extraction.entities_resources import norm_key
from newsgraph.pipeline.stages import Stage

VERSION = "entities-3"
BATCH = 2000  # documents per batch of a run
STAGE_NAME = "entities"


# -- resolution -----------------------------------------------------------------------------------

def resolve(mentions, decisions=(), existing: list[dict] = ()) -> tuple[list[dict], dict[int, str], Resolver]:
    """Entities (records), mention links {mention_id: entity_id} and the resolver (for its counts).

    ``existing``: stored entity records the new mentions are resolved against;
    ``decisions``: analyst decisions replayed at the end (a full run).
    """
    resolver = Resolver([Cluster.from_record(r) for r in existing])
    resolver.add(units_from_mentions(mentions))
    clusters = resolver.live()
    taken = {c.id for c in clusters if c.id}
    assign_ids(clusters, taken)
    clusters = apply_decisions(clusters, decisions, taken)
    links = {mid: c.id for c in clusters for u in c.units for mid in u.mention_ids}
    return [c.to_record() for c in sorted(clusters, key=lambda c: c.id)], links, resolver


def build_entities(mentions: list[dict], decisions=()) -> tuple[list[dict], dict[int, str]]:
    records, links, _ = resolve(mentions, decisions)
    return records, links


def key_text(key: tuple) -> str:
    return "|".join(map(str, key))


class StoredResolver(Resolver):
    """A ``Resolver`` over the stored entities: a blocking key's entities are read from the
    store (``corpus_keys`` of kind "entity") the first time a new name asks for it, so a run
    reads the entities its documents may join, never all of them."""

    def __init__(self, store):
        super().__init__()
        self.store = store
        self._fetched: set[tuple] = set()
        self.loaded: dict[str, int] = {}  # stored entity id -> cluster index

    def fetch(self, keys) -> None:
        missing = [k for k in dict.fromkeys(keys) if k not in self._fetched]
        if not missing:
            return
        self._fetched.update(missing)
        found = self.store.corpus_keys("entity", [key_text(k) for k in missing])
        ids = sorted({i for ids in found.values() for i in ids if i not in self.loaded})
        records = self.store.entities_by_id(ids)
        for entity_id in ids:
            if entity_id in records:
                ci = self._new(Cluster.from_record(records[entity_id]))
                self.loaded[entity_id] = ci
                self.touched.discard(ci)
        for k in missing:  # stored entities in id order, then the new ones, as a full read gives them
            if k in self.index:
                self.index[k].sort(key=lambda ci: (self.clusters[ci].id is None, self.clusters[ci].id or "", ci))

    def _bucket(self, key: tuple) -> list[int]:
        if key not in self._fetched:
            self.fetch([key])
        return super()._bucket(key)

    def prefetch(self, units) -> None:
        """The keys the units will ask for first, in one batched read."""
        self.fetch(k for u in units for k in cluster_keys(Cluster.from_units([u])))


def resolve_incremental(store, mentions) -> tuple[list[dict], dict[int, str], Resolver]:
    """Resolve new mentions against the stored entities they may join; returns the records of the
    entities created or changed, the links of the new mentions and the resolver."""
    resolver = StoredResolver(store)
    units = units_from_mentions(mentions)
    resolver.prefetch(units)
    resolver.add(units)
    changed = [resolver.clusters[ci] for ci in sorted(resolver.touched) if resolver.clusters[ci] is not None]
    fresh = [c for c in changed if c.id is None]
    taken = set(resolver.loaded) | set(store.entities_by_id(min(c.members) for c in fresh))
    assign_ids(fresh, taken)
    links = {mid: c.id for c in changed for u in c.units for mid in u.mention_ids}
    return [c.to_record() for c in sorted(changed, key=lambda c: c.id)], links, resolver


def save_entities(store, records: list[dict], links: dict[int, str], full: bool) -> None:
    """Store entity records with their blocking keys (all of them with ``full``, else only these)
    and link mentions to them."""
    keys = {r["id"]: [key_text(k) for k in cluster_keys(Cluster.from_record(r))] for r in records}
    with store.atomic():
        if full:
            store.replace_entities(records, links)
        else:
            store.upsert_entities(records, links)
        store.set_corpus_keys("entity", keys, replace_all=full)


def run(store, advance) -> str:
    done = store.has_done(STAGE_NAME, VERSION)
    pending = _documents_with_unlinked_mentions(store)
    redone = store.documents_done_among(STAGE_NAME, VERSION, pending) if done else set()
    incremental = done and not redone
    decisions = [] if incremental else list(store.iter_decisions())
    if not incremental and decisions:  # a rebuild that replays analyst decisions: all units at once
        mentions = list(store.iter_mentions())
        records, links, resolver = resolve(mentions, decisions=decisions)
        for _ in range(len(set(m["document_id"] for m in mentions))):
            advance("entities")
        with store.atomic():  # the entities and the marks of the documents they took in commit together
            save_entities(store, records, links, full=True)
            store.mark_done(STAGE_NAME, VERSION, store.documents_pending(STAGE_NAME, VERSION))
        return (f"{len(records):,} entities from {len(mentions):,} mentions ({resolver.cross_document:,} "
                f"cross-document merges, {resolver.kept_apart:,} kept apart on name collisions)")
    docs = sorted(pending) if incremental else _documents_with_mentions(store)
    if not docs:
        store.mark_done(STAGE_NAME, VERSION, store.documents_pending(STAGE_NAME, VERSION))
        return f"{store.count_entities():,} entities (no new documents)"
    n_mentions = cross = apart = 0
    written: set[str] = set()
    for start in range(0, len(docs), BATCH):  # memory bounded by the batch, not the corpus
        batch = docs[start:start + BATCH]
        mentions = list(_mentions_where(store, store.t["mentions"].c.document_id.in_(batch)))
        first = not incremental and start == 0
        records, links, resolver = (resolve(mentions) if first else resolve_incremental(store, mentions))
        with store.atomic():  # the entities and the marks of the documents they took in commit together
            if first:  # a full resolution starts from no entity: later batches join what this one stored
                store.unlink_mentions()
            save_entities(store, records, links, full=first)
            store.mark_done(STAGE_NAME, VERSION, batch)
        n_mentions, cross, apart = n_mentions + len(mentions), cross + resolver.cross_document, apart + resolver.kept_apart
        written.update(r["id"] for r in records)
        for _ in batch:
            advance("entities")
    store.mark_done(STAGE_NAME, VERSION, store.documents_pending(STAGE_NAME, VERSION))
    total = store.count_entities()
    what = f"{total:,} entities ({len(written):,} created or changed)" if incremental else f"{total:,} entities"
    note = f", {len(docs)} new documents" if incremental else ""
    return (f"{what} from {n_mentions:,} mentions ({cross:,} cross-document merges, {apart:,} kept apart on "
            f"name collisions{note})")


# -- decisions ------------------------------------------------------------------------------------

def apply_decisions(clusters: list[Cluster], decisions, taken: set[str]) -> list[Cluster]:
    """Replay analyst merges and splits (oldest first) on resolved clusters."""
    by_id = {c.id: c for c in clusters}
    for d in decisions:
        data = d.get("data") or {}
        if d["kind"] == "entity_merge":
            a = _locate(by_id, d["subject"], data.get("local_ids"))
            b = _locate(by_id, data.get("other"), data.get("other_local_ids"))
            if a is not None and b is not None and a is not b:
                _merge(a, b, d)
                del by_id[b.id]
                taken.discard(b.id)
        elif d["kind"] == "entity_split":
            c = _locate(by_id, d["subject"], data.get("entity_local_ids"))
            if c is None:
                continue
            parts = _split(c, data, d, taken)
            if parts:
                remaining, new = parts
                by_id[remaining.id] = remaining
                by_id[new.id] = new
    return list(by_id.values())


def _locate(by_id: dict, entity_id: str | None, local_ids) -> Cluster | None:
    if entity_id in by_id:
        return by_id[entity_id]
    if not local_ids:
        return None
    wanted = set(local_ids)
    best = max(by_id.values(), key=lambda c: (len(wanted & set(c.members)), c.mention_count), default=None)
    return best if best is not None and wanted & set(best.members) else None


def _why(decision: dict, action: str) -> str:
    note = (decision.get("note") or "").strip()
    return f"{action} by analyst (decision {decision.get('id')})" + (f": {note}" if note else "")


def _merge(a: Cluster, b: Cluster, decision: dict) -> None:
    a.absorb(b, 1.0, _why(decision, f"merged with '{b.name}' ({b.id})"))


def _selected(units, data: dict) -> list:
    if data.get("local_ids"):
        wanted = set(data["local_ids"])
        return [u for u in units if u.local_id in wanted]
    exact = set(data.get("aliases") or [])
    chosen = [u for u in units if exact & (set(u.names) | u.texts)]
    if chosen:
        return chosen
    folded = {norm_key(a) for a in exact}
    return [u for u in units if folded & {norm_key(n) for n in set(u.names) | u.texts}]


def _split(c: Cluster, data: dict, decision: dict, taken: set[str]) -> tuple[Cluster, Cluster] | None:
    chosen = _selected(c.units, data)
    if not chosen or len(chosen) == len(c.units):
        return None
    chosen_ids = {id(u) for u in chosen}
    remaining = Cluster.from_units([u for u in c.units if id(u) not in chosen_ids])
    remaining.id = c.id
    if len(remaining.units) > 1:
        remaining.reasons, remaining.score = list(c.reasons), c.score
    remaining.kept_apart = list(c.kept_apart)
    new = Cluster.from_units(chosen)
    taken.discard(c.id)
    assign_ids([new], taken | {c.id})
    taken |= {c.id, new.id}
    why = _why(decision, "split")
    remaining.keep_apart(new.name, new, why)
    new.keep_apart(remaining.name, remaining, why)
    return remaining, new


# -- edits the CLI and the web app call ------------------------------------------------------------

def merge_entities(store, a: str, b: str, note: str = "") -> dict:
    """Merge entity ``b`` into ``a`` now and record the decision; returns the merged entity."""
    if a == b:
        raise ValueError(f"cannot merge entity {a} with itself")
    records = {r["id"]: r for r in store.iter_entities()}
    for x in (a, b):
        if x not in records:
            raise ValueError(f"no entity with id {x}")
    ca, cb = Cluster.from_record(records[a]), Cluster.from_record(records[b])
    data = {"other": b, "local_ids": sorted(ca.members), "other_local_ids": sorted(cb.members)}
    decision_id = store.add_decision("entity_merge", a, data, note)
    _merge(ca, cb, {"id": decision_id, "note": note})
    records[a] = ca.to_record()
    del records[b]
    links = {m["mention_id"]: a for m in _mentions_where(store, store.t["mentions"].c.entity_id == b)}
    save_entities(store, list(records.values()), links, full=True)
    return records[a]


def split_entity(store, entity_id: str, local_ids_or_aliases, note: str = "") -> list[dict]:
    """Move the members with these local ids (or these names) out of ``entity_id`` into a new entity,
    now, and record the decision; returns [the remaining entity, the new one]."""
    items = [local_ids_or_aliases] if isinstance(local_ids_or_aliases, str) else list(local_ids_or_aliases)
    if not items:
        raise ValueError("name at least one local id or alias to split off")
    records = {r["id"]: r for r in store.iter_entities()}
    if entity_id not in records:
        raise ValueError(f"no entity with id {entity_id}")
    record = records[entity_id]
    local = set(record.get("local_ids") or [])
    data = {"local_ids": items} if all(i in local for i in items) else {"aliases": items}
    cluster = Cluster.from_record(record)
    cluster.units = units_from_mentions(_mentions_where(store, store.t["mentions"].c.entity_id == entity_id))
    chosen = _selected(cluster.units, data)
    what = "local ids" if all(i.startswith("ent-") for i in items) else "names"
    if not chosen:
        raise ValueError(f"none of the {what} {', '.join(items)} belongs to entity {entity_id} ({record['name']})")
    if len(chosen) == len(cluster.units):
        raise ValueError(f"splitting off {', '.join(items)} would leave entity {entity_id} empty")
    data["entity_local_ids"] = sorted(local)
    decision_id = store.add_decision("entity_split", entity_id, data, note)
    taken = set(records)
    remaining, new = _split(cluster, data, {"id": decision_id, "note": note}, taken)
    records[remaining.id] = remaining.to_record()
    records[new.id] = new.to_record()
    links = {mid: new.id for u in new.units for mid in u.mention_ids}
    save_entities(store, list(records.values()), links, full=True)
    return [records[remaining.id], records[new.id]]


def entity_redirects(store, by_document: bool = False) -> dict:
    """{local_id: entity_id} for the per-document ids events and claims carry.

    A local id is type + normalised name, so one can belong to two entities (two different
    people called "Mohammed" in two documents): the plain map gives the entity holding it in most
    documents; ``by_document=True`` gives the exact {(document_id, local_id): entity_id}.
    """
    out: dict = {}
    weight: dict[str, int] = {}
    for e in store.iter_entities():
        members = e.get("members") or {local: e.get("documents", []) for local in e.get("local_ids", [])}
        for local, docs in members.items():
            if by_document:
                for d in docs:
                    out[(d, local)] = e["id"]
            elif len(docs) > weight.get(local, -1):
                out[local], weight[local] = e["id"], len(docs)
    return out


def find_entities(store, id_or_name: str) -> list[dict]:
    """The entity with this id, else those with this name, else those with it among their aliases."""
    key = norm_key(id_or_name)
    by_name, by_alias = [], []
    for e in store.iter_entities():
        if e["id"] == id_or_name:
            return [e]
        if norm_key(e["name"]) == key:
            by_name.append(e)
        elif any(norm_key(a) == key for a in e.get("aliases") or []):
            by_alias.append(e)
    return by_name or by_alias


# -- store helpers --------------------------------------------------------------------------------

def _mentions_where(store, clause):
    import json

    mentions = store.t["mentions"]
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(mentions.c.id, mentions.c.document_id, mentions.c.data)
                            .where(clause).order_by(mentions.c.id)).all()
    for row in rows:
        data = json.loads(row.data)
        data["mention_id"], data["document_id"] = row.id, row.document_id
        yield data


def _documents_with_unlinked_mentions(store) -> set[str]:
    mentions = store.t["mentions"]
    with store.engine.connect() as conn:
        return {r[0] for r in conn.execute(sa.select(mentions.c.document_id).distinct()
                                           .where(mentions.c.entity_id.is_(None)))}


def _documents_with_mentions(store) -> list[str]:
    mentions = store.t["mentions"]
    with store.engine.connect() as conn:
        return sorted(r[0] for r in conn.execute(sa.select(mentions.c.document_id).distinct()))


STAGE = Stage(STAGE_NAME, run, requires=("mentions",), provides=("entities",))
