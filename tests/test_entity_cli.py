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
    assert listed[0] == f"{isis}  GROUP    Islamic State  (27 mentions, 12 documents)"
    shown = run("show", "Daesh", "--db", demo_kb).splitlines()
    assert shown[:2] == [f"{isis}  GROUP    Islamic State  (27 mentions, 12 documents)",
                         "  aliases: Daesh; IS; ISIS; Islamic State"]
    assert shown[3:5] == ["  merge score 1.0:", "    - alias table: islamic_state"]
    assert "no entity with id or name 'Nobody Here'" in run("show", "Nobody Here", "--db", demo_kb, ok=False)


def test_show_a_place(demo_kb):
    place = ids(demo_kb)[("PLACE", "Gaziantep")]
    shown = run("show", "Antep", "--db", demo_kb).splitlines()
    assert shown[0] == f"{place}  PLACE    Gaziantep  (14 mentions, 5 documents)"
    assert shown[1:3] == ["  aliases: Antep; Gaziantep", "  place: GeoNames 314830, TR, town, 37.05944, 37.3825"]


def test_read_commands_never_create_a_database(tmp_path):
    missing = tmp_path / "typo.db"
    for args in (["stats"], ["export", "events", "--format", "csv"], ["entity", "list"], ["claim", "list"],
                 ["source", "list"]):
        result = CliRunner().invoke(main, [*args, "--db", str(missing)])
        assert result.exit_code == 1, args
        assert result.output == (f"Error: no knowledge base at {missing}: build one first "
                                 f"(newsgraph build PATHS --db {missing})\n"), args
        assert not missing.exists(), args


def test_claim_and_source_lists_print_whole_ids(demo_kb):
    result = CliRunner().invoke(main, ["claim", "list", "--db", demo_kb])
    lines = result.output.splitlines()
    assert lines[0] == "id\tgrade\tsuggested\tcontradicted\torigins\tarticles\ttext"
    first = lines[1].split("\t")
    assert first[0].startswith("clu-") and len(first[0]) == 20
    assert first[1:6] == ["1", "1", "no", "2", "3"]
    graded = CliRunner().invoke(main, ["claim", "list", "--grade", "6", "--min-articles", "2", "--db", demo_kb])
    assert all(line.split("\t")[1] == "6" for line in graded.output.splitlines()[1:])
    sources = CliRunner().invoke(main, ["source", "list", "--db", demo_kb]).output.splitlines()
    assert sources[0] == "id\tname\treliability\tinterested\tdocuments\tbasis"
    assert "crescent-defense-review\tCrescent Defense Review\tF (Reliability cannot be judged)\tno\t1\t" \
        "cannot be judged: no basis recorded" in sources


def test_merge_split_and_the_decisions_survive_a_rerun(demo_kb_copy):
    db = demo_kb_copy
    before = ids(db)
    ibrahim, khalid = before[("PERSON", "Ibrahim El Bakraoui")], before[("PERSON", "Khalid el-Bakraoui")]
    missing = run("merge", "Ibrahim El Bakraoui", "Nobody Here", "--db", db, ok=False)
    assert "no entity with id or name 'Nobody Here' (see `newsgraph entity list`)" in " ".join(missing.split())
    out = run("merge", "Ibrahim El Bakraoui", "Khalid el-Bakraoui", "--note", "test merge", "--db", db)
    assert out.splitlines()[0] == f"merged {khalid} (Khalid el-Bakraoui) into {ibrahim} (Ibrahim El Bakraoui)"
    shown = run("show", ibrahim, "--db", db)
    assert "  aliases: Ibrahim El Bakraoui; Khalid el-Bakraoui" in shown
    assert f"    - merged with 'Khalid el-Bakraoui' ({khalid}) by analyst (decision 1): test merge" in shown
    assert "  decision 1 entity_merge " in shown
    assert rerun_entities(db).startswith("73 entities from 263 mentions")
    after = ids(db)
    assert khalid not in after.values() and ibrahim in after.values()

    out = run("split", ibrahim, "--alias", "Khalid el-Bakraoui", "--note", "brothers", "--db", db).splitlines()
    assert out == [f"split {ibrahim}", f"{ibrahim}  PERSON   Ibrahim El Bakraoui  (1 mentions, 1 documents)",
                   f"{khalid}  PERSON   Khalid el-Bakraoui  (1 mentions, 1 documents)"]
    assert rerun_entities(db).startswith("74 entities from 263 mentions")
    assert ids(db) == before
    shown = run("show", khalid, "--db", db)
    assert f"  kept apart from Ibrahim El Bakraoui ({ibrahim}): split by analyst (decision 2): brothers" in shown

    assert "cannot merge entity" in run("merge", ibrahim, ibrahim, "--db", db, ok=False)
    assert "give either --alias NAME… or --local-id ID…" in run("split", ibrahim, "--db", db, ok=False)
    err = run("split", ibrahim, "--local-id", "ent-0000", "--db", db, ok=False)
    assert f"none of the local ids ent-0000 belongs to entity {ibrahim} (Ibrahim El Bakraoui)" in err


def test_help_loads_no_heavy_module():
    """`newsgraph --help` stays quick: the CLI imports the pipeline, the store and the exports only
    when a command runs (its time is measured by hand: about 0.15 s)."""
    import subprocess
    import sys

    heavy = ("spacy", "sqlalchemy", "alembic", "newsgraph.export", "newsgraph.pipeline.ingest", "newsgraph.store",
             "followthemoney", "networkx")
    code = ("import sys; from newsgraph.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
