"""Attendance figures of a congress and the `attendance` section of its live state.

Convened = official delegates whose credentials were not rejected. N (P2) and the quorum (P3) come
from the rules core; this module only counts, with two aggregate queries whatever the roll's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q

from daihoi.congress.actions.setup import rule_error
from daihoi.congress.live import register_event, register_section
from daihoi.congress.models import Congress, Delegate
from daihoi.rules.errors import RuleError
from daihoi.rules.quorum import QuorumStatus, quorum_status
from daihoi.rules.rulesets import get_ruleset
from daihoi.rules.voters import BaseN, compute_base

_A = Delegate.Attendance


@dataclass(frozen=True)
class UnitLine:
    """One sub-unit's official delegates (convened) by attendance."""

    unit_id: int | None
    name: str
    convened: int = 0
    present: int = 0
    left: int = 0
    excused: int = 0
    not_arrived: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.unit_id,
            "name": self.name,
            "convened": self.convened,
            "present": self.present,
            "left": self.left,
            "excused": self.excused,
            "not_arrived": self.not_arrived,
        }


@dataclass(frozen=True)
class Attendance:
    """Who is in the hall now, with N (P2) and the quorum (P3). Counts are official delegates unless
    named otherwise; `absent` = excused (absent for the whole congress) + not arrived; `left` came and
    went, and stays in N."""

    convened: int
    present: int
    left: int
    excused: int
    not_arrived: int
    rejected: int
    alternates_convened: int
    alternates_present: int
    guests_invited: int
    guests_present: int
    base: BaseN
    quorum: QuorumStatus
    units: tuple[UnitLine, ...]

    @property
    def absent(self) -> int:
        return self.excused + self.not_arrived

    @property
    def explanation(self) -> str:
        """The core's Vietnamese line, e.g. "Đủ số lượng: 112/165 đại biểu có mặt, cần 110"."""
        return self.quorum.explain()

    def as_dict(self) -> dict[str, Any]:
        q = self.quorum
        warnings = q.warnings
        return {
            "convened": self.convened,
            "present": self.present,
            "absent": self.absent,
            "excused": self.excused,
            "not_arrived": self.not_arrived,
            "left": self.left,
            "rejected": self.rejected,
            "alternates": {"convened": self.alternates_convened, "present": self.alternates_present},
            "guests": {"invited": self.guests_invited, "present": self.guests_present},
            "base": {"value": self.base.value, "explanation": self.base.explain()},
            "quorum": {
                "required": q.required,
                "is_met": q.is_met,
                "majority_possible": q.majority_possible,
                "ratio": f"{q.ratio.numerator}/{q.ratio.denominator}",
                "explanation": q.explain(),
                "warning": warnings[0].message if warnings else None,
            },
            "units": [line.as_dict() for line in self.units],
        }


def _ratio(congress: Congress) -> Fraction:
    if congress.quorum_denominator == 0:
        raise rule_error(RuleError("bad_ratio", ratio=f"{congress.quorum_numerator}/0"))
    setting = Fraction(congress.quorum_numerator, congress.quorum_denominator)
    # P3: the rule set's ratio, or the congress's own where the rule set lets it set one.
    ratio = get_ruleset(congress.rules).effective_quorum_ratio(setting)
    return setting if ratio is None else ratio


def attendance(congress: Congress) -> Attendance:
    """The attendance figures now: one grouped query over the delegates, one over the guests."""
    rows = (
        Delegate.objects.filter(congress=congress)
        .values(
            "unit_id",
            "unit__name",
            "unit__order",
            "standing",
            "credential",
            "attendance",
            "is_convening_committee",
            "replaces__attendance",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    units: dict[int | None, dict[str, Any]] = {}
    totals = {state: 0 for state in _A.values}
    rejected = alternates = alternates_present = 0
    excused_convening = 0
    for row in rows:
        n = row["n"]
        if row["credential"] == Delegate.Credential.REJECTED:
            rejected += n
            continue
        if row["standing"] != Delegate.Standing.OFFICIAL:
            alternates += n
            alternates_present += n if row["attendance"] == _A.PRESENT else 0
            if row["replaces__attendance"] == _A.EXCUSED and congress.kind == Congress.Kind.DELEGATES:
                # P1, P2: an alternate replacing an absent official holds that seat: it is no longer
                # "absent, not replaced", and counts as the alternate is (present, left...).
                totals[_A.EXCUSED] -= n
                totals[row["attendance"]] += n
            continue
        totals[row["attendance"]] += n
        if row["attendance"] == _A.EXCUSED and row["is_convening_committee"]:
            excused_convening += n
        line = units.setdefault(
            row["unit_id"],
            {"name": row["unit__name"] or "", "order": row["unit__order"], **dict.fromkeys(_A.values, 0)},
        )
        line[row["attendance"]] += n
    convened = sum(totals.values())
    guests = congress.guests.aggregate(
        invited=Count("id"), present=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    try:
        if congress.kind == Congress.Kind.GENERAL:
            base = compute_base(convened, {"absent_excused": totals[_A.EXCUSED]}, congress_kind="general")
        else:
            base = compute_base(
                convened,
                {
                    "convening_member_absent": excused_convening,
                    "absent_not_replaced": totals[_A.EXCUSED] - excused_convening,
                },
                congress_kind="delegates",
            )
        quorum = quorum_status(
            convened=convened, present=totals[_A.PRESENT], base=base.value, ratio=_ratio(congress)
        )
    except RuleError as error:
        raise rule_error(error) from error
    ordered = sorted(
        units.items(), key=lambda item: (item[0] is None, item[1]["order"] or 0, item[1]["name"])
    )
    return Attendance(
        convened=convened,
        present=totals[_A.PRESENT],
        left=totals[_A.LEFT],
        excused=totals[_A.EXCUSED],
        not_arrived=totals[_A.NOT_ARRIVED],
        rejected=rejected,
        alternates_convened=alternates,
        alternates_present=alternates_present,
        guests_invited=guests["invited"],
        guests_present=guests["present"],
        base=base,
        quorum=quorum,
        units=tuple(
            UnitLine(
                unit_id=unit_id,
                name=line["name"],
                convened=sum(line[state] for state in _A.values),
                present=line[_A.PRESENT],
                left=line[_A.LEFT],
                excused=line[_A.EXCUSED],
                not_arrived=line[_A.NOT_ARRIVED],
            )
            for unit_id, line in ordered
        ),
    )


@register_section("attendance")
def attendance_section(congress: Congress) -> dict[str, Any]:
    """Public figures for every screen: counts only, never who."""
    return attendance(congress).as_dict()


@register_event("attendance")
def attendance_event(congress: Congress, _arg: int) -> dict[str, Any]:
    """A check-in's event carries the attendance section as a fresh fetch would show it."""
    return {"attendance": attendance_section(congress)}
