"""The shared steps of the hall actions (congress/actions/steps.py): guard, locked row, commit."""

from __future__ import annotations

import pytest
from django.db import transaction

from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM
from daihoi.congress.actions.steps import commit_change, lock_congress, locked_row, require_in_session
from daihoi.congress.errors import ActionError
from daihoi.congress.models import AgendaItem, Congress
from tests.factories import make_congress

pytestmark = pytest.mark.django_db


def test_the_in_session_guard_refuses_with_one_code_and_names_the_state():
    congress = make_congress(delegates=1, state=Congress.State.PREPARATION)
    with pytest.raises(ActionError) as refused:
        require_in_session(congress, "không được (hiện: “%(state)s”)")
    assert refused.value.code == "not_in_session"
    assert congress.get_state_display() in str(refused.value.message)
    require_in_session(make_congress(delegates=1), "—")  # in session: no error


def test_a_row_of_another_congress_is_not_found_with_the_given_code():
    congress, other = make_congress(delegates=1), make_congress(delegates=1)
    theirs = AgendaItem.objects.create(congress=other, order=1, title="Khai mạc")
    with transaction.atomic(), pytest.raises(ActionError) as refused:
        locked_row(AgendaItem.objects.filter(congress=congress), theirs.pk, "item_not_found", "số %(id)s")
    assert refused.value.code == "item_not_found"
    assert str(theirs.pk) in str(refused.value.message)


def test_a_committed_change_is_saved_audited_and_published_after_commit(django_capture_on_commit_callbacks):
    congress = make_congress(delegates=1)
    item = AgendaItem.objects.create(congress=congress, order=1, title="Khai mạc")
    with django_capture_on_commit_callbacks() as published, transaction.atomic():
        locked = lock_congress(congress)
        item.title = "Khai mạc đại hội"
        commit_change(
            locked, item, SYSTEM, "agenda.edit", {"title": "Khai mạc"}, {"title": item.title}, ["title"]
        )
    assert AgendaItem.objects.get(pk=item.pk).title == "Khai mạc đại hội"
    entry = AuditEntry.objects.filter(congress_id=congress.pk, action="agenda.edit").get()
    assert entry.actor == "system"
    assert len(published) >= 1
