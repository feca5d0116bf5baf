"""Source reliability (A–F) and information credibility (1–6), the two Admiralty axes.

* Sources: ``apply_source_priors(store)`` loads data/outlets.toml into the sources table at
  every run, then the analysts' "source_reliability" decisions, which win.
* ``SourceBook``: reliability, basis and interested flag of any origin name (a publisher in the
  store, an outlet or agency of outlets.toml, or a party to the conflict).
* ``grade_cluster(cluster, book)``: the suggested credibility of a claim cluster with a
  one-paragraph explanation built from its origins and contradictions (rules in
  data/credibility.toml).
* Edit functions (the CLI and the web app call them): ``set_source_reliability`` and
  ``override_credibility`` validate, record a decision and update the stored records at once.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path

from newsgraph import settings

GRADES = "ABCDEF"
CLUSTER_KIND = "claim_cluster"


@lru_cache(maxsize=1)
def credibility_data() -> dict:
    return tomllib.loads(resources.files("newsgraph.data").joinpath("credibility.toml").read_text("utf-8"))


def outlet_data() -> dict:
    """The bundled outlet priors, with the analyst's outlets file (setting ``outlets``) in front."""
    return _outlet_data(str(settings.get("outlets") or ""))


@lru_cache(maxsize=4)
def _outlet_data(extra: str) -> dict:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("outlets.toml").read_text("utf-8"))
    if not extra:
        return data
    path = Path(extra).expanduser()
    try:
        user = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ValueError(f"outlets file {path} (NEWSGRAPH_OUTLETS) does not exist; "
                         "fix the path or unset NEWSGRAPH_OUTLETS") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"outlets file {path} is not valid TOML ({exc}); "
                         "see src/newsgraph/data/outlets.toml for the format") from None
    for key in ("outlet", "party"):
        entries = user.get(key, [])
        bad = [e for e in entries if key == "outlet" and not {"name", "reliability", "basis"} <= set(e)]
        if bad:
            raise ValueError(f"outlets file {path}: every [[outlet]] needs name, reliability and basis "
                             f"(missing in {bad[0].get('name', bad[0])!r})")
        data[key] = list(entries) + list(data.get(key, []))
    return data


def norm(name: str | None) -> str:
    """Casefolded, accent-free, punctuation-free name without a leading "the"."""
    if not name:
        return ""
    return _norm(name)


@lru_cache(maxsize=200_000)
def _norm(name: str) -> str:
    if name.isascii():  # the common case: nothing to take apart
        text = name.casefold()
    else:
        text = unicodedata.normalize("NFKD", name.replace("ı", "i").replace("İ", "I"))
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[’'`]s\b", "s", text)
    words = re.findall(r"[a-z0-9]+", text)
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def grade_label(grade: int | str) -> str:
    data = credibility_data()
    if isinstance(grade, int) or str(grade).isdigit():
        return data["credibility"][str(grade)]["label"]
    return data["reliability"][str(grade)]["label"]


def rank(reliability: str | None) -> int:
    """A 5 … E 1, F (cannot be judged) 0."""
    return credibility_data()["reliability"].get(reliability or "F", {"rank": 0})["rank"]


# --------------------------------------------------------------------------- sources


def _outlet_entries() -> list[dict]:
    return list(outlet_data().get("outlet", []))


def _party_names() -> list[tuple[str, re.Pattern]]:
    return _compiled(str(settings.get("outlets") or ""))[1]


@lru_cache(maxsize=4)
def _compiled(extra: str) -> tuple[dict[str, dict], list[tuple[str, re.Pattern]]]:
    """The outlets by normalised name and alias (the first entry wins, as the analyst's file comes
    first), and a pattern for each party name."""
    data = _outlet_data(extra)
    by_name: dict[str, dict] = {}
    for entry in data.get("outlet", []):
        for name in (entry["name"], *entry.get("aliases", [])):
            by_name.setdefault(norm(name), entry)
    by_name.pop("", None)
    parties = [(party["name"], re.compile(r"(?<![a-z0-9])" + re.escape(norm(name)) + r"(?![a-z0-9])"))
               for party in data.get("party", []) for name in party["names"]]
    return by_name, parties


def party_of(name: str | None) -> str | None:
    """The party to the conflict named in ``name`` ("Asayish official" -> "Asayish"), if any."""
    key = norm(name)
    if not key:
        return None
    for party, pattern in _party_names():
        if pattern.search(key):
            return party
    return None


def main_group(text: str, exclude: set[str] = frozenset()) -> str | None:
    """The party an article names most (``exclude``: the publisher's own party), when it names it at
    least ``group_min_mentions`` times and twice as often as any other: what "the militants" of the
    article most likely are."""
    from newsgraph.corpus.claims_match import match_data

    key = " " + norm(text) + " "
    counts = {}
    for party, pattern in _party_names():
        if party in exclude:
            continue
        n = len(pattern.findall(key))
        if n:
            counts[party] = counts.get(party, 0) + n
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < match_data()["group_min_mentions"]:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def outlet_prior(name: str | None, domain: str | None = None) -> dict | None:
    """The outlets.toml entry for a name, alias or domain."""
    key = norm(name)
    entry = _compiled(str(settings.get("outlets") or ""))[0].get(key) if key else None
    if entry is not None or not domain:
        return entry
    return next((e for e in _outlet_entries()
                 if any(domain == d or domain.endswith("." + d) for d in e.get("domains", []))), None)


def _latest_decisions(store, kind: str) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for decision in store.iter_decisions(kind):
        latest[decision["subject"]] = decision
    return latest


def apply_source_priors(store) -> int:
    """Load the outlets.toml priors into the sources table, then the analysts' decisions (which
    win). Returns how many sources were updated."""
    n = 0
    for source in store.iter_sources():
        entry = outlet_prior(source["name"], source.get("domain"))
        if entry is not None:
            store.update_source(source["id"], reliability=entry["reliability"],
                                reliability_basis=entry["basis"], interested=bool(entry.get("interested")),
                                domain=source.get("domain") or (entry.get("domains") or [None])[0])
            n += 1
    known = {s["id"] for s in store.iter_sources()}
    for subject, decision in _latest_decisions(store, "source_reliability").items():
        if subject in known:
            data = decision["data"]
            store.update_source(subject, reliability=data["reliability"],
                                reliability_basis=_decision_basis(data, decision))
            n += 1
    return n


def _decision_basis(data: dict, decision: dict) -> str:
    return f"analyst: {data.get('basis') or decision.get('note') or 'no basis given'}"


class SourceBook:
    """Reliability, basis and interested flag of origin names, from the store's sources (with
    the analysts' grades) and outlets.toml."""

    def __init__(self, store):
        self.sources = {s["id"]: s for s in store.iter_sources()}
        self.by_name = {norm(s["name"]): s for s in self.sources.values()}

    def lookup(self, name: str | None) -> dict | None:
        """{name, reliability, basis, interested, party, source_id} for a known source, else None."""
        key = norm(name)
        if not key:
            return None
        source = self.by_name.get(key)
        entry = outlet_prior(name)
        if source is None and entry is not None:
            source = self.by_name.get(norm(entry["name"]))
        if source is not None:
            party = (entry or {}).get("party") or party_of(source["name"])
            return {"name": source["name"], "reliability": source["reliability"] or "F",
                    "basis": source["reliability_basis"], "interested": bool(source["interested"]) or party is not None,
                    "party": party, "source_id": source["id"]}
        if entry is not None:
            return {"name": entry["name"], "reliability": entry["reliability"], "basis": entry["basis"],
                    "interested": bool(entry.get("interested")), "party": entry.get("party"), "source_id": None}
        return None

    def short_form(self, name: str | None, candidates: list[str]) -> str | None:
        """"Ledger" -> "Levant Ledger" when exactly one candidate name ends with these words."""
        key = norm(name)
        if not key:
            return None
        hits = {c for c in candidates if c and norm(c) != key and norm(c).endswith(" " + key)}
        return hits.pop() if len(hits) == 1 else None


# --------------------------------------------------------------------------- grading


def _rules() -> dict:
    return credibility_data()["rules"]


def suggest_grade(supporting: list[dict], contradictions: list[dict], hedged: bool, articles: int = 2) -> tuple[int, str]:
    """The suggested grade and the reason in words. Grade 1 needs ``confirm_min_origins``
    independent origins from at least ``confirm_min_articles`` articles, not all of them parties
    to the conflict (``confirm_needs_disinterested``); a single origin is graded by its reliability.

    ``supporting``: the independent supporting origin groups, each {name, reliability, interested};
    ``contradictions``: each {name, reliability, interested, credible, more_reliable}.
    """
    rules = _rules()
    credible = [c for c in contradictions if c["credible"]]
    best = max((rank(o["reliability"]) for o in supporting), default=0)
    if any(c["more_reliable"] for c in credible):
        c = next(c for c in credible if c["more_reliable"])
        return 5, f"contradicted by {c['name']}, an independent origin more reliable ({c['reliability']}) than the best supporting origin"
    if credible:
        return 4, f"contradicted by {len(credible)} independent origin{'s' if len(credible) > 1 else ''} not less reliable than the supporting one"
    disinterested = [o for o in supporting if not o.get("interested")]
    if len(supporting) >= rules["confirm_min_origins"] and articles >= rules["confirm_min_articles"] and (
            disinterested or not rules["confirm_needs_disinterested"]):
        return 1, f"{len(supporting)} independent origins agree and no credible contradiction was found"
    if not supporting:
        return 6, "no origin could be identified"
    origin = max(supporting, key=lambda o: (not o.get("interested"), rank(o["reliability"])))
    if len(supporting) >= rules["confirm_min_origins"]:
        lead = ("every independent origin is a party to the conflict" if not disinterested
                else "it rests on one article")
        grade, why = _single(origin, hedged, contradictions)
        return grade, f"not confirmed ({lead}): " + why
    return _single(origin, hedged, contradictions)


def _single(origin: dict, hedged: bool, contradictions: list[dict]) -> tuple[int, str]:
    """The grade one origin earns alone: by its reliability, lowered for a party or a hedge."""
    rules = _rules()
    grade = rules["single_origin"][origin["reliability"] or "F"]
    why = f"a single origin of reliability {origin['reliability']} ({grade_label(origin['reliability'] or 'F').lower()})"
    if grade == 6:
        return 6, why + " and nothing confirms it"
    if origin["interested"] and grade < rules["interested_floor"]:
        grade = rules["interested_floor"]
        why += ", a party to the conflict"
    if hedged and grade < rules["hedge_cap"]:
        grade = min(grade + rules["hedge_step"], rules["hedge_cap"])
        why += ", in hedged wording"
    if contradictions and grade < rules["contested_floor"]:
        grade = rules["contested_floor"]
    if contradictions:
        why += "; the contradiction found is not credible"
    return grade, why


def _origin_phrase(o: dict) -> str:
    t = credibility_data()["explain"]["origin"]
    via = f" via {o['reliability_via']}" if o.get("reliability_via") else ""
    interested = ", a party to the conflict" if o.get("interested") else ""
    return t.format(name=o["name"], kind=o["kind"], interested=interested, reliability=o["reliability"], via=via)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def explain(cluster: dict, grade: int, why: str) -> str:
    """One paragraph: the claim, its origins and counts, contradictions, the grade and why."""
    t = credibility_data()["explain"]
    origins = [o for o in cluster["origins"] if o.get("side") == "supporting"]
    groups: dict[int, list[dict]] = {}
    for o in origins:
        groups.setdefault(o["group"], []).append(o)
    parts = [t["claim"].format(text=cluster["text"])]
    independent = [g[0] for g in groups.values()]
    parts.append(t["support"].format(articles=_plural(cluster["article_count"], "article"),
                                     independent=_plural(len(independent), "independent origin"),
                                     origins="; ".join(_origin_phrase(o) for o in independent)))
    dependent = [o for g in groups.values() for o in g[1:]]
    if dependent:
        reasons = "; ".join(o.get("dependence") or f"same origin as {groups[o['group']][0]['name']}" for o in dependent)
        parts.append(t["dependent"].format(dependent=", ".join(f"{o['name']} via {o['chain'][0]}" for o in dependent),
                                           reasons=reasons))
    for c in cluster.get("contradiction_origins", []):
        credible = t["credible_yes"] if c["credible"] else t["credible_no"].format(why=c["why_not"])
        parts.append(t["contradiction"].format(origin=_origin_phrase(c), reason=c["reason"],
                                               document_source=c.get("publisher") or "an unknown publisher",
                                               credible=credible))
    if not cluster.get("contradiction_origins"):
        parts.append(t["no_contradiction"])
    if cluster.get("hedges"):
        parts.append(t["hedged"].format(hedges=", ".join(cluster["hedges"])))
    parts.append(t["grade"].format(grade=grade, label=grade_label(grade), why=why))
    return " ".join(parts)


def grade_cluster(cluster: dict) -> dict:
    """{grade, label, explanation, override} from the cluster's origins (computed; no override)."""
    origins = [o for o in cluster["origins"] if o.get("side") == "supporting"]
    seen: dict[int, dict] = {}
    for o in origins:
        if o["group"] not in seen or rank(o["reliability"]) > rank(seen[o["group"]]["reliability"]):
            seen[o["group"]] = o
    supporting = list(seen.values())
    grade, why = suggest_grade(supporting, cluster.get("contradiction_origins", []), bool(cluster.get("hedged")),
                               int(cluster.get("article_count") or len(cluster.get("documents") or [])))
    return {"grade": grade, "label": grade_label(grade), "explanation": explain(cluster, grade, why),
            "override": None}


def with_override(cluster: dict, decision: dict | None) -> dict:
    """The cluster with the analyst's override (a "claim_credibility" decision) beside its grade."""
    cred = dict(cluster["credibility"])
    cred["override"] = None
    if decision is not None:
        grade = int(decision["data"]["grade"])
        cred["override"] = {"grade": grade, "label": grade_label(grade), "note": decision.get("note") or "",
                            "at": decision.get("created_at")}
        note = f": {decision['note']}" if decision.get("note") else ""
        extra = credibility_data()["explain"]["override"].format(grade=grade, label=grade_label(grade), note=note)
        cred["explanation"] = cred["explanation"].split(" Analyst override:")[0] + " " + extra
    else:
        cred["explanation"] = cred["explanation"].split(" Analyst override:")[0]
    cluster = dict(cluster)
    cluster["credibility"] = cred
    return cluster


def override_decisions(store) -> dict[str, dict]:
    return _latest_decisions(store, "claim_credibility")


def find_override(decisions: dict[str, dict], cluster: dict) -> dict | None:
    """The latest override for this cluster: by its id, else by the claims it was made on."""
    if cluster["id"] in decisions:
        return decisions[cluster["id"]]
    claims = set(cluster["claims"])
    best = None
    for decision in decisions.values():
        on = set(decision["data"].get("claims") or ())
        if on and len(on & claims) * 2 > len(on) and (best is None or decision["id"] > best["id"]):
            best = decision
    return best


# --------------------------------------------------------------------------- edit functions


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def set_source_reliability(store, source_id: str, grade: str, basis: str) -> dict:
    """Grade a source A–F with its basis: records a "source_reliability" decision, updates the
    source and regrades the claim clusters it takes part in. Returns the updated source."""
    grade = (grade or "").strip().upper()
    if len(grade) != 1 or grade not in GRADES:
        raise ValueError(f"reliability must be one letter A–F (A completely reliable … F cannot be judged), not {grade!r}")
    sources = {s["id"]: s for s in store.iter_sources()}
    if source_id not in sources:
        by_name = {norm(s["name"]): s["id"] for s in sources.values()}
        if norm(source_id) in by_name:
            source_id = by_name[norm(source_id)]
        else:
            known = ", ".join(sorted(sources)) or "none"
            raise ValueError(f"unknown source {source_id!r}; known sources: {known}")
    basis = (basis or "").strip()
    if not basis:
        raise ValueError("say why: --basis is required (for example \"track record on Syria since 2015\")")
    data = {"reliability": grade, "basis": basis}
    store.add_decision("source_reliability", source_id, data)
    store.update_source(source_id, reliability=grade, reliability_basis=f"analyst: {basis}")
    regrade(store, source=sources[source_id]["name"])
    return next(s for s in store.iter_sources() if s["id"] == source_id)


def override_credibility(store, cluster_id: str, grade, note: str) -> dict:
    """Set the analyst's credibility grade (1–6) of a claim cluster beside the computed one:
    records a "claim_credibility" decision and updates the stored cluster. Returns the cluster."""
    try:
        value = int(str(grade).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= 6:
        raise ValueError(f"credibility must be a number 1–6 (1 confirmed … 6 cannot be judged), not {grade!r}")
    cluster = store.get_corpus_record(CLUSTER_KIND, cluster_id)
    if cluster is None:
        raise ValueError(f"unknown claim cluster {cluster_id!r} (see `newsgraph export claims` for cluster ids)")
    decision_id = store.add_decision("claim_credibility", cluster_id, {"grade": value, "claims": cluster["claims"]},
                                     note=note or "")
    decision = {"id": decision_id, "data": {"grade": value}, "note": note or "", "created_at": _now()}
    cluster = with_override(cluster, decision)
    store.upsert_corpus_records(CLUSTER_KIND, [cluster])
    return cluster


def regrade(store, source: str | None = None) -> int:
    """Recompute the credibility of stored clusters (those involving ``source`` when given) with
    the current source grades; overrides are kept. Returns how many were updated."""
    from newsgraph.corpus.origins import refresh_reliability

    book = SourceBook(store)
    decisions = override_decisions(store)
    changed = []
    for cluster in store.iter_corpus_records(CLUSTER_KIND):
        if source is not None and not _involves(cluster, source):
            continue
        cluster = refresh_reliability(cluster, book)
        cluster["credibility"] = grade_cluster(cluster)
        changed.append(with_override(cluster, find_override(decisions, cluster)))
    if changed:
        store.upsert_corpus_records(CLUSTER_KIND, changed)
    return len(changed)


def _involves(cluster: dict, source: str) -> bool:
    key = norm(source)
    for o in cluster["origins"]:
        if norm(o["name"]) == key or any(norm(n) == key for n in o.get("chain", [])):
            return True
    return any(norm(e.get("source")) == key for side in ("supporting", "contradicting", "related")
               for e in cluster.get(side, []))
