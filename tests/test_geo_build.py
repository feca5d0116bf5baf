"""Gazetteer file handling: missing or corrupt files are rebuilt or reported with the fix."""
from __future__ import annotations

import sqlite3

import pytest

from newsgraph.geo import Gazetteer, GazetteerError, build_gazetteer, resolve_name
from newsgraph.geo.gazetteer import default_path


def test_corrupt_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "gazetteer.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(GazetteerError) as err:
        Gazetteer.open(path, build_if_missing=False)
    msg = str(err.value)
    assert msg.startswith(f"gazetteer at {path} is corrupt")
    assert msg.endswith(f"rebuild it with: python -m newsgraph.geo.build --path {path}")


def test_missing_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "none.sqlite"
    with pytest.raises(GazetteerError, match=r"is missing; rebuild it with: python -m newsgraph.geo.build"):
        Gazetteer.open(path, build_if_missing=False)


def test_incomplete_file_is_rebuilt_atomically(tmp_path):
    path = tmp_path / "gazetteer.sqlite"
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE meta(key TEXT, value TEXT); CREATE TABLE places(pid INTEGER);")
    con.close()
    gaz = Gazetteer.open(path)  # rebuilds (about 20-35 s)
    assert resolve_name("Gaziantep", gaz).place.geonames_id == "314830"
    assert gaz.meta()["complete"] == "1"
    assert [p.name for p in tmp_path.iterdir()] == ["gazetteer.sqlite"]  # no temp file left


def test_default_path_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSGRAPH_GAZETTEER", str(tmp_path / "g.sqlite"))
    assert default_path() == tmp_path / "g.sqlite"
    monkeypatch.delenv("NEWSGRAPH_GAZETTEER")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_path().parent == tmp_path / "newsgraph"
    assert default_path().name.startswith("gazetteer-") and default_path().suffix == ".sqlite"

