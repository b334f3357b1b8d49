"""Import a draft (.docx or .md) and its new versions.

A new version keeps the comments (and notes, and synthesis groups) of every section whose key and text
did not change; the comments of a changed or removed section stay on the old version's section and
are flagged `is_on_changed_section`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.drafts import engine
from daihoi.drafts.models import Comment, DraftDocument, Group, Note, Part, Section

MAX_FILE_BYTES = 10 * 1024 * 1024
TITLE_MAX = 300


def text_hash(title: str, paragraphs: list[str] | tuple[str, ...]) -> str:
    body = "\n".join([" ".join(title.split()), *(" ".join(p.split()) for p in paragraphs)])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def draft_facts(draft: DraftDocument) -> dict[str, Any]:
    return {
        "title": draft.title,
        "kind": draft.kind,
        "version": draft.version,
        "source": draft.source_name,
        "sections": list(draft.current_sections().values_list("key", flat=True)),
    }


def _write_version(draft: DraftDocument, parsed: Any) -> list[Section]:
    parts = Part.objects.bulk_create(
        [
            Part(draft=draft, version=draft.version, order=order, title=p.title)
            for order, p in enumerate(parsed.parts)
        ]
    )
    part_of = {p.title: p for p in parts}
    return Section.objects.bulk_create(
        [
            Section(
                draft=draft,
                part=part_of.get(s.part),
                version=draft.version,
                order=order,
                key=s.id,
                title=s.title,
                paragraphs=list(s.paragraphs),
                text_hash=text_hash(s.title, s.paragraphs),
            )
            for order, s in enumerate(parsed.sections)
        ]
    )


def _check(congress: Congress, filename: str, data: bytes) -> Any:
    if not data:
        raise ActionError("empty_file", _("Tệp “%(file)s” rỗng.") % {"file": filename})
    if len(data) > MAX_FILE_BYTES:
        raise ActionError(
            "file_too_large",
            _("Tệp “%(file)s” quá giới hạn %(limit)s MB.")
            % {"file": filename, "limit": MAX_FILE_BYTES >> 20},
        )
    parsed = engine.parse_draft(filename, data)
    if not parsed.sections:
        raise ActionError(
            "no_sections",
            _("Tệp “%(file)s” không có mục nào (tiêu đề cấp 2, “## 1. …”).") % {"file": filename},
        )
    return parsed


def import_draft(
    congress: Congress, actor: Actor, *, filename: str, data: bytes, kind: str, title: str = ""
) -> DraftDocument:
    """A new draft of the congress from a .docx or .md file, split into parts and sections."""
    if kind not in DraftDocument.DraftKind.values:
        raise ActionError("bad_kind", _("Không rõ loại dự thảo “%(kind)s”.") % {"kind": kind})
    with transaction.atomic():
        Congress.objects.select_for_update().get(pk=congress.pk)
        draft = write_draft(congress, filename=filename, data=data, kind=kind, title=title)
        audit.record(
            actor=actor.label,
            action="draft.imported",
            congress_id=congress.pk,
            obj=draft,
            after=draft_facts(draft),
        )
    return draft


def write_draft(
    congress: Congress, *, filename: str, data: bytes, kind: str, title: str = ""
) -> DraftDocument:
    """Parse and store a draft; the caller holds the transaction and writes the audit entry."""
    parsed = _check(congress, filename, data)
    title = " ".join((title or parsed.title or filename).split())[:TITLE_MAX]
    draft = DraftDocument.objects.create(
        congress=congress, title=title, kind=kind, version=1, source_name=filename, source_file=data
    )
    _write_version(draft, parsed)
    return draft


def import_new_version(draft: DraftDocument, actor: Actor, *, filename: str, data: bytes) -> dict[str, int]:
    """Replace the draft's text by a new version; returns how many comments were kept and flagged."""
    parsed = _check(draft.congress, filename, data)
    with transaction.atomic():
        draft = DraftDocument.objects.select_for_update().get(pk=draft.pk)
        before = draft_facts(draft)
        old = {s.key: s for s in draft.current_sections()}
        draft.version += 1
        draft.source_name, draft.source_file = filename, data
        draft.save(update_fields=["version", "source_name", "source_file", "updated_at"])
        new = {s.key: s for s in _write_version(draft, parsed)}
        kept = flagged = 0
        for key, section in old.items():
            same = new.get(key)
            comments = Comment.objects.filter(section=section)
            if same is not None and same.text_hash == section.text_hash:
                kept += comments.update(section=same)
                Note.objects.filter(section=section).update(section=same)
                Group.objects.filter(section=section).update(section=same)
            else:
                flagged += comments.update(is_on_changed_section=True)
        after = draft_facts(draft) | {"comments_kept": kept, "comments_on_changed_sections": flagged}
        audit.record(
            actor=actor.label,
            action="draft.new_version",
            congress_id=draft.congress_id,
            obj=draft,
            before=before,
            after=after,
        )
    return {"kept": kept, "flagged": flagged}


LINE_WIDTH = 80  # OpenSlides' default line length


def wrap(text: str, width: int = LINE_WIDTH) -> list[str]:
    """Break a paragraph into lines of at most `width` characters at spaces (a longer word stands alone)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def numbered(sections: list[Section]) -> list[tuple[Section, list[list[tuple[int, str]]]]]:
    """Each section's paragraphs as numbered lines; numbering runs through the whole draft (OpenSlides)."""
    n = 0
    out = []
    for section in sections:
        paragraphs = []
        for paragraph in section.paragraphs:
            lines = []
            for line in wrap(paragraph):
                n += 1
                lines.append((n, line))
            paragraphs.append(lines)
        out.append((section, paragraphs))
    return out
