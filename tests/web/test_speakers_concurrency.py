"""Presses at the same instant, on real connections: one current item, one speaker, one request each."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from daihoi.audit import log as audit
from daihoi.congress.access import SYSTEM
from daihoi.congress.actions import agenda, speakers
from daihoi.congress.errors import ActionError
from daihoi.congress.models import AgendaItem, Delegate, SpeakerRequest
from tests.factories import make_congress

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    start = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            results.append(call())
        except BaseException as error:  # reported to the test thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_chairs_setting_different_current_items_at_once_leave_exactly_one_current():
    congress = make_congress(delegates=2)
    items = [agenda.add_item(congress, SYSTEM, title=f"Nội dung {n}") for n in range(1, 7)]
    _, errors = at_once([lambda i=i: agenda.set_current_item(congress, i, SYSTEM) for i in items])
    assert errors == []
    statuses = list(AgendaItem.objects.filter(congress=congress).values_list("status", flat=True))
    assert statuses.count(AgendaItem.Status.CURRENT) == 1
    assert statuses.count(AgendaItem.Status.DONE) == len(items) - 1
    assert audit.verify() == []


def test_starting_several_speakers_at_once_leaves_one_speaking():
    congress = make_congress(delegates=5)
    agenda.set_current_item(congress, agenda.add_item(congress, SYSTEM, title="Thảo luận"), SYSTEM)
    Delegate.objects.filter(congress=congress).update(
        attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
    )
    requests = []
    for d in congress.delegates.all():
        r = speakers.request_floor(congress, d, SYSTEM)
        speakers.approve(congress, r, SYSTEM)
        requests.append(r)
    _, errors = at_once([lambda r=r: speakers.start_speaker(congress, r, SYSTEM) for r in requests])
    assert errors == []
    assert (
        SpeakerRequest.objects.filter(congress=congress, status=SpeakerRequest.Status.SPEAKING).count() == 1
    )
    assert (
        SpeakerRequest.objects.filter(congress=congress, status=SpeakerRequest.Status.DONE).count()
        == len(requests) - 1
    )


def test_a_double_tap_on_the_phone_makes_one_request():
    congress = make_congress(delegates=1)
    agenda.set_current_item(congress, agenda.add_item(congress, SYSTEM, title="Thảo luận"), SYSTEM)
    Delegate.objects.filter(congress=congress).update(attendance=Delegate.Attendance.PRESENT)
    d = congress.delegates.get()
    results, errors = at_once([lambda: speakers.request_floor(congress, d, SYSTEM) for _ in range(4)])
    assert len(results) == 1
    assert [e.code for e in errors if isinstance(e, ActionError)] == ["already_requested"] * 3
    assert SpeakerRequest.objects.filter(delegate=d).count() == 1
