"""The engine's value types, its coded errors and the one rule for counting units."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS: tuple[str, ...] = ("agree", "amend", "add", "remove", "other")

# code -> (Vietnamese template, English template), str.format with the params.
MESSAGES: Mapping[str, tuple[str, str]] = {
    "no_sections": (
        "Dự thảo không có mục nào (tiêu đề cấp 2)",
        "the draft has no sections (level-2 headings)",
    ),
    "empty_heading": ("Tiêu đề trống", "empty heading"),
    "bad_section_id": (
        "Mã mục “{id}” không hợp lệ (chỉ chữ, số, - và _)",
        'section id "{id}" is not valid (letters, digits, - and _ only)',
    ),
    "duplicate_section": ("Mã mục “{id}” bị trùng", 'section id "{id}" is used twice'),
    "bad_docx": ("Không đọc được tệp Word ({reason})", "not a readable Word file ({reason})"),
    "not_utf8": ("Tệp không phải văn bản UTF-8", "not valid UTF-8"),
    "bad_csv": ("CSV không hợp lệ ({reason})", "not valid CSV ({reason})"),
    "bad_header": (
        "Dòng tiêu đề phải là {expected} (đang là {found})",
        "the header must be {expected} (found {found})",
    ),
    "bad_row": ("Dòng có {found} cột, cần {expected}", "the row has {found} columns, {expected} expected"),
    "empty_field": ("Cột “{field}” trống", 'the "{field}" column is empty'),
    "duplicate_comment": ("Mã ý kiến “{id}” bị trùng", 'comment id "{id}" is used twice'),
    "unknown_section": (
        "“{section}” không phải là mục của dự thảo",
        'section "{section}" is not a section of the draft',
    ),
    "unknown_kind": (
        "Loại ý kiến “{kind}” không hợp lệ (có: {known})",
        'kind "{kind}" is not one of {known}',
    ),
    "no_comments": ("Không có ý kiến nào", "there are no comments"),
    "bad_json": ("JSON không hợp lệ ({reason})", "not valid JSON ({reason})"),
    "bad_export": (
        "Tệp tổng hợp không đúng định dạng: {reason}",
        "not a synthesis export: {reason}",
    ),
    "bad_weight": (
        "Trọng số phải là số nguyên ≥ {minimum} ({value})",
        "weight must be an integer ≥ {minimum} ({value})",
    ),
}


class SynthesisError(Exception):
    """Unusable input. `code` is stable (tests assert it); `line` is 1-based where known."""

    def __init__(
        self, code: str, /, *, line: int | None = None, source: str | None = None, **params: Any
    ) -> None:
        vi, en = MESSAGES[code]
        self.code = code
        self.line = line
        self.source = source
        self.params: dict[str, Any] = params
        self.message = vi.format(**params)
        self.message_en = en.format(**params)
        super().__init__(self.message)

    def where(self) -> str:
        """`file:line` (or just the file) for one-line error reports."""
        src = self.source or "input"
        return f"{src}:{self.line}" if self.line is not None else src


@dataclass(frozen=True)
class DraftSection:
    id: str
    part: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class DraftPart:
    title: str
    section_ids: tuple[str, ...]


@dataclass(frozen=True)
class Draft:
    title: str
    parts: tuple[DraftPart, ...]
    sections: tuple[DraftSection, ...]

    def section(self, section_id: str) -> DraftSection:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)


@dataclass(frozen=True)
class CommentIn:
    """One comment. For an incoming upper-level point (`load_synthesis_export`), `unit` is the
    lower organization and `weight_units`/`weight_subunits` the units that stood behind it there."""

    id: str
    unit: str
    text: str
    section: str | None = None
    kind: str | None = None
    weight_units: int = 1
    weight_subunits: int = 0


@dataclass(frozen=True)
class Group:
    section: str
    kind: str
    summary: str
    comments: tuple[str, ...]
    units: int
    unit_names: tuple[str, ...]
    subunits: int = 0


@dataclass(frozen=True)
class Synthesis:
    sections: tuple[tuple[str, tuple[Group, ...]], ...]
    agreements: tuple[str, ...]
    section_of: dict[str, str] = field(default_factory=dict)
    kind_of: dict[str, str] = field(default_factory=dict)
    agreement_units: int = 0

    def groups(self) -> tuple[Group, ...]:
        return tuple(g for _, gs in self.sections for g in gs)

    def to_contract_json(self, draft: Draft) -> dict[str, Any]:
        """Exactly the JSON of shared/rules/synthesis-format.md."""
        titles = {s.id: s.title for s in draft.sections}
        return {
            "sections": [
                {
                    "section": sid,
                    "title": titles.get(sid, sid),
                    "groups": [
                        {"comments": list(g.comments), "units": g.units, "kind": g.kind, "summary": g.summary}
                        for g in groups
                    ],
                }
                for sid, groups in self.sections
            ],
            "agreements": list(self.agreements),
        }

    def to_export_json(self, draft: Draft, *, unit: str) -> dict[str, Any]:
        """The machine-readable export sent up a level (see `daihoi.synthesis.export`)."""
        data = self.to_contract_json(draft)
        data["unit"] = unit
        data["draft"] = draft.title
        by_section = dict(self.sections)
        for sec in data["sections"]:
            for out, g in zip(sec["groups"], by_section[sec["section"]], strict=True):
                out["unit_names"] = list(g.unit_names)
                out["subunits"] = g.subunits
        data["agreement_units"] = self.agreement_units
        return data


def count_units(comments: Iterable[CommentIn]) -> tuple[int, tuple[str, ...], int]:
    """(distinct units, their names sorted, subunits): a unit that sends the same point twice counts
    once, and its subunits count once too (the largest weight it sent)."""
    best: dict[str, int] = {}
    for c in comments:
        best[c.unit] = max(best.get(c.unit, 0), c.weight_subunits)
    names = tuple(sorted(best))
    return len(names), names, sum(best.values())
