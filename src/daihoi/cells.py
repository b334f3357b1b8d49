"""Cells written to spreadsheets and CSV files are data, never formulas (OWASP, "CSV Injection").

A name typed as `=HYPERLINK("http://…"&B3)` was written to Excel as a live formula. Every exporter passes
each value through `safe_cell`: text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
leading single quote, so that Excel, LibreOffice and Sheets show it as text; characters that XML cannot
hold are replaced, so that no stored value can make an export fail. The database keeps the real value;
readers of our own files (the roll import, `daihoi tally`) take the quote off again with `unquote_cell`.

Pure Python: the exports, the roll import and the tally command line share it.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# What XML 1.0 (and so .xlsx) cannot hold: controls other than tab, line feed and carriage return.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe_text(text: str) -> str:
    """`text` as a cell that no spreadsheet evaluates, with characters XML cannot hold replaced."""
    text = _NOT_IN_XML.sub("\ufffd", text)
    return QUOTE + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value: Any) -> Any:
    """A value for an export: text made safe (`safe_text`), numbers, dates and None unchanged."""
    return safe_text(value) if isinstance(value, str) else value


def unquote_cell(text: str) -> str:
    """The value `safe_text` was given, for text that reads one of our exports back."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
