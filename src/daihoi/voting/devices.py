"""The counting committee's devices and the voter's phone of issue 10, played in Python, for the bench
(bench/evote.py), demos and tests: never on the server's request path.

Each function does what committee_crypto.js / ballot_crypto.js do in the browser (the crypto core's
Python counterparts make the same bytes, tests/crypto), then calls the server's actions with only the
public parts, as the pages do. The secret shares stay in the returned `Devices` (this process's memory,
standing for the members' devices), never on the server.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from daihoi.congress.access import Actor, Role
from daihoi.congress.models import Delegate
from daihoi.crypto.ballot import encrypt_ballot
from daihoi.crypto.elgamal import Ciphertext
from daihoi.crypto.group import CryptoError, Point, base_mul
from daihoi.crypto.threshold import (
    Dealing,
    TransportKey,
    check_dealer,
    check_share,
    combine_shares,
    deal,
    open_share,
    partial_decrypt,
    prove_share,
)
from daihoi.voting.actions import ballots, evote
from daihoi.voting.models import CountingMember, Election, KeyCeremony, KeyHolder

ORGANIZER = Actor(roles=frozenset({Role.ORGANIZER}))


@dataclass
class Devices:
    """What each member's device keeps: its index and its secret share (x_i)."""

    shares: dict[int, int] = field(default_factory=dict)
    delegates: dict[int, Delegate] = field(default_factory=dict)


DEVICES: dict[int, Devices] = {}  # election id -> the committee's devices played in this process


def ensure_committee(election: Election, size: int = 3) -> list[Delegate]:
    """The counting committee, made of `size` delegates who are not candidates (the last numbers) if there
    is none, in the key ceremony's order: member i of the list is the ceremony's member i + 1."""
    committee = CountingMember.objects.filter(election=election)
    if not committee.exists():
        candidates = set(election.candidates.exclude(delegate=None).values_list("delegate_id", flat=True))
        chosen = [d for d in election.congress.delegates.order_by("-number") if d.pk not in candidates][:size]
        CountingMember.objects.bulk_create(
            CountingMember(election=election, delegate=d, is_head=(i == 0)) for i, d in enumerate(chosen)
        )
    # The order in which `evote.start_ceremony` numbers the members (on PostgreSQL, rows come unordered).
    ordered = committee.select_related("delegate").order_by("-is_head", "delegate__number")
    return [m.delegate for m in ordered]


def run_key_ceremony(election: Election, *, size: int = 3, threshold: int | None = None) -> Devices:
    """The whole ceremony through the actions, each member's secret parts kept on its 'device'."""
    ensure_committee(election, size)
    status = election.status
    if status not in (Election.Status.PREPARING, Election.Status.LIST_APPROVED):
        Election.objects.filter(pk=election.pk).update(status=Election.Status.LIST_APPROVED)
    evote.start_ceremony(election, actor=ORGANIZER, threshold=threshold)
    c = KeyCeremony.objects.get(election=election)
    holders = list(KeyHolder.objects.filter(ceremony=c).select_related("delegate"))
    eid = evote.crypto_id(election)
    transport = {h.index: TransportKey.generate() for h in holders}
    for h in holders:
        evote.publish_transport_key(election, h.delegate, transport[h.index].public.hex())
    publics = {i: k.public for i, k in transport.items()}
    for h in holders:
        evote.submit_dealing(election, h.delegate, deal(eid, h.index, c.threshold, publics).to_json())
    dealings = [Dealing.from_json(h.dealing) for h in KeyHolder.objects.filter(ceremony=c)]
    devices = Devices()
    for h in holders:
        received = []
        for d in dealings:
            share = open_share(transport[h.index], next(s for s in d.sealed if s.recipient == h.index))
            if not check_dealer(eid, d.dealer, d.commitments, d.proof) or not check_share(
                d.commitments, h.index, share
            ):  # a complaint (docs/crypto.md): the ceremony is run again, never completed with it
                raise CryptoError(f"member {h.index}: the share dealt by member {d.dealer} fails its check")
            received.append(share)
        x = combine_shares(received)
        devices.shares[h.index] = x
        devices.delegates[h.index] = h.delegate
        evote.submit_share(election, h.delegate, base_mul(x).hex(), prove_share(eid, h.index, x).to_json())
    if status not in (Election.Status.PREPARING, Election.Status.LIST_APPROVED):
        Election.objects.filter(pk=election.pk).update(status=status)
    election.refresh_from_db()
    DEVICES[election.pk] = devices
    return devices


def encrypt_on_phone(
    election: Election, kept: Iterable[str], *, credential: str | None = None, invalid: bool = False
) -> tuple[dict[str, object], str]:
    """What ballot_crypto.js's encryptBallot sends: (ballot JSON, credential)."""
    poll = evote.election_poll(election)
    key = evote.require_key(election)
    kept_set = set(kept)
    marks = [int(code in kept_set) for code, _name in poll.choices]
    credential = credential or secrets.token_urlsafe(16)
    ballot = encrypt_ballot(poll.spec(), key, poll.id, credential, marks, invalid=invalid)
    return ballot.to_json(), credential


def phone_cast(
    election: Election, delegate: Delegate, kept: Sequence[str], *, nonce: str, invalid: bool | None = None
) -> ballots.CastResult:
    """A phone's cast: encrypt, then post. With no name kept on a list that calls it all_struck (P12),
    the phone sets the invalid indicator, as the page does."""
    if invalid is None:
        spec = evote.election_poll(election).spec()
        invalid = not kept and spec.min_marks > 0
    data, credential = encrypt_on_phone(election, kept, invalid=invalid)
    return ballots.cast_electronic_ballot(election, delegate, data, credential=credential, nonce=nonce)


def decrypt_totals(
    election: Election, members: Sequence[int] = (1, 2), devices: Devices | None = None
) -> KeyCeremony:
    """At close: the totals are prepared, then each chosen member's device decrypts them with proofs."""
    devices = devices or DEVICES[election.pk]
    c = evote.prepare_totals(election)
    eid = evote.crypto_id(election)
    labels = [t["label"] for t in c.totals or []]
    totals = [Ciphertext.from_json(t) for t in c.totals or []]
    for i in members:
        partial = partial_decrypt(eid, i, devices.shares[i], totals, labels)
        c = evote.submit_partial(election, devices.delegates[i], partial.to_json(labels))
    return c


def public_key(election: Election) -> Point:
    return evote.require_key(election)
