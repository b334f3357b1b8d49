"""Numbers as people read them, at the edge: Vietnamese "1.234,56" (comma decimals, dot thousands),
English "1,234.56". The rules core keeps figures exact or as plain decimal strings ("66.67"); every
document and page formats them here, once."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import get_language

from daihoi.rules.rounding import round_half_up

MARKS = {"vi": (",", "."), "en": (".", ",")}  # (decimal mark, thousands separator)


def _marks(language: str | None) -> tuple[str, str]:
    lang = (language or get_language() or "vi").split("-")[0].lower()
    return MARKS.get(lang, MARKS["vi"])


def format_number(
    value: Decimal | Fraction | int | str | None, places: int | None = None, *, language: str | None = None
) -> str:
    """`value` with the language's marks. A Fraction is rounded half up to `places` (default 2); a
    Decimal or a decimal string keeps its own places unless `places` is given. None and text that is
    not a number are returned as they are ("—")."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        number = round_half_up(value, 2 if places is None else places)
    else:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return str(value)
        if not number.is_finite():
            return str(value)
        if places is not None:
            number = round_half_up(Fraction(number), places)
    decimal_mark, thousands = _marks(language)
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    whole, _dot, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + thousands.join(groups) + (decimal_mark + fraction if fraction else "")


_PERCENT_FIGURE = re.compile(r"(?<![\d.,])(\d+\.\d+)(?=\s?%)")


def localize_figures(text: str | None, *, language: str | None = None) -> str:
    """A text the rules core wrote (an outcome line: "tán thành 19 (95.00%)…") with its percentages in the
    reader's marks ("95,00%"); nothing else in the text is touched and nothing is decided again."""
    if not text:
        return ""
    return _PERCENT_FIGURE.sub(lambda m: format_number(m.group(1), language=language), str(text))
