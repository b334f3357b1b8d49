"""Anonymous electronic motions, encrypted (issue 10, item 6; docs/crypto.md, "Motions").

- **The key.** One key per congress for all its anonymous electronic motions (`KeyCeremony.motions_of`),
  made by the same Pedersen ceremony as an election's (`evote`), on the phones of the t-of-n delegates
  the presidium or the organizer named. No anonymous electronic motion opens before it is done.
- **Casting.** The phone encrypts its one answer (yes / no / abstain: exactly one, proven) bound to the
  motion and a fresh credential. One transaction writes `MotionParticipation` (who, a digest of the
  nonce) and `MotionEncryptedBallot` (ciphertexts and proofs only). A retry with the same nonce gets the
  same tracker back. The audit log says "delegate N voted on motion M", never the ballot or its tracker.
- **The count.** At the close every proof is checked (a failed one is set aside, counted invalid), the
  ciphertexts are added per answer, and the motion waits in `counting` until t holders, each from their
  own device, send their partial decryptions with proofs. Only the totals are ever decrypted.
- **The record.** `motion_record` is `crypto.record.build_record` with a motion poll: `daihoi verify`.

This module never imports `motions` (which calls it); the verdict is decided there, once.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.crypto.ballot import EncryptedBallot, ballot_tracker
from daihoi.crypto.elgamal import Ciphertext, DlogTable
from daihoi.crypto.group import CryptoError, Point
from daihoi.crypto.proofs import Proof
from daihoi.crypto.record import (
    CastBallot,
    CommitteeMember,
    Poll,
    build_record,
    check_cast,
    homomorphic_totals,
)
from daihoi.crypto.threshold import (
    Dealing,
    PartialDecryption,
    combine_partials,
    key_fingerprint,
    verify_partial,
)
from daihoi.voting.actions import evote
from daihoi.voting.actions.voters import check_may_vote
from daihoi.voting.models import (
    Choice,
    ElectronicBallot,
    KeyCeremony,
    KeyHolder,
    Motion,
    MotionEncryptedBallot,
    MotionParticipation,
)

Verdict = ElectronicBallot.Verdict
ANSWERS: tuple[str, ...] = (Choice.YES, Choice.NO, Choice.ABSTAIN)
"""The marks of a motion ballot, in order: mark:0 yes, mark:1 no, mark:2 abstain."""

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_BALLOT_BYTES = 20_000  # a motion ballot is about 2 KB of JSON


def is_secret(motion: Motion) -> bool:
    """An anonymous electronic motion: encrypted. Named votes stay in the clear; hands are counted."""
    return motion.method == Motion.Method.ELECTRONIC


def motion_crypto_id(motion: Motion) -> str:
    """The id a motion's ballots, trackers and partial decryptions are bound to."""
    return f"daihoi/{motion.congress.slug}/motion/{motion.pk}"


def motion_poll(motion: Motion) -> Poll:
    """What a ballot of this motion may say (exactly one of yes / no / abstain), for the crypto core."""
    return Poll(
        id=motion_crypto_id(motion),
        kind="motion",
        title=motion.title,
        choices=tuple((str(c), str(Choice(c).label)) for c in ANSWERS),
        ruleset=motion.congress.rules,
        base=motion.base,
        special=motion.is_special,
        key_id=evote.motions_key_id(motion.congress),
    )


def motion_key(congress: Congress) -> Point | None:
    c = evote.ceremony_or_none(congress)
    return Point.from_hex(c.public_key, "public key") if c and c.status == KeyCeremony.Status.DONE else None


def require_motion_key(congress: Congress) -> Point:
    """No key, no anonymous electronic motion: refused with a code before the motion opens."""
    key = motion_key(congress)
    if key is None:
        raise ActionError(
            "motion_key_missing",
            _(
                "Chưa có khóa biểu quyết kín của đại hội: những người giữ khóa do Đoàn Chủ tịch chỉ định "
                "phải tạo khóa trên điện thoại trước khi biểu quyết kín bằng điện thoại."
            ),
        )
    return key


# --- the key: holders named by the presidium or the organizer ---------------------------------------


def _key_in_use(congress: Congress) -> bool:
    return (
        Motion.objects.filter(
            congress=congress,
            method=Motion.Method.ELECTRONIC,
            status__in=[Motion.Status.OPEN, Motion.Status.COUNTING],
        ).exists()
        or MotionEncryptedBallot.objects.filter(motion__congress=congress).exists()
    )


def start_motion_ceremony(
    congress: Congress, *, actor: Actor, holders: Sequence[Delegate], threshold: int | None = None
) -> KeyCeremony:
    """Begin (or begin again) the motion key's ceremony with the named delegates, in the order given.

    Refused once a motion has ballots under the key: their count and record need it."""
    with transaction.atomic():
        locked = Congress.objects.select_for_update().get(pk=congress.pk)
        chosen = list(dict.fromkeys(holders))
        if not chosen:
            raise ActionError("key_holders_required", _("Cần chọn những đại biểu giữ khóa biểu quyết kín."))
        if any(d.congress_id != locked.pk for d in chosen):
            raise ActionError("wrong_congress", _("Nội dung này thuộc đại hội khác."))
        n = len(chosen)
        t = evote.default_threshold(n) if threshold is None else threshold
        if not 1 <= t <= n:
            raise ActionError(
                "bad_threshold",
                _("Số thành viên cần để giải mã phải từ 1 đến %(n)s, không phải %(t)s.") % {"n": n, "t": t},
            )
        if _key_in_use(locked):
            raise ActionError(
                "motion_key_in_use",
                _("Khóa biểu quyết kín đã được dùng cho một nội dung biểu quyết; không tạo lại được."),
            )
        old = evote.ceremony_or_none(locked)
        attempt = 1 if old is None else old.attempt + 1
        if old is not None:
            old.delete()
        c = KeyCeremony.objects.create(motions_of=locked, threshold=t, attempt=attempt)
        KeyHolder.objects.bulk_create(
            KeyHolder(ceremony=c, index=i, delegate=d) for i, d in enumerate(chosen, start=1)
        )
        audit.record(
            actor=actor.label,
            action="motions.key_ceremony_started",
            congress_id=locked.pk,
            obj=locked,
            after={"threshold": t, "members": [d.number for d in chosen], "attempt": attempt},
        )
        live.publish(locked)
    return c


# --- casting -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MotionCast:
    """The acknowledgement of an encrypted answer; identical for a retry with the same nonce."""

    motion_id: int
    tracker: str
    is_repeat: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "motion": self.motion_id,
            "tracker": self.tracker,
            "repeat": self.is_repeat,
            "message": _("Biểu quyết của bạn đã được ghi nhận."),
        }


def nonce_digest(motion_id: int, nonce: str) -> str:
    """What the participation stores of the client nonce: a SHA-256 digest bound to the motion."""
    return hashlib.sha256(f"daihoi:motion-participation:{motion_id}:{nonce}".encode()).hexdigest()


def _bad_nonce() -> ActionError:
    return ActionError("bad_nonce", _("Mã gửi phiếu không hợp lệ; xin tải lại trang."))


def _tracker(motion: Motion, credential: str, ballot: Any) -> str:
    """Read the ballot's points (canonical, in the group) and return its tracker; proofs are checked at
    the close."""
    poll = motion_poll(motion)
    try:
        parsed = EncryptedBallot.from_json(ballot, poll.spec())
    except (CryptoError, KeyError, TypeError, ValueError) as error:
        raise ActionError("bad_ballot", _("Phiếu mã hóa không đọc được; xin tải lại trang.")) from error
    return ballot_tracker(poll.id, credential, parsed)


def cast_encrypted(motion: Motion, *, actor: Actor, ballot: Any, credential: str, nonce: str) -> MotionCast:
    """One delegate's encrypted answer to an open anonymous electronic motion: who and the ciphertext in
    one transaction. A retry with the same nonce returns the same tracker and counts once."""
    if not isinstance(nonce, str) or not _TOKEN.match(nonce):
        raise _bad_nonce()
    if not isinstance(credential, str) or not _TOKEN.match(credential):
        raise ActionError("bad_credential", _("Mã phiếu không hợp lệ; xin tải lại trang."))
    if not isinstance(ballot, dict) or len(json.dumps(ballot)) > MAX_BALLOT_BYTES:
        raise ActionError("bad_ballot", _("Phiếu mã hóa không đọc được; xin tải lại trang."))
    delegate = actor.delegate
    digest = nonce_digest(motion.pk, nonce)
    try:
        with transaction.atomic():
            m = Motion.objects.select_for_update().select_related("congress").get(pk=motion.pk)
            seen = MotionParticipation.objects.filter(nonce_digest=digest).first()
            if seen is not None:
                if delegate is None or seen.delegate_id != delegate.pk:
                    raise _bad_nonce()
                return MotionCast(m.pk, _tracker(m, credential, ballot), True)
            if not is_secret(m):
                raise ActionError(
                    "not_secret_motion", _("Nội dung này không biểu quyết kín bằng điện thoại.")
                )
            if m.status != Motion.Status.OPEN:
                raise ActionError(
                    "motion_not_open", _("Nội dung “%(title)s” không đang biểu quyết.") % {"title": m.title}
                )
            d = check_may_vote(m.congress_id, delegate, refresh=True)
            if MotionParticipation.objects.filter(motion=m, delegate=d).exists():
                raise ActionError("already_voted", _("Đồng chí đã biểu quyết nội dung này."))
            require_motion_key(m.congress)
            tracker = _tracker(m, credential, ballot)
            if MotionEncryptedBallot.objects.filter(motion=m, credential=credential).exists():
                raise ActionError("bad_credential", _("Mã phiếu không hợp lệ; xin tải lại trang."))
            MotionParticipation.objects.create(motion=m, delegate=d, nonce_digest=digest)
            MotionEncryptedBallot.objects.create(
                motion=m, credential=credential, ciphertext=ballot, tracker=tracker
            )
            audit.record(
                actor=actor.label,
                action="motion.voted",
                congress_id=m.congress_id,
                obj=m,
                after={"delegate": d.number, "motion": m.pk},
            )
            live.motion_count(m.congress_id, m.pk)
            return MotionCast(m.pk, tracker, False)
    except IntegrityError:
        # A concurrent twin of this request won the race; it counted, this one does not.
        if (
            delegate is not None
            and MotionParticipation.objects.filter(nonce_digest=digest, delegate=delegate).exists()
        ):
            return MotionCast(motion.pk, _tracker(motion, credential, ballot), True)
        if (
            delegate is not None
            and MotionParticipation.objects.filter(motion=motion, delegate=delegate).exists()
        ):
            raise ActionError("already_voted", _("Đồng chí đã biểu quyết nội dung này.")) from None
        raise


def phone_context(motion: Motion) -> dict[str, Any]:
    """What the phone needs to encrypt an answer: the spec, the key, the motion's id and the answers."""
    poll = motion_poll(motion)
    key = require_motion_key(motion.congress)
    return {
        "spec": poll.spec().to_json(),
        "publicKey": key.hex(),
        "electionId": poll.id,
        "answers": list(ANSWERS),
        "fingerprint": key_fingerprint(key),
    }


# --- the count ---------------------------------------------------------------------------------------


def seal_totals(m: Motion) -> None:
    """At the close (in its transaction, the motion locked): check every proof, then add up the accepted
    ciphertexts per answer and keep the sums on the motion. No ballot is decrypted."""
    poll = motion_poll(m)
    key = require_motion_key(m.congress)
    rows = list(MotionEncryptedBallot.objects.filter(motion=m).order_by("id"))
    accepted: list[EncryptedBallot] = []
    for row in rows:
        parsed, ok = check_cast(poll, key, CastBallot(row.credential, row.ciphertext))
        row.verdict = Verdict.ACCEPTED if ok else Verdict.BAD_PROOF
        if ok and parsed is not None:
            accepted.append(parsed)
    MotionEncryptedBallot.objects.bulk_update(rows, ["verdict"], batch_size=500)
    totals = homomorphic_totals(poll, accepted)
    m.encrypted_totals = [
        {"label": label, **t.to_json()} for label, t in zip(poll.labels(), totals, strict=True)
    ]
    m.ballots_accepted, m.ballots_rejected = len(accepted), len(rows) - len(accepted)
    m.partials = {}


def _labels_totals(m: Motion) -> tuple[list[str], list[Ciphertext]]:
    assert m.encrypted_totals is not None
    return [t["label"] for t in m.encrypted_totals], [Ciphertext.from_json(t) for t in m.encrypted_totals]


def add_partial(m: Motion, delegate: Delegate, data: Any) -> tuple[int, int, int] | None:
    """A key holder's partial decryption of a counting motion's totals (the motion locked by the caller).
    Checked against the holder's public share; once t holders have sent one, the decrypted
    (yes, no, abstain) over the accepted ballots, else None."""
    if m.status != Motion.Status.COUNTING or m.encrypted_totals is None:
        raise ActionError(
            "motion_not_counting", _("Nội dung “%(title)s” không chờ giải mã.") % {"title": m.title}
        )
    require_motion_key(m.congress)
    c = evote.ceremony_or_none(m.congress)
    assert c is not None
    holder = KeyHolder.objects.filter(ceremony=c, delegate=delegate).first()
    if holder is None:
        raise ActionError("not_key_holder", _("Bạn không phải người giữ khóa biểu quyết kín của đại hội."))
    labels, totals = _labels_totals(m)
    poll_id = motion_crypto_id(m)
    try:
        partial = PartialDecryption.from_json(data, labels)
    except (CryptoError, KeyError, TypeError, ValueError) as error:
        raise ActionError(
            "bad_partial", _("Phần giải mã không đọc được: %(why)s") % {"why": error}
        ) from error
    if partial.member != holder.index or not verify_partial(
        poll_id, Point.from_hex(holder.public_share), partial, totals, labels
    ):
        raise ActionError("bad_partial", _("Chứng minh giải mã sai: phần giải mã này không được nhận."))
    partials = dict(m.partials or {})
    partials[str(holder.index)] = partial.to_json(labels)
    m.partials = partials
    audit.record(
        actor=f"delegate:{delegate.number}",
        action="motion.partial_decryption",
        congress_id=m.congress_id,
        obj=m,
        after={"member": holder.index},
    )
    if len(partials) < c.threshold:
        return None
    chosen = [PartialDecryption.from_json(partials[k], labels) for k in sorted(partials, key=int)][
        : c.threshold
    ]
    points = combine_partials(c.threshold, totals, chosen)
    table = DlogTable(m.ballots_accepted or 0)
    try:
        yes, no, abstain = (table.lookup(p) for p in points)
    except CryptoError as error:  # never with valid proofs
        raise ActionError(
            "decryption_failed", _("Không đọc được tổng số phiếu: %(why)s") % {"why": error}
        ) from error
    return yes, no, abstain


def counting_motions(congress: Congress) -> list[Motion]:
    return list(congress.motions.filter(status=Motion.Status.COUNTING).order_by("closed_at", "pk"))


def holder_state(congress: Congress, delegate: Delegate | None) -> dict[str, Any]:
    """The motion key's ceremony state for a holder's device (`evote.ceremony_state`), with the oldest
    counting motion this holder has not decrypted yet: its totals and the id its proofs are bound to."""
    state = evote.ceremony_state(congress, delegate)
    member = state.get("member")
    for m in counting_motions(congress):
        if member is not None and str(member) in (m.partials or {}):
            continue
        state["totals"] = m.encrypted_totals
        state["decryptId"] = motion_crypto_id(m)
        state["motion"] = {"id": m.pk, "title": m.title}
        break
    for entry in state.get("members", []):  # "decrypted" is per motion here, never across motions
        entry["decrypted"] = False
    return state


# --- the published record ----------------------------------------------------------------------------


def motion_record(motion: Motion) -> dict[str, Any]:
    """The published record of a decided anonymous electronic motion, for `daihoi verify`."""
    m = Motion.objects.select_related("congress").get(pk=motion.pk)
    if m.status != Motion.Status.CLOSED or not is_secret(m) or m.encrypted_totals is None:
        raise ActionError("record_not_published", _("Hồ sơ biểu quyết kín chỉ công bố sau khi có kết quả."))
    c = evote.ceremony_or_none(m.congress)
    assert c is not None
    labels = [t["label"] for t in m.encrypted_totals]
    holders = list(c.holders.all())
    members = [
        CommitteeMember(
            h.index,
            Dealing.from_json(h.dealing).commitments,
            Dealing.from_json(h.dealing).proof,
            Proof.from_json(h.share_proof, "share proof"),
        )
        for h in holders
    ]
    partials = [
        PartialDecryption.from_json(data, labels)
        for _k, data in sorted((m.partials or {}).items(), key=lambda kv: int(kv[0]))
    ][: c.threshold]
    ballots = [
        CastBallot(cred, data, evote.stored_verdict(verdict))
        for cred, data, verdict in MotionEncryptedBallot.objects.filter(motion=m)
        .order_by("tracker", "credential")
        .values_list("credential", "ciphertext", "verdict")
    ]
    return build_record(motion_poll(m), c.threshold, members, ballots, partials)


def new_credential() -> str:
    return secrets.token_urlsafe(16)
