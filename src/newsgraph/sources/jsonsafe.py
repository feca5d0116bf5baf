"""JSON parsing that a hostile input cannot crash: nesting depth checked before parsing,
integers too long for Python kept as text, so one bad line fails alone with a reason."""
from __future__ import annotations

import json
import re
from itertools import accumulate

from newsgraph import settings

# a JSON string literal (possessive, so that a long string cannot backtrack)
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# Python refuses int("9" * 4301) (CVE-2020-10735); a longer integer is kept as its digits.
_INT_DIGITS = 4300


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (strings are not counted)."""
    brackets = _BRACKETS.findall(_STRING.sub("", text)) if "[" in text or "{" in text else ()
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def _int(digits: str):
    return int(digits) if len(digits.lstrip("-")) <= _INT_DIGITS else digits


class JsonError(ValueError):
    """Malformed JSON: ``reason`` without the position, ``line`` and ``column`` where it is."""

    def __init__(self, reason: str, line: int, column: int):
        super().__init__(f"malformed JSON at line {line}, column {column}: {reason}")
        self.reason, self.line, self.column = reason, line, column


def loads(text: str):
    """Parse JSON; ``ValueError`` with a one-line reason for bad or too deeply nested JSON."""
    limit = settings.get("max_json_depth")
    found = depth(text)
    if found > limit:
        raise ValueError(f"JSON nested {found} levels deep, over the limit of {limit} "
                         "(set NEWSGRAPH_MAX_JSON_DEPTH to raise it)")
    try:
        return json.loads(text, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise JsonError(exc.msg, exc.lineno, exc.colno) from None
    except RecursionError:  # only when the limit is set above what Python can parse
        raise ValueError("JSON nested too deeply for the parser") from None
