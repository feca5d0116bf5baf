"""SIGKILL at random points of ingest and of every later stage, on SQLite and PostgreSQL, of
a first build and of an incremental build (new articles onto a built knowledge base); after
each series of kills a build runs to the end, and the knowledge base must equal the one a
clean build makes: every table record for record, no event or claim counted twice, and
SQLite's integrity_check ok. The figures are printed (run with -s to see them)."""
from __future__ import annotations

import random
import shutil

import pytest

from tests.kill.harness import KillRun, build, differences, duplicates, kill_builds, snapshot

# kill attempts per series: three rounds of each stage, the long ones (extract, claims) twice a
# round; a build that has less left to do than the clean one may end before its kill comes
TARGETS = ["ingest", "extract", "extract", "entities", "stories", "claims", "claims", "search"] * 3


def _halves(demo_corpus, tmp_path):
    files = sorted(p for p in demo_corpus.iterdir() if p.is_file() and not p.name.lower().startswith("readme"))
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, part in ((first, files[::2]), (second, files[1::2])):
        folder.mkdir()
        for f in part:
            shutil.copy(f, folder / f.name)
    return [str(first)], [str(second)]


def _fresh(backend: str, tmp_path, name: str, request) -> str:
    if backend == "sqlite":
        return str(tmp_path / f"{name}.db")
    return request.getfixturevalue("pg_url") if name == "clean" else _new_pg(request, name)


def _new_pg(request, name):
    import uuid

    import psycopg

    server = request.getfixturevalue("pg_server_url")
    db = "newsgraph_kill_" + uuid.uuid4().hex[:10]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')

    def drop():
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

    request.addfinalizer(drop)
    return server.rsplit("/", 1)[0] + "/" + db


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_killed_builds_recover_to_the_clean_knowledge_base(backend, demo_corpus, tmp_path, request):
    first, second = _halves(demo_corpus, tmp_path)
    rng = random.Random(20261202)

    clean = _fresh(backend, tmp_path, "clean", request)
    profile_first = build(clean, first)
    clean_first = snapshot(clean)
    profile_second = build(clean, second)
    clean_both = snapshot(clean)
    assert clean_first["documents"] and len(clean_both["documents"]) > len(clean_first["documents"])

    run = KillRun()
    # a first build, killed in every stage, then finished
    killed = _fresh(backend, tmp_path, "killed", request)
    kill_builds(killed, first, TARGETS, profile_first, rng, run)
    build(killed, first)
    assert differences(clean_first, snapshot(killed)) == []
    assert duplicates(killed) == []
    # an incremental build onto it, killed in every stage, then finished
    kill_builds(killed, second, TARGETS, profile_second, rng, run)
    build(killed, second)
    assert differences(clean_both, snapshot(killed)) == []
    assert duplicates(killed) == []

    by_stage = {s: run.kills.count(s) for s in sorted(set(run.kills))}
    print(f"\nkill -9 [{backend}]: {len(run.kills)} kills ({by_stage}), {run.finished_early} builds ended before "
          f"their kill, recovered identically: 2 of 2 series")
    assert len(run.kills) >= 20
    assert {"ingest", "extract", "entities", "stories", "claims", "search"} <= {k.split()[0] for k in run.kills}
    assert sum("transaction" in k for k in run.kills) >= 10
