"""schema.org ClaimReview (JSON-LD) for graded claim clusters: ``newsgraph export claims
--format claimreview`` writes one JSON array of ClaimReview documents, one per cluster found in
more than one article or contradicted (the clusters worth a review), with the Admiralty grade
as the rating (1 best … 6 worst) and its explanation."""
from __future__ import annotations

import json
from typing import IO

from newsgraph.corpus.credibility import CLUSTER_KIND, grade_label

CONTEXT = "https://schema.org"


def _reviewed(cluster: dict) -> bool:
    return len(cluster["documents"]) > 1 or bool(cluster["contradicting"]) or cluster["credibility"].get("override")


def claim_review(cluster: dict, documents: dict[str, dict]) -> dict:
    cred = cluster["credibility"]
    override = cred.get("override")
    grade = override["grade"] if override else cred["grade"]
    appearances = []
    for e in cluster["supporting"] + cluster["contradicting"] + cluster["related"]:
        doc = documents.get(e["document_id"]) or {}
        item = {"@type": "CreativeWork", "url": doc.get("url"), "headline": doc.get("title"),
                "publisher": {"@type": "Organization", "name": e.get("source") or "unknown"}}
        if (doc.get("published") or {}).get("value"):
            item["datePublished"] = doc["published"]["value"]
        if item not in appearances:
            appearances.append(item)
    dated = [a for a in appearances if a.get("datePublished")]
    first = min(dated, key=lambda a: a["datePublished"]) if dated else (appearances[0] if appearances else None)
    return {
        "@context": CONTEXT, "@type": "ClaimReview", "identifier": cluster["id"],
        "claimReviewed": cluster["text"],
        "author": {"@type": "Organization", "name": "newsgraph"},
        "reviewRating": {"@type": "Rating", "ratingValue": grade, "bestRating": 1, "worstRating": 6,
                         "alternateName": grade_label(grade), "ratingExplanation": cred["explanation"]},
        "itemReviewed": {"@type": "Claim", "appearance": appearances, "firstAppearance": first,
                         "author": [{"@type": "Thing", "name": o["name"]} for o in cluster["origins"]
                                    if o["side"] == "supporting" and not o.get("dependence")]},
    }


def write_claimreview(store, fh: IO[str]) -> int:
    documents: dict[str, dict] = {}
    reviews = []
    for cluster in store.iter_corpus_records(CLUSTER_KIND):
        if not _reviewed(cluster):
            continue
        for d in cluster["documents"]:
            if d not in documents:
                documents[d] = store.get_document(d) or {}
        reviews.append(claim_review(cluster, documents))
    json.dump(reviews, fh, ensure_ascii=False, indent=1)
    fh.write("\n")
    return len(reviews)


EXPORTS = {"claims": {"claimreview": write_claimreview}}
