"""The lean check-in (a group of scans in a constant number of raw statements) against its oracle, the
ORM path `check_in_orm`: the same answers at the desk, the same rows and the same audit chain, byte for
byte as stored (issue 13, item 5). Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from daihoi.audit import log as audit
from daihoi.audit.models import AuditEntry, AuditHead
from daihoi.congress.access import Actor, Role
from daihoi.congress.actions import checkin, checkin_group
from daihoi.congress.attendance import attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.models import CheckIn, Congress, Delegate, Guest
from tests.factories import login_as, make_congress, make_staff
from tests.support.concurrency import at_once

pytestmark = pytest.mark.django_db

# Each group of scans is judged at its own instant (microseconds included, to catch a lossy write).
SETUP_AT = dt.datetime(2020, 6, 20, 0, 15, 1, 250001, tzinfo=dt.UTC)
GROUP_AT = [
    dt.datetime(2020, 6, 20, 0, 42, 5, 123456, tzinfo=dt.UTC),
    dt.datetime(2020, 6, 20, 1, 3, 59, 999999, tzinfo=dt.UTC),
]

Scan = tuple[Congress, str, str]  # congress, what the scanner typed, nonce


class _Undo(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


def rolled_back(run: Callable[[], Any]) -> Any:
    """`run()`'s value, with everything it wrote undone (a savepoint in the test's transaction)."""
    try:
        with transaction.atomic():
            raise _Undo(run())
    except _Undo as undo:
        return undo.value


def answer(outcome: checkin.CheckInResult | BaseException) -> Any:
    """What the desk is told: the result, or the refusal's code, message and numbers."""
    if isinstance(outcome, ActionError):
        return ("refused", outcome.as_dict())
    if isinstance(outcome, checkin.CheckInResult):
        return ("ok", outcome, outcome.as_dict())
    raise AssertionError(f"not an answer: {outcome!r}")


def stored() -> dict[str, list[tuple[Any, ...]]]:
    """Every row the check-in writes, as the database holds it (raw, not through the ORM's reading);
    surrogate ids of new rows left out (PostgreSQL's sequences do not roll back)."""
    tables = {
        "checkin": (CheckIn, ["congress_id", "delegate_id", "action", "nonce", "at", "by"], "id"),
        "delegate": (Delegate, ["id", "attendance", "checked_in_at", "absence_reason", "credential"], "id"),
        "guest": (Guest, ["id", "checked_in_at"], "id"),
        "audit": (
            AuditEntry,
            [
                "seq",
                "at",
                "actor",
                "congress_id",
                "action",
                "object_type",
                "object_id",
                "before",
                "after",
                "prev_hash",
                "hash",
            ],
            "seq",
        ),
        "head": (AuditHead, ["id", "seq", "hash"], "id"),
    }
    q = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for name, (model, columns, order) in tables.items():
            cursor.execute(
                f"SELECT {', '.join(q(c) for c in columns)} FROM {q(model._meta.db_table)} ORDER BY {q(order)}"  # noqa: S608
            )
            rows[name] = [tuple(r) for r in cursor.fetchall()]
    return rows


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dict[str, dt.datetime]:
    now = {"at": SETUP_AT}
    monkeypatch.setattr(timezone, "now", lambda: now["at"])
    return now


def desk_clerk(congress: Congress) -> Actor:
    return Actor(roles=frozenset({Role.ORGANIZER}), user=make_staff(congress, Role.ORGANIZER))


def hall() -> tuple[Actor, list[list[Scan]]]:
    """Three congresses, a history, and two groups of scans covering every answer the desk can get."""
    a = make_congress(delegates=9, guests=2)
    b = make_congress(delegates=2)
    closed = make_congress(delegates=2, state=Congress.State.CLOSED)
    actor = desk_clerk(a)
    d = {x.number: x for x in a.delegates.all()}
    Delegate.objects.filter(pk=d[9].pk).update(unit=None)
    Delegate.objects.filter(pk=d[3].pk).update(
        credential=Delegate.Credential.REJECTED, credential_reason="chuyển sinh hoạt"
    )
    Delegate.objects.filter(pk=d[4].pk).update(credential=Delegate.Credential.REJECTED)
    # The history: 5 came and left, 6 is excused, 7 is in, a check-in in congress b.
    checkin.check_in_orm(a, d[5].code, nonce="setup-in-5", actor=actor)
    checkin.check_out(Delegate.objects.get(pk=d[5].pk), nonce="setup-out-5", actor=actor)
    checkin.mark_excused(Delegate.objects.get(pk=d[6].pk), "ốm", nonce="setup-excuse-6", actor=actor)
    checkin.check_in_orm(a, d[7].code, nonce="setup-in-7", actor=actor)
    b1 = b.delegates.get(number=1)
    checkin.check_in_orm(b, b1.code, nonce="setup-in-b1", actor=actor)
    g1, g2 = a.guests.order_by("pk")
    c1 = closed.delegates.get(number=1)
    first = [
        (a, f"http://192.168.1.10:8000/d/{d[1].code}/", "nonce-0001"),
        (a, f" {d[2].code[:4].lower()}-{d[2].code[4:]} ", "nonce-0002"),
        (a, d[1].code, "nonce-0003"),  # a second scan, another nonce: already checked in
        (a, d[1].code, "nonce-0001"),  # a retry in the same group: the same answer, once
        (a, d[2].code, "nonce-0001"),  # the nonce of another card
        (a, "ZZZZ-ZZZZ-ZZ", "nonce-0004"),  # unknown
        (a, g1.code, "nonce-0005"),  # a guest arrives
        (a, g1.code, "nonce-0006"),  # and again: the first time kept
        (a, d[3].code, "nonce-0007"),  # rejected, with a reason
        (a, d[4].code, "nonce-0008"),  # rejected, without
        (a, d[5].code, "nonce-0009"),  # came back after leaving
        (a, d[6].code, "nonce-0010"),  # excused, came after all
        (a, d[7].code, "setup-in-7"),  # a retry of a committed scan
        (a, d[7].code, "nonce-0011"),  # already in since the setup
        (a, d[8].code, "setup-out-5"),  # the nonce of a check-out
        (a, d[8].code, "setup-in-b1"),  # the nonce of another congress's check-in
        (b, b.delegates.get(number=2).code, "nonce-0012"),  # another congress in the same group
        (b, d[8].code, "nonce-0013"),  # a card of congress a at congress b's desk
        (b, b1.code, "setup-in-b1"),  # a retry there
        (closed, c1.code, "nonce-0014"),
        (closed, g1.code, "nonce-0015"),
        (a, d[9].code, "nonce-0016"),  # no sub-unit
    ]
    second = [
        (a, d[1].code, "nonce-0017"),  # already in, at the first group's time
        (a, d[1].code, "nonce-0001"),
        (a, g2.code, "nonce-0018"),
        (a, g1.code, "nonce-0019"),
        (a, d[8].code, "nonce-0020"),
        (a, d[5].code, "nonce-0009"),
        (closed, c1.code, "nonce-0014"),
        (a, "", "nonce-0021"),  # empty, refused before any group
    ]
    return actor, [first, second]


def oracle(actor: Actor, group: list[Scan]) -> list[Any]:
    answers = []
    for congress, typed, nonce in group:
        try:
            answers.append(answer(checkin.check_in_orm(congress, typed, nonce=nonce, actor=actor)))
        except ActionError as refusal:
            answers.append(answer(refusal))
    return answers


def lean_together(actor: Actor, group: list[Scan]) -> list[Any]:
    """The whole group in one commit, as the server's group commit writes a burst."""
    refusals: list[tuple[int, Any]] = []
    scans = []
    for i, (congress, typed, nonce) in enumerate(group):
        try:
            scans.append(checkin_group._Scan(congress, checkin.parse_scan(typed), nonce, actor.label))
        except ActionError as refusal:
            refusals.append((i, answer(refusal)))
    checkin_group._commit_scans(scans)
    results = [answer(s.result if s.error is None else s.error) for s in scans]
    for i, refused in refusals:  # the scans refused before any group, where they came
        results.insert(i, refused)
    return results


def lean_alone(actor: Actor, group: list[Scan]) -> list[Any]:
    """One scan at a time through the action itself."""
    answers = []
    for congress, typed, nonce in group:
        try:
            answers.append(answer(checkin.check_in(congress, typed, nonce=nonce, actor=actor)))
        except ActionError as refusal:
            answers.append(answer(refusal))
    return answers


def replay(actor: Actor, groups: list[list[Scan]], run: Callable[..., list[Any]], clock: dict) -> Any:
    answers = []
    for at, group in zip(GROUP_AT, groups, strict=True):
        clock["at"] = at
        answers.append(run(actor, group))
    return answers, stored()


@pytest.mark.parametrize("lean", [lean_together, lean_alone], ids=["one_group", "one_by_one"])
def test_lean_check_in_answers_and_writes_exactly_what_the_orm_oracle_does(lean, clock):
    actor, groups = hall()
    expected_answers, expected_rows = rolled_back(lambda: replay(actor, groups, oracle, clock))
    answers, rows = rolled_back(lambda: replay(actor, groups, lean, clock))
    # Nothing trivial: every kind of answer is there, and the scans wrote rows and entries.
    codes = {a[1]["code"] for g in expected_answers for a in g if a[0] == "refused"}
    assert codes == {
        "already_checked_in",
        "bad_nonce",
        "unknown_code",
        "not_a_delegate",
        "credential_rejected",
        "congress_closed",
        "empty_code",
    }
    assert sum(a[0] == "ok" and a[1].is_repeat for g in expected_answers for a in g) == 5
    assert (len(expected_rows["checkin"]), len(expected_rows["audit"])) == (12, 14)
    for group, got, want in zip(groups, answers, expected_answers, strict=True):
        for scan, one, other in zip(group, got, want, strict=True):
            assert one == other, scan[1:]
    assert rows == expected_rows
    # And the lean path's chain verifies on its own.
    rolled_back(lambda: (replay(actor, groups, lean, clock), _verified()))


def _verified() -> None:
    assert audit.verify() == []


def _fresh_scans(congress: Congress, actor: Actor, count: int, start: int) -> list[Any]:
    delegates = list(congress.delegates.order_by("number")[start : start + count])
    return [checkin_group._Scan(congress, d.code, f"count-{d.pk:08d}", actor.label) for d in delegates]


def test_statements_per_group_do_not_grow_with_the_group(clock):
    congress = make_congress(delegates=140, guests=6)
    actor = desk_clerk(congress)
    checkin.check_in_orm(congress, congress.delegates.get(number=140).code, nonce="first-entry", actor=actor)
    counts: dict[Any, int] = {}
    for size, start in ((1, 0), (8, 1), (80, 9)):
        group = _fresh_scans(congress, actor, size, start)
        with CaptureQueriesContext(connection) as captured:
            checkin_group._commit_scans(group)
        assert all(s.result is not None and not s.result.is_repeat for s in group)
        counts[size] = len(captured.captured_queries)
    # savepoint, congress state, roll, insert check-ins, update delegates, audit head/insert/update, release.
    assert counts == {1: 9, 8: 9, 80: 9}, counts
    assert Delegate.objects.filter(congress=congress, attendance="present").count() == 90
    # Retries, second scans, guests and new arrivals together: three statements more (the guests' read
    # and update, a second look for late retries), whatever the size.
    guests = list(congress.guests.order_by("pk"))
    for size, start, arriving in ((2, 89, guests[:3]), (40, 91, guests[3:])):
        done = _fresh_scans(congress, actor, size, 0)
        group = [
            *done,  # retries of nonces already written: the same answers
            *(
                checkin_group._Scan(congress, s.code, f"again-{size}-{i}", actor.label)
                for i, s in enumerate(done)
            ),
            *(checkin_group._Scan(congress, g.code, f"guest-{size}-{g.pk}", actor.label) for g in arriving),
            *_fresh_scans(congress, actor, size, start),
        ]
        with CaptureQueriesContext(connection) as captured:
            checkin_group._commit_scans(group)
        answered = [s.result for s in group if s.result is not None]
        assert sum(r.is_repeat for r in answered) == size and len(answered) == 2 * size
        assert {s.error.code for s in group if s.error is not None} == {
            "already_checked_in",
            "not_a_delegate",
        }
        counts[f"mixed-{size}"] = len(captured.captured_queries)
    assert counts["mixed-2"] == counts["mixed-40"] == 9 + 3, counts


def test_a_failed_group_is_written_again_one_by_one(clock, caplog):
    """A statement that fails (here: a row written under the group's feet takes one of its nonces)
    sinks the group's transaction; every scan is then written on its own, and answered."""
    congress = make_congress(delegates=3)
    actor = desk_clerk(congress)
    d1, d2, d3 = congress.delegates.order_by("number")
    group = [checkin_group._Scan(congress, d.code, f"fail-{d.pk}", actor.label) for d in (d1, d2, d3)]
    original = checkin_group._read_roll

    def clash(cursor, congress_id, codes, nonces):
        found = original(cursor, congress_id, codes, nonces)
        if len(codes) > 1:  # in the group's transaction only: undone with it
            CheckIn.objects.create(
                congress=congress, delegate=d3, action="in", nonce=f"fail-{d2.pk}", at=timezone.now()
            )
        return found

    checkin_group._read_roll = clash
    try:
        checkin_group._commit_scans(group)
    finally:
        checkin_group._read_roll = original
    assert "a group of 3 check-ins failed; writing them one by one" in caplog.text
    assert [s.error for s in group] == [None, None, None]
    assert [s.result.delegate_id for s in group if s.result and not s.result.is_repeat] == [
        d1.pk,
        d2.pk,
        d3.pk,
    ]
    assert sorted(CheckIn.objects.filter(congress=congress).values_list("nonce", flat=True)) == sorted(
        s.nonce for s in group
    )
    assert AuditEntry.objects.filter(action="delegate.check_in").count() == 3
    assert audit.verify() == []


def test_the_desk_scan_costs_one_query_for_the_gate_and_a_constant_number_for_the_rest(
    client, django_assert_num_queries, clock
):
    congress = make_congress(delegates=5)
    login_as(client, congress, Role.CREDENTIALS)
    codes = list(congress.delegates.order_by("number").values_list("code", flat=True))
    url = f"/c/{congress.slug}/desk/scan"
    client.post(url, {"code": codes[0], "nonce": "desk-warm-up-0"}, content_type="application/json")
    # The gate: the staff roles joined to the congress and the user (one query); the action:
    # savepoint, congress state, roll, check-in rows, delegates, audit head/rows/head, release; the
    # answer's attendance figures: one grouped read (the roll and the guests).
    with django_assert_num_queries(1 + 9 + 1):
        answer = client.post(
            url, {"code": codes[1], "nonce": "desk-scan-0001"}, content_type="application/json"
        )
    assert answer.status_code == 200 and answer.json()["result"]["number"] == 2
    with django_assert_num_queries(1 + 9 + 1):
        again = client.post(
            url, {"code": codes[2], "nonce": "desk-scan-0002"}, content_type="application/json"
        )
    assert again.json()["attendance"]["present"] == 3


@pytest.mark.django_db(transaction=True)
def test_groups_racing_on_separate_connections_as_separate_processes_would_count_a_retry_once():
    """Each thread commits its own group (no shared leader: as the server's processes do). A retry that
    waited for the card's lock while its original committed gets the original's answer, and a second
    card's scans at the same moment count once."""
    congress = make_congress(delegates=4)
    actor = desk_clerk(congress)

    def alone(code: str, nonce: str) -> Callable[[], Any]:
        def run() -> Any:
            scan = checkin_group._Scan(congress, code, nonce, actor.label)
            checkin_group._commit_scans([scan])
            return scan.result or scan.error

        return run

    for d in congress.delegates.order_by("number"):
        results = at_once([alone(d.code, f"race-{d.pk}") for _ in range(3)])
        assert all(isinstance(r, checkin.CheckInResult) for r in results), results
        assert sorted(r.is_repeat for r in results) == [False, True, True]
        assert len({r.at for r in results}) == 1
    d1 = congress.delegates.get(number=1)
    results = at_once([alone(d1.code, f"again-{i}") for i in range(3)])
    assert {r.code for r in results} == {"already_checked_in"}
    assert CheckIn.objects.filter(congress=congress).count() == 4
    assert audit.verify() == []


@pytest.mark.django_db(transaction=True)
def test_a_group_reads_the_desks_figures_once_after_its_commit():
    congress = make_congress(delegates=12, guests=1)
    actor = desk_clerk(congress)
    group = [
        checkin_group._Scan(congress, d.code, f"figures-{d.pk}", actor.label, with_figures=True)
        for d in congress.delegates.order_by("number")[:10]
    ]
    group.append(
        checkin_group._Scan(congress, "NOSUCHCARD", "figures-unknown", actor.label, with_figures=True)
    )
    with CaptureQueriesContext(connection) as captured:
        checkin_group._commit_scans(group)
    assert all(s.figures is group[0].figures for s in group)  # one read for the group, after its commit
    assert group[0].figures == attendance(congress) and group[0].figures.present == 10
    aggregates = [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    # attendance's one read (the roll and the guests) once for the live push (built at commit in tests)
    # and once for the eleven desks, not eleven times.
    assert len(aggregates) == 2
    assert group[-1].error.code == "unknown_code"
