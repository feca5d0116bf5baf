"""Claim clusters across documents, with their origins and credibility (stage order 30).

Each stored claim (opinion and questions aside) joins one cluster ("claim_cluster" corpus
records, the shape in docs/credibility.md). Incremental: a new document's claims look up
candidates in a blocking index ("claim_block" records: predicate class + content word, +
subject/object/place, + event date), are compared with them only (corpus/claims_match.py) and
join the cluster of the best match or start their own; only the clusters touched are rebuilt,
their origins traced (corpus/origins.py) and regraded (corpus/credibility.py). Per-claim
features are kept as "claim_feature" records. ``store.reset_done("claims")`` rebuilds all.
"""
from __future__ import annotations

import math

from newsgraph.corpus import credibility
from newsgraph.corpus.claims_match import compare, features, match_data
from newsgraph.corpus.credibility import main_group, outlet_prior
from newsgraph.corpus.credibility import CLUSTER_KIND, SourceBook, apply_source_priors, norm
from newsgraph.corpus.stories_stored import MEMBER_KEY
from newsgraph.corpus.origins import claim_origin, cluster_origins, document_relay, publisher_name
from newsgraph.pipeline.extract import record_id
from newsgraph.pipeline.stages import Stage

NAME = "claims"
VERSION = "4"
BATCH = 2000  # documents per batch of a run
EXACT_REPRESENTATIVE = 40  # clusters up to this size weigh every member as the representative
FEATURE_KIND, BLOCK_KIND, STATS_KIND, DF_KIND = "claim_feature", "claim_block", "claim_stats", "claim_df"
MEMBERS_KIND = "claim_members"  # each cluster's claim ids, small beside the whole cluster record
SKIP_MODALITIES = {"opinion", "question"}


class _Run:
    """What one run reads from the store (in batched, indexed queries) and writes back at the end."""

    def __init__(self, store, fresh: bool = False):
        self.store = store
        self.fresh = fresh  # a full rebuild: the store holds no features, blocks or clusters to read
        self.features: dict[str, dict | None] = {}
        self.blocks: dict[str, list[str]] = {}  # the latest claims of each block read or written
        self.sizes: dict[str, int] = {}  # how many claims each block holds in all
        self.changed_features: set[str] = set()
        self.changed_blocks: set[str] = set()
        self.members: dict[str, list[str]] = {}
        self.reps: dict[str, str] = {}  # each cluster's representative claim when it was last built
        self.places: dict[str, set[str]] = {}  # the precise places each cluster's claims name
        self.docs: dict[str, dict] = {}
        self.df: dict[str, int] = {}
        self.changed_df: set[str] = set()
        stats = None if fresh else store.get_corpus_record(STATS_KIND, "n")
        self.n = (stats or {}).get("n", 0)

    def _unread(self, kind: str, ids, cache: dict) -> dict[str, dict | None]:
        """The stored records of ``kind`` for the ids not in ``cache`` yet (None: not stored)."""
        missing = [i for i in dict.fromkeys(ids) if i not in cache]
        found = {} if self.fresh or not missing else self.store.get_corpus_records(kind, missing)
        return {i: found.get(i) for i in missing}

    def load_features(self, ids) -> None:
        self.features.update(self._unread(FEATURE_KIND, ids, self.features))

    def load_blocks(self, keys) -> None:
        for k, rec in self._unread(BLOCK_KIND, keys, self.blocks).items():
            rec = rec or {"claims": []}
            self.blocks[k] = list(rec["claims"])
            self.sizes[k] = rec.get("size", len(rec["claims"]))

    def add_to_block(self, key: str, claim_id: str) -> None:
        self.block(key).append(claim_id)
        self.sizes[key] += 1
        self.changed_blocks.add(key)

    def load_clusters(self, ids) -> None:
        for i, rec in self._unread(MEMBERS_KIND, ids, self.members).items():
            rec = rec or {"claims": []}
            self.members[i] = list(rec["claims"])
            self.places[i] = set(rec.get("places") or ())
            if rec.get("representative"):
                self.reps[i] = rec["representative"]

    def load_df(self, tokens) -> None:
        self.df.update((t, rec["n"] if rec else 0) for t, rec in self._unread(DF_KIND, tokens, self.df).items())

    def load_documents(self, ids) -> None:
        missing = [i for i in dict.fromkeys(ids) if i not in self.docs]
        if missing:
            self.docs.update(self.store.get_documents(missing))

    def feature(self, claim_id: str) -> dict | None:
        if claim_id not in self.features:
            self.load_features([claim_id])
        return self.features[claim_id]

    def block(self, key: str) -> list[str]:
        if key not in self.blocks:
            self.load_blocks([key])
        return self.blocks[key]

    def cluster_members(self, cluster_id: str) -> list[str]:
        if cluster_id not in self.members:
            self.load_clusters([cluster_id])
        return self.members[cluster_id]

    def document(self, doc_id: str) -> dict:
        self.load_documents([doc_id])
        return self.docs[doc_id]

    def count(self, claims: list[dict]) -> None:
        """Count these claims' content words (document frequencies for the idf), read in one batch."""
        words = [[t for t in set(f["tokens"]) if len(t) <= 120] for f in claims]
        self.load_df(t for ts in words for t in ts)
        for ts in words:
            for t in ts:
                self.df[t] += 1
            self.changed_df.update(ts)
        self.n += len(claims)

    def idf(self, token: str) -> float:
        if token not in self.df:
            self.load_df([token])
        n = max(self.n, 1)
        return math.log((n + 1) / (self.df[token] + 1)) + 1.0


def _incidents(store, event_ids) -> dict[str, dict]:
    """per-document event id -> {"event": merged event id, "story": story id or None}, for these
    events (from the member keys the stories stage keeps beside each merged event)."""
    keys = store.corpus_keys("event", [MEMBER_KEY + e for e in dict.fromkeys(event_ids) if e])
    merged_of = {key[len(MEMBER_KEY):]: ids[0] for key, ids in keys.items() if ids}
    records = store.get_corpus_records("event", set(merged_of.values()))
    return {e: {"event": m, "story": (records.get(m) or {}).get("story_id")} for e, m in merged_of.items()}


def _link_event(claim: dict, events: list[dict]) -> dict | None:
    ev = (claim.get("evidence") or [{}])[0]
    start, end = ev.get("start"), ev.get("end")
    if start is None:
        return None
    for event in events:
        trig = event.get("trigger") or {}
        if trig.get("start") is not None and start <= trig["start"] < end:
            return event
    return None


def _group(records) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for record in records:
        out.setdefault(record["evidence"][0]["document_id"], []).append(record)
    return out


def run(store, advance) -> str:
    apply_source_priors(store)
    book = SourceBook(store)
    pending = store.documents_pending(NAME, VERSION)
    fresh = not store.has_done(NAME, VERSION)
    if fresh:  # a full rebuild
        for kind in (FEATURE_KIND, BLOCK_KIND, STATS_KIND, DF_KIND, MEMBERS_KIND, CLUSTER_KIND):
            store.replace_corpus_records(kind, [])
    names = [s["name"] for s in store.iter_sources()]
    claimed, across = 0, {}
    for start in range(0, len(pending), BATCH):  # memory bounded by the batch, not the corpus
        n, clusters = _batch(store, pending[start:start + BATCH], fresh and start == 0, book, names, advance)
        claimed += n
        across.update((c["id"], len(c["documents"]) > 1) for c in clusters)
    if not claimed:
        return "claim clusters: no new documents"
    return f"{claimed} claims into {len(across)} clusters touched ({sum(across.values())} across documents)"


def _batch(store, pending: list[str], fresh: bool, book: SourceBook, names: list[str], advance) -> tuple[int, list[dict]]:
    """Cluster the claims of these documents; returns how many claims and the clusters written."""
    claims = _group(store.records_of("claims", pending))
    order = [d for d in pending if d in claims]
    r = _Run(store, fresh=fresh)
    if not order:
        store.mark_done(NAME, VERSION, pending)
        return 0, []
    events = _group(store.records_of("events", order))
    geocoded: dict[str, dict] = {}  # document -> mention start -> the place it was geocoded to
    for m in store.mentions_of(order):
        place = m.get("place") or {}
        if place.get("resolved") and place.get("geonames_id"):
            geocoded.setdefault(m["document_id"], {})[m["start"]] = place
    incidents = _incidents(store, [e["id"] for evs in events.values() for e in evs])
    r.load_documents(order)
    new: list[dict] = []
    for doc_id in order:
        doc = r.document(doc_id)
        doc_claims = claims[doc_id]
        relay = document_relay(doc, doc_claims)
        own_party = {e.get("party") for e in (outlet_prior(n) for n in [doc.get("source")] + [
            c["name"] for c in doc.get("credited") or []]) if e and e.get("party")}
        group = main_group(doc.get("text") or "", own_party)
        doc_names = names + [c["name"] for c in doc.get("credited") or []]
        for claim in doc_claims:
            if claim.get("modality") in SKIP_MODALITIES:
                continue
            event = _link_event(claim, events.get(doc_id, []))
            merged = incidents.get((event or {}).get("id"), {}).get("event")
            f = features(claim, event, doc_id, doc.get("source"), merged, group, geocoded.get(doc_id))
            f["copies"] = sorted(d["id"] for d in doc.get("near_duplicates") or []) + sorted(
                "credits:" + norm(c["name"]) for c in doc.get("credited") or [])
            f["origin"] = claim_origin(claim, doc, relay, book, doc_names)
            f["attribution"] = {k: (claim.get(k) or None) for k in ("origin", "speaker")}
            new.append(f)
        advance(doc.get("title") or doc_id)
    r.count(new)
    touched = _assign(r, new)
    r.load_clusters(touched)
    member_ids = [c for cid in touched for c in r.members[cid]]
    r.load_features(member_ids)
    members_of = {cid: [r.features[c] for c in r.members[cid] if r.features.get(c)] for cid in touched}
    r.load_documents(m["document_id"] for ms in members_of.values() for m in ms)
    r.load_df(t for ms in members_of.values() for m in ms for t in m["tokens"])
    stories = {e: i["story"] for e, i in _incidents(
        store, [m.get("event_id") for ms in members_of.values() for m in ms]).items() if i["story"]}
    decisions = credibility.override_decisions(store)
    clusters = []
    for cluster_id in sorted(touched):
        cluster = build_cluster(cluster_id, members_of[cluster_id], r, book, stories)
        clusters.append(credibility.with_override(cluster, credibility.find_override(decisions, cluster)))
    with store.atomic():  # the clusters and the marks of the documents they took in commit together
        save(r, touched)
        store.upsert_corpus_records(CLUSTER_KIND, clusters)
        store.mark_done(NAME, VERSION, pending)
    return len(new), clusters


def save(r: _Run, touched: set[str]) -> None:
    """Write what the run changed: features, blocks, word frequencies and cluster members."""
    store = r.store
    store.upsert_corpus_records(FEATURE_KIND, [r.features[i] for i in sorted(r.changed_features)])
    # of a block only its latest block_recent claims are ever candidates, and only while it holds
    # no more than max_block: its record keeps those and its size, bounded whatever the corpus
    recent = match_data()["block_recent"]
    store.upsert_corpus_records(BLOCK_KIND, [{"id": k, "claims": r.blocks[k][-recent:], "size": r.sizes[k]}
                                             for k in sorted(r.changed_blocks)])
    store.upsert_corpus_records(DF_KIND, [{"id": t, "n": r.df[t]} for t in sorted(r.changed_df)])
    store.upsert_corpus_records(STATS_KIND, [{"id": "n", "n": r.n}])
    store.upsert_corpus_records(MEMBERS_KIND, [{"id": c, "claims": r.members[c], "representative": r.reps.get(c),
                                                "places": sorted(r.places.get(c, ()))} for c in sorted(touched)])


def _assign(r: _Run, new: list[dict]) -> set[str]:
    """Put each new claim into the cluster of its best-matching candidate, or a new one."""
    limit, recent = match_data()["max_block"], match_data()["block_recent"]
    touched: set[str] = set()
    # what the stored blocks offer as candidates, read in a few batched queries up front
    r.load_blocks([key for f in new for key in f["blocks"]])
    stored = [cid for f in new for key in f["blocks"] if r.sizes[key] <= limit for cid in r.blocks[key][-recent:]]
    r.load_features(stored)
    r.load_clusters(r.features[c]["cluster_id"] for c in stored if r.features.get(c))
    r.load_df(t for c in stored if r.features.get(c) for t in r.features[c]["tokens"])
    for f in new:
        candidates: set[str] = set()
        for key in f["blocks"]:
            ids = r.block(key)
            if r.sizes[key] <= limit:
                candidates.update(ids[-recent:])  # the latest of a block: bounded work per claim
        place = (f.get("place") or {}).get("key") if (f.get("place") or {}).get("fine") else None
        best, best_score = None, -1.0
        for cid in sorted(candidates):
            other = r.feature(cid)
            if other is None or other["id"] == f["id"]:
                continue
            result = compare(other, f, r.idf)
            if not result["match"] or result["score"] <= best_score:
                continue
            # no chaining across towns: a claim that names a precise place joins a cluster of
            # claims at other precise places only as their contradiction
            held = r.places.get(other["cluster_id"]) if other["cluster_id"] in r.members else None
            if held is None:
                r.load_clusters([other["cluster_id"]])
                held = r.places.get(other["cluster_id"], set())
            if place and held and place not in held and result["relation"] != "contradicting":
                continue
            best, best_score = other, result["score"]
        if best is not None:
            cluster_id = best["cluster_id"]
        else:
            cluster_id = "clu-" + record_id("claim", f["id"])
            r.members.setdefault(cluster_id, [])  # a new cluster: nothing stored to read
        if place:
            r.places.setdefault(cluster_id, set()).add(place)
        f["cluster_id"] = cluster_id
        r.cluster_members(cluster_id).append(f["id"])
        r.features[f["id"]] = f
        r.changed_features.add(f["id"])
        for key in f["blocks"]:
            r.add_to_block(key, f["id"])
        touched.add(cluster_id)
    return touched


def _evidence(f: dict, reason: str | None = None) -> dict:
    e = {"claim_id": f["id"], "document_id": f["document_id"], "source": f["source"],
         "sentence": f["sentence"], "start": f["start"], "end": f["end"], "text": f["text"]}
    if reason is not None:
        e["reason"] = reason
    return e


def _representative(members: list[dict], r: _Run, previous: str | None = None) -> dict:
    """The claim most documents support (ties: the first). In a cluster larger than
    ``EXACT_REPRESENTATIVE`` only the previous representative and the claims of this run stand
    (each still weighed against every member): the work per new claim stays bounded however large
    the cluster grows."""
    if len(members) == 1 or len(members) > 200:
        return members[0]
    candidates = members
    if len(members) > EXACT_REPRESENTATIVE:
        candidates = [m for m in members if m["id"] == previous or m["id"] in r.changed_features]
        candidates = candidates[:EXACT_REPRESENTATIVE] or members[:1]
    best, best_n = candidates[0], -1
    for a in candidates:
        docs = {a["document_id"]}
        for b in members:
            if b is not a and compare(a, b, r.idf)["relation"] == "supporting":
                docs.add(b["document_id"])
        if len(docs) > best_n:
            best, best_n = a, len(docs)
    return best


def build_cluster(cluster_id: str, members: list[dict], r: _Run, book: SourceBook, stories: dict) -> dict:
    rep = _representative(members, r, r.reps.get(cluster_id))
    r.reps[cluster_id] = rep["id"]
    sides = {"supporting": [], "contradicting": [], "related": []}
    summaries = []
    for m in members:
        if m is rep:
            side, reason = "supporting", None
        else:
            result = compare(rep, m, r.idf)
            side, reason = (result["relation"] or "related"), result["reason"]
        sides[side].append(_evidence(m, reason if side == "contradicting" else None))
        summaries.append({"claim_id": m["id"], "document_id": m["document_id"], "side": side, "reason": reason,
                          "origin": dict(m["origin"]), "sentence": m.get("sentence")})
    docs = {m["document_id"]: r.document(m["document_id"]) for m in members}
    traced = cluster_origins(summaries, docs, book)
    hedges = sorted({h for m in members if m["id"] in {e["claim_id"] for e in sides["supporting"]} for h in m["hedges"]})
    story = next((stories[m["event_id"]] for m in members if m.get("event_id") in stories), None)
    cluster = {
        "id": cluster_id, "text": rep["text"], "subject": rep["subject"], "predicate": rep["predicate"],
        "object": rep["object"], "claims": [m["id"] for m in members],
        "documents": sorted({m["document_id"] for m in members}),
        "supporting": sides["supporting"], "contradicting": sides["contradicting"], "related": sides["related"],
        "origins": [_public_origin(o) for o in traced["origins"]],
        "independent_origins": traced["independent_origins"],
        "article_count": len({e["document_id"] for e in sides["supporting"]}),
        "contradiction_origins": traced["contradiction_origins"], "dependence": traced["dependence"],
        "hedged": rep["modality"] == "hedged", "hedges": hedges,
        "event_type": rep.get("event_type"), "slots": {k: rep.get(k) for k in ("time", "place", "count", "money")},
        "publishers": sorted({publisher_name(d) for d in docs.values()}),
        "story_id": story,
    }
    cluster["credibility"] = credibility.grade_cluster(cluster)
    return cluster


def _public_origin(o: dict) -> dict:
    keep = ("name", "kind", "interested", "party", "chain", "documents", "claims", "side", "group", "how",
            "dependence", "reliability", "reliability_via", "publishers")
    return {k: o.get(k) for k in keep}


STAGE = Stage(NAME, run, requires=("claims", "entities", "merged_events"),
              provides=("claim_clusters", "origins", "credibility"))
