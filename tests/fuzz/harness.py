"""Run generated inputs through ``newsgraph ingest`` and count crashes, hangs and memory.

Each input is written to a file and ingested by the real CLI command (in a worker process,
through click's test runner so that the messages are printed as a user sees them). A run
counts:

* crashes: an exception that escapes the command (a traceback for the user), or a failure
  reported as an internal error (newsgraph caught its own bug);
* hangs: an input that takes longer than ``timeout`` seconds (the worker is killed and a new
  one started);
  (inputs go several to one command, for speed; a batch with any trouble is run again one
  input per command, so that every count names its input)
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
    seconds_by_case: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return (f"fuzz: {self.inputs} inputs, {len(self.crashes)} crashes, {len(self.hangs)} hangs, "
                f"{len(self.bad_exits)} bad exits, peak memory {self.peak_mb:.0f} MB ({self.peak_input}), "
                f"slowest {self.slowest[0]:.1f} s ({self.slowest[1]}), {self.seconds:.0f} s in all, "
                f"commands by exit code {dict(sorted(self.exits.items()))}")


def _worker(conn, db: str) -> None:
    from click.testing import CliRunner

    from newsgraph.cli import main

    runner = CliRunner()
    while True:
        paths = conn.recv()
        if paths is None:
            return
        started = time.monotonic()
        result = runner.invoke(main, ["ingest", *paths, "--db", db], catch_exceptions=True)
        elapsed = time.monotonic() - started
        crash = None
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crash = f"{type(result.exception).__name__}: {str(result.exception)[:200]}"
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conn.send((result.exit_code, crash, result.output[-20000:], elapsed, rss))


class _Worker:
    def __init__(self, db: str):
        self.db = db
        self._start()

    def _start(self) -> None:
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, self.db), daemon=True)
        self.proc.start()

    def run(self, paths: list[str], timeout: float):
        """(exit code, crash, output, seconds, peak MB), "hang", or "died"."""
        self.conn.send(paths)
        if not self.conn.poll(timeout):
            self.restart()
            return "hang"
        try:
            return self.conn.recv()
        except EOFError:  # killed by the kernel for memory, or a crash in C
            self.restart()
            return "died"

    def restart(self) -> None:
        self.proc.kill()
        self.proc.join()
        self._start()

    def stop(self) -> None:
        if self.proc.is_alive():
            self.conn.send(None)
            self.proc.join(10)
            if self.proc.is_alive():
                self.proc.kill()


def _refusals_ok(output: str, paths: list[str]) -> bool:
    """Every error line names one of the input files and gives a reason on that one line."""
    errors = [line for line in output.splitlines() if line.startswith("error ")]
    return bool(errors) and all(any(line.startswith(f"error {p}") and ": " in line[len(p):] for p in paths)
                                for line in errors)


def run(n: int, seed: int = 1, timeout: float = 30.0, workdir: str | None = None, progress=None,
        batch: int = 8) -> FuzzResult:
    """Ingest ``n`` generated inputs and count what went wrong. Inputs go ``batch`` to one
    ``newsgraph ingest`` command; a batch that crashes, hangs or exits badly is run again one
    input per command, so that each count names its input. ``progress(result)`` is called
    every 250 inputs."""
    own = workdir is None
    root = Path(workdir or tempfile.mkdtemp(prefix="newsgraph-fuzz-"))
    root.mkdir(parents=True, exist_ok=True)
    result = FuzzResult()
    started = time.monotonic()
    worker = _Worker(str(root / "fuzz.db"))
    pending: list[tuple[str, str, Path, int]] = []

    def judge(items, outcome) -> bool:
        """Count one outcome; False when the batch must be run again input by input."""
        single = len(items) == 1
        if outcome in ("hang", "died"):
            if single:
                case, name, _, _ = items[0]
                if outcome == "hang":
                    result.hangs.append((case, name))
                else:
                    result.crashes.append((case, name, f"worker died (exit code {worker.proc.exitcode})"))
            return single
        code, crash, output, elapsed, rss = outcome
        paths = [str(p) for _, _, p, _ in items]
        bad = crash or INTERNAL in output or code not in (0, 1) or (code == 1 and not _refusals_ok(output, paths))
        if bad and not single:
            return False
        case, name = (items[0][0], items[0][1]) if single else ("batch", f"{items[0][1]}…")
        if crash:
            result.crashes.append((case, name, crash))
        elif INTERNAL in output:
            result.crashes.append((case, name, [l for l in output.splitlines() if INTERNAL in l][0][:300]))
        elif bad:
            result.bad_exits.append((case, name, f"exit {code}: {output.strip()[-300:]}"))
        result.exits[code] += 1
        if rss > result.peak_mb:
            biggest = max(items, key=lambda item: item[3])
            result.peak_mb, result.peak_input = rss, f"{biggest[0]} {biggest[1]} {biggest[3] // 1024} KB"
        for case, _, _, _ in items:
            result.seconds_by_case[case] += elapsed / len(items)
        if elapsed > result.slowest[0]:
            result.slowest = (elapsed, f"{items[0][0]} {items[0][1]}" if single else f"batch from {items[0][1]}")
        return True

    def flush() -> None:
        if not pending:
            return
        if not judge(pending, worker.run([str(p) for _, _, p, _ in pending], timeout)):
            for item in pending:
                judge([item], worker.run([str(item[2])], timeout))
        for _, _, path, _ in pending:
            path.unlink(missing_ok=True)
        pending.clear()

    try:
        for case, name, data in inputs(seed, n):
            path = root / "in" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            pending.append((case, name, path, len(data)))
            result.inputs += 1
            if len(pending) >= batch:
                flush()
            if progress and result.inputs % 250 == 0:
                progress(result)
        flush()
    finally:
        worker.stop()
        result.seconds = time.monotonic() - started
        if own:
            shutil.rmtree(root, ignore_errors=True)
    return result
