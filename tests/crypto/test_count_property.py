"""Property: decrypting the homomorphic sum of ballots gives the plain count of the same ballots."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from daihoi.crypto.ballot import BallotSpec, encrypt_ballot, verify_ballot
from daihoi.crypto.elgamal import DlogTable
from daihoi.crypto.group import seeded_rng
from daihoi.crypto.record import Poll, homomorphic_totals
from daihoi.crypto.threshold import combine_partials, partial_decrypt, public_key, run_ceremony

RNG = seeded_rng(b"test_count_property")
POLL = Poll("p", "election", "t", tuple((f"c{i}", f"C{i}") for i in range(4)), seats=2, base=10)
SPEC = POLL.spec()
MEMBERS = run_ceremony(POLL.id, 2, 3, RNG)
PK = public_key({m.index: m.commitments for m in MEMBERS})


@st.composite
def ballots(draw: st.DrawFn) -> tuple[list[int], bool]:
    if draw(st.booleans()) and draw(st.booleans()):
        return [0] * SPEC.choices, True
    kept = draw(st.integers(SPEC.min_marks, SPEC.max_marks))
    chosen = draw(st.permutations(range(SPEC.choices)))[:kept]
    return [int(i in chosen) for i in range(SPEC.choices)], False


@settings(max_examples=20, deadline=None)
@given(st.lists(ballots(), max_size=6), st.sampled_from([(1, 2), (1, 3), (2, 3)]))
def test_decrypted_sum_equals_plain_count(votes, decrypting):
    assert BallotSpec(4, 1, 2, True) == SPEC
    encrypted = [
        encrypt_ballot(SPEC, PK, POLL.id, f"c{k}", marks, invalid=invalid)
        for k, (marks, invalid) in enumerate(votes)
    ]
    assert all(verify_ballot(SPEC, PK, POLL.id, f"c{k}", b) for k, b in enumerate(encrypted))
    totals = homomorphic_totals(POLL, encrypted)
    partials = [
        partial_decrypt(POLL.id, m.index, m.share, totals, POLL.labels())
        for m in MEMBERS
        if m.index in decrypting
    ]
    table = DlogTable(len(votes))
    decrypted = [table.lookup(p) for p in combine_partials(2, totals, partials)]
    plain = [sum(marks[i] for marks, _ in votes) for i in range(SPEC.choices)]
    assert decrypted == [*plain, sum(invalid for _, invalid in votes)]
