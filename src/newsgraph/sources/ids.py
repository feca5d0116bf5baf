"""Source (outlet) ids: readable, stable, and unique for a name in any script.

* A name in Latin letters (accents folded) keeps its readable slug: "Le Monde" -> "le-monde",
  "Hürriyet" -> "hurriyet"; names that differ only in case, accents or punctuation share it.
* A name with letters in another script is transliterated and given a short hash of the
  name itself, so that "Известия" -> "izvestiya-<hash>" and two names that transliterate
  alike stay two sources.
* A name with nothing to transliterate (emoji, symbols) is "source-<hash>".
* A slug longer than 64 characters is cut and given the hash, so that names sharing a long
  prefix stay apart.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

MAX_LENGTH = 64
_LETTER = re.compile(r"[^\W\d_]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def _hash(name: str) -> str:
    key = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def source_id(name: str) -> str:
    """The id of the source called ``name``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    latin = len(_LETTER.findall(folded)) == len(_LETTER.findall(unicodedata.normalize("NFKC", name)))
    base = _slug(folded) if latin else _slug(anyascii(name))
    if not base:
        return f"source-{_hash(name)}"
    if latin and len(base) <= MAX_LENGTH:
        return base
    return f"{base[:MAX_LENGTH - 9].rstrip('-')}-{_hash(name)}"
