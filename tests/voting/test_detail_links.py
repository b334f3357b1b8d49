"""The election and motion pages link to the counting pages and documents: each person sees exactly the
links whose gate lets them in, only when the link makes sense in the election's (motion's) state, and
every link shown opens (200) for that person."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.models import Congress, Delegate, StaffRole
from daihoi.voting.actions import counting
from daihoi.voting.actions import motions as motion_actions
from daihoi.voting.models import Election, Motion
from daihoi.voting.views.links import ELECTION_LINKS, MOTION_LINKS
from tests.factories import delegate_client
from tests.support.counting import HEAD, worked_example

pytestmark = pytest.mark.django_db

STAFF_PERSONAS = ("organizer", "presidium", "secretariat", "counting", "credentials")
PERSONAS = (*STAFF_PERSONAS, "delegate", "outsider")
ROLE = {
    "organizer": Role.ORGANIZER,
    "presidium": Role.PRESIDIUM,
    "secretariat": Role.SECRETARIAT,
    "counting": Role.COUNTING,
    "credentials": Role.CREDENTIALS,
}

PRINT = {"paper_ballot_pdf", "paper_ballot_pdf_a4"}
DOCUMENTS = {"minutes_pdf", "minutes_docx", "announcement_pdf", "announcement_docx", "ballots_zip"}

# Read off the gates (the roles on each linked view) and the states where each link makes sense.
# The election page itself is for the presidium, the organizer, the secretariat and the counting committee.
ELECTION_EXPECTED: dict[str, dict[str, set[str]]] = {
    "preparing": {
        "organizer": {"election_key"},
        "presidium": {"election_key"},
        "secretariat": set(),
        "counting": {"election_key"},
    },
    "list_approved": {
        "organizer": PRINT | {"election_key"},
        "presidium": {"election_key"},
        "secretariat": set(),
        "counting": PRINT | {"election_key"},
    },
    "open": {
        "organizer": PRINT,
        "presidium": {"election_not_voted"},
        "secretariat": set(),
        "counting": PRINT | {"election_not_voted"},
    },
    "closed": {
        "organizer": {"paper_batches", "election_key"},
        "presidium": {"election_not_voted", "election_key"},
        "secretariat": set(),
        "counting": {"election_not_voted", "paper_batches", "count_page", "election_key"},
    },
    "certified": {
        "organizer": DOCUMENTS | {"paper_batches", "election_receipts"},
        "presidium": DOCUMENTS | {"election_receipts"},
        "secretariat": DOCUMENTS | {"election_receipts"},
        "counting": DOCUMENTS | {"paper_batches", "count_page", "election_receipts"},
    },
}
MOTION_MINUTES = {"motion_minutes_pdf", "motion_minutes_docx"}
MOTION_EXPECTED: dict[str, dict[str, set[str]]] = {
    "draft": {"organizer": set(), "presidium": set(), "secretariat": set()},
    "open": {"organizer": set(), "presidium": set(), "secretariat": set()},
    "closed": {
        "organizer": MOTION_MINUTES | {"motion_minutes_json"},
        "presidium": MOTION_MINUTES | {"motion_minutes_json"},
        "secretariat": MOTION_MINUTES | {"motion_minutes_json"},
    },
}

LINK = re.compile(r'data-link="([^"]+)" href="([^"]+)"')


def client_for(persona: str, congress: Congress) -> Client:
    if persona in ROLE:
        # As `login_as`, without hashing a password for each of the many personas here.
        user = get_user_model().objects.create(username=f"{persona}-{congress.slug}")
        StaffRole.objects.create(user=user, congress=congress, role=ROLE[persona])
        client = Client()
        client.force_login(user)
        return client
    if persona == "delegate":
        return delegate_client(Client(), congress.delegates.order_by("number").first())
    return Client()


def links_on(response) -> dict[str, str]:
    return {key: html.unescape(url) for key, url in LINK.findall(response.content.decode())}


def election_in(status: str) -> Election:
    """The party worked example (7 names, paper ballots) with electronic casting and receipts, in `status`."""
    election = worked_example()
    Election.objects.filter(pk=election.pk).update(allows_electronic=True, is_verifiable=True)
    election.refresh_from_db()
    if status == "certified":
        counting.certify(election, HEAD)
    else:
        Election.objects.filter(pk=election.pk).update(status=status)
    election.refresh_from_db()
    return election


def sensible_urls(links, obj, congress: Congress, **kwargs) -> dict[str, str]:
    """Every link that makes sense in the object's state, whoever asks."""
    return {
        link.key: reverse(link.name, kwargs={"slug": congress.slug, **kwargs}) + link.query
        for link in links
        if link.makes_sense(obj)
    }


def check_persona(client: Client, page: str, expected: set[str] | None, sensible: dict[str, str]) -> None:
    response = client.get(page)
    if expected is None:  # the page itself is not for this person
        assert response.status_code in (302, 401, 403)
        return
    assert response.status_code == 200
    shown = links_on(response)
    assert set(shown) == expected
    for key, url in shown.items():
        assert url == sensible[key]
        assert client.get(url).status_code == 200, key
    # What is not shown is what the gate refuses: the same person is turned away there.
    for key in set(sensible) - set(shown):
        assert client.get(sensible[key]).status_code in (302, 401, 403), key


@pytest.mark.parametrize("status", list(ELECTION_EXPECTED))
def test_the_election_page_shows_each_person_exactly_the_counting_links_their_role_may_open(status):
    election = election_in(status)
    congress = election.congress
    page = reverse("election_detail", args=[congress.slug, election.pk])
    sensible = sensible_urls(ELECTION_LINKS, election, congress, election_id=election.pk)
    for persona in PERSONAS:
        client = client_for(persona, congress)
        check_persona(client, page, ELECTION_EXPECTED[status].get(persona), sensible)


def test_a_closed_congress_hides_paper_entry_whose_gate_wants_the_congress_in_session():
    election = election_in("certified")
    congress = election.congress
    Congress.objects.filter(pk=congress.pk).update(state=Congress.State.CLOSED)
    clerk = client_for("counting", congress)
    shown = links_on(clerk.get(reverse("election_detail", args=[congress.slug, election.pk])))
    assert set(shown) == DOCUMENTS | {"count_page", "election_receipts"}
    paper = reverse("paper_batches", args=[congress.slug, election.pk])
    assert clerk.get(paper).status_code == 409


def test_an_election_without_paper_or_electronic_casting_offers_neither_kind_of_link():
    election = election_in("closed")
    Election.objects.filter(pk=election.pk).update(allows_paper=False, allows_electronic=False)
    clerk = client_for("counting", election.congress)
    shown = links_on(clerk.get(reverse("election_detail", args=[election.congress.slug, election.pk])))
    assert set(shown) == {"count_page"}


def motion_in(status: str) -> Motion:
    election = worked_example()  # any congress in session with delegates
    congress = election.congress
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    motion = motion_actions.create_motion(congress, actor=SYSTEM, title="Thông qua chương trình đại hội")
    if status in ("open", "closed"):
        motion_actions.open_motion(motion, actor=SYSTEM)
    if status == "closed":
        motion_actions.close_motion(motion, actor=SYSTEM, yes=25, no=3, abstain=2)
    motion.refresh_from_db()
    assert motion.status == status
    return motion


@pytest.mark.parametrize("status", list(MOTION_EXPECTED))
def test_the_motion_page_links_its_minutes_once_closed_to_those_who_may_open_them(status):
    motion = motion_in(status)
    congress = motion.congress
    page = reverse("motion_detail", args=[congress.slug, motion.pk])
    sensible = sensible_urls(MOTION_LINKS, motion, congress, motion_id=motion.pk)
    for persona in PERSONAS:
        client = client_for(persona, congress)
        check_persona(client, page, MOTION_EXPECTED[status].get(persona), sensible)


@pytest.mark.parametrize("status", ["closed", "certified"])
def test_the_release_button_is_on_the_election_page_for_those_the_release_gate_lets_in(status):
    election = election_in(status)
    congress = election.congress
    page = reverse("election_detail", args=[congress.slug, election.pk])
    for persona in ("organizer", "presidium", "secretariat", "counting"):
        shown = 'id="election-release"' in client_for(persona, congress).get(page).content.decode()
        assert shown == (status == "certified" and persona in ("presidium", "counting")), persona


def test_the_presidium_releases_the_result_from_the_election_page_and_comes_back_to_it():
    election = election_in("certified")
    congress = election.congress
    chair = client_for("presidium", congress)
    page = reverse("election_detail", args=[congress.slug, election.pk])
    response = chair.post(
        reverse("count_release", args=[congress.slug, election.pk]), {"next": page, "confirm": "1"}
    )
    assert response.status_code == 302 and response["Location"] == page
    election.refresh_from_db()
    assert election.is_released
    assert 'id="unrelease"' in chair.get(page).content.decode()


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_release_never_sends_anyone_to_another_site(target):
    election = election_in("certified")
    congress = election.congress
    chair = client_for("presidium", congress)
    response = chair.post(
        reverse("count_release", args=[congress.slug, election.pk]), {"next": target, "confirm": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("count_page", args=[congress.slug, election.pk])
