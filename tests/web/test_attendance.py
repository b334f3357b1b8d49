"""Attendance figures: convened, present, absent, left, guests, N (P2) and the quorum (P3)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.utils import timezone

from daihoi.congress.attendance import attendance
from daihoi.congress.models import Congress, Delegate
from daihoi.voting.actions.vote_quorum import congress_base
from tests.factories import make_congress

pytestmark = pytest.mark.django_db
_A = Delegate.Attendance


def set_present(congress: Congress, count: int) -> None:
    numbers = congress.delegates.order_by("number").values_list("pk", flat=True)[:count]
    Delegate.objects.filter(pk__in=list(numbers)).update(attendance=_A.PRESENT, checked_in_at=timezone.now())


@pytest.fixture(scope="module")
def roll_165(django_db_setup, django_db_blocker):
    """The ward congress of the brief: 165 official delegates in 20 sub-units."""
    with django_db_blocker.unblock():
        congress = make_congress(delegates=165, units=20, guests=4)
    yield congress
    with django_db_blocker.unblock():
        congress.delete()


def test_P3_109_of_165_present_is_not_a_quorum(roll_165):
    Delegate.objects.filter(congress=roll_165).update(attendance=_A.NOT_ARRIVED)
    set_present(roll_165, 109)
    figures = attendance(roll_165)
    assert (figures.convened, figures.present, figures.quorum.required) == (165, 109, 110)
    assert not figures.quorum.is_met
    assert figures.explanation == "Chưa đủ số lượng: 109/165 đại biểu có mặt, cần 110"
    assert figures.as_dict()["quorum"]["warning"] is None


def test_P3_110_of_165_present_is_a_quorum(roll_165):
    Delegate.objects.filter(congress=roll_165).update(attendance=_A.NOT_ARRIVED)
    set_present(roll_165, 110)
    figures = attendance(roll_165)
    assert figures.quorum.is_met and figures.quorum.required == 110
    assert figures.explanation == "Đủ số lượng: 110/165 đại biểu có mặt, cần 110"


def test_figures_take_one_query_whatever_the_roll(roll_165, django_assert_num_queries):
    with django_assert_num_queries(1):
        attendance(roll_165)


def test_P3_the_presidium_is_warned_when_twice_present_is_at_most_n():
    congress = make_congress(delegates=10)
    set_present(congress, 5)
    section = attendance(congress).as_dict()
    assert section["quorum"]["majority_possible"] is False
    assert "không quá nửa N (10)" in section["quorum"]["warning"]
    set_present(congress, 6)
    assert attendance(congress).as_dict()["quorum"]["warning"] is None


def test_the_quorum_ratio_is_the_congress_setting():
    congress = make_congress(delegates=27)
    Congress.objects.filter(pk=congress.pk).update(quorum_numerator=1, quorum_denominator=2)
    congress.refresh_from_db()
    figures = attendance(congress)
    assert figures.quorum.ratio == Fraction(1, 2) and figures.quorum.required == 14
    assert figures.as_dict()["quorum"]["ratio"] == "1/2"


def test_rejected_delegates_and_alternates_are_not_convened_and_guests_never_count():
    congress = make_congress(delegates=10, guests=3)
    d1, d2, d3 = (congress.delegates.get(number=n) for n in (1, 2, 3))
    Delegate.objects.filter(pk=d1.pk).update(credential=Delegate.Credential.REJECTED, attendance=_A.PRESENT)
    Delegate.objects.filter(pk=d2.pk).update(standing=Delegate.Standing.ALTERNATE, attendance=_A.PRESENT)
    Delegate.objects.filter(pk=d3.pk).update(attendance=_A.PRESENT)
    congress.guests.filter(pk=congress.guests.first().pk).update(checked_in_at=timezone.now())
    figures = attendance(congress)
    assert (figures.convened, figures.present, figures.rejected) == (8, 1, 1)
    assert (figures.alternates_convened, figures.alternates_present) == (1, 1)
    assert (figures.guests_invited, figures.guests_present) == (3, 1)


def test_absent_splits_excused_and_not_arrived_and_left_stays_in_n():
    congress = make_congress(delegates=12)
    states = {1: _A.PRESENT, 2: _A.PRESENT, 3: _A.LEFT, 4: _A.EXCUSED, 5: _A.EXCUSED}
    for number, state in states.items():
        Delegate.objects.filter(congress=congress, number=number).update(attendance=state)
    section = attendance(congress).as_dict()
    assert {k: section[k] for k in ("convened", "present", "left", "excused", "not_arrived", "absent")} == {
        "convened": 12,
        "present": 2,
        "left": 1,
        "excused": 2,
        "not_arrived": 7,
        "absent": 9,
    }
    assert section["base"]["value"] == 10


def test_by_sub_unit_lines_add_up_to_the_totals_in_unit_order():
    congress = make_congress(delegates=14, units=3)
    set_present(congress, 8)
    figures = attendance(congress)
    assert [line.name for line in figures.units] == [
        "Chi bộ khu phố 1",
        "Chi bộ khu phố 2",
        "Chi bộ khu phố 3",
    ]
    assert [(line.convened, line.present) for line in figures.units] == [(5, 3), (5, 3), (4, 2)]
    assert sum(line.convened for line in figures.units) == figures.convened


def test_delegates_without_a_sub_unit_get_their_own_line_last():
    congress = make_congress(delegates=4, units=2)
    Delegate.objects.filter(congress=congress, number=4).update(unit=None)
    lines = attendance(congress).units
    assert (lines[-1].unit_id, lines[-1].name, lines[-1].convened) == (None, "", 1)


def test_P2_n_is_the_same_as_the_one_motions_use():
    congress = make_congress(delegates=20)
    Delegate.objects.filter(congress=congress, number__in=[1, 2]).update(is_convening_committee=True)
    Delegate.objects.filter(congress=congress, number__in=[1, 5, 6]).update(attendance=_A.EXCUSED)
    Delegate.objects.filter(congress=congress, number=7).update(credential=Delegate.Credential.REJECTED)
    Delegate.objects.filter(congress=congress, number=8).update(standing=Delegate.Standing.ALTERNATE)
    Delegate.objects.filter(congress=congress, number=9).update(attendance=_A.LEFT)
    ours, theirs = attendance(congress).base, congress_base(congress)
    assert ours.value == theirs.value == 15
    assert sorted(ours.exclusions) == sorted(theirs.exclusions)
