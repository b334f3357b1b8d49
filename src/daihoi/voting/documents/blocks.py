"""The blocks a document is made of (header, title, paragraphs, tables, signatures) and the document.

Producers build them; renderers draw them. Plain data: nothing here reads the database or formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FONT_CSS = "'Times New Roman', 'Liberation Serif', serif"
FONT_DOCX = "Times New Roman"

# --- blocks -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """The two-column heading: issuing body on the left, the Party or national line on the right."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    place_date: str


@dataclass(frozen=True)
class Title:
    text: str
    subtitle: tuple[str, ...] = ()


@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False
    indent: bool = True
    keep_with_next: bool = (
        False  # printed on the same page as what follows (the closing lines and signatures)
    )


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    widths: tuple[int, ...] = ()  # relative widths


@dataclass(frozen=True)
class Signatures:
    """Signature blocks: (role, name) pairs, two per row."""

    signers: tuple[tuple[str, str], ...]


Block = Header | Title | Para | Table | Signatures


@dataclass(frozen=True)
class Document:
    filename: str  # without extension
    title: str
    blocks: tuple[Block, ...]
    page: str = "A4"
    meta: dict[str, Any] = field(default_factory=dict)
