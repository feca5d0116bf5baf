"""Claims as JSON Lines: each stored claim (issue-3 fields) with its cluster across documents:
cluster_id, supporting and contradicting evidence, origins with their chains, the independent
origin count beside the raw article count, credibility and its explanation (null for opinion
and questions, which are not clustered)."""
from __future__ import annotations

from newsgraph.corpus.claims import FEATURE_KIND
from newsgraph.corpus.credibility import CLUSTER_KIND
from newsgraph.export.records import jsonl


def claims_with_clusters(store):
    """Stored claims in document and text order, each with its cluster's fields."""
    cluster_of = {f["id"]: f.get("cluster_id") for f in store.iter_corpus_records(FEATURE_KIND)}
    cache: dict[str, dict | None] = {}
    for claim in store.iter_records("claims"):
        cluster_id = cluster_of.get(claim["id"])
        if cluster_id is not None and cluster_id not in cache:
            cache[cluster_id] = store.get_corpus_record(CLUSTER_KIND, cluster_id)
        cluster = cache.get(cluster_id) if cluster_id else None
        out = dict(claim)
        out["cluster_id"] = cluster["id"] if cluster else None
        for key in ("supporting", "contradicting", "origins"):
            out[key] = cluster[key] if cluster else []
        out["independent_origins"] = cluster["independent_origins"] if cluster else None
        out["article_count"] = cluster["article_count"] if cluster else None
        out["credibility"] = cluster["credibility"] if cluster else None
        out["explanation"] = cluster["credibility"]["explanation"] if cluster else None
        yield out


EXPORTS = {
    "claims": {"jsonl": lambda store, fh: jsonl(claims_with_clusters(store), fh)},
}
