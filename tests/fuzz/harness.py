"""Run generated inputs through ``newsgraph ingest`` and count crashes, hangs and memory.

Each input is written to a file and ingested by the real CLI command (in a worker process,
through click's test runner so that the messages are printed as a user sees them). A run
counts:

* crashes: an exception that escapes the command (a traceback for the user), or a failure
  reported as an internal error (newsgraph caught its own bug);
* hangs: an input that takes longer than ``timeout`` seconds (the worker is killed and a new
  one started);
* bad exits: an exit code other than 0 (stored) or 1 (refused with a reason), or a refusal
  that is not one line naming the file;
* peak memory of the worker process (resident set), and the input that raised it.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import resource
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.pipeline.ingest import INTERNAL_ERROR as INTERNAL
from tests.fuzz.generate import inputs



@dataclass
class FuzzResult:
    inputs: int = 0
    crashes: list[tuple[str, str, str]] = field(default_factory=list)  # (case, file, what)
    hangs: list[tuple[str, str]] = field(default_factory=list)
    bad_exits: list[tuple[str, str, str]] = field(default_factory=list)
    peak_mb: float = 0.0
    peak_input: str = ""
    slowest: tuple[float, str] = (0.0, "")
    seconds: float = 0.0
    exits: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return (f"fuzz: {self.inputs} inputs, {len(self.crashes)} crashes, {len(self.hangs)} hangs, "
                f"{len(self.bad_exits)} bad exits, peak memory {self.peak_mb:.0f} MB ({self.peak_input}), "
                f"slowest {self.slowest[0]:.1f} s ({self.slowest[1]}), {self.seconds:.0f} s in all, "
                f"exit codes {dict(sorted(self.exits.items()))}")


def _worker(conn, db: str) -> None:
    from click.testing import CliRunner

    from newsgraph.cli import main

    runner = CliRunner()
    while True:
        job = conn.recv()
        if job is None:
            return
        path = job
        started = time.monotonic()
        result = runner.invoke(main, ["ingest", path, "--db", db], catch_exceptions=True)
        elapsed = time.monotonic() - started
        crash = None
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crash = f"{type(result.exception).__name__}: {str(result.exception)[:200]}"
        output = result.output
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conn.send((result.exit_code, crash, output[-4000:], elapsed, rss))


def _start(db: str):
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_worker, args=(child, db), daemon=True)
    proc.start()
    return proc, parent


def _refusals_ok(output: str, path: str) -> bool:
    """Every error line names the input file and gives a reason on that one line."""
    errors = [line for line in output.splitlines() if line.startswith("error ")]
    return bool(errors) and all(line.startswith(f"error {path}") and ": " in line[len(path):] for line in errors)


def run(n: int, seed: int = 1, timeout: float = 30.0, workdir: str | None = None) -> FuzzResult:
    """Ingest ``n`` generated inputs, one per command, and count what went wrong."""
    own = workdir is None
    root = Path(workdir or tempfile.mkdtemp(prefix="newsgraph-fuzz-"))
    root.mkdir(parents=True, exist_ok=True)
    db = str(root / "fuzz.db")
    result = FuzzResult()
    started = time.monotonic()
    proc, conn = _start(db)
    try:
        for case, name, data in inputs(seed, n):
            path = root / "in" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            conn.send(str(path))
            result.inputs += 1
            if not conn.poll(timeout):
                result.hangs.append((case, name))
                proc.kill()
                proc.join()
                proc, conn = _start(db)
                path.unlink()
                continue
            try:
                code, crash, output, elapsed, rss = conn.recv()
            except EOFError:  # the worker died (killed by the kernel for memory, or a crash in C)
                result.crashes.append((case, name, f"worker died with exit code {proc.exitcode}"))
                proc.join()
                proc, conn = _start(db)
                path.unlink()
                continue
            result.exits[code] += 1
            if crash:
                result.crashes.append((case, name, crash))
            elif INTERNAL in output:
                result.crashes.append((case, name, output.strip().splitlines()[-1][:300]))
            elif code not in (0, 1) or (code == 1 and not _refusals_ok(output, str(path))):
                result.bad_exits.append((case, name, f"exit {code}: {output.strip()[-300:]}"))
            if rss > result.peak_mb:
                result.peak_mb, result.peak_input = rss, f"{case} {name} {len(data) // 1024} KB"
            if elapsed > result.slowest[0]:
                result.slowest = (elapsed, f"{case} {name}")
            path.unlink()
    finally:
        if proc.is_alive():
            conn.send(None)
            proc.join(10)
            if proc.is_alive():
                proc.kill()
        result.seconds = time.monotonic() - started
        if own:
            shutil.rmtree(root, ignore_errors=True)
    return result
