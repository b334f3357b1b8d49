"""The counting committee (P6.7, P9): delegates not on the list, with a head, elected by motion."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Delegate
from daihoi.rules.errors import RuleError
from daihoi.rules.nomination import check_counting_committee
from daihoi.voting.actions.elections.setup import PENDING, M, _locked, _require
from daihoi.voting.actions.motions import create_motion
from daihoi.voting.models import Candidate, CountingMember, Election, Motion


def _check_committee_members(e: Election, members: list[Delegate]) -> None:
    candidates = [
        str(pk)
        for pk in e.candidates.exclude(status__in=[Candidate.Status.WITHDRAWN, Candidate.Status.NOT_ADMITTED])
        .exclude(delegate=None)
        .values_list("delegate_id", flat=True)
    ]
    try:
        check_counting_committee([str(d.pk) for d in members], candidates)
    except RuleError as err:
        clash = {int(pk) for pk in err.params.get("names", [])}
        names = [d.full_name for d in members if d.pk in clash]
        raise ActionError(
            "candidate_on_counting_committee",
            _("Thành viên Ban Kiểm phiếu không được có tên trong danh sách bầu cử: %(names)s")
            % {"names": ", ".join(names)},
            names=names,
        ) from err


def propose_counting_committee(
    election: Election,
    *,
    actor: Actor,
    members: list[Delegate],
    head: Delegate | None,
    method: str = Motion.Method.SHOW_OF_HANDS,
) -> Motion:
    """P6.7, P9: a motion electing the counting committee (delegates not on the list, one head)."""
    with transaction.atomic():
        e = _locked(election)
        _require(e, Election.Status.PREPARING, Election.Status.LIST_APPROVED)
        if CountingMember.objects.filter(election=e).exists():
            raise ActionError(
                "counting_committee_exists", _("Ban Kiểm phiếu của cuộc bầu cử này đã được bầu.")
            )
        if e.motions.filter(kind=M.COUNTING_COMMITTEE, status__in=PENDING).exists():
            raise ActionError("motion_pending", _("Đề nghị về Ban Kiểm phiếu đang chờ biểu quyết."))
        unique = list({d.pk: d for d in members}.values())
        if not unique:
            raise ActionError("counting_committee_empty", _("Cần chọn thành viên Ban Kiểm phiếu."))
        if any(d.congress_id != e.congress_id for d in unique):
            raise ActionError("wrong_congress", _("Có thành viên thuộc đại hội khác."))
        if head is None or head.pk not in {d.pk for d in unique}:
            raise ActionError(
                "counting_head_required", _("Cần chọn Trưởng Ban Kiểm phiếu trong số các thành viên.")
            )
        _check_committee_members(e, unique)
        names = ", ".join(d.full_name for d in sorted(unique, key=lambda d: d.pk != head.pk))
        return create_motion(
            e.congress,
            actor=actor,
            kind=M.COUNTING_COMMITTEE,
            method=method,
            election=e,
            payload={"members": [d.pk for d in unique], "head": head.pk},
            title=(_("Ban Kiểm phiếu %(title)s: %(names)s (trưởng ban: %(head)s)")
                   % {"title": e.title, "names": names, "head": head.full_name})[:500],
        )  # fmt: skip
