"""P16 figures: exact percentages, rounded once, half up, to two decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from daihoi.rules.errors import RuleError

_CENT = Decimal("0.01")


def percent_fraction(part: int, whole: int) -> Fraction:
    """The exact percentage part/whole × 100; 0 when whole is 0 (there is nothing to measure against)."""
    if part < 0 or whole < 0:
        raise RuleError("negative_count", field="percent", value=min(part, whole))
    if whole == 0:
        return Fraction(0)
    return Fraction(100 * part, whole)


def percent(part: int, whole: int) -> str:
    """part/whole as a percentage with two decimals, rounded half up: percent(2, 3) == "66.67"."""
    exact = percent_fraction(part, whole)
    # Decimal division would round early; divide the exact fraction once with the named rule.
    cents = (exact * 100).numerator * 2 + (exact * 100).denominator
    hundredths = cents // (2 * (exact * 100).denominator)
    return str((Decimal(hundredths) * _CENT).quantize(_CENT, rounding=ROUND_HALF_UP))


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """An exact fraction rounded half up to `places` decimals (non-negative values)."""
    if value < 0:
        raise RuleError("negative_count", field="value", value=value)
    scale = 10**places
    scaled = value * scale
    units = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(units).scaleb(-places)
