"""The devices of issue 10, played in Python: the elections' are `daihoi.voting.devices` (the bench uses
them too); the congress's motion key and anonymous motions below are the tests' own."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from daihoi.congress.access import Actor
from daihoi.congress.models import Delegate
from daihoi.crypto.ballot import encrypt_ballot
from daihoi.crypto.elgamal import Ciphertext
from daihoi.crypto.threshold import (
    Dealing,
    TransportKey,
    combine_shares,
    deal,
    open_share,
    partial_decrypt,
    prove_share,
)
from daihoi.voting.actions import evote
from daihoi.voting.devices import (
    DEVICES,
    ORGANIZER,
    Devices,
    decrypt_totals,
    encrypt_on_phone,
    ensure_committee,
    phone_cast,
    public_key,
    run_key_ceremony,
)
from daihoi.voting.models import KeyHolder

__all__ = [
    "DEVICES",
    "ORGANIZER",
    "Devices",
    "close_motion",
    "decrypt_motion",
    "decrypt_totals",
    "encrypt_answer",
    "encrypt_on_phone",
    "ensure_committee",
    "motion_partial",
    "phone_answer",
    "phone_cast",
    "public_key",
    "run_key_ceremony",
    "run_motion_key",
    "vote",
]


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
