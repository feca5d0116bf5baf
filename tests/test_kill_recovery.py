"""SIGKILL at random points of ingest and of every later stage, on SQLite and PostgreSQL: the
demo corpus arrives in six parts (a first build, then incremental ones), each part's build is
killed in every stage, and then a build runs to the end; the knowledge base must then equal the
one a clean build of the same parts makes: every table record for record, no event or claim
counted twice, and SQLite's integrity_check ok. The figures are printed (run with -s)."""
from __future__ import annotations

import random
import shutil

import pytest

from tests.kill.harness import KillRun, build, differences, duplicates, kill_builds, snapshot

# kill attempts per step: each stage once, the long ones (extract, claims) twice; each target
# stage's attempts alternate between a random time and a transaction boundary across steps
TARGETS = ["ingest", "extract", "extract", "entities", "stories", "claims", "claims", "search"]
STEPS = 6  # the corpus arrives in six parts: a first build, then five incremental ones


def _parts(demo_corpus, tmp_path) -> list[list[str]]:
    files = sorted(p for p in demo_corpus.iterdir() if p.is_file() and not p.name.lower().startswith("readme"))
    parts = []
    for i in range(STEPS):
        folder = tmp_path / f"part{i}"
        folder.mkdir()
        for f in files[i::STEPS]:
            shutil.copy(f, folder / f.name)
        parts.append([str(folder)])
    return parts


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
    parts = _parts(demo_corpus, tmp_path)
    rng = random.Random(20261202)

    clean = _fresh(backend, tmp_path, "clean", request)
    steps = []
    for part in parts:
        profile = build(clean, part)
        steps.append((part, profile, snapshot(clean)))
    assert steps[0][2]["documents"] and len(steps[-1][2]["documents"]) > len(steps[0][2]["documents"])

    run = KillRun()
    # every part: a build killed in every stage (each kill leaves work for the next build to
    # resume), then a build to the end, which must equal the clean build of the same parts
    killed = _fresh(backend, tmp_path, "killed", request)
    for number, (part, profile, clean_snapshot) in enumerate(steps, 1):
        kill_builds(killed, part, TARGETS, profile, rng, run)
        build(killed, part)
        assert differences(clean_snapshot, snapshot(killed)) == [], f"after part {number}"
        assert duplicates(killed) == [], f"after part {number}"

    by_stage = {s: run.kills.count(s) for s in sorted(set(run.kills))}
    print(f"\nkill -9 [{backend}]: {len(run.kills)} kills ({by_stage}), {run.finished_early} builds ended before "
          f"their kill, recovered identically: {STEPS} of {STEPS} steps")
    assert len(run.kills) >= 24
    assert {"ingest", "extract", "entities", "stories", "claims", "search"} <= {k.split()[0] for k in run.kills}
    assert sum("transaction" in k for k in run.kills) >= 10
