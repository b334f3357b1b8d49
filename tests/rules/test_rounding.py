"""The one rounding rule: half up, exact, to a fixed number of decimals."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.rules.figures import percent
from daihoi.rules.rounding import round_half_up


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(2, 3) * 100, 2, "66.67"),
        (Fraction(1, 3) * 100, 2, "33.33"),
        (Fraction(1, 8), 2, "0.13"),  # a tie goes up, not to even (0.12)
        (Fraction(5, 2), 0, "3"),
        (Fraction(7, 2), 0, "4"),
        (Fraction(-1, 8), 2, "-0.13"),  # away from zero
        (Fraction(80), 2, "80.00"),
        (0, 2, "0.00"),
        (Fraction(1_048_576 * 15 + 524_288, 1_048_576), 1, "15.5"),
    ],
)
def test_half_up_to_fixed_places(value, places, expected):
    assert str(round_half_up(value, places)) == expected


def test_negative_places_are_refused():
    with pytest.raises(ValueError, match="places"):
        round_half_up(Fraction(1, 3), -1)


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_the_error_is_at_most_half_a_unit_and_ties_go_up(part, whole):
    exact = Fraction(part, whole) * 100
    rounded = Fraction(round_half_up(exact, 2))
    assert abs(rounded - exact) <= Fraction(1, 200)
    if abs(rounded - exact) == Fraction(1, 200):
        assert rounded > exact


def test_percent_uses_the_rule():
    assert percent(2, 3) == str(round_half_up(Fraction(200, 3))) == "66.67"
    assert round_half_up(Fraction(1, 3), 4) == Decimal("0.3333")
