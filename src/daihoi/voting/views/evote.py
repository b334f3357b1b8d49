"""The counting committee's key: the ceremony and the decryption of the totals, each member on their
own device (committee_page.js over committee_crypto.js), and the published election record.

Views parse, call one action, render. The server only relays and checks public parts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.errors import ActionError
from daihoi.voting.actions import evote
from daihoi.voting.models import Election


def _election(request: CongressRequest, election_id: int) -> Election:
    return get_object_or_404(
        Election.objects.select_related("congress"),
        pk=election_id,
        congress=request.congress,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@congress_view(Role.ORGANIZER, Role.PRESIDIUM, Role.COUNTING)
def key_page(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    """Staff: start (or restart) the ceremony, follow it, and prepare the totals at close."""
    election = _election(request, election_id)
    error: ActionError | None = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "totals":
                evote.prepare_totals(election)
            else:
                evote.start_ceremony(election, actor=request.actor)
            return redirect("election_key", slug=slug, election_id=election.pk)
        except ActionError as refused:
            error = refused
    return render(
        request,
        "voting/key_staff.html",
        {
            "congress": request.congress,
            "election": election,
            "state": evote.ceremony_state(election),
            "error": error,
        },
        status=409 if error else 200,
    )


@never_cache
@congress_view(Role.DELEGATE)
def member_page(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    """A counting-committee member's device: its part of the ceremony and of the decryption."""
    election = _election(request, election_id)
    delegate = request.actor.delegate
    state = evote.ceremony_state(election, delegate)
    return render(
        request,
        "voting/key_member.html",
        {
            "congress": request.congress,
            "election": election,
            "key_title": election.title,
            "state_url": reverse("member_key_state", args=[slug, election.pk]),
            "step_url": reverse("member_key_step", args=[slug, election.pk]),
            "state": state,
            "is_member": state.get("member") is not None,
        },
    )


@never_cache
@congress_view(Role.DELEGATE)
def member_state(request: CongressRequest, slug: str, election_id: int) -> JsonResponse:
    election = _election(request, election_id)
    return JsonResponse(evote.ceremony_state(election, request.actor.delegate))


KEY_STEPS = {"transport", "dealing", "share", "partial"}


def key_holder_step(
    owner: Any, delegate: Any, body: dict[str, Any], partial: Callable[[], None]
) -> JsonResponse | None:
    """One step from a key holder's device, for an election's key and a congress's motion key alike: the
    ceremony's transport key, dealing and share, or `partial` (the owner's own decryption share). The
    answer is the refusal, or None when the step was taken."""
    step = body["step"]
    try:
        if step == "transport":
            evote.publish_transport_key(owner, delegate, str(body.get("public", "")))
        elif step == "dealing":
            evote.submit_dealing(owner, delegate, body.get("dealing"))
        elif step == "share":
            complaints = body.get("complaints") or []
            if not isinstance(complaints, list) or not all(isinstance(j, int) for j in complaints):
                raise bad_request()
            evote.submit_share(owner, delegate, str(body.get("public", "")), body.get("proof"), complaints)
        else:
            partial()
    except ActionError as refused:
        status = 403 if refused.code == "not_key_holder" else 409 if refused.code == "ceremony_step" else 400
        return JsonResponse({"error": refused.as_dict()}, status=status)
    return None


def bad_request() -> ActionError:
    return ActionError("bad_request", _("Dữ liệu gửi lên không đọc được; xin tải lại trang."))


def record_download(data: dict[str, Any], filename: str) -> HttpResponse:
    """A published record (election or motion) as the JSON file `daihoi verify` reads."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_POST
@congress_view(Role.DELEGATE)
def member_step(request: CongressRequest, slug: str, election_id: int) -> JsonResponse:
    """JSON {"step": "transport"|"dealing"|"share"|"partial", ...}: one public part from the device."""
    election = _election(request, election_id)
    delegate = request.actor.delegate
    try:
        body: Any = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict) or body.get("step") not in KEY_STEPS:
        return JsonResponse({"error": bad_request().as_dict()}, status=400)
    refused = key_holder_step(
        election, delegate, body, lambda: evote.submit_partial(election, delegate, body.get("partial"))
    )
    if refused is not None:
        return refused
    return JsonResponse({"ok": True, "state": evote.ceremony_state(election, delegate)})


@never_cache
@congress_view(Role.DELEGATE, *Role.STAFF)
def record(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    """The published election record (JSON), after certification: `daihoi verify` checks it."""
    election = _election(request, election_id)
    if election.status != Election.Status.CERTIFIED:
        error = ActionError(
            "record_not_published", _("Hồ sơ cuộc bầu cử chỉ công bố sau khi xác nhận kết quả.")
        )
        return JsonResponse({"error": error.as_dict()}, status=404)
    try:
        data = evote.election_record(election)
    except ActionError as refused:
        return JsonResponse({"error": refused.as_dict()}, status=404)
    return record_download(data, f"election-{election.pk}-record.json")
