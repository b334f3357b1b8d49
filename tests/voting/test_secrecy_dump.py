"""Secrecy of the electronic ballot, checked on a full dump of the database (SQLite's iterdump, or
`pg_dump --data-only` on PostgreSQL): nothing stored links a ballot to its voter.

30 delegates cast 30 ballots with distinct marks, in a known order, through the web (so sessions and
the audit log are exercised too), then the tables are reshuffled as at certification.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from daihoi.audit.models import AuditEntry
from daihoi.congress.models import Delegate
from daihoi.voting import secrecy
from daihoi.voting.models import ElectionParticipation, ElectronicBallot
from tests.factories import delegate_client
from tests.support.ballots import nonce, open_election

VOTERS = 30
BALLOT_TABLE = ElectronicBallot._meta.db_table
PARTICIPATION_TABLE = ElectionParticipation._meta.db_table


def distinct_marks(codes: list[str], places: int) -> list[list[str]]:
    """VOTERS different choices of at most `places` names: each ballot is recognisable in the dump."""
    subsets = (list(s) for k in range(1, places + 1) for s in itertools.combinations(codes, k))
    return list(itertools.islice(subsets, VOTERS))


def dump() -> str:
    """The whole database as text, as someone who walked off with it would see it."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed for the PostgreSQL secrecy test"
    settings = connection.settings_dict
    out = subprocess.run(
        [
            pg_dump,
            "--data-only",
            "-h",
            settings.get("HOST") or "127.0.0.1",
            "-p",
            str(settings.get("PORT") or 5432),
            "-U",
            settings.get("USER") or "postgres",
            settings["NAME"],
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out.stdout


def dumped_rows(text: str, table: str) -> list[list[str]]:
    """The rows of `table` in dump order, as lists of raw column texts (id first)."""
    if connection.vendor == "sqlite":
        rows = []
        for line in text.splitlines():
            m = re.match(rf'^INSERT INTO "{table}" VALUES\((-?\d+),(.*)\);$', line)
            if m:
                rows.append([m[1], m[2]])
        return rows
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"COPY public.{table} "))
    columns = lines[start].split("(", 1)[1].split(")", 1)[0].split(", ")
    assert columns[0] == "id", columns
    end = lines.index("\\.", start)
    return [line.split("\t") for line in lines[start + 1 : end]]


@pytest.mark.django_db(transaction=True)
def test_a_full_dump_links_no_ballot_to_its_voter():
    election = open_election(delegates=VOTERS + 2, candidates=7, seats=5, verifiable=True)
    codes = [f"c0{i}" for i in range(1, 8)]
    choices = distinct_marks(codes, 5)
    delegates = list(Delegate.objects.filter(congress=election.congress).order_by("number")[:VOTERS])
    before_delegates = list(Delegate.objects.filter(congress=election.congress).order_by("pk").values())
    receipts = []
    url = reverse("delegate_ballot_cast", args=[election.congress.slug, election.pk])
    for i, (voter, kept) in enumerate(zip(delegates, choices, strict=True)):
        client = delegate_client(Client(), voter)
        answer = client.post(
            url, json.dumps({"nonce": nonce(i), "kept": kept}), content_type="application/json"
        )
        assert answer.status_code == 200, answer.content
        receipts.append(answer.json()["receipt"])
    cast_order = [json.dumps({c: int(c in kept) for c in codes}, sort_keys=True) for kept in choices]

    assert secrecy.reshuffle(election) == VOTERS
    text = dump()

    # 1. The schema: the ballot references only its election; neither table has a time.
    ballot_fks = {f.name: f.related_model for f in ElectronicBallot._meta.concrete_fields if f.is_relation}
    assert ballot_fks == {"election": type(election)}
    for model in (ElectronicBallot, ElectionParticipation):
        assert not [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateField | models.DateTimeField)
        ]
    assert {f.name for f in ElectionParticipation._meta.concrete_fields} == {
        "id",
        "election",
        "delegate",
        "nonce_digest",
    }

    # 2. The dump lists ballots (and participations) in the order of their random ids, which does
    # not depend on the order of casting; so the dump order is not the casting order either. (That
    # the random order equals the casting order by luck has probability 1/30! ≈ 4 × 10⁻³³.)
    ballot_rows = dumped_rows(text, BALLOT_TABLE)
    participation_rows = dumped_rows(text, PARTICIPATION_TABLE)
    assert len(ballot_rows) == len(participation_rows) == VOTERS
    ballot_ids = [int(r[0]) for r in ballot_rows]
    assert ballot_ids == sorted(ballot_ids)
    participation_ids = [int(r[0]) for r in participation_rows]
    assert participation_ids == sorted(participation_ids)
    dumped_marks = [
        json.dumps(ElectronicBallot.objects.get(pk=pk).marks, sort_keys=True) for pk in ballot_ids
    ]
    assert sorted(dumped_marks) == sorted(cast_order)
    assert dumped_marks != cast_order

    # 3. Ids are random, not a sequence: 30 random 62-bit keys spanning less than 10⁹ has a chance
    # below (10⁹ / 2⁶²)²⁹ ≈ 10⁻²⁸⁰.
    for ids in (ballot_ids, participation_ids):
        assert ids[-1] - ids[0] > 10**9
        assert len({b - a for a, b in itertools.pairwise(ids)}) > 1

    # 4. Each ballot id, receipt and participation key appears once in the whole dump: in its own row,
    # never in the audit log, a session, or the other table.
    for secret in [*map(str, ballot_ids), *receipts, *map(str, participation_ids)]:
        assert text.count(secret) == 1, secret
    participation_nonces = set(ElectionParticipation.objects.values_list("nonce_digest", flat=True))
    for digest in participation_nonces:
        assert text.count(digest) == 1
    for i in range(VOTERS):
        assert nonce(i) not in text  # the client nonce itself is never stored

    # 5. The audit log says who voted, never what: no marks, ballot ids or receipts.
    cast_entries = AuditEntry.objects.filter(action="election.ballot_cast")
    assert cast_entries.count() == VOTERS
    for entry in cast_entries:
        blob = json.dumps([entry.before, entry.after, entry.object_id, entry.object_type])
        assert "c0" not in blob and "marks" not in blob and "receipt" not in blob

    # 6. Sessions hold the delegate's sign-in and nothing of the ballot.
    for session in Session.objects.all():
        data = session.get_decoded()
        assert all(key.startswith(("daihoi:delegate:", "_")) for key in data), data
        assert not any(r in session.session_data for r in receipts)

    # 7. Casting changed nothing on the delegate rows (no "voted at", no counter).
    assert (
        list(Delegate.objects.filter(congress=election.congress).order_by("pk").values()) == before_delegates
    )


@pytest.mark.django_db(transaction=True)
def test_reshuffle_keeps_every_ballot_and_participation_as_it_was():
    election = open_election(delegates=12, verifiable=True)
    from daihoi.voting.actions import ballots

    for n in range(1, 13):
        voter = Delegate.objects.get(congress=election.congress, number=n)
        ballots.cast_electronic_ballot(election, voter, [f"c0{1 + n % 7}"], nonce=nonce(n))
    before = (
        sorted(ElectronicBallot.objects.values_list("id", "marks", "receipt")),
        sorted(ElectionParticipation.objects.values_list("id", "delegate_id", "nonce_digest")),
    )
    secrecy.reshuffle(election)
    secrecy.reshuffle(election)  # at close and again at certification
    after = (
        sorted(ElectronicBallot.objects.values_list("id", "marks", "receipt")),
        sorted(ElectionParticipation.objects.values_list("id", "delegate_id", "nonce_digest")),
    )
    assert after == before
