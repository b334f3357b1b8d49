"""Duplicates: the same person, phone or seat twice in the file, or already on the roll."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from daihoi.congress.actions.roll.rows import DelegateDraft, GuestDraft, Problems, date_text
from daihoi.congress.models import Congress, Delegate, Guest
from daihoi.congress.names import name_skeleton


def guest_key(full_name: str, organization_name: str) -> tuple[str, str]:
    """Two guests are the same when name and organization look the same (see `name_skeleton`)."""
    return name_skeleton(full_name), name_skeleton(organization_name)


def _person_key(name: str, born: dt.date) -> tuple[str, dt.date]:
    return name_skeleton(name), born


def check_duplicates(
    congress: Congress, drafts: Iterable[DelegateDraft | GuestDraft], problems: Problems
) -> None:
    """Same name and date of birth, same phone or same seat: twice in the file, or already on the roll.

    Names and seats are compared by their skeleton, so a name retyped with a Cyrillic "Т" or a zero-width
    space is caught as the same person."""
    existing = list(
        Delegate.objects.filter(congress=congress).only(
            "number", "full_name", "date_of_birth", "phone", "seat_number"
        )
    )
    roll_person = {_person_key(d.full_name, d.date_of_birth): d for d in existing if d.date_of_birth}
    roll_phone = {d.phone: d for d in existing if d.phone}
    roll_seat = {name_skeleton(d.seat_number): d for d in existing if d.seat_number}
    roll_guests = {
        guest_key(g.full_name, g.organization_name)
        for g in Guest.objects.filter(congress=congress).only("full_name", "organization_name")
    }
    file_person: dict[tuple[str, dt.date], int] = {}
    file_phone: dict[str, int] = {}
    file_seat: dict[str, int] = {}
    file_guests: dict[tuple[str, str], int] = {}
    for draft in drafts:
        if isinstance(draft, GuestDraft):
            key = guest_key(draft.full_name, draft.organization_name)
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
            seat = name_skeleton(draft.seat_number)
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
