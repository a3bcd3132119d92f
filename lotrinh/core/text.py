"""Pure helpers for Vietnamese text: Unicode normalisation and diacritic-free search keys."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return text in composed form (NFC): documents copied from PDFs and old systems mix forms."""
    return unicodedata.normalize("NFC", text)


def search_key(text: str) -> str:
    """Return a lowercase key without diacritics, so "binh dinh" finds "Bình Định".

    "đ" becomes "d", runs of whitespace become one space, and punctuation is kept so that codes
    like "05-NQ/TU" stay searchable.
    """
    folded = unidecode(nfc(text)).lower()
    return _SPACES.sub(" ", folded).strip()


def collapse_whitespace(text: str) -> str:
    """Return text with every run of whitespace (including line breaks) as one space."""
    return _SPACES.sub(" ", text).strip()
