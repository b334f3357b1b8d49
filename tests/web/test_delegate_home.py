"""The delegate's phone page: name, current item, attendance, asking the floor, own requests, withdraw."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions import agenda, speakers
from daihoi.congress.models import AgendaItem, Congress, Delegate, SpeakerRequest
from tests.factories import delegate_client, login_as, make_congress

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress() -> Congress:
    c = make_congress(delegates=4)
    agenda.add_item(c, SYSTEM, title="Thảo luận văn kiện", presenter="Đoàn Chủ tịch")
    agenda.set_current_item(c, AgendaItem.objects.get(congress=c), SYSTEM)
    Delegate.objects.filter(congress=c, number__lte=3).update(
        attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
    )
    return c


@pytest.fixture
def delegate(congress) -> Delegate:
    return congress.delegates.get(number=1)


@pytest.fixture
def phone(client: Client, delegate) -> Client:
    return delegate_client(client, delegate)


def home(congress: Congress) -> str:
    return reverse("delegate_home", args=[congress.slug])


def test_delegate_home_shows_name_item_attendance_and_the_form(congress, delegate, phone):
    page = phone.get(home(congress))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="phone"' in html
    assert delegate.full_name in html
    assert "Thảo luận văn kiện" in html
    assert 'data-attendance="present"' in html
    assert 'data-action="request-floor"' in html
    assert '<label for="id_topic">' in html


def test_delegate_asks_for_the_floor_and_sees_the_request(congress, delegate, phone):
    response = phone.post(
        reverse("delegate_request_floor", args=[congress.slug]), {"topic": "Góp ý Báo cáo chính trị"}
    )
    assert response.status_code == 302 and response["Location"] == home(congress)
    r = SpeakerRequest.objects.get(delegate=delegate)
    assert (r.topic, r.status) == ("Góp ý Báo cáo chính trị", SpeakerRequest.Status.REQUESTED)
    html = phone.get(home(congress)).content.decode()
    assert f'data-request="{r.pk}" data-status="requested"' in html
    assert "Góp ý Báo cáo chính trị" in html
    assert 'data-action="request-floor"' not in html  # one open request per item
    assert 'data-field="held"' in html


def test_the_topic_is_optional(congress, delegate, phone):
    phone.post(reverse("delegate_request_floor", args=[congress.slug]), {})
    assert SpeakerRequest.objects.get(delegate=delegate).topic == ""
    assert "(không nêu nội dung)" in phone.get(home(congress)).content.decode()


def test_delegate_home_shows_each_status_and_the_decline_reason(congress, delegate, phone):
    r = speakers.request_floor(congress, delegate, SYSTEM, topic="Một")
    speakers.decline(congress, r, SYSTEM, reason="Đã có ý kiến tương tự")
    second = speakers.request_floor(congress, delegate, SYSTEM, topic="Hai")
    speakers.approve(congress, second, SYSTEM)
    html = phone.get(home(congress)).content.decode()
    assert f'data-request="{r.pk}" data-status="declined"' in html
    assert "Đã có ý kiến tương tự" in html
    assert f'data-request="{second.pk}" data-status="approved"' in html
    speakers.start_speaker(congress, second, SYSTEM)
    assert "Mời đồng chí phát biểu." in phone.get(home(congress)).content.decode()


def test_delegate_withdraws_from_the_phone(congress, delegate, phone):
    r = speakers.request_floor(congress, delegate, SYSTEM)
    response = phone.post(reverse("delegate_withdraw", args=[congress.slug, r.pk]))
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == SpeakerRequest.Status.WITHDRAWN


def test_a_delegate_cannot_withdraw_someone_elses_request(congress, phone):
    other = congress.delegates.get(number=2)
    r = speakers.request_floor(congress, other, SYSTEM)
    response = phone.post(reverse("delegate_withdraw", args=[congress.slug, r.pk]))
    assert response.status_code == 400
    assert b'data-code="not_yours"' in response.content
    r.refresh_from_db()
    assert r.status == SpeakerRequest.Status.REQUESTED


def test_a_delegate_not_yet_checked_in_is_told_to_check_in(congress, client: Client):
    late = congress.delegates.get(number=4)
    delegate_client(client, late)
    html = client.get(home(congress)).content.decode()
    assert 'data-attendance="not_arrived"' in html
    assert 'data-action="request-floor"' not in html
    response = client.post(reverse("delegate_request_floor", args=[congress.slug]), {"topic": "x"})
    assert response.status_code == 400
    assert b'data-code="not_present"' in response.content


def test_a_too_long_topic_is_refused_and_what_was_typed_is_kept(congress, phone):
    typed = "Góp ý " + "x" * 300
    response = phone.post(reverse("delegate_request_floor", args=[congress.slug]), {"topic": typed})
    assert response.status_code == 400
    assert b'data-code="topic_too_long"' in response.content
    assert f'value="{typed}"' in response.content.decode()


def test_asking_twice_shows_already_requested(congress, delegate, phone):
    url = reverse("delegate_request_floor", args=[congress.slug])
    phone.post(url, {"topic": "Một"})
    response = phone.post(url, {"topic": "Hai"})
    assert response.status_code == 400
    assert b'data-code="already_requested"' in response.content
    assert SpeakerRequest.objects.filter(delegate=delegate).count() == 1


def test_a_delegate_sees_only_their_own_requests(congress, delegate, phone):
    speakers.request_floor(congress, congress.delegates.get(number=2), SYSTEM, topic="Chuyện người khác")
    assert "Chuyện người khác" not in phone.get(home(congress)).content.decode()


def test_staff_and_anonymous_do_not_get_the_delegate_page(congress, client: Client):
    anonymous = client.get(home(congress))
    assert anonymous.status_code == 302 and anonymous["Location"] == reverse("delegate_login")
    chair = login_as(Client(), congress, Role.PRESIDIUM)
    assert chair.get(home(congress)).status_code == 403


def test_a_delegate_of_another_congress_is_refused(congress):
    other = make_congress(delegates=1)
    stranger = delegate_client(Client(), other.delegates.get())
    response = stranger.post(reverse("delegate_request_floor", args=[congress.slug]), {})
    assert response.status_code in (302, 401, 403)
    assert not SpeakerRequest.objects.filter(congress=congress).exists()


def test_card_sign_in_lands_on_the_delegate_home(congress, delegate, client: Client):
    response = client.get(reverse("delegate_card", args=[delegate.code]))
    assert response.status_code == 302 and response["Location"] == home(congress)
    assert delegate.full_name in client.get(home(congress)).content.decode()
