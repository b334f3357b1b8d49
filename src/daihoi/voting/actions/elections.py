"""The election workflow (P6), step by step, each step recorded in the audit chain.

1. create the election (proposed seats; a delegation's seats and alternates are allocated from above);
2. the motion on the number to elect (`seats`) sets `election.seats`;
3. the outgoing committee's list (`Candidate.Source.COMMITTEE`);
4. floor nominations and self-nominations, each admitted by a `floor_nominee` motion (P7);
5. withdrawal requests, each decided by a `withdrawal` motion;
6. the surplus check (P8) through the rules core;
7. the counting committee elected by a `counting_committee` motion (P9);
8. the list approved by a `candidate_list` motion: ballot order (P10) and codes c01… are fixed;
9. open the vote (N and those present are fixed), close it; counting and certification are part C's;
   when the certified result leaves seats open, a `next_round` motion creates the next round.

Every refusal is an `ActionError` with a stable code; rules-core refusals keep the core's code.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.models import AgendaItem, Congress, Delegate
from daihoi.rules.casting import electronic_casting_allowed
from daihoi.rules.errors import RuleError
from daihoi.rules.nomination import SurplusCheck, check_counting_committee, check_nomination, check_surplus
from daihoi.rules.procedure import ELECTION_STEPS, election_steps
from daihoi.rules.rulesets import get_ruleset
from daihoi.voting.actions.counting import alternates_on_ballot, ballot_places, in_ballot_order
from daihoi.voting.actions.motions import (
    MotionKindHooks,
    congress_base,
    create_motion,
    present_voters,
    register_motion_kinds,
)
from daihoi.voting.models import Candidate, CountingMember, Election, Motion

M = Motion.Kind
PENDING = (Motion.Status.DRAFT, Motion.Status.OPEN)


# --- facts -----------------------------------------------------------------------------------------


def election_facts(e: Election) -> dict[str, Any]:
    return {
        "title": e.title,
        "kind": e.kind,
        "status": e.status,
        "seats": e.seats,
        "alternates": e.alternates,
        "delegation_mode": e.delegation_mode,
        "round": e.round,
        "allows_paper": e.allows_paper,
        "allows_electronic": e.allows_electronic,
        "is_verifiable": e.is_verifiable,
        "base": e.base,
        "present_at_vote": e.present_at_vote,
    }


def candidate_facts(c: Candidate) -> dict[str, Any]:
    return {
        "full_name": c.full_name,
        "delegate": c.delegate_id,
        "source": c.source,
        "status": c.status,
        "code": c.code,
        "ballot_position": c.ballot_position,
    }


def _record(
    actor: Actor, action: str, obj: Any, congress_id: int, before: Any = None, after: Any = None
) -> None:
    audit.record(
        actor=actor.label, action=action, congress_id=congress_id, obj=obj, before=before, after=after
    )


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("congress").get(pk=election.pk)


def _require(e: Election, *statuses: str, code: str = "election_state") -> None:
    if e.status not in statuses:
        raise ActionError(
            code,
            _("Không thể thực hiện khi cuộc bầu cử “%(title)s” ở trạng thái “%(status)s”.")
            % {"title": e.title, "status": e.get_status_display()},
            status=e.status,
        )


def _require_preparing(e: Election) -> None:
    if e.status != Election.Status.PREPARING:
        raise ActionError(
            "list_locked",
            _("Danh sách của “%(title)s” đã được thông qua; không thể thay đổi (trạng thái: %(status)s).")
            % {"title": e.title, "status": e.get_status_display()},
        )


def _require_seats(e: Election) -> int:
    if e.seats is None:
        raise ActionError(
            "seats_not_set",
            _("Đại hội chưa biểu quyết số lượng cần bầu của “%(title)s”.") % {"title": e.title},
        )
    return e.seats


def electronic_allowed(congress: Congress) -> bool:
    """P20 through the core: the rule set's default unless the organizer set it for this congress
    (read from the database: the organizer may have just changed it)."""
    rules, setting = Congress.objects.values_list("rules", "is_electronic_voting_enabled").get(pk=congress.pk)
    return electronic_casting_allowed(rules, congress_setting=setting)


def _check_casting(congress: Congress, allows_paper: bool, allows_electronic: bool) -> None:
    if not allows_paper and not allows_electronic:
        raise ActionError(
            "no_casting_method", _("Cần chọn ít nhất một hình thức bỏ phiếu: giấy hoặc điện tử.")
        )
    if allows_electronic and not electronic_allowed(congress):
        raise ActionError(
            "electronic_not_allowed",
            _(
                "Đại hội chưa cho phép bỏ phiếu điện tử (bộ quy tắc %(rules)s: chỉ Ban Tổ chức được bật, "
                "và biên bản sẽ ghi rõ)."
            )
            % {"rules": congress.rules},
        )


# --- P20: the organizer's switch ---------------------------------------------------------------------


def set_electronic_voting(congress: Congress, *, actor: Actor, enabled: bool) -> Congress:
    """Turn electronic casting on or off for the congress (P20); the minutes state the setting."""
    with transaction.atomic():
        c = Congress.objects.select_for_update().get(pk=congress.pk)
        if not get_ruleset(c.rules).electronic_casting_settable:
            raise ActionError(
                "not_settable", _("Bộ quy tắc %(rules)s không cho thay đổi cài đặt này.") % {"rules": c.rules}
            )
        if (
            not enabled
            and Election.objects.filter(
                congress=c, allows_electronic=True, status=Election.Status.OPEN
            ).exists()
        ):
            raise ActionError(
                "electronic_election_open",
                _("Đang có cuộc bầu cử điện tử mở; hãy kết thúc trước khi tắt bỏ phiếu điện tử."),
            )
        before = {"is_electronic_voting_enabled": c.is_electronic_voting_enabled}
        c.is_electronic_voting_enabled = enabled
        c.save(update_fields=["is_electronic_voting_enabled"])
        if not enabled:
            # Elections still being prepared fall back to paper.
            Election.objects.filter(
                congress=c,
                allows_electronic=True,
                status__in=[Election.Status.PREPARING, Election.Status.LIST_APPROVED],
            ).update(allows_electronic=False, allows_paper=True)
        _record(
            actor, "congress.electronic_voting", c, c.pk, before, {"is_electronic_voting_enabled": enabled}
        )
        live.publish(c)
    return c


# --- 1. create -------------------------------------------------------------------------------------


def _positive(value: Any, label: str, *, minimum: int = 1) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ActionError(
            "not_a_number",
            _("“%(field)s” phải là số nguyên (%(value)s).") % {"field": label, "value": value},
            field=label,
        ) from None
    if n < minimum:
        raise ActionError(
            "number_too_small",
            _("“%(field)s” phải từ %(min)s trở lên (%(value)s).")
            % {"field": label, "min": minimum, "value": n},
            field=label,
        )
    return n


def create_election(
    congress: Congress,
    *,
    actor: Actor,
    title: str,
    kind: str = Election.Kind.COMMITTEE,
    seats: Any = None,
    alternates: Any = 0,
    delegation_mode: str = Election.DelegationMode.SEPARATE,
    allows_paper: bool = True,
    allows_electronic: bool = False,
    is_verifiable: bool = False,
    agenda_item: AgendaItem | None = None,
) -> Election:
    """P6.1. A committee election gets a draft motion on the proposed number (P6.2); a delegation's seats
    and alternates are allocated from above and set now, not voted (A9)."""
    title = " ".join((title or "").split())
    if not title:
        raise ActionError("title_required", _("Cần nhập tên cuộc bầu cử."))
    if kind not in Election.Kind.values:
        raise ActionError("bad_kind", _("Không rõ loại bầu cử “%(kind)s”.") % {"kind": kind})
    if delegation_mode not in Election.DelegationMode.values:
        raise ActionError(
            "bad_mode", _("Không rõ cách bầu dự khuyết “%(mode)s”.") % {"mode": delegation_mode}
        )
    proposed = _positive(seats, _("Số lượng cần bầu"))
    alt = _positive(alternates or 0, _("Số đại biểu dự khuyết"), minimum=0)
    if alt and kind != Election.Kind.DELEGATION:
        raise ActionError(
            "alternates_only_for_delegation", _("Chỉ bầu đoàn đại biểu mới có đại biểu dự khuyết.")
        )
    _check_casting(congress, allows_paper, allows_electronic)
    if is_verifiable and not allows_electronic:
        raise ActionError(
            "verifiable_needs_electronic", _("Chế độ mã biên nhận chỉ dùng khi bỏ phiếu điện tử.")
        )
    is_delegation = kind == Election.Kind.DELEGATION
    with transaction.atomic():
        e = Election.objects.create(
            congress=congress,
            agenda_item=agenda_item,
            title=title,
            kind=kind,
            seats=proposed if is_delegation else None,
            alternates=alt,
            delegation_mode=delegation_mode,
            allows_paper=allows_paper,
            allows_electronic=allows_electronic,
            is_verifiable=is_verifiable,
        )
        _record(
            actor, "election.created", e, congress.pk, after={**election_facts(e), "proposed_seats": proposed}
        )
        if not is_delegation:
            _seats_motion(e, actor, proposed)
        elif alt and not alternates_on_ballot(e):
            _alternates_election(e, actor)
        live.publish(congress)
    return e


def _alternates_election(officials: Election, actor: Actor) -> Election:
    """P15 `separate`: the alternates are an election of their own, its seats the alternate places, its
    elected ranked by votes (their order of replacement), under P13–P14 like any other."""
    e = Election.objects.create(
        congress=officials.congress,
        agenda_item=officials.agenda_item,
        title=(_("%(title)s: đại biểu dự khuyết") % {"title": officials.title})[:300],
        kind=Election.Kind.DELEGATION,
        seats=officials.alternates,
        alternates=0,
        delegation_mode=officials.delegation_mode,
        allows_paper=officials.allows_paper,
        allows_electronic=officials.allows_electronic,
        is_verifiable=officials.is_verifiable,
        elects_alternates=True,
    )
    _record(
        actor, "election.created", e, e.congress_id, after={**election_facts(e), "officials": officials.pk}
    )
    return e


def _seats_motion(e: Election, actor: Actor, seats: int, method: str = Motion.Method.SHOW_OF_HANDS) -> Motion:
    return create_motion(
        e.congress,
        actor=actor,
        kind=M.SEATS,
        method=method,
        election=e,
        payload={"seats": seats},
        title=_("Số lượng %(title)s: %(seats)s người") % {"title": e.title, "seats": seats},
    )


def update_casting(
    election: Election, *, actor: Actor, allows_paper: bool, allows_electronic: bool, is_verifiable: bool
) -> Election:
    """How ballots are cast, until the vote opens. Verification mode (receipts) is off by default: a
    receipt lets a voter prove a vote to a third party."""
    with transaction.atomic():
        e = _locked(election)
        _require(e, Election.Status.PREPARING, Election.Status.LIST_APPROVED)
        _check_casting(e.congress, allows_paper, allows_electronic)
        if is_verifiable and not allows_electronic:
            raise ActionError(
                "verifiable_needs_electronic", _("Chế độ mã biên nhận chỉ dùng khi bỏ phiếu điện tử.")
            )
        before = election_facts(e)
        e.allows_paper, e.allows_electronic, e.is_verifiable = allows_paper, allows_electronic, is_verifiable
        e.save(update_fields=["allows_paper", "allows_electronic", "is_verifiable"])
        _record(actor, "election.casting", e, e.congress_id, before, election_facts(e))
        live.publish(e.congress)
    return e


# --- 2. the number to elect -------------------------------------------------------------------------


def propose_seats(
    election: Election, *, actor: Actor, seats: Any, method: str = Motion.Method.SHOW_OF_HANDS
) -> Motion:
    """Another motion on the number (when the first failed or the presidium changes the proposal)."""
    with transaction.atomic():
        e = _locked(election)
        _require_preparing(e)
        if e.kind == Election.Kind.DELEGATION:
            raise ActionError(
                "seats_allocated_from_above",
                _("Số lượng đại biểu đi dự đại hội cấp trên do cấp trên phân bổ, không biểu quyết."),
            )
        if e.seats is not None:
            raise ActionError(
                "seats_already_set",
                _("Đại hội đã biểu quyết số lượng cần bầu: %(seats)s.") % {"seats": e.seats},
            )
        if e.motions.filter(kind=M.SEATS, status__in=PENDING).exists():
            raise ActionError("motion_pending", _("Đã có một đề nghị về số lượng đang chờ biểu quyết."))
        n = _positive(seats, _("Số lượng cần bầu"))
        return _seats_motion(e, actor, n, method)


# --- 3, 4. candidates --------------------------------------------------------------------------------


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
                _("%(name)s là thành viên Ban Kiểm phiếu nên không thể ứng cử (P9).") % {"name": name},
            )
        if source != Candidate.Source.COMMITTEE:
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


# --- 6. the surplus ---------------------------------------------------------------------------------


def on_list(e: Election) -> list[Candidate]:
    return list(e.candidates.filter(status=Candidate.Status.ON_LIST))


def check_list(e: Election) -> SurplusCheck:
    """P8 through the core: refused with the numbers when the list is too short or too long."""
    seats = _require_seats(e)
    try:
        return check_surplus(candidates=len(on_list(e)), seats=ballot_places(e) or seats)
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
        found = check_surplus(candidates=n, seats=ballot_places(e), is_committee_list=True)
    except RuleError as err:
        return [_("Danh sách của cấp ủy: %(message)s") % {"message": err.message}]
    return [w.message for w in found.warnings]


# --- 7. the counting committee -----------------------------------------------------------------------


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
            _("Thành viên Ban Kiểm phiếu không được có tên trong danh sách bầu cử (P9): %(names)s")
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


# --- 8. the list --------------------------------------------------------------------------------------


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


# --- the motion hooks ---------------------------------------------------------------------------------


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


# --- 9. the vote ---------------------------------------------------------------------------------------


def open_election(election: Election, *, actor: Actor) -> Election:
    """Open the vote: the list is approved, the counting committee has a head; N (with its explanation)
    and those present are fixed now. Paper ballots issued are entered by the counting committee later."""
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
        live.publish(congress)
    return e


def close_election(election: Election, *, actor: Actor) -> Election:
    """Close the vote: from now no electronic ballot is accepted (casting locks the election row and
    checks the status). Counting and certification follow (part C)."""
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


# --- next round (P13, P14) -------------------------------------------------------------------------------


def next_round_of(e: Election) -> dict[str, Any] | None:
    """The certified result's open places, with their tier, or None."""
    if e.status != Election.Status.CERTIFIED or not e.result:
        return None
    nr = e.result.get("next_round")
    if not nr:
        return None
    elected = e.result.get("elected") or []
    seats = e.result.get("seats") or e.seats or 0
    on_ballot = alternates_on_ballot(e)
    tier = "alternate" if e.elects_alternates or (on_ballot and len(elected) >= seats) else "official"
    return {**nr, "tier": tier}


def propose_next_round(
    election: Election, *, actor: Actor, tie_round_needs_majority: bool | None = None
) -> Motion:
    """P14: the congress decides by motion whether to hold another round for the open places."""
    with transaction.atomic():
        e = _locked(election)
        nr = next_round_of(e)
        if nr is None:
            raise ActionError("no_next_round", _("Kết quả đã xác nhận không còn chỗ trống cần bầu tiếp."))
        if e.next_rounds.exists():
            raise ActionError("next_round_exists", _("Đã tổ chức bầu lần tiếp theo."))
        if e.motions.filter(kind=M.NEXT_ROUND, status__in=PENDING).exists():
            raise ActionError("motion_pending", _("Đề nghị bầu tiếp đang chờ biểu quyết."))
        names = dict(e.candidates.values_list("code", "full_name"))
        who = ", ".join(names.get(code, code) for code in nr["candidates"])
        why = _("bằng phiếu") if nr["reason"] == "tie" else _("chưa đủ số trúng cử")
        return create_motion(
            e.congress,
            actor=actor,
            kind=M.NEXT_ROUND,
            election=e,
            payload={**nr, "tie_round_needs_majority": tie_round_needs_majority},
            title=(_("Bầu lần %(round)s cho %(seats)s chỗ còn trống (%(why)s) của %(title)s, trong số: %(who)s")
                   % {"round": e.round + 1, "seats": nr["seats"], "why": why, "title": _root(e).title, "who": who})[:500],
        )  # fmt: skip


def _root(e: Election) -> Election:
    while e.previous_round_id is not None:
        e = Election.objects.get(pk=e.previous_round_id)
    return e


def create_next_round(election: Election, *, actor: Actor, motion: Motion | None = None) -> Election:
    """The next round as a new election: the open places, the carried candidates (list approved, in P10
    order), the same counting committee. A tie round needs no majority unless the congress said so (P13)."""
    e = _locked(election)
    nr = next_round_of(e)
    if nr is None:
        raise ActionError("no_next_round", _("Kết quả đã xác nhận không còn chỗ trống cần bầu tiếp."))
    if e.next_rounds.exists():
        raise ActionError("next_round_exists", _("Đã tổ chức bầu lần tiếp theo."))
    payload = (motion.payload if motion else None) or {}
    carried = {c.code: c for c in e.candidates.all()}
    missing = [code for code in nr["candidates"] if code not in carried]
    if missing:
        raise ActionError(
            "unknown_candidates", _("Không tìm thấy ứng cử viên: %(codes)s") % {"codes": ", ".join(missing)}
        )
    is_alternate = nr["tier"] == "alternate"
    open_alternates = 0
    on_ballot = alternates_on_ballot(e)
    if not is_alternate and on_ballot:
        open_alternates = max(0, on_ballot - len(e.result.get("elected_alternates") or []))
    root = _root(e)
    n = e.round + 1
    new = Election.objects.create(
        congress=e.congress,
        agenda_item=e.agenda_item,
        title=_("%(title)s (lần %(round)s)") % {"title": root.title, "round": n},
        kind=e.kind,
        seats=int(nr["seats"]),
        alternates=open_alternates,
        delegation_mode=e.delegation_mode,
        round=n,
        previous_round=e,
        status=Election.Status.LIST_APPROVED,
        allows_paper=e.allows_paper,
        allows_electronic=e.allows_electronic and electronic_allowed(e.congress),
        is_verifiable=e.is_verifiable,
        is_tie_round=nr["reason"] == "tie",
        tie_round_needs_majority=payload.get("tie_round_needs_majority"),
        elects_alternates=is_alternate,
    )
    if not new.allows_electronic:
        new.allows_paper = True
        new.save(update_fields=["allows_paper"])
    made = [
        Candidate.objects.create(
            election=new,
            code=_new_code(),
            full_name=carried[code].full_name,
            delegate=carried[code].delegate,
            source=Candidate.Source.CARRIED,
            status=Candidate.Status.ON_LIST,
        )
        for code in nr["candidates"]
    ]
    _order_and_code(new, in_ballot_order(made))
    for m in CountingMember.objects.filter(election=e):
        CountingMember.objects.create(election=new, delegate_id=m.delegate_id, is_head=m.is_head)
    _record(
        actor,
        "election.next_round",
        new,
        e.congress_id,
        None,
        {**election_facts(new), "previous_round": e.pk, "reason": nr["reason"], "tier": nr["tier"],
         "candidates": [c.full_name for c in made], "motion": motion.pk if motion else None},
    )  # fmt: skip
    live.publish(e.congress)
    return new


# --- the presidium's page -------------------------------------------------------------------------------


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
        {"code": code, "label": labels[code], "done": done[code]}
        for code in election_steps(is_delegation=e.kind == Election.Kind.DELEGATION)
    ]
