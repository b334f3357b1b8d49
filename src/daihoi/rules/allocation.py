"""Dividing delegate seats among sub-units by member count: minimum first, then largest remainder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from daihoi.rules.errors import RuleError


@dataclass(frozen=True)
class UnitSeats:
    """A unit's seats; `quota` is its exact share of the seats left after the minimums."""

    unit: str
    members: int
    seats: int
    quota: Fraction


@dataclass(frozen=True)
class Allocation:
    """total_seats = ex_officio_seats + elected_seats, and the elected seats sum over the units."""

    total_seats: int
    ex_officio_seats: int
    elected_seats: int
    units: tuple[UnitSeats, ...]


def allocate_seats(
    members_by_unit: Mapping[str, int],
    total_seats: int,
    *,
    ex_officio_seats: int = 0,
    minimum_per_unit: int = 1,
) -> Allocation:
    """Give each unit `minimum_per_unit`, then share the rest of total − ex officio by members (Hamilton).

    Equal remainders go to units in sorted key order. Units come back in the mapping's order.
    """
    if not members_by_unit:
        raise RuleError("no_units")
    if total_seats < 0:
        raise RuleError("bad_total_seats", total_seats=total_seats)
    if not 0 <= ex_officio_seats <= total_seats:
        raise RuleError("bad_ex_officio", ex_officio_seats=ex_officio_seats, total_seats=total_seats)
    if minimum_per_unit < 0:
        raise RuleError("bad_minimum", minimum=minimum_per_unit)
    for unit, members in members_by_unit.items():
        if members < 1:
            raise RuleError("bad_members", unit=unit, members=members)
    elected = total_seats - ex_officio_seats
    rest = elected - minimum_per_unit * len(members_by_unit)
    if rest < 0:
        raise RuleError(
            "minimum_not_met", seats=elected, units=len(members_by_unit), minimum=minimum_per_unit
        )
    total_members = sum(members_by_unit.values())
    quotas = {unit: Fraction(members * rest, total_members) for unit, members in members_by_unit.items()}
    seats = {unit: minimum_per_unit + q.numerator // q.denominator for unit, q in quotas.items()}
    left = elected - sum(seats.values())
    by_remainder = sorted(
        quotas, key=lambda u: (-(quotas[u] - quotas[u].numerator // quotas[u].denominator), u)
    )
    for unit in by_remainder[:left]:
        seats[unit] += 1
    units = tuple(UnitSeats(u, m, seats[u], quotas[u]) for u, m in members_by_unit.items())
    return Allocation(total_seats, ex_officio_seats, elected, units)
