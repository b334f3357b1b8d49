"""The lean group write (`ballots._write_election_casts`, plain SQL) against its oracle, the ORM write
(`ballots._write_election_casts_orm`): the same casts, from the same state, must give the same answers and
leave exactly the same rows (participations, ballots, audit entries with their hashes, the chain's head
and the election), as the database stores them. And a group costs the same statements whatever its size."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from daihoi.audit import log as audit
from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry, AuditHead
from daihoi.congress.models import Delegate
from daihoi.voting.actions import ballots
from daihoi.voting.models import Election, ElectionParticipation, ElectronicBallot
from tests.support.ballots import nonce, open_election
from tests.voting.evote_helpers import encrypt_on_phone

Writer = Callable[[int, list[ballots._Cast]], dict[int, ballots.CastResult | BaseException]]
LEAN: Writer = ballots._write_election_casts
ORM: Writer = ballots._write_election_casts_orm

# (number (0: a delegate of another congress), kept or a broken form, nonce key, the nonce key of another
# cast whose credential to reuse or None)
# kept: a list of codes; "broken": not a ballot at all; "extra": one mark too many (an over-long
# ballot refused at parse, as over-selection is by the phone's encryption and the later proof check).
Step = tuple[int, Any, str, str | None]

SCRIPT: list[list[Step]] = [
    [
        (1, ["c01", "c02"], "1a", None),
        (2, "broken", "2a", None),  # not a ballot: refused at parse
        (1, ["c01", "c02"], "1a", None),  # a double tap in the same group
        (5, ["c01"], "5a", None),  # not checked in
        (3, [], "3a", None),  # every name struck: cast, and spoilt
        (6, ["c02"], "6a", None),  # credentials rejected
        (7, ["c03"], "7a", None),  # an alternate who replaces an absent official: votes
        (9, ["c03"], "9a", None),  # an alternate who replaces nobody: may not vote
        (10, ["c01"], "10x", "1a"),  # the credential of delegate 1's ballot: refused
    ],
    [(4, ["c02", "c03"], "4a", None)],  # alone
    [
        (4, ["c01"], "4b", None),  # a second ballot by the same delegate
        (4, ["c02", "c03"], "4a", None),  # a retry of the earlier cast
        (10, "extra", "10a", None),  # one mark too many: refused at parse
        (1, ["c01", "c02"], "1a", None),  # a retry of the first group's cast
        (2, ["c01", "c02", "c03"], "2b", None),  # now a proper ballot
        (10, ["c01"], "2b", None),  # delegate 2's nonce: refused
        (0, ["c01"], "0a", None),  # a delegate of another congress
        (10, ["c01"], "10y", "3a"),  # the credential of delegate 3's ballot, cast in the first group
        (10, ["c03"], "10b", None),
    ],
    [
        (8, ["c01"], "8a", None),  # the replaced official, absent: may not vote
        (3, ["c01"], "3b", None),  # a second ballot, with no retry of the first in the group
    ],
    ["close"],  # type: ignore[list-item]
    [(1, ["c01", "c02"], "1a", None), (12, ["c01"], "12a", None)],  # after the close: a retry, a late cast
]


@pytest.fixture
def hall() -> tuple[Election, Delegate]:
    """An open election in a congress of 12 with the cases P1 knows, and a delegate of another congress."""
    election = open_election(delegates=12, seats=3)
    people = {d.number: d for d in Delegate.objects.filter(congress_id=election.congress_id)}
    Delegate.objects.filter(pk=people[5].pk).update(attendance=Delegate.Attendance.NOT_ARRIVED)
    Delegate.objects.filter(pk=people[6].pk).update(credential=Delegate.Credential.REJECTED)
    Delegate.objects.filter(pk=people[8].pk).update(attendance=Delegate.Attendance.EXCUSED)
    Delegate.objects.filter(pk__in=[people[7].pk, people[9].pk]).update(standing=Delegate.Standing.ALTERNATE)
    Delegate.objects.filter(pk=people[7].pk).update(replaces=people[8])
    other = open_election(delegates=2)
    outsider = Delegate.objects.get(congress_id=other.congress_id, number=1)
    return election, outsider


class Sealer:
    """The phones: the same nonce key resends the same ciphertext and credential, in every run."""

    def __init__(self, election: Election) -> None:
        self.election = election
        self.sealed: dict[str, tuple[dict[str, Any], str]] = {}

    def cast(self, step: Step, outsider: Delegate | None = None) -> ballots._Cast:
        number, kept, key, credential_of = step
        if number == 0:
            assert outsider is not None
            voter = outsider
        else:
            voter = Delegate.objects.get(congress_id=self.election.congress_id, number=number)
        if key not in self.sealed:
            if kept == "broken":
                self.sealed[key] = ({"marks": []}, f"broken-credential-{number:04d}")
            elif kept == "extra":
                data, credential = encrypt_on_phone(self.election, ["c01"])
                data = copy.deepcopy(data)
                data["marks"].append(data["marks"][0])  # type: ignore[index]
                self.sealed[key] = (data, credential)
            else:
                self.sealed[key] = encrypt_on_phone(self.election, kept, invalid=not kept)
        data, credential = self.sealed[key]
        if credential_of is not None:
            credential = self.sealed[credential_of][1]
        return ballots._Cast(
            self.election.pk,
            voter,
            data,
            credential,
            nonce(0, key),
            ballots.nonce_digest(self.election.pk, nonce(0, key)),
        )


def clock() -> Iterator[dt.datetime]:
    at = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
    while True:
        at += dt.timedelta(microseconds=1234)
        yield at


def rows(
    model: type[Any], columns: str, where: str = "", params: tuple[Any, ...] = ()
) -> list[tuple[str, ...]]:
    """The rows exactly as stored (each value's repr), read with plain SQL, not through the ORM."""
    name = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {name} {where}", params)  # noqa: S608 (names from the models)
        return [tuple(map(repr, row)) for row in cursor.fetchall()]


def run(
    script: list[list[Step]],
    writer: Writer,
    hall: tuple[Election, Delegate],
    sealer: Sealer,
    monkeypatch: Any,
) -> dict[str, Any]:
    """Play the script through `writer` and return what it answered and wrote, exactly as stored; then
    roll it all back, so the next run starts from the same state."""
    election, outsider = hall
    calls: list[int] = []

    def write(election_id: int, casts: list[ballots._Cast]) -> dict[int, ballots.CastResult | BaseException]:
        calls.append(len(casts))
        return writer(election_id, casts)

    monkeypatch.setattr(ballots, "_write_election_casts", write)
    ticks = clock()
    monkeypatch.setattr(timezone, "now", lambda: next(ticks))
    with transaction.atomic():
        start = AuditHead.objects.get_or_create(id=1)[0].seq
        answers: list[Any] = []
        for group in script:
            if group == ["close"]:
                Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
                continue
            casts = [sealer.cast(step, outsider) for step in group]
            ballots._commit_group(casts)
            for cast in casts:
                if cast.error is None:
                    assert cast.result is not None
                    answers.append(
                        ("ok", cast.result.election_id, cast.result.tracker, cast.result.is_repeat)
                    )
                else:
                    answers.append(("error", type(cast.error).__name__, getattr(cast.error, "code", None)))
        keys = {"participations": rows(ElectionParticipation, "id"), "ballots": rows(ElectronicBallot, "id")}
        this = ("WHERE election_id = %s", (election.pk,))
        written = {
            "answers": answers,
            "participations": sorted(
                rows(ElectionParticipation, "election_id, delegate_id, nonce_digest", *this)
            ),
            "ballots": sorted(
                rows(ElectronicBallot, "election_id, credential, ciphertext, tracker, verdict", *this)
            ),
            "audit": rows(
                AuditEntry,
                "seq, at, actor, congress_id, action, object_type, object_id, before, after, prev_hash, hash",
                "WHERE seq > %s ORDER BY seq",
                (start,),
            ),
            "head": rows(AuditHead, "id, seq, hash"),
            "election": rows(Election, "*", "WHERE id = %s", (election.pk,)),
            "verified": verify(),
        }
        transaction.set_rollback(True)
    assert calls == [len(g) for g in script if g != ["close"]]  # every group went through `writer`
    for ids in keys.values():  # random 62-bit keys, none repeated
        assert len(set(ids)) == len(ids) and all(0 < int(i) < 2**62 + 1 for (i,) in ids)
    return written


@pytest.mark.django_db
def test_the_lean_write_answers_and_writes_exactly_what_the_orm_write_does(hall, monkeypatch):
    sealer = Sealer(hall[0])
    orm = run(SCRIPT, ORM, hall, sealer, monkeypatch)
    lean = run(SCRIPT, LEAN, hall, sealer, monkeypatch)
    # The script covers what it claims: each refusal and each kind of success happened.
    codes = {a[2] for a in orm["answers"] if a[0] == "error"}
    assert codes == {
        "bad_ballot",
        "may_not_vote",
        "bad_credential",
        "already_voted",
        "bad_nonce",
        "wrong_congress",
        "election_not_open",
    }
    assert sum(1 for a in orm["answers"] if a[0] == "ok" and a[3]) == 4  # the double tap and 3 retries
    assert len(orm["participations"]) == len(orm["ballots"]) == len(orm["audit"]) == 6
    assert orm["verified"] == []
    for part in orm:
        assert lean[part] == orm[part], part


@pytest.mark.django_db
def test_a_group_costs_the_same_statements_whatever_its_size():
    election = open_election(delegates=45)
    Election.objects.filter(pk=election.pk).update(opened_at=timezone.now())  # as opening the vote does
    election.refresh_from_db()
    sealer = Sealer(election)
    ballots._commit_group([sealer.cast((45, ["c01"], "warm", None), None)])  # type: ignore[arg-type]
    counts = []
    for numbers in (range(1, 4), range(4, 44)):
        group = [sealer.cast((n, ["c01", "c02"], f"{n}a", None)) for n in numbers]
        with CaptureQueriesContext(connection) as ctx:
            ballots._commit_group(group)
        assert all(isinstance(c.result, ballots.CastResult) for c in group)
        counts.append(len(ctx.captured_queries))
    # The election, the group's read, two executemany, the audit head read, its entries and its move,
    # and the savepoint's two statements (inside the test's transaction).
    assert counts[0] == counts[1] <= 9, [q["sql"][:100] for q in ctx.captured_queries]
    if connection.features.has_select_for_update:  # PostgreSQL: the election and the audit head are locked
        locked = [
            q["sql"].split(" FROM ")[1][:30] for q in ctx.captured_queries if q["sql"].endswith("FOR UPDATE")
        ]
        assert len(locked) == 2 and "voting_election" in locked[0] and "audit_audithead" in locked[1], locked
    assert ElectronicBallot.objects.filter(election=election).count() == 44
    assert verify() == []


@pytest.mark.django_db
def test_the_plain_audit_append_starts_and_extends_the_chain_as_record_many_does(monkeypatch):
    changes = [
        audit.Change(actor="delegate:7", action="election.ballot_cast", congress_id=3, after={"delegate": 7}),
        audit.Change(actor="chair", action="election.close", before={"status": "open", "at": [1, "b"]}),
    ]

    def written(append: Callable[[list[audit.Change]], object]) -> tuple[Any, ...]:
        ticks = clock()
        monkeypatch.setattr(timezone, "now", lambda: next(ticks))
        with transaction.atomic():
            assert not AuditHead.objects.exists()  # no chain yet: the head is made on the first entry
            append(changes)
            append(changes[:1])
            out = (
                rows(
                    AuditEntry,
                    "seq, at, actor, congress_id, action, object_type, object_id, before, after, "
                    "prev_hash, hash",
                    "ORDER BY seq",
                ),
                rows(AuditHead, "id, seq, hash"),
                verify(),
            )
            transaction.set_rollback(True)
        return out

    plain, orm = written(audit.record_many_sql), written(audit.record_many)
    assert len(orm[0]) == 3 and orm[2] == []
    assert plain == orm
