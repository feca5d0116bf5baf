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
from newsgraph.corpus.origins import claim_origin, cluster_origins, document_relay, publisher_name
from newsgraph.pipeline.extract import record_id
from newsgraph.pipeline.stages import Stage

NAME = "claims"
VERSION = "1"
FEATURE_KIND, BLOCK_KIND, STATS_KIND = "claim_feature", "claim_block", "claim_stats"
SKIP_MODALITIES = {"opinion", "question"}


class _Run:
    """What one run reads lazily from the store and writes back at the end."""

    def __init__(self, store, fresh: bool = False):
        self.store = store
        self.fresh = fresh  # a full rebuild: the store holds no features, blocks or clusters to read
        self.features: dict[str, dict] = {}
        self.blocks: dict[str, list[str]] = {}
        self.changed_features: set[str] = set()
        self.changed_blocks: set[str] = set()
        self.members: dict[str, list[str]] = {}
        self.docs: dict[str, dict] = {}
        stats = store.get_corpus_record(STATS_KIND, "df") or {"id": "df", "n": 0, "df": {}}
        self.stats = stats

    def feature(self, claim_id: str) -> dict | None:
        if claim_id not in self.features:
            self.features[claim_id] = None if self.fresh else self.store.get_corpus_record(FEATURE_KIND, claim_id)
        return self.features[claim_id]

    def block(self, key: str) -> list[str]:
        if key not in self.blocks:
            record = None if self.fresh else self.store.get_corpus_record(BLOCK_KIND, key)
            self.blocks[key] = list(record["claims"]) if record else []
        return self.blocks[key]

    def cluster_members(self, cluster_id: str) -> list[str]:
        if cluster_id not in self.members:
            record = None if self.fresh else self.store.get_corpus_record(CLUSTER_KIND, cluster_id)
            self.members[cluster_id] = list(record["claims"]) if record else []
        return self.members[cluster_id]

    def document(self, doc_id: str) -> dict:
        if doc_id not in self.docs:
            self.docs[doc_id] = self.store.get_document(doc_id)
        return self.docs[doc_id]

    def idf(self, token: str) -> float:
        n = max(self.stats["n"], 1)
        return math.log((n + 1) / (self.stats["df"].get(token, 0) + 1)) + 1.0


def _story_index(store) -> dict[str, str]:
    """per-document event id -> story id (from the stories/events stage, when it ran)."""
    merged = {}
    for event in store.iter_corpus_records("event"):
        for member in event.get("members") or []:
            merged[member] = event.get("story_id")
    return {k: v for k, v in merged.items() if v}


def _merged_index(store) -> dict[str, str]:
    """per-document event id -> merged event id (the incident identity claims about incidents share)."""
    return {member: event["id"] for event in store.iter_corpus_records("event")
            for member in event.get("members") or []}


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


def _new_claims(store, done: set[str]) -> tuple[list[str], dict[str, list[dict]]]:
    order, claims = [], {}
    for claim in store.iter_records("claims"):
        doc_id = claim["evidence"][0]["document_id"]
        if doc_id in done:
            continue
        if doc_id not in claims:
            order.append(doc_id)
            claims[doc_id] = []
        claims[doc_id].append(claim)
    return order, claims


def run(store, advance) -> str:
    apply_source_priors(store)
    book = SourceBook(store)
    done = store.documents_done(NAME, VERSION)
    if not done:  # a full rebuild
        for kind in (FEATURE_KIND, BLOCK_KIND, STATS_KIND, CLUSTER_KIND):
            store.replace_corpus_records(kind, [])
    order, claims = _new_claims(store, done)
    all_docs = [d["id"] for d in store.iter_documents() if d["id"] not in done]
    r = _Run(store, fresh=not done)
    if not order:
        store.mark_done(NAME, VERSION, all_docs)
        return "claim clusters: no new documents"
    wanted = set(order)
    events: dict[str, list[dict]] = {}
    for event in store.iter_records("events"):
        doc_id = event["evidence"][0]["document_id"]
        if doc_id in wanted:
            events.setdefault(doc_id, []).append(event)
    names = [s["name"] for s in store.iter_sources()]
    merged_of = _merged_index(store)
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
            f = features(claim, event, doc_id, doc.get("source"), merged_of.get((event or {}).get("id")), group)
            f["copies"] = sorted(d["id"] for d in doc.get("near_duplicates") or []) + sorted(
                "credits:" + norm(c["name"]) for c in doc.get("credited") or [])
            f["origin"] = claim_origin(claim, doc, relay, book, doc_names)
            f["attribution"] = {k: (claim.get(k) or None) for k in ("origin", "speaker")}
            new.append(f)
            for t in set(f["tokens"]):
                r.stats["df"][t] = r.stats["df"].get(t, 0) + 1
            r.stats["n"] += 1
        advance(doc.get("title") or doc_id)
    touched = _assign(r, new)
    stories = _story_index(store)
    decisions = credibility.override_decisions(store)
    clusters = []
    for cluster_id in sorted(touched):
        members = [r.feature(c) for c in r.cluster_members(cluster_id)]
        cluster = build_cluster(cluster_id, [m for m in members if m], r, book, stories)
        clusters.append(credibility.with_override(cluster, credibility.find_override(decisions, cluster)))
    with store.atomic():  # the clusters and the marks of the documents they took in commit together
        store.upsert_corpus_records(FEATURE_KIND, [r.features[i] for i in sorted(r.changed_features)])
        store.upsert_corpus_records(BLOCK_KIND, [{"id": k, "claims": r.blocks[k]} for k in sorted(r.changed_blocks)])
        store.upsert_corpus_records(STATS_KIND, [r.stats])
        store.upsert_corpus_records(CLUSTER_KIND, clusters)
        store.mark_done(NAME, VERSION, all_docs)
    multi = sum(1 for c in clusters if len(c["documents"]) > 1)
    return f"{len(new)} claims into {len(clusters)} clusters touched ({multi} across documents)"


def _assign(r: _Run, new: list[dict]) -> set[str]:
    """Put each new claim into the cluster of its best-matching candidate, or a new one."""
    limit, recent = match_data()["max_block"], match_data()["block_recent"]
    touched: set[str] = set()
    for f in new:
        candidates: set[str] = set()
        for key in f["blocks"]:
            ids = r.block(key)
            if len(ids) <= limit:
                candidates.update(ids[-recent:])  # the latest of a block: bounded work per claim
        best, best_score = None, -1.0
        for cid in sorted(candidates):
            other = r.feature(cid)
            if other is None or other["id"] == f["id"]:
                continue
            result = compare(other, f, r.idf)
            if result["match"] and result["score"] > best_score:
                best, best_score = other, result["score"]
        cluster_id = best["cluster_id"] if best is not None else "clu-" + record_id("claim", f["id"])
        f["cluster_id"] = cluster_id
        r.cluster_members(cluster_id).append(f["id"])
        r.features[f["id"]] = f
        r.changed_features.add(f["id"])
        for key in f["blocks"]:
            r.block(key).append(f["id"])
            r.changed_blocks.add(key)
        touched.add(cluster_id)
    return touched


def _evidence(f: dict, reason: str | None = None) -> dict:
    e = {"claim_id": f["id"], "document_id": f["document_id"], "source": f["source"],
         "sentence": f["sentence"], "start": f["start"], "end": f["end"], "text": f["text"]}
    if reason is not None:
        e["reason"] = reason
    return e


def _representative(members: list[dict], r: _Run) -> dict:
    """The claim most documents support (ties: the first)."""
    if len(members) == 1 or len(members) > 200:
        return members[0]
    best, best_n = members[0], -1
    for a in members:
        docs = {a["document_id"]}
        for b in members:
            if b is not a and compare(a, b, r.idf)["relation"] == "supporting":
                docs.add(b["document_id"])
        if len(docs) > best_n:
            best, best_n = a, len(docs)
    return best


def build_cluster(cluster_id: str, members: list[dict], r: _Run, book: SourceBook, stories: dict) -> dict:
    rep = _representative(members, r)
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
