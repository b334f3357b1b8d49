"""A counted poll built in one process (committee ceremony, ballots, 2-of-3 decryption), for the tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from daihoi.crypto.ballot import encrypt_ballot
from daihoi.crypto.group import Rng, random_scalar
from daihoi.crypto.record import (
    CastBallot,
    CommitteeMember,
    Poll,
    build_record,
    check_cast,
    homomorphic_totals,
)
from daihoi.crypto.threshold import Member, partial_decrypt, public_key, run_ceremony
from daihoi.crypto.totals import PaperTotals

ELECTION = Poll(
    "congress-1/election-7",
    "election",
    "Bầu Ban Chấp hành",
    tuple((f"c{i}", f"Ứng viên {i}") for i in range(1, 8)),
    ruleset="party",
    seats=5,
    base=30,
)
MOTION = Poll(
    "congress-1/motion-3",
    "motion",
    "Thông qua Nghị quyết",
    (("yes", "Tán thành"), ("no", "Không tán thành"), ("abstain", "Không biểu quyết")),
    ruleset="party",
    base=30,
)


def committee(poll: Poll, t: int = 2, n: int = 3, rng: Rng = random_scalar) -> tuple[Member, ...]:
    return run_ceremony(poll.id, t, n, rng)


def members_public(members: Sequence[Member]) -> list[CommitteeMember]:
    return [CommitteeMember(m.index, m.commitments, m.dealer_proof, m.share_proof) for m in members]


def counted_record(
    poll: Poll,
    votes: Sequence[tuple[Sequence[int], bool]],
    *,
    decrypting: Sequence[int] = (1, 3),
    paper: PaperTotals | None = None,
    extra: Sequence[CastBallot] = (),
) -> dict[str, Any]:
    """The record of `poll` after each (marks, invalid) was cast electronically and members `decrypting` decrypted."""
    members = committee(poll)
    pk = public_key({m.index: m.commitments for m in members})
    spec = poll.spec()
    ballots = [
        CastBallot(f"cred-{k}", encrypt_ballot(spec, pk, poll.id, f"cred-{k}", marks, invalid=invalid))
        for k, (marks, invalid) in enumerate(votes, start=1)
    ]
    ballots += list(extra)
    checked = [check_cast(poll, pk, b) for b in ballots]
    accepted = [parsed for parsed, ok in checked if ok and parsed is not None]
    totals = homomorphic_totals(poll, accepted)
    partials = [
        partial_decrypt(poll.id, m.index, m.share, totals, poll.labels())
        for m in members
        if m.index in decrypting
    ]
    return build_record(poll, 2, members_public(members), ballots, partials, paper)
