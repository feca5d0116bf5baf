"""Origins of claims and their independence.

The origin of a claim is the first-hand source its text credits: the attribution's origin (a
named official, an agency, a witness, a document, a party to the conflict), else the outlet the
document credits as a whole (a republished or repackaged article counts as its origin), else the
origin a document without publisher relays throughout ("according to Abdullah Bozkurt …"),
else the publisher's own reporting.

Within a claim cluster, origins are grouped into mutually independent groups (union-find):
the same origin named in several articles is one; so are the origins of articles that depend on
each other by text reuse (the store's MinHash near-duplicate links, or the same long claim sentence
in both: wire copy), by a shared rare quotation
(a long identical quoted string) or by a syndication credit line naming the other's publisher;
officials, spokespeople and ministries of one government or armed group, and its official
media, are one (``origin_key``); and the origins one article relays on one side are one group: one
article is never two independent origins by itself (an unnamed description, "a Kurdish security
official", is taken to be the article's named origin). Corroboration = the number of independent
supporting groups, each group's chain of reasons shown as its members' ``dependence``.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from functools import lru_cache
from importlib import resources

from newsgraph.corpus.credibility import SourceBook, norm, outlet_prior, party_of, rank


@lru_cache(maxsize=1)
def origin_cues() -> dict:
    return tomllib.loads(resources.files("newsgraph.data").joinpath("origin_cues.toml").read_text("utf-8"))


def is_generic(name: str | None) -> bool:
    """"Kurdish security official", "the city's police department": a description, not a name."""
    words = norm(name).split()
    return bool(words) and words[-1] in set(origin_cues()["generic_heads"])


def origin_key(name: str | None) -> tuple[str, str | None]:
    """The independence key of an origin name, and why it is shared when it is not the name itself.

    Officials, spokespeople and ministries of one government or armed group are one origin (the
    party, data: [[party]] in outlets.toml); so is a party's official agency or state media (an
    interested outlet with its party); an outlet's aliases are the outlet ("Syrian Arab News
    Agency" is SANA)."""
    entry = outlet_prior(name)
    if entry is not None:
        if entry.get("interested") and entry.get("party"):
            return "party:" + norm(entry["party"]), f"{entry['name']} is official media of {entry['party']}"
        return "outlet:" + norm(entry["name"]), None
    party = party_of(name)
    if party is not None:
        return "party:" + norm(party), f"{name} speaks for {party}"
    return norm(name), None


# --------------------------------------------------------------------------- per document


def document_relay(doc: dict, claims: list[dict]) -> dict | None:
    """The origin a whole document relays: its credit line, or (without a publisher) the one
    named origin that most of its attributed claims credit."""
    credited = doc.get("credited") or []
    if credited:
        c = credited[0]
        return {"name": c["name"], "how": c.get("how") or "credit line", "evidence": c.get("evidence")}
    if doc.get("source"):
        return None
    named = Counter(c["origin"]["name"] for c in claims
                    if c.get("origin") and c["origin"].get("name") and not is_generic(c["origin"]["name"])
                    and norm(c["origin"]["name"]) != norm(doc.get("title")))
    attributed = sum(1 for c in claims if c.get("origin"))
    if named and attributed:
        name, n = named.most_common(1)[0]
        if n >= origin_cues()["relay_share"] * attributed:
            kinds = Counter(c["origin"].get("kind") for c in claims if (c.get("origin") or {}).get("name") == name)
            return {"name": name, "how": "relayed throughout", "evidence": None, "kind": kinds.most_common(1)[0][0]}
    return None


def publisher_name(doc: dict) -> str:
    return doc.get("source") or f"unknown publisher ({doc['id'][:8]})"


def claim_origin(claim: dict, doc: dict, relay: dict | None, book: SourceBook, names: list[str]) -> dict:
    """{name, kind, how, chain} of one claim; ``names`` are the known outlet names (for short forms)."""
    publisher = publisher_name(doc)
    att = claim.get("origin") or {}
    name, kind = att.get("name"), att.get("kind")
    how = f"attribution ({att.get('scope')})" if name else None
    if name and norm(name) == norm(publisher):
        name, kind, how = publisher, "outlet", "the outlet's own reporting"
    if not name and relay is not None:
        name, how = relay["name"], relay["how"]
        kind = relay.get("kind") or ("outlet" if book.lookup(name) or relay["how"] == "credit line" else None)
    if not name:
        name, kind, how = publisher, "outlet" if doc.get("source") else "unknown", "the outlet's own reporting"
    full = book.short_form(name, names)
    if full is not None and kind in ("outlet", "agency", "official", None):
        name, kind = full, "outlet"
    if kind is None:
        from newsgraph.extraction.attribution import cues

        kind = "agency" if cues().kind_patterns["agency"].search(name) else "witness"
    chain = [publisher]
    if relay is not None and relay["how"] == "credit line" and norm(relay["name"]) not in (norm(publisher), norm(name)):
        chain.append(relay["name"])
    if norm(name) != norm(publisher):
        chain.append(name)
    return {"name": name, "kind": kind, "how": how, "chain": chain}


# --------------------------------------------------------------------------- text reuse

QUOTE_RE = re.compile(r"[\"“”«»]([^\"“”«»]{20,600})[\"“”«»]")


def rare_quotes(text: str) -> set[str]:
    """Long quoted strings (at least ``quote_min_words`` words), normalised."""
    n = origin_cues()["quote_min_words"]
    out = set()
    for m in QUOTE_RE.finditer(text or ""):
        words = norm(m.group(1)).split()
        if len(words) >= n:
            out.add(" ".join(words))
    return out


def document_links(docs: dict[str, dict]) -> list[tuple[str, str, str]]:
    """Dependence between the documents ``docs`` (id -> document): (a, b, reason)."""
    links = []
    ids = sorted(docs)
    quotes = {i: rare_quotes(docs[i].get("text") or "") for i in ids}
    for a in ids:
        for dup in docs[a].get("near_duplicates") or []:
            if dup["id"] in docs and a < dup["id"]:
                links.append((a, dup["id"], f"near-duplicate texts (MinHash similarity {dup['similarity']:.2f})"))
        for credit in docs[a].get("credited") or []:
            for b in ids:
                if b != a and docs[b].get("source") and norm(docs[b]["source"]) == norm(credit["name"]):
                    links.append((a, b, f"{publisher_name(docs[a])} credits {credit['name']} ({credit.get('how') or 'credit line'})"))
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            shared = quotes[a] & quotes[b]
            if shared:
                q = min(shared, key=len)
                links.append((a, b, f"shared quotation “{q[:60]}…”"))
    return links


def sentence_reuse(members: list[dict]) -> list[tuple[str, str, str]]:
    """Wire copy inside a cluster: documents whose claim sentences are the same long text."""
    n = origin_cues()["reuse_min_words"]
    by_text: dict[str, list[str]] = {}
    for m in members:
        words = norm(m.get("sentence")).split()
        if len(words) >= n:
            docs = by_text.setdefault(" ".join(words), [])
            if m["document_id"] not in docs:
                docs.append(m["document_id"])
    links = []
    for text, docs in by_text.items():
        for other in docs[1:]:
            links.append((docs[0], other, f"the same sentence in both articles (wire copy: “{text[:60]}…”)"))
    return links


# --------------------------------------------------------------------------- clusters


class _Union:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


def cluster_origins(members: list[dict], docs: dict[str, dict], book: SourceBook) -> dict:
    """Origins of a cluster's claims grouped by independence.

    ``members``: claim summaries {claim_id, document_id, side, reason, origin{name,kind,how,chain}}.
    Returns {origins[], independent_origins, article_count, contradiction_origins[], dependence[]}.
    """
    # 1. republications: an origin that is an outlet publishing another member becomes that member's origin
    by_publisher: dict[str, list[dict]] = {}
    for m in members:
        by_publisher.setdefault(norm(docs[m["document_id"]].get("source")), []).append(m)
    for m in members:
        o = m["origin"]
        target = by_publisher.get(norm(o["name"])) if o["kind"] in ("outlet", "agency") else None
        if target and norm(o["name"]) != norm(docs[m["document_id"]].get("source")):
            first = next((t for t in target if t["side"] == m["side"]), target[0])
            src = first["origin"]
            chain = list(o["chain"]) + [n for n in src["chain"] if norm(n) not in {norm(x) for x in o["chain"]}]
            m["origin"] = {**src, "chain": chain, "how": f"republishes {o['name']}"}

    uf, reasons = _Union(), {}
    key = {id(m): norm(m["origin"]["name"]) for m in members}
    for m in members:
        uf.find(key[id(m)])
    shared_keys: dict[str, tuple[str, str | None]] = {}
    for m in members:  # one government's officials, one party's agency: one origin
        k, why = origin_key(m["origin"]["name"])
        if k in shared_keys and uf.union(shared_keys[k][0], key[id(m)]):
            reasons[(shared_keys[k][0], key[id(m)])] = why or shared_keys[k][1] or f"the same origin ({m['origin']['name']})"
        shared_keys.setdefault(k, (key[id(m)], why))
    by_doc: dict[str, list[dict]] = {}
    for m in members:
        by_doc.setdefault(m["document_id"], []).append(m)
    for a, b, reason in document_links({d: docs[d] for d in by_doc}) + sentence_reuse(members):
        for ma in by_doc[a]:
            for mb in by_doc[b]:
                if uf.union(key[id(ma)], key[id(mb)]):
                    reasons[(key[id(ma)], key[id(mb)])] = reason
    for doc_id, doc_members in by_doc.items():  # one article is never two independent origins by itself
        publisher = publisher_name(docs[doc_id])
        for side in ("supporting", "contradicting"):
            names = [m for m in doc_members if m["side"] == side]
            named = [m for m in names if not is_generic(m["origin"]["name"])]
            anchor = (named or names or [None])[0]
            for g in names:
                if g is anchor or not uf.union(key[id(anchor)], key[id(g)]):
                    continue
                if is_generic(g["origin"]["name"]) and len(named) <= 1:
                    why = f"“{g['origin']['name']}” in the same article is taken to be {anchor['origin']['name']}"
                else:
                    why = (f"{g['origin']['name']} and {anchor['origin']['name']} are both relayed by one article of "
                           f"{publisher}: one article is not two independent origins")
                reasons[(key[id(anchor)], key[id(g)])] = why

    entries: dict[tuple[str, str], dict] = {}
    for position, m in enumerate(members):
        o, side = m["origin"], m["side"]
        k = (key[id(m)], side, tuple(o["chain"]))
        e = entries.setdefault(k, {"name": o["name"], "kind": o["kind"], "how": o["how"], "chain": o["chain"],
                                   "documents": [], "claims": [], "side": side, "key": key[id(m)],
                                   "position": position})
        if m["document_id"] not in e["documents"]:
            e["documents"].append(m["document_id"])
        e["claims"].append(m["claim_id"])
    roots = sorted({uf.find(e["key"]) for e in entries.values()})
    numbering = {r: i for i, r in enumerate(roots)}
    origins = []
    for e in entries.values():
        e["group"] = numbering[uf.find(e["key"])]
        e["publishers"] = sorted({publisher_name(docs[d]) for d in e["documents"]})
        origins.append(e)
    # the named origin first in each group; the others say why they depend on it
    origins.sort(key=lambda e: (e["side"] != "supporting", e["group"], is_generic(e["name"]), e["position"]))
    seen_groups: set[tuple[int, str]] = set()
    for e in origins:
        e["dependence"] = None
        if (e["group"], e["side"]) in seen_groups:
            fallback = (f"{e['chain'][0]} {e['how']}" if (e.get("how") or "").startswith("republishes")
                        else f"the same origin, relayed by {e['chain'][0]}")
            e["dependence"] = next((r for pair, r in reasons.items() if e["key"] in pair), fallback)
        seen_groups.add((e["group"], e["side"]))
    dependence = [{"a": a, "b": b, "reason": r} for (a, b), r in reasons.items()]
    cluster = {"origins": origins, "dependence": dependence}
    return refresh_reliability(cluster, book, members)


def _origin_grade(o: dict, book: SourceBook) -> tuple[str, str | None, bool, str | None]:
    """reliability, the outlet it comes via (None when the origin is itself a graded source),
    interested, party."""
    known = book.lookup(o["name"])
    party = party_of(o["name"]) or (known or {}).get("party")
    interested = o["kind"] == "party" or party is not None or bool((known or {}).get("interested"))
    if known is not None and known["reliability"] != "F":
        return known["reliability"], None, interested, party
    best, via = "F", None
    for name in o.get("publishers") or o["chain"][:1]:
        pub = book.lookup(name)
        if pub is not None:
            if o["kind"] == "outlet" and norm(name) == norm(o["name"]):
                interested = interested or pub["interested"]
            if rank(pub["reliability"]) > rank(best):
                best, via = pub["reliability"], pub["name"]
    if via is None and known is not None:
        return known["reliability"], None, interested, party
    return best, via if norm(via or "") != norm(o["name"]) else None, interested, party


def refresh_reliability(cluster: dict, book: SourceBook, members: list[dict] | None = None) -> dict:
    """(Re)compute each origin's reliability and interested flag, the independent count and the
    contradiction origins, from the current source grades."""
    from newsgraph.corpus.credibility import credibility_data

    penalty = credibility_data()["rules"]["interested_penalty"]
    cluster = dict(cluster)
    origins = [dict(o) for o in cluster["origins"]]
    for o in origins:
        o["reliability"], o["reliability_via"], o["interested"], o["party"] = _origin_grade(o, book)
    supporting = [o for o in origins if o["side"] == "supporting"]
    groups = {o["group"] for o in supporting}
    best = max((rank(o["reliability"]) for o in supporting), default=0)
    support_interested = any(o["interested"] for o in supporting)
    contradictions = []
    reasons = {}
    for m in members or cluster.get("contradicting", []):
        if m.get("side", "contradicting") == "contradicting":
            reasons.setdefault(m["claim_id"], m.get("reason"))
    previous = {c["group"]: c for c in cluster.get("contradiction_origins", [])}
    for group in sorted({o["group"] for o in origins if o["side"] == "contradicting"}):
        group_origins = [o for o in origins if o["side"] == "contradicting" and o["group"] == group]
        o = max(group_origins, key=lambda x: (not is_generic(x["name"]), rank(x["reliability"])))
        r = rank(o["reliability"]) - (penalty if any(g["interested"] for g in group_origins) and not support_interested else 0)
        interested = any(g["interested"] for g in group_origins)
        reason = next((reasons[c] for g in group_origins for c in g["claims"] if reasons.get(c)),
                      previous.get(group, {}).get("reason"))
        entry = {"name": o["name"], "kind": o["kind"], "interested": interested, "reliability": o["reliability"],
                 "reliability_via": o["reliability_via"], "group": group, "reason": reason,
                 "publisher": ", ".join(o["publishers"]), "documents": o["documents"]}
        if group in groups:
            entry.update(credible=False, more_reliable=False,
                         why_not="it is not independent of the supporting origin")
        elif r < best or (r < 0):
            why = []
            if interested and not support_interested:
                why.append(f"{o['name']} is a party to the conflict")
            if rank(o["reliability"]) < best:
                why.append(f"its reliability ({o['reliability']}) is below the supporting origin's")
            elif not why:
                why.append("its reliability cannot be judged")
            if rank(o["reliability"]) == 0 and best == 0 and "cannot be judged" not in " ".join(why):
                why.append("neither origin's reliability can be judged")
            entry.update(credible=False, more_reliable=False, why_not=" and ".join(why))
        else:
            entry.update(credible=True, more_reliable=r > best, why_not=None)
        contradictions.append(entry)
    cluster["origins"] = origins
    cluster["contradiction_origins"] = contradictions
    cluster["independent_origins"] = len(groups)
    return cluster
