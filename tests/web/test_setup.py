"""Setting a congress up: seat allocation, state changes, roles, and the organizer's setup page."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions import setup as actions
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Organization, SeatAllocation, StaffRole
from tests.factories import login_as, make_congress

pytestmark = pytest.mark.django_db


def preparing(**kwargs) -> Congress:
    return make_congress(state=Congress.State.PREPARATION, **kwargs)


def test_allocation_is_stored_with_exact_quotas_and_sums_to_the_elected_seats():
    congress = preparing(delegates=0, units=3)  # members 40, 45, 50
    congress.total_seats, congress.ex_officio_seats = 20, 2
    congress.save()
    rows = actions.allocate_congress_seats(congress, SYSTEM)
    stored = list(SeatAllocation.objects.filter(congress=congress))
    assert [r.pk for r in rows] == [s.pk for s in stored]
    assert [s.members for s in stored] == [40, 45, 50]
    assert sum(s.seats for s in stored) == 18
    # minimum 1 each, the other 15 by members: 15*40/135 = 40/9, 5, 50/9
    assert [s.quota for s in stored] == ["40/9", "5/1", "50/9"]
    assert [s.seats for s in stored] == [5, 6, 7]
    assert sum(Fraction(s.quota) for s in stored) == 15


def test_reallocating_replaces_the_rows_and_is_audited():
    congress = preparing(delegates=0, units=2)
    congress.total_seats = 10
    congress.save()
    actions.allocate_congress_seats(congress, SYSTEM)
    congress.total_seats = 12
    congress.save()
    actions.allocate_congress_seats(congress, SYSTEM)
    assert SeatAllocation.objects.filter(congress=congress).count() == 2
    assert sum(SeatAllocation.objects.filter(congress=congress).values_list("seats", flat=True)) == 12
    entries = AuditEntry.objects.filter(action="congress.allocate_seats", congress_id=congress.pk)
    assert entries.count() == 2
    last = entries.last()
    assert sum(u["seats"] for u in last.before) == 10
    assert last.after["elected_seats"] == 12
    assert verify() == []


def test_allocation_refused_when_the_minimum_cannot_be_met_keeps_the_old_rows():
    congress = preparing(delegates=0, units=3)
    congress.total_seats = 9
    congress.save()
    actions.allocate_congress_seats(congress, SYSTEM)
    congress.total_seats, congress.minimum_seats_per_unit = 5, 2
    congress.save()
    with pytest.raises(ActionError) as refused:
        actions.allocate_congress_seats(congress, SYSTEM)
    assert refused.value.code == "minimum_not_met"
    assert refused.value.message == "Không đủ 5 đại biểu để mỗi đơn vị trong 3 đơn vị có ít nhất 2"
    assert sum(SeatAllocation.objects.filter(congress=congress).values_list("seats", flat=True)) == 9


def test_rules_error_speaks_english_when_english_is_active():
    congress = preparing(delegates=0, units=3)
    congress.total_seats, congress.minimum_seats_per_unit = 2, 1
    congress.save()
    with translation.override("en"), pytest.raises(ActionError) as refused:
        actions.allocate_congress_seats(congress, SYSTEM)
    assert refused.value.message == "2 seats cannot give each of 3 units at least 1"


def test_a_unit_without_members_is_named_in_the_error():
    congress = preparing(delegates=0, units=2)
    congress.total_seats = 4
    congress.save()
    Organization.objects.filter(parent=congress.organization, code="cb-2").update(member_count=0)
    with pytest.raises(ActionError) as refused:
        actions.allocate_congress_seats(congress, SYSTEM)
    assert refused.value.code == "bad_members"
    assert "Chi bộ khu phố 2" in refused.value.message
    assert "(0)" in refused.value.message


def test_allocation_is_refused_once_the_congress_is_in_session():
    congress = make_congress(delegates=0, state=Congress.State.IN_SESSION)
    with pytest.raises(ActionError) as refused:
        actions.allocate_congress_seats(congress, SYSTEM)
    assert refused.value.code == "congress_state"


def test_configure_seats_stores_counts_and_allocates_all_or_nothing():
    congress = preparing(delegates=0, units=2)
    units = actions.sub_units(congress)
    rows = actions.configure_seats(
        congress,
        SYSTEM,
        total_seats=11,
        ex_officio_seats=1,
        minimum_seats_per_unit=1,
        member_counts={units[0].pk: 30, units[1].pk: 70},
    )
    assert [r.seats for r in rows] == [3, 7]
    congress.refresh_from_db()
    congress.organization.refresh_from_db()
    assert (congress.total_seats, congress.ex_officio_seats) == (11, 1)
    assert congress.organization.member_count == 100
    with pytest.raises(ActionError) as refused:
        actions.configure_seats(
            congress,
            SYSTEM,
            total_seats=3,
            ex_officio_seats=1,
            minimum_seats_per_unit=2,
            member_counts={units[0].pk: 999, units[1].pk: 1},
        )
    assert refused.value.code == "minimum_not_met"
    units[0].refresh_from_db()
    congress.refresh_from_db()
    assert units[0].member_count == 30  # rolled back with the refused allocation
    assert congress.total_seats == 11


def test_more_ex_officio_than_total_is_refused_with_both_numbers():
    congress = preparing(delegates=0)
    with pytest.raises(ActionError) as refused:
        actions.configure_seats(
            congress, SYSTEM, total_seats=5, ex_officio_seats=6, minimum_seats_per_unit=1, member_counts={}
        )
    assert refused.value.code == "bad_ex_officio"
    assert "(6)" in refused.value.message
    assert "(5)" in refused.value.message


def test_session_opens_then_closes_and_never_reopens():
    congress = preparing()
    actions.set_congress_state(congress, Congress.State.IN_SESSION, SYSTEM)
    actions.set_congress_state(congress, Congress.State.CLOSED, SYSTEM)
    congress.refresh_from_db()
    assert congress.state == Congress.State.CLOSED
    for target in (Congress.State.IN_SESSION, Congress.State.PREPARATION):
        with pytest.raises(ActionError) as refused:
            actions.set_congress_state(congress, target, SYSTEM)
        assert refused.value.code == "congress_closed"
    changes = AuditEntry.objects.filter(action="congress.set_state", congress_id=congress.pk)
    assert [(e.before["state"], e.after["state"]) for e in changes] == [
        ("preparation", "in_session"),
        ("in_session", "closed"),
    ]


def test_a_congress_cannot_skip_or_repeat_a_state():
    congress = preparing()
    with pytest.raises(ActionError) as skipped:
        actions.set_congress_state(congress, Congress.State.CLOSED, SYSTEM)
    assert skipped.value.code == "bad_state_transition"
    with pytest.raises(ActionError) as repeated:
        actions.set_congress_state(congress, Congress.State.PREPARATION, SYSTEM)
    assert repeated.value.code == "state_unchanged"
    with pytest.raises(ActionError) as unknown:
        actions.set_congress_state(congress, "adjourned", SYSTEM)
    assert unknown.value.code == "bad_state"


def test_grant_role_is_idempotent_and_refuses_unknown_roles():
    congress = make_congress()
    user = get_user_model().objects.create_user("clerk")
    actions.grant_role(congress, user, Role.SECRETARIAT, SYSTEM)
    actions.grant_role(congress, user, Role.SECRETARIAT, SYSTEM)
    assert StaffRole.objects.filter(user=user, congress=congress).count() == 1
    assert AuditEntry.objects.filter(action="congress.grant_role").count() == 1
    with pytest.raises(ActionError) as refused:
        actions.grant_role(congress, user, "king", SYSTEM)
    assert refused.value.code == "unknown_role"


def test_create_congress_validates_and_audits():
    congress = make_congress()
    base = {
        "actor": SYSTEM,
        "organization": congress.organization,
        "name": "Đại hội",
        "ordinal": 16,
        "term_start": 2025,
        "term_end": 2030,
        "starts_on": dt.date(2025, 6, 1),
        "ends_on": dt.date(2025, 6, 2),
    }
    created = actions.create_congress(slug="xvi", **base)
    assert created.state == Congress.State.PREPARATION
    assert AuditEntry.objects.filter(action="congress.create", congress_id=created.pk).exists()
    cases = [
        ({"slug": "xvi"}, "slug_taken"),
        ({"slug": "a", "term_end": 2025}, "bad_term"),
        ({"slug": "b", "ends_on": dt.date(2025, 5, 31)}, "bad_dates"),
        ({"slug": "c", "ordinal": 0}, "bad_ordinal"),
        ({"slug": "d", "total_seats": 3, "ex_officio_seats": 4}, "bad_ex_officio"),
    ]
    for change, code in cases:
        with pytest.raises(ActionError) as refused:
            actions.create_congress(**{**base, **change})
        assert refused.value.code == code


# The setup page, as the organizer uses it.


def form(congress: Congress, total: str, ex_officio: str, minimum: str, members: list[str]) -> dict[str, str]:
    data = {"total_seats": total, "ex_officio_seats": ex_officio, "minimum_seats_per_unit": minimum}
    for unit, count in zip(actions.sub_units(congress), members, strict=True):
        data[f"members_{unit.pk}"] = count
    return data


def test_organizer_edits_member_counts_and_runs_the_allocation():
    congress = preparing(delegates=0, units=3)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    url = reverse("setup", args=[congress.slug])
    assert organizer.get(url).status_code == 200
    response = organizer.post(url, form(congress, "30", "3", "1", ["100", "200", "300"]), follow=True)
    assert response.status_code == 200
    assert "Đã phân bổ 27 đại biểu cho 3 chi bộ." in response.content.decode()
    seats = list(SeatAllocation.objects.filter(congress=congress).values_list("seats", flat=True))
    assert sum(seats) == 27
    assert seats == [5, 9, 13]


def test_setup_page_says_which_field_is_not_a_number():
    congress = preparing(delegates=0, units=2)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    response = organizer.post(
        reverse("setup", args=[congress.slug]), form(congress, "ba mươi", "0", "1", ["10", "-4"])
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Tổng số đại biểu: “ba mươi” không phải là số nguyên." in text
    assert "Chi bộ khu phố 2: không được là số âm (-4)." in text
    assert not SeatAllocation.objects.filter(congress=congress).exists()


def test_setup_page_shows_the_rules_core_error_with_its_numbers():
    congress = preparing(delegates=0, units=3)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    response = organizer.post(
        reverse("setup", args=[congress.slug]), form(congress, "4", "2", "1", ["1", "2", "3"])
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert 'data-code="minimum_not_met"' in text
    assert "Không đủ 2 đại biểu để mỗi đơn vị trong 3 đơn vị có ít nhất 1" in text


def test_organizer_opens_and_closes_the_session_from_the_setup_page():
    congress = preparing()
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    url = reverse("setup", args=[congress.slug])
    organizer.post(url, {"state": Congress.State.IN_SESSION, "confirm": "1"})
    congress.refresh_from_db()
    assert congress.state == Congress.State.IN_SESSION
    organizer.post(url, {"state": Congress.State.CLOSED})
    response = organizer.post(url, {"state": Congress.State.IN_SESSION, "confirm": "1"})
    assert response.status_code == 400
    assert 'data-code="congress_closed"' in response.content.decode()
    congress.refresh_from_db()
    assert congress.state == Congress.State.CLOSED


def test_only_the_organizer_may_use_the_setup_page():
    congress = preparing()
    chair = login_as(Client(), congress, Role.PRESIDIUM)
    assert chair.get(reverse("setup", args=[congress.slug])).status_code == 403
    response = chair.post(
        reverse("setup", args=[congress.slug]), {"state": Congress.State.IN_SESSION, "confirm": "1"}
    )
    assert response.status_code == 403
    congress.refresh_from_db()
    assert congress.state == Congress.State.PREPARATION
