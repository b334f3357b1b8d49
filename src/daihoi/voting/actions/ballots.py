"""Electronic secret ballots: casting, the verification mode, who has not yet voted, the receipts.

Secrecy (see `daihoi.voting.models`): one cast writes an `ElectionParticipation` (who) and an
`ElectronicBallot` (what) in one transaction; nothing stored links them.
- The client nonce that makes a retry count once is stored only as a keyed-by-election SHA-256 digest
  on the participation row.
- In verification mode the receipt is a second, independent digest of the same client nonce, stored
  on the ballot row. Without the nonce (which only the voter's phone keeps) neither digest leads to
  the other, yet a retry with the same nonce gets the same receipt back: the acknowledgement repeats
  exactly, and a receipt lost to a dropped connection is not lost for good.
- The audit log records "delegate N cast a ballot in election E", never the ballot, its id, its
  receipt or its marks.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.rules import counting
from daihoi.rules.casting import check_electronic_casting
from daihoi.rules.errors import RuleError
from daihoi.rules.ruleset import ALL_STRUCK, TOO_MANY_KEPT
from daihoi.voting.actions.counting import ballot_list, core_election
from daihoi.voting.actions.voters import check_may_vote, voters_not_in, voters_query
from daihoi.voting.models import Candidate, Election, ElectionParticipation, ElectronicBallot

log = logging.getLogger(__name__)

# A client nonce: 16 to 64 URL-safe characters (the page makes 22 from 128 random bits).
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
RECEIPT_LENGTH = 10
# Crockford-like alphabet without look-alikes (no 0/O, 1/I/L): read aloud or typed from a phone.
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class CastResult:
    """The acknowledgement of a cast ballot; identical for a retry with the same nonce."""

    election_id: int
    receipt: str | None
    is_repeat: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "election": self.election_id,
            "receipt": self.receipt,
            "repeat": self.is_repeat,
            "message": _("Phiếu bầu của bạn đã được ghi nhận."),
        }


@dataclass(frozen=True)
class BallotJudgement:
    """What the rules core says of the marks a delegate is about to cast."""

    kept: int
    places: int
    invalid_reason: str | None


def _digest(purpose: str, election_id: int, nonce: str) -> bytes:
    return hashlib.sha256(f"daihoi:{purpose}:{election_id}:{nonce}".encode()).digest()


def nonce_digest(election_id: int, nonce: str) -> str:
    """What the participation stores of the client nonce (64 hex characters)."""
    return _digest("participation", election_id, nonce).hex()


def receipt_for(election_id: int, nonce: str) -> str:
    """The voter's receipt: a digest of the nonce independent of `nonce_digest` (10 characters)."""
    raw = int.from_bytes(_digest("receipt", election_id, nonce), "big")
    chars = []
    for _i in range(RECEIPT_LENGTH):
        raw, index = divmod(raw, len(_RECEIPT_ALPHABET))
        chars.append(_RECEIPT_ALPHABET[index])
    return "".join(chars)


def normalize_receipt(raw: str) -> str:
    """'abcd-efgh 23' -> 'ABCDEFGH23' (people type receipts with spaces, dashes, lower case)."""
    return re.sub(r"[^0-9A-Za-z]", "", raw or "").upper()


def new_nonce() -> str:
    """A nonce for a page rendered without JavaScript (the script makes its own)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).decode().rstrip("=")


def ballot_candidates(election: Election) -> list[Candidate]:
    """The names on the ballot, in ballot order (P10, fixed when the list was approved)."""
    return ballot_list(election)


def marks_for(candidates: Sequence[Candidate], kept: Iterable[str]) -> dict[str, int]:
    """{"c01": 1, "c02": 0, ...} for every name on the list, in ballot order; refuses unknown codes."""
    kept_set = set(kept)
    codes = [c.code for c in candidates]
    unknown = sorted(kept_set - set(codes))
    if unknown:
        raise ActionError(
            "unknown_candidate",
            _("Không có ứng cử viên mã %(codes)s trong danh sách bầu cử này.")
            % {"codes": ", ".join(unknown)},
            codes=unknown,
        )
    return {code: int(code in kept_set) for code in codes}


def judge(election: Election, candidates: Sequence[Candidate], marks: dict[str, int]) -> BallotJudgement:
    """The rules core's verdict on one ballot (P11, P12): how many kept, of how many places, and why invalid."""
    return _judge(core_election(election, candidates), candidates, marks)


def _judge(
    core: counting.Election, candidates: Sequence[Candidate], marks: dict[str, int]
) -> BallotJudgement:
    if core.layout == "cumulative":
        raise ActionError(
            "electronic_form_unsupported",
            _("Phiếu bầu dồn phiếu chưa bỏ được bằng điện thoại; xin dùng phiếu giấy."),
        )
    row = tuple(marks[c.code] for c in candidates)
    try:
        count = counting.count_ballots(core, [counting.Ballot("ballot", row)])
    except RuleError as error:
        raise rule_error(error) from error
    reason = next(iter(count.invalid_by_reason), None)
    return BallotJudgement(kept=sum(row), places=core.places, invalid_reason=reason)


def refuse_over_selection(judgement: BallotJudgement) -> None:
    if judgement.invalid_reason == TOO_MANY_KEPT:
        raise ActionError(
            TOO_MANY_KEPT,
            _("Bạn chỉ được giữ tối đa %(places)s người, bạn đang giữ %(kept)s.")
            % {"places": judgement.places, "kept": judgement.kept},
            places=judgement.places,
            kept=judgement.kept,
        )


def is_all_struck(judgement: BallotJudgement) -> bool:
    """P12: striking every name on a list with a surplus spoils the ballot (warned, but allowed)."""
    return judgement.invalid_reason == ALL_STRUCK


def check_electronic_allowed(election: Election, congress: Congress) -> None:
    """P20 (`rules.casting.check_electronic_casting`: the rule set, and the organizer's setting for this
    congress) and the election allow it."""
    try:
        check_electronic_casting(congress.rules, congress_setting=congress.is_electronic_voting_enabled)
        allowed = election.allows_electronic
    except RuleError:
        allowed = False
    if not allowed:
        raise ActionError(
            "electronic_casting_not_allowed",
            _("Cuộc bầu cử này không bỏ phiếu điện tử; xin bỏ phiếu giấy tại hội trường."),
        )


def _wrong_congress() -> ActionError:
    return ActionError("wrong_congress", _("Đại biểu không thuộc đại hội của cuộc bầu cử này."))


def check_may_cast(election: Election, delegate: Delegate) -> None:
    """P1 (`voters.check_may_vote`): the delegate votes now, in this election's congress."""
    if delegate.congress_id != election.congress_id:
        raise _wrong_congress()
    check_may_vote(election.congress_id, delegate)


def check_open(election: Election) -> None:
    if election.status != Election.Status.OPEN:
        raise ActionError(
            "election_not_open",
            _("Cuộc bầu cử “%(title)s” không đang bỏ phiếu (%(status)s).")
            % {"title": election.title, "status": election.get_status_display()},
            status=election.status,
        )


def cast_electronic_ballot(
    election: Election | int,
    delegate: Delegate,
    kept: Iterable[str],
    *,
    nonce: str,
    receipt_wanted: bool = True,
) -> CastResult:
    """Cast one delegate's ballot: the participation and the ballot in one transaction, or neither.

    A retry with the same nonce returns the same acknowledgement and counts once; another nonce after
    voting is refused (`already_voted`). The election row is locked, so a ballot cannot slip in after
    the close commits: the close (which also locks it) waits for this transaction or this one sees it.

    In the server, ballots that arrive together are written together (`_GroupCommit`): one transaction,
    one lock of the election and of the audit chain for the whole group, each ballot judged on its own.
    The answer comes only after the group's commit.
    """
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise ActionError("bad_nonce", _("Mã gửi phiếu không hợp lệ; xin tải lại trang."))
    kept_codes = list(kept)
    if len(set(kept_codes)) != len(kept_codes):
        raise ActionError("duplicate_mark", _("Một tên được giữ hai lần."))
    election_id = election if isinstance(election, int) else election.pk
    cast = _Cast(election_id, delegate, kept_codes, nonce, nonce_digest(election_id, nonce), receipt_wanted)
    if transaction.get_connection().in_atomic_block:
        # Inside the caller's transaction (a command, a test): alone, and part of that transaction.
        _commit_group([cast])
    else:
        _group_commit.submit(cast)
    if cast.error is not None:
        raise cast.error
    assert cast.result is not None
    return cast.result


@dataclass(eq=False)
class _Cast:
    """One cast waiting for its group's commit; `result` or `error` is set when it is done."""

    election_id: int
    delegate: Delegate
    kept: list[str]
    nonce: str
    nonce_digest: str
    receipt_wanted: bool
    result: CastResult | None = None
    error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self.result is not None or self.error is not None


class _GroupCommit:
    """Leader-and-followers group commit: whoever holds the lock writes every cast queued so far.

    A request thread queues its cast and takes the lock; if a leader wrote its cast meanwhile it
    returns, else it becomes the leader for all the casts queued (its own among them). So while one
    group commits, the next one gathers; under load each commit carries many ballots, and alone a cast
    is written at once. No thread of its own: the casts are written on the request threads' connections.
    """

    def __init__(self, limit: int = 250) -> None:
        self._limit = limit
        self._queue: list[_Cast] = []
        self._queue_lock = threading.Lock()
        self._leader = threading.Lock()

    def submit(self, cast: _Cast) -> None:
        with self._queue_lock:
            self._queue.append(cast)
        while not cast.done:
            with self._leader:
                if cast.done:
                    return
                with self._queue_lock:
                    group, self._queue = self._queue[: self._limit], self._queue[self._limit :]
                _commit_group(group)


_group_commit = _GroupCommit()


def _commit_group(group: list[_Cast]) -> None:
    """Write a group of casts in one transaction; every cast ends done, with its result or its error.

    A cast refused by the rules (already voted, over-selection...) is refused alone. Should the
    transaction itself fail, each cast is tried again on its own, so one cannot sink the others."""
    try:
        try:
            with transaction.atomic():
                outcomes = _write_group(group)
        except Exception as error:
            if len(group) == 1:
                outcomes = {id(group[0]): error}
            else:
                log.exception("a group of %s ballots failed; writing them one by one", len(group))
                for cast in group:
                    _commit_group([cast])
                return
        for cast in group:
            outcome = outcomes[id(cast)]
            if isinstance(outcome, CastResult):
                cast.result = outcome
            else:
                cast.error = outcome
    finally:
        for cast in group:
            if not cast.done:  # never left waiting forever
                cast.error = ActionError("cast_failed", _("Chưa ghi được phiếu; xin gửi lại."))


def _write_group(group: list[_Cast]) -> dict[int, CastResult | BaseException]:
    outcomes: dict[int, CastResult | BaseException] = {}
    by_election: dict[int, list[_Cast]] = {}
    for cast in group:
        by_election.setdefault(cast.election_id, []).append(cast)
    for election_id in sorted(by_election):  # the same lock order in every group
        casts = by_election[election_id]
        try:
            locked = Election.objects.select_for_update().select_related("congress").get(pk=election_id)
        except Election.DoesNotExist as missing:
            outcomes.update((id(c), missing) for c in casts)
            continue
        outcomes.update(_write_election_casts(locked, casts))
    return outcomes


def _write_election_casts(locked: Election, casts: list[_Cast]) -> dict[int, CastResult | BaseException]:
    congress = locked.congress
    outcomes: dict[int, CastResult | BaseException] = {}
    delegate_ids = {c.delegate.pk for c in casts}
    # One query for all: the earlier casts of these nonces (retries), and these delegates' earlier ballots.
    earlier = ElectionParticipation.objects.filter(
        Q(nonce_digest__in={c.nonce_digest for c in casts})
        | Q(election_id=locked.pk, delegate_id__in=delegate_ids)
    ).values_list("nonce_digest", "delegate_id")
    cast_by: dict[str, int] = {}  # nonce digest -> who cast with it
    voted: set[int] = set()
    for digest, who in earlier:
        cast_by[digest] = who
        voted.add(who)
    refusal: ActionError | None = None
    try:
        check_open(locked)
        check_electronic_allowed(locked, congress)
    except ActionError as refused:
        refusal = refused
    # Re-read: a check-out or a rejected credential since the page was served must count.
    refreshed = voters_query(locked.congress_id).in_bulk(delegate_ids) if refusal is None else {}
    participations: list[ElectionParticipation] = []
    ballots: list[ElectronicBallot] = []
    changes: list[audit.Change] = []
    for cast in casts:
        if cast.delegate.congress_id != locked.congress_id:
            outcomes[id(cast)] = _wrong_congress()
            continue
        retried = cast_by.get(cast.nonce_digest)
        if retried is not None:  # a retry (or a double tap in the same group) gets the same answer
            if retried != cast.delegate.pk:
                outcomes[id(cast)] = ActionError(
                    "bad_nonce", _("Mã gửi phiếu không hợp lệ; xin tải lại trang.")
                )
            else:
                receipt = receipt_for(locked.pk, cast.nonce) if locked.is_verifiable else None
                outcomes[id(cast)] = CastResult(locked.pk, receipt, True)
            continue
        try:
            if refusal is not None:
                raise refusal
            delegate = refreshed.get(cast.delegate.pk)
            if delegate is None:
                raise _wrong_congress()
            check_may_cast(locked, delegate)
            if delegate.pk in voted:
                raise ActionError(
                    "already_voted",
                    _("Bạn đã bỏ phiếu trong cuộc bầu cử này; mỗi đại biểu chỉ bỏ một phiếu."),
                )
            candidates, core = _open_ballot(locked)
            marks = marks_for(candidates, cast.kept)
            refuse_over_selection(_judge(core, candidates, marks))
        except ActionError as refused:
            outcomes[id(cast)] = refused
            continue
        receipt = receipt_for(locked.pk, cast.nonce) if locked.is_verifiable and cast.receipt_wanted else None
        participations.append(
            ElectionParticipation(election=locked, delegate=delegate, nonce_digest=cast.nonce_digest)
        )
        ballots.append(ElectronicBallot(election=locked, marks=marks, receipt=receipt))
        changes.append(
            audit.Change(
                actor=f"delegate:{delegate.number}",
                action="election.ballot_cast",
                congress_id=congress.pk,
                obj=locked,
                after={"delegate": delegate.number, "election": locked.pk},
            )
        )
        cast_by[cast.nonce_digest] = delegate.pk
        voted.add(delegate.pk)
        outcomes[id(cast)] = CastResult(locked.pk, receipt, False)
    if ballots:
        # The ballots of a group go in in random order (the participations, and the audit entries, in
        # the order of arrival): the n-th ballot written is not the n-th voter's.
        _shuffle(ballots)
        ElectionParticipation.objects.bulk_create(participations)
        ElectronicBallot.objects.bulk_create(ballots)
        audit.record_many(changes)
        live.publish(congress)  # merged with the burst's other ballots (see congress/live.py)
    return outcomes


_shuffle = secrets.SystemRandom().shuffle


# The list of an open election cannot change (it was approved before the vote opened), so a burst of
# ballots need not re-read and re-sort it for each one. Keyed by the opening, so a new round is new.
_open_ballots: dict[tuple[int, object], tuple[list[Candidate], counting.Election]] = {}


def _open_ballot(election: Election) -> tuple[list[Candidate], counting.Election]:
    key = (election.pk, election.opened_at)
    cached = _open_ballots.get(key)
    if cached is None or election.opened_at is None:
        candidates = ballot_candidates(election)
        cached = (candidates, core_election(election, candidates))
        if election.opened_at is not None:
            if len(_open_ballots) > 64:
                _open_ballots.clear()
            _open_ballots[key] = cached
    return cached


def has_voted(election: Election, delegate: Delegate) -> bool:
    return ElectionParticipation.objects.filter(election=election, delegate=delegate).exists()


def not_voted(election: Election) -> list[Delegate]:
    """Delegates who may vote now (P1, the same predicate as casting) and have not cast an electronic
    ballot: never what anyone voted."""
    voted = set(ElectionParticipation.objects.filter(election=election).values_list("delegate_id", flat=True))
    return voters_not_in(election.congress_id, voted)


def participation_count(election: Election) -> int:
    return ElectionParticipation.objects.filter(election=election).count()


def set_verification_mode(election: Election, *, enabled: bool, actor: Actor) -> Election:
    """Turn receipts on or off for one election, before its vote opens (the organizer's decision)."""
    with transaction.atomic():
        locked = Election.objects.select_for_update().get(pk=election.pk)
        if locked.status not in (Election.Status.PREPARING, Election.Status.LIST_APPROVED):
            raise ActionError(
                "verification_locked",
                _("Chỉ đổi chế độ mã biên nhận trước khi mở bỏ phiếu (hiện: %(status)s).")
                % {"status": locked.get_status_display()},
            )
        before = locked.is_verifiable
        if before == enabled:
            return locked
        locked.is_verifiable = enabled
        locked.save(update_fields=["is_verifiable"])
        audit.record(
            actor=actor.label,
            action="election.verification_mode",
            congress_id=locked.congress_id,
            obj=locked,
            before={"is_verifiable": before},
            after={"is_verifiable": enabled},
        )
        live.publish(locked.congress)
    return locked


@dataclass(frozen=True)
class PublishedReceipt:
    receipt: str
    kept: tuple[str, ...]  # candidate names kept, in ballot order


def published_receipts(election: Election) -> list[PublishedReceipt]:
    """After certification, in verification mode: every receipt with its ballot's content, in code order."""
    if not election.is_verifiable or election.status != Election.Status.CERTIFIED:
        raise ActionError(
            "receipts_not_published",
            _("Danh sách mã biên nhận chỉ công bố sau khi xác nhận kết quả, ở chế độ kiểm chứng."),
        )
    names = {c.code: c.full_name for c in ballot_candidates(election)}
    order = list(names)
    rows = []
    for receipt, marks in (
        ElectronicBallot.objects.filter(election=election, receipt__isnull=False)
        .order_by("receipt")
        .values_list("receipt", "marks")
    ):
        kept = tuple(names.get(code, code) for code in order if marks.get(code) == 1)
        rows.append(PublishedReceipt(receipt, kept))
    return rows
