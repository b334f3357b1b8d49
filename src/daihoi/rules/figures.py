"""P16 figures: exact percentages, rounded once, half up, to two decimals."""

from __future__ import annotations

from fractions import Fraction

from daihoi.rules.errors import RuleError
from daihoi.rules.rounding import round_half_up


def percent_fraction(part: int, whole: int) -> Fraction:
    """The exact percentage part/whole × 100; 0 when whole is 0 (there is nothing to measure against)."""
    if part < 0 or whole < 0:
        raise RuleError("negative_count", field="percent", value=min(part, whole))
    if whole == 0:
        return Fraction(0)
    return Fraction(100 * part, whole)


def percent(part: int, whole: int) -> str:
    """part/whole as a percentage with two decimals, rounded half up: percent(2, 3) == "66.67"."""
    return str(round_half_up(percent_fraction(part, whole), 2))


__all__ = ["percent", "percent_fraction", "round_half_up"]
