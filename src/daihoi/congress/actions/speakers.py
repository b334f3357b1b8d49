"""The speaker list: a delegate asks for the floor; the presidium orders, approves, starts and stops.

A request moves requested → approved → speaking → done, or ends declined or withdrawn. The queue is
the open requests (requested, approved) in `position` order. One speaker at a time: starting a speaker
ends the one speaking. Every function locks the congress row, so two presses never leave two speakers.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.actions.steps import commit_change, lock_congress, locked_row, require_in_session
from daihoi.congress.errors import ActionError
from daihoi.congress.models import AgendaItem, Congress, Delegate, SpeakerRequest

S = SpeakerRequest.Status
OPEN = (S.REQUESTED, S.APPROVED)
# A delegate holds at most one of these per agenda item.
ACTIVE = (S.REQUESTED, S.APPROVED, S.SPEAKING)
TOPIC_MAX = 300
REASON_MAX = 300
DEFAULT_TIME_LIMIT_SECONDS = 7 * 60
TIME_LIMIT_MIN_SECONDS = 30
TIME_LIMIT_MAX_SECONDS = 60 * 60
NEXT_ON_SCREEN = 5


def request_facts(r: SpeakerRequest) -> dict[str, Any]:
    return {
        "delegate": r.delegate.number,
        "agenda_item": r.agenda_item.title if r.agenda_item_id and r.agenda_item else None,
        "topic": r.topic,
        "status": r.status,
        "position": r.position,
        "time_limit_seconds": r.time_limit_seconds,
        "decline_reason": r.decline_reason,
    }


def _lock(congress: Congress) -> Congress:
    congress = lock_congress(congress)
    require_in_session(
        congress, _("Chỉ đăng ký và điều hành phát biểu khi đại hội đang họp (hiện: “%(state)s”).")
    )
    return congress


def _locked_request(congress: Congress, request: SpeakerRequest | int) -> SpeakerRequest:
    return locked_row(
        SpeakerRequest.objects.select_related("delegate", "agenda_item").filter(congress=congress),
        request,
        "request_not_found",
        _("Không tìm thấy lượt đăng ký phát biểu số %(id)s."),
        of_self=True,
    )


def _status_label(r: SpeakerRequest) -> str:
    return str(r.get_status_display())


def _save(
    congress: Congress,
    r: SpeakerRequest,
    actor: Actor,
    action: str,
    before: dict[str, Any],
    fields: list[str],
) -> SpeakerRequest:
    return commit_change(congress, r, actor, f"speaker.{action}", before, request_facts(r), fields)


def request_floor(congress: Congress, delegate: Delegate, actor: Actor, *, topic: str = "") -> SpeakerRequest:
    """A present delegate asks to speak on the current agenda item (one open request per item)."""
    topic = " ".join((topic or "").split())
    if len(topic) > TOPIC_MAX:
        raise ActionError(
            "topic_too_long",
            _("Nội dung phát biểu: dài %(length)s ký tự, tối đa %(max)s.")
            % {"length": len(topic), "max": TOPIC_MAX},
            field="topic",
            length=len(topic),
            max=TOPIC_MAX,
        )
    with transaction.atomic():
        congress = _lock(congress)
        delegate = Delegate.objects.select_for_update().get(pk=delegate.pk, congress=congress)
        if delegate.credential == Delegate.Credential.REJECTED:
            raise ActionError(
                "credential_rejected",
                _("Đại biểu %(name)s không đủ tư cách đại biểu, không thể đăng ký phát biểu.")
                % {"name": delegate.full_name},
            )
        if delegate.attendance != Delegate.Attendance.PRESENT:
            raise ActionError(
                "not_present",
                _(
                    "Đại biểu %(name)s chưa có mặt tại hội trường (điểm danh: “%(attendance)s”), chưa thể đăng ký phát biểu."
                )
                % {"name": delegate.full_name, "attendance": delegate.get_attendance_display()},
                attendance=delegate.attendance,
            )
        item = AgendaItem.objects.filter(congress=congress, status=AgendaItem.Status.CURRENT).first()
        if item is None:
            raise ActionError(
                "no_current_item",
                _(
                    "Chưa có nội dung nào của chương trình đang diễn ra; xin đăng ký khi Đoàn Chủ tịch mở nội dung."
                ),
            )
        held = SpeakerRequest.objects.filter(
            congress=congress, delegate=delegate, agenda_item=item, status__in=ACTIVE
        ).first()
        if held is not None:
            raise ActionError(
                "already_requested",
                _("Đại biểu đã đăng ký phát biểu về “%(item)s” (trạng thái: “%(status)s”).")
                % {"item": item.title, "status": _status_label(held)},
                request=held.pk,
            )
        last = SpeakerRequest.objects.filter(congress=congress).aggregate(m=Max("position"))["m"] or 0
        r = SpeakerRequest.objects.create(
            congress=congress,
            agenda_item=item,
            delegate=delegate,
            topic=topic,
            position=last + 1,
            time_limit_seconds=DEFAULT_TIME_LIMIT_SECONDS,
            requested_at=timezone.now(),
        )
        audit.record(
            actor=actor.label,
            action="speaker.request",
            congress_id=congress.pk,
            obj=r,
            after=request_facts(r),
        )
        live.publish(congress)
    return r


def withdraw_request(congress: Congress, request: SpeakerRequest | int, actor: Actor) -> SpeakerRequest:
    """The delegate takes back their own request while it waits (requested or approved)."""
    with transaction.atomic():
        congress = _lock(congress)
        r = _locked_request(congress, request)
        if actor.delegate is None or actor.delegate.pk != r.delegate_id:
            raise ActionError("not_yours", _("Chỉ đại biểu đã đăng ký mới rút được lượt phát biểu này."))
        if r.status not in OPEN:
            raise ActionError(
                "cannot_withdraw",
                _("Không thể rút: lượt phát biểu đang ở trạng thái “%(status)s”.")
                % {"status": _status_label(r)},
                status=r.status,
            )
        before = request_facts(r)
        r.status = S.WITHDRAWN
        return _save(congress, r, actor, "withdraw", before, ["status"])


def approve(congress: Congress, request: SpeakerRequest | int, actor: Actor) -> SpeakerRequest:
    """The presidium accepts a request; it stays in its place in the queue."""
    with transaction.atomic():
        congress = _lock(congress)
        r = _locked_request(congress, request)
        if r.status != S.REQUESTED:
            raise ActionError(
                "not_requested",
                _("Chỉ chấp thuận được lượt đang chờ; lượt của %(name)s đang ở trạng thái “%(status)s”.")
                % {"name": r.delegate.full_name, "status": _status_label(r)},
                status=r.status,
            )
        before = request_facts(r)
        r.status = S.APPROVED
        return _save(congress, r, actor, "approve", before, ["status"])


def decline(
    congress: Congress, request: SpeakerRequest | int, actor: Actor, *, reason: str = ""
) -> SpeakerRequest:
    """The presidium refuses a waiting request, with an optional reason the delegate sees."""
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX:
        raise ActionError(
            "reason_too_long",
            _("Lý do: dài %(length)s ký tự, tối đa %(max)s.") % {"length": len(reason), "max": REASON_MAX},
            field="reason",
        )
    with transaction.atomic():
        congress = _lock(congress)
        r = _locked_request(congress, request)
        if r.status not in OPEN:
            raise ActionError(
                "cannot_decline",
                _("Không thể từ chối: lượt của %(name)s đang ở trạng thái “%(status)s”.")
                % {"name": r.delegate.full_name, "status": _status_label(r)},
                status=r.status,
            )
        before = request_facts(r)
        r.status = S.DECLINED
        r.decline_reason = reason
        return _save(congress, r, actor, "decline", before, ["status", "decline_reason"])


def move(congress: Congress, request: SpeakerRequest | int, direction: str, actor: Actor) -> SpeakerRequest:
    """Swap a waiting request with its neighbour in the queue (`up` or `down`)."""
    if direction not in ("up", "down"):
        raise ActionError(
            "bad_direction",
            _("Hướng di chuyển không hợp lệ: “%(d)s”.") % {"d": direction},
            direction=direction,
        )
    with transaction.atomic():
        congress = _lock(congress)
        r = _locked_request(congress, request)
        if r.status not in OPEN:
            raise ActionError(
                "not_in_queue",
                _("Lượt của %(name)s không còn trong danh sách chờ (trạng thái “%(status)s”).")
                % {"name": r.delegate.full_name, "status": _status_label(r)},
                status=r.status,
            )
        queue = list(queue_requests(congress).select_for_update(of=("self",)))
        index = next(i for i, q in enumerate(queue) if q.pk == r.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(queue):
            raise ActionError(
                "cannot_move",
                (
                    _("%(name)s đã ở đầu danh sách.")
                    if direction == "up"
                    else _("%(name)s đã ở cuối danh sách.")
                )
                % {"name": r.delegate.full_name},
                direction=direction,
            )
        before = request_facts(r)
        queue[index], queue[other] = queue[other], queue[index]
        # Renumber the whole queue: positions may tie (equal requests) and a swap must still move.
        slots = sorted(q.position for q in queue)
        for q, slot in zip(queue, _increasing(slots), strict=True):
            if q.position != slot:
                SpeakerRequest.objects.filter(pk=q.pk).update(position=slot)
            if q.pk == r.pk:
                r.position = slot
        audit.record(
            actor=actor.label,
            action="speaker.move",
            congress_id=congress.pk,
            obj=r,
            before=before,
            after={**request_facts(r), "direction": direction},
        )
        live.publish(congress)
    return r


def _increasing(slots: list[int]) -> list[int]:
    out: list[int] = []
    for slot in slots:
        out.append(slot if not out or slot > out[-1] else out[-1] + 1)
    return out


def start_speaker(congress: Congress, request: SpeakerRequest | int, actor: Actor) -> SpeakerRequest:
    """Give the floor to an approved speaker; whoever was speaking is stopped first."""
    with transaction.atomic():
        congress = _lock(congress)
        r = _locked_request(congress, request)
        if r.status != S.APPROVED:
            raise ActionError(
                "not_approved",
                _(
                    "Chỉ mời phát biểu lượt đã được chấp thuận; lượt của %(name)s đang ở trạng thái “%(status)s”."
                )
                % {"name": r.delegate.full_name, "status": _status_label(r)},
                status=r.status,
            )
        now = timezone.now()
        for speaking in (
            SpeakerRequest.objects.select_for_update(of=("self",))
            .select_related("delegate", "agenda_item")
            .filter(congress=congress, status=S.SPEAKING)
        ):
            was = request_facts(speaking)
            speaking.status, speaking.ended_at = S.DONE, now
            _save(congress, speaking, actor, "stop", was, ["status", "ended_at"])
        before = request_facts(r)
        r.status, r.started_at, r.ended_at = S.SPEAKING, now, None
        return _save(congress, r, actor, "start", before, ["status", "started_at", "ended_at"])


def stop_speaker(congress: Congress, request: SpeakerRequest | int, actor: Actor) -> SpeakerRequest:
    """End the current speech."""
    with transaction.atomic():
        congress = _lock(congress)
        r = _locked_request(congress, request)
        if r.status != S.SPEAKING:
            raise ActionError(
                "not_speaking",
                _("%(name)s không đang phát biểu (trạng thái “%(status)s”).")
                % {"name": r.delegate.full_name, "status": _status_label(r)},
                status=r.status,
            )
        before = request_facts(r)
        r.status, r.ended_at = S.DONE, timezone.now()
        return _save(congress, r, actor, "stop", before, ["status", "ended_at"])


def set_time_limit(
    congress: Congress, request: SpeakerRequest | int, seconds: int, actor: Actor
) -> SpeakerRequest:
    """Change one speaker's time limit (also while speaking: the screen's timer follows)."""
    if not TIME_LIMIT_MIN_SECONDS <= seconds <= TIME_LIMIT_MAX_SECONDS:
        raise ActionError(
            "bad_time_limit",
            _("Thời gian phát biểu phải từ %(min)s giây đến %(max)s phút (đã nhập %(seconds)s giây).")
            % {"min": TIME_LIMIT_MIN_SECONDS, "max": TIME_LIMIT_MAX_SECONDS // 60, "seconds": seconds},
            field="time_limit",
            seconds=seconds,
        )
    with transaction.atomic():
        congress = _lock(congress)
        r = _locked_request(congress, request)
        if r.status not in ACTIVE:
            raise ActionError(
                "request_closed",
                _("Lượt của %(name)s đã kết thúc (trạng thái “%(status)s”).")
                % {"name": r.delegate.full_name, "status": _status_label(r)},
                status=r.status,
            )
        before = request_facts(r)
        r.time_limit_seconds = seconds
        return _save(congress, r, actor, "time_limit", before, ["time_limit_seconds"])


def queue_requests(congress: Congress):  # type: ignore[no-untyped-def]
    """The waiting requests in speaking order."""
    return (
        SpeakerRequest.objects.filter(congress=congress, status__in=OPEN)
        .select_related("delegate__unit", "agenda_item")
        .order_by("position", "requested_at", "id")
    )


def current_speaker(congress: Congress) -> SpeakerRequest | None:
    return (
        SpeakerRequest.objects.filter(congress=congress, status=S.SPEAKING)
        .select_related("delegate__unit", "agenda_item")
        .order_by("-started_at")
        .first()
    )


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="milliseconds") if value else None


@live.register_section("speaker")
def speaker_section(congress: Congress) -> dict[str, Any]:
    """Public facts only: who speaks (name, unit, topic, timer anchors) and the next approved names.

    `server_now` lets a screen compute the timer from the server's clock, not its own.
    """
    current = current_speaker(congress)
    queue = list(queue_requests(congress))
    approved = [r for r in queue if r.status == S.APPROVED]
    return {
        "server_now": _iso(timezone.now()),
        "current": None
        if current is None
        else {
            "id": current.pk,
            "name": current.delegate.full_name,
            "unit": current.delegate.unit.name if current.delegate.unit else "",
            "topic": current.topic,
            "agenda_item": current.agenda_item.title if current.agenda_item else "",
            "started_at": _iso(current.started_at),
            "time_limit_seconds": current.time_limit_seconds,
        },
        "next": [r.delegate.full_name for r in approved[:NEXT_ON_SCREEN]],
        "next_count": len(approved),
        "queue_size": len(queue),
    }
