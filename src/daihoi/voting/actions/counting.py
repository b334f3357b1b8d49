"""The count of an election: gather the agreed paper ballots and the electronic ballots, count them with
the rules core, certify (P17 reconciliation first, P18 entries agreed), and release the result to screens.

Every figure comes from `daihoi.rules.counting`; nothing here re-decides a rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import anchor
from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.rules import counting as core
from daihoi.rules.errors import RuleError
from daihoi.rules.figures import base_statement
from daihoi.rules.ordering import ballot_order
from daihoi.rules.rulesets import get_ruleset
from daihoi.voting.models import Candidate, Election, ElectronicBallot, PaperBallot, PaperBatch


def in_ballot_order(candidates: Iterable[Candidate]) -> list[Candidate]:
    """P10 through the core (`rules.ordering.ballot_order`), equal names by id."""
    return ballot_order(sorted(candidates, key=lambda c: c.pk), name=lambda c: c.full_name)


def ballot_list(election: Election) -> list[Candidate]:
    """The candidates on the ballot in ballot order: the positions set at list approval, or P10's order."""
    on_list = list(election.candidates.filter(status=Candidate.Status.ON_LIST))
    if on_list and all(c.ballot_position for c in on_list):
        return sorted(on_list, key=lambda c: (c.ballot_position, c.pk))
    return in_ballot_order(on_list)


def alternates_on_ballot(election: Election) -> int:
    """P15 through the core: the alternates elected on this election's ballot (none when `separate`)."""
    try:
        return core.alternates_on_ballot(election.alternates, election.delegation_mode)
    except RuleError as e:
        raise rule_error(e) from e


def ballot_places(election: Election) -> int:
    """The names a voter may keep on this election's ballot (`rules.counting.places`)."""
    return core.places(election.seats or 0, alternates_on_ballot(election))


def core_election(election: Election, candidates: Sequence[Candidate] | None = None) -> core.Election:
    """The rules core's view of the election: list, seats, alternates, N, rule set, tie round."""
    listed = ballot_list(election) if candidates is None else list(candidates)
    if not listed:
        raise ActionError("no_candidates", _("Danh sách bầu cử chưa có ứng cử viên."))
    if not election.seats:
        raise ActionError("no_seats", _("Chưa có số lượng cần bầu."))
    # A round held for a tie (P13) is flagged by the next-round action; older rows are read from the
    # previous round's result.
    is_tie_round = bool(getattr(election, "is_tie_round", False))
    previous = election.previous_round
    if not is_tie_round and previous is not None and previous.result:
        next_round = previous.result.get("next_round") or {}
        is_tie_round = next_round.get("reason") == "tie"
    try:
        return core.Election(
            candidates=tuple(core.Candidate(c.code, c.full_name) for c in listed),
            seats=election.seats,
            alternates=alternates_on_ballot(election),
            base=election.base,
            ruleset=get_ruleset(election.congress.rules),
            is_tie_round=is_tie_round,
            tie_round_needs_majority=getattr(election, "tie_round_needs_majority", None),
        )
    except RuleError as e:
        raise rule_error(e) from e


def _marks(marks: dict[str, Any], listed: Sequence[Candidate], ballot: str) -> tuple[int | None, ...]:
    try:
        return tuple(marks[c.code] for c in listed)
    except KeyError as e:
        raise ActionError(
            "ballot_missing_mark",
            _("Phiếu %(ballot)s không có ô của ứng cử viên %(code)s.")
            % {"ballot": ballot, "code": e.args[0]},
        ) from e


def paper_ballots(election: Election, listed: Sequence[Candidate]) -> list[core.Ballot]:
    """The agreed paper ballots (P18), numbered as on paper."""
    return [
        core.Ballot(p.ballot_number, _marks(p.marks, listed, p.ballot_number), p.invalid_reason or None)
        for p in PaperBallot.objects.filter(election=election).order_by("ballot_number")
    ]


@dataclass(frozen=True)
class Gathered:
    """What is counted: the core election, the paper ballots, and the issued/present figures."""

    election: core.Election
    ballots: list[core.Ballot]
    paper: int
    electronic: int
    issued: int | None
    present: int | None


def gather(election: Election) -> Gathered:
    """The paper ballots, one by one. Electronic ballots are never read one by one: only their
    decrypted totals are counted (`evote.electronic_totals`)."""
    listed = ballot_list(election)
    ce = core_election(election, listed)
    paper = paper_ballots(election, listed)
    # While the vote is open not even the number of e-ballots is part of a count.
    closed = election.status in (Election.Status.CLOSED, Election.Status.CERTIFIED)
    electronic = ElectronicBallot.objects.filter(election=election).count() if closed else 0
    return Gathered(ce, paper, len(paper), electronic, election.ballots_issued, election.present_at_vote)


def unreconciled_batches(election: Election) -> list[PaperBatch]:
    """P18: batches whose entries have not yet been agreed and turned into counted ballots."""
    return [b for b in election.paper_batches.all() if not b.is_reconciled and b.entries.exists()]


def count_election(election: Election) -> core.ElectionResult:
    """Count the agreed paper ballots and the electronic ballots' decrypted totals; ActionError with the
    figures if the count does not reconcile (P17) or the ballots are unusable."""
    from daihoi.crypto.totals import count_election_totals
    from daihoi.voting.actions import evote

    if election.allows_paper and election.ballots_issued is None and election.paper_ballots.exists():
        raise ActionError(
            "issued_missing", _("Ban Kiểm phiếu chưa nhập số phiếu giấy phát ra."), election=election.pk
        )
    electronic = evote.electronic_totals(election)
    g = gather(election)
    try:
        if electronic is None:
            return core.tally(g.election, g.ballots, issued=g.issued, present=g.present)
        return count_election_totals(g.election, electronic, evote.paper_totals(election, g.election))
    except RuleError as e:
        raise rule_error(e) from e


def running_tally(election: Election) -> dict[str, Any]:
    """The counting committee's live figures: agreed paper ballots, plus the electronic totals only once
    the committee has decrypted them. Not reconciled: it is a running count."""
    from daihoi.crypto.totals import count_election_totals
    from daihoi.voting.actions import evote

    g = gather(election)
    electronic = None
    if election.status in (Election.Status.CLOSED, Election.Status.CERTIFIED):
        try:
            electronic = evote.electronic_totals(election)
        except ActionError:
            electronic = None
    try:
        if electronic is None:
            counted = core.count_ballots(g.election, g.ballots)
            result = core.decide(g.election, counted, issued=g.issued)
        else:
            paper = evote.paper_totals(election, g.election)
            result = count_election_totals(g.election, electronic, paper)
    except RuleError as e:
        raise rule_error(e) from e
    figures = result.to_dict()
    figures["base_statement"] = base_statement(
        election.congress.rules, base=result.base, given_explanation=election.base_explanation
    )
    figures["paper"] = g.paper
    figures["electronic"] = g.electronic
    figures["includes_electronic"] = electronic is not None
    return figures


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("congress").get(pk=election.pk)


def record_ballots_issued(
    election: Election, actor: Actor, *, issued: int, present: int | None = None
) -> None:
    """The counting committee enters how many paper ballots it handed out (and, if not fixed yet, how
    many delegates were present at the vote)."""
    if issued < 0 or (present is not None and present < 0):
        raise ActionError("negative_count", _("Số phiếu không được âm."))
    with transaction.atomic():
        e = _locked(election)
        if e.status not in (Election.Status.OPEN, Election.Status.CLOSED):
            raise ActionError(
                "election_state",
                _("Chỉ nhập số phiếu phát ra khi đang bỏ phiếu hoặc đang kiểm phiếu (hiện: %(state)s).")
                % {"state": e.get_status_display()},
            )
        before = {"ballots_issued": e.ballots_issued, "present_at_vote": e.present_at_vote}
        e.ballots_issued = issued
        fields = ["ballots_issued"]
        if present is not None:
            e.present_at_vote = present
            fields.append("present_at_vote")
        e.save(update_fields=fields)
        audit.record(
            actor=actor.label,
            action="election.ballots_issued",
            congress_id=e.congress_id,
            obj=e,
            before=before,
            after={"ballots_issued": e.ballots_issued, "present_at_vote": e.present_at_vote},
        )
    election.refresh_from_db()


def certify(election: Election, actor: Actor) -> core.ElectionResult:
    """P17/P18: refuse while a batch disagrees or the figures do not reconcile; else store the result."""
    with transaction.atomic():
        e = _locked(election)
        if e.status != Election.Status.CLOSED:
            raise ActionError(
                "election_state",
                _("Chỉ xác nhận kết quả sau khi đã đóng bỏ phiếu (hiện: %(state)s).")
                % {"state": e.get_status_display()},
            )
        pending = unreconciled_batches(e)
        if pending:
            numbers = ", ".join(str(b.number) for b in pending)
            raise ActionError(
                "batches_not_agreed",
                _("Chưa thể xác nhận: lô phiếu %(numbers)s chưa khớp giữa các tổ nhập hoặc chưa chốt.")
                % {"numbers": numbers},
                batches=[b.number for b in pending],
            )
        result = count_election(e)
        e.result = result.to_dict()
        e.status = Election.Status.CERTIFIED
        e.certified_at = timezone.now()
        e.save(update_fields=["result", "status", "certified_at"])
        audit.record(
            actor=actor.label,
            action="election.certify",
            congress_id=e.congress_id,
            obj=e,
            before={"status": Election.Status.CLOSED},
            after={"status": e.status, "result": e.result},
        )
        anchor.record("election.certify", f"election:{e.pk}", congress_id=e.congress_id)
        live.publish(e.congress)
    election.refresh_from_db()
    return result


def release_result(election: Election, actor: Actor, *, released: bool = True) -> None:
    """Show (or hide) a certified result on the screens."""
    with transaction.atomic():
        e = _locked(election)
        if e.status != Election.Status.CERTIFIED:
            raise ActionError("not_certified", _("Chỉ công bố kết quả đã được Ban Kiểm phiếu xác nhận."))
        before = e.is_released
        e.is_released = released
        e.save(update_fields=["is_released"])
        audit.record(
            actor=actor.label,
            action="election.release" if released else "election.unrelease",
            congress_id=e.congress_id,
            obj=e,
            before={"is_released": before},
            after={"is_released": released},
        )
        anchor.record(
            f"election.{'release' if released else 'unrelease'}",
            f"election:{e.pk}",
            congress_id=e.congress_id,
        )
        live.publish(e.congress)
    election.refresh_from_db()


def result_view(election: Election) -> dict[str, Any]:
    """A certified result for people: names with each figure, candidates in rank order."""
    r = election.result or {}
    names = {c["id"]: c["name"] for c in r.get("candidates", [])}
    # By votes; equal votes keep the ballot order (the result lists candidates in ballot order).
    ranked = [c for _, c in sorted(enumerate(r.get("candidates", [])), key=lambda p: (p[1]["rank"], p[0]))]
    next_round = r.get("next_round")
    elected = [names[i] for i in r.get("elected", [])]
    alternates = [names[i] for i in r.get("elected_alternates", [])]
    if getattr(election, "elects_alternates", False):
        # A round held for alternate places only: those it elects are alternates.
        elected, alternates = [], elected
    return {
        "election": election.pk,
        "title": election.title,
        "round": election.round,
        "elects_alternates": bool(getattr(election, "elects_alternates", False)),
        "seats": r.get("seats"),
        "alternates": r.get("alternates", 0),
        "base": r.get("base"),
        # One N, stated the same way on the count page, the projector and the minutes.
        "base_statement": base_statement(
            election.congress.rules, base=r.get("base") or 0, given_explanation=election.base_explanation
        ),
        "rules": r.get("rules"),
        "ballots": r.get("ballots", {}),
        "candidates": [
            {k: c[k] for k in ("id", "name", "votes", "percent", "passed_threshold", "result", "rank")}
            for c in ranked
        ],
        "elected": elected,
        "elected_alternates": alternates,
        "unfilled_seats": r.get("unfilled_seats", 0),
        "next_round": None
        if not next_round
        else {
            "reason": next_round["reason"],
            "seats": next_round["seats"],
            "candidates": [names[i] for i in next_round["candidates"]],
        },
    }


@live.register_section("result")
def result_section(congress: Congress) -> dict[str, Any] | None:
    """The last released result of the congress, for the projector; None until one is released."""
    election = (
        Election.objects.filter(congress=congress, status=Election.Status.CERTIFIED, is_released=True)
        .order_by("-certified_at", "-pk")
        .first()
    )
    if election is None:
        return None
    return {**result_view(election), "anchor": anchor.shown(f"election:{election.pk}", ("election.release",))}
