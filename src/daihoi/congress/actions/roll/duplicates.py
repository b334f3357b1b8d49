"""Duplicates: the same person, phone or seat twice in the file, or already on the roll."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from daihoi.congress.actions.roll.rows import DelegateDraft, GuestDraft, Problems, date_text
from daihoi.congress.models import Congress, Delegate, Guest
from daihoi.congress.names import normalize_name


def _person_key(name: str, born: dt.date) -> tuple[str, dt.date]:
    return normalize_name(name).casefold(), born


def check_duplicates(
    congress: Congress, drafts: Iterable[DelegateDraft | GuestDraft], problems: Problems
) -> None:
    """Same name and date of birth, same phone or same seat: twice in the file, or already on the roll."""
    existing = list(
        Delegate.objects.filter(congress=congress).only(
            "number", "full_name", "date_of_birth", "phone", "seat_number"
        )
    )
    roll_person = {_person_key(d.full_name, d.date_of_birth): d for d in existing if d.date_of_birth}
    roll_phone = {d.phone: d for d in existing if d.phone}
    roll_seat = {d.seat_number.casefold(): d for d in existing if d.seat_number}
    roll_guests = {
        (normalize_name(g.full_name).casefold(), g.organization_name.casefold())
        for g in Guest.objects.filter(congress=congress).only("full_name", "organization_name")
    }
    file_person: dict[tuple[str, dt.date], int] = {}
    file_phone: dict[str, int] = {}
    file_seat: dict[str, int] = {}
    file_guests: dict[tuple[str, str], int] = {}
    for draft in drafts:
        if isinstance(draft, GuestDraft):
            key = (normalize_name(draft.full_name).casefold(), draft.organization_name.casefold())
            if key in file_guests:
                problems.add(
                    draft.row,
                    None,
                    "duplicate_in_file",
                    _("khách mời “%(name)s” trùng với dòng %(other)s")
                    % {"name": draft.full_name, "other": file_guests[key]},
                )
            elif key in roll_guests:
                problems.add(
                    draft.row,
                    None,
                    "duplicate_in_roll",
                    _("khách mời “%(name)s” đã có trong danh sách khách mời") % {"name": draft.full_name},
                )
            file_guests.setdefault(key, draft.row)
            continue
        person = _person_key(draft.full_name, draft.date_of_birth)
        if person in file_person:
            problems.add(
                draft.row,
                None,
                "duplicate_in_file",
                _("trùng với dòng %(other)s (cùng họ tên “%(name)s” và ngày sinh %(born)s)")
                % {
                    "other": file_person[person],
                    "name": draft.full_name,
                    "born": date_text(draft.date_of_birth),
                },
            )
        elif person in roll_person:
            problems.add(
                draft.row,
                None,
                "duplicate_in_roll",
                _("đã có trong danh sách: đại biểu số %(number)s “%(name)s”, sinh %(born)s")
                % {
                    "number": roll_person[person].number,
                    "name": roll_person[person].full_name,
                    "born": date_text(draft.date_of_birth),
                },
            )
        file_person.setdefault(person, draft.row)
        if draft.phone:
            if draft.phone in file_phone:
                problems.add(
                    draft.row,
                    "phone",
                    "duplicate_phone",
                    _("số %(phone)s trùng với dòng %(other)s")
                    % {"phone": draft.phone, "other": file_phone[draft.phone]},
                )
            elif draft.phone in roll_phone:
                holder = roll_phone[draft.phone]
                problems.add(
                    draft.row,
                    "phone",
                    "duplicate_phone",
                    _("số %(phone)s đã là số của đại biểu số %(number)s “%(name)s”")
                    % {"phone": draft.phone, "number": holder.number, "name": holder.full_name},
                )
            file_phone.setdefault(draft.phone, draft.row)
        if draft.seat_number:
            seat = draft.seat_number.casefold()
            if seat in file_seat:
                problems.add(
                    draft.row,
                    "seat_number",
                    "duplicate_seat",
                    _("ghế “%(seat)s” đã xếp cho dòng %(other)s")
                    % {"seat": draft.seat_number, "other": file_seat[seat]},
                )
            elif seat in roll_seat:
                holder = roll_seat[seat]
                problems.add(
                    draft.row,
                    "seat_number",
                    "duplicate_seat",
                    _("ghế “%(seat)s” đã xếp cho đại biểu số %(number)s “%(name)s”")
                    % {"seat": draft.seat_number, "number": holder.number, "name": holder.full_name},
                )
            file_seat.setdefault(seat, draft.row)
