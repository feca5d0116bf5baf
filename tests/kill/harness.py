"""Kill ``build`` with SIGKILL at random points of ingest and of every later stage, then
finish it, and compare the knowledge base with a clean build, record for record.

A build runs in a forked child (so the NLP models are loaded once, in the parent); the
child reports on a pipe when each stage starts and when each writing transaction begins.
The parent kills the child with SIGKILL in one of two ways, in turn:

* at a random time: it waits for the chosen stage to start and sleeps a random part of that
  stage's duration (measured on the clean build), so the kill lands anywhere, often inside
  a transaction;
* at a transaction boundary: the child waits for the parent's go before the first write of
  each transaction, and the parent kills it at the k-th writing transaction of the chosen
  stage (k random among those the clean build made in that stage), which is exactly after
  the previous commit: the point where a stage's records and its done-marks split if they
  are committed apart.
 The next build on the same knowledge base picks up where the
killed one stopped; after the last kill a build runs to the end, and its knowledge base must
equal the clean one: every table, rows sorted, times and surrogate row numbers left out.
"""
from __future__ import annotations

import json
import os
import random
import signal
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

STAGES = ["ingest", "extract", "entities", "stories", "claims", "search"]
# columns that hold the time of a write, or a row number drawn from a sequence (PostgreSQL
# sequences move on in transactions that a kill rolls back), and the log of runs
SKIPPED_TABLES = {"ingest_log", "alembic_version"}
SURROGATE_IDS = {"mentions", "removed_spans", "evidence", "search_items", "decisions", "near_duplicates",
                 "lsh_buckets"}


@dataclass
class Profile:
    """What a clean build did: seconds and transactions per stage."""
    seconds: dict[str, float] = field(default_factory=dict)
    transactions: dict[str, int] = field(default_factory=dict)


def build(db: str, paths: list[str], report=None, on_begin=None) -> Profile:
    """``newsgraph build`` as the CLI runs it (writer lock held throughout). ``report(stage)``
    is called as each stage starts, ``on_begin(stage)`` before the first write of each
    transaction (``Profile.transactions`` counts those writing transactions)."""
    from newsgraph.pipeline.ingest import ingest
    from newsgraph.pipeline.stages import all_stages
    from newsgraph.store import open_store

    store = open_store(db)
    profile = Profile()
    current = {"stage": "ingest"}

    def before_execute(conn, _cursor, statement, _params, _context, _many) -> None:
        # the first write of each transaction: a kill here leaves every earlier commit, and nothing of this one
        if conn.info.get("writing") or not statement.lstrip()[:7].upper().startswith(("INSERT", "UPDATE", "DELETE")):
            return
        conn.info["writing"] = True
        profile.transactions[current["stage"]] = profile.transactions.get(current["stage"], 0) + 1
        if on_begin:
            on_begin(current["stage"])

    def ended(conn) -> None:
        conn.info.pop("writing", None)

    sa.event.listen(store.engine, "before_cursor_execute", before_execute)
    sa.event.listen(store.engine, "commit", ended)
    sa.event.listen(store.engine, "rollback", ended)
    try:
        with store.writing():
            report and report("ingest")
            started = time.monotonic()
            ingest(paths, store)
            profile.seconds["ingest"] = time.monotonic() - started
            for stage in all_stages():
                current["stage"] = stage.name
                report and report(stage.name)
                started = time.monotonic()
                stage.run(store, lambda name="": None)
                profile.seconds[stage.name] = time.monotonic() - started
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", before_execute)
        sa.event.remove(store.engine, "commit", ended)
        sa.event.remove(store.engine, "rollback", ended)
        store.close()
    return profile


def snapshot(db: str) -> dict[str, list[tuple]]:
    """Every table of the knowledge base as sorted rows, without times and row numbers."""
    from newsgraph.store import open_store

    store = open_store(db)
    out = {}
    try:
        with store.engine.connect() as conn:
            for name, table in sorted(store.t.items()):
                if name in SKIPPED_TABLES or name.startswith("search_fts"):
                    continue
                cols = [c for c in table.columns if not c.name.endswith("_at") and c.name not in ("at",)
                        and not (c.name == "id" and name in SURROGATE_IDS)]
                rows = conn.execute(sa.select(*cols)).all()
                out[name] = sorted(tuple(_norm(v) for v in row) for row in rows)
    finally:
        store.close()
    return out


def _norm(value):
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.dumps(_drop_times(json.loads(value)), sort_keys=True)
        except ValueError:
            return value
    return "" if value is None else str(value)


def _drop_times(data):
    if isinstance(data, dict):
        return {k: _drop_times(v) for k, v in data.items() if not k.endswith("_at")}
    if isinstance(data, list):
        return [_drop_times(v) for v in data]
    return data


def differences(a: dict, b: dict, limit: int = 5) -> list[str]:
    """What differs between two snapshots, table by table (empty when equal)."""
    out = []
    for name in sorted(set(a) | set(b)):
        rows_a, rows_b = a.get(name, []), b.get(name, [])
        if rows_a != rows_b:
            only_a = [r for r in rows_a if r not in set(rows_b)][:limit]
            only_b = [r for r in rows_b if r not in set(rows_a)][:limit]
            out.append(f"{name}: {len(rows_a)} rows vs {len(rows_b)}; only in clean {str(only_a)[:400]}; "
                       f"only in recovered {str(only_b)[:400]}")
    return out


def duplicates(db: str) -> list[str]:
    """Events counted in two merged events, claims listed twice or in two clusters."""
    from newsgraph.store import open_store

    store = open_store(db)
    problems = []
    try:
        for kind, key in (("event", "members"), ("claim_cluster", "claims")):
            seen: dict[str, str] = {}
            for record in store.iter_corpus_records(kind):
                members = [m for m in record.get(key) or [] if m]
                if len(members) != len(set(members)):
                    problems.append(f"{kind} {record['id']} lists a member twice")
                for m in set(members):
                    if m in seen and seen[m] != record["id"]:
                        problems.append(f"{m} is in {kind} {seen[m]} and {record['id']}")
                    seen[m] = record["id"]
        if store.path is not None:
            with store.engine.connect() as conn:
                check = [r[0] for r in conn.execute(sa.text("PRAGMA integrity_check"))]
            if check != ["ok"]:
                problems.append(f"integrity_check: {check[:3]}")
    finally:
        store.close()
    return problems


@dataclass
class KillRun:
    kills: list[str] = field(default_factory=list)  # the stage running at each kill
    finished_early: int = 0  # builds that ended before their kill came
    attempts: dict[str, int] = field(default_factory=dict)  # kill attempts so far, per target stage


def _child_build(db: str, paths: list[str], pipe_w: int, go_r: int | None) -> None:
    def report(stage: str) -> None:
        os.write(pipe_w, f"stage {stage}\n".encode())

    def on_begin(stage: str) -> None:
        os.write(pipe_w, f"begin {stage}\n".encode())
        os.read(go_r, 1)  # wait for the parent's go (or its kill)

    try:
        build(db, paths, report, on_begin if go_r is not None else None)
        os.write(pipe_w, b"done\n")
        os._exit(0)
    except BaseException:  # noqa: BLE001 - the child reports and leaves
        import traceback

        traceback.print_exc()
        os._exit(3)


def kill_builds(db: str, paths: list[str], targets: list[str], profile: Profile,
                rng: random.Random, run: KillRun) -> None:
    """One killed build per target stage, in order, on the knowledge base ``db``; the kills
    alternate between a random time and a transaction boundary."""
    for target in targets:
        run.attempts[target] = run.attempts.get(target, 0) + 1
        at_boundary = run.attempts[target] % 2 == 0 and bool(profile.transactions.get(target))
        r, w = os.pipe()
        go_r, go_w = os.pipe() if at_boundary else (None, None)
        pid = os.fork()
        if pid == 0:
            os.close(r)
            _child_build(db, paths, w, go_r)
        os.close(w)
        reader = os.fdopen(r)
        stage, kill_now = None, False
        nth = rng.randint(1, profile.transactions[target]) if at_boundary else 0
        seen, past_target, label = 0, False, None
        for line in reader:
            what, _, name = line.strip().partition(" ")
            if what == "stage":
                past_target = past_target or (stage == target and name != target)
                stage = name
                if not at_boundary and name == target:
                    time.sleep(rng.uniform(0, max(profile.seconds.get(target, 0.1), 0.02)))
                    kill_now = True
            elif what == "begin":
                if name == target:
                    seen += 1
                    if seen == nth:
                        kill_now, label = True, f"{target} (transaction {nth} of {profile.transactions[target]})"
                elif past_target:
                    # a resumed build had fewer writes left in the target stage than the clean one
                    # made: the kill lands at the next boundary, the first write after the stage
                    kill_now, label = True, f"{name} (transaction 1, after {target})"
                if not kill_now:
                    os.write(go_w, b"g")
            if kill_now or what == "done":
                break
        try:
            os.kill(pid, signal.SIGKILL)
            killed = True
        except ProcessLookupError:
            killed = False
        _, status = os.waitpid(pid, 0)
        for line in _drain(reader):
            what, _, name = line.partition(" ")
            stage = name if what == "stage" else stage
        reader.close()
        for fd in (go_r, go_w):
            if fd is not None:
                os.close(fd)
        if killed and os.WIFSIGNALED(status):
            run.kills.append(label if at_boundary and label else stage or "start")
        else:
            assert os.WEXITSTATUS(status) == 0, f"a build failed on its own (exit {os.WEXITSTATUS(status)})"
            run.finished_early += 1


def _drain(reader):
    os.set_blocking(reader.fileno(), False)
    try:
        data = reader.read() or ""
    except (BlockingIOError, TypeError):
        data = ""
    return [line for line in data.splitlines() if line]
