"""Electronic secret ballots: casting, who has not yet voted, the published trackers.

Secrecy (issue 10, docs/crypto.md): the phone encrypts the marks under the counting committee's key
(ballot_crypto.js); one cast writes an `ElectionParticipation` (who) and an `ElectronicBallot` (only
ciphertexts and proofs) in one transaction. Whoever pairs the two rows pairs a voter with a ciphertext.
- The client nonce that makes a retry count once is stored only as a keyed-by-election SHA-256 digest
  on the participation row; a retry resends the same ciphertext and gets the same tracker back.
- The proofs are checked after the acknowledgement (`evote.verify_pending`), always before the count.
- The audit log records "delegate N cast a ballot in election E", never the ballot, its tracker or its
  ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live, raw_rows
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.group_commit import GroupCommit
from daihoi.congress.models import Congress, Delegate
from daihoi.crypto.ballot import BallotSpec, EncryptedBallot, ballot_tracker
from daihoi.crypto.group import CryptoError, Point
from daihoi.rules import counting
from daihoi.rules.casting import check_electronic_casting
from daihoi.rules.errors import RuleError
from daihoi.voting.actions.counting import ballot_list, core_election
from daihoi.voting.actions.voters import check_may_vote, voters_not_in, voters_query
from daihoi.voting.models import Candidate, Election, ElectionParticipation, ElectronicBallot

log = logging.getLogger(__name__)

# A client nonce: 16 to 64 URL-safe characters (the page makes 22 from 128 random bits).
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# The credential the phone draws for its ballot (the proofs are bound to it): 16 to 64 such characters.
_CREDENTIAL = _NONCE
# A 32-candidate ballot is 18 KB of JSON; anything far larger is not a ballot.
MAX_BALLOT_BYTES = 200_000


@dataclass(frozen=True)
class CastResult:
    """The acknowledgement of a cast ballot; identical for a retry with the same nonce."""

    election_id: int
    tracker: str
    is_repeat: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "election": self.election_id,
            "tracker": self.tracker,
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
    ballot: Any,
    *,
    credential: str,
    nonce: str,
) -> CastResult:
    """Cast one delegate's encrypted ballot: the participation and the ciphertext in one transaction.

    `ballot` is what ballot_crypto.js's `encryptBallot` made on the phone (ciphertexts and proofs, bound
    to `credential`); the server reads its points (they must be canonical) to compute the tracker, and
    checks the proofs later (`evote.verify_pending`), always before the count.

    A retry with the same nonce returns the same acknowledgement and counts once; another nonce after
    voting is refused (`already_voted`). The election row is locked, so a ballot cannot slip in after
    the close commits: the close (which also locks it) waits for this transaction or this one sees it.

    In the server, ballots that arrive together are written together (`congress.group_commit.GroupCommit`): one transaction,
    one lock of the election and of the audit chain for the whole group, each ballot judged on its own,
    in the same few statements whatever the group's size (`_write_election_casts`). The answer comes only
    after the group's commit.
    """
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise ActionError("bad_nonce", _("Mã gửi phiếu không hợp lệ; xin tải lại trang."))
    if not isinstance(credential, str) or not _CREDENTIAL.match(credential):
        raise ActionError("bad_credential", _("Mã phiếu không hợp lệ; xin tải lại trang."))
    if not isinstance(ballot, dict) or len(json.dumps(ballot)) > MAX_BALLOT_BYTES:
        raise ActionError("bad_ballot", _("Phiếu mã hóa không đọc được; xin tải lại trang."))
    election_id = election if isinstance(election, int) else election.pk
    cast = _Cast(election_id, delegate, ballot, credential, nonce, nonce_digest(election_id, nonce))
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
    ballot: dict[str, Any]
    credential: str
    nonce: str
    nonce_digest: str
    result: CastResult | None = None
    error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self.result is not None or self.error is not None


# Ballots that arrive together are written together (the leader-and-followers design, one home for
# the check-in desk's scans and the ballots). `_commit_group` is looked up at each call.
_group_commit: GroupCommit[_Cast] = GroupCommit(lambda group: _commit_group(group))


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
        outcomes.update(_write_election_casts(election_id, by_election[election_id]))
    return outcomes


def _write_election_casts_orm(election_id: int, casts: list[_Cast]) -> dict[int, CastResult | BaseException]:
    """The group's write through the ORM, statement by statement: the test oracle of the lean write
    (`_write_election_casts`), which must write exactly the same rows."""
    try:
        locked = Election.objects.select_for_update().select_related("congress").get(pk=election_id)
    except Election.DoesNotExist as missing:
        return {id(c): missing for c in casts}
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
        _open_poll(locked)
    except ActionError as refused:
        refusal = refused
    # Re-read: a check-out or a rejected credential since the page was served must count.
    refreshed = voters_query(locked.congress_id).in_bulk(delegate_ids) if refusal is None else {}
    participations: list[ElectionParticipation] = []
    ballots: list[ElectronicBallot] = []
    changes: list[audit.Change] = []
    credentials = set(
        ElectronicBallot.objects.filter(
            election_id=locked.pk, credential__in={c.credential for c in casts}
        ).values_list("credential", flat=True)
    )
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
                try:
                    outcomes[id(cast)] = CastResult(locked.pk, _tracker(locked, cast), True)
                except ActionError as refused:
                    outcomes[id(cast)] = refused
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
            tracker = _tracker(locked, cast)
            if cast.credential in credentials:
                raise ActionError("bad_credential", _("Mã phiếu không hợp lệ; xin tải lại trang."))
        except ActionError as refused:
            outcomes[id(cast)] = refused
            continue
        participations.append(
            ElectionParticipation(election=locked, delegate=delegate, nonce_digest=cast.nonce_digest)
        )
        ballots.append(
            ElectronicBallot(
                election=locked, credential=cast.credential, ciphertext=cast.ballot, tracker=tracker
            )
        )
        credentials.add(cast.credential)
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
        outcomes[id(cast)] = CastResult(locked.pk, tracker, False)
    if ballots:
        # The ballots of a group go in in random order (the participations, and the audit entries, in
        # the order of arrival): the n-th ballot written is not the n-th voter's.
        _shuffle(ballots)
        ElectionParticipation.objects.bulk_create(participations)
        ElectronicBallot.objects.bulk_create(ballots)
        audit.record_many(changes)
        live.count(congress, locked.pk)  # a count event, merged with the burst's (see congress/live.py)
    return outcomes


def _write_election_casts(election_id: int, casts: list[_Cast]) -> dict[int, CastResult | BaseException]:
    """The group's write in a constant number of statements, whatever its size: the election read and
    locked (`_lock_election`), one read of what the checks need (`_read_group`), executemany for the
    participations and for the ballots, and the audit chain's head read and moved once
    (`audit.record_many_sql`). Each cast is judged as in `_write_election_casts_orm`, by the same checks
    (P1 through `check_may_cast`); the rows are the same."""
    locked = _lock_election(election_id)
    if locked is None:
        missing = Election.DoesNotExist("Election matching query does not exist.")
        return {id(c): missing for c in casts}
    congress = locked.congress
    outcomes: dict[int, CastResult | BaseException] = {}
    refusal: ActionError | None = None
    try:
        check_open(locked)
        check_electronic_allowed(locked, congress)
        _open_poll(locked)
    except ActionError as refused:
        refusal = refused
    refreshed, cast_by, voted, credentials = _read_group(locked, casts)
    participations: list[list[Any]] = []
    ballot_rows: list[list[Any]] = []
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
                try:
                    outcomes[id(cast)] = CastResult(locked.pk, _tracker(locked, cast), True)
                except ActionError as refused:
                    outcomes[id(cast)] = refused
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
            tracker = _tracker(locked, cast)
            if cast.credential in credentials:
                raise ActionError("bad_credential", _("Mã phiếu không hợp lệ; xin tải lại trang."))
        except ActionError as refused:
            outcomes[id(cast)] = refused
            continue
        participations.append([locked.pk, delegate.pk, cast.nonce_digest])
        ballot_rows.append([locked.pk, cast.credential, cast.ballot, tracker, _PENDING])
        credentials.add(cast.credential)
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
        outcomes[id(cast)] = CastResult(locked.pk, tracker, False)
    if ballot_rows:
        # The ballots of a group go in in random order (the participations, and the audit entries, in
        # the order of arrival): the n-th ballot written is not the n-th voter's. Random keys, too.
        _shuffle(ballot_rows)
        _insert(ElectionParticipation, _PARTICIPATION_COLUMNS, participations)
        _insert(ElectronicBallot, _BALLOT_COLUMNS, ballot_rows)
        audit.record_many_sql(changes)
        live.count(congress, locked.pk)  # a count event, merged with the burst's (see congress/live.py)
    return outcomes


_PARTICIPATION_COLUMNS = ("election", "delegate", "nonce_digest")
_BALLOT_COLUMNS = ("election", "credential", "ciphertext", "tracker", "verdict")
_PENDING = ElectronicBallot._meta.get_field("verdict").get_default()  # the model's default verdict
# What P1 (`Delegate.may_vote`, `voters.check_may_vote`) and the audit entry read of a delegate's own row.
_VOTER_FIELDS = frozenset(
    {"id", "congress_id", "number", "standing", "credential", "attendance", "replaces_id"}
)
_VOTER_COLUMNS = tuple(f.attname for f in Delegate._meta.concrete_fields if f.attname in _VOTER_FIELDS)


_ELECTION_FIELDS = raw_rows.all_fields(Election)


def _lock_election(election_id: int) -> Election | None:
    """The election with its congress, in one statement, locked on PostgreSQL (as the ORM oracle's
    select_for_update with select_related locks both rows); None if there is no such election."""
    connection = transaction.get_connection()
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return raw_rows.one_with_congress(
        connection, Election, _ELECTION_FIELDS, "m.id = %s", [election_id], lock
    )


def _read_group(
    locked: Election, casts: list[_Cast]
) -> tuple[dict[int, Delegate], dict[str, int], set[int], set[str]]:
    """One statement for everything the checks of a group read: the delegates' rows as P1 needs them
    (with the attendance of the official an alternate replaces), whether each has voted in this
    election, the earlier casts of these nonces (retries) and the credentials already used here.

    Returns (delegates by id, who cast with each nonce digest, who has voted, credentials used)."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    delegates = quote(Delegate._meta.db_table)
    participations = quote(ElectionParticipation._meta.db_table)
    ballots = quote(ElectronicBallot._meta.db_table)
    ids = sorted({c.delegate.pk for c in casts})
    digests = sorted({c.nonce_digest for c in casts})
    credentials = sorted({c.credential for c in casts})
    width = len(_VOTER_COLUMNS)
    nulls = ", ".join(["NULL"] * width)

    def marks(values: list[Any]) -> str:
        return ", ".join(["%s"] * len(values))

    # Only table and column names from the models are formatted in; every value is a parameter.
    sql = (
        f"SELECT 1, {', '.join('d.' + quote(c) for c in _VOTER_COLUMNS)}, r.attendance, p.nonce_digest "  # noqa: S608
        f"FROM {delegates} d LEFT JOIN {delegates} r ON r.id = d.replaces_id "
        f"LEFT JOIN {participations} p ON p.election_id = %s AND p.delegate_id = d.id "
        f"WHERE d.congress_id = %s AND d.id IN ({marks(ids)}) "
        f"UNION ALL SELECT 2, p.delegate_id, {nulls}, p.nonce_digest FROM {participations} p "
        f"WHERE p.nonce_digest IN ({marks(digests)}) "
        f"UNION ALL SELECT 3, NULL, {nulls}, b.credential FROM {ballots} b "
        f"WHERE b.election_id = %s AND b.credential IN ({marks(credentials)})"
    )
    params = [locked.pk, locked.congress_id, *ids, *digests, locked.pk, *credentials]
    refreshed: dict[int, Delegate] = {}
    cast_by: dict[str, int] = {}  # nonce digest -> who cast with it
    voted: set[int] = set()
    used: set[str] = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    congress = locked.congress
    for kind, who, *rest in rows:
        if kind == 1:
            values, replaced_attendance, digest = [who, *rest[: width - 1]], rest[width - 1], rest[width]
            delegate = Delegate.from_db(connection.alias, _VOTER_COLUMNS, values)
            delegate.congress = congress
            if delegate.replaces_id is not None:
                delegate.replaces = Delegate.from_db(
                    connection.alias, ("id", "attendance"), [delegate.replaces_id, replaced_attendance]
                )
            refreshed[delegate.pk] = delegate
            if digest is not None:
                cast_by[digest] = delegate.pk
                voted.add(delegate.pk)
        elif kind == 2:
            cast_by[rest[-1]] = who
            voted.add(who)
        else:
            used.add(rest[-1])
    return refreshed, cast_by, voted, used


def _insert(model: type[Any], names: Sequence[str], rows: list[list[Any]]) -> None:
    """INSERT the rows (values of the fields `names`, each with a new random key) with one executemany,
    each value prepared for the database as the ORM prepares it."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    key = model._meta.pk
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(quote(f.column) for f in (key, *fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * (len(fields) + 1))})",
            [
                [
                    key.get_default(),
                    *(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)),
                ]
                for row in rows
            ],
        )


_shuffle = secrets.SystemRandom().shuffle


# The list and key of an open election cannot change (both fixed before the vote opened), so a burst of
# ballots need not re-read them for each one. Keyed by the opening, so a new round is new.
_open_polls: dict[tuple[int, object], tuple[BallotSpec, Point, str]] = {}


def _open_poll(election: Election) -> tuple[BallotSpec, Point, str]:
    key = (election.pk, election.opened_at)
    cached = _open_polls.get(key)
    if cached is None or election.opened_at is None:
        from daihoi.voting.actions import evote

        poll = evote.election_poll(election)
        cached = (poll.spec(), evote.require_key(election), poll.id)
        if election.opened_at is not None:
            if len(_open_polls) > 64:
                _open_polls.clear()
            _open_polls[key] = cached
    return cached


def _tracker(election: Election, cast: _Cast) -> str:
    """Read the ballot's points (canonical, in the group) and return its tracker; proofs are checked later."""
    spec, _key, poll_id = _open_poll(election)
    try:
        parsed = EncryptedBallot.from_json(cast.ballot, spec)
    except (CryptoError, KeyError, TypeError, ValueError) as error:
        raise ActionError("bad_ballot", _("Phiếu mã hóa không đọc được; xin tải lại trang.")) from error
    return ballot_tracker(poll_id, cast.credential, parsed)


def has_voted(election: Election, delegate: Delegate) -> bool:
    return ElectionParticipation.objects.filter(election=election, delegate=delegate).exists()


def not_voted(election: Election) -> list[Delegate]:
    """Delegates who may vote now (P1, the same predicate as casting) and have not cast an electronic
    ballot: never what anyone voted."""
    voted = set(ElectionParticipation.objects.filter(election=election).values_list("delegate_id", flat=True))
    return voters_not_in(election.congress_id, voted)


def participation_count(election: Election) -> int:
    return ElectionParticipation.objects.filter(election=election).count()


@dataclass(frozen=True)
class PublishedTracker:
    tracker: str
    accepted: bool


def published_trackers(election: Election) -> list[PublishedTracker]:
    """After certification: every ballot's tracker, in tracker order, and whether its proofs held. A
    tracker says nothing of the vote (fresh randomness), so publishing it proves nothing to a third party."""
    if election.status != Election.Status.CERTIFIED:
        raise ActionError(
            "trackers_not_published",
            _("Danh sách mã phiếu chỉ công bố sau khi xác nhận kết quả."),
        )
    return [
        PublishedTracker(tracker, verdict != ElectronicBallot.Verdict.BAD_PROOF)
        for tracker, verdict in ElectronicBallot.objects.filter(election=election)
        .order_by("tracker")
        .values_list("tracker", "verdict")
    ]
