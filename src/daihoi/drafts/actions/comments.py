"""Comments from every source, private notes, and the units' token links.

Every comment is created by `_create` (one audit entry each, or one per imported file); its
`original_text` is never changed. `correct_comment` changes `text` with the before and after audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate, Organization, SpeakerRequest
from daihoi.drafts.models import Comment, DraftDocument, Kind, Note, Section, UnitLink

TEXT_MAX = 5000
NOTE_MAX = 5000


def comment_facts(c: Comment) -> dict[str, Any]:
    return {
        "draft": c.draft_id,
        "section": c.section.key if c.section_id and c.section else None,
        "kind": c.kind,
        "text": c.text,
        "source": c.source,
        "unit": c.unit_name,
        "delegate": c.delegate.number if c.delegate_id and c.delegate else None,
        "speaker_request": c.speaker_request_id,
        "weight_units": c.weight_units,
        "weight_subunits": c.weight_subunits,
    }


def clean_text(text: str, *, field: str = "text", limit: int = TEXT_MAX) -> str:
    text = "\n".join(" ".join(line.split()) for line in (text or "").strip().splitlines()).strip()
    if not text:
        raise ActionError("text_required", _("Cần nhập nội dung góp ý."), field=field)
    if len(text) > limit:
        raise ActionError(
            "text_too_long",
            _("Nội dung dài %(length)s ký tự, tối đa %(max)s.") % {"length": len(text), "max": limit},
            field=field,
        )
    return text


def clean_kind(kind: str | None) -> str:
    kind = (kind or "").strip()
    if kind and kind not in Kind.values:
        raise ActionError("bad_kind", _("Không rõ loại ý kiến “%(kind)s”.") % {"kind": kind}, field="kind")
    return kind


def current_section(draft: DraftDocument, section: Section | int | str | None) -> Section | None:
    """The current version's section given by object, id or key; None for none."""
    if section in (None, ""):
        return None
    if isinstance(section, Section):
        found: Section | None = section if section.draft_id == draft.pk else None
    elif isinstance(section, int) or (isinstance(section, str) and section.isdigit()):
        found = Section.objects.filter(draft=draft, pk=int(section)).first()
    else:
        found = draft.current_sections().filter(key=section).first()
    if found is None or found.version != draft.version:
        raise ActionError(
            "unknown_section",
            _("Mục “%(section)s” không có trong dự thảo “%(draft)s”.")
            % {"section": section, "draft": draft.title},
            field="section",
        )
    return found


def new_comment(draft: DraftDocument, actor: Actor, *, text: str, source: str, **fields: Any) -> Comment:
    """An unsaved, checked comment (the caller saves and audits it inside its transaction)."""
    text = clean_text(text)
    return Comment(
        congress_id=draft.congress_id,
        draft=draft,
        text=text,
        original_text=text,
        source=source,
        created_by=actor.label,
        **fields,
    )


def _create(draft: DraftDocument, actor: Actor, action: str, **fields: Any) -> Comment:
    comment = new_comment(draft, actor, **fields)
    with transaction.atomic():
        comment.save()
        audit.record(
            actor=actor.label,
            action=action,
            congress_id=draft.congress_id,
            obj=comment,
            after=comment_facts(comment),
        )
    return comment


def delegate_comment(
    draft: DraftDocument, delegate: Delegate, actor: Actor, *, section: Any, kind: str, text: str
) -> Comment:
    """A delegate comments on a section from the phone, choosing a kind."""
    if delegate.congress_id != draft.congress_id:
        raise ActionError("wrong_congress", _("Dự thảo này thuộc đại hội khác."))
    if not kind:
        raise ActionError("kind_required", _("Xin chọn loại ý kiến."), field="kind")
    return _create(
        draft,
        actor,
        "comment.phone",
        section=current_section(draft, section),
        kind=clean_kind(kind),
        text=text,
        source=Comment.Source.PHONE,
        delegate=delegate,
    )


def floor_comment(
    draft: DraftDocument,
    actor: Actor,
    *,
    speaker_request: SpeakerRequest,
    section: Any = None,
    kind: str = "",
    text: str,
) -> Comment:
    """What a speaker said from the floor, typed by the secretariat, linked to the speaker-list entry."""
    if speaker_request.congress_id != draft.congress_id:
        raise ActionError("wrong_congress", _("Lượt phát biểu này thuộc đại hội khác."))
    delegate = speaker_request.delegate
    return _create(
        draft,
        actor,
        "comment.floor",
        section=current_section(draft, section),
        kind=clean_kind(kind),
        text=text,
        source=Comment.Source.FLOOR,
        delegate=delegate,
        speaker_request=speaker_request,
    )


def correct_comment(comment: Comment, actor: Actor, *, text: str) -> Comment:
    """Correct a comment's text (a typing error); the original stays and the change is audited."""
    text = clean_text(text)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        before = comment_facts(comment)
        comment.text = text
        comment.save(update_fields=["text"])
        audit.record(
            actor=actor.label,
            action="comment.corrected",
            congress_id=comment.congress_id,
            obj=comment,
            before=before,
            after=comment_facts(comment),
        )
    return comment


def save_note(delegate: Delegate, section: Section, actor: Actor, *, text: str) -> Note | None:
    """A delegate's private note on a section; an empty text deletes it. The audit records only its size."""
    text = (text or "").strip()
    if len(text) > NOTE_MAX:
        raise ActionError(
            "text_too_long",
            _("Ghi chú dài %(length)s ký tự, tối đa %(max)s.") % {"length": len(text), "max": NOTE_MAX},
        )
    with transaction.atomic():
        note = Note.objects.select_for_update().filter(delegate=delegate, section=section).first()
        if not text:
            if note is not None:
                audit.record(
                    actor=actor.label,
                    action="note.deleted",
                    congress_id=delegate.congress_id,
                    obj=note,
                    before={"section": section.key, "length": len(note.text)},
                )
                note.delete()
            return None
        if note is None:
            note = Note(delegate=delegate, section=section)
        note.text = text
        note.save()
        audit.record(
            actor=actor.label,
            action="note.saved",
            congress_id=delegate.congress_id,
            obj=note,
            after={"section": section.key, "length": len(text)},
        )
    return note


# Unit links --------------------------------------------------------------------------------------------


def unit_links_for_cells(congress: Congress, actor: Actor) -> list[UnitLink]:
    """One token link per cell of the congress's organization (existing links are kept)."""
    with transaction.atomic():
        Congress.objects.select_for_update().get(pk=congress.pk)
        existing = set(UnitLink.objects.filter(congress=congress).values_list("unit_id", flat=True))
        made = []
        for unit in Organization.objects.filter(parent=congress.organization).order_by("order", "name"):
            if unit.pk in existing:
                continue
            link = UnitLink.objects.create(congress=congress, unit=unit, unit_name=unit.name)
            made.append(link)
        if made:
            audit.record(
                actor=actor.label,
                action="unit_links.created",
                congress_id=congress.pk,
                obj=congress,
                after={"units": [link.unit_name for link in made]},
            )
    return made


def revoke_unit_link(link: UnitLink, actor: Actor) -> UnitLink:
    with transaction.atomic():
        link = UnitLink.objects.select_for_update().get(pk=link.pk)
        link.is_revoked = True
        link.save(update_fields=["is_revoked"])
        audit.record(
            actor=actor.label,
            action="unit_link.revoked",
            congress_id=link.congress_id,
            obj=link,
            after={"unit": link.unit_name},
        )
    return link


@dataclass(frozen=True)
class Entry:
    section: str  # section id (pk) or key, or "" for none
    kind: str
    text: str


def unit_form_comments(link: UnitLink, draft: DraftDocument, entries: list[Entry]) -> list[Comment]:
    """A unit's secretary sends the unit's comments through its token link (all or none)."""
    if link.is_revoked:
        raise ActionError("link_revoked", _("Đường dẫn góp ý của đơn vị này đã bị thu hồi."))
    if draft.congress_id != link.congress_id:
        raise ActionError("wrong_congress", _("Dự thảo này thuộc đại hội khác."))
    if link.congress.state == Congress.State.CLOSED:
        raise ActionError(
            "congress_closed", _("Đại hội đã bế mạc; không nhận thêm ý kiến qua đường dẫn này.")
        )
    actor_label = f"unit_link:{link.pk}"
    actor = _LinkActor(actor_label)
    filled = [e for e in entries if e.text.strip()]
    if not filled:
        raise ActionError("text_required", _("Cần nhập ít nhất một ý kiến góp ý."))
    comments = [
        new_comment(
            draft,
            actor,  # type: ignore[arg-type]
            text=e.text,
            source=Comment.Source.UNIT_FORM,
            section=current_section(draft, e.section),
            kind=clean_kind(e.kind),
            unit=link.unit,
            unit_name=link.unit_name,
            batch=f"form:{link.unit_name}",
        )
        for e in filled
    ]
    with transaction.atomic():
        Comment.objects.bulk_create(comments)
        audit.record(
            actor=actor_label,
            action="comment.unit_form",
            congress_id=draft.congress_id,
            obj=draft,
            after={"unit": link.unit_name, "comments": [comment_facts(c) for c in comments]},
        )
    return comments


@dataclass(frozen=True)
class _LinkActor:
    label: str
