"""The list (P6.3–6, P7, P8, P10): the committee's list, floor nominations, withdrawals, the surplus,
the motion adopting the list, and ballot order with codes c01… fixed at adoption."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Delegate
from daihoi.rules.errors import RuleError
from daihoi.rules.nomination import SurplusCheck, check_list_surplus, check_nomination
from daihoi.rules.rulesets import get_ruleset
from daihoi.voting.actions.counting import ballot_places, in_ballot_order
from daihoi.voting.actions.elections.setup import (
    PENDING,
    M,
    _locked,
    _record,
    _require_preparing,
    _require_seats,
    candidate_facts,
    election_facts,
)
from daihoi.voting.actions.motions import create_motion
from daihoi.voting.models import Candidate, CountingMember, Election, Motion


def _new_code() -> str:
    return "n" + secrets.token_hex(6)


def add_candidate(
    election: Election,
    *,
    actor: Actor,
    source: str,
    delegate: Delegate | None = None,
    full_name: str = "",
    nominator: Delegate | None = None,
    note: str = "",
) -> Candidate:
    """P6.3–4. The committee's list goes on the list; a floor nominee or self-nominee waits for the
    `floor_nominee` motion (P7). Convening-committee members nominate only from the committee's list."""
    if source not in (Candidate.Source.COMMITTEE, Candidate.Source.FLOOR, Candidate.Source.SELF):
        raise ActionError("bad_source", _("Không rõ nguồn giới thiệu “%(source)s”.") % {"source": source})
    with transaction.atomic():
        e = _locked(election)
        _require_preparing(e)
        _require_seats(e)
        if delegate is not None and delegate.congress_id != e.congress_id:
            raise ActionError("wrong_congress", _("Đại biểu này thuộc đại hội khác."))
        name = " ".join((delegate.full_name if delegate else full_name or "").split())
        if not name:
            raise ActionError(
                "name_required", _("Cần chọn đại biểu hoặc nhập họ và tên người được giới thiệu.")
            )
        if source == Candidate.Source.SELF:
            if delegate is None:
                raise ActionError("self_needs_delegate", _("Người ứng cử phải là đại biểu dự đại hội."))
            nominator = delegate
        if source == Candidate.Source.FLOOR and nominator is None:
            raise ActionError("nominator_required", _("Cần ghi đại biểu đề cử."))
        if nominator is not None and nominator.congress_id != e.congress_id:
            raise ActionError("wrong_congress", _("Đại biểu đề cử thuộc đại hội khác."))
        live_rows = e.candidates.exclude(
            status__in=[Candidate.Status.WITHDRAWN, Candidate.Status.NOT_ADMITTED]
        )
        if delegate is not None and live_rows.filter(delegate=delegate).exists():
            raise ActionError(
                "already_nominated", _("%(name)s đã có tên trong danh sách giới thiệu.") % {"name": name}
            )
        if delegate is not None and CountingMember.objects.filter(election=e, delegate=delegate).exists():
            raise ActionError(
                "candidate_on_counting_committee",
                _("%(name)s là thành viên Ban Kiểm phiếu nên không thể ứng cử.") % {"name": name},
            )
        if (
            source != Candidate.Source.COMMITTEE
            and get_ruleset(e.congress.rules).convening_committee_list_only
        ):
            try:
                check_nomination(
                    nominator_in_convening_committee=bool(nominator and nominator.is_convening_committee),
                    nominee_on_committee_list=False,
                    nominee_in_convening_committee=bool(delegate and delegate.is_convening_committee),
                )
            except RuleError as err:
                raise rule_error(err) from err
        status = (
            Candidate.Status.ON_LIST if source == Candidate.Source.COMMITTEE else Candidate.Status.NOMINATED
        )
        c = Candidate.objects.create(
            election=e,
            code=_new_code(),
            full_name=name,
            delegate=delegate,
            source=source,
            status=status,
            note=note[:300],
        )
        _record(
            actor,
            "candidate.added",
            c,
            e.congress_id,
            after={**candidate_facts(c), "nominator": nominator.number if nominator else None},
        )
        if source != Candidate.Source.COMMITTEE:
            how = _("đề cử") if source == Candidate.Source.FLOOR else _("ứng cử")
            create_motion(
                e.congress,
                actor=actor,
                kind=M.FLOOR_NOMINEE,
                election=e,
                candidate=c,
                payload={"candidate": c.pk, "nominator": nominator.number if nominator else None},
                title=_("Đưa %(name)s (%(how)s tại đại hội) vào danh sách bầu cử %(title)s")
                % {"name": name, "how": how, "title": e.title},
            )
        live.publish(e.congress)
    return c


def request_withdrawal(candidate: Candidate, *, actor: Actor, reason: str = "") -> Motion:
    """P6.5: a withdrawal request, decided by the congress by motion."""
    with transaction.atomic():
        e = _locked(candidate.election)
        _require_preparing(e)
        c = Candidate.objects.get(pk=candidate.pk)
        if c.status != Candidate.Status.ON_LIST:
            raise ActionError(
                "candidate_not_on_list",
                _("%(name)s không có trong danh sách bầu cử.") % {"name": c.full_name},
            )
        if c.motions.filter(kind=M.WITHDRAWAL, status__in=PENDING).exists():
            raise ActionError(
                "motion_pending", _("Đơn xin rút của %(name)s đang chờ biểu quyết.") % {"name": c.full_name}
            )
        reason = " ".join((reason or "").split())
        title = _("Cho %(name)s rút khỏi danh sách bầu cử %(title)s") % {
            "name": c.full_name,
            "title": e.title,
        }
        if reason:
            title = f"{title} ({reason})"
        return create_motion(
            e.congress,
            actor=actor,
            kind=M.WITHDRAWAL,
            election=e,
            candidate=c,
            payload={"candidate": c.pk, "reason": reason},
            title=title[:500],
        )


# --- 6. the surplus ---------------------------------------------------------------------------


def on_list(e: Election) -> list[Candidate]:
    return list(e.candidates.filter(status=Candidate.Status.ON_LIST))


def check_list(e: Election) -> SurplusCheck:
    """P8 through the core, by the congress's rule set: refused with the numbers when the list is too short
    or (where the rule set caps the surplus) too long."""
    seats = _require_seats(e)
    try:
        return check_list_surplus(
            e.congress.rules, candidates=len(on_list(e)), seats=ballot_places(e) or seats
        )
    except RuleError as err:
        raise rule_error(err) from err


def list_warnings(e: Election) -> list[str]:
    """P8: the committee's own list outside a 10–15% surplus is a warning, never a refusal."""
    if e.seats is None:
        return []
    committee = e.candidates.filter(source=Candidate.Source.COMMITTEE).exclude(
        status__in=[Candidate.Status.WITHDRAWN, Candidate.Status.NOT_ADMITTED]
    )
    n = committee.count()
    if not n:
        return []
    try:
        found = check_list_surplus(
            e.congress.rules, candidates=n, seats=ballot_places(e), is_committee_list=True
        )
    except RuleError as err:
        return [_("Danh sách của cấp ủy: %(message)s") % {"message": err.message}]
    return [w.message for w in found.warnings]


# --- 8. the list ------------------------------------------------------------------------------


def propose_list(election: Election, *, actor: Actor, method: str = Motion.Method.SHOW_OF_HANDS) -> Motion:
    """P6.6: the motion adopting the list, once every nomination and withdrawal is decided and P8 holds."""
    with transaction.atomic():
        e = _locked(election)
        _require_preparing(e)
        _check_ready_for_list(e)
        if e.motions.filter(kind=M.CANDIDATE_LIST, status__in=PENDING).exists():
            raise ActionError("motion_pending", _("Đề nghị thông qua danh sách đang chờ biểu quyết."))
        ids = [c.pk for c in on_list(e)]
        return create_motion(
            e.congress,
            actor=actor,
            kind=M.CANDIDATE_LIST,
            method=method,
            election=e,
            payload={"candidates": ids},
            title=_("Thông qua danh sách bầu cử %(title)s: %(n)s người") % {"title": e.title, "n": len(ids)},
        )


def _check_ready_for_list(e: Election) -> SurplusCheck:
    _require_seats(e)
    pending = e.motions.filter(kind__in=[M.FLOOR_NOMINEE, M.WITHDRAWAL, M.SEATS], status__in=PENDING)
    if pending.filter(kind=M.FLOOR_NOMINEE).exists():
        raise ActionError(
            "pending_nominations", _("Còn người được đề cử/ứng cử chưa được biểu quyết đưa vào danh sách.")
        )
    if pending.filter(kind=M.WITHDRAWAL).exists():
        raise ActionError("pending_withdrawals", _("Còn đơn xin rút chưa được biểu quyết."))
    return check_list(e)


def _approve_list(e: Election, actor: Actor, motion: Motion) -> None:
    """P10: ballot order by the core's Vietnamese name key (given name first), codes c01… in that order."""
    current = in_ballot_order(on_list(e))
    expected = sorted((motion.payload or {}).get("candidates", []))
    if sorted(c.pk for c in current) != expected:
        raise ActionError(
            "list_changed", _("Danh sách đã thay đổi sau khi đưa ra biểu quyết; cần biểu quyết lại.")
        )
    _order_and_code(e, current)
    before = election_facts(e)
    e.status = Election.Status.LIST_APPROVED
    e.save(update_fields=["status"])
    _record(
        actor,
        "election.list_approved",
        e,
        e.congress_id,
        before,
        {**election_facts(e), "list": [(c.code, c.full_name) for c in current], "motion": motion.pk},
    )


def _order_and_code(e: Election, ordered: list[Candidate]) -> None:
    for c in e.candidates.all():  # free the c01… codes first: they are unique per election
        c.code = f"x{c.pk}"
        c.ballot_position = 0
        c.save(update_fields=["code", "ballot_position"])
    for position, c in enumerate(ordered, start=1):
        c.code = f"c{position:02d}"
        c.ballot_position = position
        c.save(update_fields=["code", "ballot_position"])
