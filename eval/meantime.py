"""Cross-document entity resolution on NewsReader MEANTIME (English, 120 WikiNews articles).

Gold: every named entity mention (syntactic type NAM or PRE.NAM) that the cross-document
annotation links (REFERS_TO) to a corpus-level entity instance; the instance id is its gold
cluster. The resolver (newsgraph.corpus.entities.build_entities) gets each mention's text,
the instance's type (PER, ORG, LOC, PRO, FIN mapped to our labels), the document, and the
alias-table id our extraction would give the text; nothing else. The baseline puts mentions
with the same type and exactly the same text together.

Scores: MUC, B³, CEAF-e (φ4, optimal alignment) and CoNLL F1 (their mean), computed here.

    .venv/bin/python eval/meantime.py [--shared ../shared] [--all-mentions]
"""
from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "PRO": "PRODUCT", "FIN": "FINANCIAL"}
NAMED = {"NAM", "PRE.NAM"}


def load_mentions(meantime_dir: Path, named_only: bool = True) -> list[dict]:
    """Gold mentions: {mention_id, document_id, text, label, gold}."""
    files = sorted((meantime_dir / "intra_cross-doc_annotation").glob("*/*.xml"))
    if not files:
        raise SystemExit(f"no MEANTIME files under {meantime_dir}/intra_cross-doc_annotation (see its README)")
    out = []
    for path in files:
        root = ET.parse(path).getroot()
        doc_id = root.get("doc_id")
        tokens = {t.get("t_id"): t.text or "" for t in root.iter("token")}
        markables = root.find("Markables")
        mentions = {m.get("m_id"): m for m in markables.findall("ENTITY_MENTION")}
        instances = {e.get("m_id"): e for e in markables.findall("ENTITY") if e.get("instance_id")}
        for rel in root.find("Relations").findall("REFERS_TO"):
            target = rel.find("target")
            instance = instances.get(target.get("m_id")) if target is not None else None
            if instance is None:
                continue
            for source in rel.findall("source"):
                m = mentions.get(source.get("m_id"))
                if m is None or (named_only and m.get("syntactic_type") not in NAMED):
                    continue
                text = " ".join(tokens[a.get("t_id")] for a in m.findall("token_anchor"))
                text = text.replace(" 's", "'s").replace(" .", ".").replace(" ,", ",")
                out.append({"mention_id": len(out) + 1, "document_id": doc_id, "text": text,
                            "label": TYPES.get(instance.get("ent_type"), instance.get("ent_type")),
                            "gold": instance.get("instance_id")})
    return out


def with_aliases(mentions: list[dict]) -> list[dict]:
    """Mention dicts as extraction writes them: canonical name and alias id from the alias table."""
    from newsgraph.extraction.entities_resources import alias_index, norm_key

    index = alias_index()
    out = []
    for m in mentions:
        entry = index.get(norm_key(m["text"]))
        out.append({**m, "canonical": entry["canonical"] if entry else m["text"],
                    "alias_id": entry["id"] if entry else None, "attributes": {}, "place": None})
    return out


# -- metrics ------------------------------------------------------------------------------------

def clusters_of(assignment: dict[int, str]) -> list[set[int]]:
    groups: dict[str, set[int]] = defaultdict(set)
    for mention, cluster in assignment.items():
        groups[cluster].add(mention)
    return list(groups.values())


def _prf(p_num, p_den, r_num, r_den) -> tuple[float, float, float]:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def muc(key: list[set], response: list[set]) -> tuple[float, float, float]:
    def side(a: list[set], b: list[set]) -> tuple[int, int]:
        where = {m: i for i, c in enumerate(b) for m in c}
        num = den = 0
        for c in a:
            parts = {where.get(m, ("alone", m)) for m in c}
            num += len(c) - len(parts)
            den += len(c) - 1
        return num, den

    r_num, r_den = side(key, response)
    p_num, p_den = side(response, key)
    return _prf(p_num, p_den, r_num, r_den)


def b_cubed(key: list[set], response: list[set]) -> tuple[float, float, float]:
    key_of = {m: c for c in key for m in c}
    resp_of = {m: c for c in response for m in c}
    mentions = list(key_of)
    r = sum(len(key_of[m] & resp_of.get(m, {m})) / len(key_of[m]) for m in mentions)
    p = sum(len(key_of.get(m, {m}) & resp_of[m]) / len(resp_of[m]) for m in resp_of)
    return _prf(p, len(resp_of), r, len(mentions))


def ceaf_e(key: list[set], response: list[set]) -> tuple[float, float, float]:
    """Entity-based CEAF with φ4(K, R) = 2|K∩R| / (|K|+|R|) and the optimal one-to-one alignment."""
    where = defaultdict(set)
    for j, c in enumerate(response):
        for m in c:
            where[m].add(j)
    sim = np.zeros((len(key), len(response)))
    for i, k in enumerate(key):
        for j in {j for m in k for j in where[m]}:
            sim[i, j] = 2 * len(k & response[j]) / (len(k) + len(response[j]))
    rows, cols = linear_sum_assignment(-sim)
    total = sim[rows, cols].sum()
    return _prf(total, len(response), total, len(key))


def score(gold: dict[int, str], predicted: dict[int, str]) -> dict[str, tuple[float, float, float]]:
    key, response = clusters_of(gold), clusters_of(predicted)
    out = {"MUC": muc(key, response), "B3": b_cubed(key, response), "CEAF-e": ceaf_e(key, response)}
    f = sum(v[2] for v in out.values()) / 3
    out["CoNLL"] = (f, f, f)
    return out


# -- systems ------------------------------------------------------------------------------------

def exact_name_baseline(mentions: list[dict]) -> dict[int, str]:
    return {m["mention_id"]: f"{m['label']}|{m['text']}" for m in mentions}


def resolver(mentions: list[dict]) -> dict[int, str]:
    from newsgraph.corpus.entities import build_entities

    _, links = build_entities(with_aliases(mentions))
    return links


def evaluate(shared: Path, named_only: bool = True) -> dict:
    mentions = load_mentions(shared / "eval" / "meantime", named_only)
    gold = {m["mention_id"]: m["gold"] for m in mentions}
    return {
        "mentions": len(mentions), "documents": len({m["document_id"] for m in mentions}),
        "gold_entities": len(set(gold.values())),
        "resolver": score(gold, resolver(mentions)),
        "baseline": score(gold, exact_name_baseline(mentions)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--all-mentions", action="store_true",
                        help="also nominal and pronominal mentions (a name-based resolver cannot link most)")
    args = parser.parse_args()
    result = evaluate(args.shared, named_only=not args.all_mentions)
    print(f"MEANTIME cross-document entities: {result['mentions']} mentions in {result['documents']} documents, "
          f"{result['gold_entities']} gold entities")
    print(f"{'metric':<8} {'system':<9} {'P':>6} {'R':>6} {'F1':>6}")
    for metric in ("MUC", "B3", "CEAF-e", "CoNLL"):
        for system in ("resolver", "baseline"):
            p, r, f = result[system][metric]
            if metric == "CoNLL":
                print(f"{metric:<8} {system:<9} {'':>6} {'':>6} {f:6.3f}")
            else:
                print(f"{metric:<8} {system:<9} {p:6.3f} {r:6.3f} {f:6.3f}")


if __name__ == "__main__":
    main()
