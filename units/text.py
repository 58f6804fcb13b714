"""Text helpers for Vietnamese: one way to fold names so that search ignores diacritics."""

import unicodedata

# Đ/đ is a separate letter, not D plus a combining mark, so NFD leaves it alone.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: "Châu Đốc" -> "chau doc".

    Works on both composed (NFC) and decomposed (NFD) input, so names typed on different
    keyboards fold to the same string. Runs of whitespace become one space.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
