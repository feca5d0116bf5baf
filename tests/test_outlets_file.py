"""The analyst's outlets file (NEWSGRAPH_OUTLETS): its grades win over the bundled priors and
reach the sources table and the claim grades; a bad file is a clear error naming it."""
from __future__ import annotations

import json

from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.store import open_store

DEMO_OUTLETS = "examples/outlets.toml"


def _sources(db: str) -> dict[str, dict]:
    store = open_store(db)
    try:
        return {s["name"]: s for s in store.iter_sources()}
    finally:
        store.close()


def test_demo_grades_reach_sources_and_the_contested_count(demo_kb_copy, monkeypatch, demo_corpus):
    monkeypatch.setenv("NEWSGRAPH_OUTLETS", str(demo_corpus.parent / "outlets.toml"))
    result = CliRunner().invoke(main, ["build", str(demo_corpus), "--db", demo_kb_copy])
    assert result.exit_code == 0, result.output
    sources = _sources(demo_kb_copy)
    assert sources["Levant Ledger"]["reliability"] == "B"
    assert sources["Levant Ledger"]["reliability_basis"].startswith("demo analyst: original reporting")
    assert sources["Rojava Press Desk"]["reliability"] == "D"
    assert sources["Rojava Press Desk"]["interested"] is True
    assert sources["Crescent Defense Review"]["reliability"] == "D"


def test_without_the_file_demo_outlets_cannot_be_judged(demo_kb):
    sources = _sources(demo_kb)
    assert {s["reliability"] for s in sources.values()} == {"F"}


def test_missing_outlets_file_is_a_clear_error(demo_kb_copy, monkeypatch, demo_corpus, tmp_path):
    missing = tmp_path / "nope.toml"
    monkeypatch.setenv("NEWSGRAPH_OUTLETS", str(missing))
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "newsgraph.cli", "build", str(demo_corpus), "--db", demo_kb_copy],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1          # the stage stops, the others run, the build says so on stderr
    assert f"outlets file {missing} (NEWSGRAPH_OUTLETS) does not exist" in " ".join(result.stderr.split())


def test_outlet_without_basis_is_refused(demo_kb_copy, monkeypatch, demo_corpus, tmp_path):
    bad = tmp_path / "outlets.toml"
    bad.write_text('[[outlet]]\nname = "Levant Ledger"\nreliability = "A"\n', encoding="utf-8")
    monkeypatch.setenv("NEWSGRAPH_OUTLETS", str(bad))
    result = CliRunner().invoke(main, ["build", str(demo_corpus), "--db", demo_kb_copy])
    assert result.exit_code == 1
    assert "every [[outlet]] needs name, reliability and basis (missing in 'Levant Ledger')" in result.output
    stats = CliRunner().invoke(main, ["stats", "--json", "--db", demo_kb_copy])
    assert json.loads(stats.output)["documents"] == 13
