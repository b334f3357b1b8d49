"""Encrypted electronic ballots in the app (issue 10; the scheme is `daihoi.crypto`, docs/crypto.md).

- The key ceremony: the counting committee's members, each on their own device (committee_crypto.js),
  publish a transport key, deal (commitments + shares sealed to each member), open their shares and
  publish their public share with a proof. The server relays and checks every public part; it never
  sees a share. The public key is formed from the commitments; voting cannot open before it exists.
- The proof check of the cast ballots (after the acknowledgement, always before the count): a ballot
  whose proofs fail is kept and counted invalid (`bad_proof`).
- The decryption of the totals only: at close the ciphertexts are added per candidate; t members each
  send their partial decryption with its proof; with t of them the counts are read.
- The published record (`daihoi.crypto.record.build_record`), which `daihoi verify` checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.crypto.ballot import EncryptedBallot
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
    check_dealer,
    combine_partials,
    key_fingerprint,
    public_key,
    public_share,
    verify_partial,
    verify_share,
)
from daihoi.crypto.totals import ElectronicTotals, PaperTotals
from daihoi.rules import counting as core
from daihoi.rules.errors import RuleError
from daihoi.voting.actions.counting import ballot_list, core_election, paper_ballots
from daihoi.voting.models import CountingMember, Election, ElectronicBallot, KeyCeremony, KeyHolder

Status = KeyCeremony.Status

KeyOwner = Election | Congress
"""Whose key a ceremony makes: an election's (its counting committee), or a congress's, for its
anonymous electronic motions (the holders its presidium named, `motion_ballots`)."""


def crypto_id(election: Election) -> str:
    """The election id every proof, tracker and share backup is bound to."""
    return f"daihoi/{election.congress.slug}/election/{election.pk}"


def motions_key_id(congress: Congress) -> str:
    """The id the congress's motion key (its dealings, shares and backups) is bound to."""
    return f"daihoi/{congress.slug}/motions"


def owner_id(owner: KeyOwner) -> str:
    return crypto_id(owner) if isinstance(owner, Election) else motions_key_id(owner)


def ceremony_owner(c: KeyCeremony) -> KeyOwner:
    owner = c.election if c.election_id is not None else c.motions_of
    assert owner is not None  # the check constraint: exactly one owner
    return owner


def ceremony_id(c: KeyCeremony) -> str:
    return owner_id(ceremony_owner(c))


def _congress(c: KeyCeremony) -> Congress:
    owner = ceremony_owner(c)
    return owner.congress if isinstance(owner, Election) else owner


def _prefix(c: KeyCeremony) -> str:
    """Audit actions: `election.key_*` or `motions.key_*`."""
    return "election" if c.election_id is not None else "motions"


def _owner_filter(owner: KeyOwner) -> dict[str, int]:
    return {"election_id": owner.pk} if isinstance(owner, Election) else {"motions_of_id": owner.pk}


def election_poll(election: Election) -> Poll:
    """What a ballot of this election may say, for the crypto core (choices in ballot order), and how it
    is counted: the tie-round flags are the count's own (`counting.core_election`)."""
    listed = ballot_list(election)
    ce = core_election(election, listed)  # refuses no_candidates / no_seats
    return Poll(
        id=crypto_id(election),
        kind="election",
        title=election.title,
        choices=tuple((c.code, c.full_name) for c in listed),
        ruleset=election.congress.rules,
        seats=ce.seats,
        alternates=ce.alternates,
        base=ce.base,
        is_tie_round=ce.is_tie_round,
        tie_round_needs_majority=ce.tie_round_needs_majority,
        elects_alternates=election.elects_alternates,
    )


def default_threshold(members: int) -> int:
    """A majority of the committee: 2 of 3 (the default), 3 of 5, 1 of 1."""
    return members // 2 + 1


def _ceremony(owner: KeyOwner, *, lock: bool = False) -> KeyCeremony:
    query = KeyCeremony.objects.select_for_update() if lock else KeyCeremony.objects
    try:
        return query.get(**_owner_filter(owner))
    except KeyCeremony.DoesNotExist:
        if isinstance(owner, Congress):
            raise ActionError(
                "no_motion_key", _("Đại hội chưa tạo khóa cho biểu quyết kín bằng điện thoại.")
            ) from None
        raise ActionError(
            "no_key_ceremony",
            _("Ban Kiểm phiếu chưa tạo khóa cho cuộc bầu cử “%(title)s”.") % {"title": owner.title},
        ) from None


def ceremony_or_none(owner: KeyOwner) -> KeyCeremony | None:
    return KeyCeremony.objects.filter(**_owner_filter(owner)).first()


def election_key(election: Election) -> Point | None:
    """The election's public key once the ceremony is done, else None."""
    c = ceremony_or_none(election)
    return Point.from_hex(c.public_key, "public key") if c and c.status == Status.DONE else None


def require_key(election: Election) -> Point:
    """Electronic secret ballots need the committee's key: no key, no electronic vote."""
    key = election_key(election)
    if key is None:
        raise ActionError(
            "election_key_missing",
            _("Ban Kiểm phiếu chưa tạo xong khóa của cuộc bầu cử “%(title)s”; chưa bỏ phiếu điện tử được.")
            % {"title": election.title},
        )
    return key


def needs_key(election: Election) -> bool:
    return bool(election.allows_electronic and election.congress.is_electronic_voting_enabled)


def start_ceremony(election: Election, *, actor: Actor, threshold: int | None = None) -> KeyCeremony:
    """Begin (or begin again) the ceremony with the election's counting committee, before the vote opens.

    Members are indexed 1..n in the order of the committee (head first, then by delegate number)."""
    with transaction.atomic():
        e = Election.objects.select_for_update().select_related("congress").get(pk=election.pk)
        if e.status not in (Election.Status.PREPARING, Election.Status.LIST_APPROVED):
            raise ActionError(
                "ceremony_locked",
                _("Chỉ tạo khóa trước khi mở bỏ phiếu (hiện: %(status)s).")
                % {"status": e.get_status_display()},
            )
        members = list(
            CountingMember.objects.filter(election=e)
            .select_related("delegate")
            .order_by("-is_head", "delegate__number")
        )
        if not members:
            raise ActionError(
                "counting_committee_missing",
                _("Đại hội chưa bầu Ban Kiểm phiếu cho “%(title)s”.") % {"title": e.title},
            )
        n = len(members)
        t = default_threshold(n) if threshold is None else threshold
        if not 1 <= t <= n:
            raise ActionError(
                "bad_threshold",
                _("Số thành viên cần để giải mã phải từ 1 đến %(n)s, không phải %(t)s.") % {"n": n, "t": t},
            )
        old = ceremony_or_none(e)
        attempt = 1 if old is None else old.attempt + 1
        if old is not None:
            old.delete()
        c = KeyCeremony.objects.create(election=e, threshold=t, attempt=attempt)
        KeyHolder.objects.bulk_create(
            KeyHolder(ceremony=c, index=i, delegate=m.delegate) for i, m in enumerate(members, start=1)
        )
        audit.record(
            actor=actor.label,
            action="election.key_ceremony_started",
            congress_id=e.congress_id,
            obj=e,
            after={"threshold": t, "members": [m.delegate.number for m in members], "attempt": attempt},
        )
        live.publish(e.congress)
    return c


def _holder(c: KeyCeremony, delegate: Delegate) -> KeyHolder:
    holder = KeyHolder.objects.filter(ceremony=c, delegate=delegate).first()
    if holder is None and c.election_id is None:
        raise ActionError("not_key_holder", _("Bạn không phải người giữ khóa biểu quyết kín của đại hội."))
    if holder is None:
        raise ActionError(
            "not_key_holder", _("Bạn không phải thành viên Ban Kiểm phiếu giữ khóa cuộc bầu cử này.")
        )
    return holder


def _step(c: KeyCeremony, expected: str) -> None:
    if c.status != expected:
        raise ActionError(
            "ceremony_step",
            _("Bước này không phải bước hiện tại của lễ tạo khóa (hiện: %(status)s).")
            % {"status": c.get_status_display()},
            status=c.status,
        )


def _bad(code: str, message: str) -> ActionError:
    return ActionError(code, message)


def _record_member(c: KeyCeremony, holder: KeyHolder, action: str) -> None:
    audit.record(
        actor=f"delegate:{holder.delegate.number}",
        action=action.replace("election.", f"{_prefix(c)}.", 1),
        congress_id=_congress(c).pk,
        obj=ceremony_owner(c),
        after={"member": holder.index, "attempt": c.attempt},
    )


def publish_transport_key(election: KeyOwner, delegate: Delegate, public_hex: str) -> KeyCeremony:
    """Step 1: a member's transport public key (its secret half stays on the device)."""
    with transaction.atomic():
        c = _ceremony(election, lock=True)
        _step(c, Status.TRANSPORT)
        holder = _holder(c, delegate)
        try:
            Point.from_hex(public_hex, "transport key")
        except CryptoError as error:
            raise _bad(
                "bad_transport_key", _("Khóa vận chuyển không hợp lệ: %(why)s") % {"why": error}
            ) from error
        holder.transport_key = public_hex
        holder.save(update_fields=["transport_key"])
        if not c.holders.filter(transport_key="").exists():
            c.status = Status.DEALING
            c.save(update_fields=["status"])
        _record_member(c, holder, "election.key_transport")
        live.publish(_congress(c))
    return c


def submit_dealing(election: KeyOwner, delegate: Delegate, data: Any) -> KeyCeremony:
    """Step 2: a member's dealing. Checked: its index, t commitments with a valid proof, one sealed share
    for each member."""
    with transaction.atomic():
        c = _ceremony(election, lock=True)
        _step(c, Status.DEALING)
        holder = _holder(c, delegate)
        indexes = sorted(c.holders.values_list("index", flat=True))
        try:
            dealing = Dealing.from_json(data)
        except (CryptoError, KeyError, TypeError, ValueError) as error:
            raise _bad("bad_dealing", _("Phần chia khóa không đọc được: %(why)s") % {"why": error}) from error
        if dealing.dealer != holder.index:
            raise _bad("bad_dealing", _("Phần chia khóa ghi sai số thứ tự thành viên."))
        if len(dealing.commitments) != c.threshold or not check_dealer(
            ceremony_id(c), holder.index, dealing.commitments, dealing.proof
        ):
            raise _bad("bad_dealing", _("Cam kết của phần chia khóa không có chứng minh hợp lệ."))
        if sorted(s.recipient for s in dealing.sealed) != indexes:
            raise _bad("bad_dealing", _("Phần chia khóa phải có đúng một phần cho mỗi thành viên."))
        holder.dealing = dealing.to_json()
        holder.save(update_fields=["dealing"])
        if not c.holders.filter(dealing__isnull=True).exists():
            c.status = Status.OPENING
            c.save(update_fields=["status"])
        _record_member(c, holder, "election.key_dealing")
        live.publish(_congress(c))
    return c


def _commitments(c: KeyCeremony) -> dict[int, tuple[Point, ...]]:
    return {h.index: Dealing.from_json(h.dealing).commitments for h in c.holders.all()}


def submit_share(
    election: KeyOwner, delegate: Delegate, public_hex: str, proof: Any, complaints: Sequence[int] = ()
) -> KeyCeremony:
    """Step 3: a member opened its shares. A complaint (a share that does not match its dealer's
    commitments) restarts the ceremony from step 1: no one can tell who lies. Else the member's public
    share must be the one the commitments give, with a valid proof of knowledge of its secret share."""
    with transaction.atomic():
        c = _ceremony(election, lock=True)
        _step(c, Status.OPENING)
        holder = _holder(c, delegate)
        if complaints:
            audit.record(
                actor=f"delegate:{holder.delegate.number}",
                action=f"{_prefix(c)}.key_complaint",
                congress_id=_congress(c).pk,
                obj=ceremony_owner(c),
                after={"member": holder.index, "against": sorted(int(j) for j in complaints)},
            )
            c.holders.update(transport_key="", dealing=None, public_share="", share_proof=None)
            c.status = Status.TRANSPORT
            c.attempt += 1
            c.save(update_fields=["status", "attempt"])
            live.publish(_congress(c))
            return c
        commitments = _commitments(c)
        expected = public_share(commitments, holder.index)
        try:
            parsed = Proof.from_json(proof, "share proof")
        except CryptoError as error:
            raise _bad(
                "bad_share", _("Chứng minh phần khóa không đọc được: %(why)s") % {"why": error}
            ) from error
        if public_hex != expected.hex() or not verify_share(ceremony_id(c), holder.index, expected, parsed):
            raise _bad("bad_share", _("Phần khóa công khai không khớp với các cam kết, hoặc chứng minh sai."))
        holder.public_share = public_hex
        holder.share_proof = parsed.to_json()
        holder.save(update_fields=["public_share", "share_proof"])
        if not c.holders.filter(share_proof__isnull=True).exists():
            c.public_key = public_key(commitments).hex()
            c.status = Status.DONE
            c.save(update_fields=["public_key", "status"])
            audit.record(
                actor="system",
                action=f"{_prefix(c)}.key_ready",
                congress_id=_congress(c).pk,
                obj=ceremony_owner(c),
                after={
                    "fingerprint": key_fingerprint(Point.from_hex(c.public_key)),
                    "threshold": c.threshold,
                },
            )
        else:
            _record_member(c, holder, "election.key_share")
        live.publish(_congress(c))
    return c


def ceremony_state(election: KeyOwner, delegate: Delegate | None = None) -> dict[str, Any]:
    """What a member's device needs for its next step (public parts only)."""
    c = ceremony_or_none(election)
    if c is None:
        return {"status": None}
    holders = list(c.holders.select_related("delegate"))
    me = next((h for h in holders if delegate is not None and h.delegate_id == delegate.pk), None)
    state: dict[str, Any] = {
        "electionId": owner_id(election),
        "status": c.status,
        "attempt": c.attempt,
        "threshold": c.threshold,
        "member": None if me is None else me.index,
        "members": [
            {
                "index": h.index,
                "name": h.delegate.full_name,
                "transport": bool(h.transport_key),
                "dealt": h.dealing is not None,
                "share": h.share_proof is not None,
                "decrypted": h.partial is not None,
            }
            for h in holders
        ],
        "publicKey": c.public_key or None,
        "fingerprint": key_fingerprint(Point.from_hex(c.public_key)) if c.public_key else None,
    }
    if c.status == Status.DEALING:
        state["transportKeys"] = {str(h.index): h.transport_key for h in holders}
    if c.status == Status.OPENING:
        state["dealings"] = [h.dealing for h in holders]
    if c.status == Status.DONE:
        state["publicShares"] = {str(h.index): h.public_share for h in holders}
    if c.totals is not None:
        state["totals"] = c.totals
        state["counts"] = c.counts
    return state


# ---- after the acknowledgement: the proof check --------------------------------------------------


def verify_pending(election: Election) -> tuple[int, int]:
    """Check the proofs of every ballot not yet checked; returns (accepted, bad_proof) over all ballots."""
    poll = election_poll(election)
    pk = require_key(election)
    pending = list(
        ElectronicBallot.objects.filter(election=election, verdict=ElectronicBallot.Verdict.PENDING)
    )
    for row in pending:
        _parsed, ok = check_cast(poll, pk, CastBallot(row.credential, row.ciphertext))
        row.verdict = ElectronicBallot.Verdict.ACCEPTED if ok else ElectronicBallot.Verdict.BAD_PROOF
    ElectronicBallot.objects.bulk_update(pending, ["verdict"], batch_size=500)
    verdicts = ElectronicBallot.objects.filter(election=election).values_list("verdict", flat=True)
    accepted = sum(1 for v in verdicts if v == ElectronicBallot.Verdict.ACCEPTED)
    return accepted, len(verdicts) - accepted


# ---- the count: totals, partial decryptions, counts ------------------------------------------------


def prepare_totals(election: Election) -> KeyCeremony:
    """After the close: check every proof, then add up the accepted ciphertexts per candidate. Idempotent."""
    with transaction.atomic():
        e = Election.objects.select_for_update().select_related("congress").get(pk=election.pk)
        c = _ceremony(e, lock=True)
        if c.totals is not None:
            return c
        if e.status != Election.Status.CLOSED:
            raise ActionError(
                "election_state",
                _("Chỉ giải mã tổng số phiếu sau khi đã đóng bỏ phiếu (hiện: %(state)s).")
                % {"state": e.get_status_display()},
            )
        accepted, rejected = verify_pending(e)
        poll = election_poll(e)
        spec = poll.spec()
        parsed = [
            EncryptedBallot.from_json(data, spec)
            for data in ElectronicBallot.objects.filter(election=e, verdict=ElectronicBallot.Verdict.ACCEPTED)
            .order_by("id")
            .values_list("ciphertext", flat=True)
        ]
        totals = homomorphic_totals(poll, parsed)
        c.totals = [{"label": label, **t.to_json()} for label, t in zip(poll.labels(), totals, strict=True)]
        c.accepted, c.rejected = accepted, rejected
        c.save(update_fields=["totals", "accepted", "rejected"])
        audit.record(
            actor="system",
            action="election.totals_ready",
            congress_id=e.congress_id,
            obj=e,
            after={"accepted": accepted, "bad_proof": rejected},
        )
        live.publish(e.congress)
    return c


def _totals(c: KeyCeremony) -> tuple[list[str], list[Ciphertext]]:
    assert c.totals is not None
    return [t["label"] for t in c.totals], [Ciphertext.from_json(t) for t in c.totals]


def submit_partial(election: Election, delegate: Delegate, data: Any) -> KeyCeremony:
    """A member's partial decryption of the totals, with its proofs. Once t members have sent a valid
    one, the counts are read (and nothing else is ever decrypted)."""
    with transaction.atomic():
        c = _ceremony(election, lock=True)
        if c.totals is None:
            raise ActionError("totals_not_ready", _("Chưa có tổng số phiếu mã hóa để giải mã."))
        holder = _holder(c, delegate)
        labels, totals = _totals(c)
        try:
            partial = PartialDecryption.from_json(data, labels)
        except (CryptoError, KeyError, TypeError) as error:
            raise _bad("bad_partial", _("Phần giải mã không đọc được: %(why)s") % {"why": error}) from error
        if partial.member != holder.index or not verify_partial(
            crypto_id(c.election), Point.from_hex(holder.public_share), partial, totals, labels
        ):
            raise _bad("bad_partial", _("Chứng minh giải mã sai: phần giải mã này không được nhận."))
        holder.partial = partial.to_json(labels)
        holder.save(update_fields=["partial"])
        _record_member(c, holder, "election.partial_decryption")
        partials = [PartialDecryption.from_json(h.partial, labels) for h in c.holders.exclude(partial=None)]
        if c.counts is None and len(partials) >= c.threshold:
            points = combine_partials(c.threshold, totals, partials[: c.threshold])
            table = DlogTable(c.accepted or 0)
            try:
                c.counts = [table.lookup(p) for p in points]
            except CryptoError as error:  # never with valid proofs
                raise _bad(
                    "decryption_failed", _("Không đọc được tổng số phiếu: %(why)s") % {"why": error}
                ) from error
            c.save(update_fields=["counts"])
            audit.record(
                actor="system",
                action="election.totals_decrypted",
                congress_id=c.election.congress_id,
                obj=c.election,
                after={"members": [p.member for p in partials[: c.threshold]]},
            )
        live.publish(_congress(c))
    return c


def electronic_totals(election: Election) -> ElectronicTotals | None:
    """The decrypted electronic totals, or None when the election has no electronic ballot. Refuses
    (`not_decrypted`) while ballots exist and t members have not decrypted their totals yet."""
    c = ceremony_or_none(election)
    if c is None or (c.accepted is None and not ElectronicBallot.objects.filter(election=election).exists()):
        if ElectronicBallot.objects.filter(election=election).exists():
            raise ActionError("not_decrypted", _("Ban Kiểm phiếu chưa giải mã tổng số phiếu điện tử."))
        return None
    if c.counts is None:
        if (
            not c.accepted
            and not c.rejected
            and not ElectronicBallot.objects.filter(election=election).exists()
        ):
            return None
        raise ActionError(
            "not_decrypted",
            _("Cần %(t)s thành viên Ban Kiểm phiếu giải mã tổng số phiếu điện tử trước khi kiểm phiếu.")
            % {"t": c.threshold},
        )
    choices = len(c.counts) - (1 if c.totals and c.totals[-1]["label"] == "invalid" else 0)
    return ElectronicTotals(
        cast=(c.accepted or 0) + (c.rejected or 0),
        rejected=c.rejected or 0,
        invalid=c.counts[choices] if len(c.counts) > choices else 0,
        votes=tuple(c.counts[:choices]),
    )


def paper_totals(election: Election, ce: core.Election | None = None) -> PaperTotals | None:
    """The agreed paper ballots of the election as totals (the rules core counts them ballot by ballot)."""
    listed = ballot_list(election)
    ce = ce or core_election(election, listed)
    ballots = paper_ballots(election, listed)
    if not ballots and election.ballots_issued is None:
        return None
    try:
        count = core.count_ballots(ce, ballots)
    except RuleError as error:
        from daihoi.congress.actions.setup import rule_error

        raise rule_error(error) from error
    return PaperTotals(
        issued=election.ballots_issued or 0,
        received=count.received,
        invalid_by_reason=dict(count.invalid_by_reason),
        votes=tuple(count.votes),
    )


def election_record(election: Election) -> dict[str, Any]:
    """The published record of a counted election, for `daihoi verify`."""
    c = _ceremony(election)
    if c.counts is None:
        raise ActionError("not_decrypted", _("Ban Kiểm phiếu chưa giải mã tổng số phiếu điện tử."))
    poll = election_poll(election)
    labels = [t["label"] for t in c.totals or []]
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
    partials = [PartialDecryption.from_json(h.partial, labels) for h in holders if h.partial is not None]
    ballots = [
        CastBallot(cred, data, stored_verdict(verdict))
        for cred, data, verdict in ElectronicBallot.objects.filter(election=election)
        .order_by("tracker", "credential")
        .values_list("credential", "ciphertext", "verdict")
    ]
    return build_record(poll, c.threshold, members, ballots, partials[: c.threshold], paper_totals(election))


def stored_verdict(verdict: str) -> bool | None:
    """What the proof check decided (the record prints it, never re-decides it); None if still pending."""
    if verdict == ElectronicBallot.Verdict.PENDING:
        return None
    return verdict == ElectronicBallot.Verdict.ACCEPTED
