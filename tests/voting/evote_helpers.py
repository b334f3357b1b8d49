"""The devices of issue 10, played in Python: the members' ceremony and decryption, and the voter's phone.

Each function does what committee_crypto.js / ballot_crypto.js do in the browser (the crypto core's
Python counterparts make the same bytes, tests/crypto), then calls the server's actions with only the
public parts, as the pages do. The secret shares stay in the returned `Devices`, never on the server.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from daihoi.congress.access import Actor, Role
from daihoi.congress.models import Delegate
from daihoi.crypto.ballot import encrypt_ballot
from daihoi.crypto.elgamal import Ciphertext
from daihoi.crypto.group import Point
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


DEVICES: dict[int, Devices] = {}  # election id -> the committee's devices (tests only)


def ensure_committee(election: Election, size: int = 3) -> list[Delegate]:
    """A counting committee of `size` delegates who are not candidates (the last numbers)."""
    members = list(CountingMember.objects.filter(election=election).select_related("delegate"))
    if members:
        return [m.delegate for m in members]
    candidates = set(election.candidates.exclude(delegate=None).values_list("delegate_id", flat=True))
    chosen = [d for d in election.congress.delegates.order_by("-number") if d.pk not in candidates][:size]
    CountingMember.objects.bulk_create(
        CountingMember(election=election, delegate=d, is_head=(i == 0)) for i, d in enumerate(chosen)
    )
    return chosen


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
            assert check_dealer(eid, d.dealer, d.commitments, d.proof)
            share = open_share(transport[h.index], next(s for s in d.sealed if s.recipient == h.index))
            assert check_share(d.commitments, h.index, share)
            received.append(share)
        x = combine_shares(received)
        devices.shares[h.index] = x
        devices.delegates[h.index] = h.delegate
        from daihoi.crypto.group import base_mul

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
    assert c.totals is not None
    labels = [t["label"] for t in c.totals]
    totals = [Ciphertext.from_json(t) for t in c.totals]
    for i in members:
        partial = partial_decrypt(eid, i, devices.shares[i], totals, labels)
        c = evote.submit_partial(election, devices.delegates[i], partial.to_json(labels))
    return c


def public_key(election: Election) -> Point:
    return evote.require_key(election)


# --- the congress's motion key and anonymous electronic motions (issue 10, item 6) ------------------

MOTION_DEVICES: dict[int, Devices] = {}  # congress id -> the motion key holders' devices (tests only)


def run_motion_key(
    congress, *, holders: Sequence[Delegate] | None = None, threshold: int | None = None
) -> Devices:
    """The congress's motion key, made through the actions on its holders' 'devices' (default: the three
    delegates with the highest numbers)."""
    from daihoi.voting.actions import motion_ballots

    chosen = list(holders) if holders is not None else list(congress.delegates.order_by("-number")[:3])
    c = motion_ballots.start_motion_ceremony(congress, actor=ORGANIZER, holders=chosen, threshold=threshold)
    found = list(KeyHolder.objects.filter(ceremony=c).select_related("delegate"))
    kid = evote.motions_key_id(congress)
    transport = {h.index: TransportKey.generate() for h in found}
    for h in found:
        evote.publish_transport_key(congress, h.delegate, transport[h.index].public.hex())
    publics = {i: k.public for i, k in transport.items()}
    for h in found:
        evote.submit_dealing(congress, h.delegate, deal(kid, h.index, c.threshold, publics).to_json())
    dealings = [Dealing.from_json(h.dealing) for h in KeyHolder.objects.filter(ceremony=c)]
    devices = Devices()
    from daihoi.crypto.group import base_mul

    for h in found:
        received = [
            open_share(transport[h.index], next(s for s in d.sealed if s.recipient == h.index))
            for d in dealings
        ]
        x = combine_shares(received)
        devices.shares[h.index] = x
        devices.delegates[h.index] = h.delegate
        evote.submit_share(congress, h.delegate, base_mul(x).hex(), prove_share(kid, h.index, x).to_json())
    MOTION_DEVICES[congress.pk] = devices
    return devices


def encrypt_answer(motion, choice: str, *, credential: str | None = None) -> tuple[dict[str, object], str]:
    """What the phone's motion page sends: (ballot JSON, credential) for one answer."""
    from daihoi.voting.actions import motion_ballots

    poll = motion_ballots.motion_poll(motion)
    key = motion_ballots.require_motion_key(motion.congress)
    marks = [int(choice == a) for a in motion_ballots.ANSWERS]
    credential = credential or secrets.token_urlsafe(16)
    return encrypt_ballot(poll.spec(), key, poll.id, credential, marks).to_json(), credential


def phone_answer(motion, delegate: Delegate, choice: str, *, nonce: str):
    """A phone's encrypted answer to an anonymous electronic motion."""
    from daihoi.voting.actions import motion_ballots

    data, credential = encrypt_answer(motion, choice)
    return motion_ballots.cast_encrypted(
        motion, actor=Actor(delegate=delegate), ballot=data, credential=credential, nonce=nonce
    )


def vote(motion, delegate: Delegate, choice: str, *, nonce: str) -> bool:
    """An answer from a phone as the motion's method takes it: encrypted when anonymous, else in the clear.
    True when it counted now, False for a retry."""
    from daihoi.voting.actions import motions as mo
    from daihoi.voting.models import Motion

    if motion.method == Motion.Method.ELECTRONIC:
        return not phone_answer(motion, delegate, choice, nonce=_long(nonce)).is_repeat
    return mo.cast_motion_vote(motion, actor=Actor(delegate=delegate), choice=choice, nonce=nonce)


def _long(nonce: str) -> str:
    """Test nonces may be short; the phone's are 16 to 64 URL-safe characters."""
    import hashlib

    return (
        nonce
        if len(nonce) >= 16 and nonce.replace("-", "").replace("_", "").isalnum()
        else hashlib.sha256(nonce.encode()).hexdigest()[:32]
    )


def decrypt_motion(motion, members: Sequence[int] = (1, 2), devices: Devices | None = None):
    """After the close: each chosen holder's device decrypts the motion's totals, with proofs."""
    from daihoi.voting.actions import motion_ballots
    from daihoi.voting.actions import motions as mo

    motion.refresh_from_db()
    devices = devices or MOTION_DEVICES[motion.congress_id]
    pid = motion_ballots.motion_crypto_id(motion)
    assert motion.encrypted_totals is not None
    labels = [t["label"] for t in motion.encrypted_totals]
    totals = [Ciphertext.from_json(t) for t in motion.encrypted_totals]
    for i in members:
        partial = partial_decrypt(pid, i, devices.shares[i], totals, labels)
        motion = mo.decrypt_motion(
            motion, actor=Actor(delegate=devices.delegates[i]), partial=partial.to_json(labels)
        )
    return motion


def close_motion(motion, *, actor: Actor = ORGANIZER, members: Sequence[int] = (1, 2), **counts):
    """Close a motion; an anonymous electronic one is then decrypted by two holders (its verdict stored)."""
    from daihoi.voting.actions import motions as mo
    from daihoi.voting.models import Motion

    closed = mo.close_motion(motion, actor=actor, **counts)
    if closed.status == Motion.Status.COUNTING:
        return decrypt_motion(closed, members)
    return closed


def motion_partial(motion, index: int, devices: Devices | None = None) -> dict[str, object]:
    """What holder `index`'s device posts to decrypt a counting motion's totals (committee_page.js)."""
    from daihoi.voting.actions import motion_ballots

    motion.refresh_from_db()
    devices = devices or MOTION_DEVICES[motion.congress_id]
    assert motion.encrypted_totals is not None
    labels = [t["label"] for t in motion.encrypted_totals]
    totals = [Ciphertext.from_json(t) for t in motion.encrypted_totals]
    pid = motion_ballots.motion_crypto_id(motion)
    return partial_decrypt(pid, index, devices.shares[index], totals, labels).to_json(labels)
