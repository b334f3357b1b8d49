"""Drafts (with parts and sections, versioned), comments from every source, private notes, unit links,
and the working synthesis (groups of comments, each with its status and response).

A comment's `original_text` is written once and never changed; its `text` may be corrected only by an
action that records the change in the audit log.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.congress.models import Congress, Delegate, Organization, SpeakerRequest


def new_unit_token() -> str:
    return secrets.token_urlsafe(24)


class Kind(models.TextChoices):
    """The kind of a comment or of a group (the engine's KINDS)."""

    AGREE = "agree", _("Tán thành")
    AMEND = "amend", _("Sửa đổi")
    ADD = "add", _("Bổ sung")
    REMOVE = "remove", _("Bỏ")
    OTHER = "other", _("Ý kiến khác")


class DraftDocument(models.Model):
    class DraftKind(models.TextChoices):
        OWN_REPORT = "own_report", _("Báo cáo chính trị của đại hội")
        UPPER_DRAFT = "upper_draft", _("Dự thảo văn kiện cấp trên")

    congress = models.ForeignKey(Congress, related_name="drafts", on_delete=models.CASCADE)
    title = models.CharField(_("tên dự thảo"), max_length=300)
    kind = models.CharField(_("loại"), max_length=20, choices=DraftKind.choices, default=DraftKind.OWN_REPORT)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    source_name = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    source_file = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["congress", "id"]

    def __str__(self) -> str:
        return self.title

    def current_sections(self) -> models.QuerySet[Section]:
        return self.sections.filter(version=self.version).order_by("order")


class Part(models.Model):
    """A level-1 heading of one version of a draft."""

    draft = models.ForeignKey(DraftDocument, related_name="parts", on_delete=models.CASCADE)
    version = models.PositiveIntegerField()
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["draft", "version", "order"]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A level-2 heading of one version of a draft, with its paragraphs. `key` ("s03") is stable across
    versions; `text_hash` tells whether the text changed."""

    draft = models.ForeignKey(DraftDocument, related_name="sections", on_delete=models.CASCADE)
    part = models.ForeignKey(Part, null=True, blank=True, related_name="sections", on_delete=models.CASCADE)
    version = models.PositiveIntegerField()
    order = models.PositiveIntegerField()
    key = models.CharField(max_length=40)
    title = models.CharField(max_length=500)
    paragraphs = models.JSONField(default=list)
    text_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["draft", "version", "order"]
        constraints = [models.UniqueConstraint(fields=["draft", "version", "key"], name="section_key_once")]

    def __str__(self) -> str:
        return self.title


class UnitLink(models.Model):
    """A link with its own token through which a unit's secretary sends the unit's comments (no account)."""

    congress = models.ForeignKey(Congress, related_name="unit_links", on_delete=models.CASCADE)
    unit = models.ForeignKey(Organization, null=True, blank=True, related_name="+", on_delete=models.CASCADE)
    unit_name = models.CharField(_("đơn vị"), max_length=300)
    token = models.CharField(max_length=64, unique=True, default=new_unit_token)
    is_revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["congress", "unit_name"]
        constraints = [models.UniqueConstraint(fields=["congress", "unit_name"], name="unit_link_once")]

    def __str__(self) -> str:
        return self.unit_name


class Comment(models.Model):
    class Source(models.TextChoices):
        PHONE = "phone", _("Đại biểu góp ý trên điện thoại")
        UNIT_FORM = "unit_form", _("Phiếu góp ý của đơn vị")
        FILE = "file", _("Nhập từ tệp")
        FLOOR = "floor", _("Phát biểu tại hội trường")
        UPPER = "upper", _("Tổng hợp của cấp dưới")

    congress = models.ForeignKey(Congress, related_name="draft_comments", on_delete=models.CASCADE)
    draft = models.ForeignKey(DraftDocument, related_name="comments", on_delete=models.CASCADE)
    section = models.ForeignKey(
        Section, null=True, blank=True, related_name="comments", on_delete=models.SET_NULL
    )
    kind = models.CharField(_("loại ý kiến"), max_length=10, choices=Kind.choices, blank=True, default="")
    text = models.TextField(_("nội dung"))
    original_text = models.TextField(editable=False)
    source = models.CharField(max_length=12, choices=Source.choices)
    unit = models.ForeignKey(Organization, null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    unit_name = models.CharField(_("đơn vị"), max_length=300, blank=True)
    delegate = models.ForeignKey(
        Delegate, null=True, blank=True, related_name="comments", on_delete=models.SET_NULL
    )
    speaker_request = models.ForeignKey(
        SpeakerRequest, null=True, blank=True, related_name="comments", on_delete=models.SET_NULL
    )
    # An incoming upper-level point: the lower units (e.g. cells) that stood behind it.
    weight_units = models.PositiveIntegerField(default=1)
    weight_subunits = models.PositiveIntegerField(default=0)
    # The section was changed by a new version of the draft: the comment stays on the old text.
    is_on_changed_section = models.BooleanField(default=False)
    batch = models.CharField(max_length=255, blank=True)  # the file or form it came in with
    created_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def sender(self) -> str:
        """Who the comment counts for: the unit, else the delegate."""
        if self.unit_name:
            return self.unit_name
        if self.delegate_id is not None:
            return f"Đại biểu số {self.delegate.number}"
        return "?"


class Note(models.Model):
    """A delegate's private note on a section: seen by that delegate only, never counted."""

    delegate = models.ForeignKey(Delegate, related_name="draft_notes", on_delete=models.CASCADE)
    section = models.ForeignKey(Section, related_name="notes", on_delete=models.CASCADE)
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["delegate", "section"], name="note_once")]

    def __str__(self) -> str:
        return f"{self.delegate_id}:{self.section_id}"


class Synthesis(models.Model):
    """The working synthesis of one draft; `motion` is the congress's vote approving its report."""

    draft = models.OneToOneField(DraftDocument, related_name="synthesis", on_delete=models.CASCADE)
    made_at = models.DateTimeField()
    made_by = models.CharField(max_length=200)
    motion = models.ForeignKey(
        "voting.Motion", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    def __str__(self) -> str:
        return f"Tổng hợp: {self.draft.title}"


class Group(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Chưa xử lý")
        TAKEN = "taken", _("Tiếp thu")
        EXPLAINED = "explained", _("Giải trình")
        LEFT_OUT = "left_out", _("Không tiếp thu")

    synthesis = models.ForeignKey(Synthesis, related_name="groups", on_delete=models.CASCADE)
    section = models.ForeignKey(
        Section, null=True, blank=True, related_name="groups", on_delete=models.SET_NULL
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    summary = models.TextField(_("ý kiến tổng hợp"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("ý kiến tiếp thu, giải trình"), blank=True)
    # Recomputed by `daihoi.synthesis.count_units` after every edit of the membership.
    units = models.PositiveIntegerField(default=0)
    unit_names = models.JSONField(default=list)
    subunits = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["synthesis", "section__order", "-units", "id"]

    def __str__(self) -> str:
        return self.summary[:60]


class Placement(models.Model):
    """Where a comment sits in a synthesis: in one group, or among the agreements (group None)."""

    synthesis = models.ForeignKey(Synthesis, related_name="placements", on_delete=models.CASCADE)
    comment = models.ForeignKey(Comment, related_name="placements", on_delete=models.CASCADE)
    group = models.ForeignKey(
        Group, null=True, blank=True, related_name="placements", on_delete=models.CASCADE
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["synthesis", "comment"], name="placed_once")]

    def __str__(self) -> str:
        return f"{self.comment_id}→{self.group_id}"
