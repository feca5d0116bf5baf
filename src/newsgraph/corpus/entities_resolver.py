"""Cross-document entity resolution: units, clusters and a blocking index (no all-pairs).

A *unit* is what one document says about one local entity: the mentions of a document that
share a local id ("ent-" + record_id(label, key), the id events and mentions carry at
extraction time). The :class:`Resolver` keeps clusters (entities in the making) and an index
from blocking keys to clusters: alias id, GeoNames id, folded full name, folded surname, first
token, first token + start of surname, organisation acronym. Each unit is looked up only in
its own blocks and either joins one cluster (with a score and a reason) or starts a new one;
when the evidence cannot decide between candidates (a bare "Mohammed", a surname shared by
two brothers) it starts a new cluster and both sides note why they were kept apart.

Adding units to a resolver built from stored entities (:meth:`Cluster.from_record`) is the
incremental path: new documents meet existing entities through the same index.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from newsgraph.corpus.entities_names import (NameForm, alias_family, config, head_text, is_given_name,
                                             name_form, nationalities, role_words)
from newsgraph.pipeline.extract import entity_key, record_id

PLACE_KEYS = ("name", "geonames_id", "lat", "lon", "country_code", "admin1", "feature", "precision")
MAX_REASONS = 20
MAX_KEPT_APART = 20


def local_id_of(mention: dict) -> str:
    return _local_id(*entity_key(mention))


@lru_cache(maxsize=500_000)
def _local_id(label: str, key: str) -> str:
    return "ent-" + record_id(label, key)


@dataclass
class Unit:
    document_id: str
    local_id: str
    type: str
    names: Counter = field(default_factory=Counter)
    texts: set = field(default_factory=set)
    alias_id: str | None = None
    place: dict | None = None
    attributes: dict = field(default_factory=dict)
    mention_ids: list = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.place:
            return self.place["name"]
        return max(self.names, key=lambda n: (self.names[n], len(n), n))

    @property
    def geo(self) -> str | None:
        return str(self.place["geonames_id"]) if self.place else None


def units_from_mentions(mentions) -> list[Unit]:
    """Mentions grouped by (document, local id), in first-seen order."""
    units: dict[tuple[str, str], Unit] = {}
    for m in mentions:
        local = local_id_of(m)
        unit = units.get((m["document_id"], local))
        if unit is None:
            unit = units[(m["document_id"], local)] = Unit(m["document_id"], local, m["label"])
        unit.names[m.get("canonical") or m["text"]] += 1
        unit.texts.add(m["text"])
        unit.alias_id = unit.alias_id or m.get("alias_id")
        place = m.get("place") or {}
        if m["label"] == "PLACE" and place.get("resolved") and unit.place is None:
            unit.place = {k: place.get(k) for k in PLACE_KEYS}
        for k, v in (m.get("attributes") or {}).items():
            unit.attributes.setdefault(k, v)
        if m.get("mention_id") is not None:
            unit.mention_ids.append(m["mention_id"])
    return list(units.values())


class Cluster:
    """An entity in the making: aggregate name, attribute and membership evidence."""

    def __init__(self, type_: str):
        self.id: str | None = None
        self.types: Counter = Counter({type_: 0})
        self.names: Counter = Counter()
        self.aliases: set[str] = set()
        self.attributes: dict = {}
        self.nationality: set[str] = set()
        self.roles: set[str] = set()
        self.mention_count = 0
        self.members: dict[str, set[str]] = defaultdict(set)  # local id -> documents
        self.documents: set[str] = set()
        self.alias_ids: set[str] = set()
        self.place: dict | None = None
        self.units: list[Unit] = []
        self.reasons: list[str] = []
        self.score: float | None = None
        self.kept_apart: list[dict] = []
        self.type = type_
        self._forms: list[NameForm] | None = None
        self._form_names: dict[str, str] = {}   # folded full name -> the name it came from
        self._best: str | None = None

    def _retype(self) -> None:
        self.type = max(self.types, key=lambda t: (self.types[t], t))
        self._forms, self._best = None, None

    def _name_key(self, n: str) -> tuple:
        return len(name_form(self.type, n).core) > 1, self.names[n], len(n), n

    @property
    def geo(self) -> str | None:
        return str(self.place["geonames_id"]) if self.place else None

    @property
    def name(self) -> str:
        if self.place:
            return self.place["name"]
        if not self.names:
            return ""
        if self._best is None:
            self._best = max(self.names, key=self._name_key)
        return self._best

    def forms(self) -> list[NameForm]:
        """The folded forms of every name (and of the proper name after a descriptor), first seen first."""
        if self._forms is None:
            self._forms, self._form_names = [], {}
            self._add_forms(n for n, _ in self.names.most_common())
        return self._forms

    def form_name(self, full: str) -> str:
        self.forms()
        return self._form_names.get(full, self.name)

    def _add_forms(self, names) -> None:
        for n in names:
            head = head_text(n)
            for f in [name_form(self.type, n)] + ([name_form(self.type, head)] if head else []):
                if f.full not in self._form_names and f.core:
                    self._form_names[f.full] = n
                    self._forms.append(f)

    # -- building -------------------------------------------------------------------------------

    def add_unit(self, unit: Unit) -> None:
        self.units.append(unit)
        count = sum(unit.names.values())
        self.types[unit.type] += count
        if unit.type != self.type:
            self._retype()
        new_names = [n for n in unit.names if n not in self.names]
        self.names.update(unit.names)
        if self._forms is not None and new_names:
            self._add_forms(new_names)
        if self._best is not None:
            for n in unit.names:
                if self._name_key(n) > self._name_key(self._best):
                    self._best = n
        self.aliases |= unit.texts | set(unit.names)
        for k, v in unit.attributes.items():
            self.attributes.setdefault(k, v)
        self.nationality |= nationalities(unit.attributes)
        self.roles |= role_words(unit.attributes)
        self.mention_count += count
        self.members[unit.local_id].add(unit.document_id)
        self.documents.add(unit.document_id)
        if unit.alias_id:
            self.alias_ids.add(unit.alias_id)
        if unit.place and self.place is None:
            self.place = dict(unit.place)

    def note(self, score: float, reason: str) -> None:
        self.score = score if self.score is None else min(self.score, score)
        if reason not in self.reasons and len(self.reasons) < MAX_REASONS:
            self.reasons.append(reason)

    def keep_apart(self, name: str, other: "Cluster | None", reason: str) -> None:
        """Note that a name was kept out of (or away from) this entity, and why."""
        if any(e["name"] == name and e["reason"] == reason for e in self.kept_apart):
            return
        if len(self.kept_apart) < MAX_KEPT_APART:
            self.kept_apart.append({"name": name, "reason": reason, "ref": other})

    def absorb(self, other: "Cluster", score: float, reason: str) -> None:
        """Take in every unit and aggregate of ``other`` (an analyst merge, or a decision replayed)."""
        self.units += other.units
        self.types.update(other.types)
        self.names.update(other.names)
        self._retype()
        self.aliases |= other.aliases
        for k, v in other.attributes.items():
            self.attributes.setdefault(k, v)
        self.nationality |= other.nationality
        self.roles |= other.roles
        self.mention_count += other.mention_count
        for local, docs in other.members.items():
            self.members[local] |= docs
        self.documents |= other.documents
        self.alias_ids |= other.alias_ids
        self.place = self.place or other.place
        for r in other.reasons:
            self.note(other.score if other.score is not None else score, r)
        self.note(score, reason)
        self.kept_apart = [k for k in self.kept_apart + other.kept_apart
                           if k.get("ref") is not other and k.get("ref") is not self
                           and (other.id is None or k.get("entity_id") != other.id)]

    @classmethod
    def from_units(cls, units: list[Unit]) -> "Cluster":
        cluster = cls(units[0].type)
        for u in units:
            cluster.add_unit(u)
        return cluster

    # -- records --------------------------------------------------------------------------------

    def to_record(self) -> dict:
        attributes = dict(self.attributes)
        if self.place:
            attributes["place"] = dict(self.place)
        members = {local: sorted(docs) for local, docs in sorted(self.members.items())}
        return {
            "id": self.id, "type": self.type, "name": self.name,
            "aliases": sorted(self.aliases | {self.name}),
            "attributes": attributes, "mention_count": self.mention_count,
            "documents": sorted(self.documents),
            "alias_id": min(self.alias_ids) if self.alias_ids else None,
            "local_ids": sorted(self.members),
            "merge": {"score": round(self.score, 3), "reasons": list(self.reasons)} if self.reasons else None,
            "kept_apart": [{"name": k["name"], "entity_id": k["ref"].id if k.get("ref") else k.get("entity_id"),
                            "reason": k["reason"]} for k in self.kept_apart],
            "names": dict(self.names.most_common()),
            "types": dict(self.types),
            "members": members,
        }

    @classmethod
    def from_record(cls, record: dict) -> "Cluster":
        cluster = cls(record["type"])
        cluster.id = record["id"]
        cluster.types = Counter(record.get("types") or {record["type"]: record.get("mention_count", 0)})
        cluster.names = Counter(record.get("names") or {record["name"]: 1})
        cluster._retype()
        cluster.aliases = set(record.get("aliases") or [])
        cluster.attributes = {k: v for k, v in (record.get("attributes") or {}).items() if k != "place"}
        cluster.place = (record.get("attributes") or {}).get("place")
        cluster.nationality = set(nationalities(cluster.attributes))
        cluster.roles = set(role_words(cluster.attributes))
        cluster.mention_count = record.get("mention_count", 0)
        members = record.get("members") or {local: record.get("documents", []) for local in record.get("local_ids", [])}
        for local, docs in members.items():
            cluster.members[local] = set(docs)
            cluster.documents |= set(docs)
        if record.get("alias_id"):
            cluster.alias_ids.add(record["alias_id"])
        merge = record.get("merge") or {}
        cluster.reasons = list(merge.get("reasons") or [])
        cluster.score = merge.get("score")
        cluster.kept_apart = list(record.get("kept_apart") or [])
        return cluster


# -- evidence -------------------------------------------------------------------------------------

def conflict(unit: Unit, cluster: Cluster) -> str | None:
    """Why ``unit`` cannot be ``cluster`` (nationality or place disagree), or None."""
    nat = nationalities(unit.attributes)
    if nat and cluster.nationality and not nat & cluster.nationality:
        return f"nationality differs ({', '.join(sorted(nat))} vs {', '.join(sorted(cluster.nationality))})"
    if unit.geo and cluster.geo and unit.geo != cluster.geo:
        return f"different GeoNames places ({unit.geo} vs {cluster.geo})"
    return None


def agreement(unit: Unit, cluster: Cluster) -> list[str]:
    """Attribute evidence that ``unit`` and ``cluster`` are the same (nationality, role words)."""
    out = []
    nat = nationalities(unit.attributes) & cluster.nationality
    if nat:
        out.append("nationality " + ", ".join(sorted(nat)))
    roles = role_words(unit.attributes) & cluster.roles
    if roles:
        out.append("role " + ", ".join(sorted(roles)))
    return out


def role_differs(unit: Unit, cluster: Cluster) -> bool:
    roles = role_words(unit.attributes)
    return bool(roles and cluster.roles and not roles & cluster.roles)


# -- the resolver ---------------------------------------------------------------------------------

@dataclass
class Outcome:
    cluster: int | None = None
    score: float = 0.0
    reason: str = ""
    apart: list = field(default_factory=list)   # [(cluster index, reason)]
    ambiguous: bool = False                     # several candidates: the new entity is not a candidate itself


def cluster_keys(cluster: Cluster, forms: list[NameForm] | None = None) -> list[tuple]:
    """The blocking keys of an entity: alias ids, its GeoNames id, and for each name form the full
    name, surname, given name, given name + surname prefix and acronym."""
    forms = cluster.forms() if forms is None else forms
    t = cluster.type
    keys = [("alias", alias_family(t), a) for a in cluster.alias_ids]
    if cluster.geo:
        keys.append(("geo", cluster.geo))
    for f in forms:
        keys.append(("name", t, f.full))
        if not f.single and f.core:
            keys += [("last", t, f.last), ("first", t, f.first), ("fl", t, f.first + "|" + f.last[:2])]
        if f.acronym:
            keys.append(("acr", t, f.acronym))
    return keys


class Resolver:
    def __init__(self, clusters: list[Cluster] = ()):
        cfg = config()
        self.th = cfg["thresholds"]
        self.scores = cfg["scores"]
        self.short_types = set(cfg["types"]["short_form_types"])
        self.acronym_types = set(cfg["types"]["acronym_types"])
        self.clusters: list[Cluster | None] = []
        self.index: dict[tuple, list[int]] = defaultdict(list)
        self.cross_document = 0
        self.kept_apart = 0
        self.touched: set[int] = set()
        for c in clusters:
            self._new(c)
        self.touched.clear()

    # -- index ----------------------------------------------------------------------------------

    def _keys(self, cluster: Cluster, forms: list[NameForm]) -> list[tuple]:
        return cluster_keys(cluster, forms)

    def _bucket(self, key: tuple) -> list[int]:
        """The clusters indexed under ``key``, removed ones included (their count sizes a block)."""
        return self.index.get(key, [])

    def _put(self, ci: int, keys: list[tuple]) -> None:
        for key in keys:
            bucket = self.index[key]
            if ci not in bucket:
                bucket.append(ci)

    def _new(self, cluster: Cluster, index: bool = True) -> int:
        self.clusters.append(cluster)
        ci = len(self.clusters) - 1
        self._put(ci, self._keys(cluster, cluster.forms() if index else []))
        self.touched.add(ci)
        return ci

    def _get(self, key: tuple) -> list[int]:
        return [ci for ci in self._bucket(key) if self.clusters[ci] is not None]

    # -- adding ---------------------------------------------------------------------------------

    def add(self, units: list[Unit]) -> None:
        """Resolve ``units``: full names first, so that short forms meet every candidate."""
        order = sorted(units, key=lambda u: (name_form(u.type, u.name).single, u.type, u.document_id, u.local_id))
        for unit in order:
            self.add_unit(unit)

    def add_unit(self, unit: Unit) -> int:
        outcome = self.match(unit)
        if outcome.cluster is None:
            ci = self._new(Cluster.from_units([unit]), index=not outcome.ambiguous)
            self._record_apart(ci, unit, outcome.apart)
            return ci
        ci = outcome.cluster
        cluster = self.clusters[ci]
        if unit.document_id not in cluster.documents:
            self.cross_document += 1
        before = {f.full for f in cluster.forms()}
        cluster.add_unit(unit)
        cluster.note(outcome.score, outcome.reason)
        self._put(ci, self._keys(cluster, [f for f in cluster.forms() if f.full not in before])
                  + [("alias", alias_family(cluster.type), a) for a in cluster.alias_ids]
                  + ([("geo", cluster.geo)] if cluster.geo else []))
        self.touched.add(ci)
        return ci

    def _record_apart(self, ci: int, unit: Unit, apart: list) -> None:
        if not apart:
            return
        self.kept_apart += 1
        new = self.clusters[ci]
        for other_ci, reason in apart:
            other = self.clusters[other_ci]
            new.keep_apart(other.name, other, reason)
            other.keep_apart(unit.name, new, reason)
            self.touched.add(other_ci)

    def match(self, unit: Unit) -> Outcome:
        t, s = unit.type, self.scores
        if unit.alias_id:
            for ci in self._get(("alias", alias_family(t), unit.alias_id)):
                return Outcome(ci, s["alias"], f"alias table: {unit.alias_id}")
        if unit.geo:
            for ci in self._get(("geo", unit.geo)):
                return Outcome(ci, s["geonames"], f"same GeoNames place {unit.geo}")
        outcome = self._match_name(unit, unit.name)
        head = head_text(unit.name) if outcome.cluster is None and not outcome.apart else None
        if head and name_form(t, head).full != name_form(t, unit.name).full:
            inner = self._match_name(unit, head)
            if inner.cluster is not None:
                inner.reason += f" (the name in '{unit.name}')"
                return inner
        return outcome

    def _match_name(self, unit: Unit, name: str) -> Outcome:
        t, s = unit.type, self.scores
        form = name_form(t, name)
        if not form.core:
            return Outcome()
        if form.single and t == "PERSON":
            return self._person_short(unit, form, name)
        exact = self._get(("name", t, form.full))
        if exact:
            return self._choose(unit, exact, s["same_name"], self._same_name_reason(name, exact, form.full), name)
        if form.single:
            if form.upper and t in self.acronym_types:
                found = self._get(("acr", t, form.first))
                if found:
                    return self._choose(unit, found, s["acronym"], f"acronym '{name}'", name)
            if t in self.short_types:
                found = list(dict.fromkeys(self._get(("last", t, form.first)) + self._get(("first", t, form.first))))
                if found:
                    return self._choose(unit, found, s["short_form"], f"short form '{name}'", name)
            return Outcome()
        return self._fuzzy(unit, form, name)

    def _same_name_reason(self, name: str, found: list[int], full: str) -> str:
        other = self.clusters[found[0]].form_name(full)
        return "same name" if other == name else f"same name after folding ('{name}' ~ '{other}')"

    def _choose(self, unit: Unit, found: list[int], score: float, reason: str, name: str) -> Outcome:
        """Join the one compatible candidate; with several, only the one the evidence picks."""
        ok, apart = [], []
        for ci in found:
            why = conflict(unit, self.clusters[ci])
            (apart.append((ci, why)) if why else ok.append(ci))
        if len(ok) == 1:
            return Outcome(ok[0], score, reason)
        if len(ok) > 1:
            agreeing = [ci for ci in ok if agreement(unit, self.clusters[ci])]
            if len(agreeing) == 1:
                ev = "; ".join(agreement(unit, self.clusters[agreeing[0]]))
                return Outcome(agreeing[0], score, f"{reason}, picked by {ev}")
            names = ", ".join(sorted({self.clusters[ci].name for ci in ok}))
            return Outcome(apart=apart + [(ci, f"'{name}' is ambiguous: could be {names}") for ci in ok],
                           ambiguous=True)
        return Outcome(apart=apart)

    def _person_short(self, unit: Unit, form: NameForm, name: str) -> Outcome:
        """A one-word person name: a surname short form, or a bare given name (needs evidence)."""
        tok, s = form.first, self.scores
        full = self._get(("last", "PERSON", tok))
        bare = [ci for ci in self._get(("name", "PERSON", tok)) if ci not in full]
        if not is_given_name(tok):
            if full:
                return self._choose(unit, full, s["short_form"], f"short form '{name}' (surname)", name)
            if bare:
                return self._choose(unit, bare, s["short_form"], f"same short name '{name}'", name)
            return Outcome()
        found = list(dict.fromkeys(full + self._get(("first", "PERSON", tok)) + bare))
        if not found:
            return Outcome()
        ok = [ci for ci in found if not conflict(unit, self.clusters[ci])]
        agreeing = [ci for ci in ok if agreement(unit, self.clusters[ci])]
        if len(agreeing) == 1 and len(ok) <= 2:
            ev = "; ".join(agreement(unit, self.clusters[agreeing[0]]))
            return Outcome(agreeing[0], s["given_name_with_evidence"], f"given name '{name}' with agreeing {ev}")
        names = ", ".join(sorted({self.clusters[ci].name for ci in found}))
        fuller = any(not name_form("PERSON", self.clusters[ci].name).single for ci in found)
        why = (f"bare given name '{name}' could be {names}" if fuller
               else f"bare given name '{name}' in other documents, no agreeing evidence")
        return Outcome(apart=[(ci, why) for ci in found], ambiguous=True)

    def _fuzzy(self, unit: Unit, form: NameForm, name: str) -> Outcome:
        th, t = self.th, unit.type
        candidates: set[int] = set()
        for key in (("last", t, form.last), ("fl", t, form.first + "|" + form.last[:2]), ("first", t, form.first)):
            if len(self._bucket(key)) <= th["max_block"]:
                candidates.update(self._get(key))
        scored = []
        for ci in sorted(candidates):
            cluster = self.clusters[ci]
            if conflict(unit, cluster):
                continue
            best = 0.0
            for other in cluster.forms()[:th["max_names"]]:
                if other.single or not self._tokens_agree(t, form, other):
                    continue
                best = max(best, fuzz.ratio(form.full, other.full))
            if not best:
                continue
            evidence = agreement(unit, cluster)
            best += th["nationality_agrees"] * any(e.startswith("nationality") for e in evidence)
            best += th["role_agrees"] * any(e.startswith("role") for e in evidence)
            best += th["role_differs"] * role_differs(unit, cluster)
            if best >= th["fuzzy"]:
                scored.append((best, ci, evidence))
        if not scored:
            return Outcome()
        scored.sort(key=lambda x: (-x[0], x[1]))
        best, ci, evidence = scored[0]
        if len(scored) > 1 and scored[1][0] >= best - 2:
            names = ", ".join(sorted({self.clusters[c].name for _, c, _ in scored[:3]}))
            return Outcome(apart=[(c, f"'{name}' is close to several names: {names}") for _, c, _ in scored[:3]],
                           ambiguous=True)
        other = self.clusters[ci].name
        extra = f" with {'; '.join(evidence)}" if evidence else ""
        return Outcome(ci, min(best, 100) / 100, f"similar name '{name}' ~ '{other}' ({min(best, 100):.0f}){extra}")

    def _tokens_agree(self, t: str, a: NameForm, b: NameForm) -> bool:
        if t != "PERSON":
            return True
        th = self.th
        if fuzz.ratio(a.last, b.last) < th["fuzzy_last_token"]:
            return False
        if min(len(a.first), len(b.first)) == 1:
            return a.first[0] == b.first[0]
        return fuzz.ratio(a.first, b.first) >= th["fuzzy_first_token"]

    # -- results --------------------------------------------------------------------------------

    def live(self) -> list[Cluster]:
        return [c for c in self.clusters if c is not None]


def assign_ids(clusters: list[Cluster], taken: set[str]) -> None:
    """Stable ids: a new cluster takes its smallest local id, unless another entity has it."""
    fresh = [c for c in clusters if c.id is None]
    fresh.sort(key=lambda c: (min(c.members), -c.mention_count, min(c.documents, default="")))
    for c in fresh:
        primary = min(c.members)
        c.id = primary if primary not in taken else "ent-" + record_id(primary, min(c.documents, default=""))
        n = 1
        while c.id in taken:
            c.id = "ent-" + record_id(primary, min(c.documents, default=""), n)
            n += 1
        taken.add(c.id)
