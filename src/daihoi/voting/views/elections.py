"""The election pages: the list, the step-by-step page of one election (P6) and the P20 switch.

Each POST view parses its form, calls one action from `daihoi.voting.actions.elections` and returns to
the election's page; a refusal is shown there with its coded, translated message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.congress.names import NameProblem, clean_name
from daihoi.rules.numbers import NumberError, parse_int
from daihoi.rules.rulesets import get_ruleset
from daihoi.voting.actions import elections as actions
from daihoi.voting.actions.vote_quorum import congress_base, present_voters
from daihoi.voting.models import Candidate, CountingMember, Election, Motion
from daihoi.voting.views.confirm import quorum_context, quorum_override_requested, require_confirmation
from daihoi.voting.views.links import election_links, gate_allows

IN_SESSION = {Congress.State.IN_SESSION}
MANAGE = (Role.PRESIDIUM, Role.ORGANIZER)
WATCH = (Role.PRESIDIUM, Role.ORGANIZER, Role.SECRETARIAT, Role.COUNTING)


def _election(request: CongressRequest, election_id: int) -> Election:
    return get_object_or_404(Election, pk=election_id, congress=request.congress)


def _delegate(request: CongressRequest, raw: str | None) -> Delegate | None:
    """A delegate of this congress by number (as printed on the roll), or None when left empty."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        number = parse_int(raw, field=_("Số thứ tự đại biểu"), minimum=1)
    except NumberError as bad:
        raise rule_error(bad) from bad
    found = Delegate.objects.filter(congress=request.congress, number=number).first()
    if found is None:
        raise ActionError(
            "unknown_delegate", _("Không có đại biểu số %(number)s.") % {"number": number}, number=number
        )
    return found


def _name(raw: str) -> str:
    """A typed nominee's name in its stored form (NFC, nothing invisible); control characters refused."""
    try:
        return clean_name(raw)
    except NameProblem as bad:
        raise ActionError(
            bad.code,
            _("%(field)s có ký tự điều khiển hoặc ký tự không hợp lệ (%(char)s, ký tự thứ %(position)s).")
            % {"field": _("Họ và tên"), "char": bad.char, "position": bad.position},
        ) from None


def _seats(raw: str | None) -> int:
    try:
        return parse_int(raw, field=_("Số lượng cần bầu"), minimum=1)
    except NumberError as bad:
        raise rule_error(bad) from bad


def _numbers(request: HttpRequest, raw: str) -> list[Delegate]:
    """Delegates by numbers typed as "12, 14 20"."""
    out = []
    for token in raw.replace(",", " ").split():
        d = _delegate(request, token)
        if d is not None:
            out.append(d)
    return out


def _step(
    request: HttpRequest, election: Election, do: Callable[[], Any], done: str | None = None
) -> HttpResponse:
    try:
        result = do()
    except ActionError as e:
        messages.error(request, e.message)
    else:
        if isinstance(result, Motion):
            messages.success(request, _("Đã tạo nội dung biểu quyết: %(title)s") % {"title": result.title})
        elif done:
            messages.success(request, done)
    return redirect("election_detail", slug=election.congress.slug, election_id=election.pk)


@require_GET
@congress_view(*WATCH)
def election_list(request: CongressRequest, slug: str) -> HttpResponse:
    congress = request.congress
    return render(
        request,
        "voting/elections.html",
        {
            "congress": congress,
            "elections": Election.objects.filter(congress=congress).order_by("pk"),
            "kinds": Election.Kind.choices,
            "modes": Election.DelegationMode.choices,
            "electronic_allowed": actions.electronic_allowed(congress),
            "may_manage": request.actor.has(*MANAGE),
            "is_organizer": request.actor.has(Role.ORGANIZER),
        },
    )


@require_POST
@congress_view(*MANAGE)
def election_create(request: CongressRequest, slug: str) -> HttpResponse:
    p = request.POST
    try:
        e = actions.create_election(
            request.congress,
            actor=request.actor,
            title=p.get("title", ""),
            kind=p.get("kind", Election.Kind.COMMITTEE),
            seats=p.get("seats"),
            alternates=p.get("alternates") or 0,
            delegation_mode=p.get("delegation_mode", Election.DelegationMode.SEPARATE),
            allows_paper=bool(p.get("allows_paper")),
            allows_electronic=bool(p.get("allows_electronic")),
            is_verifiable=bool(p.get("is_verifiable")),
        )
    except ActionError as err:
        messages.error(request, err.message)
        return redirect("election_list", slug=slug)
    return redirect("election_detail", slug=slug, election_id=e.pk)


@require_GET
@congress_view(*WATCH)
def election_detail(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    congress = request.congress
    e = _election(request, election_id)
    surplus: Any = None
    surplus_error = None
    if e.seats is not None and e.status == Election.Status.PREPARING:
        try:
            surplus = actions.check_list(e)
        except ActionError as err:
            surplus_error = err
    candidates = list(e.candidates.select_related("delegate"))
    voted = e.participations.count() if e.status == Election.Status.OPEN else 0
    return render(
        request,
        "voting/election_detail.html",
        {
            "congress": congress,
            "election": e,
            "steps": actions.workflow(e),
            "candidates": candidates,
            "on_list": [c for c in candidates if c.status == Candidate.Status.ON_LIST],
            "motions": e.motions.select_related("candidate").order_by("pk"),
            "counting": CountingMember.objects.filter(election=e)
            .select_related("delegate")
            .order_by("-is_head"),
            "surplus": surplus,
            "surplus_error": surplus_error,
            "warnings": actions.list_warnings(e),
            "places": actions.ballot_places(e),
            "next_round": actions.next_round_of(e),
            "rounds": e.next_rounds.all(),
            "present": present_voters(congress),
            "base": congress_base(congress),
            "electronic_allowed": actions.electronic_allowed(congress),
            **quorum_context(congress),
            "voted_electronically": voted,
            "not_voted_electronically": max(0, (e.present_at_vote or 0) - voted),
            "sources": [(s, label) for s, label in Candidate.Source.choices if s != Candidate.Source.CARRIED],
            "may_manage": request.actor.has(*MANAGE),
            "links": election_links(e, request.actor, congress),
            # The result goes on the projector by the counting committee's (or the presidium's) release.
            "may_release": e.status == Election.Status.CERTIFIED
            and gate_allows(reverse("count_release", args=[slug, e.pk]), request.actor, congress),
        },
    )


@require_POST
@congress_view(*MANAGE)
def election_casting(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    e = _election(request, election_id)
    p = request.POST
    return _step(
        request,
        e,
        lambda: actions.update_casting(
            e,
            actor=request.actor,
            allows_paper=bool(p.get("allows_paper")),
            allows_electronic=bool(p.get("allows_electronic")),
            is_verifiable=bool(p.get("is_verifiable")),
        ),
        _("Đã lưu hình thức bỏ phiếu."),
    )


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def election_seats(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    e = _election(request, election_id)
    return _step(
        request,
        e,
        lambda: actions.propose_seats(
            e,
            actor=request.actor,
            seats=_seats(request.POST.get("seats")),
            method=request.POST.get("method", Motion.Method.SHOW_OF_HANDS),
        ),
    )


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def election_add_candidate(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    e = _election(request, election_id)
    p = request.POST

    def add() -> Candidate:
        return actions.add_candidate(
            e,
            actor=request.actor,
            source=p.get("source", Candidate.Source.COMMITTEE),
            delegate=_delegate(request, p.get("delegate")),
            full_name=_name(p.get("full_name", "")),
            nominator=_delegate(request, p.get("nominator")),
            note=p.get("note", ""),
        )

    return _step(request, e, add, _("Đã ghi nhận người được giới thiệu."))


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def candidate_withdraw(
    request: CongressRequest, slug: str, election_id: int, candidate_id: int
) -> HttpResponse:
    e = _election(request, election_id)
    candidate = get_object_or_404(Candidate, pk=candidate_id, election=e)
    return _step(
        request,
        e,
        lambda: actions.request_withdrawal(
            candidate,
            actor=request.actor,
            reason=request.POST.get("reason", ""),
        ),
    )


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def election_counting_committee(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    e = _election(request, election_id)
    return _step(
        request,
        e,
        lambda: actions.propose_counting_committee(
            e,
            actor=request.actor,
            members=_numbers(request, request.POST.get("members", "")),
            head=_delegate(request, request.POST.get("head")),
        ),
    )


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def election_propose_list(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    e = _election(request, election_id)
    return _step(request, e, lambda: actions.propose_list(e, actor=request.actor))


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def election_open(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    e = _election(request, election_id)
    return _step(
        request,
        e,
        lambda: actions.open_election(
            e,
            actor=request.actor,
            quorum_override=quorum_override_requested(request),
        ),
        _("Đã bắt đầu bỏ phiếu."),
    )


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def election_close(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    e = _election(request, election_id)
    return _step(
        request,
        e,
        lambda: (
            require_confirmation(request),
            actions.close_election(e, actor=request.actor),
        ),
        _("Đã kết thúc bỏ phiếu; Ban Kiểm phiếu tiến hành kiểm phiếu."),
    )


@require_POST
@congress_view(*MANAGE, states=IN_SESSION)
def election_next_round(request: CongressRequest, slug: str, election_id: int) -> HttpResponse:
    e = _election(request, election_id)
    needs = request.POST.get("tie_round_needs_majority", "")
    return _step(
        request,
        e,
        lambda: actions.propose_next_round(
            e,
            actor=request.actor,
            tie_round_needs_majority={"yes": True, "no": False}.get(needs),
        ),
    )


@require_http_methods(["GET", "POST"])
@congress_view(Role.ORGANIZER)
def electronic_voting(request: CongressRequest, slug: str) -> HttpResponse:
    """P20: the organizer turns electronic casting on or off; the page states the consequence."""
    congress = request.congress
    if request.method == "POST":
        try:
            congress = actions.set_electronic_voting(
                congress,
                actor=request.actor,
                enabled=request.POST.get("enabled") == "1",
            )
            messages.success(request, _("Đã lưu cài đặt bỏ phiếu điện tử."))
        except ActionError as err:
            messages.error(request, err.message)
        return redirect("electronic_voting", slug=slug)
    rules = get_ruleset(congress.rules)
    return render(
        request,
        "voting/election_electronic_voting.html",
        {
            "congress": congress,
            "allowed": actions.electronic_allowed(congress),
            "by_organizer": rules.electronic_casting_by_organizer,
            "settable": rules.electronic_casting_settable,
        },
    )
