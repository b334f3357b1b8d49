"""Attendance at the desk: check in (a scanned card or a name found by search), check out, excuse.

Each function validates, locks the delegate row, writes a `CheckIn` row carrying the client's nonce,
updates the delegate, appends the audit entry and publishes the live state after commit. A scanned card
(`check_in`, the desk's busiest path) does so for a whole group of scans at once, in a constant number of
SQL statements (issue 13; the grouped writer is `checkin_group`); `check_in_orm` is the same action
through the ORM, one scan at a time, kept as its test oracle.

Idempotent by design: a retried request carries the same nonce and gets the original result back
without counting twice (`is_repeat`); two scans of one card with different nonces at the same moment
lead to one check-in, the other is refused `already_checked_in`. Refusals are `ActionError`s with a
stable code: `empty_code`, `unknown_code`, `not_a_delegate` (a guest: the arrival is recorded, but a
guest never counts), `credential_rejected`, `already_checked_in`, `congress_closed`, `bad_nonce`,
`not_present`, `already_present`, `was_present`, `already_excused`, `reason_required`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.congress.access import Actor
from daihoi.congress.actions.steps import commit_attendance_change
from daihoi.congress.attendance import Attendance, attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.models import CheckIn, Congress, Delegate, Guest

if TYPE_CHECKING:
    from daihoi.congress.actions.checkin_group import _Roll, _Scan

log = logging.getLogger(__name__)

MAX_NONCE = 64
MAX_SCAN = 300
MAX_REASON = 500
_NONCE = re.compile(r"^[A-Za-z0-9_.:\-]{8,64}$")
# The QR code on a card holds the sign-in URL ".../d/<code>/"; a scanner types it, then Enter.
_CARD_URL = re.compile(r"/d/(?P<code>[^/?#]+)/?(?:[?#].*)?$")
# People type codes with spaces, dashes or in lower case; cards print them in groups.
_SEPARATORS = re.compile(r"[\s\-–—._]+")


@dataclass(frozen=True)
class CheckInResult:
    """What the desk shows after an accepted action; `is_repeat` when a retried nonce was recognised."""

    delegate_id: int
    number: int
    full_name: str
    unit: str
    seat_number: str
    standing: str
    action: str
    at: dt.datetime
    is_repeat: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "delegate_id": self.delegate_id,
            "number": self.number,
            "full_name": self.full_name,
            "unit": self.unit,
            "seat_number": self.seat_number,
            "standing": self.standing,
            "action": self.action,
            "at": self.at.isoformat(),
            "time": hhmm(self.at),
            "is_repeat": self.is_repeat,
        }


def hhmm(at: dt.datetime) -> str:
    """The hall's clock time of `at`: '07:42'."""
    return timezone.localtime(at).strftime("%H:%M")


def parse_scan(raw: str) -> str:
    """The card code in what a scanner or a person typed: 'http://x/d/abcd-efgh23/' -> 'ABCDEFGH23'."""
    text = (raw or "").strip()
    if len(text) > MAX_SCAN:
        raise ActionError(
            "unknown_code",
            _("Mã không tồn tại: nội dung quét quá dài (%(length)s ký tự).") % {"length": len(text)},
        )
    match = _CARD_URL.search(text)
    if match:
        text = match["code"]
    code = _SEPARATORS.sub("", text).upper()
    if not code:
        raise ActionError("empty_code", _("Chưa có mã: xin quét thẻ hoặc nhập mã in trên thẻ."))
    return code


def _check_nonce(nonce: str) -> None:
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise ActionError("bad_nonce", _("Mã yêu cầu không hợp lệ; xin tải lại trang."))


def _check_open(congress_id: int) -> None:
    state = Congress.objects.filter(pk=congress_id).values_list("state", flat=True).first()
    if state == Congress.State.CLOSED:
        raise ActionError("congress_closed", _("Đại hội đã bế mạc: không điểm danh nữa."))


def _result(delegate: Delegate, row: CheckIn, *, is_repeat: bool) -> CheckInResult:
    return CheckInResult(
        delegate_id=delegate.pk,
        number=delegate.number,
        full_name=delegate.full_name,
        unit=delegate.unit.name if delegate.unit_id and delegate.unit else "",
        seat_number=delegate.seat_number,
        standing=delegate.standing,
        action=row.action,
        at=row.at,
        is_repeat=is_repeat,
    )


def _replay(
    nonce: str, congress_id: int, action: str, delegate_id: int | None = None, code: str | None = None
) -> CheckInResult | None:
    """The stored outcome of a request already done with this nonce, if any. The same nonce for another
    delegate or another action is a client bug, refused rather than guessed at."""
    row = CheckIn.objects.filter(nonce=nonce).select_related("delegate__unit").first()
    if row is None:
        return None
    if (
        row.congress_id != congress_id
        or row.action != action
        or (delegate_id is not None and row.delegate_id != delegate_id)
        or (code is not None and row.delegate.code != code)
    ):
        raise ActionError("bad_nonce", _("Mã yêu cầu không hợp lệ; xin tải lại trang."))
    return _result(row.delegate, row, is_repeat=True)


def _attendance_facts(delegate: Delegate) -> dict[str, Any]:
    return {
        "number": delegate.number,
        "attendance": delegate.attendance,
        "checked_in_at": delegate.checked_in_at,
        "absence_reason": delegate.absence_reason,
    }


def _write(
    delegate: Delegate,
    *,
    action: str,
    nonce: str,
    actor: Actor,
    attendance: str,
    audit_action: str,
    absence_reason: str | None = None,
) -> CheckInResult:
    """Inside the caller's transaction, with `delegate` locked: the CheckIn row, the delegate, the audit."""
    now = timezone.now()
    try:
        with transaction.atomic():  # a savepoint: a duplicate nonce leaves the outer transaction usable
            row = CheckIn.objects.create(
                congress_id=delegate.congress_id,
                delegate=delegate,
                action=action,
                nonce=nonce,
                at=now,
                by=actor.label[:150],
            )
    except IntegrityError:
        replayed = _replay(nonce, delegate.congress_id, action, delegate.pk)
        if replayed is None:  # not a nonce clash after all
            raise
        return replayed
    before = _attendance_facts(delegate)
    delegate.attendance = attendance
    fields = ["attendance"]
    if action == CheckIn.Action.CHECK_IN:
        delegate.checked_in_at = now
        delegate.absence_reason = ""
        fields += ["checked_in_at", "absence_reason"]
    if absence_reason is not None:
        delegate.absence_reason = absence_reason
        fields.append("absence_reason")
    after = {**_attendance_facts(delegate), "nonce": nonce}
    commit_attendance_change(delegate.congress, delegate, actor, audit_action, before, after, fields)
    return _result(delegate, row, is_repeat=False)


def _locked(delegate_id: int) -> Delegate:
    return (
        Delegate.objects.select_for_update(of=("self",))
        .select_related("unit", "congress")
        .get(pk=delegate_id)
    )


def refuse_arrival(delegate: Delegate | _Roll) -> None:
    """Why this delegate cannot be checked in, if they cannot: a rejected credential, or already present.
    One home for the ORM path (`_admit`) and the grouped writer (`checkin_group`), which reads its own row."""
    if delegate.credential == Delegate.Credential.REJECTED:
        reason = delegate.credential_reason or _("không rõ lý do")
        raise ActionError(
            "credential_rejected",
            _("%(name)s không được công nhận tư cách đại biểu (%(reason)s): không điểm danh.")
            % {"name": delegate.full_name, "reason": reason},
            number=delegate.number,
        )
    if delegate.attendance == Delegate.Attendance.PRESENT:
        at = delegate.checked_in_at or timezone.now()
        raise ActionError(
            "already_checked_in",
            _("%(name)s đã điểm danh lúc %(time)s.") % {"name": delegate.full_name, "time": hhmm(at)},
            number=delegate.number,
            time=hhmm(at),
        )


def _admit(delegate: Delegate, *, nonce: str, actor: Actor) -> CheckInResult:
    """The check-in itself, `delegate` locked; a repeat of this nonce was ruled out under the lock."""
    refuse_arrival(delegate)
    return _write(
        delegate,
        action=CheckIn.Action.CHECK_IN,
        nonce=nonce,
        actor=actor,
        attendance=Delegate.Attendance.PRESENT,
        audit_action="delegate.check_in",
    )


def _guest_arrived(guest: Guest, actor: Actor) -> Guest:
    """Record a guest's first arrival (inside the caller's transaction, the row locked)."""
    if guest.checked_in_at is None:
        guest.checked_in_at = timezone.now()
        after = {"checked_in_at": guest.checked_in_at}
        commit_attendance_change(
            guest.congress, guest, actor, "guest.arrive", {"checked_in_at": None}, after, ["checked_in_at"]
        )
    return guest


def check_in_guest(congress: Congress, guest_id: int, *, actor: Actor) -> Guest:
    """Record the arrival of a guest found by name at the desk (no card at hand). A guest never votes
    and never counts toward quorum or N; a second arrival keeps the first time (idempotent)."""
    with transaction.atomic():
        _check_open(congress.pk)
        guest = (
            Guest.objects.select_for_update(of=("self",))
            .select_related("congress")
            .filter(congress=congress, pk=guest_id)
            .first()
        )
        if guest is None:
            raise ActionError(
                "bad_guest", _("Không tìm thấy khách mời %(id)s trong đại hội này.") % {"id": guest_id}
            )
        return _guest_arrived(guest, actor)


def check_in(congress: Congress, code_or_scan: str, *, nonce: str, actor: Actor) -> CheckInResult:
    """Check in the delegate whose card was scanned (the card URL or the bare code, any case/spacing).

    In the server, scans that arrive together are written together (`GroupCommit`): one transaction and
    a constant number of statements for the group, each scan judged on its own, in order of arrival, as
    `check_in_orm` (the oracle) judges it. The answer comes only after the group's commit."""
    scan = _scanned(congress, code_or_scan, nonce, actor, with_figures=False)
    if scan.error is not None:
        raise scan.error
    assert scan.result is not None
    return scan.result


@dataclass(frozen=True)
class DeskAnswer:
    """`check_in`'s result or refusal, and the attendance figures read after its commit (for the desk)."""

    result: CheckInResult | None
    error: ActionError | None
    figures: Attendance


def check_in_at_desk(congress: Congress, code_or_scan: str, *, nonce: str, actor: Actor) -> DeskAnswer:
    """`check_in`, with the figures the desk shows next to the answer: read once per group after its
    commit (`attendance`, the figures' one home), not once per scan. Other errors propagate."""
    try:
        scan = _scanned(congress, code_or_scan, nonce, actor, with_figures=True)
    except ActionError as refusal:  # refused before any group (empty code, bad nonce)
        return DeskAnswer(None, refusal, attendance(congress))
    if scan.error is not None and not isinstance(scan.error, ActionError):
        raise scan.error
    figures = scan.figures if scan.figures is not None else attendance(congress)
    return DeskAnswer(scan.result, scan.error, figures)


def _scanned(congress: Congress, code_or_scan: str, nonce: str, actor: Actor, *, with_figures: bool) -> _Scan:
    from daihoi.congress.actions import checkin_group  # the grouped writer imports this module's results

    return checkin_group.scanned(parse_scan(code_or_scan), congress, nonce, actor, with_figures=with_figures)


def check_in_orm(congress: Congress, code_or_scan: str, *, nonce: str, actor: Actor) -> CheckInResult:
    """`check_in` one scan at a time through the ORM: the test oracle of the lean path, which must give
    the same answers and write the same rows and audit entries (tests/web/test_checkin_lean.py)."""
    code = parse_scan(code_or_scan)
    _check_nonce(nonce)
    guest: Guest | None = None
    with transaction.atomic():
        replayed = _replay(nonce, congress.pk, CheckIn.Action.CHECK_IN, code=code)
        if replayed is not None:
            return replayed
        _check_open(congress.pk)
        delegate = (
            Delegate.objects.select_for_update(of=("self",))
            .select_related("unit", "congress")
            .filter(congress=congress, code=code)
            .first()
        )
        if delegate is None:
            guest = (
                Guest.objects.select_for_update(of=("self",))
                .select_related("congress")
                .filter(congress=congress, code=code)
                .first()
            )
            if guest is None:
                raise ActionError(
                    "unknown_code",
                    _("Mã không tồn tại: %(code)s. Xin kiểm tra lại thẻ.") % {"code": code},
                    card_code=code,
                )
            _guest_arrived(guest, actor)
        else:
            # A retry with this nonce may have committed while this one waited for the lock.
            replayed = _replay(nonce, congress.pk, CheckIn.Action.CHECK_IN, delegate.pk)
            if replayed is not None:
                return replayed
            return _admit(delegate, nonce=nonce, actor=actor)
    # The guest's arrival is committed; the desk still shows it as "not counted".
    assert guest is not None and guest.checked_in_at is not None
    raise ActionError(
        "not_a_delegate",
        _("Khách mời – không tính vào số lượng: %(name)s (đến lúc %(time)s).")
        % {"name": guest.full_name, "time": hhmm(guest.checked_in_at)},
        name=guest.full_name,
        time=hhmm(guest.checked_in_at),
    )


def check_in_delegate(delegate: Delegate, *, nonce: str, actor: Actor) -> CheckInResult:
    """Check in a delegate found by name at the desk (no card at hand)."""
    _check_nonce(nonce)
    with transaction.atomic():
        replayed = _replay(nonce, delegate.congress_id, CheckIn.Action.CHECK_IN, delegate.pk)
        if replayed is not None:
            return replayed
        _check_open(delegate.congress_id)
        locked = _locked(delegate.pk)
        replayed = _replay(nonce, delegate.congress_id, CheckIn.Action.CHECK_IN, delegate.pk)
        if replayed is not None:
            return replayed
        return _admit(locked, nonce=nonce, actor=actor)


def check_out(delegate: Delegate, *, nonce: str, actor: Actor) -> CheckInResult:
    """The delegate left the hall. P2: missing part of the congress keeps them in N."""
    _check_nonce(nonce)
    with transaction.atomic():
        replayed = _replay(nonce, delegate.congress_id, CheckIn.Action.CHECK_OUT, delegate.pk)
        if replayed is not None:
            return replayed
        _check_open(delegate.congress_id)
        locked = _locked(delegate.pk)
        replayed = _replay(nonce, delegate.congress_id, CheckIn.Action.CHECK_OUT, delegate.pk)
        if replayed is not None:
            return replayed
        if locked.attendance != Delegate.Attendance.PRESENT:
            raise ActionError(
                "not_present",
                _("%(name)s không đang có mặt (%(state)s): không ghi ra về được.")
                % {"name": locked.full_name, "state": locked.get_attendance_display()},
                number=locked.number,
            )
        return _write(
            locked,
            action=CheckIn.Action.CHECK_OUT,
            nonce=nonce,
            actor=actor,
            attendance=Delegate.Attendance.LEFT,
            audit_action="delegate.check_out",
        )


def mark_excused(delegate: Delegate, reason: str, *, nonce: str, actor: Actor) -> CheckInResult:
    """Absent for the whole congress, with a reason. P2 takes such an official delegate out of N
    (no alternate replaces them here; a convening-committee member is its own exclusion)."""
    _check_nonce(nonce)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ActionError("reason_required", _("Xin ghi lý do vắng mặt."))
    if len(reason) > MAX_REASON:
        raise ActionError(
            "reason_too_long",
            _("Lý do vắng dài quá %(limit)s ký tự (%(length)s).")
            % {"limit": MAX_REASON, "length": len(reason)},
        )
    with transaction.atomic():
        replayed = _replay(nonce, delegate.congress_id, CheckIn.Action.EXCUSE, delegate.pk)
        if replayed is not None:
            return replayed
        _check_open(delegate.congress_id)
        locked = _locked(delegate.pk)
        replayed = _replay(nonce, delegate.congress_id, CheckIn.Action.EXCUSE, delegate.pk)
        if replayed is not None:
            return replayed
        state = locked.attendance
        if state == Delegate.Attendance.PRESENT:
            raise ActionError(
                "already_present",
                _("%(name)s đang có mặt: không ghi vắng cả đại hội được.") % {"name": locked.full_name},
                number=locked.number,
            )
        if state == Delegate.Attendance.LEFT:
            raise ActionError(
                "was_present",
                _("%(name)s đã có mặt rồi ra về: vắng một phần thời gian vẫn tính vào N.")
                % {"name": locked.full_name},
                number=locked.number,
            )
        if state == Delegate.Attendance.EXCUSED:
            raise ActionError(
                "already_excused",
                _("%(name)s đã được ghi vắng có lý do: %(reason)s.")
                % {"name": locked.full_name, "reason": locked.absence_reason},
                number=locked.number,
            )
        return _write(
            locked,
            action=CheckIn.Action.EXCUSE,
            nonce=nonce,
            actor=actor,
            attendance=Delegate.Attendance.EXCUSED,
            audit_action="delegate.excuse",
            absence_reason=reason,
        )
