"""The counting committee's key: Pedersen DKG, any t of n decrypt with proofs, fewer cannot."""

from __future__ import annotations

from itertools import combinations

import pytest

from daihoi.crypto.elgamal import DlogTable, add_all, encrypt
from daihoi.crypto.group import CryptoError, base_mul, seeded_rng
from daihoi.crypto.proofs import Proof
from daihoi.crypto.threshold import (
    Dealing,
    PartialDecryption,
    TransportKey,
    check_dealer,
    check_share,
    combine_partials,
    deal,
    lagrange_at_zero,
    open_share,
    partial_decrypt,
    public_key,
    public_share,
    restore_share,
    run_ceremony,
    share_backup,
    verify_partial,
    verify_share,
)

EID = "congress-1/election-7"
RNG = seeded_rng(b"test_threshold")


def ceremony(t: int, n: int):
    members = run_ceremony(EID, t, n, RNG)
    commitments = {m.index: m.commitments for m in members}
    return members, commitments, public_key(commitments)


def test_each_share_matches_its_public_share_and_no_one_holds_the_key():
    members, commitments, pk = ceremony(2, 3)
    for m in members:
        assert base_mul(m.share) == public_share(commitments, m.index)
        assert verify_share(EID, m.index, public_share(commitments, m.index), m.share_proof)
        assert check_dealer(EID, m.index, m.commitments, m.dealer_proof)
        assert base_mul(m.share) != pk
    # The key exists only as the interpolation of t shares, a computation no step of the ceremony makes.
    whole = sum(lagrange_at_zero(m.index, [1, 2]) * m.share for m in members[:2])
    assert base_mul(whole) == pk


def test_a_share_that_does_not_match_the_commitments_is_caught():
    keys = {i: TransportKey.generate(RNG) for i in (1, 2, 3)}
    dealing = deal(EID, 1, 2, {i: k.public for i, k in keys.items()}, RNG)
    share = open_share(keys[2], dealing.sealed[1])
    assert check_share(dealing.commitments, 2, share)
    assert not check_share(dealing.commitments, 2, share + 1)
    assert not check_share(dealing.commitments, 3, share)
    # Another member's transport key does not open the share.
    assert open_share(keys[3], dealing.sealed[1]) != share


def test_a_dealer_cannot_claim_another_members_commitments():
    members, _, _ = ceremony(2, 3)
    assert not check_dealer(EID, 2, members[0].commitments, members[0].dealer_proof)
    assert not check_dealer("another election", 1, members[0].commitments, members[0].dealer_proof)


@pytest.mark.parametrize(("t", "n"), [(2, 3), (3, 5), (1, 1)])
def test_any_t_of_n_members_decrypt_the_sum(t, n):
    members, commitments, pk = ceremony(t, n)
    totals = [add_all(encrypt(pk, m, RNG()) for m in ms) for ms in ((1, 0, 1), (0, 0, 0), (1, 1, 1))]
    labels = ["mark:0", "mark:1", "mark:2"]
    table = DlogTable(3)
    for group in combinations(members, t):
        partials = [partial_decrypt(EID, m.index, m.share, totals, labels, RNG) for m in group]
        for p in partials:
            assert verify_partial(EID, public_share(commitments, p.member), p, totals, labels)
        assert [table.lookup(x) for x in combine_partials(t, totals, partials)] == [2, 0, 3]


def test_fewer_than_t_members_cannot_decrypt():
    members, _, pk = ceremony(3, 5)
    totals = [encrypt(pk, 1, RNG())]
    partials = [partial_decrypt(EID, m.index, m.share, totals, ["mark:0"], RNG) for m in members[:2]]
    with pytest.raises(CryptoError) as e:
        combine_partials(3, totals, partials)
    assert e.value.code == "too_few_members"
    # Interpolating from two shares of a degree-2 polynomial gives a wrong point, not the count.
    wrong = combine_partials(2, totals, partials)
    with pytest.raises(CryptoError):
        DlogTable(1000).lookup(wrong[0])


def test_the_same_member_twice_does_not_count_twice():
    members, _, pk = ceremony(2, 3)
    totals = [encrypt(pk, 1, RNG())]
    p = partial_decrypt(EID, 1, members[0].share, totals, ["mark:0"], RNG)
    with pytest.raises(CryptoError) as e:
        combine_partials(2, totals, [p, p])
    assert e.value.code == "duplicate_member"


def test_a_false_or_tampered_partial_decryption_fails_its_proof():
    members, commitments, pk = ceremony(2, 3)
    totals = [encrypt(pk, 1, RNG()), encrypt(pk, 0, RNG())]
    labels = ["mark:0", "mark:1"]
    m = members[1]
    honest = partial_decrypt(EID, m.index, m.share, totals, labels, RNG)
    share = public_share(commitments, m.index)
    assert verify_partial(EID, share, honest, totals, labels)
    lying = PartialDecryption(m.index, (honest.factors[0] + base_mul(1), honest.factors[1]), honest.proofs)
    assert not verify_partial(EID, share, lying, totals, labels)
    other_share = partial_decrypt(EID, m.index, members[0].share, totals, labels, RNG)
    assert not verify_partial(EID, share, other_share, totals, labels)
    for k in range(2):
        c, s = honest.proofs[k].branches[0]
        for bad in (Proof(((c ^ 1, s),)), Proof(((c, s ^ 1),))):
            proofs = list(honest.proofs)
            proofs[k] = bad
            assert not verify_partial(
                EID, share, PartialDecryption(m.index, honest.factors, tuple(proofs)), totals, labels
            )


def test_dealings_and_partials_travel_as_json_and_bad_json_is_refused():
    keys = {i: TransportKey.generate(RNG) for i in (1, 2, 3)}
    dealing = deal(EID, 2, 2, {i: k.public for i, k in keys.items()}, RNG)
    assert Dealing.from_json(dealing.to_json()) == dealing
    for bad in (
        {},
        {"dealer": 2, "sealed": "x"},
        {**dealing.to_json(), "proof": []},
        {**dealing.to_json(), "commitments": ["00"]},
    ):
        with pytest.raises(CryptoError):
            Dealing.from_json(bad)
    members, _, pk = ceremony(2, 3)
    totals = [encrypt(pk, 1, RNG())]
    partial = partial_decrypt(EID, 1, members[0].share, totals, ["mark:0"], RNG)
    assert PartialDecryption.from_json(partial.to_json(["mark:0"]), ["mark:0"]) == partial
    with pytest.raises(CryptoError) as e:
        PartialDecryption.from_json(partial.to_json(["mark:0"]), ["mark:0", "invalid"])
    assert e.value.code == "bad_partial"


def test_a_share_backup_restores_only_for_its_member_and_election():
    members, commitments, _ = ceremony(2, 3)
    publics = {m.index: public_share(commitments, m.index) for m in members}
    text = share_backup(EID, 2, members[1].share)
    assert restore_share(text, EID, publics) == (2, members[1].share)
    damaged = text[:20] + ("0" if text[20] != "0" else "1") + text[21:]
    for bad, election in ((damaged, EID), (text, "another election"), ("hello", EID)):
        with pytest.raises(CryptoError) as e:
            restore_share(bad, election, publics)
        assert e.value.code == "bad_backup"
    forged = share_backup(EID, 2, members[0].share)  # a well-formed backup of the wrong share
    with pytest.raises(CryptoError, match="does not match member 2"):
        restore_share(forged, EID, publics)
