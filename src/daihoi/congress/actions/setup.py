"""Setting a congress up: create it, size and allocate its seats, grant staff roles, open and close it.

Each function validates, locks, writes, appends the audit entry and publishes after commit. Refusals
are `ActionError`s with a stable code; rules-core refusals keep the core's code and numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor, Role
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate, Organization, SeatAllocation, StaffRole
from daihoi.rules.allocation import allocate_seats
from daihoi.rules.errors import RuleError

# Forward only: a closed congress never reopens.
_NEXT_STATES: Mapping[str, frozenset[str]] = {
    Congress.State.PREPARATION: frozenset({Congress.State.IN_SESSION}),
    Congress.State.IN_SESSION: frozenset({Congress.State.CLOSED}),
    Congress.State.CLOSED: frozenset(),
}


def rule_error(error: RuleError) -> ActionError:
    """A rules-core refusal as an `ActionError`, in the active language, keeping its code and numbers."""
    language = get_language() or "vi"
    message = error.message_en if language.startswith("en") else error.message
    return ActionError(error.code, message, **error.params)


def congress_facts(congress: Congress) -> dict[str, Any]:
    return {
        "slug": congress.slug,
        "name": congress.name,
        "ordinal": congress.ordinal,
        "term": congress.term,
        "starts_on": congress.starts_on,
        "ends_on": congress.ends_on,
        "state": congress.state,
        "total_seats": congress.total_seats,
        "ex_officio_seats": congress.ex_officio_seats,
        "minimum_seats_per_unit": congress.minimum_seats_per_unit,
    }


def create_congress(
    *,
    actor: Actor,
    organization: Organization,
    slug: str,
    name: str,
    ordinal: int,
    term_start: int,
    term_end: int,
    starts_on: dt.date,
    ends_on: dt.date,
    theme: str = "",
    venue: str = "",
    kind: str = Congress.Kind.DELEGATES,
    rules: str = "party",
    total_seats: int = 0,
    ex_officio_seats: int = 0,
    minimum_seats_per_unit: int = 1,
) -> Congress:
    """A new congress in preparation."""
    if ordinal < 1:
        raise ActionError("bad_ordinal", _("Lần thứ phải từ 1 trở lên (%(ordinal)s).") % {"ordinal": ordinal})
    if term_end <= term_start:
        raise ActionError(
            "bad_term",
            _("Nhiệm kỳ phải kết thúc sau khi bắt đầu (%(start)s–%(end)s).")
            % {"start": term_start, "end": term_end},
            term_start=term_start,
            term_end=term_end,
        )
    if ends_on < starts_on:
        raise ActionError(
            "bad_dates",
            _("Ngày bế mạc (%(end)s) trước ngày khai mạc (%(start)s).")
            % {"start": starts_on.isoformat(), "end": ends_on.isoformat()},
        )
    if kind not in Congress.Kind.values:
        raise ActionError("bad_kind", _("Không rõ hình thức đại hội “%(kind)s”.") % {"kind": kind})
    _check_seats(total_seats, ex_officio_seats)
    with transaction.atomic():
        if Congress.objects.filter(slug=slug).exists():
            raise ActionError(
                "slug_taken", _("Mã đại hội “%(slug)s” đã được dùng.") % {"slug": slug}, slug=slug
            )
        congress = Congress.objects.create(
            organization=organization,
            slug=slug,
            name=name,
            ordinal=ordinal,
            term_start=term_start,
            term_end=term_end,
            starts_on=starts_on,
            ends_on=ends_on,
            theme=theme,
            venue=venue,
            kind=kind,
            rules=rules,
            total_seats=total_seats,
            ex_officio_seats=ex_officio_seats,
            minimum_seats_per_unit=minimum_seats_per_unit,
        )
        audit.record(
            actor=actor.label,
            action="congress.create",
            congress_id=congress.pk,
            obj=congress,
            after=congress_facts(congress),
        )
    return congress


def _check_seats(total_seats: int, ex_officio_seats: int) -> None:
    if total_seats < 0 or ex_officio_seats < 0:
        raise ActionError("negative_seats", _("Số đại biểu không được là số âm."))
    if ex_officio_seats > total_seats:
        raise ActionError(
            "bad_ex_officio",
            _("Số đại biểu đương nhiên (%(ex)s) lớn hơn tổng số đại biểu (%(total)s).")
            % {"ex": ex_officio_seats, "total": total_seats},
            ex_officio_seats=ex_officio_seats,
            total_seats=total_seats,
        )


def _require_preparation(congress: Congress) -> None:
    if congress.state != Congress.State.PREPARATION:
        raise ActionError(
            "congress_state",
            _("Chỉ được phân bổ đại biểu khi đại hội đang chuẩn bị (hiện: “%(state)s”).")
            % {"state": congress.get_state_display()},
            state=congress.state,
        )


def sub_units(congress: Congress) -> list[Organization]:
    """The units that send delegates: the organization's direct children."""
    return list(Organization.objects.filter(parent=congress.organization_id).order_by("order", "name"))


def allocate_congress_seats(congress: Congress, actor: Actor) -> list[SeatAllocation]:
    """Share the elected seats among the sub-units by member count; replace the stored allocation."""
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        _require_preparation(congress)
        return _allocate(congress, actor)


def _allocate(congress: Congress, actor: Actor) -> list[SeatAllocation]:
    units = sub_units(congress)
    by_code = {unit.code: unit for unit in units}
    if len(by_code) != len(units):  # codes are unique within a parent, but be loud if not
        raise ActionError("duplicate_unit_code", _("Hai chi bộ có cùng mã."))
    try:
        result = allocate_seats(
            {unit.code: unit.member_count for unit in units},
            congress.total_seats,
            ex_officio_seats=congress.ex_officio_seats,
            minimum_per_unit=congress.minimum_seats_per_unit,
        )
    except RuleError as error:
        if error.code == "bad_members" and error.params.get("unit") in by_code:
            # Name the unit as people know it, not by its code.
            error = RuleError(error.code, **{**error.params, "unit": by_code[error.params["unit"]].name})
        raise rule_error(error) from error
    before = list(
        SeatAllocation.objects.filter(congress=congress)
        .order_by("unit__order", "unit__name")
        .values("unit__name", "members", "seats", "quota")
    )
    SeatAllocation.objects.filter(congress=congress).delete()
    rows = SeatAllocation.objects.bulk_create(
        [
            SeatAllocation(
                congress=congress,
                unit=by_code[u.unit],
                members=u.members,
                seats=u.seats,
                quota=f"{u.quota.numerator}/{u.quota.denominator}",
            )
            for u in result.units
        ]
    )
    audit.record(
        actor=actor.label,
        action="congress.allocate_seats",
        congress_id=congress.pk,
        obj=congress,
        before=before,
        after={
            "total_seats": result.total_seats,
            "ex_officio_seats": result.ex_officio_seats,
            "elected_seats": result.elected_seats,
            "units": [
                {"unit": by_code[u.unit].name, "members": u.members, "seats": u.seats, "quota": row.quota}
                for u, row in zip(result.units, rows, strict=True)
            ],
        },
    )
    live.publish(congress)
    return rows


def configure_seats(
    congress: Congress,
    actor: Actor,
    *,
    total_seats: int,
    ex_officio_seats: int,
    minimum_seats_per_unit: int,
    member_counts: Mapping[int, int],
) -> list[SeatAllocation]:
    """Store the seat numbers and each sub-unit's member count, then allocate; all or nothing."""
    _check_seats(total_seats, ex_officio_seats)
    if minimum_seats_per_unit < 0:
        raise ActionError("negative_seats", _("Số đại biểu không được là số âm."))
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        _require_preparation(congress)
        units = {unit.pk: unit for unit in sub_units(congress)}
        unknown = set(member_counts) - set(units)
        if unknown:
            raise ActionError(
                "unknown_unit",
                _("Chi bộ số %(ids)s không thuộc đảng bộ này.")
                % {"ids": ", ".join(str(i) for i in sorted(unknown))},
            )
        for unit_id, members in member_counts.items():
            if members < 0:
                raise ActionError(
                    "negative_count",
                    _("Số đảng viên của %(unit)s không được là số âm (%(members)s).")
                    % {"unit": units[unit_id].name, "members": members},
                    unit=units[unit_id].name,
                    members=members,
                )
        before = {
            "congress": congress_facts(congress),
            "members": {units[i].name: units[i].member_count for i in sorted(units)},
        }
        changed = []
        for unit_id, members in member_counts.items():
            unit = units[unit_id]
            if unit.member_count != members:
                unit.member_count = members
                changed.append(unit)
        Organization.objects.bulk_update(changed, ["member_count"])
        organization = congress.organization
        organization.member_count = sum(unit.member_count for unit in units.values())
        organization.save(update_fields=["member_count"])
        congress.total_seats = total_seats
        congress.ex_officio_seats = ex_officio_seats
        congress.minimum_seats_per_unit = minimum_seats_per_unit
        congress.save(update_fields=["total_seats", "ex_officio_seats", "minimum_seats_per_unit"])
        audit.record(
            actor=actor.label,
            action="congress.configure_seats",
            congress_id=congress.pk,
            obj=congress,
            before=before,
            after={
                "congress": congress_facts(congress),
                "members": {units[i].name: units[i].member_count for i in sorted(units)},
            },
        )
        return _allocate(congress, actor)


def set_congress_state(congress: Congress, state: str, actor: Actor) -> Congress:
    """Open the session (preparation → in_session) or close it (in_session → closed)."""
    if state not in Congress.State.values:
        raise ActionError("bad_state", _("Không rõ trạng thái “%(state)s”.") % {"state": state})
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        current = congress.state
        if current == state:
            raise ActionError(
                "state_unchanged",
                _("Đại hội đã ở trạng thái “%(state)s”.") % {"state": congress.get_state_display()},
                state=state,
            )
        if current == Congress.State.CLOSED:
            raise ActionError(
                "congress_closed", _("Đại hội đã bế mạc, không thể mở lại."), state=current, target=state
            )
        if state not in _NEXT_STATES[current]:
            raise ActionError(
                "bad_state_transition",
                _("Không thể chuyển đại hội từ “%(current)s” sang “%(target)s”.")
                % {"current": congress.get_state_display(), "target": Congress.State(state).label},
                state=current,
                target=state,
            )
        congress.state = state
        congress.save(update_fields=["state"])
        audit.record(
            actor=actor.label,
            action="congress.set_state",
            congress_id=congress.pk,
            obj=congress,
            before={"state": current},
            after={"state": state},
        )
        live.publish(congress)
    return congress


def grant_role(congress: Congress, user: Any, role: str, actor: Actor) -> StaffRole:
    """Give a staff user a role in the congress (idempotent: granting twice keeps one role)."""
    if role not in StaffRole.Role.values:
        raise ActionError(
            "unknown_role",
            _("Không rõ vai trò “%(role)s” (có: %(known)s).")
            % {"role": role, "known": ", ".join(StaffRole.Role.values)},
            role=role,
        )
    with transaction.atomic():
        staff_role, created = StaffRole.objects.get_or_create(user=user, congress=congress, role=role)
        if created:
            audit.record(
                actor=actor.label,
                action="congress.grant_role",
                congress_id=congress.pk,
                obj=staff_role,
                after={"user": user.get_username(), "role": role},
            )
    return staff_role


def record_delegate_sign_in(delegate: Delegate, *, via: str) -> None:
    """Audit a delegate signing in with the card (`via` = 'card' for the QR link, 'typed' for the form)."""
    with transaction.atomic():
        audit.record(
            actor=Actor(roles=frozenset({Role.DELEGATE}), delegate=delegate).label,
            action="delegate.sign_in",
            congress_id=delegate.congress_id,
            obj=delegate,
            after={"via": via},
        )
