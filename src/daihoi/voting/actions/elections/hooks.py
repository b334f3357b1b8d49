"""What a closed election motion does, registered with the motions (`register_motion_kinds`), so the
motions never import the elections: the step it belongs to must be open to it, and its decision is carried
out in the close's transaction."""

from __future__ import annotations

from django.utils.translation import gettext as _

from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Delegate
from daihoi.voting.actions.elections.candidates import _approve_list, _check_ready_for_list, on_list
from daihoi.voting.actions.elections.committee import _check_committee_members
from daihoi.voting.actions.elections.rounds import create_next_round
from daihoi.voting.actions.elections.setup import (
    M,
    _locked,
    _record,
    _require,
    _require_preparing,
    candidate_facts,
    election_facts,
)
from daihoi.voting.actions.motions import MotionKindHooks, register_motion_kinds
from daihoi.voting.models import Candidate, CountingMember, Election, Motion


def check_motion_may_open(motion: Motion) -> None:
    """Called by `open_motion`: the election step the motion belongs to must still be open to it."""
    e = Election.objects.select_related("congress").get(pk=motion.election_id)
    kind = motion.kind
    if kind == M.NEXT_ROUND:
        _require(e, Election.Status.CERTIFIED)
        return
    if kind == M.COUNTING_COMMITTEE:
        _require(e, Election.Status.PREPARING, Election.Status.LIST_APPROVED)
        members = list(Delegate.objects.filter(pk__in=(motion.payload or {}).get("members", [])))
        _check_committee_members(e, members)
        return
    _require_preparing(e)
    if kind == M.SEATS and e.seats is not None:
        raise ActionError(
            "seats_already_set", _("Đại hội đã biểu quyết số lượng cần bầu: %(seats)s.") % {"seats": e.seats}
        )
    if kind == M.CANDIDATE_LIST:
        _check_ready_for_list(e)
        ids = sorted(c.pk for c in on_list(e))
        if ids != sorted((motion.payload or {}).get("candidates", [])):
            raise ActionError(
                "list_changed", _("Danh sách đã thay đổi sau khi đưa ra biểu quyết; cần đề nghị lại.")
            )
    if kind == M.WITHDRAWAL and motion.candidate and motion.candidate.status != Candidate.Status.ON_LIST:
        raise ActionError(
            "candidate_not_on_list",
            _("%(name)s không có trong danh sách bầu cử.") % {"name": motion.candidate.full_name},
        )
    if kind == M.FLOOR_NOMINEE and motion.candidate and motion.candidate.status != Candidate.Status.NOMINATED:
        raise ActionError(
            "nominee_decided", _("Đã biểu quyết về %(name)s.") % {"name": motion.candidate.full_name}
        )


def apply_motion(motion: Motion, actor: Actor) -> None:
    """Called by `close_motion` inside its transaction: carry out what a closed election motion decided."""
    e = _locked(Election(pk=motion.election_id))
    kind, passed, payload = motion.kind, bool(motion.is_passed), motion.payload or {}
    if kind == M.SEATS and passed:
        before = election_facts(e)
        e.seats = int(payload["seats"])
        e.save(update_fields=["seats"])
        _record(
            actor, "election.seats_set", e, e.congress_id, before, {**election_facts(e), "motion": motion.pk}
        )
    elif kind in (M.FLOOR_NOMINEE, M.WITHDRAWAL) and motion.candidate_id is not None:
        c = Candidate.objects.select_for_update().get(pk=motion.candidate_id)
        before = candidate_facts(c)
        if kind == M.FLOOR_NOMINEE:
            c.status = Candidate.Status.ON_LIST if passed else Candidate.Status.NOT_ADMITTED
        elif passed:
            c.status = Candidate.Status.WITHDRAWN
        else:
            return
        c.save(update_fields=["status"])
        _record(
            actor, "candidate.status", c, e.congress_id, before, {**candidate_facts(c), "motion": motion.pk}
        )
    elif kind == M.COUNTING_COMMITTEE and passed:
        members = payload.get("members", [])
        head = payload.get("head")
        for pk in members:
            CountingMember.objects.create(election=e, delegate_id=pk, is_head=pk == head)
        _record(
            actor,
            "election.counting_committee",
            e,
            e.congress_id,
            None,
            {"members": members, "head": head, "motion": motion.pk},
        )
    elif kind == M.CANDIDATE_LIST and passed:
        _approve_list(e, actor, motion)
    elif kind == M.NEXT_ROUND and passed:
        create_next_round(e, actor=actor, motion=motion)


register_motion_kinds(
    Motion.Kind.values, MotionKindHooks(check_may_open=check_motion_may_open, apply=apply_motion)
)
