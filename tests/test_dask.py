"""The per-document pipeline on a real Dask cluster (a scheduler and two worker processes on
127.0.0.1) writing into a real PostgreSQL: the knowledge base equals a local SQLite build."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_pipeline import _exports

NEWSGRAPH = [sys.executable, "-m", "newsgraph.cli"]
DASK = str(Path(sys.executable).with_name("dask"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not os.path.exists(DASK):
        pytest.skip("the dask command is not installed (dask[distributed])")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
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
        for i in range(2):
            procs.append(subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                                           "--dashboard-address", ":0", "--name", f"w{i}"],
                                          stdout=open(logs / f"worker{i}.log", "w"), stderr=subprocess.STDOUT))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


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
