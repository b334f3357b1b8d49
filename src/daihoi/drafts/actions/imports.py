"""Import comment files: Excel (.xlsx), CSV, or Word (.docx) forms in the common layout — a table whose
header names the section ("Mục"), the comment ("Nội dung góp ý") and the unit ("Đơn vị"), and
optionally the kind ("Loại ý kiến").

All rows are imported or none: a file with any bad row writes nothing and the report names each row.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor
from daihoi.congress.actions.roll import RowProblem
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Organization
from daihoi.congress.names import search_key
from daihoi.drafts.actions.comments import TEXT_MAX, comment_facts, new_comment
from daihoi.drafts.models import Comment, DraftDocument, Kind, Section

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10

# Column key -> the header texts that name it (compared without diacritics, case or spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "section": ("muc", "section", "phan muc", "muc du thao", "so muc"),
    "text": ("noi dung gop y", "noi dung", "y kien", "y kien gop y", "gop y", "comment", "text"),
    "unit": ("don vi", "unit", "chi bo", "don vi gop y", "to chuc"),
    "kind": ("loai y kien", "loai", "kind", "hinh thuc"),
}
REQUIRED = ("text", "unit")
KIND_WORDS: dict[str, str] = {
    **{k: k for k in Kind.values},
    "tan thanh": "agree",
    "thong nhat": "agree",
    "dong y": "agree",
    "sua doi": "amend",
    "sua": "amend",
    "bo sung": "add",
    "them": "add",
    "bo": "remove",
    "luoc bo": "remove",
    "khac": "other",
    "y kien khac": "other",
}


def _key(value: Any) -> str:
    return " ".join(search_key(str(value or "")).replace(":", " ").replace("*", " ").split())


HEADER_KEYS = {_key(text): column for column, texts in COLUMNS.items() for text in texts}


@dataclass
class CommentImportReport:
    """What a comment file held. With any problem, nothing was written."""

    filename: str
    rows: int = 0
    created: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}


def _refuse(code: str, message: str) -> ActionError:
    return ActionError(code, message)


def _rows(filename: str, data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # a damaged file raises many kinds; all mean the same
            raise _refuse(
                "corrupt_file", _("Không đọc được tệp Excel “%(name)s”.") % {"name": filename}
            ) from error
        yield from enumerate(book.worksheets[0].iter_rows(values_only=True), start=1)
        book.close()
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _refuse(
                "not_utf8", _("Tệp CSV “%(name)s” không dùng mã UTF-8.") % {"name": filename}
            ) from error
        try:
            dialect: Any = csv.Sniffer().sniff("\n".join(text.splitlines()[:HEADER_SEARCH_ROWS]), ",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1)
    elif name.endswith(".docx"):
        from docx import Document

        try:
            document = Document(io.BytesIO(data))
        except Exception as error:  # same as above
            raise _refuse(
                "corrupt_file", _("Không đọc được tệp Word “%(name)s”.") % {"name": filename}
            ) from error
        n = 0
        for table in document.tables:
            for row in table.rows:
                n += 1
                yield n, [cell.text for cell in row.cells]
    else:
        raise _refuse(
            "unsupported_format",
            _("Tệp “%(name)s”: chỉ nhận tệp Excel (.xlsx), CSV (.csv) hoặc Word (.docx).")
            % {"name": filename},
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Sections:
    """Finds a section of the draft by key ("s03"), number ("3", "Mục 3") or title."""

    def __init__(self, draft: DraftDocument) -> None:
        self.sections = list(draft.current_sections())
        self.by: dict[str, Section] = {}
        for i, s in enumerate(self.sections, start=1):
            self.by[s.key.lower()] = s
            self.by[str(i)] = s
            self.by[_key(s.title)] = s
            number = re.match(r"\s*([0-9]+)[.)]", s.title)
            if number:
                self.by.setdefault(number.group(1), s)

    def find(self, value: str) -> Section | None:
        v = value.strip().lower()
        if v in self.by:
            return self.by[v]
        digits = re.fullmatch(r"(?:muc|phan|section)?\s*([0-9]+)[.)]?", _key(v))
        if digits:
            return self.by.get(digits.group(1))
        return self.by.get(_key(v))


def import_comments(draft: DraftDocument, actor: Actor, *, filename: str, data: bytes) -> CommentImportReport:
    """Read a comment file and create its comments, all or none."""
    if not data:
        raise _refuse("empty_file", _("Tệp “%(name)s” rỗng.") % {"name": filename})
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(
            "file_too_large",
            _("Tệp “%(name)s” quá giới hạn %(limit)s MB.")
            % {"name": filename, "limit": MAX_FILE_BYTES >> 20},
        )
    report = CommentImportReport(filename)
    columns: dict[int, str] | None = None
    sections = _Sections(draft)
    units = {_key(u.name): u for u in Organization.objects.filter(parent=draft.congress.organization)}
    pending: list[Comment] = []
    for number, values in _rows(filename, data):
        cells = [_text(v) for v in values]
        if columns is None:
            found = {i: HEADER_KEYS[_key(c)] for i, c in enumerate(cells) if _key(c) in HEADER_KEYS}
            if set(REQUIRED) <= set(found.values()):
                columns = found
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        row = {column: cells[i] if i < len(cells) else "" for i, column in columns.items()}
        if not any(row.values()):
            continue
        report.rows += 1
        if report.rows > MAX_ROWS:
            raise _refuse(
                "too_many_rows",
                _("Tệp “%(name)s” có hơn %(max)s dòng góp ý.") % {"name": filename, "max": MAX_ROWS},
            )
        problems = len(report.problems)

        def problem(column: str, code: str, message: str, row_number: int = number) -> None:
            report.problems.append(RowProblem(row_number, column, code, message))

        text, unit = row.get("text", ""), row.get("unit", "")
        if not text:
            problem("text", "text_required", _("Dòng %(row)s: thiếu nội dung góp ý.") % {"row": number})
        elif len(text) > TEXT_MAX:
            problem(
                "text",
                "text_too_long",
                _("Dòng %(row)s: nội dung dài %(length)s ký tự, tối đa %(max)s.")
                % {"row": number, "length": len(text), "max": TEXT_MAX},
            )
        if not unit:
            problem("unit", "unit_required", _("Dòng %(row)s: thiếu tên đơn vị góp ý.") % {"row": number})
        section = None
        if row.get("section"):
            section = sections.find(row["section"])
            if section is None:
                problem(
                    "section",
                    "unknown_section",
                    _("Dòng %(row)s: mục “%(section)s” không có trong dự thảo.")
                    % {"row": number, "section": row["section"]},
                )
        kind = ""
        if row.get("kind"):
            kind = KIND_WORDS.get(_key(row["kind"]), "")
            if not kind:
                problem(
                    "kind",
                    "bad_kind",
                    _(
                        "Dòng %(row)s: không rõ loại ý kiến “%(kind)s” (tán thành, sửa đổi, bổ sung, bỏ, khác)."
                    )
                    % {"row": number, "kind": row["kind"]},
                )
        if len(report.problems) == problems:
            pending.append(
                new_comment(
                    draft,
                    actor,
                    text=text,
                    source=Comment.Source.FILE,
                    section=section,
                    kind=kind,
                    unit=units.get(_key(unit)),
                    unit_name=unit,
                    batch=filename,
                )
            )
    if columns is None:
        raise _refuse(
            "no_header",
            _("Tệp “%(name)s” không có dòng tiêu đề với các cột “Mục”, “Nội dung góp ý”, “Đơn vị”.")
            % {"name": filename},
        )
    if report.rows == 0:
        raise _refuse("no_rows", _("Tệp “%(name)s” không có dòng góp ý nào.") % {"name": filename})
    if report.problems:
        return report
    with transaction.atomic():
        DraftDocument.objects.select_for_update().get(pk=draft.pk)
        Comment.objects.bulk_create(pending)
        report.created = len(pending)
        audit.record(
            actor=actor.label,
            action="comment.file_imported",
            congress_id=draft.congress_id,
            obj=draft,
            after={"file": filename, "comments": [comment_facts(c) for c in pending]},
        )
    return report
