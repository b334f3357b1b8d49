"""Attendance figures of a congress and the `attendance` section of its live state.

Convened = official delegates whose credentials were not rejected. N (P2) and the quorum (P3) come
from the rules core; this module only counts, with two aggregate queries whatever the roll's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Q

from daihoi.congress.actions.setup import rule_error
from daihoi.congress.live import register_event, register_section
from daihoi.congress.models import FIGURES_GROUP_KEYS, Congress, Delegate, Guest, Organization
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


_STATES = tuple(_A.values)  # Django's enum recomputes `.values` at every access
_GROUPED = (
    "unit_id",
    "unit__name",
    "unit__order",
    "standing",
    "credential",
    "attendance",
    "is_convening_committee",
    "replaces__attendance",
)


def grouped_roll_orm(congress: Congress) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The two reads of the figures through the ORM: the test oracle of `_grouped_roll`."""
    rows = list(
        Delegate.objects.filter(congress=congress).values(*_GROUPED).annotate(n=Count("id")).order_by()
    )
    guests = congress.guests.aggregate(
        invited=Count("id"), present=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    return rows, guests


def _grouped_roll(congress: Congress) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The roll counted by unit, standing, credential, attendance, convening committee and the attendance
    of the official an alternate replaces; and the guests invited and present. One statement: each desk
    answer and each live push reads the figures, and building the ORM's two queries cost more than
    running them (tests/web/test_attendance_sql.py compares both with the ORM's)."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    sql = _SQL.get(connection.vendor)
    if sql is None:
        delegates, units, guests = (quote(m._meta.db_table) for m in (Delegate, Organization, Guest))

        def column(model: Any, alias: str, name: str) -> str:
            return f"{alias}.{quote(model._meta.get_field(name).column)}"

        keys = [column(Delegate, "d", n) for n in FIGURES_GROUP_KEYS]  # in the figures index's order
        names = ("unit_id", "standing", "credential", "attendance", "convening")
        selected = ", ".join(f"{k} AS {n}" for k, n in zip(keys, names, strict=True))
        grouped = ", ".join(keys)
        congress_is = f"{column(Delegate, 'd', 'congress')} = %s"
        replaces = column(Delegate, "d", "replaces")
        # The roll is grouped first and the ~40 units joined to the groups after (not to 2,000 rows).
        # Delegates who replace no one (nearly all) are grouped straight off the figures' index
        # (`delegate_figures_idx`, in this GROUP BY's order: no sort, no table rows); the few who replace
        # an official are joined to that official's row for its attendance and grouped apart.
        # The guests' row puts its two counts where the roll's rows hold integers (the unit's id and the
        # count), so that both halves of the UNION have the same column types on PostgreSQL.
        sql = (
            f"SELECT 1, x.unit_id, {column(Organization, 'u', 'name')}, {column(Organization, 'u', 'order')}, "  # noqa: S608 - names from the models only
            f"x.standing, x.credential, x.attendance, x.convening, x.replaced, x.n FROM ("
            f"SELECT {selected}, NULL AS replaced, COUNT(*) AS n FROM {delegates} d "
            f"WHERE {congress_is} AND {replaces} IS NULL GROUP BY {grouped} "
            f"UNION ALL SELECT {selected}, {column(Delegate, 'r', 'attendance')}, COUNT(*) "
            f"FROM {delegates} d JOIN {delegates} r ON r.id = {replaces} "
            f"WHERE {congress_is} AND {replaces} IS NOT NULL "
            f"GROUP BY {grouped}, {column(Delegate, 'r', 'attendance')}"
            f") x LEFT JOIN {units} u ON u.id = x.unit_id "
            f"UNION ALL SELECT 2, COUNT(g.id), {', '.join(['NULL'] * 7)}, "
            f"COUNT({column(Guest, 'g', 'checked_in_at')}) FROM {guests} g "
            f"WHERE {column(Guest, 'g', 'congress')} = %s"
        )
        _SQL[connection.vendor] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [congress.pk, congress.pk, congress.pk])
        found = cursor.fetchall()
    rows: list[dict[str, Any]] = []
    guests = {"invited": 0, "present": 0}
    for kind, *values in found:
        if kind == 1:
            row = dict(zip(_GROUPED, values[:-1], strict=True))
            row["is_convening_committee"] = bool(row["is_convening_committee"])  # 0/1 on SQLite
            row["n"] = values[-1]
            rows.append(row)
        else:
            guests = {"invited": values[0], "present": values[-1]}
    return rows, guests


_SQL: dict[str, str] = {}


def attendance(congress: Congress) -> Attendance:
    """The attendance figures now: the roll counted in groups and the guests, in one statement."""
    rows, guests = _grouped_roll(congress)
    units: dict[int | None, dict[str, Any]] = {}
    totals = dict.fromkeys(_STATES, 0)
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
            {"name": row["unit__name"] or "", "order": row["unit__order"], **dict.fromkeys(_STATES, 0)},
        )
        line[row["attendance"]] += n
    convened = sum(totals.values())
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
                convened=sum(line[state] for state in _STATES),
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
