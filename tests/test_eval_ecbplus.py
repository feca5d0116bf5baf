"""ECB+ floor: B³ F1 of story clustering against the gold sub-topics (eval/ecbplus.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))


def test_b_cubed_of_a_known_clustering():
    from ecbplus import b_cubed

    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert b_cubed({"a": "x", "b": "x", "c": "y", "d": "y"}, gold) == (1.0, 1.0, 1.0)
    p, r, f = b_cubed({"a": "x", "b": "x", "c": "x", "d": "y"}, gold)
    assert (round(p, 4), round(r, 4), round(f, 4)) == (0.6667, 0.75, 0.7059)


@pytest.mark.slow
def test_ecbplus_story_clustering_floor(shared_dir):
    from ecbplus import evaluate

    result = evaluate(shared_dir, "text")
    assert result["documents"] == 982 and result["gold_clusters"] == 86
    precision, recall, f1 = result["newsgraph"]
    assert f1 >= 0.86  # measured 0.877 (P 0.837, R 0.921)
    assert f1 > result["baseline"][2]  # TF-IDF + agglomerative at its best threshold: 0.869
