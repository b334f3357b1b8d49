"""The roll: importing delegates and guests from Excel or CSV (every row or none), and adding a guest.

An import reads the file, checks every row against the congress (sub-units, the roll already there) while
the congress row is locked, and either writes all rows in one transaction with one audit entry, or
writes nothing and returns a report naming each spreadsheet row and each problem.

File-level refusals (format, size, corrupt file, missing columns, a file past the reading limits) raise
`ActionError`; row-level problems come back in `ImportReport.problems`.

The seams: `columns` (the headers and words a file may use), `reading` (the file to a table, bounded),
`rows` (each row checked against the congress), `duplicates` (people, phones and seats seen twice); this
module writes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.actions.roll.columns import (
    COLUMNS,
    COLUMNS_BY_KEY,
    GUEST,
    IGNORED_HEADERS,
    REQUIRED_COLUMNS,
    Column,
    header_key,
)
from daihoi.congress.actions.roll.duplicates import check_duplicates, guest_key
from daihoi.congress.actions.roll.reading import (
    HEADER_SEARCH_ROWS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    Table,
    megabytes,
    read_table,
)
from daihoi.congress.actions.roll.rows import DelegateDraft, GuestDraft, Problems, RowProblem, check_rows
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate, Guest, new_card_code
from daihoi.congress.names import NameProblem, clean_name, search_key

__all__ = [
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "GUEST",
    "HEADER_SEARCH_ROWS",
    "IGNORED_HEADERS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "Column",
    "ImportReport",
    "RowProblem",
    "Table",
    "add_guest",
    "header_key",
    "import_roll",
    "megabytes",
    "read_table",
]


@dataclass
class ImportReport:
    """What an import found and did. With any problem, nothing was written."""

    filename: str
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    delegates_created: int = 0
    guests_created: int = 0
    first_number: int | None = None
    last_number: int | None = None
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        return not self.problems

    @property
    def problem_rows(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}


# Writing ------------------------------------------------------------------------------------------------


def _require_open(congress: Congress) -> None:
    if congress.state == Congress.State.CLOSED:
        raise ActionError(
            "congress_closed", _("Đại hội đã bế mạc, không thể thay đổi danh sách."), state=congress.state
        )


def _fresh_codes(count: int) -> list[str]:
    """`count` card codes used by no delegate or guest (collisions are rare; never let one abort an import)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {new_card_code() for _ in range(count - len(codes))}
        taken = set(Delegate.objects.filter(code__in=wanted).values_list("code", flat=True))
        taken |= set(Guest.objects.filter(code__in=wanted).values_list("code", flat=True))
        codes |= wanted - taken
    return sorted(codes)


def import_roll(congress: Congress, filename: str, data: bytes, actor: Actor) -> ImportReport:
    """Add every row of the file to the roll (delegates) or the guest list, or add nothing.

    Raises `ActionError` when the file itself cannot be used; returns a report whose `problems` name each
    row and each problem when some row is wrong (then nothing was written).
    """
    table = read_table(filename, data)
    report = ImportReport(filename=filename, rows=len(table.rows), ignored_columns=table.ignored)
    problems = Problems(table.columns)
    with transaction.atomic():
        # One import at a time per congress: numbers continue from the highest and duplicates are exact.
        congress = Congress.objects.select_for_update().select_related("organization").get(pk=congress.pk)
        _require_open(congress)
        drafts = check_rows(congress, table, problems)
        check_duplicates(congress, drafts, problems)
        if problems.items:
            report.problems = sorted(problems.items, key=lambda p: p.row or 0)
            return report
        delegates = [d for d in drafts if isinstance(d, DelegateDraft)]
        guests = [g for g in drafts if isinstance(g, GuestDraft)]
        before = {
            "delegates": Delegate.objects.filter(congress=congress).count(),
            "guests": Guest.objects.filter(congress=congress).count(),
        }
        highest = Delegate.objects.filter(congress=congress).aggregate(n=Max("number"))["n"] or 0
        codes = iter(_fresh_codes(len(drafts)))
        Delegate.objects.bulk_create(
            [
                Delegate(
                    congress=congress,
                    number=highest + index,
                    full_name=d.full_name,
                    search_name=search_key(d.full_name),
                    date_of_birth=d.date_of_birth,
                    sex=d.sex,
                    unit=d.unit,
                    kind=d.kind,
                    standing=d.standing,
                    position=d.position,
                    phone=d.phone,
                    seat_number=d.seat_number,
                    is_convening_committee=d.is_convening_committee,
                    code=next(codes),
                )
                for index, d in enumerate(delegates, start=1)
            ],
            batch_size=500,
        )
        Guest.objects.bulk_create(
            [
                Guest(
                    congress=congress,
                    full_name=g.full_name,
                    title=g.title,
                    organization_name=g.organization_name,
                    code=next(codes),
                )
                for g in guests
            ],
            batch_size=500,
        )
        report.delegates_created = len(delegates)
        report.guests_created = len(guests)
        if delegates:
            report.first_number, report.last_number = highest + 1, highest + len(delegates)
        audit.record(
            actor=actor.label,
            action="roll.import",
            congress_id=congress.pk,
            obj=congress,
            before=before,
            after={
                "file": filename,
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": report.rows,
                "delegates_created": report.delegates_created,
                "guests_created": report.guests_created,
                "numbers": [report.first_number, report.last_number] if delegates else None,
                "delegates": before["delegates"] + len(delegates),
                "guests": before["guests"] + len(guests),
            },
        )
        live.publish(congress)
    return report


def add_guest(
    congress: Congress, actor: Actor, *, full_name: str, title: str = "", organization_name: str = ""
) -> Guest:
    """Add one guest: attends, never votes, never counts."""
    labels = {"full_name": _("Họ và tên"), "title": _("Chức danh"), "organization_name": _("Đơn vị")}
    cleaned: dict[str, str] = {}
    for model_field, raw in (
        ("full_name", full_name),
        ("title", title),
        ("organization_name", organization_name),
    ):
        try:
            cleaned[model_field] = clean_name(raw)
        except NameProblem as bad:
            raise ActionError(
                bad.code,
                _("%(field)s có ký tự điều khiển hoặc ký tự không hợp lệ (%(char)s, ký tự thứ %(position)s).")
                % {"field": labels[model_field], "char": bad.char, "position": bad.position},
                field=model_field,
            ) from None
    name, title, organization_name = cleaned["full_name"], cleaned["title"], cleaned["organization_name"]
    if not name:
        raise ActionError("required", _("Cần ghi họ và tên khách mời."), field="full_name")
    for value, model_field, label in (
        (name, "full_name", labels["full_name"]),
        (title, "title", labels["title"]),
        (organization_name, "organization_name", labels["organization_name"]),
    ):
        limit = Guest._meta.get_field(model_field).max_length
        if limit is not None and len(value) > limit:
            raise ActionError(
                "too_long",
                _("%(field)s dài %(length)s ký tự, tối đa %(limit)s.")
                % {"field": label, "length": len(value), "limit": limit},
                field=model_field,
            )
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        _require_open(congress)
        key = guest_key(name, organization_name)
        for other in Guest.objects.filter(congress=congress).only("full_name", "organization_name"):
            if guest_key(other.full_name, other.organization_name) == key:
                raise ActionError(
                    "duplicate_guest",
                    _("Khách mời “%(name)s” đã có trong danh sách.") % {"name": name},
                    guest=other.pk,
                )
        guest = Guest.objects.create(
            congress=congress,
            full_name=name,
            title=title,
            organization_name=organization_name,
            code=_fresh_codes(1)[0],
        )
        audit.record(
            actor=actor.label,
            action="guest.add",
            congress_id=congress.pk,
            obj=guest,
            after={"full_name": name, "title": title, "organization_name": organization_name},
        )
        live.publish(congress)
    return guest
