"""The steps every hall action repeats, written once: lock the congress, guard its state, lock the row
it changes, then save, audit and publish. An action reads as its own rule between these steps:

    with transaction.atomic():
        congress = lock_congress(congress)
        require_in_session(congress, _("Chỉ ... khi đại hội đang họp (hiện: “%(state)s”)."))
        item = locked_row(AgendaItem.objects.filter(congress=congress), item, "item_not_found", _("..."))
        before = item_facts(item)
        item.status = ...
        return commit_change(congress, item, actor, "agenda.finish", before, item_facts(item), ["status"])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress

Row = TypeVar("Row", bound=models.Model)


def lock_congress(congress: Congress) -> Congress:
    """The congress row, locked for the rest of the transaction (its state cannot change under us)."""
    return Congress.objects.select_for_update().get(pk=congress.pk)


def require_in_session(congress: Congress, message: str) -> None:
    """Refuse with `not_in_session` unless the congress is in session; `message` may use %(state)s."""
    if congress.state != Congress.State.IN_SESSION:
        raise ActionError(
            "not_in_session",
            message % {"state": congress.get_state_display()},
            state=congress.state,
        )


def locked_row(
    rows: models.QuerySet[Row], row: Row | int, code: str, message: str, *, of_self: bool = False
) -> Row:
    """`row` (or its id) among `rows`, locked; else ActionError(`code`) with `message` (may use %(id)s).
    `of_self` locks only this table's row (PostgreSQL cannot lock the nullable side of outer joins)."""
    row_id = row if isinstance(row, int) else row.pk
    locking = rows.select_for_update(of=("self",)) if of_self else rows.select_for_update()
    found = locking.filter(pk=row_id).first()
    if found is None:
        raise ActionError(code, message % {"id": row_id}, id=row_id)
    return found


def commit_change(
    congress: Congress,
    obj: Row,
    actor: Actor,
    action: str,
    before: Any,
    after: Any,
    fields: list[str] | None = None,
    *,
    publish: Callable[[Congress], None] = live.publish,
) -> Row:
    """Save `fields` of `obj` (none: already written), append the audit entry, and publish the live
    state once the transaction commits (`publish`: or the event of a change of attendance, say).
    Call inside the action's transaction."""
    if fields:
        obj.save(update_fields=fields)
    audit.record(
        actor=actor.label, action=action, congress_id=congress.pk, obj=obj, before=before, after=after
    )
    publish(congress)
    return obj


def commit_attendance_change(
    congress: Congress,
    obj: Row,
    actor: Actor,
    action: str,
    before: Any,
    after: Any,
    fields: list[str] | None = None,
) -> Row:
    """`commit_change` for a check-in, check-out, excuse or guest's arrival: what it publishes is the
    small attendance event, not the whole state."""
    return commit_change(congress, obj, actor, action, before, after, fields, publish=live.attendance_changed)
