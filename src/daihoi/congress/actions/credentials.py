"""Credentials: the committee accepts or rejects each delegate (a reason is required to reject), and its
report to the congress: convened and present, broken down as the report reads them.

Percentages are exact: integer arithmetic, two decimals, rounded half up once at the edge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.rules.rounding import round_half_up
from daihoi.web.numbers import format_number

REASON_MAX_LENGTH = Delegate._meta.get_field("credential_reason").max_length or 500


def _require_open(congress: Congress) -> None:
    if congress.state == Congress.State.CLOSED:
        raise ActionError(
            "congress_closed",
            _("Đại hội đã bế mạc, không thể thay đổi kết quả thẩm tra tư cách."),
            state=congress.state,
        )


def _facts(delegate: Delegate) -> dict[str, str]:
    return {"credential": delegate.credential, "reason": delegate.credential_reason}


def set_credential(delegate: Delegate, status: str, reason: str, actor: Actor) -> Delegate:
    """Accept, reject (with a reason) or return to pending one delegate's credentials. Idempotent."""
    if status not in Delegate.Credential.values:
        raise ActionError(
            "bad_credential",
            _("Không rõ kết quả thẩm tra “%(status)s”.") % {"status": status},
            status=status,
        )
    reason = " ".join((reason or "").split())
    if status == Delegate.Credential.REJECTED and not reason:
        raise ActionError(
            "reason_required",
            _("Cần ghi lý do khi kết luận đại biểu %(name)s không đủ tư cách.")
            % {"name": delegate.full_name},
            delegate=delegate.number,
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ActionError(
            "reason_too_long",
            _("Lý do dài %(length)s ký tự, tối đa %(limit)s.")
            % {"length": len(reason), "limit": REASON_MAX_LENGTH},
        )
    if status != Delegate.Credential.REJECTED:
        reason = ""  # a reason belongs to a rejection only
    with transaction.atomic():
        delegate = Delegate.objects.select_for_update().select_related("congress").get(pk=delegate.pk)
        _require_open(delegate.congress)
        before = _facts(delegate)
        if before == {"credential": status, "reason": reason}:
            return delegate
        delegate.credential = status
        delegate.credential_reason = reason
        delegate.save(update_fields=["credential", "credential_reason"])
        audit.record(
            actor=actor.label,
            action="delegate.set_credential",
            congress_id=delegate.congress_id,
            obj=delegate,
            before={"number": delegate.number, **before},
            after={"number": delegate.number, **_facts(delegate)},
        )
        live.publish(delegate.congress)
    return delegate


def accept_all_pending(congress: Congress, actor: Actor) -> int:
    """Accept every delegate still pending, in one step with one audit entry; returns how many."""
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        _require_open(congress)
        pending = Delegate.objects.select_for_update().filter(
            congress=congress, credential=Delegate.Credential.PENDING
        )
        numbers = sorted(pending.values_list("number", flat=True))
        if not numbers:
            return 0
        Delegate.objects.filter(congress=congress, number__in=numbers).update(
            credential=Delegate.Credential.ACCEPTED, credential_reason=""
        )
        audit.record(
            actor=actor.label,
            action="delegate.accept_all_pending",
            congress_id=congress.pk,
            obj=congress,
            before={"credential": Delegate.Credential.PENDING, "numbers": numbers},
            after={"credential": Delegate.Credential.ACCEPTED, "count": len(numbers)},
        )
        live.publish(congress)
    return len(numbers)


# The committee's report --------------------------------------------------------------------------------


def hundredths(part: int, whole: int) -> int | None:
    """part/whole as a percentage in hundredths, rounded half up: hundredths(1, 3) == 3333."""
    value = percent_decimal(part, whole)
    return None if value is None else int(value.scaleb(2))


def percent_text(part: int, whole: int) -> str:
    """'33,33' in Vietnamese (the edge's number format); '—' when there is nothing to divide by."""
    value = percent_decimal(part, whole)
    return "—" if value is None else format_number(value)


def percent_decimal(part: int, whole: int) -> Decimal | None:
    """The percentage rounded once by the core's rule; None when there is nothing to divide by."""
    return None if whole <= 0 else round_half_up(Fraction(100 * part, whole), 2)


AGE_BANDS: tuple[tuple[int | None, int | None], ...] = ((None, 29), (30, 39), (40, 49), (50, 59), (60, None))


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _age_band_label(low: int | None, high: int | None) -> str:
    if low is None:
        return _("Dưới %(age)s tuổi") % {"age": (high or 0) + 1}
    if high is None:
        return _("Từ %(age)s tuổi trở lên") % {"age": low}
    return _("Từ %(low)s đến %(high)s tuổi") % {"low": low, "high": high}


@dataclass(frozen=True)
class Line:
    """One group of delegates: how many convened and present, each as a share of all convened/present."""

    key: str
    label: str
    convened: int
    present: int
    convened_percent: str
    present_percent: str
    convened_hundredths: int | None
    present_hundredths: int | None


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    lines: list[Line]


@dataclass(frozen=True)
class Rejection:
    number: int
    full_name: str
    unit: str
    reason: str


@dataclass(frozen=True)
class CredentialsReport:
    congress: Congress
    as_of: dt.datetime
    convened: int
    present: int
    not_arrived: int
    left: int
    excused: int
    present_percent: str
    breakdowns: list[Breakdown]
    rejections: list[Rejection]

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)

    def counts(self, key: str) -> dict[str, tuple[int, int]]:
        """{line key: (convened, present)}, for tests and exports."""
        return {line.key: (line.convened, line.present) for line in self.breakdown(key).lines}


def _breakdown(
    key: str,
    title: str,
    delegates: list[Delegate],
    groups: Iterable[tuple[str, str]],
    group_of: Callable[[Delegate], str],
    totals: tuple[int, int],
    *,
    drop_empty: Iterable[str] = (),
) -> Breakdown:
    convened: dict[str, int] = {}
    present: dict[str, int] = {}
    for d in delegates:
        group = group_of(d)
        convened[group] = convened.get(group, 0) + 1
        if d.attendance == Delegate.Attendance.PRESENT:
            present[group] = present.get(group, 0) + 1
    droppable = set(drop_empty)
    lines = []
    for group, label in groups:
        c, p = convened.get(group, 0), present.get(group, 0)
        if group in droppable and c == 0:
            continue
        lines.append(
            Line(
                key=group,
                label=str(label),
                convened=c,
                present=p,
                convened_percent=percent_text(c, totals[0]),
                present_percent=percent_text(p, totals[1]),
                convened_hundredths=hundredths(c, totals[0]),
                present_hundredths=hundredths(p, totals[1]),
            )
        )
    return Breakdown(key, title, lines)


def credentials_report(congress: Congress) -> CredentialsReport:
    """The credentials committee's figures. Convened = every delegate on the roll; present = in the hall now."""
    delegates = list(Delegate.objects.filter(congress=congress).select_related("unit").order_by("number"))
    convened = len(delegates)
    present = sum(1 for d in delegates if d.attendance == Delegate.Attendance.PRESENT)
    totals = (convened, present)
    units = list(congress.organization.children.order_by("order", "name"))
    unit_groups = [(str(u.pk), u.name) for u in units]
    known_units = {str(u.pk) for u in units}
    others = sorted(
        {(str(d.unit_id), d.unit.name) for d in delegates if d.unit_id and str(d.unit_id) not in known_units},
        key=lambda g: g[1],
    )
    none = "none"

    def band(d: Delegate) -> str:
        if d.date_of_birth is None:
            return none
        age = age_on(d.date_of_birth, congress.starts_on)
        for index, (low, high) in enumerate(AGE_BANDS):
            if (low is None or age >= low) and (high is None or age <= high):
                return str(index)
        return none

    unknown = _("Không rõ")
    breakdowns = [
        _breakdown("kind", _("Loại đại biểu"), delegates, Delegate.Kind.choices, lambda d: d.kind, totals),
        _breakdown(
            "standing",
            _("Chính thức/dự khuyết"),
            delegates,
            Delegate.Standing.choices,
            lambda d: d.standing,
            totals,
        ),
        _breakdown(
            "unit",
            _("Chi bộ"),
            delegates,
            [*unit_groups, *others, (none, unknown)],
            lambda d: str(d.unit_id) if d.unit_id else none,
            totals,
            drop_empty=[none, *(g for g, _label in others)],
        ),
        _breakdown(
            "sex",
            _("Giới tính"),
            delegates,
            [(Delegate.Sex.MALE, _("Nam")), (Delegate.Sex.FEMALE, _("Nữ")), (Delegate.Sex.UNKNOWN, unknown)],
            lambda d: d.sex,
            totals,
            drop_empty=[Delegate.Sex.UNKNOWN],
        ),
        _breakdown(
            "age",
            _("Tuổi đời (tính đến ngày khai mạc)"),
            delegates,
            [*((str(i), _age_band_label(*b)) for i, b in enumerate(AGE_BANDS)), (none, unknown)],
            band,
            totals,
            drop_empty=[none],
        ),
        _breakdown(
            "credential",
            _("Kết quả thẩm tra tư cách"),
            delegates,
            Delegate.Credential.choices,
            lambda d: d.credential,
            totals,
        ),
    ]
    return CredentialsReport(
        congress=congress,
        as_of=timezone.now(),
        convened=convened,
        present=present,
        not_arrived=sum(1 for d in delegates if d.attendance == Delegate.Attendance.NOT_ARRIVED),
        left=sum(1 for d in delegates if d.attendance == Delegate.Attendance.LEFT),
        excused=sum(1 for d in delegates if d.attendance == Delegate.Attendance.EXCUSED),
        present_percent=percent_text(present, convened),
        breakdowns=breakdowns,
        rejections=[
            Rejection(d.number, d.full_name, d.unit.name if d.unit else "", d.credential_reason)
            for d in delegates
            if d.credential == Delegate.Credential.REJECTED
        ],
    )


def report_facts(report: CredentialsReport) -> dict[str, Any]:
    """The report as plain data (for JSON, tests and the export)."""
    return {
        "convened": report.convened,
        "present": report.present,
        "breakdowns": {b.key: report.counts(b.key) for b in report.breakdowns},
    }
