"""One table of settings, with defaults and help.

Each setting can be overridden by an environment variable ``NEWSGRAPH_<NAME>`` (upper case).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str

    @property
    def env(self) -> str:
        return "NEWSGRAPH_" + self.name.upper()


SETTINGS = {
    s.name: s
    for s in [
        Setting("db", "newsgraph.db", "Database: a SQLite file path or a postgresql:// URL."),
        Setting("public_url", "http://127.0.0.1:8000",
                "Where `newsgraph serve` is reached: exports (ClaimReview, STIX) link their records there."),
        Setting("tlp", "green", "TLP marking of the STIX export: white, green, amber or red."),
        Setting("max_file_bytes", 200 * 1024 * 1024,
                "Largest input file read (after decompression); larger files fail with a clear error."),
        Setting("max_article_bytes", 10 * 1024 * 1024,
                "Largest single article (text or HTML); larger articles fail with a clear error."),
        Setting("max_json_depth", 100,
                "Deepest nesting of arrays and objects accepted in a JSON input (checked before parsing); "
                "a deeper document or line fails alone with a clear error."),
        Setting("max_prepare_seconds", 20.0,
                "Longest time spent cleaning one article (HTML parsing, boilerplate removal); a pathological "
                "page is skipped with a clear error instead of stalling the batch."),
        Setting("lock_wait", 10.0,
                "Seconds a write waits while another newsgraph process is writing to the same knowledge base, "
                "before it gives up with a message naming that process."),
        Setting("near_duplicate_threshold", 0.5,
                "Estimated Jaccard similarity of 5-word shingles above which two articles are linked as near-duplicates."),
        Setting("max_analysed_chars", 300_000,
                "Longest stretch of an article run through the NLP models; the rest is stored but not analysed, with a note."),
        Setting("minhash_permutations", 128, "MinHash permutations (32 bands of 4 rows)."),
        Setting("geo_context", "",
                "Countries (ISO codes such as 'SY,TR') or places the corpus is about; the geocoder prefers them "
                "when a name is ambiguous. Takes effect for documents analysed after it is set."),
        Setting("workers", 0,
                "Processes that run the per-document pipeline (0: one per CPU core, fewer for small batches)."),
        Setting("scheduler", "",
                "Address of a Dask scheduler (tcp://HOST:8786) that runs the per-document pipeline instead of "
                "local processes."),
        Setting("max_records_per_document", 1000,
                "Most events, movements or claims kept from one document; the rest are dropped with a note."),
        Setting("outlets", "",
                "An analyst's outlets TOML file (same format as the bundled data/outlets.toml); its entries win "
                "over the bundled reliability priors."),
    ]
}


_OVERRIDES: dict[str, object] = {}


@contextmanager
def override(**values):
    """Settings given on the command line (``build --workers 2``) for the duration of a command."""
    old = dict(_OVERRIDES)
    _OVERRIDES.update({k: v for k, v in values.items() if v is not None})
    try:
        yield
    finally:
        _OVERRIDES.clear()
        _OVERRIDES.update(old)


def explicit(name: str) -> bool:
    """Whether a setting was given (command line or environment) rather than left at its default."""
    return name in _OVERRIDES or SETTINGS[name].env in os.environ


def get(name: str):
    """The value of a setting: the command line's if given, else the environment variable, else
    the default."""
    setting = SETTINGS[name]
    if name in _OVERRIDES:
        return _OVERRIDES[name]
    raw = os.environ.get(setting.env)
    if raw is None:
        return setting.default
    kind = type(setting.default)
    try:
        return kind(raw)
    except ValueError as exc:
        raise ValueError(f"{setting.env}={raw!r} is not a valid {kind.__name__}: {setting.help}") from exc
