"""The figures' one grouped read (`attendance._grouped_roll`, hand-written SQL) counts exactly what the
ORM's two queries counted, on a roll with every kind of row: units and no unit, officials and alternates
(one replacing an excused official), rejected credentials, the convening committee, every attendance,
guests present and not; and on an empty congress. CI runs it on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.utils import timezone

from daihoi.congress.attendance import _grouped_roll, attendance, grouped_roll_orm
from daihoi.congress.models import Delegate
from tests.factories import make_congress

A = Delegate.Attendance


def comparable(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return sorted((tuple((k, row[k]) for k in sorted(row)) for row in rows), key=repr)


@pytest.mark.django_db
def test_the_grouped_read_counts_what_the_orm_counted():
    congress = make_congress(delegates=24, units=3, guests=5)
    roll = list(congress.delegates.order_by("number"))
    for d, state in zip(roll, [A.PRESENT] * 9 + [A.LEFT] * 3 + [A.EXCUSED] * 4, strict=False):
        d.attendance = state
    roll[0].is_convening_committee = roll[12].is_convening_committee = True  # one present, one excused
    roll[16].credential = Delegate.Credential.REJECTED
    roll[17].unit = roll[18].unit = None
    roll[20].standing = Delegate.Standing.ALTERNATE
    roll[20].replaces = roll[13]  # an excused official, replaced by a present alternate
    roll[20].attendance = A.PRESENT
    roll[21].standing = Delegate.Standing.ALTERNATE
    for d in roll:
        d.save()
    for guest in list(congress.guests.all())[:2]:
        guest.checked_in_at = timezone.now()
        guest.save()

    rows, guests = _grouped_roll(congress)
    oracle_rows, oracle_guests = grouped_roll_orm(congress)
    assert guests == oracle_guests == {"invited": 5, "present": 2}
    assert comparable(rows) == comparable(oracle_rows)
    assert sum(row["n"] for row in rows) == 24 and len(rows) == 17  # every row, in its 17 groups
    assert {type(row["is_convening_committee"]) for row in rows} == {bool}
    figures = attendance(congress)
    assert (figures.present, figures.guests_present, figures.rejected) == (10, 2, 1)


@pytest.mark.django_db
def test_an_empty_congress_has_no_rows_and_no_guests():
    congress = make_congress(delegates=0, units=0)
    assert _grouped_roll(congress) == grouped_roll_orm(congress) == ([], {"invited": 0, "present": 0})


@pytest.mark.django_db
def test_the_grouped_read_walks_the_figures_index_without_a_sort():
    """What makes the read cheap on SQLite, the default: the roll of those who replace no one is grouped
    straight off `delegate_figures_idx` (no table rows, no temporary B-tree); only the few who replace an
    official are sorted. PostgreSQL plans by its statistics, so this plan is SQLite's alone."""
    from django.db import connection

    from daihoi.congress import attendance as module

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked here is SQLite's; PostgreSQL's depends on its statistics")
    congress = make_congress(delegates=30, units=3)
    _grouped_roll(congress)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + module._SQL["sqlite"], [congress.pk] * 3)
        plan = [row[-1] for row in cursor.fetchall()]
    walks = [step for step in plan if "USING COVERING INDEX delegate_figures_idx" in step]
    assert len(walks) == 2, plan  # both halves of the roll read the index alone
    assert plan.count("USE TEMP B-TREE FOR GROUP BY") == 1, plan  # only the alternates' half sorts
