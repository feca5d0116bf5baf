"""The entity graph as GraphML or GEXF (``newsgraph export graph --format graphml|gexf``).

Nodes are the entities (type, name, mention_count, documents). Edges, one per (source, target,
kind), carry how many distinct facts support them (``weight``), how many extracted records
(``evidence``) and documents (``documents``):

- ``co_participation``: two actors (agent, patient, facilitator) of the same event; an event
  reported by several documents counts once when the corpus stage merged it. Undirected in
  meaning: written from the smaller entity id to the larger.
- ``movement``: a person to a place a movement leg starts from, passes or reaches.
- ``participation``: a participant of an event (any role: agent, patient, facilitator,
  destination…) to the event's place; a merged event counts once.
- ``claim``: the subject of a claim to its object; claims of one claim cluster count once.
- ``co_occurrence``: two entities named in the same sentence; ``weight`` is the number of
  sentences. Undirected in meaning, written from the smaller entity id to the larger.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import IO

import networkx as nx

from newsgraph.export._kb import ACTOR_ROLES, KnowledgeBase, first_evidence


class _Edges:
    def __init__(self):
        self.data: dict[tuple[str, str, str], dict] = defaultdict(
            lambda: {"facts": set(), "records": set(), "documents": set(), "labels": set()})

    def add(self, u: str, v: str, kind: str, fact: str, record: str, document: str | None, label: str | None):
        if u == v:
            return
        entry = self.data[(u, v, kind)]
        entry["facts"].add(fact)
        entry["records"].add(record)
        if document:
            entry["documents"].add(document)
        if label:
            entry["labels"].add(label)


def build_graph(store) -> nx.MultiDiGraph:
    kb = KnowledgeBase(store)
    graph = nx.MultiDiGraph(name="newsgraph entity graph")
    for e in sorted(kb.entities.values(), key=lambda e: e["id"]):
        graph.add_node(e["id"], label=e["name"], name=e["name"], type=e["type"],
                       mention_count=int(e.get("mention_count") or 0), documents=len(e.get("documents") or ()),
                       aliases="; ".join(e.get("aliases") or ()))
    edges = _Edges()

    for event in store.iter_records("events"):
        doc_id = first_evidence(event).get("document_id")
        actors = sorted({x for x in (kb.participant_entity(doc_id, p) for p in event.get("participants") or ()
                                     if p.get("role") in ACTOR_ROLES) if x})
        fact = kb.merged_ids(event["id"])[0] or event["id"]
        for u, v in combinations(actors, 2):
            edges.add(u, v, "co_participation", fact, event["id"], doc_id, event.get("type"))
        place = kb.place_entity(doc_id, event.get("place"))
        if place:
            for p in event.get("participants") or ():
                who = kb.participant_entity(doc_id, p)
                if who and who != place:
                    edges.add(who, place, "participation", fact, event["id"], doc_id,
                              f"{p.get('role') or 'participant'} of {event.get('type') or 'event'}")

    sentences: dict[tuple[str, int], set[str]] = defaultdict(set)
    for m in store.iter_mentions():
        entity = kb.entity(m.get("entity_id")) or kb.entity_at(m["document_id"], m.get("start"), m.get("end"))
        if entity and m.get("sentence_start") is not None:
            sentences[(m["document_id"], m["sentence_start"])].add(entity)
    for (doc_id, start), named in sentences.items():
        for u, v in combinations(sorted(named), 2):
            fact = f"{doc_id}@{start}"
            edges.add(u, v, "co_occurrence", fact, fact, doc_id, None)

    for movement in store.iter_records("movements"):
        for index, leg in enumerate(movement.get("legs") or ()):
            doc_id = (first_evidence(leg) or first_evidence(movement)).get("document_id")
            person = kb.person_entity(doc_id, movement.get("person"))
            if not person:
                continue
            record = f"{movement['id']}/{index}"
            for role, place in (("from", leg.get("from")), *(("via", v) for v in leg.get("via") or ()),
                                ("to", leg.get("to"))):
                target = kb.place_entity(doc_id, place)
                if target:
                    edges.add(person, target, "movement", record, record, doc_id, role)

    cluster_of = {c: cluster["id"] for cluster in store.iter_corpus_records("claim_cluster")
                  for c in cluster.get("claims") or ()}
    for claim in store.iter_records("claims"):
        doc_id = first_evidence(claim).get("document_id")
        ends = []
        for part in ("subject", "object"):
            x = claim.get(part) or {}
            ends.append(kb.entity_at(doc_id, x.get("start"), x.get("end"), x.get("canonical")))
        if all(ends):
            edges.add(ends[0], ends[1], "claim", cluster_of.get(claim["id"], claim["id"]), claim["id"], doc_id,
                      claim.get("predicate"))

    for (u, v, kind), entry in sorted(edges.data.items()):
        graph.add_edge(u, v, key=kind, kind=kind, weight=len(entry["facts"]), evidence=len(entry["records"]),
                       documents=len(entry["documents"]), labels="; ".join(sorted(entry["labels"])))
    return graph


def _write(lines, fh: IO[str]) -> None:
    for line in lines:
        fh.write(line + "\n")


def graph_graphml(store, fh: IO[str]) -> int:
    graph = build_graph(store)
    _write(nx.generate_graphml(graph), fh)
    return graph.number_of_nodes() + graph.number_of_edges()


def graph_gexf(store, fh: IO[str]) -> int:
    graph = build_graph(store)
    _write(nx.generate_gexf(graph), fh)
    return graph.number_of_nodes() + graph.number_of_edges()


EXPORTS = {"graph": {"graphml": graph_graphml, "gexf": graph_gexf}}
