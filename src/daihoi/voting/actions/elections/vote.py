"""The vote (P6.8): open (N and those present fixed), close; and the presidium's view of P6's steps."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.rules.procedure import ELECTION_STEPS, election_steps
from daihoi.voting.actions import evote
from daihoi.voting.actions.elections.committee import _check_committee_members
from daihoi.voting.actions.elections.setup import (
    PENDING,
    M,
    _check_casting,
    _locked,
    _record,
    _require,
    election_facts,
)
from daihoi.voting.actions.vote_quorum import (
    check_quorum,
    congress_base,
    present_voters,
    record_quorum_override,
)
from daihoi.voting.models import Candidate, CountingMember, Election
from daihoi.voting.templatetags.daihoi_labels import step_label


def open_election(election: Election, *, actor: Actor, quorum_override: bool = False) -> Election:
    """Open the vote: the list is approved, the counting committee has a head, the quorum is met (P3, or
    overridden where the rule set allows, recorded); N (with its explanation) and those present are fixed
    now. Paper ballots issued are entered by the counting committee later."""
    with transaction.atomic():
        e = _locked(election)
        congress = e.congress
        if congress.state != Congress.State.IN_SESSION:
            raise ActionError("not_in_session", _("Chỉ bỏ phiếu khi đại hội đang họp."))
        if e.status == Election.Status.PREPARING:
            raise ActionError(
                "list_not_approved",
                _("Đại hội chưa thông qua danh sách bầu cử “%(title)s”.") % {"title": e.title},
            )
        _require(e, Election.Status.LIST_APPROVED)
        members = list(CountingMember.objects.filter(election=e))
        if not members:
            raise ActionError(
                "counting_committee_missing",
                _("Đại hội chưa bầu Ban Kiểm phiếu cho “%(title)s”.") % {"title": e.title},
            )
        if not any(m.is_head for m in members):
            raise ActionError("counting_head_missing", _("Ban Kiểm phiếu chưa có trưởng ban."))
        _check_committee_members(e, [m.delegate for m in members])
        _check_casting(congress, e.allows_paper, e.allows_electronic)
        override = check_quorum(congress, override=quorum_override)
        if evote.needs_key(e):  # issue 10: no electronic secret ballot before the committee's key exists
            evote.require_key(e)
        base = congress_base(congress)
        before = election_facts(e)
        e.base, e.base_explanation = base.value, base.explain()
        e.present_at_vote = present_voters(congress)
        e.opened_at = timezone.now()
        e.status = Election.Status.OPEN
        e.save(update_fields=["base", "base_explanation", "present_at_vote", "opened_at", "status"])
        _record(
            actor,
            "election.opened",
            e,
            congress.pk,
            before,
            {**election_facts(e), "base_explanation": e.base_explanation},
        )
        if override is not None:
            record_quorum_override(actor, e, congress.pk, override)
        live.publish(congress)
    return e


def close_election(election: Election, *, actor: Actor) -> Election:
    """Close the vote: from now no electronic ballot is accepted (casting locks the election row and
    checks the status). Counting and certification follow (`voting.actions.counting`)."""
    with transaction.atomic():
        e = _locked(election)
        if e.status != Election.Status.OPEN:
            raise ActionError(
                "election_not_open", _("Cuộc bầu cử “%(title)s” không đang mở.") % {"title": e.title}
            )
        before = election_facts(e)
        e.status = Election.Status.CLOSED
        e.closed_at = timezone.now()
        e.save(update_fields=["status", "closed_at"])
        _record(
            actor, "election.closed", e, e.congress_id, before,
            {**election_facts(e), "electronic_participants": e.participations.count()},
        )  # fmt: skip
        live.publish(e.congress)
    return e


# --- the presidium's page ---------------------------------------------------------------------


def workflow(e: Election) -> list[dict[str, Any]]:
    """P6's steps with what is done, for the presidium's page (labels from the core)."""
    motions = list(e.motions.all())
    statuses = [
        Election.Status.LIST_APPROVED,
        Election.Status.OPEN,
        Election.Status.CLOSED,
        Election.Status.CERTIFIED,
    ]
    approved = e.status in statuses
    candidates = list(e.candidates.all())
    pending = {m.kind for m in motions if m.status in PENDING}
    done = {
        "report_standards": True,
        "vote_seats": e.seats is not None,
        "committee_list": any(c.source == Candidate.Source.COMMITTEE for c in candidates) or e.round > 1,
        "floor_nominations": approved or (bool(candidates) and M.FLOOR_NOMINEE not in pending and any(m.kind == M.CANDIDATE_LIST for m in motions)),
        "decide_withdrawals": approved or (M.WITHDRAWAL not in pending and any(m.kind == M.CANDIDATE_LIST for m in motions)),
        "adopt_list": approved,
        "elect_counting_committee": CountingMember.objects.filter(election=e).exists(),
        "vote_and_count": e.status == Election.Status.CERTIFIED,
    }  # fmt: skip
    labels = dict(ELECTION_STEPS)
    return [
        {"code": code, "label": step_label(code, labels[code]), "done": done[code]}
        for code in election_steps(is_delegation=e.kind == Election.Kind.DELEGATION)
    ]
