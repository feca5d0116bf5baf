"""The command line, run as a user runs it: a real process, a real database."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

NEWSGRAPH = [sys.executable, "-m", "newsgraph.cli"]


def run(*args, stdin: str | None = None, check: bool = True):
    proc = subprocess.run([*NEWSGRAPH, *map(str, args)], input=stdin, capture_output=True, text=True,
                          timeout=300, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "HOME": str(Path.home())})
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def export_docs(db) -> list[dict]:
    return [json.loads(line) for line in run("export", "documents", "--db", db).stdout.splitlines()]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, demo_corpus):
    db = tmp_path_factory.mktemp("cli") / "demo.db"
    proc = run("build", demo_corpus, "--db", db)
    return db, proc


def test_build_demo_shows_a_summary(demo_db, demo_corpus):
    db, proc = demo_db
    files = [p for p in demo_corpus.iterdir() if p.name != "README.md"]
    assert "articles read" in proc.stdout and "near-duplicate links" in proc.stdout
    assert "│ failed                     │ 0" in proc.stdout
    docs = export_docs(db)
    jsonl_articles = sum(len(p.read_text().splitlines()) for p in files if p.suffix == ".jsonl")
    assert len(docs) == len(files) - 1 + jsonl_articles


def test_documents_export_contract(demo_db):
    db, _ = demo_db
    for doc in export_docs(db):
        assert set(doc) >= {"id", "url", "source", "title", "author", "published", "language", "text",
                            "comments", "removed", "near_duplicates", "credited"}
        assert set(doc["published"]) == {"value", "precision"}
        assert doc["text"].strip()
        assert len(doc["id"]) == 16


def test_demo_corpus_facts(demo_db):
    db, _ = demo_db
    docs = {Path(d["url"]).name if "://" not in (d["url"] or "") else d["origin"].rsplit("/", 1)[-1]: d
            for d in export_docs(db)}
    raid = docs["01_levant_ledger_gaziantep_raid.txt"]
    assert raid["source"] == "Levant Ledger" and raid["author"] == "Hannah Mercer"
    assert raid["published"] == {"value": "2017-10-03", "precision": "day"}
    assert raid["text"].count("Turkish police detained 27 people") == 1  # paywall repeat removed
    assert [c["author"] for c in raid["comments"]] == ["Mehmet K.", "Sarah L."]
    assert "closer to 50 people" in raid["comments"][0]["text"]
    assert "50 people" not in raid["text"]
    repost = docs["02_anatolia_wire_gaziantep_raid_repost.txt"]
    assert [n["id"] for n in repost["near_duplicates"]] == [raid["id"]]
    republished = docs["07_crescent_defense_review_idlib_republished.txt"]
    assert [c["name"] for c in republished["credited"]] == ["Levant Ledger"]
    assert republished["source"] == "Crescent Defense Review"
    undated = docs["11_undated_border_guides.txt"]
    assert undated["published"] == {"value": None, "precision": None}
    turkish = docs["10_anatolia_wire_ceylanpinar_sinir_tr.txt"]
    assert turkish["language"] == "tr"
    gz = docs["12_euphrates_review_istanbul_detentions.txt.gz"]
    assert gz["published"]["value"] == "2017-09-27" and gz["author"] == "Nadia Karim"
    html = docs["08_frontier_dispatch_bakraoui_movements.html"]
    assert html["source"] == "Frontier Dispatch" and html["published"]["value"] == "2019-10-14"


def test_rebuilding_changes_nothing(demo_db, demo_corpus):
    db, _ = demo_db
    before = export_docs(db)
    proc = run("build", demo_corpus, "--db", db)
    assert "│ added                      │ 0" in proc.stdout
    assert export_docs(db) == before


def test_export_to_a_file(demo_db, tmp_path):
    db, _ = demo_db
    out = tmp_path / "docs.jsonl"
    proc = run("export", "documents", "--format", "jsonl", "--out", out, "--db", db)
    assert proc.stdout == ""
    lines = out.read_text().splitlines()
    assert f"wrote {len(lines)} documents to {out}" in proc.stderr
    assert not Path(str(out) + ".part").exists()


def test_unknown_format_is_refused(demo_db):
    db, _ = demo_db
    proc = run("export", "documents", "--format", "xml", "--db", db, check=False)
    assert proc.returncode != 0
    assert "export documents has no format 'xml'; choose one of: jsonl" in proc.stderr


def test_stdin_ingest_and_stats(tmp_path):
    db = tmp_path / "kb.db"
    text = "Police in Kilis detained five people on Friday over suspected links to the Islamic State."
    run("ingest", "-", "--db", db, stdin=text)
    docs = export_docs(db)
    assert [d["text"] for d in docs] == [text]
    assert docs[0]["url"] is None
    assert re.search(r"│ documents\s+│\s+1 │", run("stats", "--db", db).stdout)
    stats = json.loads(run("stats", "--json", "--db", db).stdout)
    assert stats["documents"] == 1 and stats["sources"] == 0 and stats["language:en"] == 1


def test_failures_exit_non_zero_and_name_the_file(tmp_path):
    db = tmp_path / "kb.db"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("Police detained three people in Kilis on Friday, officials said.")
    (tmp_path / "in" / "empty.txt").write_text("")
    proc = run("ingest", tmp_path / "in", "--db", db, check=False)
    assert proc.returncode == 1
    assert f"error {tmp_path / 'in' / 'empty.txt'}: empty file: nothing to read" in proc.stderr
    assert len(export_docs(db)) == 1


def test_bad_database_path_is_a_clear_error(tmp_path, demo_corpus):
    proc = run("stats", "--db", tmp_path / "missing" / "kb.db", check=False)
    assert proc.returncode == 1
    assert f"Error: no knowledge base at {tmp_path / 'missing' / 'kb.db'}: build one first" in proc.stderr
    proc = run("ingest", demo_corpus / "01_levant_ledger_gaziantep_raid.txt", "--db", tmp_path / "missing" / "kb.db",
               check=False)
    assert proc.returncode == 1
    assert f"Error: cannot create database {tmp_path / 'missing' / 'kb.db'}: folder {tmp_path / 'missing'} does not exist" in proc.stderr


@pytest.mark.postgres
def test_build_on_postgresql(pg_url, demo_corpus):
    proc = run("build", demo_corpus, "--db", pg_url)
    assert "postgresql+psycopg://postgres@127.0.0.1" in proc.stdout
    assert len(export_docs(pg_url)) >= 10
