"""The per-document pipeline on a real Dask cluster (a scheduler and two worker processes on
127.0.0.1) writing into a real PostgreSQL: the knowledge base equals a local SQLite build."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from test_pipeline import _exports

NEWSGRAPH = [sys.executable, "-m", "newsgraph.cli"]
DASK = str(Path(sys.executable).with_name("dask"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _cluster(logs: Path, workers: int = 2):
    """A real ``dask scheduler`` and ``workers`` ``dask worker`` processes on 127.0.0.1."""
    if not os.path.exists(DASK):
        pytest.skip("the dask command is not installed (dask[distributed])")
    logs.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0", "--no-show"],
                              stdout=open(logs / "scheduler.log", "w"), stderr=subprocess.STDOUT)]
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        for i in range(workers):
            procs.append(subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                                           "--dashboard-address", ":0", "--name", f"w{i}"],
                                          stdout=open(logs / f"worker{i}.log", "w"), stderr=subprocess.STDOUT))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with _cluster(tmp_path_factory.mktemp("dask")) as address:
        yield address


@pytest.mark.slow
def test_a_build_on_a_dask_cluster_into_postgresql_equals_a_local_sqlite_build(cluster, pg_url, tmp_path,
                                                                               demo_corpus):
    run = subprocess.run(NEWSGRAPH + ["build", str(demo_corpus), "--db", pg_url, "--scheduler", cluster],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"ontheDaskclusterat{cluster}" in "".join(run.stdout.split())
    local = str(tmp_path / "local.db")
    run = subprocess.run(NEWSGRAPH + ["build", str(demo_corpus), "--db", local, "--workers", "1"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    remote, here = _exports(pg_url), _exports(local)
    for what in here:
        assert len(here[what]) > 0 and remote[what] == here[what], what


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, demo_corpus):
    port = _free_port()
    run = subprocess.run(NEWSGRAPH + ["build", str(demo_corpus / "01_levant_ledger_gaziantep_raid.txt"),
                                      "--db", str(tmp_path / "kb.db"), "--scheduler", f"tcp://127.0.0.1:{port}"],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"})
    assert run.returncode == 1
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in " ".join(run.stderr.split())


@pytest.mark.slow
def test_a_worker_killed_mid_build_loses_no_article(tmp_path, demo_corpus, demo_kb):
    """SIGKILL one of two workers while it holds articles: Dask runs them again on a worker that
    lives, and the knowledge base is the one a local build makes."""
    from distributed import Client

    db = str(tmp_path / "kb.db")
    with _cluster(tmp_path / "dask") as address:
        build = subprocess.Popen(NEWSGRAPH + ["build", str(demo_corpus), "--db", db, "--scheduler", address],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            with Client(address, timeout=60) as client:
                victim, deadline = None, time.time() + 300
                while victim is None and time.time() < deadline and build.poll() is None:
                    victim = next((w for w, tasks in client.processing().items() if tasks), None)
                    time.sleep(0.02)
                assert victim is not None, "no article reached a worker"
                os.kill(client.run(os.getpid, workers=[victim])[victim], signal.SIGKILL)
            out, err = build.communicate(timeout=900)
        finally:
            if build.poll() is None:
                build.kill()
    assert build.returncode == 0, out + err
    remote, here = _exports(db), _exports(demo_kb)
    for what in here:
        assert len(here[what]) > 0 and remote[what] == here[what], what
