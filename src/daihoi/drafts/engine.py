"""The one place this app calls the pure engine `daihoi.synthesis` (owned by synth-core).

Imported lazily so the app's pages load even where the engine is absent; every call that needs it
goes through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from daihoi.congress.errors import ActionError


def _engine() -> Any:
    try:
        from daihoi import synthesis
    except ImportError as missing:  # pragma: no cover - the engine ships with daihoi
        raise ActionError("engine_missing", _("Chưa cài bộ tổng hợp ý kiến (daihoi.synthesis).")) from missing
    return synthesis


def kinds() -> tuple[str, ...]:
    return tuple(_engine().KINDS)


def parse_draft(filename: str, data: bytes) -> Any:
    """The engine's `Draft` of a .md or .docx file; an unreadable file is an ActionError naming the line."""
    engine = _engine()
    lower = filename.lower()
    try:
        if lower.endswith(".docx"):
            return engine.parse_docx(data, source=filename)
        if lower.endswith((".md", ".markdown", ".txt")):
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as bad:
                raise ActionError(
                    "not_utf8", _("Tệp “%(file)s” không phải văn bản UTF-8.") % {"file": filename}
                ) from bad
            return engine.parse_markdown(text, source=filename)
    except engine.SynthesisError as refused:
        raise _refused(refused) from refused
    raise ActionError(
        "bad_draft_type", _("Tệp “%(file)s”: chỉ nhận dự thảo dạng .docx hoặc .md.") % {"file": filename}
    )


def _refused(error: Any) -> ActionError:
    """The engine's coded error as the app's, naming the file and line."""
    return ActionError(error.code, f"{error.where()}: {error.message}", line=error.line)


def load_export(data: bytes, filename: str, *, sections: set[str]) -> list[Any]:
    """A lower level's synthesis export as weighted incoming comments (`load_synthesis_export`)."""
    engine = _engine()
    try:
        return list(engine.load_synthesis_export(data, filename, sections=sections))
    except engine.SynthesisError as refused:
        raise _refused(refused) from refused


def comment_in(
    *,
    id: str,
    unit: str,
    text: str,
    section: str | None = None,
    kind: str | None = None,
    weight_units: int = 1,
    weight_subunits: int = 0,
) -> Any:
    return _engine().CommentIn(
        id=id,
        unit=unit,
        text=text,
        section=section,
        kind=kind,
        weight_units=weight_units,
        weight_subunits=weight_subunits,
    )


def engine_draft(title: str, sections: Iterable[tuple[str, str, str, Sequence[str]]]) -> Any:
    """An engine `Draft` from stored sections: (key, part title, title, paragraphs)."""
    engine = _engine()
    rows = list(sections)
    parts: dict[str, list[str]] = {}
    for key, part, _title, _paragraphs in rows:
        parts.setdefault(part, []).append(key)
    return engine.Draft(
        title=title,
        parts=tuple(engine.DraftPart(title=p, section_ids=tuple(ids)) for p, ids in parts.items()),
        sections=tuple(
            engine.DraftSection(id=key, part=part, title=title_, paragraphs=tuple(paragraphs))
            for key, part, title_, paragraphs in rows
        ),
    )


def synthesize(draft: Any, comments: Sequence[Any], *, lexical: bool = False) -> Any:
    """The engine's first draft; `lexical` leaves the embedding model out (the demo's seeding, where a
    model load would cost seconds on every load)."""
    if lexical:
        return _engine().synthesize(draft, comments, use_default_embedder=False)
    return _engine().synthesize(draft, comments)


def count_units(comments: Sequence[Any]) -> tuple[int, tuple[str, ...], int]:
    units, names, subunits = _engine().count_units(comments)
    return int(units), tuple(names), int(subunits)
