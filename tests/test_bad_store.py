"""Bad stores: a file that is not a newsgraph database, a database from a newer schema, a
damaged file, a read-only file, a full disk, a PostgreSQL server gone mid-build, and a
second writer. Each gives one clear error, and nothing already stored is lost."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.pipeline.ingest import ingest
from newsgraph.store import StoreBusy, StoreError, open_store

ROOT = Path(__file__).resolve().parents[1]


def article(n: int) -> str:
    return (f"Crossing report {n}\n\nBorder police stopped a minibus carrying {n} people near the river crossing "
            f"on Tuesday night, the provincial governor said in statement number {n}.\n")


def write_articles(folder: Path, count: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        (folder / f"a{n:04d}.txt").write_text(article(n) * 20, encoding="utf-8")
    return folder


def cli(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_another_programs_database_is_refused_untouched(tmp_path):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(StoreError, match=r"is a database but not a newsgraph knowledge base \(it holds tables "
                                         r"customers\); give another --db path; nothing was changed"):
        open_store(str(db))
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["customers"]


def test_a_database_from_a_newer_newsgraph_is_refused(db_url):
    open_store(db_url).close()
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://")
                              if db_url.startswith("postgresql://") else "sqlite:///" + db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"was written by a newer version of newsgraph \(schema 0099; this version "
                                         r"knows up to 0005\): upgrade newsgraph to read it; nothing was changed"):
        open_store(db_url)


def test_a_damaged_file_is_found_on_open_and_named(demo_kb_copy):
    size = os.path.getsize(demo_kb_copy)
    with open(demo_kb_copy, "r+b") as fh:  # overwrite pages in the middle of the file
        fh.seek(size // 2 // 4096 * 4096)
        fh.write(os.urandom(4096 * 4))
    result = CliRunner().invoke(main, ["export", "claims", "--db", demo_kb_copy])
    assert result.exit_code == 1
    assert f"Error: {demo_kb_copy} is damaged (SQLite quick_check: " in result.output
    assert "nothing was changed. Restore it from a backup, or rebuild the knowledge base into a new --db file" \
        in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_an_unchanged_file_is_not_checked_again(tmp_path):
    db = str(tmp_path / "kb.db")
    ingest([str(write_articles(tmp_path / "in", 2))], open_store(db))  # never closed: the next open checks

    def checks_on_open() -> int:
        seen = []

        def count(conn, cursor, statement, *rest):
            seen.append(statement)

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
        try:
            open_store(db).close()
        finally:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
        return sum("quick_check" in s for s in seen)

    assert checks_on_open() == 1  # changed since newsgraph last sealed it: checked, then sealed
    state = (tmp_path / "kb.db.lock").read_text()
    assert '"fingerprint"' in state and '"holder": null' in state
    assert checks_on_open() == 0


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder mounted read-only (a bind mount), where even root cannot write."""
    src, dst = tmp_path / "src", tmp_path / "ro"
    src.mkdir()
    dst.mkdir()
    ok = subprocess.run(["mount", "--bind", str(src), str(dst)], capture_output=True).returncode == 0 and \
        subprocess.run(["mount", "-o", "remount,bind,ro", str(dst)], capture_output=True).returncode == 0
    if not ok:
        subprocess.run(["umount", str(dst)], capture_output=True)
        pytest.skip("cannot bind-mount a read-only folder here (needs root in a privileged container)")
    yield src, dst
    subprocess.run(["umount", str(dst)], check=True)


def test_a_read_only_knowledge_base_can_be_read_not_changed(read_only_folder, demo_kb):
    src, dst = read_only_folder
    shutil.copyfile(demo_kb, src / "kb.db")
    db = str(dst / "kb.db")
    stats = cli("stats", "--json", "--db", db)
    assert stats.exit_code == 0 and '"documents": 13' in stats.output
    exported = cli("export", "documents", "--db", db)
    assert exported.exit_code == 0 and exported.output.count("\n") == 13
    result = CliRunner().invoke(main, ["ingest", str(write_articles(src / "new", 1)), "--db", db])
    assert result.exit_code == 1
    assert " ".join(result.output.split()) == (
        f"Error: sqlite:///{Path(db).resolve()} is read-only: it can be read (stats, export, serve) but not changed; make "
        "the file and its folder writable to build or edit")


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MB file system (a loop-mounted ext2 image)."""
    image, mnt = tmp_path / "disk.img", tmp_path / "disk"
    mnt.mkdir()
    with open(image, "wb") as fh:
        fh.truncate(8 * 1024 * 1024)
    made = subprocess.run(["mkfs.ext2", "-q", "-F", str(image)], capture_output=True).returncode == 0
    if not made or subprocess.run(["mount", "-o", "loop", str(image), str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot loop-mount a small file system here (needs root in a privileged container)")
    yield mnt
    subprocess.run(["umount", str(mnt)], check=True)


def test_a_full_disk_is_a_clear_error_and_keeps_what_was_stored(small_disk, tmp_path):
    db = str(small_disk / "kb.db")
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler.write_bytes(b"x" * (free - 2_000_000))  # 2 MB left: 60 articles need about 6 (with the log)
    articles = str(write_articles(tmp_path / "in", 60))
    result = CliRunner().invoke(main, ["ingest", articles, "--db", db])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert f"Error: the disk holding sqlite:///{db} is full (" in text
    assert "what was stored before is kept: free some space and run the same command again" in text
    assert "Traceback" not in result.output
    store = open_store(db)
    stored = store.stats()["documents"]
    store.close()
    assert 0 < stored < 60
    filler.unlink()  # room again: the same command finishes the job
    again = cli("ingest", articles, "--db", db)
    assert again.exit_code == 0, again.output
    store = open_store(db)
    assert store.stats()["documents"] == 60
    store.close()


def test_an_export_to_a_full_disk_leaves_no_part_file(small_disk, demo_kb):
    fd = os.open(small_disk / "filler", os.O_WRONLY | os.O_CREAT)
    for chunk in (65536, 4096, 1):  # fill the disk, to the last byte
        try:
            while True:
                os.write(fd, b"x" * chunk)
        except OSError:
            pass
    os.close(fd)
    out = small_disk / "docs.jsonl"
    result = CliRunner().invoke(main, ["export", "documents", "--out", str(out), "--db", demo_kb])
    assert result.exit_code == 1
    assert f"Error: cannot write {out}: No space left on device; nothing was written" in " ".join(result.output.split())
    assert not out.exists() and not Path(f"{out}.part").exists()


@pytest.mark.postgres
def test_postgres_gone_mid_build_is_a_clear_error_and_keeps_what_was_stored(pg_url, pg_server_url, tmp_path):
    import psycopg

    store = open_store(pg_url)
    assert len(ingest([str(write_articles(tmp_path / "in", 2))], store).added) == 2
    name = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_server_url, autocommit=True) as conn:  # the server drops every connection
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
    with pytest.raises(StoreError, match=r"lost the connection to the database server postgresql\+psycopg://.* "
                                         r"what was stored before is kept \(each step commits whole or not at all\)"):
        ingest([str(write_articles(tmp_path / "more", 1, start=2))], store)
    store.close()
    store = open_store(pg_url)
    assert store.stats()["documents"] == 2
    store.close()


HOLD = """
import sys, time
from newsgraph.store import open_store
store = open_store(sys.argv[1])
with store.writing():
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
store.close()
"""


def _holder(db: str, seconds: float):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", HOLD, db, str(seconds)], stdout=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_a_second_writer_fails_clearly_and_readers_go_on(db_url, tmp_path, monkeypatch):
    open_store(db_url).close()
    holder = _holder(db_url, 30)
    try:
        monkeypatch.setenv("NEWSGRAPH_LOCK_WAIT", "0.5")
        started = time.monotonic()
        with pytest.raises(StoreBusy) as info:
            ingest([str(write_articles(tmp_path / "in", 1))], open_store(db_url))
        assert time.monotonic() - started < 20
        message = str(info.value)
        assert message.startswith("another newsgraph process (pid ")
        assert " is writing to " in message and message.endswith(
            "waited 0.5 s. Wait for it to finish and run the same command again (nothing was changed), or set "
            "NEWSGRAPH_LOCK_WAIT to wait longer")
        reader = open_store(db_url)  # reading is not held up
        assert reader.stats()["documents"] == 0
        reader.close()
    finally:
        holder.kill()
        holder.wait()
    # the holder was killed (-9): its lock went with it
    store = open_store(db_url)
    assert len(ingest([str(tmp_path / "in")], store).added) == 1
    store.close()


def test_a_second_build_waits_for_the_first(tmp_path, monkeypatch):
    db = str(tmp_path / "kb.db")
    open_store(db).close()
    holder = _holder(db, 2)
    monkeypatch.setenv("NEWSGRAPH_LOCK_WAIT", "60")
    store = open_store(db)
    report = ingest([str(write_articles(tmp_path / "in", 1))], store)  # waits about 2 s, then runs
    store.close()
    assert holder.wait() == 0 and len(report.added) == 1


def test_cli_says_who_holds_the_lock(tmp_path):
    db = str(tmp_path / "kb.db")
    open_store(db).close()
    holder = _holder(db, 30)
    try:
        result = CliRunner().invoke(main, ["build", str(write_articles(tmp_path / "in", 1)), "--db", db],
                                    env={"NEWSGRAPH_LOCK_WAIT": "0.2"})
    finally:
        holder.kill()
        holder.wait()
    text = " ".join(result.output.split())
    assert result.exit_code == 1
    assert text.startswith(f"Error: another newsgraph process (pid {holder.pid} on ")
    assert "is writing to sqlite:///" in text and "Traceback" not in result.output
