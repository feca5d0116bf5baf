"""Rules that read the layout of news-wire text: datelines."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from newsgraph.extraction import entities_text as tx

MONTHS = {"jan", "jan.", "january", "feb", "feb.", "february", "mar", "mar.", "march", "apr", "apr.",
          "april", "may", "jun", "jun.", "june", "jul", "jul.", "july", "aug", "aug.", "august", "sep",
          "sep.", "sept", "sept.", "september", "oct", "oct.", "october", "nov", "nov.", "november",
          "dec", "dec.", "december"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _replace(cands: list, new) -> None:
    cands[:] = [c for c in cands if c.end <= new.start or c.start >= new.end]
    cands.append(new)


# ---------------------------------------------------------------- datelines

def datelines(doc: Doc, ctx, cands: list, make) -> None:
    """"BUCHAREST 1996-08-30", "LA CORUNA , Spain 1996-08-31", "BEIRUT, Oct 5": places."""
    text = doc.text  # joins every token: once, not per segment
    for start, end in ctx.segs:
        toks = doc[start:end]
        if not len(toks) or not (toks[0].is_upper and toks[0].is_alpha and len(toks[0]) > 1):
            continue
        k = None
        for tok in toks[:8]:
            if _ISO_DATE.match(text[tok.idx:tok.idx + 10]) or (tok.lower_ in MONTHS and tok.i > start):
                k = tok.i
                break
        if k is None:
            continue
        parts, cur = [], []
        for tok in doc[start:k]:
            if tok.text == ",":
                parts.append(cur)
                cur = []
            elif tok.is_upper or tx.is_namelike(tok) or tok.text.endswith("."):
                cur.append(tok)
            else:
                parts = []
                cur = []
                break
        parts.append(cur)
        if not parts or not parts[0] or any(t.lower_ in WEEKDAYS | MONTHS for p in parts for t in p):
            continue
        if not all(t.is_upper for t in parts[0]):
            continue
        for part in parts:
            if part and len(part) <= 4:
                new = make(part[0].i, part[-1].i + 1, "PLACE")
                new.source = "dateline"
                _replace(cands, new)
