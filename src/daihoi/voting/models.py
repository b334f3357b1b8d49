"""Motions (biểu quyết) and elections (bầu cử): lists, ballots, counts and results.

Secrecy of the electronic ballot is a property of this schema, kept by these rules:
- "who has voted" (`ElectionParticipation`) and "what was voted" (`ElectronicBallot`) are separate
  tables with no key, column, timestamp or sequence in common;
- both use random primary keys (`random_id`), so neither the id nor the row order (SQLite's rowid is
  the integer primary key) follows the order of casting;
- above all, the ballot row holds only ciphertexts (`ElectronicBallot`, issue 10): whoever pairs the
  two rows (by page order, WAL frames, `xmin` or `ctid`) pairs a voter with a ciphertext, nothing more;
- the client nonce that makes a retry count once lives only on the participation row;
- the audit log records that a delegate voted, never the ballot or its id.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.congress.models import AgendaItem, Congress, Delegate


def random_id() -> int:
    """A random positive 62-bit key: no order, no sequence."""
    return secrets.randbits(62) + 1


class RandomKeyField(models.BigIntegerField):
    """A random primary key. On SQLite it is declared INTEGER so that it *is* the rowid: a table
    dump, which lists rows by rowid, then shows them in random order, not in the order of casting."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("default", random_id)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def db_type(self, connection):  # type: ignore[no-untyped-def]
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class Choice(models.TextChoices):
    YES = "yes", _("Tán thành")
    NO = "no", _("Không tán thành")
    ABSTAIN = "abstain", _("Không biểu quyết")


class Election(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Bầu Ban Chấp hành")
        DELEGATION = "delegation", _("Bầu đoàn đại biểu dự đại hội cấp trên")
        OTHER = "other", _("Bầu cử khác")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Chuẩn bị danh sách")
        LIST_APPROVED = "list_approved", _("Đã thông qua danh sách")
        OPEN = "open", _("Đang bỏ phiếu")
        CLOSED = "closed", _("Đã đóng, đang kiểm phiếu")
        CERTIFIED = "certified", _("Đã xác nhận kết quả")

    class DelegationMode(models.TextChoices):
        SEPARATE = "separate", _("Bầu riêng chính thức và dự khuyết")
        ONE_BALLOT = "one_ballot", _("Một phiếu: chính thức rồi dự khuyết")

    congress = models.ForeignKey(Congress, related_name="elections", on_delete=models.CASCADE)
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, related_name="elections", on_delete=models.SET_NULL
    )
    title = models.CharField(_("tên cuộc bầu cử"), max_length=300)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.COMMITTEE)
    # Set by the motion on the number to elect (P6.2); for a delegation, allocated from above (A9).
    seats = models.PositiveIntegerField(_("số lượng cần bầu"), null=True, blank=True)
    alternates = models.PositiveIntegerField(_("số đại biểu dự khuyết"), default=0)
    # P15 (default `separate`): under `separate` the alternates are elected in an election of their own
    # (`elects_alternates`); under `one_ballot` they are on this ballot after the officials.
    delegation_mode = models.CharField(
        max_length=20, choices=DelegationMode.choices, default=DelegationMode.SEPARATE
    )
    round = models.PositiveSmallIntegerField(_("lần bầu"), default=1)
    previous_round = models.ForeignKey(
        "self", null=True, blank=True, related_name="next_rounds", on_delete=models.PROTECT
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREPARING)
    allows_paper = models.BooleanField(_("phiếu giấy"), default=True)
    allows_electronic = models.BooleanField(_("bỏ phiếu điện tử"), default=False)
    # Off by default: a receipt lets a voter prove a vote to a third party (see the organizer's page).
    is_verifiable = models.BooleanField(_("chế độ kiểm chứng bằng mã biên nhận"), default=False)
    counting_committee = models.ManyToManyField(
        Delegate, through="CountingMember", related_name="counting_elections", blank=True
    )
    # Figures fixed when the vote opens and when the count is certified.
    base = models.PositiveIntegerField(
        _("N (số đại biểu được triệu tập trừ loại trừ)"), null=True, blank=True
    )
    base_explanation = models.TextField(blank=True)
    present_at_vote = models.PositiveIntegerField(null=True, blank=True)
    ballots_issued = models.PositiveIntegerField(_("số phiếu phát ra"), null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    certified_at = models.DateTimeField(null=True, blank=True)
    is_released = models.BooleanField(_("đã công bố lên màn hình"), default=False)
    # A next round (P13, P14): whether it is held among candidates tied at a cut-off, whether that tie
    # round also needs 2 × votes > N (None: the rule set's default, P13: no), and whether its seats are
    # alternate places (a tie at the alternates' cut-off, P15).
    is_tie_round = models.BooleanField(default=False)
    tie_round_needs_majority = models.BooleanField(null=True, blank=True)
    elects_alternates = models.BooleanField(default=False)

    class Meta:
        ordering = ["congress", "id"]

    def __str__(self) -> str:
        return self.title


class CountingMember(models.Model):
    """P9: a delegate on the counting committee of an election; never a candidate in it."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE)
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT)
    is_head = models.BooleanField(_("trưởng ban"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "delegate"], name="counting_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.delegate} ({self.election_id})"


class Candidate(models.Model):
    class Source(models.TextChoices):
        COMMITTEE = "committee", _("Cấp ủy giới thiệu")
        FLOOR = "floor", _("Đại hội đề cử")
        SELF = "self", _("Ứng cử")
        CARRIED = "carried", _("Từ lần bầu trước")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Được đề cử")
        ON_LIST = "on_list", _("Trong danh sách bầu cử")
        WITHDRAWN = "withdrawn", _("Được rút")
        NOT_ADMITTED = "not_admitted", _("Không đưa vào danh sách")

    election = models.ForeignKey(Election, related_name="candidates", on_delete=models.CASCADE)
    code = models.CharField(max_length=20)  # the ballot column, e.g. "c01"
    full_name = models.CharField(_("họ và tên"), max_length=200)
    delegate = models.ForeignKey(
        Delegate, null=True, blank=True, related_name="candidacies", on_delete=models.PROTECT
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.COMMITTEE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOMINATED)
    ballot_position = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["ballot_position", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="candidate_code_unique")]

    def __str__(self) -> str:
        return self.full_name


class Motion(models.Model):
    """A yes/no decision of the congress (P4, P5), against the base N, never against those present."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Chương trình đại hội")
        RULES_OF_PROCEDURE = "rules_of_procedure", _("Quy chế làm việc")
        CONGRESS_BODIES = "congress_bodies", _("Đoàn Chủ tịch, Đoàn Thư ký, Ban Thẩm tra")
        SEATS = "seats", _("Số lượng cần bầu")
        WITHDRAWAL = "withdrawal", _("Cho rút khỏi danh sách")
        FLOOR_NOMINEE = "floor_nominee", _("Đưa người được đề cử/ứng cử vào danh sách")
        CANDIDATE_LIST = "candidate_list", _("Danh sách bầu cử")
        COUNTING_COMMITTEE = "counting_committee", _("Ban Kiểm phiếu")
        NEXT_ROUND = "next_round", _("Bầu tiếp lần sau")
        RESOLUTION = "resolution", _("Nghị quyết đại hội")
        OTHER = "other", _("Khác")

    class Method(models.TextChoices):
        SHOW_OF_HANDS = "show_of_hands", _("Giơ tay / giơ thẻ")
        ELECTRONIC = "electronic", _("Biểu quyết điện tử")
        NAMED = "named", _("Biểu quyết điện tử công khai (ghi danh)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chưa biểu quyết")
        OPEN = "open", _("Đang biểu quyết")
        # An anonymous electronic motion after its close, until t key holders decrypt its totals.
        COUNTING = "counting", _("Đã đóng, đang giải mã kết quả")
        CLOSED = "closed", _("Đã biểu quyết")

    congress = models.ForeignKey(Congress, related_name="motions", on_delete=models.CASCADE)
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, related_name="motions", on_delete=models.SET_NULL
    )
    election = models.ForeignKey(
        Election, null=True, blank=True, related_name="motions", on_delete=models.CASCADE
    )
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, related_name="motions", on_delete=models.CASCADE
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("nội dung biểu quyết"), max_length=500)
    # What the motion decides, when it carries a value (the number to elect, the list's candidate ids...).
    payload = models.JSONField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.SHOW_OF_HANDS)
    is_special = models.BooleanField(default=False)  # shareholders' 65% matters (S3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    yes = models.PositiveIntegerField(null=True, blank=True)
    no = models.PositiveIntegerField(null=True, blank=True)
    abstain = models.PositiveIntegerField(null=True, blank=True)
    base = models.PositiveIntegerField(null=True, blank=True)
    present = models.PositiveIntegerField(null=True, blank=True)
    is_passed = models.BooleanField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    # How N was computed (P2), fixed with `base` when the vote closes.
    base_explanation = models.TextField(blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # An anonymous electronic motion's count (issue 10): the homomorphic totals (label, a, b) of the
    # accepted ballots, how many were accepted / set aside (bad proof), and each key holder's partial
    # decryption with its proofs ({index: partial}). Only the totals are ever decrypted.
    encrypted_totals = models.JSONField(null=True, blank=True)
    ballots_accepted = models.PositiveIntegerField(null=True, blank=True)
    ballots_rejected = models.PositiveIntegerField(null=True, blank=True)
    partials = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["congress", "id"]

    def __str__(self) -> str:
        return self.title


class MotionParticipation(models.Model):
    """Who has voted on an anonymous electronic motion. Holds no choice (see `MotionEncryptedBallot`)."""

    id = RandomKeyField()
    motion = models.ForeignKey(Motion, related_name="participations", on_delete=models.CASCADE)
    delegate = models.ForeignKey(Delegate, related_name="motion_participations", on_delete=models.CASCADE)
    # A SHA-256 digest of the client nonce bound to the motion (`motions.nonce_digest`), never the nonce.
    nonce_digest = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["motion", "delegate"], name="motion_participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.delegate_id} @ {self.motion_id}"


class NamedVote(models.Model):
    """A public roll-call answer, when the presidium chose a named vote."""

    motion = models.ForeignKey(Motion, related_name="named_votes", on_delete=models.CASCADE)
    delegate = models.ForeignKey(Delegate, related_name="named_votes", on_delete=models.CASCADE)
    choice = models.CharField(max_length=10, choices=Choice.choices)
    nonce = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["motion", "delegate"], name="named_vote_once")]

    def __str__(self) -> str:
        return f"{self.delegate_id} @ {self.motion_id}: {self.choice}"


class ElectionParticipation(models.Model):
    """Who has cast an electronic ballot in an election. No timestamp, no ballot reference."""

    id = RandomKeyField()
    election = models.ForeignKey(Election, related_name="participations", on_delete=models.CASCADE)
    delegate = models.ForeignKey(Delegate, related_name="election_participations", on_delete=models.CASCADE)
    # A keyed SHA-256 digest of the client nonce (`ballots.nonce_digest`), never the nonce itself.
    nonce_digest = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "delegate"], name="election_participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.delegate_id} @ {self.election_id}"


class ElectronicBallot(models.Model):
    """One cast electronic ballot: ciphertexts and proofs only (issue 10, docs/crypto.md).

    The phone encrypts every mark under the election's public key, whose private half no machine
    holds; this row never holds a mark, a candidate code or a count. `credential` is a random string
    the phone draws for this ballot (the proofs are bound to it); `verdict` is set by the proof check,
    which may run after the acknowledgement but always before the count."""

    class Verdict(models.TextChoices):
        PENDING = "pending", _("Chưa kiểm tra")
        ACCEPTED = "accepted", _("Hợp lệ (chứng minh đúng)")
        BAD_PROOF = "bad_proof", _("Chứng minh sai: phiếu không hợp lệ")

    id = RandomKeyField()
    election = models.ForeignKey(Election, related_name="electronic_ballots", on_delete=models.CASCADE)
    credential = models.CharField(max_length=64)
    # The ballot JSON as the phone sent it (`EncryptedBallot.to_json`): ciphertexts and proofs.
    ciphertext = models.JSONField()
    tracker = models.CharField(max_length=64, blank=True)
    verdict = models.CharField(max_length=12, choices=Verdict.choices, default=Verdict.PENDING)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "credential"], name="electronic_ballot_credential")
        ]

    def __str__(self) -> str:
        return f"e-ballot {self.id}"


class MotionEncryptedBallot(models.Model):
    """One answer to an anonymous electronic motion: ciphertexts and proofs only (issue 10).

    The phone encrypts yes / no / abstain (exactly one, proven) under the congress's motion key
    (`KeyCeremony.motions_of`), bound to the motion and to a `credential` it draws for this ballot. The
    row holds no voter and no answer; `verdict` is set by the proof check at the close."""

    id = RandomKeyField()
    motion = models.ForeignKey(Motion, related_name="encrypted_ballots", on_delete=models.CASCADE)
    credential = models.CharField(max_length=64)
    ciphertext = models.JSONField()
    tracker = models.CharField(max_length=64, blank=True)
    verdict = models.CharField(
        max_length=12, choices=ElectronicBallot.Verdict.choices, default=ElectronicBallot.Verdict.PENDING
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["motion", "credential"], name="motion_ballot_credential")
        ]

    def __str__(self) -> str:
        return f"motion e-ballot {self.id}"


class KeyCeremony(models.Model):
    """A distributed key generation (Pedersen DKG, t of n) for one election's counting committee, or
    for a congress's anonymous electronic motions (`motions_of`: the holders the presidium named).
    Exactly one of the two is set.

    The server relays and checks: members' transport keys, dealings (commitments, a proof, shares
    sealed to each member) and each member's public share with its proof. It never sees a share."""

    class Status(models.TextChoices):
        TRANSPORT = "transport", _("Các thành viên tạo khóa vận chuyển")
        DEALING = "dealing", _("Các thành viên chia phần khóa")
        OPENING = "opening", _("Các thành viên nhận phần khóa")
        DONE = "done", _("Đã có khóa công khai")

    election = models.OneToOneField(
        Election, null=True, blank=True, related_name="key_ceremony", on_delete=models.CASCADE
    )
    motions_of = models.OneToOneField(
        Congress, null=True, blank=True, related_name="motion_key", on_delete=models.CASCADE
    )
    threshold = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TRANSPORT)
    attempt = models.PositiveSmallIntegerField(default=1)
    public_key = models.CharField(max_length=64, blank=True)
    # At the count: the homomorphic totals (label, a, b), and how many ballots were accepted/rejected.
    totals = models.JSONField(null=True, blank=True)
    accepted = models.PositiveIntegerField(null=True, blank=True)
    rejected = models.PositiveIntegerField(null=True, blank=True)
    # The decrypted counts, in the order of the totals' labels, once t members have decrypted.
    counts = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(election__isnull=False, motions_of__isnull=True)
                    | models.Q(election__isnull=True, motions_of__isnull=False)
                ),
                name="key_ceremony_one_owner",
            )
        ]

    def __str__(self) -> str:
        owner = f"election {self.election_id}" if self.election_id else f"motions of {self.motions_of_id}"
        return f"key ceremony {owner} ({self.status})"


class KeyHolder(models.Model):
    """A key holder's public part of the ceremony and of the decryption: a counting-committee member
    (an election's key), or a delegate the presidium named (the congress's motion key)."""

    ceremony = models.ForeignKey(KeyCeremony, related_name="holders", on_delete=models.CASCADE)
    index = models.PositiveSmallIntegerField()
    delegate = models.ForeignKey(Delegate, related_name="key_holdings", on_delete=models.PROTECT)
    transport_key = models.CharField(max_length=64, blank=True)
    dealing = models.JSONField(null=True, blank=True)
    public_share = models.CharField(max_length=64, blank=True)
    share_proof = models.JSONField(null=True, blank=True)
    partial = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["ceremony", "index"]
        constraints = [
            models.UniqueConstraint(fields=["ceremony", "index"], name="key_holder_index"),
            models.UniqueConstraint(fields=["ceremony", "delegate"], name="key_holder_delegate"),
        ]

    def __str__(self) -> str:
        return f"{self.ceremony_id}/{self.index}"


class PaperBatch(models.Model):
    """A bundle of paper ballots entered by two (or three) clerks independently (P18)."""

    election = models.ForeignKey(Election, related_name="paper_batches", on_delete=models.CASCADE)
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=100, blank=True)
    is_reconciled = models.BooleanField(default=False)
    # P18: the teams that said they finished the batch; until teams 1 and 2 both have, each sees only its
    # own entries (entering again reopens that team).
    finished_teams = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="paper_batch_unique")]

    def __str__(self) -> str:
        return f"{self.election_id}/{self.number}"


class PaperEntry(models.Model):
    """One clerk's entry of one paper ballot. Team 1 and team 2 must agree ballot by ballot."""

    batch = models.ForeignKey(PaperBatch, related_name="entries", on_delete=models.CASCADE)
    team = models.PositiveSmallIntegerField()
    ballot_number = models.CharField(max_length=40)
    invalid_reason = models.CharField(max_length=40, blank=True)
    marks = models.JSONField()  # {"c01": 1, "c02": 0, ...}
    entered_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["batch", "team", "ballot_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "team", "ballot_number"], name="paper_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.team}/{self.ballot_number}"


class PaperBallot(models.Model):
    """A paper ballot as agreed by the entry teams; this is what is counted."""

    election = models.ForeignKey(Election, related_name="paper_ballots", on_delete=models.CASCADE)
    batch = models.ForeignKey(PaperBatch, related_name="ballots", on_delete=models.CASCADE)
    ballot_number = models.CharField(max_length=40)
    invalid_reason = models.CharField(max_length=40, blank=True)
    marks = models.JSONField()

    class Meta:
        ordering = ["election", "ballot_number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "ballot_number"], name="paper_ballot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.election_id}/{self.ballot_number}"
