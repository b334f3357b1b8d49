"""Actions on the resolution and the term: one function per state change (validate, lock, write, audit).

The judgement of every target is the rules core's (`daihoi.rules.targets`). Adoption uses the motion
machinery (`daihoi.voting.actions.motions`): `propose_adoption` creates a motion of kind `resolution`;
the presidium opens and closes it on the motion pages. The resolution reads the motion's stored outcome
(`sync_adoption`): while the motion is open, and after it passed, the text, targets and key tasks are
frozen; a motion that failed leaves the draft editable again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor
from daihoi.congress.actions.setup import rule_error
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.rules import targets as core
from daihoi.rules.errors import RuleError
from daihoi.term.models import Area, KeyTask, Resolution, Target, TargetValue
from daihoi.voting.actions import motions as motion_actions
from daihoi.voting.documents import roman
from daihoi.voting.models import Motion

NAME_MAX = 300
UNIT_MAX = 40
NOTE_MAX = 500
TEXT_MAX = 20_000


class State:
    DRAFT = "draft"
    VOTING = "voting"
    ADOPTED = "adopted"
    REJECTED = "rejected"


# --- reading the resolution -------------------------------------------------------------------------


def resolution_of(congress: Congress) -> Resolution:
    """The congress's resolution (an empty draft the first time), its adoption synced with its motion."""
    resolution, _created = Resolution.objects.get_or_create(congress=congress)
    return sync_adoption(resolution)


def resolution_state(resolution: Resolution) -> str:
    motion = resolution.motion
    if motion is None or motion.status == Motion.Status.DRAFT:
        return State.DRAFT
    if motion.status in (Motion.Status.OPEN, Motion.Status.COUNTING):  # counting: not decided yet
        return State.VOTING
    return State.ADOPTED if motion.is_passed else State.REJECTED


def sync_adoption(resolution: Resolution) -> Resolution:
    """Record the adoption once the motion closed passed (the motion module has no hook on close)."""
    if resolution.adopted_at is None and resolution_state(resolution) == State.ADOPTED:
        with transaction.atomic():
            locked = Resolution.objects.select_for_update().get(pk=resolution.pk)
            if locked.adopted_at is None:
                motion = locked.motion
                assert motion is not None
                locked.adopted_at = motion.closed_at or timezone.now()
                locked.save(update_fields=["adopted_at"])
                audit.record(
                    actor="system",
                    action="resolution.adopted",
                    congress_id=locked.congress_id,
                    obj=locked,
                    after={**resolution_facts(locked), "motion": motion.pk, "outcome": motion.outcome},
                )
            resolution = locked
    return resolution


def resolution_facts(resolution: Resolution) -> dict[str, Any]:
    congress = resolution.congress
    return {
        "general_goal": resolution.general_goal,
        "other_articles": resolution.other_articles,
        "targets": [target_facts(t) for t in Target.objects.filter(congress=congress, is_review=False)],
        "key_tasks": [
            {"number": k.number, "text": k.text, "is_breakthrough": k.is_breakthrough}
            for k in KeyTask.objects.filter(congress=congress)
        ],
    }


def target_facts(t: Target) -> dict[str, Any]:
    return {
        "number": t.number,
        "name": t.name,
        "unit": t.unit,
        "area": t.area,
        "kind": t.kind,
        "direction": t.direction,
        "mean": t.mean,
        "baseline": t.baseline,
        "target": t.target_value,
        "term": [t.term_start, t.term_end],
        "is_review": t.is_review,
    }


def _lock(congress: Congress) -> Resolution:
    resolution, _created = Resolution.objects.get_or_create(congress=congress)
    return (
        Resolution.objects.select_for_update(of=("self",))
        .select_related("motion", "congress")
        .get(pk=resolution.pk)
    )


def _require_editable(resolution: Resolution) -> None:
    state = resolution_state(resolution)
    if state == State.ADOPTED:
        raise ActionError(
            "resolution_adopted",
            _("Nghị quyết đã được đại hội thông qua; không thể sửa nội dung, chỉ tiêu hay nhiệm vụ."),
        )
    if state == State.VOTING:
        raise ActionError(
            "resolution_being_voted",
            _("Nghị quyết đang được biểu quyết; không thể sửa cho đến khi kết thúc biểu quyết."),
        )


def _clean_text(value: str, label: str, code: str, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ActionError(
            code,
            _("%(label)s: dài %(length)s ký tự, tối đa %(max)s.")
            % {"label": label, "length": len(value), "max": limit},
        )
    return value


# --- the draft resolution ---------------------------------------------------------------------------


def save_resolution(
    congress: Congress, actor: Actor, *, general_goal: str, other_articles: str
) -> Resolution:
    """The secretariat's draft: the general goal and the other articles."""
    goal = _clean_text(general_goal, _("Mục tiêu tổng quát"), "goal_too_long")
    other = _clean_text(other_articles, _("Các điều khoản khác"), "articles_too_long")
    with transaction.atomic():
        resolution = _lock(congress)
        _require_editable(resolution)
        before = {"general_goal": resolution.general_goal, "other_articles": resolution.other_articles}
        resolution.general_goal, resolution.other_articles = goal, other
        resolution.save(update_fields=["general_goal", "other_articles", "updated_at"])
        audit.record(
            actor=actor.label,
            action="resolution.edit",
            congress_id=congress.pk,
            obj=resolution,
            before=before,
            after={"general_goal": goal, "other_articles": other},
        )
    return resolution


@dataclass(frozen=True)
class TargetInput:
    """A target as typed: strings, checked by `clean_target`."""

    name: str
    kind: str
    direction: str
    target_value: str
    unit: str = ""
    area: str = Area.OTHER
    mean: str = core.Mean.COMPOUND.value
    baseline: str = ""


def clean_target(data: TargetInput, number: int | str = "") -> dict[str, Any]:
    """The model fields of a target, or ActionError naming the field; numbers checked by the rules core."""
    name = " ".join((data.name or "").split())
    if not name:
        raise ActionError("target_name_required", _("Chỉ tiêu %(n)s: chưa nhập tên.") % {"n": number})
    if len(name) > NAME_MAX:
        raise ActionError(
            "target_name_too_long",
            _("Chỉ tiêu %(n)s: tên dài %(length)s ký tự, tối đa %(max)s.")
            % {"n": number, "length": len(name), "max": NAME_MAX},
        )
    unit = (data.unit or "").strip()
    if len(unit) > UNIT_MAX:
        raise ActionError(
            "target_unit_too_long",
            _("Chỉ tiêu %(n)s: đơn vị dài quá %(max)s ký tự.") % {"n": number, "max": UNIT_MAX},
        )
    if data.area not in Area.values:
        raise ActionError(
            "bad_area", _("Chỉ tiêu %(n)s: không rõ lĩnh vực “%(a)s”.") % {"n": number, "a": data.area}
        )
    tid = str(number)
    try:
        kind = core.parse_kind(data.kind, tid)
        direction = core.parse_direction(data.direction, tid)
        mean = core.parse_mean(data.mean or core.Mean.COMPOUND.value, tid)
        target_value = (data.target_value or "").strip()
        core.parse_decimal(target_value, target=tid, field_name="chỉ tiêu đề ra")
        baseline = (data.baseline or "").strip()
        if baseline:
            base = core.parse_decimal(baseline, target=tid, field_name="giá trị năm gốc")
            if kind is core.Kind.GROWTH_AVG and base <= 0:
                raise core.TargetError("target_value_not_positive", target=tid, year="gốc", value=baseline)
    except RuleError as e:
        raise rule_error(e) from e
    return {
        "name": name,
        "unit": unit,
        "area": data.area,
        "kind": kind.value,
        "direction": direction.value,
        "mean": mean.value,
        "target_value": target_value,
        "baseline": baseline,
    }


def add_target(congress: Congress, actor: Actor, data: TargetInput) -> Target:
    """Append a target of this congress's resolution, for the congress's term."""
    with transaction.atomic():
        resolution = _lock(congress)
        _require_editable(resolution)
        number = (
            Target.objects.filter(congress=congress, is_review=False).aggregate(m=Max("number"))["m"] or 0
        ) + 1
        fields = clean_target(data, number)
        target = Target.objects.create(
            congress=congress,
            is_review=False,
            number=number,
            term_start=congress.term_start,
            term_end=congress.term_end,
            **fields,
        )
        audit.record(
            actor=actor.label,
            action="target.add",
            congress_id=congress.pk,
            obj=target,
            after=target_facts(target),
        )
    return target


def _own_target(congress: Congress, target_id: int, *, review: bool | None = None) -> Target:
    qs = Target.objects.select_for_update().filter(pk=target_id, congress=congress)
    if review is not None:
        qs = qs.filter(is_review=review)
    target = qs.first()
    if target is None:
        raise ActionError(
            "target_not_found", _("Không tìm thấy chỉ tiêu số %(id)s của đại hội này.") % {"id": target_id}
        )
    return target


def edit_target(congress: Congress, actor: Actor, target_id: int, data: TargetInput) -> Target:
    with transaction.atomic():
        resolution = _lock(congress)
        target = _own_target(congress, target_id)
        if not target.is_review:
            _require_editable(resolution)
        fields = clean_target(data, target.number)
        before = target_facts(target)
        for key, value in fields.items():
            setattr(target, key, value)
        target.save()
        audit.record(
            actor=actor.label,
            action="target.edit",
            congress_id=congress.pk,
            obj=target,
            before=before,
            after=target_facts(target),
        )
    return target


def delete_target(congress: Congress, actor: Actor, target_id: int) -> None:
    with transaction.atomic():
        resolution = _lock(congress)
        target = _own_target(congress, target_id)
        if not target.is_review:
            _require_editable(resolution)
        facts = target_facts(target)
        audit.record(
            actor=actor.label, action="target.delete", congress_id=congress.pk, obj=target, before=facts
        )
        target.delete()


def add_key_task(congress: Congress, actor: Actor, *, text: str, is_breakthrough: bool = False) -> KeyTask:
    text = _clean_text(text, _("Nhiệm vụ"), "task_too_long", 2000)
    if not text:
        raise ActionError("task_text_required", _("Chưa nhập nội dung nhiệm vụ."))
    with transaction.atomic():
        resolution = _lock(congress)
        _require_editable(resolution)
        number = (KeyTask.objects.filter(congress=congress).aggregate(m=Max("number"))["m"] or 0) + 1
        task = KeyTask.objects.create(
            congress=congress, number=number, text=text, is_breakthrough=is_breakthrough
        )
        audit.record(
            actor=actor.label,
            action="key_task.add",
            congress_id=congress.pk,
            obj=task,
            after={"number": number, "text": text, "is_breakthrough": is_breakthrough},
        )
    return task


def delete_key_task(congress: Congress, actor: Actor, task_id: int) -> None:
    with transaction.atomic():
        resolution = _lock(congress)
        _require_editable(resolution)
        task = KeyTask.objects.select_for_update().filter(pk=task_id, congress=congress).first()
        if task is None:
            raise ActionError("task_not_found", _("Không tìm thấy nhiệm vụ số %(id)s.") % {"id": task_id})
        audit.record(
            actor=actor.label,
            action="key_task.delete",
            congress_id=congress.pk,
            obj=task,
            before={"number": task.number, "text": task.text},
        )
        task.delete()


def propose_adoption(congress: Congress, actor: Actor, *, method: str = Motion.Method.ELECTRONIC) -> Motion:
    """A draft motion (kind `resolution`) to adopt the resolution; the presidium opens it on the motion page."""
    with transaction.atomic():
        resolution = _lock(congress)
        state = resolution_state(resolution)
        if state in (State.VOTING, State.ADOPTED) or (
            resolution.motion is not None and resolution.motion.status == Motion.Status.DRAFT
        ):
            raise ActionError(
                "adoption_already_proposed",
                _("Nghị quyết đã được đưa ra biểu quyết (“%(title)s”).") % {"title": resolution.motion.title},  # type: ignore[union-attr]
            )
        if not resolution.general_goal.strip():
            raise ActionError("goal_required", _("Nghị quyết chưa có mục tiêu tổng quát."))
        targets = Target.objects.filter(congress=congress, is_review=False).count()
        if targets == 0:
            raise ActionError("targets_required", _("Nghị quyết chưa có chỉ tiêu nào."))
        motion = motion_actions.create_motion(
            congress,
            actor=actor,
            title=_("Thông qua Nghị quyết Đại hội lần thứ %(ordinal)s, nhiệm kỳ %(term)s")
            % {"ordinal": roman(congress.ordinal), "term": congress.term},
            kind=Motion.Kind.RESOLUTION,
            method=method,
            payload={"resolution": resolution.pk, "targets": targets},
        )
        resolution.motion = motion
        resolution.save(update_fields=["motion", "updated_at"])
        audit.record(
            actor=actor.label,
            action="resolution.proposed",
            congress_id=congress.pk,
            obj=resolution,
            after={**resolution_facts(resolution), "motion": motion.pk},
        )
    return motion


# --- values per year --------------------------------------------------------------------------------


def _check_value(target: Target, year: int, value: str) -> str:
    value = (value or "").strip()
    term = target.term
    if not term.base < year <= term.end:
        raise ActionError(
            "year_outside_term",
            _("Chỉ tiêu %(n)s: năm %(year)s nằm ngoài các năm %(first)s–%(end)s của nhiệm kỳ.")
            % {"n": target.number, "year": year, "first": term.base + 1, "end": term.end},
            year=year,
        )
    try:
        parsed = core.parse_decimal(value, target=str(target.number), field_name=f"năm {year}")
        if target.kind == core.Kind.GROWTH_AVG and parsed <= 0:
            raise core.TargetError(
                "target_value_not_positive", target=str(target.number), year=year, value=value
            )
    except RuleError as e:
        raise rule_error(e) from e
    return value


def _require_following(target: Target) -> None:
    if target.is_review:
        return
    resolution = resolution_of(target.congress)
    if resolution_state(resolution) != State.ADOPTED:
        raise ActionError(
            "resolution_not_adopted",
            _("Chỉ nhập kết quả thực hiện sau khi đại hội thông qua nghị quyết."),
        )


def _write_value(target: Target, year: int, value: str, note: str, actor: Actor) -> TargetValue | None:
    existing = TargetValue.objects.select_for_update().filter(target=target, year=year).first()
    before = {"year": year, "value": existing.value, "note": existing.note} if existing else None
    if existing is not None and existing.value == value and existing.note == note:
        return existing
    row, _created = TargetValue.objects.update_or_create(
        target=target,
        year=year,
        defaults={"value": value, "note": note, "entered_by": actor.label, "entered_at": timezone.now()},
    )
    audit.record(
        actor=actor.label,
        action="target.value",
        congress_id=target.congress_id,
        obj=target,
        before=before,
        after={
            "number": target.number,
            "is_review": target.is_review,
            "year": year,
            "value": value,
            "note": note,
        },
    )
    return row


def record_value(
    target: Target, year: int, value: str, actor: Actor, *, note: str = ""
) -> TargetValue | None:
    """The achieved value of a target in a year of its term, with a note; audited; re-entering replaces."""
    value = _check_value(target, year, value)
    note = _clean_text(note, _("Ghi chú"), "note_too_long", NOTE_MAX)
    _require_following(target)
    with transaction.atomic():
        locked = Target.objects.select_for_update().get(pk=target.pk)
        return _write_value(locked, year, value, note, actor)


def record_year(
    congress: Congress, year: int, entries: dict[int, tuple[str, str]], actor: Actor, *, review: bool = False
) -> int:
    """Several targets' values for one year at once (target id → (value, note)); blank values are skipped;
    all or nothing. Returns how many values changed."""
    targets = {t.pk: t for t in Target.objects.filter(congress=congress, is_review=review)}
    checked: list[tuple[Target, str, str]] = []
    for target_id, (value, note) in entries.items():
        target = targets.get(target_id)
        if target is None:
            raise ActionError("target_not_found", _("Không tìm thấy chỉ tiêu số %(id)s.") % {"id": target_id})
        if not (value or "").strip():
            continue
        checked.append(
            (
                target,
                _check_value(target, year, value),
                _clean_text(note, _("Ghi chú"), "note_too_long", NOTE_MAX),
            )
        )
    if checked:
        _require_following(checked[0][0])
    changed = 0
    with transaction.atomic():
        for target, value, note in checked:
            locked = Target.objects.select_for_update().get(pk=target.pk)
            before = TargetValue.objects.filter(target=locked, year=year).values_list("value", "note").first()
            _write_value(locked, year, value, note, actor)
            changed += before != (value, note)
    return changed


# The review, the next congress and the news page live in `daihoi.term.review`; their names stay here.
from daihoi.term.review import (
    Line,
    judge_targets,
    news_page_of,
    own_targets,
    previous_congress,
    publish_news,
    review_targets,
    start_next_congress,
    take_review_from_previous,
)
