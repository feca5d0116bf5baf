"""One table of settings, with defaults and help.

Each setting can be overridden by an environment variable ``NEWSGRAPH_<NAME>`` (upper case).
"""
from __future__ import annotations

import os
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
        Setting("outlets", "",
                "An analyst's outlets TOML file (same format as the bundled data/outlets.toml); its entries win "
                "over the bundled reliability priors."),
    ]
}


def get(name: str):
    """The value of a setting: the environment variable if set, else the default."""
    setting = SETTINGS[name]
    raw = os.environ.get(setting.env)
    if raw is None:
        return setting.default
    kind = type(setting.default)
    try:
        return kind(raw)
    except ValueError as exc:
        raise ValueError(f"{setting.env}={raw!r} is not a valid {kind.__name__}: {setting.help}") from exc
