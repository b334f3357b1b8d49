"""The counting committee's pages: paper ballot printing, keyboard entry by two teams, mismatches,
the running tally, certification and release; the minutes, the announcement and the ballots export.

Views parse, call one action, render. Access (role and congress state) is the one gate's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.rules.numbers import NumberError, is_int, parse_int, parse_optional_int
from daihoi.voting import documents
from daihoi.voting.actions import counting, paper
from daihoi.voting.actions.counting import ballot_list
from daihoi.voting.models import Election, Motion, PaperBatch
from daihoi.voting.views.confirm import require_confirmation

IN_SESSION = {Congress.State.IN_SESSION}
STAFF = (Role.ORGANIZER, Role.PRESIDIUM, Role.SECRETARIAT, Role.COUNTING)


def _election(request: CongressRequest, election_id: int) -> Election:
    return get_object_or_404(
        Election.objects.select_related("congress", "congress__organization"),
        pk=election_id,
        congress=request.congress,
    )


def _batch(request: CongressRequest, election_id: int, batch_id: int) -> PaperBatch:
    return get_object_or_404(
        PaperBatch.objects.select_related("election__congress"),
        pk=batch_id,
        election_id=election_id,
        election__congress=request.congress,
    )


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch" or request.path.endswith(".json")


def _refuse(request: HttpRequest, error: ActionError, back: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": error.as_dict()}, status=409 if error.code.endswith("state") else 400)
    messages.error(request, error.message)
    return redirect(back)


def team_session_key(batch_id: int) -> str:
    return f"daihoi:paper-team:{batch_id}"


# --- printable ballot -------------------------------------------------------------------------------


@require_GET
@congress_view(Role.ORGANIZER, Role.COUNTING)
def ballot_pdf(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    """P10: the paper ballot, A5 (or `?page=a4`), names in ballot order, stamp area top-left."""
    election = _election(request, election_id)
    if not ballot_list(election):
        messages.error(request, _("Danh sách bầu cử chưa có ứng cử viên."))
        return redirect("paper_batches", slug=slug, election_id=election.pk)
    data = documents.render_ballot_pdf(election, page=request.GET.get("page", "A5"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-bau-{election.pk}.pdf"'
    return response


# --- paper entry ------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@congress_view(Role.COUNTING, Role.ORGANIZER, states=IN_SESSION)
def paper_batches(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    """The batches of paper ballots; POST opens a new batch."""
    election = _election(request, election_id)
    here = reverse("paper_batches", kwargs={"slug": slug, "election_id": election.pk})
    if request.method == "POST":
        try:
            batch = paper.create_batch(election, request.actor, label=request.POST.get("label", ""))
        except ActionError as e:
            return _refuse(request, e, here)
        return redirect("paper_entry", slug=slug, election_id=election.pk, batch_id=batch.pk)
    batches = [
        {"batch": b, "comparison": paper.compare_batch(b)}
        for b in election.paper_batches.all().order_by("number")
    ]
    return render(
        request,
        "voting/paper_batches.html",
        {"congress": request.congress, "election": election, "batches": batches},
    )


def _batch_state(batch: PaperBatch, team: int | None) -> dict[str, Any]:
    """P18: until teams 1 and 2 have both finished the batch, a team sees only its own count of entries,
    never the other's, and no comparison; then the mismatches ballot by ballot."""
    comparison = paper.compare_batch(batch)
    compared = paper.both_finished(batch)
    entered = {str(t): n for t, n in comparison.entered.items() if compared or t == team}
    finished = list(batch.finished_teams or [])
    return {
        "batch": batch.number,
        "is_reconciled": batch.is_reconciled,
        "team": team,
        "entered": entered,
        "compared": compared,
        "is_finished": team in finished,
        "finished_teams": finished if compared else [t for t in finished if t == team],
        "ballots": comparison.ballots if compared else None,
        "mismatches": comparison.mismatches if compared else [],
        "agree": comparison.agree if compared else False,
        "next_ballot_number": paper.next_ballot_number(batch, team) if team else None,
    }


@never_cache
@require_http_methods(["GET", "POST"])
@congress_view(Role.COUNTING, Role.ORGANIZER, states=IN_SESSION)
def paper_entry(request: CongressRequest, slug: str, election_id: int, batch_id: int) -> HttpResponse:
    """One clerk's keyboard entry of a batch. POST `team` picks this session's team (P18)."""
    batch = _batch(request, election_id, batch_id)
    election = batch.election
    if request.method == "POST":
        back = redirect("paper_entry", slug=slug, election_id=election.pk, batch_id=batch.pk)
        if request.POST.get("finish") == "1":  # this session's team has entered the whole batch
            try:
                paper.finish_team(batch, request.actor, team=_team(request, batch))
            except ActionError as e:
                return _refuse(request, e, back.url)
            return back
        team = request.POST.get("team", "")
        if not batch.is_reconciled and is_int(team) and parse_int(team) in ENTRY_TEAMS:
            request.session[team_session_key(batch.pk)] = parse_int(team)
        return back
    team = request.session.get(team_session_key(batch.pk))
    listed = ballot_list(election)
    width = paper.digits_per_number(len(listed))
    return render(
        request,
        "voting/paper_entry.html",
        {
            "congress": request.congress,
            "election": election,
            "batch": batch,
            "team": team,
            "teams": ENTRY_TEAMS,
            "candidates": [(f"{i:0{width}d}", c.full_name) for i, c in enumerate(listed, start=1)],
            "width": width,
            **_keys_example(len(listed), width),
            "reasons": [
                (k, paper.reason_label(code))
                for k, code in paper.reason_keys(election.congress.rules).items()
            ],
            "state": _batch_state(batch, team),
        },
    )


# P18: two teams enter each batch independently (a third team is the action layer's option, not offered).
ENTRY_TEAMS = (1, 2)


def _keys_example(listed: int, width: int) -> dict[str, str]:
    """The help's example, true for this list: "37" strikes names 3 and 7 (only names that exist)."""
    numbers = [i for i in (3, 7) if i <= listed] or [1]
    return {
        "example": "".join(f"{i:0{width}d}" for i in numbers),
        "example_names": _(" và ").join(str(i) for i in numbers),
    }


def _require_both_finished(batch: PaperBatch) -> None:
    if not paper.both_finished(batch):
        raise ActionError(
            "teams_not_finished",
            _("Lô %(batch)s: cả hai tổ phải nhập xong trước khi so và xử lý phiếu chưa khớp.")
            % {"batch": batch.number},
        )


def _team(request: HttpRequest, batch: PaperBatch) -> int:
    team = request.session.get(team_session_key(batch.pk))
    if team not in paper.TEAMS:
        raise ActionError("no_team", _("Hãy chọn tổ nhập (1 hoặc 2) trước khi nhập phiếu."))
    return int(team)


@require_POST
@congress_view(Role.COUNTING, Role.ORGANIZER, states=IN_SESSION)
def paper_entry_save(request: CongressRequest, slug: str, election_id: int, batch_id: int) -> HttpResponse:
    """Save one ballot as read by this session's team; answers with the names struck and the next number."""
    batch = _batch(request, election_id, batch_id)
    back = reverse("paper_entry", kwargs={"slug": slug, "election_id": election_id, "batch_id": batch.pk})
    try:
        team = _team(request, batch)
        saved = paper.record_entry(
            batch,
            request.actor,
            team=team,
            ballot_number=_ballot_number(request),
            keys=request.POST.get("keys", ""),
        )
    except ActionError as e:
        return _refuse(request, e, back)
    if not _wants_json(request):
        messages.success(
            request,
            _("Phiếu %(n)s: %(text)s") % {"n": saved.entry.ballot_number, "text": saved.reading["text"]},
        )
        return redirect(back)
    return JsonResponse(
        {
            "saved": {"ballot_number": saved.entry.ballot_number, **saved.reading},
            "next_ballot_number": saved.next_ballot_number,
            "state": _batch_state(batch, team),
        }
    )


@require_POST
@congress_view(Role.COUNTING, Role.ORGANIZER, states=IN_SESSION)
def paper_entry_undo(request: CongressRequest, slug: str, election_id: int, batch_id: int) -> HttpResponse:
    batch = _batch(request, election_id, batch_id)
    back = reverse("paper_entry", kwargs={"slug": slug, "election_id": election_id, "batch_id": batch.pk})
    try:
        team = _team(request, batch)
        undone = paper.undo_last_entry(batch, request.actor, team=team)
    except ActionError as e:
        return _refuse(request, e, back)
    payload = {
        "undone": None if undone is None else undone.ballot_number,
        "next_ballot_number": undone.ballot_number if undone else paper.next_ballot_number(batch, team),
        "state": _batch_state(batch, team),
    }
    if not _wants_json(request):
        return redirect(back)
    return JsonResponse(payload)


@never_cache
@require_GET
@congress_view(Role.COUNTING, Role.ORGANIZER)
def paper_batch_state(request: HttpRequest, slug: str, election_id: int, batch_id: int) -> HttpResponse:
    batch = _batch(request, election_id, batch_id)
    return JsonResponse(_batch_state(batch, request.session.get(team_session_key(batch.pk))))


@require_POST
@congress_view(Role.COUNTING, states=IN_SESSION)
def paper_resolve(request: CongressRequest, slug: str, election_id: int, batch_id: int) -> HttpResponse:
    """The head of the counting committee settles one mismatched ballot from the paper (audited)."""
    batch = _batch(request, election_id, batch_id)
    back = reverse("paper_entry", kwargs={"slug": slug, "election_id": election_id, "batch_id": batch.pk})
    try:
        _require_both_finished(batch)
        paper.resolve_ballot(
            batch,
            request.actor,
            ballot_number=_ballot_number(request),
            keys=request.POST.get("keys", ""),
            discard=request.POST.get("discard") == "1",
        )
    except ActionError as e:
        return _refuse(request, e, back)
    messages.success(request, _("Đã xử lý phiếu số %(n)s.") % {"n": request.POST.get("ballot_number", "")})
    return redirect(back)


@require_POST
@congress_view(Role.COUNTING, states=IN_SESSION)
def paper_finalize(request: CongressRequest, slug: str, election_id: int, batch_id: int) -> HttpResponse:
    batch = _batch(request, election_id, batch_id)
    back = reverse("paper_entry", kwargs={"slug": slug, "election_id": election_id, "batch_id": batch.pk})
    try:
        _require_both_finished(batch)
        n = paper.finalize_batch(batch, request.actor)
    except ActionError as e:
        return _refuse(request, e, back)
    messages.success(
        request,
        ngettext(
            "Lô %(batch)s đã khớp và được chốt: %(n)s phiếu.",
            "Lô %(batch)s đã khớp và được chốt: %(n)s phiếu.",
            n,
        )
        % {"batch": batch.number, "n": n},
    )
    return redirect("paper_batches", slug=slug, election_id=election_id)


# --- the count ---------------------------------------------------------------------------------------


def _tally_or_error(election: Election) -> tuple[dict[str, Any] | None, ActionError | None]:
    try:
        return counting.running_tally(election), None
    except ActionError as e:
        return None, e


@never_cache
@require_GET
@congress_view(Role.COUNTING)
def count_page(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    """The counting committee's live tally (never on the screens), issued figure, certify and release."""
    election = _election(request, election_id)
    figures, error = _tally_or_error(election)
    return render(
        request,
        "voting/count.html",
        {
            "congress": request.congress,
            "election": election,
            "figures": figures,
            "error": error,
            "names": {c.code: c.full_name for c in election.candidates.all()},
            "pending": counting.unreconciled_batches(election),
            "result": counting.result_view(election) if election.result else None,
        },
    )


@never_cache
@require_GET
@congress_view(Role.COUNTING)
def count_json(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    election = _election(request, election_id)
    figures, error = _tally_or_error(election)
    if error is not None:
        return JsonResponse({"error": error.as_dict()}, status=409)
    return JsonResponse(figures)


def _count_url(slug: str, election_id: int) -> str:
    return reverse("count_page", kwargs={"slug": slug, "election_id": election_id})


def _ballot_number(request: HttpRequest) -> str:
    """The paper ballot's number as typed, checked as a number first (the action keeps it as text)."""
    try:
        return str(parse_int(request.POST.get("ballot_number"), field=_("Số phiếu"), minimum=1))
    except NumberError as bad:
        raise rule_error(bad) from bad


def _int(request: HttpRequest, name: str, label: str) -> int | None:
    try:
        return parse_optional_int(request.POST.get(name), field=label, minimum=0)
    except NumberError as bad:
        raise rule_error(bad) from bad


@require_POST
@congress_view(Role.COUNTING, states=IN_SESSION)
def count_issued(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    election = _election(request, election_id)
    try:
        issued = _int(request, "issued", _("Số phiếu phát ra"))
        if issued is None:
            raise ActionError("issued_missing", _("Hãy nhập số phiếu giấy phát ra."))
        counting.record_ballots_issued(election, request.actor, issued=issued)
    except ActionError as e:
        return _refuse(request, e, _count_url(slug, election.pk))
    return redirect(_count_url(slug, election.pk))


@require_POST
@congress_view(Role.COUNTING, states=IN_SESSION)
def count_certify(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    election = _election(request, election_id)
    try:
        require_confirmation(request)
        counting.certify(election, request.actor)
    except ActionError as e:
        return _refuse(request, e, _count_url(slug, election.pk))
    messages.success(request, _("Đã xác nhận kết quả kiểm phiếu."))
    return redirect(_count_url(slug, election.pk))


@require_POST
@congress_view(Role.COUNTING, Role.PRESIDIUM, states=IN_SESSION)
def count_release(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    election = _election(request, election_id)
    back = request.POST.get("next", "")
    if not back or not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = _count_url(slug, election.pk)
    release = request.POST.get("hide") != "1"
    try:
        if release:  # hiding again is not irreversible; putting the result on the screen is
            require_confirmation(request)
        counting.release_result(election, request.actor, released=release)
    except ActionError as e:
        return _refuse(request, e, back)
    return redirect(back)


# --- documents ---------------------------------------------------------------------------------------


def _document_response(doc: documents.Document, fmt: str) -> HttpResponse:
    render_fn, content_type = documents.RENDERERS[fmt]
    response = HttpResponse(render_fn(doc), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}.{fmt}"'
    return response


@require_GET
@congress_view(*STAFF)
def election_document(request: HttpRequest, slug: str, election_id: int, doc: str, fmt: str) -> HttpResponse:
    """The counting minutes or the result announcement, as DOCX or PDF, once certified."""
    election = _election(request, election_id)
    try:
        produced = documents.produce(doc, election)
    except ActionError as e:
        return _refuse(request, e, _count_url(slug, election.pk))
    return _document_response(produced, fmt)


@require_GET
@congress_view(*STAFF)
def motion_document(request: CongressRequest, slug: str, motion_id: int, fmt: str) -> HttpResponse:
    motion = get_object_or_404(
        Motion.objects.select_related("congress"), pk=motion_id, congress=request.congress
    )  # type: ignore[attr-defined]
    try:
        produced = documents.produce("motion_minutes", motion)
    except ActionError as e:
        messages.error(request, e.message)
        return redirect("home")
    return _document_response(produced, fmt)


@require_GET
@congress_view(*STAFF)
def ballots_zip(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    """The ballots as tally-format CSV files, after certification only."""
    election = _election(request, election_id)
    if election.status != Election.Status.CERTIFIED:
        return _refuse(
            request,
            ActionError("not_certified", _("Chỉ tải phiếu bầu sau khi kết quả đã được xác nhận.")),
            _count_url(slug, election.pk),
        )
    response = HttpResponse(documents.zip_bytes(election), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="phieu-bau-{election.pk}.zip"'
    return response
