"""P10 ballot order: Vietnamese alphabetical, by given name (last word), then family and middle names."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, with f j w z (foreign names) in Latin places.
ALPHABET = ("a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
            "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z")  # fmt: skip
_RANK = {letter: i + 1 for i, letter in enumerate(ALPHABET)}

# Marks that make a separate letter (ă â ê ô ơ ư) versus tone marks, which only break ties.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Dictionary order of the tones: ngang, huyền, hỏi, ngã, sắc, nặng (as in CLDR's Vietnamese collation).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

WordKey = tuple[tuple[int, ...], tuple[int, ...]]
NameKey = tuple[WordKey, tuple[WordKey, ...], str]


def _letters(word: str) -> list[tuple[str, str]]:
    """Split a word into (base letter, its combining marks), lower-cased."""
    out: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch) and out:
            base, marks = out[-1]
            out[-1] = (base, marks + ch)
        else:
            out.append((ch, ""))
    return out


def word_key(word: str) -> WordKey:
    """Letters first (ă, â, đ … are letters of their own), then tones, letter by letter."""
    primary: list[int] = []
    tones: list[int] = []
    for base, marks in _letters(word):
        letter = base
        if _BREVE in marks:
            letter = base + _BREVE
        elif _CIRCUMFLEX in marks:
            letter = base + _CIRCUMFLEX
        elif _HORN in marks:
            letter = base + _HORN
        letter = unicodedata.normalize("NFC", letter)
        # Anything outside the alphabet (digits, hyphens) sorts after it, by code point.
        primary.append(_RANK.get(letter, len(ALPHABET) + 1 + ord(letter[0])))
        tones.append(max((_TONES.get(m, 0) for m in marks), default=0))
    return tuple(primary), tuple(tones)


def name_key(name: str) -> NameKey:
    """Sort key of a full name: given name, then family and middle names word by word, then the text."""
    nfc = unicodedata.normalize("NFC", " ".join(name.split()))
    words = nfc.split(" ") if nfc else [""]
    return word_key(words[-1]), tuple(word_key(w) for w in words[:-1]), nfc


def _itself(item: object) -> str:
    return str(item)


def ballot_order(items: Iterable[T], *, name: Callable[[T], str] = _itself) -> list[T]:
    """`items` in P10 order of their `name` (the items themselves when they are names); a stable sort,
    so items with equal names keep the order given."""
    return sorted(items, key=lambda item: name_key(name(item)))
