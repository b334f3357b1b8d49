"""The resolution of a congress, its targets and key tasks, and the term that follows (glossary: Resolution,
Target, KeyTask, review).

A congress holds two sets of targets: its own, for its term (`is_review=False`), which its resolution
adopts and the standing committee follows year by year; and the previous term's (`is_review=True`),
which it reviews. Numbers are kept as the decimal strings people typed; the rules core
(`daihoi.rules.targets`) judges them exactly. Writes go through `daihoi.term.actions`.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from daihoi.congress.models import Congress
from daihoi.rules import targets as core


class Area(models.TextChoices):
    ECONOMY = "economy", _("Kinh tế")
    URBAN = "urban", _("Đô thị")
    CULTURE_SOCIETY = "culture_society", _("Văn hóa – xã hội")
    DEFENCE_SECURITY = "defence_security", _("Quốc phòng – an ninh")
    PARTY_BUILDING = "party_building", _("Xây dựng Đảng")
    OTHER = "other", _("Khác")


class Kind(models.TextChoices):
    LEVEL_END = core.Kind.LEVEL_END.value, _("Mức đạt cuối nhiệm kỳ")
    GROWTH_AVG = core.Kind.GROWTH_AVG.value, _("Tăng bình quân hằng năm")
    TOTAL = core.Kind.TOTAL.value, _("Tổng cả nhiệm kỳ")
    YEARLY_LEVEL = core.Kind.YEARLY_LEVEL.value, _("Mức duy trì hằng năm")


class Direction(models.TextChoices):
    AT_LEAST = core.Direction.AT_LEAST.value, _("Từ … trở lên")
    ABOVE = core.Direction.ABOVE.value, _("Trên")
    AT_MOST = core.Direction.AT_MOST.value, _("Không quá")
    BELOW = core.Direction.BELOW.value, _("Dưới")


class Mean(models.TextChoices):
    COMPOUND = core.Mean.COMPOUND.value, _("Bình quân kép")
    ARITHMETIC = core.Mean.ARITHMETIC.value, _("Trung bình cộng")


class Resolution(models.Model):
    """What the congress adopts: the general goal, the targets, the key tasks and other articles.

    Adopted when its motion (kind `resolution`) closed passed; from the moment that motion opens the
    text and the targets are frozen (see `daihoi.term.actions.resolution_state`)."""

    congress = models.OneToOneField(Congress, related_name="resolution", on_delete=models.CASCADE)
    general_goal = models.TextField(_("mục tiêu tổng quát"), blank=True)
    other_articles = models.TextField(_("các điều khoản khác"), blank=True)
    motion = models.ForeignKey(
        "voting.Motion", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Nghị quyết {self.congress}"


class Target(models.Model):
    congress = models.ForeignKey(Congress, related_name="targets", on_delete=models.CASCADE)
    is_review = models.BooleanField(default=False)
    number = models.PositiveIntegerField(_("số thứ tự"))
    name = models.CharField(_("chỉ tiêu"), max_length=300)
    unit = models.CharField(_("đơn vị"), max_length=40, blank=True)
    area = models.CharField(_("lĩnh vực"), max_length=30, choices=Area.choices, default=Area.OTHER)
    kind = models.CharField(_("loại chỉ tiêu"), max_length=20, choices=Kind.choices)
    direction = models.CharField(_("hướng"), max_length=20, choices=Direction.choices)
    mean = models.CharField(
        _("cách tính bình quân"), max_length=20, choices=Mean.choices, default=Mean.COMPOUND
    )
    baseline = models.CharField(_("giá trị năm gốc"), max_length=40, blank=True)
    target_value = models.CharField(_("chỉ tiêu đề ra"), max_length=40)
    term_start = models.PositiveIntegerField(_("năm gốc"))
    term_end = models.PositiveIntegerField(_("năm cuối"))
    source = models.ForeignKey(
        "self", null=True, blank=True, related_name="reviews", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["is_review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "is_review", "number"], name="target_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def term(self) -> core.Term:
        return core.Term(self.term_start, self.term_end)

    def as_core(self) -> core.Target:
        return core.Target(
            id=str(self.number),
            kind=core.Kind(self.kind),
            direction=core.Direction(self.direction),
            target=Decimal(self.target_value),
            name=self.name,
            unit=self.unit,
            mean=core.Mean(self.mean),
        )

    def values_map(self) -> dict[int, Decimal]:
        """The year → value map the core judges: the baseline as year B, then the yearly results."""
        values = {v.year: Decimal(v.value) for v in self.values.all()}
        if self.baseline and self.term_start not in values:
            values[self.term_start] = Decimal(self.baseline)
        return values


class TargetValue(models.Model):
    """The achieved value of one target in one year, with the standing committee's note."""

    target = models.ForeignKey(Target, related_name="values", on_delete=models.CASCADE)
    year = models.PositiveIntegerField(_("năm"))
    value = models.CharField(_("giá trị đạt được"), max_length=40)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    entered_by = models.CharField(max_length=150, blank=True)
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["target", "year"], name="target_value_unique_year")]

    def __str__(self) -> str:
        return f"{self.target_id} {self.year}: {self.value}"


class KeyTask(models.Model):
    """A key task or breakthrough of the term (nhiệm vụ trọng tâm / đột phá)."""

    congress = models.ForeignKey(Congress, related_name="key_tasks", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung"))
    is_breakthrough = models.BooleanField(_("đột phá"), default=False)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="key_task_number_unique")]

    def __str__(self) -> str:
        return self.text[:60]


def new_news_token() -> str:
    return secrets.token_urlsafe(18)


class NewsPage(models.Model):
    """Whether the congress's news page is public, and its unguessable public link."""

    congress = models.OneToOneField(Congress, related_name="news_page", on_delete=models.CASCADE)
    token = models.CharField(max_length=40, unique=True, default=new_news_token)
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"news {self.congress_id}"
