"""The projector screen: the token gate, what the page carries, and the public state it renders."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from daihoi.congress.access import SYSTEM, Role, screen_session_key
from daihoi.congress.actions import agenda, speakers
from daihoi.congress.live import congress_state
from daihoi.congress.models import AgendaItem, Congress, Delegate
from daihoi.congress.views.hall import roman
from tests.factories import delegate_client, login_as, make_congress

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress() -> Congress:
    c = make_congress(delegates=5)
    for title in ["Khai mạc", "Thảo luận văn kiện"]:
        agenda.add_item(c, SYSTEM, title=title)
    agenda.set_current_item(c, AgendaItem.objects.get(congress=c, title="Khai mạc"), SYSTEM)
    Delegate.objects.filter(congress=c).update(
        attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
    )
    return c


def screen_url(congress: Congress, token: str | None = None) -> str:
    return reverse("screen", kwargs={"slug": congress.slug, "token": token or congress.screen_token})


def test_the_screen_opens_with_its_token_without_signing_in(congress, client: Client):
    page = client.get(screen_url(congress))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="screen"' in html
    assert congress.name in html
    assert "lần thứ XV" in html and "Nhiệm kỳ 2020–2025" in html
    assert "daihoi/screen.js" in html and "daihoi/live.js" in html
    assert 'class="topbar"' not in html  # full screen: no navigation bar


def test_the_ordinal_is_shown_when_the_name_does_not_say_it(congress, client: Client):
    Congress.objects.filter(pk=congress.pk).update(name="Đại hội Đảng bộ phường Bến Nghé")
    html = client.get(screen_url(congress)).content.decode()
    assert "Lần thứ XV · Nhiệm kỳ 2020–2025" in html


def test_a_bad_token_is_refused(congress, client: Client):
    response = client.get(screen_url(congress, "not-the-token"))
    assert response.status_code == 401
    assert b'data-code="not_signed_in"' in response.content
    staff = login_as(Client(), congress, Role.ORGANIZER)
    assert staff.get(screen_url(congress, "not-the-token")).status_code == 403


def test_another_congress_token_does_not_open_this_screen(congress, client: Client):
    other = make_congress()
    assert client.get(screen_url(congress, other.screen_token)).status_code == 401


def test_a_delegate_session_does_not_open_the_screen(congress, client: Client):
    delegate_client(client, congress.delegates.first())
    assert client.get(screen_url(congress, "wrong")).status_code == 403


def test_the_screen_remembers_its_token_for_polling(congress, client: Client):
    client.get(screen_url(congress))
    assert client.session[screen_session_key(congress.pk)] == congress.screen_token


def test_the_page_embeds_the_current_state(congress, client: Client):
    d = congress.delegates.get(number=1)
    r = speakers.request_floor(congress, d, SYSTEM, topic="Kinh tế")
    speakers.approve(congress, r, SYSTEM)
    speakers.start_speaker(congress, r, SYSTEM)
    page = client.get(screen_url(congress))
    html = page.content.decode()
    start = html.index('<script id="screen-state" type="application/json">') + len(
        '<script id="screen-state" type="application/json">'
    )
    state = json.loads(html[start : html.index("</script>", start)])
    assert state["agenda"]["current"]["title"] == "Khai mạc"
    assert state["speaker"]["current"]["name"] == d.full_name
    assert state["speaker"]["current"]["topic"] == "Kinh tế"


def test_the_state_carries_the_sections_the_screen_reads(congress):
    state = congress_state(congress)
    assert {"agenda", "speaker"} <= set(state)
    assert set(state["speaker"]) >= {"server_now", "current", "next", "next_count", "queue_size"}
    assert set(state["agenda"]) == {"current", "next", "items"}
    assert state["agenda"]["next"]["title"] == "Thảo luận văn kiện"


def test_the_attendance_section_has_the_keys_the_screen_reads(congress):
    attendance = congress_state(congress)["attendance"]
    assert attendance["present"] == 5 and attendance["convened"] == 5
    assert attendance["quorum"]["is_met"] is True
    assert isinstance(attendance["quorum"]["required"], int)


def test_roman_numerals_for_ordinals():
    assert [roman(n) for n in (1, 4, 9, 14, 15, 19, 40, 1990)] == [
        "I", "IV", "IX", "XIV", "XV", "XIX", "XL", "MCMXC",
    ]  # fmt: skip
