"""Vietnamese names: one stored form (NFC, nothing invisible), one search form (no diacritics, lower case)
and one skeleton for finding duplicates (look-alike letters folded to Latin).

A name is shown on cards, screens, minutes and ballots, so it must read as it is stored:
- control characters are refused (a NUL in a name made every roll export fail);
- invisible format characters are removed: bidirectional overrides (which printed "Nguyễn oảĐ năV"),
  zero-width spaces and joiners, the byte-order mark, soft hyphens;
- for the duplicate check, "Trần" typed with a Cyrillic "Т" or a zero-width space is the same person:
  `name_skeleton` folds compatibility forms (NFKC), maps confusable Cyrillic and Greek letters (and the
  look-alikes of "Đ") to Latin, keeps every Vietnamese diacritic, and ignores case.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Whitespace controls become a space (a line break typed in a spreadsheet cell); every other control is refused.
_WHITESPACE_CONTROLS = frozenset("\t\n\r")
# Categories refused outright: controls, surrogates, private use, unassigned.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})

# Letters that look like Latin ones (after NFKC and NFD, so marks are separate), as in Unicode's
# confusables list (UTS #39), restricted to Cyrillic, Greek and the letters that pass for Vietnamese "Đ".
CONFUSABLES: dict[str, str] = {
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ү": "Y", "Ӏ": "I", "Ԛ": "Q", "Ԝ": "W", "Һ": "H",
    # Cyrillic small letters
    "а": "a", "в": "b", "е": "e", "ѕ": "s", "і": "i", "ј": "j", "о": "o", "р": "p", "с": "c", "у": "y",
    "х": "x", "ү": "y", "һ": "h", "ӏ": "l", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Greek small letters
    "α": "a", "ι": "i", "ν": "v", "ο": "o", "ρ": "p", "υ": "u", "γ": "y",
    # Latin letters that pass for others
    "ı": "i", "ȷ": "j", "Ð": "Đ", "Ɖ": "Đ", "ð": "đ", "ɖ": "đ",
}  # fmt: skip
_CONFUSABLE_TABLE = str.maketrans(CONFUSABLES)


class NameProblem(ValueError):
    """A name holds a character a name may not; `code` is stable, `char` is the character's code point."""

    def __init__(self, code: str, char: str, position: int) -> None:
        super().__init__(code)
        self.code = code
        self.char = f"U+{ord(char):04X}"
        self.position = position


def _without_invisible(text: str) -> str:
    """Format characters (category Cf: bidi controls, zero-width characters, BOM, soft hyphen) removed."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def normalize_name(raw: str) -> str:
    """NFC, invisible characters removed, single spaces, trimmed: 'Nguyễn  Văn A' typed with combining
    marks equals the precomposed one. Never refuses; `clean_name` does."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", _without_invisible(raw))).strip()


def bad_character(raw: str) -> NameProblem | None:
    """The first character a name may not hold (a control other than tab or line break, a surrogate,
    private-use or unassigned code point), or None."""
    for position, ch in enumerate(raw, start=1):
        if ch in _WHITESPACE_CONTROLS:
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            return NameProblem("bad_character", ch, position)
    return None


def clean_name(raw: str) -> str:
    """The stored form of a typed name, or `NameProblem` if it holds a control or unassigned character."""
    problem = bad_character(raw)
    if problem is not None:
        raise problem
    return normalize_name(raw)


def name_skeleton(raw: str) -> str:
    """What two names that look alike share: 'TRẦN Văn\u200b A' and 'Трần văn A' (Cyrillic Т) have one
    skeleton. Vietnamese diacritics are kept: 'Ánh' and 'Anh' are different names."""
    text = unicodedata.normalize("NFKC", _without_invisible(raw))
    text = unicodedata.normalize("NFD", text).translate(_CONFUSABLE_TABLE)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def search_key(raw: str) -> str:
    """'Nguyễn Văn Đức' -> 'nguyen van duc', so a desk can search without diacritics."""
    text = unicodedata.normalize("NFD", normalize_name(raw).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.lower()
