"""MEANTIME cross-document entity resolution: pinned floors, and the resolver beats the exact-name baseline."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

import meantime  # noqa: E402


def test_metrics_on_a_textbook_example():
    gold = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b"}
    predicted = {1: "x", 2: "x", 3: "y", 4: "y", 5: "y"}
    scores = meantime.score(gold, predicted)
    assert [round(v, 3) for v in scores["MUC"]] == [0.667, 0.667, 0.667]
    assert [round(v, 3) for v in scores["B3"]] == [0.733, 0.733, 0.733]
    assert [round(v, 3) for v in scores["CEAF-e"]] == [0.8, 0.8, 0.8]


def test_resolver_floors_and_baseline(shared_dir):
    result = meantime.evaluate(shared_dir)
    assert (result["mentions"], result["documents"], result["gold_entities"]) == (1131, 120, 270)
    resolver, baseline = result["resolver"], result["baseline"]
    assert resolver["MUC"][2] >= 0.87
    assert resolver["B3"][2] >= 0.78
    assert resolver["CEAF-e"][2] >= 0.68
    assert resolver["CoNLL"][2] >= 0.78
    assert round(baseline["CoNLL"][2], 3) == 0.655
    assert resolver["CoNLL"][2] > baseline["CoNLL"][2] + 0.1
