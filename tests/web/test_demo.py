"""The demo congress: 165 delegates of a 1,100-member ward committee, allocated by the rules core."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from daihoi.audit.log import verify
from daihoi.congress.demo import DEMO_PASSWORD, DEMO_SLUG, DEMO_USERS, load_demo
from daihoi.congress.models import Congress, Delegate, Guest, SeatAllocation, StaffRole
from daihoi.rules.allocation import allocate_seats

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> Congress:
    return load_demo()


def test_demo_has_165_delegates_for_1100_members(demo):
    assert demo.slug == DEMO_SLUG
    assert demo.state == Congress.State.IN_SESSION
    assert demo.delegates.count() == 165 == demo.total_seats
    assert demo.organization.member_count == 1100
    assert sum(u.member_count for u in demo.organization.children.all()) == 1100
    assert demo.organization.children.count() == 20
    assert demo.name == "Đại hội đại biểu Đảng bộ phường Hòa Bình lần thứ XV, nhiệm kỳ 2020–2025"


def test_demo_has_15_ex_officio_from_the_convening_committee(demo):
    ex_officio = demo.delegates.filter(kind=Delegate.Kind.EX_OFFICIO)
    assert ex_officio.count() == 15 == demo.ex_officio_seats
    assert set(ex_officio.values_list("is_convening_committee", flat=True)) == {True}
    assert not demo.delegates.filter(kind=Delegate.Kind.ELECTED, is_convening_committee=True).exists()


def test_demo_elected_delegates_follow_the_stored_allocation(demo):
    allocation = SeatAllocation.objects.filter(congress=demo)
    assert sum(a.seats for a in allocation) == 150
    assert sum(a.members for a in allocation) == 1100
    elected = Counter(demo.delegates.filter(kind=Delegate.Kind.ELECTED).values_list("unit_id", flat=True))
    assert elected == {a.unit_id: a.seats for a in allocation}
    expected = allocate_seats({a.unit.code: a.members for a in allocation}, 165, ex_officio_seats=15)
    assert [u.seats for u in expected.units] == [a.seats for a in allocation]
    assert min(a.seats for a in allocation) >= 1


def test_demo_delegates_are_complete_and_plausible(demo):
    delegates = list(demo.delegates.all())
    assert [d.number for d in delegates] == list(range(1, 166))
    assert len({d.seat_number for d in delegates}) == 165
    assert len({d.code for d in delegates}) == 165
    assert {d.credential for d in delegates} == {Delegate.Credential.ACCEPTED}
    assert {d.sex for d in delegates} == {Delegate.Sex.MALE, Delegate.Sex.FEMALE}
    assert all(1950 <= d.date_of_birth.year <= 2000 for d in delegates)
    assert all(d.position and d.phone and d.unit_id for d in delegates)
    assert all(d.search_name == d.search_name.lower() and d.search_name.isascii() for d in delegates)
    assert Counter(d.full_name.split()[0] for d in delegates).most_common(1)[0][0] == "Nguyễn"


def test_guests_are_never_delegates(demo):
    guests = list(Guest.objects.filter(congress=demo))
    assert 5 <= len(guests) <= 8
    assert not Delegate.objects.filter(code__in=[g.code for g in guests]).exists()
    assert not demo.delegates.filter(
        full_name__in=[g.full_name for g in guests], position__in=[g.title for g in guests]
    ).exists()
    assert any("Quận ủy" in g.title for g in guests)


def test_demo_agenda_runs_over_two_days(demo):
    items = list(demo.agenda.all())
    assert 14 <= len(items) <= 16
    assert {i.day for i in items} == {1, 2}
    titles = " ".join(i.title for i in items)
    for step in (
        "Chào cờ",
        "Đoàn Chủ tịch",
        "Báo cáo chính trị",
        "thẩm tra tư cách",
        "Bầu cử Ban Chấp hành",
        "28",
        "nghị quyết",
        "Bế mạc",
    ):
        assert step in titles


def test_demo_staff_logins_work_with_the_printed_password(demo):
    for username, role, _label in DEMO_USERS:
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        if role is not None:
            assert StaffRole.objects.filter(user__username=username, congress=demo, role=role).exists()
            assert client.get(reverse("dashboard", args=[demo.slug])).status_code == 200
    assert get_user_model().objects.get(username="admin").is_superuser


def test_loading_again_changes_nothing_and_reset_reloads(demo):
    codes = list(demo.delegates.values_list("code", flat=True))
    assert load_demo().pk == demo.pk
    reloaded = load_demo(reset=True)
    assert reloaded.pk != demo.pk
    assert Congress.objects.filter(slug=DEMO_SLUG).count() == 1
    assert reloaded.delegates.count() == 165
    assert list(reloaded.delegates.values_list("code", flat=True)) == codes  # deterministic
    assert verify() == []


def test_seed_demo_is_idempotent_and_says_so():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "165 đại biểu" in out.getvalue()
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "đã có; không thay đổi gì" in again.getvalue()
    assert Congress.objects.filter(slug=DEMO_SLUG).count() == 1
    reset = StringIO()
    call_command("seed_demo", "--reset", stdout=reset)
    assert "165 đại biểu" in reset.getvalue()


def test_seed_demo_lists_the_two_elections_ready_to_run():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.startswith("Cuộc bầu cử “")]
    assert len(lines) == 2
    assert "Ban Chấp hành" in lines[0] and "17 người trong danh sách" in lines[0]
    assert "đoàn đại biểu" in lines[1] and "32 người trong danh sách" in lines[1]
    assert all("Chuẩn bị danh sách" in line for line in lines)


def test_demo_loads_in_a_bounded_number_of_queries(django_assert_max_num_queries):
    # A proxy for "fast" that does not depend on the machine: bulk inserts, not one query per delegate.
    # The congress takes about 130 queries; its two elections about 225, nearly all for the audit chain's
    # one entry per listed candidate (49 entries, 4 queries each). One query per delegate would add 165.
    with django_assert_max_num_queries(400):
        load_demo()
