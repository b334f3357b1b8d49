"""The check-in desk's busiest path (issue 13): scans that arrive together are written together.

`check_in` (in `checkin`) hands each scanned card here. One leader writes every scan queued so far in one
transaction and a constant number of SQL statements (the roll of the group's cards and their nonces'
earlier check-ins in one read, one insert of the check-ins, one update of the delegates, three audit
statements), judging each scan on its own, in order of arrival, as `checkin.check_in_orm` (the ORM
oracle, tests/web/test_checkin_lean.py) judges it. Nothing is answered before the group's commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.actions.checkin import CheckInResult, _check_nonce, hhmm, refuse_arrival
from daihoi.congress.attendance import Attendance, attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.group_commit import GroupCommit
from daihoi.congress.models import CheckIn, Congress, Delegate, Guest

log = logging.getLogger(__name__)


def scanned(code: str, congress: Congress, nonce: str, actor: Actor, *, with_figures: bool) -> _Scan:
    """Queue a scanned card's code (parsed) and wait for its group's commit; the scan, done."""
    _check_nonce(nonce)
    scan = _Scan(congress, code, nonce, actor.label, with_figures=with_figures)
    if transaction.get_connection().in_atomic_block:
        # Inside the caller's transaction (a command, a test): alone, and part of that transaction.
        _commit_scans([scan])
    else:
        _scans.submit(scan)
    return scan


@dataclass(eq=False)
class _Scan:
    """One scan waiting for its group's commit; `result` or `error` is set when it is done."""

    congress: Congress
    code: str
    nonce: str
    actor: str
    result: CheckInResult | None = None
    error: BaseException | None = None
    with_figures: bool = False
    figures: Attendance | None = None

    @property
    def done(self) -> bool:
        return self.result is not None or self.error is not None


def _commit_scans(group: list[_Scan]) -> None:
    """Write a group of scans in one transaction; every scan ends done, with its result or its error.

    A scan refused (already checked in, unknown code...) is refused alone. Should the transaction itself
    fail, each scan is tried again on its own, so one cannot sink the others."""
    try:
        try:
            with transaction.atomic():
                outcomes = _write_scans(group)
        except Exception as error:
            if len(group) == 1:
                outcomes = {id(group[0]): error}
            else:
                log.exception("a group of %s check-ins failed; writing them one by one", len(group))
                for scan in group:
                    _commit_scans([scan])
                return
        if not transaction.get_connection().in_atomic_block:
            _share_figures(group)
        for scan in group:
            outcome = outcomes[id(scan)]
            if isinstance(outcome, CheckInResult):
                scan.result = outcome
            else:
                scan.error = outcome
    finally:
        for scan in group:
            if not scan.done:  # never left waiting forever
                scan.error = ActionError("checkin_failed", _("Chưa ghi được điểm danh; xin quét lại."))


def _share_figures(group: list[_Scan]) -> None:
    """After the group's commit, before anyone is answered: the figures, read once per congress, for the
    scans that show them. Should the read fail, each desk reads its own."""
    read: dict[int, Attendance] = {}
    try:
        for scan in group:
            if scan.with_figures:
                congress_id = scan.congress.pk
                if congress_id not in read:
                    read[congress_id] = attendance(scan.congress)
                scan.figures = read[congress_id]
    except Exception:
        log.exception("the attendance figures after a group of check-ins could not be read")


_scans: GroupCommit[_Scan] = GroupCommit(_commit_scans)


@dataclass
class _Writes:
    """What a group writes, gathered while its scans are judged; each row keyed by its scan's place in
    the group, so rows and audit entries go in in order of arrival, as one scan after another would."""

    now: dt.datetime
    checkins: list[tuple[int, list[Any]]]
    admitted: list[int]
    arrived: list[int]
    changes: list[tuple[int, audit.RowChange]]
    congresses: dict[int, Congress]


def _write_scans(group: list[_Scan]) -> dict[int, CheckInResult | BaseException]:
    """A group's scans in a constant number of statements: for each congress in it (one at a desk), its
    state, the roll (`_read_roll`), and, only if needed, its guests and a second look for late retries;
    then for the whole group the new CheckIn rows, the delegates' update, the guests' if any arrived,
    and the audit chain (three)."""
    outcomes: dict[int, CheckInResult | BaseException] = {}
    by_congress: dict[int, list[tuple[int, _Scan]]] = {}
    for place, scan in enumerate(group):
        by_congress.setdefault(scan.congress.pk, []).append((place, scan))
    writes = _Writes(timezone.now(), [], [], [], [], {})
    prep = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for congress_id in sorted(by_congress):  # the same lock order in every group
            outcomes.update(_judge_congress_scans(cursor, by_congress[congress_id], writes))
        if writes.checkins:
            table = _q(CheckIn._meta.db_table)
            columns = ", ".join(_q(c) for c in ("congress_id", "delegate_id", "action", "nonce", "at", "by"))
            rows = [row for _place, row in sorted(writes.checkins)]
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)", rows)  # noqa: S608
            cursor.execute(
                f"UPDATE {_q(Delegate._meta.db_table)} SET attendance = %s, checked_in_at = %s, "  # noqa: S608
                f"absence_reason = '' WHERE id IN ({_marks(writes.admitted)})",
                [Delegate.Attendance.PRESENT, prep(writes.now), *writes.admitted],
            )
        if writes.arrived:
            cursor.execute(
                f"UPDATE {_q(Guest._meta.db_table)} SET checked_in_at = %s "  # noqa: S608
                f"WHERE id IN ({_marks(writes.arrived)})",
                [prep(writes.now), *writes.arrived],
            )
    if writes.changes:
        audit.record_many_sql([change for _place, change in sorted(writes.changes, key=lambda c: c[0])])
    for congress in writes.congresses.values():
        live.attendance_changed(congress)
    return outcomes


@dataclass
class _Roll:
    """The columns of a delegate that a check-in reads and writes."""

    id: int
    congress_id: int
    code: str
    number: int
    full_name: str
    seat_number: str
    standing: str
    credential: str
    credential_reason: str
    attendance: str
    checked_in_at: dt.datetime | None
    absence_reason: str
    unit: str

    def facts(self) -> dict[str, Any]:
        """`_attendance_facts` of this row."""
        return {
            "number": self.number,
            "attendance": self.attendance,
            "checked_in_at": self.checked_in_at,
            "absence_reason": self.absence_reason,
        }

    def result(self, action: str, at: dt.datetime, *, is_repeat: bool) -> CheckInResult:
        return CheckInResult(
            delegate_id=self.id,
            number=self.number,
            full_name=self.full_name,
            unit=self.unit,
            seat_number=self.seat_number,
            standing=self.standing,
            action=action,
            at=at,
            is_repeat=is_repeat,
        )


@dataclass(frozen=True)
class _Done:
    """A CheckIn row already written (or written earlier in this group) with a scan's nonce."""

    congress_id: int
    action: str
    at: dt.datetime
    delegate_id: int


def _aware(value: Any) -> dt.datetime | None:
    """A datetime read by a raw cursor, as the ORM reads it (SQLite gives naive UTC, or text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


_ROLL_COLUMNS = (
    "id",
    "congress_id",
    "code",
    "number",
    "full_name",
    "seat_number",
    "standing",
    "credential",
    "credential_reason",
    "attendance",
    "checked_in_at",
    "absence_reason",
)


def _read_roll(
    cursor: Any, congress_id: int, codes: list[str], nonces: list[str]
) -> tuple[dict[int, _Roll], dict[str, _Done]]:
    """One statement: the delegates of this congress with these codes and those who hold a CheckIn with
    one of these nonces (locked, on PostgreSQL), with their unit's name and those CheckIn rows."""
    d, ci = _q(Delegate._meta.db_table), _q(CheckIn._meta.db_table)
    unit = _q(Delegate._meta.get_field("unit").related_model._meta.db_table)
    columns = ", ".join(f"d.{_q(c)}" for c in _ROLL_COLUMNS)
    lock = " FOR UPDATE OF d" if connection.features.has_select_for_update_of else ""
    sql = (
        f"SELECT {columns}, u.name, ci.nonce, ci.congress_id, ci.action, ci.at "  # noqa: S608
        f"FROM {d} d LEFT JOIN {unit} u ON u.id = d.unit_id "
        f"LEFT JOIN {ci} ci ON ci.delegate_id = d.id AND ci.nonce IN ({_marks(nonces)}) "
        f"WHERE (d.congress_id = %s AND d.code IN ({_marks(codes)})) "
        f"OR d.id IN (SELECT delegate_id FROM {ci} WHERE nonce IN ({_marks(nonces)})) "
        f"ORDER BY d.id{lock}"
    )
    cursor.execute(sql, [*nonces, congress_id, *codes, *nonces])
    roll: dict[int, _Roll] = {}
    done: dict[str, _Done] = {}
    width = len(_ROLL_COLUMNS)
    for row in cursor.fetchall():
        values = dict(zip(_ROLL_COLUMNS, row[:width], strict=True))
        values["checked_in_at"] = _aware(values["checked_in_at"])
        roll.setdefault(row[0], _Roll(**values, unit=row[width] or ""))
        nonce, ci_congress, action, at = row[width + 1 :]
        if nonce is not None:
            done[nonce] = _Done(ci_congress, action, _aware(at), row[0])  # type: ignore[arg-type]
    return roll, done


def _bad_nonce() -> ActionError:
    return ActionError("bad_nonce", _("Mã yêu cầu không hợp lệ; xin tải lại trang."))


def _replayed(scan: _Scan, congress_id: int, earlier: _Done, roll: dict[int, _Roll]) -> CheckInResult:
    """`_replay` of the ORM path: the stored outcome, or `bad_nonce` for another congress, action or card."""
    delegate = roll[earlier.delegate_id]
    if (
        earlier.congress_id != congress_id
        or earlier.action != CheckIn.Action.CHECK_IN
        or delegate.code != scan.code
    ):
        raise _bad_nonce()
    return delegate.result(earlier.action, earlier.at, is_repeat=True)


def _judge_congress_scans(
    cursor: Any, placed: list[tuple[int, _Scan]], writes: _Writes
) -> dict[int, CheckInResult | BaseException]:
    """The scans of one congress, judged in order of arrival as `check_in_orm` judges them one by one;
    what they write is added to `writes`."""
    scans = [scan for _place, scan in placed]
    congress = scans[0].congress
    congress_id = congress.pk
    outcomes: dict[int, CheckInResult | BaseException] = {}
    now = writes.now
    prep = connection.ops.adapt_datetimefield_value
    cursor.execute(f"SELECT state FROM {_q(Congress._meta.db_table)} WHERE id = %s", [congress_id])  # noqa: S608
    found = cursor.fetchone()
    is_closed = found is not None and found[0] == Congress.State.CLOSED
    codes = sorted({s.code for s in scans})
    nonces = sorted({s.nonce for s in scans})
    roll, done = _read_roll(cursor, congress_id, codes, nonces)
    by_code = {r.code: r for r in roll.values() if r.congress_id == congress_id}
    guests: dict[str, list[Any]] = {}
    strangers = [c for c in codes if c not in by_code]
    if strangers and not is_closed:
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        cursor.execute(
            f"SELECT id, code, full_name, checked_in_at FROM {_q(Guest._meta.db_table)} "  # noqa: S608
            f"WHERE congress_id = %s AND code IN ({_marks(strangers)}) ORDER BY id{lock}",
            [congress_id, *strangers],
        )
        guests = {code: [gid, name, _aware(at)] for gid, code, name, at in cursor.fetchall()}
    refused_present: list[_Scan] = []
    for place, scan in placed:
        try:
            earlier = done.get(scan.nonce)
            if earlier is not None:
                outcomes[id(scan)] = _replayed(scan, congress_id, earlier, roll)
                continue
            if is_closed:
                raise ActionError("congress_closed", _("Đại hội đã bế mạc: không điểm danh nữa."))
            delegate = by_code.get(scan.code)
            if delegate is None:
                raise _guest_scan(scan, place, guests.get(scan.code), writes)
            try:
                refuse_arrival(delegate)
            except ActionError as refusal:
                if refusal.code == "already_checked_in":
                    refused_present.append(scan)
                raise
            before = delegate.facts()
            delegate.attendance = Delegate.Attendance.PRESENT
            delegate.checked_in_at = now
            delegate.absence_reason = ""
            writes.checkins.append(
                (
                    place,
                    [
                        congress_id,
                        delegate.id,
                        CheckIn.Action.CHECK_IN,
                        scan.nonce,
                        prep(now),
                        scan.actor[:150],
                    ],
                )
            )
            writes.admitted.append(delegate.id)
            done[scan.nonce] = _Done(congress_id, CheckIn.Action.CHECK_IN, now, delegate.id)
            writes.changes.append(
                (
                    place,
                    audit.RowChange(
                        actor=scan.actor,
                        action="delegate.check_in",
                        congress_id=congress_id,
                        object_type="Delegate",
                        object_id=str(delegate.id),
                        before=before,
                        after={**delegate.facts(), "nonce": scan.nonce},
                    ),
                )
            )
            writes.congresses[congress_id] = congress
            outcomes[id(scan)] = delegate.result(CheckIn.Action.CHECK_IN, now, is_repeat=False)
        except ActionError as refusal:
            outcomes[id(scan)] = refusal
    if refused_present:
        # A retry of one of these nonces (another process) may have committed while this group
        # waited for the delegates' locks: its answer, as the ORM path's second `_replay` gives.
        _late_replays(cursor, congress_id, refused_present, by_code, outcomes)
    return outcomes


def _guest_scan(scan: _Scan, place: int, guest: list[Any] | None, writes: _Writes) -> ActionError:
    """A code that is no delegate's: a guest's first arrival is recorded (`_guest_arrived`), and the
    refusal `not_a_delegate` says so; anything else is `unknown_code`."""
    if guest is None:
        return ActionError(
            "unknown_code",
            _("Mã không tồn tại: %(code)s. Xin kiểm tra lại thẻ.") % {"code": scan.code},
            card_code=scan.code,
        )
    guest_id, name, at = guest
    if at is None:
        guest[2] = at = now = writes.now
        writes.arrived.append(guest_id)
        writes.congresses[scan.congress.pk] = scan.congress
        writes.changes.append(
            (
                place,
                audit.RowChange(
                    actor=scan.actor,
                    action="guest.arrive",
                    congress_id=scan.congress.pk,
                    object_type="Guest",
                    object_id=str(guest_id),
                    before={"checked_in_at": None},
                    after={"checked_in_at": now},
                ),
            )
        )
    return ActionError(
        "not_a_delegate",
        _("Khách mời – không tính vào số lượng: %(name)s (đến lúc %(time)s).")
        % {"name": name, "time": hhmm(at)},
        name=name,
        time=hhmm(at),
    )


def _late_replays(
    cursor: Any,
    congress_id: int,
    scans: list[_Scan],
    by_code: dict[str, _Roll],
    outcomes: dict[int, CheckInResult | BaseException],
) -> None:
    nonces = sorted({s.nonce for s in scans})
    cursor.execute(
        f"SELECT nonce, congress_id, action, at, delegate_id FROM {_q(CheckIn._meta.db_table)} "  # noqa: S608
        f"WHERE nonce IN ({_marks(nonces)})",
        nonces,
    )
    late = {n: _Done(c, a, _aware(at), d) for n, c, a, at, d in cursor.fetchall()}  # type: ignore[arg-type]
    for scan in scans:
        earlier = late.get(scan.nonce)
        if earlier is None:
            continue
        delegate = by_code[scan.code]
        if (
            earlier.congress_id != congress_id
            or earlier.action != CheckIn.Action.CHECK_IN
            or earlier.delegate_id != delegate.id
        ):
            outcomes[id(scan)] = _bad_nonce()
        else:
            outcomes[id(scan)] = delegate.result(earlier.action, earlier.at, is_repeat=True)
