"""Story clustering on ECB+: B³ of document clusters against the gold sub-topics.

Each ECB+ topic holds two sub-topics, two different events of one kind (files ``N_Mecb.xml`` are one,
``N_Mecbplus.xml`` the other). The documents of each topic are clustered by newsgraph's story
clustering (``newsgraph.corpus.stories_cluster.StoryIndex``, the code the "stories" stage runs),
one topic at a time, in file order, with document frequencies from the whole collection as
background. Two feature sets:

  text      content words of the text and entity names found by the project's NER (spaCy), as
            ``stories_features.text_features`` (the default; about a minute for the 982 documents)
  pipeline  the full per-document extraction (``pipeline.extract.analyse``: entities, events, places,
            dates) fed through ``stories_features.document_features``, exactly as in ``newsgraph build``;
            slow, so run on the first ``--topics`` topics only

Beside it, in the same script, a baseline: TF-IDF vectors (scikit-learn) of each topic's documents,
agglomerative clustering with average linkage on cosine distance cut at a fixed threshold.

    .venv/bin/python eval/ecbplus.py [--shared ../shared] [--mode text|pipeline] [--topics N]
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BASELINE_THRESHOLD = 0.8  # cosine distance at which the baseline's dendrogram is cut (its best on ECB+)


@dataclass
class EcbDoc:
    id: str
    topic: str
    subtopic: str
    text: str
    entities: list[str] = field(default_factory=list)


def _key(name: str) -> tuple:
    topic, rest = name.split("_", 1)
    number = re.match(r"\d+", rest).group()
    return int(topic), int(number), rest


def read_ecbplus(shared: Path, topics: int | None = None) -> list[EcbDoc]:
    """The ECB+ documents in topic and file order; an ``ecbplus`` file's sentence 0 (its URL) is left out."""
    base = Path(shared) / "eval" / "ecbplus" / "ECB+"
    if not base.is_dir():
        raise FileNotFoundError(f"ECB+ not found at {base}")
    docs = []
    topic_dirs = sorted((p for p in base.iterdir() if p.is_dir()), key=lambda p: int(p.name))
    for topic_dir in topic_dirs[:topics]:
        for path in sorted(topic_dir.glob("*.xml"), key=lambda p: _key(p.name)):
            plus = path.name.endswith("ecbplus.xml")
            sentences: dict[int, list[str]] = defaultdict(list)
            for token in ET.parse(path).getroot().iter("token"):
                sentences[int(token.get("sentence"))].append(token.text or "")
            text = "\n".join(" ".join(words) for s, words in sorted(sentences.items()) if not (plus and s == 0))
            docs.append(EcbDoc(path.stem, topic_dir.name, "plus" if plus else "ecb", text))
    return docs


def b_cubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B³ precision, recall and F1 of a clustering (item -> cluster label) against gold labels."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item, label in predicted.items():
        by_pred[label].add(item)
    for item, label in gold.items():
        by_gold[label].add(item)
    p = r = 0.0
    for item in gold:
        c, g = by_pred[predicted[item]], by_gold[gold[item]]
        both = len(c & g)
        p += both / len(c)
        r += both / len(g)
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def add_entities(docs: list[EcbDoc]) -> None:
    """Entity names from the project's spaCy model (NER only)."""
    from newsgraph.extraction.nlp import load_nlp

    nlp = load_nlp()
    labels = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}
    with nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in ("tok2vec", "ner")]):
        for doc, parsed in zip(docs, nlp.pipe((d.text for d in docs), batch_size=32)):
            doc.entities = [e.text for e in parsed.ents if e.label_ in labels]


def story_features(docs: list[EcbDoc], mode: str) -> list:
    from newsgraph.corpus.stories_features import document_features, text_features

    if mode == "text":
        add_entities(docs)
        return [text_features(d.id, d.text, entities=d.entities) for d in docs]
    from newsgraph.pipeline.extract import analyse

    features = []
    for d in docs:
        record = {"id": d.id, "text": d.text, "language": "en", "published": None, "source": None, "credited": []}
        analysis = analyse(record)
        features.append(document_features(record, analysis.get("mentions", []), analysis.get("events", [])))
    return features


def cluster_stories(features: list, topics: list[str]) -> dict[str, str]:
    """Cluster each topic's documents with a fresh StoryIndex seeded with the whole collection's
    document frequencies."""
    from newsgraph.corpus.stories_cluster import DocumentFrequencies, StoryIndex

    words, names = DocumentFrequencies(), DocumentFrequencies()
    for f in features:
        words.add(f.terms)
        names.add(f.entities)
    by_topic = defaultdict(list)
    for f, topic in zip(features, topics):
        by_topic[topic].append(f)
    predicted = {}
    for topic, items in by_topic.items():
        index = StoryIndex(prefix=f"{topic}:")
        index.words = DocumentFrequencies(words.documents, dict(words.df))
        index.names = DocumentFrequencies(names.documents, dict(names.df))
        for f in items:
            index.words.documents -= 1  # add() counts the document again
            index.names.documents -= 1
            index.words.df.subtract(set(f.terms))
            index.names.df.subtract(set(f.entities))
            story_id, _, _ = index.add(f)
            predicted[f.id] = story_id
    return predicted


def baseline(docs: list[EcbDoc], threshold: float = BASELINE_THRESHOLD) -> dict[str, str]:
    """TF-IDF + agglomerative clustering (average linkage, cosine distance) per topic."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(d.text for d in docs)
    predicted = {}
    by_topic = defaultdict(list)
    for i, d in enumerate(docs):
        by_topic[d.topic].append(i)
    for topic, rows in by_topic.items():
        labels = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="cosine",
                                         linkage="average").fit_predict(vectors[rows].toarray())
        for i, label in zip(rows, labels):
            predicted[docs[i].id] = f"{topic}:{label}"
    return predicted


def evaluate(shared: Path, mode: str = "text", topics: int | None = None) -> dict:
    """B³ of newsgraph's story clustering and of the baseline, over every document of the topics."""
    docs = read_ecbplus(shared, topics)
    gold = {d.id: f"{d.topic}:{d.subtopic}" for d in docs}
    started = time.perf_counter()
    predicted = cluster_stories(story_features(docs, mode), [d.topic for d in docs])
    seconds = time.perf_counter() - started
    return {"documents": len(docs), "topics": len({d.topic for d in docs}), "mode": mode, "seconds": seconds,
            "newsgraph": b_cubed(predicted, gold), "baseline": b_cubed(baseline(docs), gold),
            "clusters": len(set(predicted.values())), "gold_clusters": len(set(gold.values()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--mode", choices=("text", "pipeline"), default="text")
    parser.add_argument("--topics", type=int, default=None, help="only the first N topics")
    args = parser.parse_args(argv)
    result = evaluate(args.shared, args.mode, args.topics)
    print(f"ECB+ {result['documents']} documents, {result['topics']} topics, mode {result['mode']}: "
          f"{result['clusters']} stories for {result['gold_clusters']} gold sub-topics ({result['seconds']:.0f} s)")
    print(f"{'system':<34} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}")
    for name, key in (("newsgraph stories", "newsgraph"), (f"TF-IDF + agglomerative ({BASELINE_THRESHOLD})", "baseline")):
        p, r, f = result[key]
        print(f"{name:<34} {p:6.3f} {r:6.3f} {f:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
