"""The news page: what the congress did, composed from its data (nothing typed twice).

Dates and venue; the delegates present out of those convened and the members they represent; the guests;
the documents approved (motions that passed); the general goal, targets and key tasks adopted; and the
elected, committee by committee (certified elections only), with the delegation.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from daihoi.congress.attendance import attendance
from daihoi.congress.models import Congress, Delegate
from daihoi.term import actions
from daihoi.term.models import KeyTask
from daihoi.voting.models import Election, Motion


def _date(d: Any) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def present_at_congress(congress: Congress) -> int:
    """Delegates present at the congress: the official delegates who checked in (even if they left
    since), or, when more, the most present at any vote it closed (a congress run on paper records
    attendance only there)."""
    checked_in = (
        Delegate.objects.filter(
            congress=congress, standing=Delegate.Standing.OFFICIAL, checked_in_at__isnull=False
        )
        .exclude(credential=Delegate.Credential.REJECTED)
        .count()
    )
    at_votes = (
        Motion.objects.filter(congress=congress, status=Motion.Status.CLOSED).aggregate(m=Max("present"))["m"]
        or 0
    )
    return max(checked_in, at_votes, attendance(congress).present)


def compose(congress: Congress) -> dict[str, Any]:
    from daihoi.term.documents import target_text

    figures = attendance(congress)
    present = present_at_congress(congress)
    resolution = actions.resolution_of(congress)
    adopted = actions.resolution_state(resolution) == actions.State.ADOPTED
    if congress.starts_on == congress.ends_on:
        when = _("Ngày %(d)s") % {"d": _date(congress.starts_on)}
    else:
        when = _("Từ ngày %(a)s đến ngày %(b)s") % {
            "a": _date(congress.starts_on),
            "b": _date(congress.ends_on),
        }
    where = f", {congress.venue}" if congress.venue else ""
    documents = [
        m.title
        for m in Motion.objects.filter(congress=congress, status=Motion.Status.CLOSED, is_passed=True)
        .exclude(kind__in=[Motion.Kind.WITHDRAWAL, Motion.Kind.FLOOR_NOMINEE])
        .order_by("closed_at", "id")
    ]
    elected = []
    for e in Election.objects.filter(congress=congress, status=Election.Status.CERTIFIED).order_by("id"):
        result = e.result or {}
        by_id = {c["id"]: c["name"] for c in result.get("candidates", [])}
        elected.append(
            {
                "title": e.title,
                "kind": e.kind,
                "names": [by_id.get(cid, cid) for cid in result.get("elected", [])],
                "alternates": [by_id.get(cid, cid) for cid in result.get("elected_alternates", [])],
            }
        )
    return {
        "headline": _("%(name)s thành công tốt đẹp") % {"name": congress.name},
        "when_where": f"{when}{where}, " + _("%(name)s đã diễn ra.") % {"name": congress.name},
        "attendance_line": _(
            "Dự đại hội có %(present)s/%(convened)s đại biểu được triệu tập, đại diện cho %(members)s đảng viên "
            "của %(org)s."
        )
        % {
            "present": present,
            "convened": figures.convened,
            "members": congress.organization.member_count,
            "org": congress.organization.name,
        },
        "present": present,
        "convened": figures.convened,
        "members": congress.organization.member_count,
        "guests": [f"{g.full_name} ({g.title})" if g.title else g.full_name for g in congress.guests.all()],
        "documents": documents,
        "is_adopted": adopted,
        "general_goal": resolution.general_goal if adopted else "",
        "targets": [f"{t.number}. {target_text(t)}" for t in actions.own_targets(congress)]
        if adopted
        else [],
        "key_tasks": [f"{k.number}. {k.text}" for k in KeyTask.objects.filter(congress=congress)]
        if adopted
        else [],
        "elected": elected,
    }
