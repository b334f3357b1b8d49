"""The dashboard links the drafts, the units' comment links, the term and the hall address pages, each
only to the roles whose gate lets them in (read from the linked view's gate)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.congress.access import Role
from daihoi.congress.views.dashboard import feature_links
from tests.factories import login_as, make_congress

pytestmark = pytest.mark.django_db

NEW = ("drafts", "unit_links", "term_home", "hall_address", "hall_sheet")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ORGANIZER, {"drafts", "unit_links", "term_home", "hall_address", "hall_sheet"}),
        (Role.SECRETARIAT, {"drafts", "unit_links", "term_home", "hall_sheet"}),
        (Role.PRESIDIUM, {"drafts", "term_home"}),
        (Role.CREDENTIALS, set()),
        (Role.COUNTING, set()),
    ],
)
def test_each_role_sees_the_new_links_its_gate_allows(role, expected):
    congress = make_congress(delegates=2)
    names = {link["name"] for link in feature_links(congress, frozenset({role}))}
    assert names & set(NEW) == expected


def test_the_organizers_dashboard_page_shows_the_drafts_and_term_links():
    congress = make_congress(delegates=2)
    html = (
        login_as(Client(), congress, Role.ORGANIZER).get(reverse("dashboard", args=[congress.slug])).content
    )
    for name in NEW:
        assert f'href="{reverse(name, args=[congress.slug])}"'.encode() in html
