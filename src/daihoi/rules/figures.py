"""P16 figures: exact percentages, rounded once, half up, to two decimals."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from daihoi.rules.errors import RuleError


def percent_fraction(part: int, whole: int) -> Fraction:
    """The exact percentage part/whole × 100; 0 when whole is 0 (there is nothing to measure against)."""
    if part < 0 or whole < 0:
        raise RuleError("negative_count", field="percent", value=min(part, whole))
    if whole == 0:
        return Fraction(0)
    return Fraction(100 * part, whole)


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """A non-negative exact fraction rounded half up to `places` decimals, computed in integers."""
    if value < 0:
        raise RuleError("negative_count", field="value", value=value)
    scaled = value * 10**places
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(units).scaleb(-places)


def percent(part: int, whole: int) -> str:
    """part/whole as a percentage with two decimals, rounded half up: percent(2, 3) == "66.67"."""
    return str(round_half_up(percent_fraction(part, whole)))
