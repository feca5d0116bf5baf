"""``newsgraph entity list|show|merge|split`` on a copy of the demo knowledge base."""
from __future__ import annotations

from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.corpus import entities as E
from newsgraph.store import open_store


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, ["entity", *args])
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def ids(db):
    s = open_store(db)
    try:
        return {(e["type"], e["name"]): e["id"] for e in s.iter_entities()}
    finally:
        s.close()


def rerun_entities(db):
    s = open_store(db)
    try:
        s.reset_done("entities")
        return E.run(s, lambda *_: None)
    finally:
        s.close()


def test_list_and_show(demo_kb):
    listed = run("list", "--type", "group", "--db", demo_kb).splitlines()
    isis = ids(demo_kb)[("GROUP", "Islamic State")]
    assert listed[0] == f"{isis}  GROUP    Islamic State  (28 mentions, 12 documents)"
    shown = run("show", "Daesh", "--db", demo_kb).splitlines()
    assert shown[:2] == [f"{isis}  GROUP    Islamic State  (28 mentions, 12 documents)",
                         "  aliases: Daesh; IS; ISIS; Islamic State"]
    assert shown[3:5] == ["  merge score 1.0:", "    - alias table: islamic_state"]
    assert "no entity with id or name 'Nobody Here'" in run("show", "Nobody Here", "--db", demo_kb, ok=False)


def test_merge_split_and_the_decisions_survive_a_rerun(demo_kb_copy):
    db = demo_kb_copy
    before = ids(db)
    ibrahim, khalid = before[("PERSON", "Ibrahim El Bakraoui")], before[("PERSON", "Khalid el-Bakraoui")]
    out = run("merge", ibrahim, khalid, "--note", "test merge", "--db", db)
    assert out.splitlines()[0] == f"merged {khalid} into {ibrahim}"
    shown = run("show", ibrahim, "--db", db)
    assert "  aliases: Ibrahim El Bakraoui; Khalid el-Bakraoui" in shown
    assert f"    - merged with 'Khalid el-Bakraoui' ({khalid}) by analyst (decision 1): test merge" in shown
    assert "  decision 1 entity_merge " in shown
    assert rerun_entities(db).startswith("80 entities from 279 mentions")
    after = ids(db)
    assert khalid not in after.values() and ibrahim in after.values()

    out = run("split", ibrahim, "--alias", "Khalid el-Bakraoui", "--note", "brothers", "--db", db).splitlines()
    assert out == [f"split {ibrahim}", f"{ibrahim}  PERSON   Ibrahim El Bakraoui  (1 mentions, 1 documents)",
                   f"{khalid}  PERSON   Khalid el-Bakraoui  (1 mentions, 1 documents)"]
    assert rerun_entities(db).startswith("81 entities from 279 mentions")
    assert ids(db) == before
    shown = run("show", khalid, "--db", db)
    assert f"  kept apart from Ibrahim El Bakraoui ({ibrahim}): split by analyst (decision 2): brothers" in shown

    assert "cannot merge entity" in run("merge", ibrahim, ibrahim, "--db", db, ok=False)
    assert "give either --alias NAME… or --local-id ID…" in run("split", ibrahim, "--db", db, ok=False)
    err = run("split", ibrahim, "--local-id", "ent-0000", "--db", db, ok=False)
    assert f"none of the local ids ent-0000 belongs to entity {ibrahim} (Ibrahim El Bakraoui)" in err
