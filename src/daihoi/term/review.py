"""The term's review and its follow-up: the targets judged by the rules core, the last term's targets
brought into the next congress, and the news page. Each state change validates, locks, writes and audits,
as in `daihoi.term.actions`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor, Role
from daihoi.congress.actions import setup as congress_actions
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, StaffRole
from daihoi.rules import targets as core
from daihoi.term.actions import _lock
from daihoi.term.models import NewsPage, Target, TargetValue
from daihoi.voting.documents import roman

# --- the review: judged by the core -----------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    target: Target
    judgement: core.Judgement
    values: dict[int, Decimal]


def judge_targets(targets: list[Target]) -> tuple[list[Line], dict[str, int]]:
    """Each target judged by the rules core (T1–T6), in order, with the count of each outcome."""
    lines = []
    summary = {o.value: 0 for o in core.Outcome}
    for t in targets:
        values = t.values_map()
        judgement = core.judge(t.term, t.as_core(), values)
        summary[judgement.outcome.value] += 1
        lines.append(Line(t, judgement, values))
    return lines, summary


def review_targets(congress: Congress) -> list[Target]:
    return list(Target.objects.filter(congress=congress, is_review=True).prefetch_related("values"))


def own_targets(congress: Congress) -> list[Target]:
    return list(Target.objects.filter(congress=congress, is_review=False).prefetch_related("values"))


def _copy_targets(targets: list[Target], into: Congress) -> int:
    created = 0
    for t in targets:
        copy = Target.objects.create(
            congress=into,
            is_review=True,
            number=t.number,
            name=t.name,
            unit=t.unit,
            area=t.area,
            kind=t.kind,
            direction=t.direction,
            mean=t.mean,
            baseline=t.baseline,
            target_value=t.target_value,
            term_start=t.term_start,
            term_end=t.term_end,
            source=t,
        )
        TargetValue.objects.bulk_create(
            [
                TargetValue(
                    target=copy,
                    year=v.year,
                    value=v.value,
                    note=v.note,
                    entered_by=v.entered_by,
                    entered_at=v.entered_at,
                )
                for v in t.values.all()
            ]
        )
        created += 1
    return created


def previous_congress(congress: Congress) -> Congress | None:
    return (
        Congress.objects.filter(organization=congress.organization, ordinal=congress.ordinal - 1)
        .exclude(pk=congress.pk)
        .first()
    )


def take_review_from_previous(congress: Congress, actor: Actor) -> int:
    """Bring the previous congress's targets and their yearly record as this congress's review."""
    previous = previous_congress(congress)
    if previous is None:
        raise ActionError(
            "no_previous_congress",
            _("Không có đại hội lần thứ %(ordinal)s của tổ chức này trong hệ thống; hãy nhập từ tệp Excel.")
            % {"ordinal": congress.ordinal - 1},
        )
    with transaction.atomic():
        _lock(congress)
        if Target.objects.filter(congress=congress, is_review=True).exists():
            raise ActionError("review_exists", _("Đại hội đã có danh sách chỉ tiêu nhiệm kỳ trước."))
        created = _copy_targets(own_targets(previous), congress)
        audit.record(
            actor=actor.label,
            action="review.from_previous",
            congress_id=congress.pk,
            obj=congress,
            after={"from": previous.slug, "targets": created},
        )
    return created


def start_next_congress(
    congress: Congress, actor: Actor, *, slug: str, starts_on: dt.date | None = None
) -> Congress:
    """The next congress of the same organization (its tree and cells come with it), in preparation, with
    this term's targets and their record as the review to be made, and this congress's organizers."""
    slug = (slug or "").strip()
    n = congress.term_end - congress.term_start
    if Congress.objects.filter(organization=congress.organization, ordinal=congress.ordinal + 1).exists():
        raise ActionError(
            "next_congress_exists",
            _("Đại hội lần thứ %(ordinal)s của tổ chức này đã có.") % {"ordinal": congress.ordinal + 1},
        )
    day = starts_on or dt.date(congress.term_end, congress.starts_on.month, min(congress.starts_on.day, 28))
    with transaction.atomic():
        nxt = congress_actions.create_congress(
            actor=actor,
            organization=congress.organization,
            slug=slug,
            name=_("Đại hội %(org)s lần thứ %(ordinal)s, nhiệm kỳ %(start)s–%(end)s")
            % {
                "org": congress.organization.name,
                "ordinal": roman(congress.ordinal + 1),
                "start": congress.term_end,
                "end": congress.term_end + n,
            },
            ordinal=congress.ordinal + 1,
            term_start=congress.term_end,
            term_end=congress.term_end + n,
            starts_on=day,
            ends_on=day,
            venue=congress.venue,
            kind=congress.kind,
            rules=congress.rules,
        )
        created = _copy_targets(own_targets(congress), nxt)
        for role in StaffRole.objects.filter(
            congress=congress, role__in=[Role.ORGANIZER, Role.SECRETARIAT]
        ).select_related("user"):
            congress_actions.grant_role(nxt, role.user, role.role, actor)
        audit.record(
            actor=actor.label,
            action="congress.next",
            congress_id=congress.pk,
            obj=congress,
            after={"next": nxt.slug, "review_targets": created},
        )
    return nxt


# --- the news page ----------------------------------------------------------------------------------


def news_page_of(congress: Congress) -> NewsPage:
    page, _created = NewsPage.objects.get_or_create(congress=congress)
    return page


def publish_news(congress: Congress, actor: Actor, *, publish: bool) -> NewsPage:
    """The organizer's choice: the news page on its public read-only link, or not."""
    with transaction.atomic():
        news_page_of(congress)
        page = NewsPage.objects.select_for_update().get(congress=congress)
        if page.is_published == publish:
            return page
        page.is_published = publish
        page.published_at = timezone.now() if publish else None
        page.save(update_fields=["is_published", "published_at"])
        audit.record(
            actor=actor.label,
            action="news.publish" if publish else "news.unpublish",
            congress_id=congress.pk,
            obj=page,
            after={"is_published": publish},
        )
    return page
