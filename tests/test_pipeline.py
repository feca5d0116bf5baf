"""The per-document pipeline: declared components, error isolation, workers."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from spacy.language import Language

from newsgraph.export import export
from newsgraph.pipeline import extract
from newsgraph.pipeline.components import OUR_COMPONENTS
from newsgraph.pipeline.ingest import ingest
from newsgraph.pipeline.runner import analyse_documents, load_pipeline
from newsgraph.store import open_store

NEWSGRAPH = [sys.executable, "-m", "newsgraph.cli"]


def test_components_are_declared_in_order_and_analyze_pipes_finds_no_problem():
    nlp = load_pipeline()
    names = nlp.pipe_names
    assert names[0] == "ng_document"
    assert [n for n in names if n in OUR_COMPONENTS] == list(OUR_COMPONENTS)
    assert names.index("ner") < names.index("newsgraph_entities") < names.index("ng_entities")
    analysis = nlp.analyze_pipes(pretty=False)
    assert analysis["problems"] == {name: [] for name in names}
    assert analysis["attrs"]["doc._.ng_events"]["assigns"] == ["ng_events"]
    assert analysis["attrs"]["doc._.ng_events"]["requires"] == ["ng_movements"]


@Language.component("test_raise_on_marker")
def _raise_on_marker(doc):
    if "Zorbatown" in doc.text:
        raise RuntimeError("marker found")
    return doc


@pytest.fixture
def raising_pipeline():
    nlp = load_pipeline()
    nlp.add_pipe("test_raise_on_marker", after="ng_events")
    try:
        yield nlp
    finally:
        nlp.remove_pipe("test_raise_on_marker")


def _doc(i: int, text: str) -> dict:
    return {"id": f"d{i}", "text": text, "language": "en",
            "published": {"value": "2021-03-04", "precision": "day"}}


def test_a_document_that_raises_fails_alone_in_its_batch(raising_pipeline):
    docs = [_doc(1, "Police arrested two men in Gaziantep on Monday."),
            _doc(2, "Gunmen attacked a checkpoint near Zorbatown on Tuesday."),
            _doc(3, "Soldiers detained a smuggler at the border on Wednesday.")]
    out = list(analyse_documents(docs))
    assert [("failed" in a) for a in out] == [False, True, False]
    assert out[1]["failed"] == {"component": "test_raise_on_marker", "reason": "RuntimeError: marker found"}
    assert out[1]["notes"][-1] == "analysis failed in test_raise_on_marker: RuntimeError: marker found"
    assert [e["type"] for e in out[0]["events"]] == ["arrest"]
    assert [e["type"] for e in out[2]["events"]] == ["arrest"]


def test_the_stage_stores_the_failure_with_its_reason_and_retries_it(raising_pipeline, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Police arrested two men in Gaziantep on Monday, officials said.\n", "utf-8")
    (folder / "b.txt").write_text("Gunmen attacked a checkpoint near Zorbatown on Tuesday, officials said.\n", "utf-8")
    store = open_store(str(tmp_path / "kb.db"))
    try:
        assert ingest([str(folder)], store).ok
        summary = extract.run(store, lambda name="": None)
        assert "analysed 1 documents" in summary and "1 failed (retried on the next build)" in summary
        failed = store.failed_analyses()
        assert len(failed) == 1 and failed[0]["reason"] == (
            "analysis failed in test_raise_on_marker: RuntimeError: marker found")
        assert store.stats()["failed_analyses"] == 1
        docs = {d["id"]: d for d in store.iter_documents()}
        assert docs[failed[0]["id"]]["analysis_failed"] == failed[0]["reason"]
        assert len(store.documents_to_analyse(extract.VERSION)) == 1     # retried on the next build
        raising_pipeline.remove_pipe("test_raise_on_marker")
        assert "analysed 1 documents" in extract.run(store, lambda name="": None)
        assert store.failed_analyses() == [] and store.stats()["failed_analyses"] == 0
        raising_pipeline.add_pipe("test_raise_on_marker", after="ng_events")
    finally:
        store.close()


def _exports(db: str) -> dict[str, list]:
    store = open_store(db)
    out = {}
    try:
        for what in ("documents", "entities", "events", "movements", "claims", "stories"):
            buf = io.StringIO()
            export(store, what, "jsonl", buf)
            out[what] = sorted(buf.getvalue().splitlines())
    finally:
        store.close()
    return out


def test_one_and_two_workers_store_the_same_knowledge_base(tmp_path, demo_corpus):
    dbs = []
    for workers in (1, 2):
        db = str(tmp_path / f"w{workers}.db")
        run = subprocess.run(NEWSGRAPH + ["build", str(demo_corpus), "--db", db, "--workers", str(workers)],
                             capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stderr
        line = " ".join(run.stdout.split())
        assert f"on {workers} process" in line
        peak = int(line.split("peak memory per worker ")[1].split(" MB")[0].replace(",", ""))
        assert 100 < peak < 3000, line        # a worker holds the model and the gazetteer
        dbs.append(db)
    one, two = (_exports(db) for db in dbs)
    for what in one:
        assert len(one[what]) > 0 and one[what] == two[what], what


def test_stages_run_in_the_order_their_declarations_give():
    from newsgraph.pipeline.stages import Stage, all_stages, ordered

    assert [s.name for s in all_stages()] == ["extract", "entities", "stories", "claims", "search"]
    noop = lambda store, advance: ""  # noqa: E731
    stages = [Stage("c", noop, requires=("b",), provides=("c",)), Stage("a", noop, provides=("a",)),
              Stage("b", noop, requires=("a",), provides=("b",)), Stage("x", noop, requires=("a",))]
    assert [s.name for s in ordered(stages)] == ["a", "b", "x", "c"]
    with pytest.raises(ValueError, match="both provide 'a'"):
        ordered(stages + [Stage("z", noop, provides=("a",))])
    import graphlib
    with pytest.raises(graphlib.CycleError):
        ordered([Stage("p", noop, requires=("q",), provides=("p",)), Stage("q", noop, requires=("p",), provides=("q",))])
