"""The secrecy test attacks the files themselves (issue 10), as someone holding a copy of the database would.

On SQLite the database file and its WAL are copied with `cp` while voting is open, after the close and
after certification. Every way of pairing a participation with a ballot (the rank order of the rows, the
order of their cells in the file, the order of their WAL frames, the rowid) is tried; whatever the
pairing, the ballot side holds only ciphertext: no mark, no candidate code and no per-ballot count
appears anywhere in the files, in any of the encodings the plain design stored them in. On PostgreSQL
(when DATABASE_URL is postgres) the tables are dumped with `xmin` and `ctid` and paired by each.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from daihoi.congress.access import Actor, Role
from daihoi.voting.actions import counting
from daihoi.voting.models import Election, ElectionParticipation, ElectronicBallot
from tests.support.ballots import delegate, nonce, open_election
from tests.support.secrecy import assert_only_ciphertext, snapshot
from tests.voting.evote_helpers import decrypt_totals, phone_cast

HEAD = Actor(roles=frozenset({Role.COUNTING}))
VOTERS = 30
CANDIDATES = 7


def kept_by(n: int) -> list[str]:
    """What delegate n keeps: 1 to 5 names, varied, so that every per-ballot count 1..5 occurs."""
    return [f"c{1 + (n + k) % CANDIDATES:02d}" for k in range(1 + n % 5)]


def plaintext_encodings(codes: list[str]) -> list[bytes]:
    """How the plain design stored a ballot (JSON marks, with and without spaces) and a kept count."""
    out = []
    for code in codes:
        for mark in (0, 1):
            out += [f'"{code}": {mark}'.encode(), f'"{code}":{mark}'.encode()]
    out += [b'"kept"', b'"marks": {', b'"marks":{', b"receipt"]
    return out


def attack_sqlite(copy: Path, raw: bytes, election: Election, trackers: set[str]) -> int:
    """Pair participations and ballots in every order the files give; check what the ballot side says."""
    # Open a further copy, so that reading (which may checkpoint the WAL) does not touch the evidence.
    reading = copy.with_name("reading.sqlite3")
    shutil.copy(copy, reading)
    if Path(str(copy) + "-wal").exists():
        shutil.copy(str(copy) + "-wal", str(reading) + "-wal")
    db = sqlite3.connect(reading)
    participations = db.execute(
        "SELECT rowid, delegate_id, nonce_digest FROM voting_electionparticipation WHERE election_id=?",
        (election.pk,),
    ).fetchall()
    ballots = db.execute(
        "SELECT rowid, credential, ciphertext, tracker, verdict FROM voting_electronicballot "
        "WHERE election_id=?",
        (election.pk,),
    ).fetchall()
    db.close()
    assert len(participations) == len(ballots) == VOTERS
    assert {b[3] for b in ballots} == trackers
    # Every ballot is the same size whatever it says: its length cannot tell a count either.
    assert len({len(b[2]) for b in ballots}) == 1

    def at(needle: str) -> int:  # where the row's unique value first sits in the files (cell / WAL frame)
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
            assert_only_ciphertext(b[2], f"{how}: the ballot paired with delegate id {p[1]}")
            assert b[4] in ("pending", "accepted"), how
            pairs += 1
    return pairs


def assert_no_plaintext(raw: bytes, election: Election, when: str) -> None:
    codes = [f"c{i:02d}" for i in range(1, CANDIDATES + 1)]
    for encoding in plaintext_encodings(codes):
        assert encoding not in raw, f"{when}: {encoding!r} is in the files"


@pytest.mark.django_db(transaction=True)
def test_copies_of_the_sqlite_files_pair_voters_with_ciphertexts_only(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the file attack is SQLite's; PostgreSQL's is the xmin/ctid test below")
    db = Path(connection.settings_dict["NAME"])
    election = open_election(delegates=VOTERS + 3, candidates=CANDIDATES, seats=5)
    trackers = {
        phone_cast(election, delegate(election, n), kept_by(n), nonce=nonce(n)).tracker
        for n in range(1, VOTERS + 1)
    }
    # Sanity of the attack: a value known to be in the files is found there.
    _copy, raw = snapshot(db, tmp_path / "probe")
    assert next(iter(trackers)).encode() in raw

    copy, raw = snapshot(db, tmp_path / "open")
    assert attack_sqlite(copy, raw, election, trackers) == 3 * VOTERS
    assert_no_plaintext(raw, election, "open")

    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    election.refresh_from_db()
    decrypt_totals(election)
    copy, raw = snapshot(db, tmp_path / "closed")
    assert attack_sqlite(copy, raw, election, trackers) == 3 * VOTERS
    assert_no_plaintext(raw, election, "closed and decrypted")

    result = counting.certify(election, HEAD)
    assert result.ballots.received == VOTERS
    copy, raw = snapshot(db, tmp_path / "certified")
    assert attack_sqlite(copy, raw, election, trackers) == 3 * VOTERS
    assert_no_plaintext(raw, election, "certified")
    # Only the totals were ever decrypted: the count of each name, never one ballot's.
    expected = {
        f"c{i:02d}": sum(f"c{i:02d}" in kept_by(n) for n in range(1, VOTERS + 1)) for i in range(1, 8)
    }
    assert {c.id: c.votes for c in result.candidates} == expected


@pytest.mark.django_db(transaction=True)
def test_postgresql_rows_paired_by_xmin_or_ctid_hold_only_ciphertext():
    if connection.vendor != "postgresql":
        pytest.skip("runs when DATABASE_URL is postgres")
    election = open_election(delegates=VOTERS + 3, candidates=CANDIDATES, seats=5)
    for n in range(1, VOTERS + 1):
        phone_cast(election, delegate(election, n), kept_by(n), nonce=nonce(n))
    for when in ("open", "closed", "certified"):
        if when == "closed":
            Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
            election.refresh_from_db()
            decrypt_totals(election)  # the proof check rewrites the ballot rows (their verdict)
        if when == "certified":
            counting.certify(election, HEAD)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT xmin::text, ctid::text, delegate_id FROM voting_electionparticipation WHERE election_id=%s",
                [election.pk],
            )
            participations = cursor.fetchall()
            cursor.execute(
                "SELECT xmin::text, ctid::text, ciphertext::text, verdict FROM voting_electronicballot "
                "WHERE election_id=%s",
                [election.pk],
            )
            ballots = cursor.fetchall()
        assert len(participations) == len(ballots) == VOTERS
        by_xmin = {b[0]: b for b in ballots}
        by_ctid = {b[1]: b for b in ballots}
        paired = 0
        for xmin, ctid, who in participations:
            for ballot in (by_xmin.get(xmin), by_ctid.get(ctid)):
                if ballot is not None:  # the pairing the plain design fell to
                    assert_only_ciphertext(ballot[2], f"{when}: delegate id {who}")
                    paired += 1
        if when == "open":  # xmin alone pairs every ballot with its voter (one transaction each)
            assert paired >= VOTERS
        dump = "\n".join(b[2] for b in ballots).encode()
        assert_no_plaintext(dump, election, when)
        assert len({len(b[2]) for b in ballots}) == 1
    assert ElectionParticipation.objects.filter(election=election).count() == VOTERS
    assert ElectronicBallot.objects.filter(election=election, verdict="accepted").count() == VOTERS


def test_the_ciphertext_check_sees_a_plain_ballot():
    """The check the attacks rely on fails on what the plain designs stored."""
    good = {"marks": [{"a": "0" * 64, "b": "f" * 64, "proof": None}]}
    assert_only_ciphertext(good, "ciphertext")
    for plain in ({"c01": 1, "c02": 0}, {"marks": {"c01": 1}}, {"kept": 2}):
        with pytest.raises(AssertionError):
            assert_only_ciphertext(plain, "a plain ballot")
    with pytest.raises(AssertionError):
        assert_only_ciphertext({"marks": [{"a": "yes"}]}, "an answer in the clear", never=("yes",))
