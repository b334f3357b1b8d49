"""The delegate's encrypted electronic ballot, who has not yet voted, the published trackers.

Views parse, call one action, render. Access (role and congress state) is the one gate's.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.errors import ActionError
from daihoi.congress.json_body import BadJson, load_json
from daihoi.congress.models import Congress
from daihoi.crypto.threshold import key_fingerprint
from daihoi.rules.ruleset import ALL_STRUCK
from daihoi.voting.actions import ballots as actions
from daihoi.voting.actions import evote
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


def _election(request: CongressRequest, election_id: int) -> Election:
    return get_object_or_404(
        Election.objects.select_related("congress"),
        pk=election_id,
        congress=request.congress,
    )


def _ballot_context(request: CongressRequest, election: Election, **extra: Any) -> dict[str, Any]:
    delegate = request.actor.delegate
    candidates = actions.ballot_candidates(election)
    context: dict[str, Any] = {
        "congress": request.congress,
        "election": election,
        "delegate": delegate,
        "candidates": candidates,
        "places": ballot_places(election),
        "has_voted": actions.has_voted(election, delegate),
        "refusal": None,
        "nonce": actions.new_nonce(),
        "spec_json": None,
        "public_key": None,
        "crypto_id": evote.crypto_id(election),
        "kept": {c.code for c in candidates},  # a paper ballot starts with every name whole
        "all_struck_invalid": False,
    }
    try:
        actions.check_open(election)
        actions.check_electronic_allowed(election, election.congress)
        actions.check_may_cast(election, delegate)
        key = evote.require_key(election)
        context["public_key"] = key.hex()
        context["fingerprint"] = key_fingerprint(key)
        context["spec_json"] = json.dumps(evote.election_poll(election).spec().to_json())
        if candidates and election.seats:
            none_kept = actions.marks_for(candidates, [])
            verdict = actions.judge(election, candidates, none_kept)
            context["all_struck_invalid"] = verdict.invalid_reason == ALL_STRUCK
    except ActionError as refusal:
        context["refusal"] = refusal
    context.update(extra)
    return context


@never_cache
@require_GET
@congress_view(Role.DELEGATE, states=IN_SESSION)
def ballot(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    """The ballot on the phone. The marks are encrypted by the page's script (ballot_crypto.js): there is
    no plain post any more, since the server must never receive a mark."""
    election = _election(request, election_id)
    return render(request, "voting/ballot.html", _ballot_context(request, election))


CAST_MAX_BYTES = 1024 * 1024


@never_cache
@require_POST
@congress_view(Role.DELEGATE, states=IN_SESSION)
def cast(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    """The script's cast: JSON {"nonce", "credential", "ballot": ciphertexts and proofs}; answered only
    after commit, with the ballot's tracker."""
    try:
        # An encrypted ballot is about 0.6 KB a candidate with its proofs: room for a 220-name list.
        body = load_json(request.body, max_bytes=CAST_MAX_BYTES)
    except BadJson:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("ballot"), dict):
        error = ActionError("bad_request", _("Dữ liệu gửi phiếu không đọc được; xin tải lại trang."))
        return JsonResponse({"error": error.as_dict()}, status=400)
    try:
        # By id: the action reads (and locks) the election once; another congress's is `wrong_congress`.
        result = actions.cast_electronic_ballot(
            election_id,
            request.actor.delegate,
            body["ballot"],
            credential=str(body.get("credential", "")),
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
def not_voted(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
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
        {"congress": request.congress, "election": election, "missing": missing, "voted": voted},
    )


@never_cache
@congress_view(Role.DELEGATE, *Role.STAFF)
def receipts(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    """After certification: every ballot's tracker; a voter looks up the one the phone showed."""
    election = _election(request, election_id)
    context: dict[str, Any] = {"congress": request.congress, "election": election}
    try:
        rows = actions.published_trackers(election)
    except ActionError as refused:
        context["refusal"] = refused
        return render(request, "voting/receipts.html", context, status=404)
    looked_up = "".join(ch for ch in request.GET.get("code", "").lower() if ch in "0123456789abcdef")
    context.update(
        {
            "rows": rows,
            "looked_up": looked_up,
            "found": next((r for r in rows if r.tracker == looked_up), None) if looked_up else None,
        }
    )
    return render(request, "voting/receipts.html", context)
