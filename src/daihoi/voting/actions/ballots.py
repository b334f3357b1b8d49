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

import asyncio
import base64
import hashlib
import logging
import os
import re
import secrets
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from asgiref.sync import SyncToAsync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.rules import counting
from daihoi.rules.casting import electronic_casting_allowed
from daihoi.rules.errors import RuleError
from daihoi.rules.ruleset import ALL_STRUCK, TOO_MANY_KEPT
from daihoi.voting.actions.counting import ballot_list, core_election, rule_message
from daihoi.voting.models import Candidate, Election, ElectionParticipation, ElectronicBallot

log = logging.getLogger(__name__)

# The server runs each request in its own thread. Casts all lock the same election row, so they queue
# anyway; queueing them here, in the process, is fair and cheap, where SQLite's busy handler would make
# hundreds of threads sleep and retry for the write lock (seconds of latency in a burst). The database
# locks below still guard against other processes.
_cast_lock = threading.Lock()

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


def _rule_error(error: RuleError) -> ActionError:
    return ActionError(error.code, rule_message(error), **error.params)


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
        raise _rule_error(error) from error
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
    """P20: the rule set (and the organizer's setting for this congress) and the election allow it."""
    allowed = electronic_casting_allowed(
        congress.rules, congress_setting=congress.is_electronic_voting_enabled
    )
    if not allowed or not election.allows_electronic:
        raise ActionError(
            "electronic_casting_not_allowed",
            _("Cuộc bầu cử này không bỏ phiếu điện tử; xin bỏ phiếu giấy tại hội trường."),
        )


def check_may_cast(election: Election, delegate: Delegate) -> None:
    """P1: an official delegate whose credentials stand, checked in; in this election's congress."""
    if delegate.congress_id != election.congress_id:
        raise ActionError("wrong_congress", _("Đại biểu không thuộc đại hội của cuộc bầu cử này."))
    if not delegate.may_vote:
        if delegate.standing != Delegate.Standing.OFFICIAL:
            message = _("Đại biểu dự khuyết chưa thay đại biểu chính thức thì không bỏ phiếu.")
        elif delegate.credential == Delegate.Credential.REJECTED:
            message = _("Tư cách đại biểu không được công nhận nên không bỏ phiếu.")
        else:
            message = _("Bạn cần điểm danh có mặt tại hội trường trước khi bỏ phiếu.")
        raise ActionError("may_not_vote", message)


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
    """
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise ActionError("bad_nonce", _("Mã gửi phiếu không hợp lệ; xin tải lại trang."))
    kept_codes = list(kept)
    if len(set(kept_codes)) != len(kept_codes):
        raise ActionError("duplicate_mark", _("Một tên được giữ hai lần."))
    election_id = election if isinstance(election, int) else election.pk
    token = nonce_digest(election_id, nonce)
    with _cast_lock, transaction.atomic():
        locked = Election.objects.select_for_update().select_related("congress").get(pk=election_id)
        congress = locked.congress
        if delegate.congress_id != locked.congress_id:
            raise ActionError("wrong_congress", _("Đại biểu không thuộc đại hội của cuộc bầu cử này."))
        receipt = receipt_for(locked.pk, nonce) if locked.is_verifiable and receipt_wanted else None
        # One query for both: this nonce's earlier cast (a retry), and this delegate's earlier ballot.
        earlier = list(
            ElectionParticipation.objects.filter(
                Q(nonce=token) | Q(election_id=locked.pk, delegate_id=delegate.pk)
            ).values_list("nonce", "delegate_id")
        )
        retried = next((who for digest, who in earlier if digest == token), None)
        if retried is not None:
            if retried != delegate.pk:
                raise ActionError("bad_nonce", _("Mã gửi phiếu không hợp lệ; xin tải lại trang."))
            return CastResult(
                locked.pk, receipt_for(locked.pk, nonce) if locked.is_verifiable else None, True
            )
        check_open(locked)
        check_electronic_allowed(locked, congress)
        fresh = Delegate.objects.get(pk=delegate.pk)
        check_may_cast(locked, fresh)
        if earlier:
            raise ActionError(
                "already_voted", _("Bạn đã bỏ phiếu trong cuộc bầu cử này; mỗi đại biểu chỉ bỏ một phiếu.")
            )
        candidates, core = _open_ballot(locked)
        marks = marks_for(candidates, kept_codes)
        refuse_over_selection(_judge(core, candidates, marks))
        ElectionParticipation.objects.create(election=locked, delegate=fresh, nonce=token)
        ElectronicBallot.objects.create(election=locked, marks=marks, receipt=receipt)
        audit.record(
            actor=f"delegate:{fresh.number}",
            action="election.ballot_cast",
            congress_id=congress.pk,
            obj=locked,
            after={"delegate": fresh.number, "election": locked.pk},
        )
        publish_soon(congress)
    return CastResult(locked.pk, receipt, False)


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


# --- live count ------------------------------------------------------------------------------------
# Hundreds of ballots a second must not each rebuild and push the whole congress state to every screen:
# in the server, the push after a ballot is coalesced to at most one per PUSH_DELAY per congress (the
# last ballot's count always goes out). Outside a server (tests, commands) it is `live.publish` as usual.
PUSH_DELAY = 0.2
_armed: set[int] = set()  # touched only in the server's event loop thread


def _server_loop() -> asyncio.AbstractEventLoop | None:
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is None or getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None
    return loop if loop.is_running() else None


def publish_soon(congress: Congress) -> None:
    """After commit, push the congress state to the screens within PUSH_DELAY (coalesced)."""
    loop = _server_loop()
    if loop is None:
        live.publish(congress)
        return
    congress_id = congress.pk
    transaction.on_commit(lambda: loop.call_soon_threadsafe(_arm, loop, congress_id))


def _arm(loop: asyncio.AbstractEventLoop, congress_id: int) -> None:
    if congress_id in _armed:
        return
    _armed.add(congress_id)
    loop.call_later(PUSH_DELAY, lambda: loop.create_task(_push(congress_id)))


def _state_of(congress_id: int) -> dict[str, Any]:
    return live.congress_state(Congress.objects.get(pk=congress_id))


async def _push(congress_id: int) -> None:
    _armed.discard(congress_id)  # a ballot committed from now on arms the next push
    try:
        state = await database_sync_to_async(_state_of)(congress_id)
        layer = get_channel_layer()
        if layer is not None:
            await layer.group_send(live.group_name(congress_id), {"type": "congress.state", "state": state})
    except Exception:  # a screen missing one push gets the next one, or polls; the ballot itself stands
        log.exception("live push failed for congress %s", congress_id)


def has_voted(election: Election, delegate: Delegate) -> bool:
    return ElectionParticipation.objects.filter(election=election, delegate=delegate).exists()


def not_voted(election: Election) -> list[Delegate]:
    """Delegates who may vote now (P1) and have not cast an electronic ballot: never what anyone voted."""
    voted = ElectionParticipation.objects.filter(election=election).values("delegate_id")
    return list(
        Delegate.objects.filter(
            congress_id=election.congress_id,
            standing=Delegate.Standing.OFFICIAL,
            attendance=Delegate.Attendance.PRESENT,
        )
        .exclude(credential=Delegate.Credential.REJECTED)
        .exclude(pk__in=voted)
        .select_related("unit")
        .order_by("number")
    )


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
