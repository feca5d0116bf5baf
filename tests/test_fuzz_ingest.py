"""The CI fuzz run of ingest (our own generator, tests/fuzz): 2,000 bad or odd inputs through
``newsgraph ingest``: no traceback, no internal error, no input over 30 s, every refusal one
line naming its file, and the figures printed (run with -s). The long run is documented in
docs/security.md (``bench/fuzz.py --inputs 100000``)."""
from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.store import open_store
from tests.fuzz import generate
from tests.fuzz.harness import run


@pytest.mark.slow
def test_two_thousand_generated_inputs_crash_and_hang_nothing(tmp_path):
    result = run(2000, seed=1, timeout=30.0, workdir=str(tmp_path / "fuzz"), batch=16)
    print("\n" + result.summary())
    assert result.inputs == 2000
    assert result.crashes == []
    assert result.hangs == []
    assert result.bad_exits == []
    assert result.peak_mb > 0


def _bad_inputs(rng: random.Random, n: int):
    names = sorted(generate.CASES)
    for _ in range(n):
        case = rng.choice([c for c in names if c not in ("huge_line", "many_attributes", "huge_text")])
        yield generate.CASES[case](rng)


def test_mixed_batches_keep_every_good_article(tmp_path):
    """Batches of bad inputs, each with good articles among them: every good article is stored."""
    rng = random.Random(5)
    db = str(tmp_path / "kb.db")
    good_texts = set()
    for b in range(6):
        folder = tmp_path / f"batch{b}"
        folder.mkdir()
        for i, (name, data) in enumerate(_bad_inputs(rng, 30)):
            path = folder / (f"bad{i:03d}{name}" if name.startswith(".") else f"bad{i:03d}-{name}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for name, data in generate.good_articles(rng, 2):
            (folder / name).write_bytes(data)
            text = json.loads(data)["text"] if name.endswith(".jsonl") else data.decode()
            good_texts.add(text.split("\n")[0])
        result = CliRunner().invoke(main, ["ingest", str(folder), "--db", db])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert result.exit_code in (0, 1) and "Traceback" not in result.output
    store = open_store(db)
    titles = {d["title"] for d in store.iter_documents()}
    store.close()
    assert good_texts <= titles, good_texts - titles


def test_rich_markup_in_names_and_reasons_is_printed_not_parsed(tmp_path):
    folder = tmp_path / "x["
    folder.mkdir()
    bad = folder / "]bold[red].json"  # the path holds "[/]" and "[red]"
    bad.write_text('{"title": "[/bold]"}', encoding="utf-8")
    good = folder / "[bold]good.txt"
    good.write_text("Crossing closed\n\nBorder police stopped a minibus carrying eleven people near the river "
                    "crossing on Tuesday night, officials said.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(bad), str(good), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error ")]
    assert errors == [f"error {bad}: no article text: expected a non-empty 'text' or 'html' field"]
