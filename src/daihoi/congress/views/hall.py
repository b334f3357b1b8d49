"""The hall: the agenda, the speaker list (presidium and the delegate's phone) and the projector screen.

Views parse the form, call one action from `actions.agenda` / `actions.speakers`, and render. Access
(role and congress state) is decided by `congress_view` alone. A refused action re-renders the page
with the message and its code (400), or answers JSON to a fetch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from daihoi.congress import live, phone
from daihoi.congress.access import CongressRequest, Role, congress_view, screen_session_key
from daihoi.congress.actions import agenda as agenda_actions
from daihoi.congress.actions import speakers as speaker_actions
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.models import AgendaItem, Congress, Delegate, SpeakerRequest
from daihoi.rules.numbers import DB_INT_MAX, NumberError, parse_int

_O, _P, _S = Role.ORGANIZER, Role.PRESIDIUM, Role.SECRETARIAT
_EDITABLE = {Congress.State.PREPARATION, Congress.State.IN_SESSION}
_IN_SESSION = {Congress.State.IN_SESSION}
_TIME = re.compile(r"^\s*(\d{1,2})[:hH.](\d{2})\s*$")
_MINUTES = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*$")


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch" or "application/json" in request.headers.get(
        "Accept", ""
    )


def _refused(
    request: HttpRequest, error: ActionError, page: Callable[..., HttpResponse], **kwargs: Any
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": error.as_dict()}, status=400)
    return page(request, error=error, status=400, **kwargs)


def _done(request: HttpRequest, message: str, to: str, slug: str, **data: Any) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": message, **data})
    messages.success(request, message)
    return redirect(to, slug)


# ---------------------------------------------------------------- agenda


def _parse_item_form(data: Any) -> dict[str, Any]:
    raw_day = (data.get("day") or "1").strip()
    try:
        day = parse_int(raw_day, field=_("Ngày thứ"), minimum=None, maximum=DB_INT_MAX)
    except NumberError as bad:
        raise ActionError("bad_day", rule_error(bad).message, field="day") from None
    raw_time = (data.get("starts_at") or "").strip()
    starts_at = None
    if raw_time:
        match = _TIME.match(raw_time)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ActionError(
                "bad_time",
                _("Giờ bắt đầu: “%(value)s” không đúng dạng giờ:phút (ví dụ 07:30).") % {"value": raw_time},
                field="starts_at",
            )
        starts_at = dt.time(int(match[1]), int(match[2]))
    return {
        "title": data.get("title", ""),
        "presenter": data.get("presenter", ""),
        "day": day,
        "starts_at": starts_at,
    }


def _agenda_page(
    request: CongressRequest, *, error: ActionError | None = None, status: int = 200, form: Any = None
) -> HttpResponse:
    congress: Congress = request.congress
    actor = request.actor
    items = list(AgendaItem.objects.filter(congress=congress).order_by("order"))
    context = {
        "congress": congress,
        "items": items,
        "first_id": items[0].pk if items else None,
        "last_id": items[-1].pk if items else None,
        "may_edit": actor.has(_O) and congress.state in _EDITABLE,
        "may_run": actor.has(_P, _O) and congress.state in _IN_SESSION,
        "error": error,
        "form": form or {},
    }
    return render(request, "congress/agenda.html", context, status=status)


@never_cache
@require_GET
@congress_view(_P, _O, _S)
def agenda_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The agenda with its statuses; the organizer edits it, the presidium runs it."""
    return _agenda_page(request)


@require_POST
@congress_view(_O, states=_EDITABLE)
def agenda_add(request: CongressRequest, slug: str) -> HttpResponse:
    try:
        item = agenda_actions.add_item(
            request.congress,
            request.actor,
            **_parse_item_form(request.POST),
        )
    except ActionError as error:
        return _refused(request, error, _agenda_page, form=request.POST)
    return _done(
        request, _("Đã thêm “%(title)s”.") % {"title": item.title}, "agenda_manage", slug, id=item.pk
    )


@require_POST
@congress_view(_O, states=_EDITABLE)
def agenda_edit(request: CongressRequest, slug: str, item_id: int) -> HttpResponse:
    try:
        item = agenda_actions.edit_item(
            request.congress,
            item_id,
            request.actor,
            **_parse_item_form(request.POST),
        )
    except ActionError as error:
        return _refused(request, error, _agenda_page)
    return _done(request, _("Đã sửa “%(title)s”.") % {"title": item.title}, "agenda_manage", slug)


@require_POST
@congress_view(_O, states=_EDITABLE)
def agenda_move(request: CongressRequest, slug: str, item_id: int) -> HttpResponse:
    try:
        item = agenda_actions.move_item(
            request.congress,
            item_id,
            request.POST.get("direction", ""),
            request.actor,
        )
    except ActionError as error:
        return _refused(request, error, _agenda_page)
    return _done(request, _("Đã chuyển “%(title)s”.") % {"title": item.title}, "agenda_manage", slug)


@require_POST
@congress_view(_O, states=_EDITABLE)
def agenda_delete(request: CongressRequest, slug: str, item_id: int) -> HttpResponse:
    try:
        agenda_actions.delete_item(request.congress, item_id, request.actor)
    except ActionError as error:
        return _refused(request, error, _agenda_page)
    return _done(request, _("Đã xoá một nội dung khỏi chương trình."), "agenda_manage", slug)


@require_POST
@congress_view(_P, _O, states=_IN_SESSION)
def agenda_set_current(request: CongressRequest, slug: str, item_id: int) -> HttpResponse:
    try:
        item = agenda_actions.set_current_item(
            request.congress,
            item_id,
            request.actor,
        )
    except ActionError as error:
        return _refused(request, error, _agenda_page)
    return _done(request, _("Đang diễn ra: “%(title)s”.") % {"title": item.title}, "agenda_manage", slug)


@require_POST
@congress_view(_P, _O, states=_IN_SESSION)
def agenda_finish(request: CongressRequest, slug: str, item_id: int) -> HttpResponse:
    try:
        item = agenda_actions.finish_item(
            request.congress,
            item_id,
            request.actor,
        )
    except ActionError as error:
        return _refused(request, error, _agenda_page)
    return _done(request, _("Đã xong: “%(title)s”.") % {"title": item.title}, "agenda_manage", slug)


# ---------------------------------------------------------------- speakers (presidium)


def _speakers_page(
    request: CongressRequest, *, error: ActionError | None = None, status: int = 200
) -> HttpResponse:
    congress: Congress = request.congress
    actor = request.actor
    queue = list(speaker_actions.queue_requests(congress))
    finished = list(
        SpeakerRequest.objects.filter(congress=congress)
        .exclude(status__in=[*speaker_actions.OPEN, SpeakerRequest.Status.SPEAKING])
        .select_related("delegate__unit", "agenda_item")
        .order_by("-requested_at", "-id")[:50]
    )
    speaking = speaker_actions.current_speaker(congress)
    for r in [*queue, *([speaking] if speaking else [])]:
        r.limit_display = mmss(r.time_limit_seconds)  # type: ignore[attr-defined]
    context = {
        "congress": congress,
        "current_item": agenda_actions.current_item(congress),
        "speaking": speaking,
        "queue": queue,
        "first_id": queue[0].pk if queue else None,
        "last_id": queue[-1].pk if queue else None,
        "finished": finished,
        "may_act": actor.has(_P, _O) and congress.state in _IN_SESSION,
        "error": error,
        "Status": SpeakerRequest.Status,
        "default_minutes": speaker_actions.DEFAULT_TIME_LIMIT_SECONDS // 60,
    }
    return render(request, "congress/speakers.html", context, status=status)


@never_cache
@require_GET
@congress_view(_P, _O, _S)
def speakers_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The queue of requests to speak: reorder, approve, decline, start, stop, time limits."""
    return _speakers_page(request)


def mmss(seconds: int) -> str:
    """420 -> '7', 450 -> '7:30': what the presidium types back into the time field."""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}" if rest else str(minutes)


def _parse_minutes(raw: str) -> int:
    match = _MINUTES.match(raw or "")
    if not match or (match[2] is not None and int(match[2]) > 59):
        raise ActionError(
            "bad_time_limit",
            _("Thời gian phát biểu: “%(value)s” không đúng dạng phút hoặc phút:giây (ví dụ 7 hoặc 7:30).")
            % {"value": raw},
            field="time_limit",
        )
    return int(match[1]) * 60 + int(match[2] or 0)


def _speaker_action(
    request: CongressRequest,
    slug: str,
    request_id: int,
    run: Callable[[Congress, int, Any], SpeakerRequest],
    done: str,
) -> HttpResponse:
    try:
        r = run(request.congress, request_id, request.actor)
    except ActionError as error:
        return _refused(request, error, _speakers_page)
    return _done(request, done % {"name": r.delegate.full_name}, "speakers_manage", slug, status=r.status)


@require_POST
@congress_view(_P, _O, states=_IN_SESSION)
def speaker_approve(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    return _speaker_action(request, slug, request_id, speaker_actions.approve, _("Đã chấp thuận: %(name)s."))


@require_POST
@congress_view(_P, _O, states=_IN_SESSION)
def speaker_decline(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _speaker_action(
        request,
        slug,
        request_id,
        lambda c, r, a: speaker_actions.decline(c, r, a, reason=reason),
        _("Đã không chấp thuận: %(name)s."),
    )


@require_POST
@congress_view(_P, _O, states=_IN_SESSION)
def speaker_move(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    direction = request.POST.get("direction", "")
    return _speaker_action(
        request,
        slug,
        request_id,
        lambda c, r, a: speaker_actions.move(c, r, direction, a),
        _("Đã đổi thứ tự: %(name)s."),
    )


@require_POST
@congress_view(_P, _O, states=_IN_SESSION)
def speaker_start(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    return _speaker_action(
        request, slug, request_id, speaker_actions.start_speaker, _("Mời đại biểu %(name)s phát biểu.")
    )


@require_POST
@congress_view(_P, _O, states=_IN_SESSION)
def speaker_stop(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    return _speaker_action(
        request, slug, request_id, speaker_actions.stop_speaker, _("Đã kết thúc phần phát biểu của %(name)s.")
    )


@require_POST
@congress_view(_P, _O, states=_IN_SESSION)
def speaker_time_limit(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    raw = request.POST.get("minutes", "")

    def run(c: Congress, r: int, a: Any) -> SpeakerRequest:
        return speaker_actions.set_time_limit(c, r, _parse_minutes(raw), a)

    return _speaker_action(request, slug, request_id, run, _("Đã đổi thời gian phát biểu của %(name)s."))


# ---------------------------------------------------------------- the delegate's phone


def _delegate_page(
    request: CongressRequest, *, error: ActionError | None = None, status: int = 200, topic: str = ""
) -> HttpResponse:
    congress: Congress = request.congress
    delegate: Delegate = request.actor.delegate
    delegate.refresh_from_db()
    item = agenda_actions.current_item(congress)
    mine = list(
        SpeakerRequest.objects.filter(congress=congress, delegate=delegate)
        .select_related("agenda_item")
        .order_by("-requested_at", "-id")
    )
    held = next(
        (
            r
            for r in mine
            if item is not None and r.agenda_item_id == item.pk and r.status in speaker_actions.ACTIVE
        ),
        None,
    )
    speaking = speaker_actions.current_speaker(congress)
    context = {
        "congress": congress,
        "delegate": delegate,
        "item": item,
        "requests": mine,
        "held": held,
        "is_present": delegate.attendance == Delegate.Attendance.PRESENT,
        "in_session": congress.state == Congress.State.IN_SESSION,
        "speaking": speaking,
        "is_speaking": speaking is not None and speaking.delegate_id == delegate.pk,
        "open_statuses": speaker_actions.OPEN,
        "error": error,
        "topic": topic,
        "open_items": phone.open_for(congress, delegate),
        "drafts_url": _url_or_none("my_drafts", congress.slug),
    }
    return render(request, "congress/delegate_home.html", context, status=status)


def _url_or_none(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@never_cache
@require_GET
@congress_view(Role.DELEGATE)
def delegate_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The delegate's phone home: what is open for them now (ballots, motions), the current item,
    attendance, asking for the floor, own requests, the documents and a sign-out."""
    return _delegate_page(request)


@require_POST
@congress_view(Role.DELEGATE)
def delegate_sign_out(request: HttpRequest, slug: str) -> HttpResponse:
    """Forget the card on this phone (a shared phone passes to the next delegate)."""
    request.session.flush()
    messages.info(request, _("Đã đăng xuất. Quét thẻ hoặc nhập mã để đăng nhập lại."))
    # Marked, so the sign-in page (and the access tests) tell a chosen sign-out from a lost session.
    return redirect(reverse("delegate_login") + "?signed_out=1")


@require_POST
@congress_view(Role.DELEGATE, states=_IN_SESSION)
def delegate_request_floor(request: CongressRequest, slug: str) -> HttpResponse:
    topic = request.POST.get("topic", "")
    try:
        speaker_actions.request_floor(
            request.congress,
            request.actor.delegate,
            request.actor,
            topic=topic,
        )
    except ActionError as error:
        return _refused(request, error, _delegate_page, topic=topic)
    return _done(request, _("Đã đăng ký phát biểu. Xin chờ Đoàn Chủ tịch mời."), "delegate_home", slug)


@require_POST
@congress_view(Role.DELEGATE, states=_IN_SESSION)
def delegate_withdraw(request: CongressRequest, slug: str, request_id: int) -> HttpResponse:
    try:
        speaker_actions.withdraw_request(
            request.congress,
            request_id,
            request.actor,
        )
    except ActionError as error:
        return _refused(request, error, _delegate_page)
    return _done(request, _("Đã rút đăng ký phát biểu."), "delegate_home", slug)


# ---------------------------------------------------------------- the projector


def roman(n: int) -> str:
    """15 -> 'XV' (congress ordinals are written in Roman numerals)."""
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


@never_cache
@require_GET
@congress_view(Role.SCREEN)
def screen(request: CongressRequest, slug: str, token: str) -> HttpResponse:
    """The projector: read-only, full screen, live. The token is remembered so polling works too."""
    congress: Congress = get_object_or_404(Congress, pk=request.congress.pk)
    request.session[screen_session_key(congress.pk)] = congress.screen_token
    context = {
        "congress": congress,
        "token": token,
        "ordinal_roman": roman(congress.ordinal),
        # The name usually says "lần thứ XV" already; the subtitle says it only when it does not.
        "show_ordinal": f"lần thứ {roman(congress.ordinal)}".casefold() not in congress.name.casefold(),
        "time_zone": timezone.get_current_timezone_name(),
        "state": live.congress_state(congress),
    }
    return render(request, "congress/screen.html", context)
