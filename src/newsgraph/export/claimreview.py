"""schema.org ClaimReview (JSON-LD) for graded claim clusters: ``newsgraph export claims
--format claimreview`` writes one JSON array of ClaimReview documents.

A cluster is reviewed when a judgement was made about it: it appears in more than one article,
is contradicted, carries a grade other than 6 ("cannot be judged"), or an analyst overrode its
grade. Each review carries the fields the fact-check ecosystem requires: ``url`` (the cluster's
page on the knowledge base's server, setting ``public_url``), ``claimReviewed``, ``datePublished``,
``author`` (the review's), ``reviewRating`` with ``alternateName``, and ``itemReviewed``, a
Claim with its ``author`` (the independent origins, as Person or Organization) and its
``appearance`` (the articles, with url and date). The Admiralty grade is the rating (1 best …
6 worst) with its explanation.
"""
from __future__ import annotations

import json
from typing import IO

from newsgraph import settings
from newsgraph.corpus.credibility import CLUSTER_KIND, grade_label

CONTEXT = "https://schema.org"
# origin kinds that are people unless the entity table says otherwise
PERSON_KINDS = {"witness", "expert", "person"}


def reviewed(cluster: dict) -> bool:
    cred = cluster.get("credibility") or {}
    return (len(cluster.get("documents") or ()) > 1 or bool(cluster.get("contradicting"))
            or bool(cred.get("override")) or cred.get("grade") not in (6, None))


def _author_type(origin: dict, entity_types: dict[str, str]) -> str:
    found = entity_types.get((origin.get("name") or "").casefold())
    if found == "PERSON":
        return "Person"
    if found in ("ORG", "GROUP", "NORP", "PLACE"):
        return "Organization"
    return "Person" if origin.get("kind") in PERSON_KINDS else "Organization"


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def claim_review(cluster: dict, documents: dict[str, dict], entity_types: dict[str, str], base_url: str,
                 ingested: dict[str, str]) -> dict:
    cred = cluster["credibility"]
    override = cred.get("override")
    grade = override["grade"] if override else cred["grade"]
    appearances = []
    for e in cluster["supporting"] + cluster["contradicting"] + cluster["related"]:
        doc = documents.get(e["document_id"]) or {}
        url = doc.get("url") or ""
        item = {"@type": "CreativeWork",
                "url": url if url.startswith(("http://", "https://")) else f"{base_url}/documents/{e['document_id']}",
                "headline": doc.get("title"),
                "publisher": {"@type": "Organization", "name": e.get("source") or "unknown"}}
        if (doc.get("published") or {}).get("value"):
            item["datePublished"] = doc["published"]["value"]
        if item not in appearances:
            appearances.append(item)
    dated = [a for a in appearances if a.get("datePublished")]
    first = min(dated, key=lambda a: a["datePublished"]) if dated else (appearances[0] if appearances else None)
    authors = []
    for o in cluster["origins"]:
        if o["side"] == "supporting" and not o.get("dependence"):
            author = {"@type": _author_type(o, entity_types), "name": o["name"]}
            if author not in authors:
                authors.append(author)
    stamps = [ingested[d] for d in cluster["documents"] if d in ingested]
    if override and override.get("at"):
        stamps.append(override["at"])
    review = {
        "@context": CONTEXT, "@type": "ClaimReview", "identifier": cluster["id"],
        "url": f"{base_url}/claims/{cluster['id']}",
        "claimReviewed": cluster["text"],
        "datePublished": _day(max(stamps)) if stamps else None,
        "author": {"@type": "Organization", "name": "newsgraph", "url": base_url + "/"},
        "reviewRating": {"@type": "Rating", "ratingValue": grade, "bestRating": 1, "worstRating": 6,
                         "alternateName": grade_label(grade), "ratingExplanation": cred["explanation"]},
        "itemReviewed": {"@type": "Claim", "appearance": appearances, "firstAppearance": first,
                         "author": authors or [{"@type": "Organization", "name": e.get("source") or "unknown"}
                                               for e in cluster["supporting"][:1]]},
    }
    if first and first.get("datePublished"):
        review["itemReviewed"]["datePublished"] = first["datePublished"]
    return review


def write_claimreview(store, fh: IO[str]) -> int:
    from newsgraph.store.views import document_ingested_at

    base_url = str(settings.get("public_url")).rstrip("/")
    entity_types: dict[str, str] = {}
    for e in store.iter_entities():
        for name in [e["name"], *(e.get("aliases") or [])]:
            entity_types.setdefault(name.casefold(), e["type"])
    ingested = document_ingested_at(store)
    documents: dict[str, dict] = {}
    reviews = []
    for cluster in store.iter_corpus_records(CLUSTER_KIND):
        if not reviewed(cluster):
            continue
        for d in cluster["documents"]:
            if d not in documents:
                documents[d] = store.get_document(d) or {}
        reviews.append(claim_review(cluster, documents, entity_types, base_url, ingested))
    json.dump(reviews, fh, ensure_ascii=False, indent=1)
    fh.write("\n")
    return len(reviews)


EXPORTS = {"claims": {"claimreview": write_claimreview}}
