"""Pinned quality floors of the geocoder on GeoWebNews (../shared/eval/geowebnews)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "eval" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gold_span_resolution_floor(eval_dir):
    result = _load("geo_gold_spans").evaluate(eval_dir.parent)
    assert result["newsgraph"]["n"] == 2601
    assert result["newsgraph"]["Acc@161"] >= 0.895  # measured 0.900
    assert result["newsgraph (GeoNames id)"]["Acc@161"] >= 0.91  # measured 0.915
    assert result["newsgraph"]["Acc@161"] > result["population-only"]["Acc@161"] + 0.05


@pytest.mark.slow
def test_end_to_end_floor(eval_dir, tmp_path):
    result = _load("geowebnews").evaluate(eval_dir.parent, tmp_path / "gwn.txt")
    ours = result["gwn.txt"]
    assert ours["Acc@161"] >= 0.93  # measured 0.943
    assert ours["E2E@161"] >= 0.75  # measured 0.765
    assert ours["E2E_lit"] >= 0.71  # measured 0.730
    assert ours["P"] >= 0.86  # measured 0.870
    assert ours["E2E@161"] > result["gwn_yahoo.txt"]["E2E@161"] + 0.25
