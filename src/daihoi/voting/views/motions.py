"""Motion pages: the presidium's list and control page, and the delegate's phone page.

Views parse, call one action and render; refusals come back as the action's coded, translated message.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.attendance import attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.rules.motions import motion_rule_text
from daihoi.voting.actions import motions as actions
from daihoi.voting.live_sections import motion_state
from daihoi.voting.models import Choice, Motion
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
    return render(
        request,
        "voting/delegate_motions.html",
        {
            "congress": congress,
            "delegate": delegate,
            "mine": mine,
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
    """One answer from a phone; a retry with the same nonce counts once."""
    motion = _motion(request, motion_id)
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
