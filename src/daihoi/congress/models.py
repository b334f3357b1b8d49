"""The congress and the people in it. Names follow ../shared/glossary.md.

State changes never happen here directly: they go through `daihoi.congress.actions`, which
locks, writes, appends the audit entry and publishes the live event after commit.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.rules.voters import may_vote as rules_may_vote

# Card codes are typed by hand at times: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_card_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def new_screen_token() -> str:
    return secrets.token_urlsafe(24)


class Organization(models.Model):
    """A body holding congresses, or one of its sub-units (cells) that send delegates.

    `kind` names the body (a Party organization, a youth union, a trade union, a company's
    shareholders…): the words pages use for its units, members and delegates follow it
    (`daihoi.congress.wording`). Sub-units carry their top organization's kind.
    """

    class Kind(models.TextChoices):
        PARTY = "party", _("Tổ chức Đảng")
        YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")
        TRADE_UNION = "trade_union", _("Công đoàn")
        SHAREHOLDERS = "shareholders", _("Công ty cổ phần (cổ đông)")
        OTHER = "other", _("Tổ chức khác")

    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại tổ chức"), max_length=20, choices=Kind.choices, default=Kind.PARTY)
    place = models.CharField(
        _("địa danh"),
        max_length=120,
        blank=True,
        help_text=_("Địa danh ghi ở dòng ngày tháng của văn bản, ví dụ: Hà Nội."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.CASCADE,
        verbose_name=_("cấp trên"),
    )
    code = models.SlugField(_("mã"), max_length=60)
    member_count = models.PositiveIntegerField(_("số đảng viên"), default=0)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "code"], name="organization_code_unique_in_parent")
        ]

    def __str__(self) -> str:
        return self.name


class Congress(models.Model):
    class Kind(models.TextChoices):
        DELEGATES = "delegates", _("Đại hội đại biểu")
        GENERAL = "general", _("Đại hội toàn thể")

    class State(models.TextChoices):
        PREPARATION = "preparation", _("Chuẩn bị")
        IN_SESSION = "in_session", _("Đang họp")
        CLOSED = "closed", _("Đã bế mạc")

    organization = models.ForeignKey(Organization, related_name="congresses", on_delete=models.PROTECT)
    slug = models.SlugField(_("mã đại hội"), max_length=80, unique=True)
    name = models.CharField(_("tên đại hội"), max_length=300)
    ordinal = models.PositiveIntegerField(_("lần thứ"))
    term_start = models.PositiveIntegerField(_("nhiệm kỳ từ năm"))
    term_end = models.PositiveIntegerField(_("nhiệm kỳ đến năm"))
    starts_on = models.DateField(_("ngày khai mạc"))
    ends_on = models.DateField(_("ngày bế mạc"))
    theme = models.TextField(_("chủ đề"), blank=True)
    venue = models.CharField(_("địa điểm"), max_length=300, blank=True)
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices, default=Kind.DELEGATES)
    rules = models.CharField(_("bộ quy tắc"), max_length=40, default="party")
    state = models.CharField(_("trạng thái"), max_length=20, choices=State.choices, default=State.PREPARATION)
    total_seats = models.PositiveIntegerField(_("tổng số đại biểu được triệu tập"), default=0)
    ex_officio_seats = models.PositiveIntegerField(_("số đại biểu đương nhiên"), default=0)
    minimum_seats_per_unit = models.PositiveIntegerField(_("số đại biểu tối thiểu mỗi chi bộ"), default=1)
    quorum_numerator = models.PositiveIntegerField(default=2)
    quorum_denominator = models.PositiveIntegerField(default=3)
    is_electronic_voting_enabled = models.BooleanField(_("cho phép bỏ phiếu điện tử"), default=False)
    screen_token = models.CharField(max_length=64, unique=True, default=new_screen_token)
    # The address phones in the hall open (printed in the cards' QR codes and on the hall sheet), e.g.
    # "https://192.168.1.10:8000"; empty: the site's DAIHOI_HALL_ADDRESS, if set.
    hall_address = models.CharField(_("địa chỉ trong hội trường"), max_length=200, blank=True)
    wifi_name = models.CharField(_("tên mạng Wi-Fi"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    @property
    def term(self) -> str:
        return f"{self.term_start}–{self.term_end}"


class SeatAllocation(models.Model):
    """Delegate seats given to one sub-unit, as computed by `daihoi.rules.allocation`."""

    congress = models.ForeignKey(Congress, related_name="allocations", on_delete=models.CASCADE)
    unit = models.ForeignKey(Organization, related_name="allocations", on_delete=models.PROTECT)
    members = models.PositiveIntegerField()
    seats = models.PositiveIntegerField()
    quota = models.CharField(max_length=40, help_text="exact quota as a fraction, e.g. 1507/100")

    class Meta:
        ordering = ["unit__order", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["congress", "unit"], name="allocation_unique_unit")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.seats}"


# What the attendance figures count a congress's roll by (attendance._grouped_roll), in the order of
# their index (Delegate.Meta.indexes), which ends with the one column they also filter on.
FIGURES_GROUP_KEYS = ("unit", "standing", "credential", "attendance", "is_convening_committee")


class Delegate(models.Model):
    """A person convened to the congress with the right to vote (guests are `Guest`)."""

    class Kind(models.TextChoices):
        EX_OFFICIO = "ex_officio", _("Đương nhiên")
        ELECTED = "elected", _("Được bầu")
        APPOINTED = "appointed", _("Chỉ định")

    class Standing(models.TextChoices):
        OFFICIAL = "official", _("Chính thức")
        ALTERNATE = "alternate", _("Dự khuyết")

    class Sex(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")
        UNKNOWN = "", _("Không rõ")

    class Credential(models.TextChoices):
        PENDING = "pending", _("Chưa thẩm tra")
        ACCEPTED = "accepted", _("Đủ tư cách")
        REJECTED = "rejected", _("Không đủ tư cách")

    class Attendance(models.TextChoices):
        NOT_ARRIVED = "not_arrived", _("Chưa đến")
        PRESENT = "present", _("Có mặt")
        LEFT = "left", _("Đã ra về")
        EXCUSED = "excused", _("Vắng có lý do")

    congress = models.ForeignKey(Congress, related_name="delegates", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("số thứ tự"))
    full_name = models.CharField(_("họ và tên"), max_length=200)
    # ASCII, lower case, no diacritics: "nguyen van a" finds "Nguyễn Văn A".
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=10, choices=Sex.choices, blank=True, default="")
    unit = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        related_name="delegates",
        on_delete=models.PROTECT,
        verbose_name=_("chi bộ"),
    )
    kind = models.CharField(_("loại đại biểu"), max_length=20, choices=Kind.choices, default=Kind.ELECTED)
    standing = models.CharField(
        _("tư cách"), max_length=20, choices=Standing.choices, default=Standing.OFFICIAL
    )
    position = models.CharField(_("chức vụ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    is_convening_committee = models.BooleanField(_("thuộc cấp ủy triệu tập"), default=False)
    seat_number = models.CharField(_("số ghế"), max_length=20, blank=True)
    code = models.CharField(_("mã thẻ"), max_length=20, unique=True, default=new_card_code)
    credential = models.CharField(
        _("thẩm tra tư cách"), max_length=20, choices=Credential.choices, default=Credential.PENDING
    )
    credential_reason = models.CharField(_("lý do"), max_length=500, blank=True)
    attendance = models.CharField(
        _("điểm danh"), max_length=20, choices=Attendance.choices, default=Attendance.NOT_ARRIVED
    )
    absence_reason = models.CharField(_("lý do vắng"), max_length=500, blank=True)
    checked_in_at = models.DateTimeField(_("giờ đến"), null=True, blank=True)
    # P1: an alternate who replaces an official absent for the whole congress votes in their place.
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        related_name="replaced_by",
        on_delete=models.SET_NULL,
        verbose_name=_("thay đại biểu chính thức"),
    )

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="delegate_number_unique")]
        indexes = [
            models.Index(fields=["congress", "attendance"]),
            # The attendance figures' grouped read (attendance._grouped_roll) walks this index in its
            # GROUP BY order and reads nothing else: no sort, no table rows (1.3 ms → 0.5 ms for 2,000).
            models.Index(fields=["congress", *FIGURES_GROUP_KEYS, "replaces"], name="delegate_figures_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_present(self) -> bool:
        return self.attendance == self.Attendance.PRESENT

    @property
    def role(self) -> str:
        """The P1 role of the rules core: official/alternate, or at a congress of all members
        (`general`) full/probationary member."""
        official = self.standing == self.Standing.OFFICIAL
        if self.congress.kind == Congress.Kind.GENERAL:
            return "full_member" if official else "probationary_member"
        return "official" if official else "alternate"

    @property
    def replaces_absent_official(self) -> bool:
        """An alternate recorded as replacing an official who is absent (excused) for the congress."""
        if self.replaces_id is None:
            return False
        return self.replaces is not None and self.replaces.attendance == self.Attendance.EXCUSED

    @property
    def may_vote(self) -> bool:
        """P1 from the rules core (`rules.voters.may_vote`), for a delegate whose credentials stand and
        who is in the hall. The one predicate: casting, motions and "who has not voted" all use it."""
        return (
            self.credential != self.Credential.REJECTED
            and self.attendance == self.Attendance.PRESENT
            and rules_may_vote(
                self.role,
                congress_kind=self.congress.kind,  # type: ignore[arg-type]
                replaces_absent_official=self.replaces_absent_official,
            )
        )


class Guest(models.Model):
    """Attends, never votes, never counts for quorum or N."""

    congress = models.ForeignKey(Congress, related_name="guests", on_delete=models.CASCADE)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    title = models.CharField(_("chức danh"), max_length=300, blank=True)
    organization_name = models.CharField(_("đơn vị"), max_length=300, blank=True)
    code = models.CharField(max_length=20, unique=True, default=new_card_code)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class CheckIn(models.Model):
    """One scan or desk action. The nonce makes a retried scan count once."""

    class Action(models.TextChoices):
        CHECK_IN = "in", _("Điểm danh vào")
        CHECK_OUT = "out", _("Ra về")
        EXCUSE = "excused", _("Vắng có lý do")

    congress = models.ForeignKey(Congress, related_name="checkins", on_delete=models.CASCADE)
    delegate = models.ForeignKey(Delegate, related_name="checkins", on_delete=models.CASCADE)
    action = models.CharField(max_length=10, choices=Action.choices)
    nonce = models.CharField(max_length=64, unique=True)
    at = models.DateTimeField()
    by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delegate_id} {self.action} {self.at:%H:%M:%S}"


class AgendaItem(models.Model):
    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Sắp tới")
        CURRENT = "current", _("Đang diễn ra")
        DONE = "done", _("Đã xong")

    congress = models.ForeignKey(Congress, related_name="agenda", on_delete=models.CASCADE)
    order = models.PositiveIntegerField()
    day = models.PositiveSmallIntegerField(_("ngày thứ"), default=1)
    starts_at = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    title = models.CharField(_("nội dung"), max_length=300)
    presenter = models.CharField(_("người trình bày"), max_length=200, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.UPCOMING)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["congress", "order"], name="agenda_order_unique")]

    def __str__(self) -> str:
        return self.title


class SpeakerRequest(models.Model):
    """A delegate asking the floor; the presidium orders, approves, starts and stops."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Đăng ký")
        APPROVED = "approved", _("Được chấp thuận")
        DECLINED = "declined", _("Không chấp thuận")
        SPEAKING = "speaking", _("Đang phát biểu")
        DONE = "done", _("Đã phát biểu")
        WITHDRAWN = "withdrawn", _("Đã rút")

    congress = models.ForeignKey(Congress, related_name="speaker_requests", on_delete=models.CASCADE)
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, related_name="speaker_requests", on_delete=models.SET_NULL
    )
    delegate = models.ForeignKey(Delegate, related_name="speaker_requests", on_delete=models.CASCADE)
    topic = models.CharField(_("nội dung phát biểu"), max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    position = models.PositiveIntegerField(default=0)
    time_limit_seconds = models.PositiveIntegerField(default=420)
    decline_reason = models.CharField(_("lý do không chấp thuận"), max_length=300, blank=True, default="")
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.delegate_id}: {self.topic}"


class StaffRole(models.Model):
    """A staff user's role in one congress. Delegates and screens are not users (see `access`)."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Ban tổ chức")
        PRESIDIUM = "presidium", _("Đoàn Chủ tịch")
        SECRETARIAT = "secretariat", _("Đoàn Thư ký")
        CREDENTIALS = "credentials", _("Ban Thẩm tra tư cách")
        COUNTING = "counting", _("Ban Kiểm phiếu")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="congress_roles", on_delete=models.CASCADE
    )
    congress = models.ForeignKey(Congress, related_name="staff_roles", on_delete=models.CASCADE)
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "congress", "role"], name="staff_role_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role}"


class Organizer(models.Model):
    """A user the site administrator made organizer of an organization: may create its congresses."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="organizer_of", on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, related_name="organizers", on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="organizer_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.organization_id}"
