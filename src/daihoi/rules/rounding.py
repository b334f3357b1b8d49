"""The one rounding rule of the congress's figures: half up (away from zero on a tie), computed exactly.

Percentages and quotas are exact fractions until shown; they are rounded once, here, to a fixed number
of decimals. 2/3 → 66.67, 1/8 → 0.13 (a tie goes up, never to even), −1/8 → −0.13.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def round_half_up(value: Fraction | int, places: int = 2) -> Decimal:
    """`value` rounded half up to `places` decimals, in integers (no float, no Decimal context)."""
    if places < 0:
        raise ValueError("places must be 0 or more")
    scaled = Fraction(value) * 10**places
    magnitude = abs(scaled)
    units = (2 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator)
    return Decimal(-units if scaled < 0 else units).scaleb(-places)
