"""The check-in desk, the attendance board and the congress state as JSON.

Views parse, call one action, and answer; the gate (`congress_view`) decides who and when. The desk's
JSON answers: `{"ok": true, "result": {...}, "attendance": {...}}` or
`{"ok": false, "error": {"code", "message", "params"}, "attendance": {...}}` (status 409 or 400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from daihoi.congress import live
from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.actions import checkin as actions
from daihoi.congress.attendance import Attendance, attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.json_body import BadJson, load_json
from daihoi.congress.models import Delegate, Guest
from daihoi.congress.names import search_key
from daihoi.rules.numbers import is_int, parse_int

DESK = (Role.ORGANIZER, Role.CREDENTIALS)
STAFF = tuple(sorted(Role.STAFF))
SEARCH_LIMIT = 20
# Refusals that are the request's fault (400) rather than the roll's state (409).
_BAD_REQUEST = frozenset(
    {"bad_nonce", "empty_code", "bad_delegate", "bad_guest", "reason_required", "reason_too_long"}
)


def quorum_labels() -> dict[str, str]:
    """The words the board's and desk's scripts put around the live numbers, in the reader's language."""
    return {
        "met": _("Đủ số lượng"),
        "not_met": _("Chưa đủ số lượng"),
        "line": _("%(head)s: %(present)s/%(convened)s đại biểu có mặt, cần %(required)s"),
        "warning": _(
            "Cảnh báo: số có mặt (%(present)s) không quá nửa N (%(base)s); không nội dung hay ứng cử viên nào "
            "có thể đạt quá nửa"
        ),
        "no_unit": _("Chưa xếp chi bộ"),
    }


def quorum_words(figures: Attendance) -> dict[str, str]:
    """The quorum line and the P3 warning as the page first shows them (the scripts redraw the same)."""
    labels = quorum_labels()
    q = figures.quorum
    return {
        "quorum_line": labels["line"]
        % {
            "head": labels["met"] if q.is_met else labels["not_met"],
            "present": figures.present,
            "convened": figures.convened,
            "required": q.required,
        },
        "quorum_warning": ""
        if q.majority_possible
        else labels["warning"] % {"present": figures.present, "base": figures.base.value},
    }


def desk_labels() -> dict[str, str]:
    return {
        **quorum_labels(),
        "sending": _("Đang gửi…"),
        "retrying": _("Mất kết nối, đang gửi lại…"),
        "failed": _("Không gửi được. Bấm để gửi lại."),
        "checked_in": _("Đã điểm danh"),
        "repeat": _("(đã ghi nhận trước đó)"),
        "seat": _("Ghế"),
        "check_in": _("Điểm danh"),
        "check_out": _("Ra về"),
        "excuse": _("Vắng có lý do"),
        "reason": _("Lý do vắng"),
        "save_excuse": _("Ghi vắng"),
        "checked_out": _("Đã ghi ra về"),
        "excused": _("Đã ghi vắng có lý do"),
        "no_results": _("Không tìm thấy đại biểu nào."),
        "alternate": _("Dự khuyết"),
        "guest": _("Khách mời – không tính vào số lượng"),
        "guest_arrived": _("Khách mời đã đến"),
        "welcome_guest": _("Đón khách"),
    }


def _payload(request: HttpRequest) -> dict[str, Any]:
    """The posted fields, from a JSON body (the desk's script) or a form."""
    if request.content_type == "application/json":
        try:
            data = load_json(request.body)
        except BadJson:
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST.dict()


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    return value if isinstance(value, str) else str(value)


def _answer(request: CongressRequest, act: Callable[[], actions.CheckInResult]) -> JsonResponse:
    congress = request.congress
    try:
        result = act()
    except ActionError as error:
        status = 400 if error.code in _BAD_REQUEST else 409
        return JsonResponse(
            {"ok": False, "error": error.as_dict(), "attendance": attendance(congress).as_dict()},
            status=status,
        )
    return JsonResponse(
        {"ok": True, "result": result.as_dict(), "attendance": attendance(congress).as_dict()}
    )


def _delegate(request: CongressRequest, data: dict[str, Any]) -> Delegate:
    raw = _text(data, "delegate")
    delegate = (
        Delegate.objects.filter(congress=request.congress, pk=parse_int(raw)).first()
        if is_int(raw, minimum=1)
        else None
    )
    if delegate is None:
        raise ActionError(
            "bad_delegate", _("Không tìm thấy đại biểu %(id)s trong đại hội này.") % {"id": raw}
        )
    return delegate


@never_cache
@require_GET
@congress_view(*DESK)
def desk(request: CongressRequest, slug: str) -> HttpResponse:
    """One big field for the scanner; search by name; live counts."""
    congress = request.congress
    figures = attendance(congress)
    return render(
        request,
        "congress/desk.html",
        {
            "congress": congress,
            "figures": figures,
            "is_closed": congress.state == congress.State.CLOSED,
            "labels": desk_labels(),
            **quorum_words(figures),
        },
    )


@never_cache
@require_POST
@congress_view(*DESK)
def desk_scan(request: CongressRequest, slug: str) -> JsonResponse:
    """Check in by the scanned code (`code`) or, from a search result, by id (`delegate`)."""
    data = _payload(request)
    actor = request.actor
    nonce = _text(data, "nonce")
    if data.get("guest") not in (None, ""):
        return _guest_answer(request, _text(data, "guest"))
    if data.get("delegate") not in (None, ""):
        return _answer(
            request, lambda: actions.check_in_delegate(_delegate(request, data), nonce=nonce, actor=actor)
        )
    # The figures come with the answer: read once for every scan written in the same group.
    answer = actions.check_in_at_desk(request.congress, _text(data, "code"), nonce=nonce, actor=actor)
    figures = answer.figures.as_dict()
    if answer.error is not None:
        status = 400 if answer.error.code in _BAD_REQUEST else 409
        return JsonResponse(
            {"ok": False, "error": answer.error.as_dict(), "attendance": figures}, status=status
        )
    assert answer.result is not None
    return JsonResponse({"ok": True, "result": answer.result.as_dict(), "attendance": figures})


def _guest_row(g: Guest) -> dict[str, Any]:
    return {
        "id": g.pk,
        "kind": "guest",
        "full_name": g.full_name,
        "title": ", ".join(p for p in (g.title, g.organization_name) if p),
        "arrived": g.checked_in_at is not None,
        "time": actions.hhmm(g.checked_in_at) if g.checked_in_at else "",
    }


def _guest_answer(request: CongressRequest, raw: str) -> JsonResponse:
    """A guest found by name arrives: recorded, never counted (the attendance figures do not move)."""
    congress = request.congress
    try:
        if not is_int(raw, minimum=1):
            raise ActionError(
                "bad_guest", _("Không tìm thấy khách mời %(id)s trong đại hội này.") % {"id": raw}
            )
        guest = actions.check_in_guest(congress, parse_int(raw), actor=request.actor)
    except ActionError as error:
        status = 400 if error.code in _BAD_REQUEST else 409
        return JsonResponse(
            {"ok": False, "error": error.as_dict(), "attendance": attendance(congress).as_dict()},
            status=status,
        )
    return JsonResponse(
        {"ok": True, "guest": _guest_row(guest), "attendance": attendance(congress).as_dict()}
    )


def _matching_guests(congress: Any, q: str) -> list[Guest]:
    """Guests whose name (without diacritics) contains `q`; a congress has tens of guests, not thousands."""
    if not q or is_int(q, minimum=1):
        return []
    found = [g for g in congress.guests.order_by("full_name", "pk") if q in search_key(g.full_name)]
    return found[:SEARCH_LIMIT]


@never_cache
@require_POST
@congress_view(*DESK)
def desk_check_out(request: CongressRequest, slug: str) -> JsonResponse:
    data = _payload(request)
    actor = request.actor
    return _answer(
        request, lambda: actions.check_out(_delegate(request, data), nonce=_text(data, "nonce"), actor=actor)
    )


@never_cache
@require_POST
@congress_view(*DESK)
def desk_excuse(request: CongressRequest, slug: str) -> JsonResponse:
    data = _payload(request)
    actor = request.actor
    return _answer(
        request,
        lambda: actions.mark_excused(
            _delegate(request, data), _text(data, "reason"), nonce=_text(data, "nonce"), actor=actor
        ),
    )


@never_cache
@require_GET
@congress_view(*DESK)
def desk_search(request: CongressRequest, slug: str) -> JsonResponse:
    """Delegates whose name (without diacritics) or number matches `q`: "nguyen van a" finds "Nguyễn Văn A";
    and guests whose name matches (`guests`)."""
    congress = request.congress
    q = search_key(request.GET.get("q", ""))[:100]
    found: list[Delegate] = []
    if q:
        matches = Delegate.objects.filter(congress=congress).select_related("unit")
        matches = (
            matches.filter(number=parse_int(q))
            if is_int(q, minimum=1)
            else matches.filter(search_name__contains=q)
        )
        found = list(matches.order_by("number")[:SEARCH_LIMIT])
    return JsonResponse(
        {
            "q": q,
            "results": [
                {
                    "id": d.pk,
                    "number": d.number,
                    "full_name": d.full_name,
                    "unit": d.unit.name if d.unit else "",
                    "seat_number": d.seat_number,
                    "standing": d.standing,
                    "standing_label": str(d.get_standing_display()),
                    "credential": d.credential,
                    "attendance": d.attendance,
                    "attendance_label": str(d.get_attendance_display()),
                    "time": actions.hhmm(d.checked_in_at) if d.checked_in_at else "",
                    "absence_reason": d.absence_reason,
                }
                for d in found
            ],
            "guests": [_guest_row(g) for g in _matching_guests(congress, q)],
        }
    )


@never_cache
@require_GET
@congress_view(*STAFF)
def board(request: CongressRequest, slug: str) -> HttpResponse:
    """The attendance board: counts, quorum, sub-units; kept current by the live socket."""
    congress = request.congress
    figures = attendance(congress)
    return render(
        request,
        "congress/board.html",
        {"congress": congress, "figures": figures, "labels": quorum_labels(), **quorum_words(figures)},
    )


@never_cache
@require_GET
@congress_view(*STAFF, Role.DELEGATE, Role.SCREEN)
def state_json(request: CongressRequest, slug: str) -> JsonResponse:
    """The public congress state: the same document the live socket sends (its polling fallback)."""
    return JsonResponse(live.congress_state(request.congress))
