"""Motion pages: the presidium's list and control page, and the delegate's phone page.

Views parse, call one action and render; refusals come back as the action's coded, translated message.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.attendance import attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.rules.motions import motion_rule_text
from daihoi.voting.actions import evote, motion_ballots
from daihoi.voting.actions import motions as actions
from daihoi.voting.live_sections import motion_state
from daihoi.voting.models import Choice, KeyHolder, Motion
from daihoi.voting.views import evote as key_steps
from daihoi.voting.views.confirm import quorum_context, quorum_override_requested, require_confirmation
from daihoi.voting.views.links import motion_links

IN_SESSION = {Congress.State.IN_SESSION}
MANAGE = (Role.PRESIDIUM, Role.ORGANIZER)
WATCH = (Role.PRESIDIUM, Role.ORGANIZER, Role.SECRETARIAT)


def _motion(request: CongressRequest, motion_id: int) -> Motion:
    return get_object_or_404(Motion, pk=motion_id, congress=request.congress)


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch" or "application/json" in request.headers.get(
        "Accept", ""
    )


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@require_GET
@congress_view(*WATCH)
def motion_list(request: CongressRequest, slug: str) -> HttpResponse:
    congress = request.congress
    motions = congress.motions.select_related("election", "candidate").order_by("-pk")
    return render(
        request,
        "voting/motions.html",
        {
            "congress": congress,
            "motions": motions,
            "kinds": Motion.Kind.choices,
            "methods": Motion.Method.choices,
            "may_manage": request.actor.has(*MANAGE),
        },
    )


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def motion_create(request: CongressRequest, slug: str) -> HttpResponse:
    try:
        motion = actions.create_motion(
            request.congress,
            actor=request.actor,
            title=request.POST.get("title", ""),
            kind=request.POST.get("kind", Motion.Kind.OTHER),
            method=request.POST.get("method", Motion.Method.SHOW_OF_HANDS),
        )
    except ActionError as e:
        messages.error(request, e.message)
        return redirect("motion_list", slug=slug)
    return redirect("motion_detail", slug=slug, motion_id=motion.pk)


@require_GET
@congress_view(*WATCH)
def motion_detail(request: CongressRequest, slug: str, motion_id: int) -> HttpResponse:
    congress = request.congress
    motion = _motion(request, motion_id)
    state = motion_state(motion, congress)
    base = actions.congress_base(congress)
    voted = state.get("voted")
    return render(
        request,
        "voting/motion_detail.html",
        {
            "congress": congress,
            "motion": motion,
            "state": state,
            # Closing says how many have not answered yet (electronic and named votes).
            "not_voted": max(0, (state.get("eligible") or 0) - voted) if isinstance(voted, int) else None,
            "present": actions.present_voters(congress),
            "base": base,
            # The motion's N and test, from the rule set (N of P2, or the votes cast under approval).
            "motion_rule": motion_rule_text(
                given=base.value,
                given_explanation=base.explain(),
                ruleset=congress.rules,
                special=motion.is_special,
            ),
            # P3: when 2 × present ≤ N no motion can pass; the presidium must see it before the vote.
            "quorum_warnings": [w.message for w in attendance(congress).quorum.warnings],
            **quorum_context(congress),
            "may_manage": request.actor.has(*MANAGE),
            "links": motion_links(motion, request.actor, congress),
        },
    )


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def motion_open(request: CongressRequest, slug: str, motion_id: int) -> HttpResponse:
    motion = _motion(request, motion_id)
    try:
        actions.open_motion(
            motion,
            actor=request.actor,
            quorum_override=quorum_override_requested(request),
        )
    except ActionError as e:
        messages.error(request, e.message)
    return _back(request, reverse("motion_detail", args=[slug, motion.pk]))


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def motion_close(request: CongressRequest, slug: str, motion_id: int) -> HttpResponse:
    motion = _motion(request, motion_id)
    try:
        require_confirmation(request)
        closed = actions.close_motion(
            motion,
            actor=request.actor,
            yes=request.POST.get("yes"),
            no=request.POST.get("no"),
            abstain=request.POST.get("abstain"),
        )
        messages.success(request, closed.outcome)
    except ActionError as e:
        messages.error(request, e.message)
    return _back(request, reverse("motion_detail", args=[slug, motion.pk]))


@require_GET
@congress_view(*WATCH)
def motion_minutes_json(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    """Every figure of a motion's minutes, for the secretariat and the documents."""
    minutes = actions.motion_minutes(_motion(request, motion_id))
    return JsonResponse(minutes, json_dumps_params={"ensure_ascii": False})


# --- the delegate's phone ------------------------------------------------------------------------------


def _delegate_page(
    request: CongressRequest, status: int = 200, error: ActionError | None = None
) -> HttpResponse:
    congress = request.congress
    delegate = request.actor.delegate
    mine: dict[str, Any] = actions.delegate_motions(congress, delegate)
    secret: dict[str, Any] | None = None
    open_row = mine["open"]
    if open_row is not None and motion_ballots.is_secret(open_row) and not mine["has_voted_open"]:
        try:
            secret = motion_ballots.phone_context(open_row)
        except ActionError:
            secret = None  # the page says the key is missing
        else:
            secret["spec_json"] = json.dumps(secret["spec"])
            secret["answers_json"] = json.dumps(secret["answers"])
    return render(
        request,
        "voting/delegate_motions.html",
        {
            "congress": congress,
            "delegate": delegate,
            "mine": mine,
            "secret": secret,
            # A holder of the motion key finds its device page here (the ceremony, then each decryption).
            "is_key_holder": KeyHolder.objects.filter(
                ceremony__motions_of=congress, delegate=delegate
            ).exists(),
            "choices": Choice.choices,
            "nonce": secrets.token_urlsafe(16),
            "error": error,
        },
        status=status,
    )


@never_cache
@require_GET
@congress_view(Role.DELEGATE)
def delegate_motions(request: HttpRequest, slug: str) -> HttpResponse:
    """The open motion to answer, and the motions this delegate answered."""
    return _delegate_page(request)


@never_cache
@require_POST
@congress_view(Role.DELEGATE, states=IN_SESSION)
def motion_vote(request: CongressRequest, slug: str, motion_id: int) -> HttpResponse:
    """One answer from a phone; a retry with the same nonce counts once. An anonymous electronic motion
    takes the answer encrypted by motion_vote.js (JSON); a named one, the choice in the clear."""
    motion = _motion(request, motion_id)
    if motion_ballots.is_secret(motion) and request.content_type == "application/json":
        return _encrypted_vote(request, motion)
    try:
        counted = actions.cast_motion_vote(
            motion,
            actor=request.actor,
            choice=request.POST.get("choice", ""),
            nonce=request.POST.get("nonce", ""),
        )
    except ActionError as e:
        if _wants_json(request):
            return JsonResponse({"error": e.as_dict()}, status=409)
        return _delegate_page(request, status=409, error=e)
    if _wants_json(request):
        return JsonResponse({"ok": True, "counted_now": counted})
    return redirect(reverse("delegate_motions", args=[slug]) + "?voted=1")


# --- anonymous electronic motions, encrypted (issue 10): the phone's answer, the motion key ----------


def _json_body(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _bad_request() -> JsonResponse:
    error = ActionError("bad_request", _("Dữ liệu gửi lên không đọc được; xin tải lại trang."))
    return JsonResponse({"error": error.as_dict()}, status=400)


def _encrypted_vote(request: CongressRequest, motion: Motion) -> HttpResponse:
    """JSON {"ballot", "credential", "nonce"} from motion_vote.js: the answer encrypted on the phone."""
    body = _json_body(request)
    if body is None:
        return _bad_request()
    try:
        cast = motion_ballots.cast_encrypted(
            motion,
            actor=request.actor,
            ballot=body.get("ballot"),
            credential=body.get("credential", ""),
            nonce=body.get("nonce", ""),
        )
    except ActionError as e:
        return JsonResponse({"error": e.as_dict()}, status=409)
    return JsonResponse(cast.as_dict())


@never_cache
@require_http_methods(["GET", "POST"])
@congress_view(*MANAGE)
def motion_key_page(request: CongressRequest, slug: str) -> HttpResponse:
    """The congress's motion key ("Khóa biểu quyết kín"): the presidium or the organizer names the holders
    (delegate numbers) and follows their ceremony; the holders make the key on their own phones."""
    congress = request.congress
    error: ActionError | None = None
    if request.method == "POST":
        try:
            numbers = _numbers(request.POST.get("holders", ""))
            holders = list(congress.delegates.filter(number__in=numbers))
            missing = sorted(set(numbers) - {d.number for d in holders})
            if missing:
                raise ActionError(
                    "unknown_delegate",
                    _("Không có đại biểu số %(numbers)s trong đại hội.")
                    % {"numbers": ", ".join(map(str, missing))},
                )
            holders.sort(key=lambda d: numbers.index(d.number))
            motion_ballots.start_motion_ceremony(congress, actor=request.actor, holders=holders)
            return redirect("motion_key", slug=slug)
        except ActionError as refused:
            error = refused
    return render(
        request,
        "voting/motion_key_staff.html",
        {"congress": congress, "state": evote.ceremony_state(congress), "error": error},
        status=409 if error else 200,
    )


def _numbers(text: str) -> list[int]:
    from daihoi.rules.numbers import NumberError, parse_int

    out: list[int] = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            try:
                out.append(parse_int(part, field="holders", minimum=1))
            except NumberError:
                raise ActionError(
                    "bad_holders",
                    _("Danh sách người giữ khóa phải là số thứ tự đại biểu, cách nhau bằng dấu phẩy."),
                ) from None
    return list(dict.fromkeys(out))


@never_cache
@congress_view(Role.DELEGATE)
def motion_key_member(request: CongressRequest, slug: str) -> HttpResponse:
    """A holder's device: its part of the motion key's ceremony and of each motion's decryption."""
    congress = request.congress
    state = motion_ballots.holder_state(congress, request.actor.delegate)
    return render(
        request,
        "voting/key_member.html",
        {
            "congress": congress,
            "key_title": _("Khóa biểu quyết kín"),
            "state_url": reverse("motion_key_state", args=[slug]),
            "step_url": reverse("motion_key_step", args=[slug]),
            "state": state,
            "is_member": state.get("member") is not None,
        },
    )


@never_cache
@congress_view(Role.DELEGATE)
def motion_key_state(request: CongressRequest, slug: str) -> JsonResponse:
    return JsonResponse(motion_ballots.holder_state(request.congress, request.actor.delegate))


@never_cache
@require_POST
@congress_view(Role.DELEGATE)
def motion_key_step(request: CongressRequest, slug: str) -> JsonResponse:
    """JSON {"step": "transport"|"dealing"|"share"|"partial", ...} from a holder's device; a partial
    names its motion ({"motion": id})."""
    congress = request.congress
    delegate = request.actor.delegate
    body = _json_body(request)
    if body is None or body.get("step") not in key_steps.KEY_STEPS:
        return _bad_request()

    def partial() -> None:
        motion_id = body.get("motion")
        if not isinstance(motion_id, int):
            raise key_steps.bad_request()
        motion = get_object_or_404(Motion, pk=motion_id, congress=congress)
        actions.decrypt_motion(motion, actor=request.actor, partial=body.get("partial"))

    refused = key_steps.key_holder_step(congress, delegate, body, partial)
    if refused is not None:
        return refused
    return JsonResponse({"ok": True, "state": motion_ballots.holder_state(congress, delegate)})


@never_cache
@congress_view(Role.DELEGATE, *Role.STAFF)
def motion_record(request: CongressRequest, slug: str, motion_id: int) -> HttpResponse:
    """The published record of a decided anonymous electronic motion (JSON): `daihoi verify` checks it."""
    motion = _motion(request, motion_id)
    try:
        data = motion_ballots.motion_record(motion)
    except ActionError as refused:
        return JsonResponse({"error": refused.as_dict()}, status=404)
    return key_steps.record_download(data, f"motion-{motion.pk}-record.json")
