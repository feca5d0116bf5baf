"""CSV as every newsgraph CSV is written (exports and the web's ``.csv`` twins).

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and tab or carriage
return) as a formula: article text can carry ``=HYPERLINK(…)``. Such text cells are written with
a leading apostrophe, which spreadsheets show as text; numbers (a longitude of -3.7) stay numbers.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import IO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value):
    """``value`` as a CSV cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(fh: IO[str], columns: Iterable[str], rows: Iterable[Mapping]) -> int:
    """A header of ``columns`` and one line per row (missing keys empty, extra keys ignored);
    returns how many rows were written."""
    writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
        n += 1
    return n
