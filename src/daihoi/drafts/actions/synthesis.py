"""The working synthesis: the engine's first draft stored as groups, then the secretariat's edits.

Every edit is one action: it locks the synthesis, changes the groups, recounts the groups it touched
with `daihoi.synthesis.count_units` (the one home of "distinct units"), and appends an audit entry.
Once the congress has a motion approving the report, the synthesis is frozen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.drafts import engine
from daihoi.drafts.models import Comment, DraftDocument, Group, Kind, Placement, Section, Synthesis

SUMMARY_MAX = 3000
RESPONSE_MAX = 3000


def engine_id(comment: Comment) -> str:
    return f"c{comment.pk}"


def comment_in(comment: Comment) -> Any:
    return engine.comment_in(
        id=engine_id(comment),
        unit=comment.sender,
        text=comment.text,
        section=comment.section.key if comment.section_id and comment.section else None,
        kind=comment.kind or None,
        weight_units=comment.weight_units,
        weight_subunits=comment.weight_subunits,
    )


def group_facts(g: Group) -> dict[str, Any]:
    return {
        "section": g.section.key if g.section_id and g.section else None,
        "kind": g.kind,
        "summary": g.summary,
        "status": g.status,
        "response": g.response,
        "units": g.units,
        "subunits": g.subunits,
        "comments": sorted(g.placements.values_list("comment_id", flat=True)),
    }


def comments_of(draft: DraftDocument) -> list[Comment]:
    """The comments a synthesis counts: on the current version, or not yet on a section."""
    return list(
        Comment.objects.filter(draft=draft, is_on_changed_section=False)
        .select_related("section", "delegate")
        .order_by("pk")
    )


def recount(groups: Iterable[Group]) -> None:
    for group in groups:
        members = [
            p.comment
            for p in Placement.objects.filter(group=group).select_related(
                "comment__section", "comment__delegate"
            )
        ]
        units, names, subunits = engine.count_units([comment_in(c) for c in members])
        group.units, group.unit_names, group.subunits = units, list(names), subunits
        group.save(update_fields=["units", "unit_names", "subunits"])


def make_first_draft(draft: DraftDocument, actor: Actor) -> Synthesis:
    """Run the engine on every comment of the draft and store its groups (replacing an unapproved draft)."""
    with transaction.atomic():
        synthesis, facts = store_first_draft(draft, actor)
        audit.record(
            actor=actor.label,
            action="synthesis.first_draft",
            congress_id=draft.congress_id,
            obj=synthesis,
            after=facts,
        )
    return synthesis


def store_first_draft(
    draft: DraftDocument, actor: Actor, *, lexical: bool = False
) -> tuple[Synthesis, dict[str, int]]:
    """The engine's first draft stored as groups; the caller holds the transaction and audits."""
    comments = comments_of(draft)
    if not comments:
        raise ActionError(
            "no_comments", _("Dự thảo “%(draft)s” chưa có ý kiến góp ý nào.") % {"draft": draft.title}
        )
    sections = list(draft.current_sections().select_related("part"))
    engine_draft = engine.engine_draft(
        draft.title, [(s.key, s.part.title if s.part else "", s.title, s.paragraphs) for s in sections]
    )
    result = engine.synthesize(engine_draft, [comment_in(c) for c in comments], lexical=lexical)
    by_id = {engine_id(c): c for c in comments}
    by_key = {s.key: s for s in sections}
    draft = DraftDocument.objects.select_for_update().get(pk=draft.pk)
    synthesis = Synthesis.objects.filter(draft=draft).first()
    if synthesis is not None:
        _require_editable(synthesis)
        synthesis.groups.all().delete()
        synthesis.placements.all().delete()
        synthesis.made_at, synthesis.made_by = timezone.now(), actor.label
        synthesis.save(update_fields=["made_at", "made_by"])
    else:
        synthesis = Synthesis.objects.create(draft=draft, made_at=timezone.now(), made_by=actor.label)
    found = [g for _key, groups_of_section in result.sections for g in groups_of_section]
    groups = Group.objects.bulk_create(
        [
            Group(
                synthesis=synthesis,
                section=by_key.get(g.section),
                kind=g.kind if g.kind in Kind.values else Kind.OTHER,
                summary=g.summary,
                units=g.units,
                unit_names=list(g.unit_names),
                subunits=g.subunits,
            )
            for g in found
        ]
    )
    placements = [Placement(synthesis=synthesis, comment=by_id[cid], group=None) for cid in result.agreements]
    for group, g in zip(groups, found, strict=True):
        placements += [Placement(synthesis=synthesis, comment=by_id[cid], group=group) for cid in g.comments]
    if len(placements) != len(comments) or len({p.comment.pk for p in placements}) != len(comments):
        raise ActionError(
            "engine_lost_comments",
            _("Bộ tổng hợp trả về %(got)s ý kiến, dự thảo có %(want)s.")
            % {"got": len(placements), "want": len(comments)},
        )
    Placement.objects.bulk_create(placements)
    return synthesis, {"comments": len(comments), "groups": len(groups), "agreements": len(result.agreements)}


def _require_editable(synthesis: Synthesis) -> None:
    if synthesis.motion_id is not None:
        raise ActionError(
            "synthesis_frozen",
            _("Báo cáo tổng hợp đã được đưa ra đại hội biểu quyết; không sửa được nữa."),
        )


def _lock(synthesis: Synthesis) -> Synthesis:
    synthesis = Synthesis.objects.select_for_update().select_related("draft").get(pk=synthesis.pk)
    _require_editable(synthesis)
    return synthesis


def _group(synthesis: Synthesis, group_id: int | str) -> Group:
    group = (
        Group.objects.select_related("section")
        .filter(synthesis=synthesis, pk=int(group_id) if str(group_id).isdigit() else -1)
        .first()
    )
    if group is None:
        raise ActionError("group_not_found", _("Không tìm thấy nhóm ý kiến số %(id)s.") % {"id": group_id})
    return group


def _record(synthesis: Synthesis, actor: Actor, action: str, before: Any, after: Any) -> None:
    audit.record(
        actor=actor.label,
        action=f"synthesis.{action}",
        congress_id=synthesis.draft.congress_id,
        obj=synthesis,
        before=before,
        after=after,
    )


def _drop_if_empty(group: Group) -> bool:
    if not group.placements.exists():
        group.delete()
        return True
    return False


def move_comment(
    synthesis: Synthesis, actor: Actor, *, comment_id: int, to_group: int | str | None = None,
    to_section: int | str | None = None,
) -> Group:  # fmt: skip
    """Move one comment into another group, or into a new group of its own under a section."""
    with transaction.atomic():
        synthesis = _lock(synthesis)
        placement = (
            Placement.objects.select_related("comment", "group")
            .filter(synthesis=synthesis, comment_id=comment_id)
            .first()
        )
        if placement is None:
            raise ActionError("comment_not_found", _("Không tìm thấy ý kiến số %(id)s.") % {"id": comment_id})
        source = placement.group
        before = {"comment": comment_id, "group": source.pk if source else None}
        if to_group not in (None, ""):
            target = _group(synthesis, to_group)  # type: ignore[arg-type]
        else:
            section = Section.objects.filter(
                draft=synthesis.draft, version=synthesis.draft.version, pk=int(to_section or -1)
            ).first()
            if section is None:
                raise ActionError("unknown_section", _("Chọn nhóm hoặc mục để chuyển ý kiến đến."))
            target = Group.objects.create(
                synthesis=synthesis,
                section=section,
                kind=placement.comment.kind
                if placement.comment.kind in Kind.values and placement.comment.kind != Kind.AGREE
                else Kind.OTHER,
                summary=placement.comment.text,
            )
        if source is not None and source.pk == target.pk:
            raise ActionError("same_group", _("Ý kiến đã ở trong nhóm này."))
        placement.group = target
        placement.save(update_fields=["group"])
        recount([target])
        if source is not None and not _drop_if_empty(source):
            recount([source])
        _record(synthesis, actor, "comment_moved", before, {"comment": comment_id, "group": target.pk})
    return target


def merge_groups(synthesis: Synthesis, actor: Actor, *, group_ids: Sequence[int | str]) -> Group:
    """Merge groups into the first one named (its section, kind and wording are kept)."""
    ids = list(dict.fromkeys(str(g) for g in group_ids))
    if len(ids) < 2:
        raise ActionError("merge_needs_two", _("Chọn ít nhất hai nhóm để gộp."))
    with transaction.atomic():
        synthesis = _lock(synthesis)
        groups = [_group(synthesis, g) for g in ids]
        into, rest = groups[0], groups[1:]
        before = [group_facts(g) for g in groups]
        Placement.objects.filter(group__in=rest).update(group=into)
        for g in rest:
            g.delete()
        recount([into])
        _record(synthesis, actor, "groups_merged", before, group_facts(into))
    return into


def split_group(
    synthesis: Synthesis, actor: Actor, *, group_id: int | str, comment_ids: Sequence[int]
) -> Group:
    """Take some comments out of a group into a new group of the same section and kind."""
    with transaction.atomic():
        synthesis = _lock(synthesis)
        group = _group(synthesis, group_id)
        chosen = Placement.objects.filter(group=group, comment_id__in=list(comment_ids))
        count, total = chosen.count(), group.placements.count()
        if count == 0 or count == total:
            raise ActionError(
                "split_needs_some",
                _("Chọn một phần (không phải tất cả) ý kiến của nhóm để tách: đã chọn %(count)s/%(total)s.")
                % {"count": count, "total": total},
            )
        first = chosen.select_related("comment").order_by("comment_id").first()
        new = Group.objects.create(
            synthesis=synthesis,
            section=group.section,
            kind=group.kind,
            summary=first.comment.text if first else group.summary,
        )
        before = group_facts(group)
        chosen.update(group=new)
        recount([group, new])
        _record(synthesis, actor, "group_split", before, [group_facts(group), group_facts(new)])
    return new


def edit_group(
    synthesis: Synthesis, actor: Actor, *, group_id: int | str, summary: str | None = None,
    status: str | None = None, response: str | None = None, kind: str | None = None,
) -> Group:  # fmt: skip
    """Rewrite a group's wording, kind, status (taken in / explained / left out) or response."""
    with transaction.atomic():
        synthesis = _lock(synthesis)
        group = _group(synthesis, group_id)
        before = group_facts(group)
        if summary is not None:
            summary = " ".join(summary.split())
            if not summary:
                raise ActionError("summary_required", _("Cần nhập nội dung tổng hợp của nhóm."))
            if len(summary) > SUMMARY_MAX:
                raise ActionError(
                    "text_too_long", _("Nội dung tổng hợp quá %(max)s ký tự.") % {"max": SUMMARY_MAX}
                )
            group.summary = summary
        if status is not None:
            if status not in Group.Status.values:
                raise ActionError("bad_status", _("Không rõ cách xử lý “%(status)s”.") % {"status": status})
            group.status = status
        if response is not None:
            if len(response) > RESPONSE_MAX:
                raise ActionError(
                    "text_too_long", _("Ý kiến giải trình quá %(max)s ký tự.") % {"max": RESPONSE_MAX}
                )
            group.response = response.strip()
        if kind is not None:
            if kind not in Kind.values or kind == Kind.AGREE:
                raise ActionError("bad_kind", _("Không rõ loại ý kiến “%(kind)s”.") % {"kind": kind})
            group.kind = kind
        if group.status in (Group.Status.EXPLAINED, Group.Status.LEFT_OUT) and not group.response:
            raise ActionError(
                "response_required",
                _("Ý kiến giải trình hoặc không tiếp thu cần có câu trả lời của Đoàn Thư ký."),
            )
        group.save()
        _record(synthesis, actor, "group_edited", before, group_facts(group))
    return group


def propose_approval(synthesis: Synthesis, actor: Actor) -> Any:
    """A motion of the congress approving the synthesis report (the existing motion machinery)."""
    from daihoi.voting.actions.motions import create_motion
    from daihoi.voting.models import Motion

    with transaction.atomic():
        synthesis = _lock(synthesis)
        if synthesis.groups.filter(status=Group.Status.OPEN).exists():
            open_groups = synthesis.groups.filter(status=Group.Status.OPEN).count()
            raise ActionError(
                "groups_open",
                _("Còn %(count)s nhóm ý kiến chưa xử lý (tiếp thu, giải trình hoặc không tiếp thu).")
                % {"count": open_groups},
            )
        motion = create_motion(
            synthesis.draft.congress,
            actor=actor,
            title=_("Thông qua Báo cáo tổng hợp ý kiến góp ý vào %(draft)s")
            % {"draft": synthesis.draft.title},
            kind=Motion.Kind.OTHER,
            payload={"synthesis": synthesis.pk, "draft": synthesis.draft_id},
        )
        synthesis.motion = motion
        synthesis.save(update_fields=["motion"])
        _record(synthesis, actor, "approval_proposed", None, {"motion": motion.pk})
    return motion
