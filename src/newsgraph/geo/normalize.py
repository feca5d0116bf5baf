"""Name keys: the form under which gazetteer names are stored and looked up."""
from __future__ import annotations

import re
import unicodedata

_DROP = str.maketrans("", "", "'’‘`´ʿʾʼ′\".")
_SPACE = re.compile(r"[\s\-‐‑‒–—_/,;:()]+")
# Leading abbreviations written either way ("St. Petersburg" = "Saint Petersburg").
_LEADING = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "port"}
_TURKISH = str.maketrans({"ı": "i", "İ": "I", "ş": "s", "Ş": "S", "ğ": "g", "Ğ": "G", "ø": "o", "Ø": "O",
                          "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe"})


def fold(text: str) -> str:
    """Lower case without diacritics: "Şanlıurfa" -> "sanliurfa"."""
    text = unicodedata.normalize("NFKD", text.translate(_TURKISH))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def name_key(text: str) -> str:
    """The lookup key of a name: folded, apostrophes and dots dropped, dashes as spaces,
    a leading "the" dropped and "St"/"Ft"/"Mt" spelled out."""
    key = _SPACE.sub(" ", fold(text).translate(_DROP)).strip()
    if key.startswith("the "):
        key = key[4:]
    head, _, rest = key.partition(" ")
    if rest and head in _LEADING:
        key = _LEADING[head] + " " + rest
    return key


def has_latin_letter(text: str) -> bool:
    return any("a" <= c <= "z" for c in fold(text))


def is_acronym(text: str) -> bool:
    """All-caps short forms: "US", "U.S.", "EU", "UK", "DPRK", "U.A.E." (not "Van", not "VAN CITY")."""
    letters = [c for c in text if c.isalpha()]
    if not letters or len(letters) > 5 or " " in text.strip():
        return False
    return all(c.isupper() for c in letters) and (len(letters) <= 4 or "." in text)
