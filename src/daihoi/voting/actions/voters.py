"""P1 in the voting actions: one check, one error code (`may_not_vote`), over the one predicate
`Delegate.may_vote` (which asks the rules core). Casting, motions and "who has not voted" all use it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate

VOTER_RELATED = ("congress", "replaces")


def voters_query(congress_id: int) -> QuerySet[Delegate]:
    """The delegates whose P1 answer depends on their own row, with what the predicate reads."""
    return Delegate.objects.filter(congress_id=congress_id).select_related(*VOTER_RELATED)


def check_may_vote(congress_id: int, delegate: Delegate | None, *, refresh: bool = False) -> Delegate:
    """The delegate, if P1 lets them vote now in this congress; else `may_not_vote` saying why.
    `refresh` re-reads the row first (a check-out since the page was served must count)."""
    if delegate is None:
        raise ActionError(
            "may_not_vote", _("Chỉ đại biểu chính thức mới được biểu quyết; khách mời không biểu quyết.")
        )
    if delegate.congress_id != congress_id:
        raise ActionError("wrong_congress", _("Thẻ đại biểu này thuộc đại hội khác."))
    if refresh:
        delegate = voters_query(congress_id).get(pk=delegate.pk)
    if delegate.may_vote:
        return delegate
    if delegate.credential == Delegate.Credential.REJECTED:
        message = _("Tư cách đại biểu không được công nhận nên không bỏ phiếu.")
    elif delegate.attendance != Delegate.Attendance.PRESENT:
        message = _("Bạn cần điểm danh có mặt tại hội trường trước khi bỏ phiếu.")
    elif delegate.role == "alternate":
        message = _("Đại biểu dự khuyết chưa thay đại biểu chính thức thì không bỏ phiếu.")
    else:
        message = _("Đảng viên dự bị không biểu quyết.")
    raise ActionError("may_not_vote", message, attendance=delegate.attendance)


def voters_not_in(congress_id: int, voted_ids: set[int]) -> list[Delegate]:
    """Those P1 lets vote now (the same predicate, row by row) who are not in `voted_ids`, by number."""
    present = (
        voters_query(congress_id).filter(attendance=Delegate.Attendance.PRESENT).exclude(pk__in=voted_ids)
    )
    return [d for d in present.select_related("unit").order_by("number") if d.may_vote]


def replace_absent_official(alternate: Delegate, official: Delegate, *, actor: Actor) -> Delegate:
    """P1: record that `alternate` replaces `official`, absent (excused) for the whole congress; from
    then on the alternate votes. One replacement each way; refused once the congress has closed."""
    with transaction.atomic():
        pair = (
            Delegate.objects.select_for_update()
            .select_related("congress")
            .in_bulk([alternate.pk, official.pk])
        )
        alt, off = pair.get(alternate.pk), pair.get(official.pk)
        if alt is None or off is None or alt.congress_id != off.congress_id:
            raise ActionError("wrong_congress", _("Thẻ đại biểu này thuộc đại hội khác."))
        if alt.congress.state == Congress.State.CLOSED:
            raise ActionError("congress_closed", _("Đại hội đã bế mạc, không thể thay đổi danh sách."))
        if alt.congress.kind != Congress.Kind.DELEGATES or off.is_convening_committee:
            # P2 counts an absent convening-committee member apart; a congress of all members has none.
            raise ActionError(
                "not_replaceable",
                _("%(name)s không thuộc diện có đại biểu dự khuyết thay.") % {"name": off.full_name},
            )
        if alt.standing != Delegate.Standing.ALTERNATE or off.standing != Delegate.Standing.OFFICIAL:
            raise ActionError(
                "not_a_replacement",
                _("Chỉ đại biểu dự khuyết thay được đại biểu chính thức (%(alternate)s, %(official)s).")
                % {"alternate": alt.full_name, "official": off.full_name},
            )
        if off.attendance != Delegate.Attendance.EXCUSED:
            raise ActionError(
                "official_not_absent",
                _("%(name)s chưa được ghi vắng mặt có lý do; chỉ thay đại biểu vắng mặt suốt đại hội.")
                % {"name": off.full_name},
            )
        taken = Delegate.objects.filter(replaces=off).exclude(pk=alt.pk).first()
        if taken is not None or (alt.replaces_id not in (None, off.pk)):
            raise ActionError(
                "already_replaced",
                _("Đã ghi việc thay thế cho %(name)s.") % {"name": (off if taken else alt).full_name},
            )
        alt.replaces = off
        alt.save(update_fields=["replaces"])
        audit.record(
            actor=actor.label,
            action="delegate.replaces",
            congress_id=alt.congress_id,
            obj=alt,
            after={"alternate": alt.number, "official": off.number},
        )
        live.publish(alt.congress)
    return alt
