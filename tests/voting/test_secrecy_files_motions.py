"""The secrecy test for anonymous electronic motions (issue 10, item 6), on the files themselves.

The plain design stored each answer (`MotionBallot.choice`: "yes" / "no" / "abstain") in the same
transaction as the participation, and motions were never reshuffled: 40 of 40 linked on SQLite, 30 of 30
by `xmin` on PostgreSQL. Now the SQLite file and its WAL are copied with `cp` while the motion is open,
after its close (counting) and after the key holders' decryption; every pairing of a participation
with a ballot (rowid, cell order, last WAL frame; on PostgreSQL `xmin` and `ctid`) pairs a voter with
ciphertext only (no "yes" / "no" / "abstain", no per-ballot count), and no table but the named
(public) votes has a column for an answer in the clear.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from daihoi.congress.access import SYSTEM
from daihoi.congress.models import Delegate
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Motion, MotionEncryptedBallot, MotionParticipation
from tests.factories import make_congress
from tests.support.secrecy import assert_only_ciphertext, snapshot
from tests.voting.evote_helpers import decrypt_motion, phone_answer, run_motion_key

VOTERS = 30
ANSWERS = ("yes", "no", "abstain")


def answer_of(n: int) -> str:
    return ANSWERS[n % 3] if n % 4 else "yes"


def open_motion_with_answers() -> tuple[Motion, set[str]]:
    congress = make_congress(delegates=VOTERS + 3)
    Delegate.objects.filter(congress=congress).update(
        attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
    )
    run_motion_key(congress)
    m = mo.create_motion(congress, actor=SYSTEM, title="Thông qua quy chế", method=Motion.Method.ELECTRONIC)
    m = mo.open_motion(m, actor=SYSTEM)
    trackers = set()
    for n in range(1, VOTERS + 1):
        d = congress.delegates.get(number=n)
        trackers.add(phone_answer(m, d, answer_of(n), nonce=f"secret-motion-{n:04d}-abcdefgh").tracker)
    return m, trackers


def attack_sqlite(copy: Path, raw: bytes, motion: Motion, trackers: set[str]) -> int:
    reading = copy.with_name("reading.sqlite3")
    shutil.copy(copy, reading)
    if Path(str(copy) + "-wal").exists():
        shutil.copy(str(copy) + "-wal", str(reading) + "-wal")
    db = sqlite3.connect(reading)
    participations = db.execute(
        "SELECT rowid, delegate_id, nonce_digest FROM voting_motionparticipation WHERE motion_id=?",
        (motion.pk,),
    ).fetchall()
    ballots = db.execute(
        "SELECT rowid, credential, ciphertext, tracker, verdict FROM voting_motionencryptedballot "
        "WHERE motion_id=?",
        (motion.pk,),
    ).fetchall()
    # Where an answer in the clear may be: a `choice` column. Only the named (public) votes have one.
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    with_choice = {
        t for t in tables if any(c[1] == "choice" for c in db.execute(f'PRAGMA table_info("{t}")'))
    }
    db.close()
    assert with_choice == {"voting_namedvote"}
    assert len(participations) == len(ballots) == VOTERS
    assert {b[3] for b in ballots} == trackers
    assert len({len(b[2]) for b in ballots}) == 1  # a ballot's size tells nothing of its answer

    def at(needle: str) -> int:
        return raw.find(needle.encode())

    orders = {
        "rowid": (sorted(participations, key=lambda p: p[0]), sorted(ballots, key=lambda b: b[0])),
        "cell order in the files": (
            sorted(participations, key=lambda p: at(p[2])),
            sorted(ballots, key=lambda b: at(b[1])),
        ),
        "last WAL frame": (
            sorted(participations, key=lambda p: raw.rfind(p[2].encode())),
            sorted(ballots, key=lambda b: raw.rfind(b[1].encode())),
        ),
    }
    pairs = 0
    for how, (ps, bs) in orders.items():
        for p, b in zip(ps, bs, strict=True):
            assert_only_ciphertext(b[2], f"{how}: the ballot paired with delegate id {p[1]}", never=ANSWERS)
            assert b[4] in ("pending", "accepted"), how
            pairs += 1
    return pairs


@pytest.mark.django_db(transaction=True)
def test_copies_of_the_sqlite_files_pair_voters_with_encrypted_answers_only(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the file attack is SQLite's; PostgreSQL's is the xmin/ctid test below")
    db = Path(connection.settings_dict["NAME"])
    m, trackers = open_motion_with_answers()
    _probe, raw = snapshot(db, tmp_path / "probe")
    assert next(iter(trackers)).encode() in raw  # the attack reads what is there

    copy, raw = snapshot(db, tmp_path / "open")
    assert attack_sqlite(copy, raw, m, trackers) == 3 * VOTERS

    m = mo.close_motion(m, actor=SYSTEM)
    assert m.status == Motion.Status.COUNTING
    copy, raw = snapshot(db, tmp_path / "counting")
    assert attack_sqlite(copy, raw, m, trackers) == 3 * VOTERS

    m = decrypt_motion(m)
    copy, raw = snapshot(db, tmp_path / "decided")
    assert attack_sqlite(copy, raw, m, trackers) == 3 * VOTERS
    # Only the totals were decrypted: the count of each answer, never one ballot's.
    expected = tuple(sum(answer_of(n) == a for n in range(1, VOTERS + 1)) for a in ANSWERS)
    assert (m.yes, m.no, m.abstain) == expected


@pytest.mark.django_db(transaction=True)
def test_postgresql_motion_rows_paired_by_xmin_or_ctid_hold_only_ciphertext():
    if connection.vendor != "postgresql":
        pytest.skip("runs when DATABASE_URL is postgres")
    m, _trackers = open_motion_with_answers()
    for when in ("open", "counting", "decided"):
        if when == "counting":
            m = mo.close_motion(m, actor=SYSTEM)  # the proof check rewrites the ballot rows (verdict)
        if when == "decided":
            m = decrypt_motion(m)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT xmin::text, ctid::text, delegate_id FROM voting_motionparticipation WHERE motion_id=%s",
                [m.pk],
            )
            participations = cursor.fetchall()
            cursor.execute(
                "SELECT xmin::text, ctid::text, ciphertext::text FROM voting_motionencryptedballot "
                "WHERE motion_id=%s",
                [m.pk],
            )
            ballots = cursor.fetchall()
            cursor.execute(
                "SELECT table_name FROM information_schema.columns WHERE column_name='choice' "
                "AND table_schema=current_schema()"
            )
            assert {r[0] for r in cursor.fetchall()} == {"voting_namedvote"}  # the plain table is gone
        assert len(participations) == len(ballots) == VOTERS
        by_xmin = {b[0]: b for b in ballots}
        by_ctid = {b[1]: b for b in ballots}
        paired = 0
        for xmin, ctid, who in participations:
            for ballot in (by_xmin.get(xmin), by_ctid.get(ctid)):
                if ballot is not None:
                    assert_only_ciphertext(ballot[2], f"{when}: delegate id {who}", never=ANSWERS)
                    paired += 1
        if when == "open":  # xmin alone pairs every ballot with its voter (one transaction each)
            assert paired >= VOTERS
        assert len({len(b[2]) for b in ballots}) == 1
    assert MotionParticipation.objects.filter(motion=m).count() == VOTERS
    assert MotionEncryptedBallot.objects.filter(motion=m, verdict="accepted").count() == VOTERS
