"""Vietnamese names: one stored form (NFC) and one search form (no diacritics, lower case)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_name(raw: str) -> str:
    """NFC, single spaces, trimmed: 'Nguyễn  Văn A' typed with combining marks equals the precomposed one."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip()


def search_key(raw: str) -> str:
    """'Nguyễn Văn Đức' -> 'nguyen van duc', so a desk can search without diacritics."""
    text = unicodedata.normalize("NFD", normalize_name(raw).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.lower()
