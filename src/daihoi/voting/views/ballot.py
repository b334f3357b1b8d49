"""The delegate's electronic ballot, who has not yet voted, the verification mode and the receipts.

Views parse, call one action, render. Access (role and congress state) is the one gate's.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from daihoi.congress.access import Role, congress_view
from daihoi.congress.errors import ActionError
from daihoi.congress.json_body import BadJson, load_json
from daihoi.congress.models import Congress
from daihoi.rules.ruleset import ALL_STRUCK
from daihoi.voting.actions import ballots as actions
from daihoi.voting.actions.counting import ballot_places
from daihoi.voting.models import Election

IN_SESSION = {Congress.State.IN_SESSION}

# HTTP status for each refusal of a cast; anything else is a 400.
_STATUS = {
    "already_voted": 409,
    "election_not_open": 409,
    "may_not_vote": 403,
    "wrong_congress": 403,
    "electronic_casting_not_allowed": 403,
}


def _election(request: HttpRequest, election_id: int) -> Election:
    return get_object_or_404(
        Election.objects.select_related("congress"),
        pk=election_id,
        congress=request.congress,  # type: ignore[attr-defined]
    )


def _ballot_context(request: HttpRequest, election: Election, **extra: Any) -> dict[str, Any]:
    delegate = request.actor.delegate  # type: ignore[attr-defined]
    candidates = actions.ballot_candidates(election)
    context: dict[str, Any] = {
        "congress": request.congress,  # type: ignore[attr-defined]
        "election": election,
        "delegate": delegate,
        "candidates": candidates,
        "places": ballot_places(election),
        "has_voted": actions.has_voted(election, delegate),
        "refusal": None,
        "nonce": actions.new_nonce(),
        "kept": {c.code for c in candidates},  # a paper ballot starts with every name whole
        "all_struck_invalid": False,
    }
    try:
        actions.check_open(election)
        actions.check_electronic_allowed(election, election.congress)
        actions.check_may_cast(election, delegate)
        if candidates and election.seats:
            none_kept = actions.marks_for(candidates, [])
            verdict = actions.judge(election, candidates, none_kept)
            context["all_struck_invalid"] = verdict.invalid_reason == ALL_STRUCK
    except ActionError as refusal:
        context["refusal"] = refusal
    context.update(extra)
    return context


@never_cache
@require_http_methods(["GET", "POST"])
@congress_view(Role.DELEGATE, states=IN_SESSION)
def ballot(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    """The ballot on the phone. Without JavaScript the form posts here: review, then cast."""
    election = _election(request, election_id)
    if request.method == "GET":
        return render(request, "voting/ballot.html", _ballot_context(request, election))
    kept = request.POST.getlist("keep")
    nonce = request.POST.get("nonce", "")
    step = request.POST.get("step", "review")
    delegate = request.actor.delegate  # type: ignore[attr-defined]
    if step == "cast":
        try:
            result = actions.cast_electronic_ballot(election, delegate, kept, nonce=nonce)
        except ActionError as error:
            context = _ballot_context(request, election, error=error, kept=set(kept), nonce=nonce)
            return render(request, "voting/ballot.html", context, status=_STATUS.get(error.code, 400))
        return render(
            request,
            "voting/ballot_done.html",
            {"congress": request.congress, "election": election, "result": result},  # type: ignore[attr-defined]
        )
    context = _ballot_context(request, election, kept=set(kept), nonce=nonce or actions.new_nonce())
    if step == "edit" or context["refusal"] is not None or context["has_voted"]:
        return render(request, "voting/ballot.html", context)
    try:
        candidates = context["candidates"]
        verdict = actions.judge(election, candidates, actions.marks_for(candidates, kept))
        actions.refuse_over_selection(verdict)
    except ActionError as error:
        context["error"] = error
        return render(request, "voting/ballot.html", context, status=400)
    context["kept_candidates"] = [c for c in context["candidates"] if c.code in set(kept)]
    context["is_all_struck"] = actions.is_all_struck(verdict)
    return render(request, "voting/ballot_confirm.html", context)


@never_cache
@require_POST
@congress_view(Role.DELEGATE, states=IN_SESSION)
def cast(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    """The script's cast: JSON {"nonce": "...", "kept": ["c01", ...]}; answered only after commit."""
    try:
        body = load_json(request.body)
    except BadJson:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("kept", []), list):
        error = ActionError("bad_request", _("Dữ liệu gửi phiếu không đọc được; xin tải lại trang."))
        return JsonResponse({"error": error.as_dict()}, status=400)
    kept = [str(code) for code in body.get("kept", [])]
    try:
        # By id: the action reads (and locks) the election once; another congress's is `wrong_congress`.
        result = actions.cast_electronic_ballot(
            election_id,
            request.actor.delegate,  # type: ignore[attr-defined]
            kept,
            nonce=str(body.get("nonce", "")),
        )
    except Election.DoesNotExist:
        error = ActionError("no_election", _("Không có cuộc bầu cử này."))
        return JsonResponse({"error": error.as_dict()}, status=404)
    except ActionError as error:
        return JsonResponse({"error": error.as_dict()}, status=_STATUS.get(error.code, 400))
    return JsonResponse(result.as_dict())


@never_cache
@congress_view(Role.PRESIDIUM, Role.COUNTING)
def not_voted(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    """Who may vote and has not cast an electronic ballot yet: names only, never a ballot."""
    election = _election(request, election_id)
    missing = actions.not_voted(election)
    voted = actions.participation_count(election)
    if request.path.endswith(".json"):
        return JsonResponse(
            {
                "election": election.pk,
                "voted": voted,
                "not_voted": [{"number": d.number, "name": d.full_name} for d in missing],
            }
        )
    return render(
        request,
        "voting/not_voted.html",
        {"congress": request.congress, "election": election, "missing": missing, "voted": voted},  # type: ignore[attr-defined]
    )


@never_cache
@require_http_methods(["GET", "POST"])
@congress_view(Role.ORGANIZER)
def verification(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    """The organizer turns receipts on or off for one election, reading the trade-off first."""
    election = _election(request, election_id)
    error: ActionError | None = None
    if request.method == "POST":
        try:
            actions.set_verification_mode(
                election,
                enabled=request.POST.get("enabled") == "1",
                actor=request.actor,  # type: ignore[attr-defined]
            )
            return redirect("election_verification", slug=slug, election_id=election.pk)
        except ActionError as refused:
            error = refused
    return render(
        request,
        "voting/ballot_verification.html",
        {"congress": request.congress, "election": election, "error": error},  # type: ignore[attr-defined]
        status=409 if error else 200,
    )


@never_cache
@congress_view(Role.DELEGATE, *Role.STAFF)
def receipts(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    """After certification in verification mode: every receipt with its ballot; look up your own."""
    election = _election(request, election_id)
    context: dict[str, Any] = {"congress": request.congress, "election": election}  # type: ignore[attr-defined]
    try:
        rows = actions.published_receipts(election)
    except ActionError as refused:
        context["refusal"] = refused
        return render(request, "voting/receipts.html", context, status=404)
    looked_up = actions.normalize_receipt(request.GET.get("code", ""))
    context.update(
        {
            "rows": rows,
            "looked_up": looked_up,
            "found": next((r for r in rows if r.receipt == looked_up), None) if looked_up else None,
        }
    )
    return render(request, "voting/receipts.html", context)
