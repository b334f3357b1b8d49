"""Creating an election (P6.1), how ballots are cast (P20), the number to elect (P6.2), and the helpers
the other steps share: facts for the audit chain, locking, state checks."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import AgendaItem, Congress
from daihoi.rules.casting import electronic_casting_allowed
from daihoi.rules.rulesets import get_ruleset
from daihoi.voting.actions.counting import alternates_on_ballot
from daihoi.voting.actions.motions import create_motion
from daihoi.voting.models import Candidate, Election, Motion
from daihoi.voting.templatetags.daihoi_labels import ruleset_title_of

M = Motion.Kind


PENDING = (Motion.Status.DRAFT, Motion.Status.OPEN, Motion.Status.COUNTING)


# --- facts ------------------------------------------------------------------------------------


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
            % {"rules": ruleset_title_of(congress.rules)},
        )


# --- P20: the organizer's switch --------------------------------------------------------------


def set_electronic_voting(congress: Congress, *, actor: Actor, enabled: bool) -> Congress:
    """Turn electronic casting on or off for the congress (P20); the minutes state the setting."""
    with transaction.atomic():
        c = Congress.objects.select_for_update().get(pk=congress.pk)
        if not get_ruleset(c.rules).electronic_casting_settable:
            raise ActionError(
                "not_settable",
                _("Bộ quy tắc %(rules)s không cho thay đổi cài đặt này.")
                % {"rules": ruleset_title_of(c.rules)},
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


# --- 1. create --------------------------------------------------------------------------------


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


# --- 2. the number to elect -------------------------------------------------------------------


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
