"""Shared fixtures.

Tests that need ``../shared`` (seeds, evaluation data) or a PostgreSQL server skip with a
clear reason on a user's machine when those are absent; under CI (``CI=true``) their
absence fails the test instead, so nothing is silently skipped there.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(condition: bool, reason: str) -> None:
    """Skip (or fail under CI) when a test's outside requirement is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    need(SHARED.is_dir(), f"../shared not found at {SHARED} (set NEWSGRAPH_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    seeds = shared_dir / "corpus" / "seeds"
    need(seeds.is_dir(), f"seed articles not found at {seeds}")
    return seeds


@pytest.fixture(scope="session")
def eval_dir(shared_dir: Path) -> Path:
    path = shared_dir / "eval"
    need(path.is_dir(), f"evaluation data not found at {path}")
    return path


@pytest.fixture(scope="session")
def seed_text(seeds_dir: Path):
    """Return the raw text of a seed by its number prefix, e.g. seed_text("000")."""

    def read(prefix: str) -> str:
        (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
        return path.read_text(encoding="utf-8")

    return read


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """URL of the PostgreSQL server started by scripts/test.sh (NEWSGRAPH_TEST_PG)."""
    url = os.environ.get("NEWSGRAPH_TEST_PG", "")
    need(bool(url), "no PostgreSQL server: run the tests with scripts/test.sh, or set NEWSGRAPH_TEST_PG")
    return url


@pytest.fixture
def pg_url(pg_server_url: str):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import uuid

    import psycopg

    name = "newsgraph_test_" + uuid.uuid4().hex[:10]
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = pg_server_url.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory):
    """A fresh database URL on each backend: the store contract runs against both."""
    if request.param == "sqlite":
        return str(tmp_path_factory.mktemp("db") / "kb.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url):
    from newsgraph.store import open_store

    s = open_store(db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_corpus() -> Path:
    return ROOT / "examples" / "corpus"


@pytest.fixture(scope="session")
def cleaned_seed(seed_text):
    """A seed cleaned by the project's cleaner: its clean text, source, credited outlets and
    publication date (a date only at day precision), cached per seed."""
    import datetime as dt
    from functools import cache

    from newsgraph.cleaning.text import clean_text

    @cache
    def get(prefix: str) -> dict:
        cleaned = clean_text(seed_text(prefix))
        published = None
        if cleaned.published is not None and cleaned.published.precision == "day":
            published = dt.date.fromisoformat(cleaned.published.value)
        return {"text": cleaned.text, "source": cleaned.source, "published": published,
                "credited": [{"name": c.name, "evidence": c.evidence} for c in cleaned.credits]}

    return get


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium for the browser tests (scripts/test.sh installs it; NEWSGRAPH_CHROMIUM)."""
    import shutil

    path = os.environ.get("NEWSGRAPH_CHROMIUM") or shutil.which("chromium") or ""
    need(bool(path), "no chromium: run the tests with scripts/test.sh, or install Debian's chromium")
    return path


def build_knowledge_base(db: str, paths: list[str]) -> str:
    """Ingest ``paths`` into the store ``db`` and run every stage, as ``newsgraph build`` does."""
    from newsgraph.pipeline.ingest import ingest
    from newsgraph.pipeline.stages import all_stages
    from newsgraph.store import open_store

    store = open_store(db)
    try:
        report = ingest(paths, store)
        assert report.ok, report.failed
        for stage in all_stages():
            stage.run(store, lambda name="": None)
    finally:
        store.close()
    return db


@pytest.fixture(scope="session")
def demo_kb(tmp_path_factory, demo_corpus) -> str:
    """Path of a SQLite knowledge base built from the whole demo corpus (read it, don't change it)."""
    return build_knowledge_base(str(tmp_path_factory.mktemp("demo") / "demo.db"), [str(demo_corpus)])


@pytest.fixture(scope="session")
def seeds_kb(tmp_path_factory, seeds_dir) -> str:
    """Path of a SQLite knowledge base built from the five seed articles (read it, don't change it)."""
    return build_knowledge_base(str(tmp_path_factory.mktemp("seeds") / "seeds.db"), [str(seeds_dir)])


def _copy(db: str, folder: Path) -> str:
    import shutil

    target = folder / "demo.db"
    shutil.copyfile(db, target)
    return str(target)


@pytest.fixture
def demo_kb_copy(demo_kb, tmp_path) -> str:
    """A private copy of the demo knowledge base, for tests that change it."""
    return _copy(demo_kb, tmp_path)


@pytest.fixture(scope="module")
def kb(demo_kb, tmp_path_factory) -> str:
    """A copy of the demo knowledge base shared by the tests of one module (a server's edits
    stay inside the module)."""
    return _copy(demo_kb, tmp_path_factory.mktemp("kb"))


@pytest.fixture(scope="session")
def events_of():
    """``events_of(text, published)``: the events of one text through the whole per-document
    chain (spaCy model, entities, times, quantities, events), one model for the session."""
    from newsgraph.extraction.entities import extract_entities
    from newsgraph.extraction.events import extract_events
    from newsgraph.extraction.nlp import load_nlp
    from newsgraph.extraction.quantities import find_quantities
    from newsgraph.extraction.times import find_times

    nlp = load_nlp()

    def run(text: str, published):
        doc = nlp(text)
        return extract_events(doc, extract_entities(doc), find_times(text, published), find_quantities(text), published)

    return run
