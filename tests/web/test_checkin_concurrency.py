"""Scans racing on real database connections (threads; SQLite and PostgreSQL): two desks scanning one
card at the same moment, and a client retry racing its original request, count once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from daihoi.congress.access import SYSTEM
from daihoi.congress.actions import checkin
from daihoi.congress.attendance import attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.models import CheckIn, Congress, Delegate
from tests.factories import make_congress
from tests.support.concurrency import at_once

CARDS = 6
DESKS = 4


def scan(congress: Congress, code: str, key: str) -> Callable[[], Any]:
    return lambda: checkin.check_in(congress, code, nonce=key, actor=SYSTEM)


@pytest.mark.django_db(transaction=True)
def test_one_card_scanned_at_several_desks_at_once_checks_in_once():
    congress = make_congress(delegates=CARDS)
    for d in congress.delegates.order_by("number"):
        results = at_once([scan(congress, d.code, f"desk-{desk}-card-{d.number}") for desk in range(DESKS)])
        accepted = [r for r in results if isinstance(r, checkin.CheckInResult)]
        refused = [r for r in results if isinstance(r, ActionError)]
        assert len(accepted) == 1 and len(refused) == DESKS - 1, results
        assert {r.code for r in refused} == {"already_checked_in"}
        assert CheckIn.objects.filter(delegate=d, action=CheckIn.Action.CHECK_IN).count() == 1
    assert attendance(congress).present == CARDS
    assert Delegate.objects.filter(congress=congress, attendance=Delegate.Attendance.PRESENT).count() == CARDS


@pytest.mark.django_db(transaction=True)
def test_a_retry_racing_its_original_returns_the_same_result_and_counts_once():
    congress = make_congress(delegates=CARDS)
    for d in congress.delegates.order_by("number"):
        key = f"retry-card-{d.number}"
        results = at_once([scan(congress, d.code, key) for _ in range(3)])
        assert all(isinstance(r, checkin.CheckInResult) for r in results), results
        assert sorted(r.is_repeat for r in results) == [False, True, True]
        assert len({(r.delegate_id, r.at) for r in results}) == 1
    assert CheckIn.objects.filter(congress=congress).count() == CARDS
    assert attendance(congress).present == CARDS


@pytest.mark.django_db(transaction=True)
def test_different_cards_scanned_at_once_all_count():
    congress = make_congress(delegates=8)
    codes = list(congress.delegates.order_by("number").values_list("code", flat=True))
    results = at_once([scan(congress, code, f"many-cards-{i}") for i, code in enumerate(codes)])
    assert all(isinstance(r, checkin.CheckInResult) for r in results), results
    assert attendance(congress).present == 8
