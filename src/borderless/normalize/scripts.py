"""Which writing system a text is in, as an ISO 15924 code (``Latn``, ``Arab``, ``Cyrl``, ...)."""

import unicodedata
from collections import Counter
from functools import lru_cache

# Prefix of the Unicode character name -> ISO 15924 code.
_SCRIPT_PREFIXES: tuple[tuple[str, str], ...] = (
    ("LATIN", "Latn"),
    ("ARABIC", "Arab"),
    ("CYRILLIC", "Cyrl"),
    ("GREEK", "Grek"),
    ("HEBREW", "Hebr"),
    ("CJK", "Hani"),
    ("HANGUL", "Hang"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("DEVANAGARI", "Deva"),
    ("BENGALI", "Beng"),
    ("GURMUKHI", "Guru"),
    ("THAI", "Thai"),
    ("ETHIOPIC", "Ethi"),
    ("ARMENIAN", "Armn"),
    ("GEORGIAN", "Geor"),
    ("TAMIL", "Taml"),
    ("SYRIAC", "Syrc"),
    ("THAANA", "Thaa"),
    ("MYANMAR", "Mymr"),
    ("KHMER", "Khmr"),
)


@lru_cache(maxsize=8192)
def char_script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for prefix, code in _SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return code
    return "Zyyy"


def detect_script(text: str) -> str:
    """The dominant script of the letters in `text`; kana make Han text ``Jpan``."""
    if text.isascii():
        return "Latn" if any(c.isalpha() for c in text) else "Zyyy"
    counts = Counter(s for s in map(char_script, text) if s is not None)
    if not counts:
        return "Zyyy"
    if "Jpan" in counts and "Hani" in counts:
        return "Jpan"
    return counts.most_common(1)[0][0]
