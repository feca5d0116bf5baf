"""Text that every store can hold: lone surrogates and NUL characters replaced.

JSON may spell a lone UTF-16 surrogate (``"\\ud800"``), and any input may hold NUL
characters; neither can be written as UTF-8 or into a PostgreSQL text column. Each is
replaced by U+FFFD (the replacement character), one for one, so offsets stay the same,
and the article gets a note saying how many were replaced.
"""
from __future__ import annotations

import re

_BAD = re.compile("[\ud800-\udfff\x00]")
REPLACEMENT = "\ufffd"


def scrub(text: str) -> tuple[str, int]:
    """``text`` with lone surrogates and NULs replaced, and how many were replaced."""
    if not _BAD.search(text):
        return text, 0
    return _BAD.subn(REPLACEMENT, text)


def scrub_note(count: int, where: str = "text") -> str:
    return (f"{count} invalid character{'s' if count != 1 else ''} (lone surrogate or NUL) in the {where} "
            "replaced with U+FFFD")
