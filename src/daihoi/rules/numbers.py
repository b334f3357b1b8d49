"""Whole numbers typed by people: one parser for every form, URL parameter, JSON body and command line.

`"²".isdigit()` is true and `int("²")` fails; `int("٣")` is 3; a 30-digit number overflows SQLite's
64-bit integers; `int()` of 5,000 digits raises. So a number is ASCII digits only, with an optional sign,
at most `MAX_DIGITS` of them, within the bounds the caller gives, and anything else is a `NumberError`
with a code and the numbers.
"""

from __future__ import annotations

import re
from typing import Any

from daihoi.rules.errors import RuleError

# The largest value an integer column holds on every database the app runs on (PostgreSQL's `integer`).
DB_INT_MAX = 2**31 - 1
# Digits read at most: more than any count, and few enough that `int()` is instant.
MAX_DIGITS = 18

_LARGEST = 10**MAX_DIGITS - 1
_INTEGER = re.compile(r"([+-]?)([0-9]+)")

MESSAGES: dict[str, tuple[str, str]] = {
    "number_required": ("{field}: cần ghi một số", "{field}: a number is needed"),
    "not_a_number": (
        "{field}: “{value}” không phải là số nguyên.",
        "{field}: “{value}” is not a whole number.",
    ),
    "number_negative": (
        "{field}: không được là số âm ({value}).",
        "{field}: must not be negative ({value}).",
    ),
    "number_too_small": (
        "{field}: {value} nhỏ hơn mức tối thiểu {minimum}",
        "{field}: {value} is less than the minimum {minimum}",
    ),
    "number_too_large": (
        "{field}: {value} lớn hơn mức tối đa {maximum}",
        "{field}: {value} is more than the maximum {maximum}",
    ),
}


class NumberError(RuleError):
    """A typed number was refused; `code` is one of `MESSAGES`, `params` hold the field and the bounds."""

    def __init__(self, code: str, /, **params: Any) -> None:
        vi, en = MESSAGES[code]
        if not params.get("field"):
            vi, en = vi.removeprefix("{field}: "), en.removeprefix("{field}: ")
        shown = {k: str(v) for k, v in params.items()}
        self.code = code
        self.params = params
        self.message = vi.format(**shown)
        self.message_en = en.format(**shown)
        Exception.__init__(self, self.message)


def _shown(raw: str) -> str:
    """The value as the message quotes it: printable, and short."""
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in raw)
    return text if len(text) <= 24 else text[:20] + "…"


def parse_int(
    raw: object,
    *,
    field: str = "",
    minimum: int | None = 0,
    maximum: int | None = DB_INT_MAX,
) -> int:
    """`raw` (text, or an int from JSON) as a whole number within [minimum, maximum], or `NumberError`.

    Surrounding spaces are ignored; a leading `+` or `-` is allowed; nothing else but the digits 0–9.
    `minimum`/`maximum` of None leave that side open, up to `MAX_DIGITS` digits.
    """
    if isinstance(raw, bool):
        raise NumberError("not_a_number", field=field, value=str(raw))
    if isinstance(raw, int):
        value = raw
    else:
        text = "" if raw is None else str(raw).strip()
        if not text:
            raise NumberError("number_required", field=field)
        match = _INTEGER.fullmatch(text)
        if match is None:
            raise NumberError("not_a_number", field=field, value=_shown(text))
        sign, digits = match.groups()
        digits = digits.lstrip("0") or "0"
        if len(digits) > MAX_DIGITS:
            shown = f"{sign}{digits[:6]}…"
            if sign == "-" and minimum == 0:
                raise NumberError("number_negative", field=field, value=shown)
            if sign == "-":
                low = minimum if minimum is not None else -_LARGEST
                raise NumberError(
                    "number_too_small", field=field, value=shown, minimum=low, digits=len(digits)
                )
            high = maximum if maximum is not None else _LARGEST
            raise NumberError("number_too_large", field=field, value=shown, maximum=high, digits=len(digits))
        value = -int(digits) if sign == "-" else int(digits)
    if minimum == 0 and value < 0:
        raise NumberError("number_negative", field=field, value=value)
    if minimum is not None and value < minimum:
        raise NumberError("number_too_small", field=field, value=value, minimum=minimum)
    if maximum is not None and value > maximum:
        raise NumberError("number_too_large", field=field, value=value, maximum=maximum)
    return value


def parse_optional_int(
    raw: object,
    *,
    field: str = "",
    minimum: int | None = 0,
    maximum: int | None = DB_INT_MAX,
) -> int | None:
    """Like `parse_int`, but blank (or None) is None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return parse_int(raw, field=field, minimum=minimum, maximum=maximum)


def is_int(raw: object, *, minimum: int | None = 0, maximum: int | None = DB_INT_MAX) -> bool:
    """Whether `parse_int` would accept `raw`: for search boxes that take a number or a name."""
    try:
        parse_int(raw, minimum=minimum, maximum=maximum)
    except NumberError:
        return False
    return True
