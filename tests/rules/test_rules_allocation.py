"""Seat allocation among sub-units: minimum first, then largest remainder, ex-officio seats apart."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daihoi.rules import RuleError, allocate_seats


def test_hamilton_with_minimum_one():
    alloc = allocate_seats({"a": 60, "b": 30, "c": 10}, 13, ex_officio_seats=3)
    assert alloc.elected_seats == 10
    # minimum 1 each, 7 left: quotas 4.2, 2.1, 0.7 → 4, 2, 0 and the last seat to c (0.7)
    assert [(u.unit, u.seats) for u in alloc.units] == [("a", 5), ("b", 3), ("c", 2)]
    assert alloc.units[0].quota == Fraction(21, 5)


def test_zero_minimum_is_pure_largest_remainder():
    alloc = allocate_seats({"x": 5, "y": 3, "z": 2}, 7, minimum_per_unit=0)
    # quotas 3.5, 2.1, 1.4 → 3, 2, 1 then one seat to x
    assert [u.seats for u in alloc.units] == [4, 2, 1]


def test_equal_remainders_break_by_unit_key():
    alloc = allocate_seats({"b": 1, "a": 1, "c": 1}, 2, minimum_per_unit=0)
    assert {u.unit: u.seats for u in alloc.units} == {"a": 1, "b": 1, "c": 0}
    assert [u.unit for u in alloc.units] == ["b", "a", "c"]  # the caller's order is kept


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"members_by_unit": {}, "total_seats": 3}, "no_units"),
        ({"members_by_unit": {"a": 1}, "total_seats": -1}, "bad_total_seats"),
        ({"members_by_unit": {"a": 1}, "total_seats": 3, "ex_officio_seats": 4}, "bad_ex_officio"),
        ({"members_by_unit": {"a": 0}, "total_seats": 3}, "bad_members"),
        ({"members_by_unit": {"a": 1}, "total_seats": 3, "minimum_per_unit": -1}, "bad_minimum"),
        (
            {"members_by_unit": {"a": 1, "b": 2, "c": 3}, "total_seats": 5, "ex_officio_seats": 3},
            "minimum_not_met",
        ),
    ],
)
def test_bad_inputs_are_coded(kwargs, code):
    with pytest.raises(RuleError) as e:
        allocate_seats(**kwargs)
    assert e.value.code == code


@given(
    st.dictionaries(
        st.text("abcdefgh", min_size=1, max_size=3), st.integers(1, 500), min_size=1, max_size=12
    ),
    st.integers(0, 200),
    st.integers(0, 10),
    st.integers(0, 3),
)
def test_allocation_sums_and_respects_quota_bounds(members, total, ex_officio, minimum):
    total = total + ex_officio + minimum * len(members)
    alloc = allocate_seats(members, total, ex_officio_seats=ex_officio, minimum_per_unit=minimum)
    assert sum(u.seats for u in alloc.units) == alloc.elected_seats == total - ex_officio
    for u in alloc.units:
        # Hamilton: each unit gets the floor or the ceiling of its quota, above the minimum.
        assert u.quota.__floor__() <= u.seats - minimum <= u.quota.__ceil__()
