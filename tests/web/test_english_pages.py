"""The English UI in English: the election's step names, counts with the right plural ("1 delegate",
"2 delegates"), and the projector's vote count ("1 vote")."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from daihoi.congress.models import Delegate, StaffRole
from daihoi.rules.procedure import ELECTION_STEPS
from tests.factories import login_as, make_congress, make_election

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    yield
    translation.activate(settings.LANGUAGE_CODE)  # the middleware leaves English active in this thread


def page(congress, election, language: str) -> str:
    client = login_as(Client(), congress, StaffRole.Role.ORGANIZER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("election_detail", args=[congress.slug, election.pk])).content.decode()


def test_the_steps_of_an_election_are_named_in_english(english):
    congress = make_congress(delegates=6)
    election = make_election(congress, candidates=3, seats=2)
    en = page(congress, election, "en")
    for _code, vietnamese in ELECTION_STEPS:
        assert vietnamese not in en
    assert "Vote on the number to elect" in en and "Voting, counting, announcing the result" in en
    vi = page(congress, election, "vi")
    assert all(vietnamese in vi for _code, vietnamese in ELECTION_STEPS)


@pytest.mark.parametrize(("present", "expected"), [(1, "Present: 1 delegate;"), (2, "Present: 2 delegates;")])
def test_a_count_of_one_is_singular_in_english(english, present, expected):
    congress = make_congress(delegates=4)
    ids = list(congress.delegates.order_by("number").values_list("pk", flat=True)[:present])
    Delegate.objects.filter(pk__in=ids).update(attendance=Delegate.Attendance.PRESENT)
    election = make_election(congress, candidates=3, seats=2)
    assert expected in page(congress, election, "en")


def test_plural_messages_follow_the_count():
    with translation.override("en"):
        assert (
            translation.ngettext(
                "Lô %(batch)s đã khớp và được chốt: %(n)s phiếu.",
                "Lô %(batch)s đã khớp và được chốt: %(n)s phiếu.",
                1,
            )
            % {"batch": 2, "n": 1}
            == "Batch 2 matched and locked: 1 ballot."
        )
        assert translation.pgettext("one vote for a candidate", "phiếu") == "vote"
        assert translation.pgettext("votes for a candidate", "phiếu") == "votes"
