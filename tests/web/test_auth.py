"""Signing in: staff by password, delegates by the code on their card; home and dashboard."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM, Role, delegate_session_key
from daihoi.congress.actions.setup import allocate_congress_seats
from daihoi.congress.models import Congress
from daihoi.congress.views.auth import normalize_code
from daihoi.congress.views.dashboard import feature_links, safe_url
from tests.factories import PASSWORD, login_as, make_congress, make_staff

pytestmark = pytest.mark.django_db


def delegate_home_url(congress: Congress) -> str:
    return safe_url("delegate_home", congress.slug) or reverse("delegate_login")


def spaced_lowercase(code: str) -> str:
    """How a delegate types 'ABCDEFGH23' from the card: 'abcd-efgh 23'."""
    return f" {code[:4].lower()}-{code[4:8].lower()} {code[8:].lower()} "


def test_code_typed_with_spaces_dashes_and_lower_case_signs_the_delegate_in():
    congress = make_congress(delegates=3)
    delegate = congress.delegates.get(number=2)
    client = Client()
    response = client.post(reverse("delegate_login"), {"code": spaced_lowercase(delegate.code)})
    assert response.status_code == 302
    assert response["Location"] == delegate_home_url(congress)
    assert client.session[delegate_session_key(congress.pk)] == delegate.pk


def test_normalize_code_ignores_spaces_dashes_and_case():
    assert normalize_code(" abcd-efgh 23 ") == "ABCDEFGH23"
    assert normalize_code("AB–CD.EF_GH\t23") == "ABCDEFGH23"


def test_unknown_code_gets_a_clear_error_and_no_session():
    congress = make_congress(delegates=2)
    client = Client()
    response = client.post(reverse("delegate_login"), {"code": "zzzz-zzzz-zz"})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-code="unknown_code"' in text
    assert "Không tìm thấy đại biểu có mã ZZZZZZZZZZ" in text
    assert delegate_session_key(congress.pk) not in client.session


def test_empty_code_asks_for_the_code():
    response = Client().post(reverse("delegate_login"), {"code": "  "})
    assert response.status_code == 400
    assert 'data-code="code_missing"' in response.content.decode()


def test_guest_code_does_not_sign_in_as_a_delegate():
    congress = make_congress(delegates=2, guests=1)
    guest = congress.guests.get()
    client = Client()
    response = client.post(reverse("delegate_login"), {"code": guest.code})
    assert response.status_code == 400
    assert "Khách mời không có quyền biểu quyết" in response.content.decode()
    assert 'data-code="guest_code"' in response.content.decode()
    assert delegate_session_key(congress.pk) not in client.session
    card = client.get(reverse("delegate_card", args=[guest.code]))
    assert card.status_code == 404
    assert delegate_session_key(congress.pk) not in client.session


def test_qr_link_on_the_card_signs_in_directly():
    congress = make_congress(delegates=3)
    delegate = congress.delegates.get(number=3)
    client = Client()
    response = client.get(reverse("delegate_card", args=[delegate.code.lower()]))
    assert response.status_code == 302
    assert response["Location"] == delegate_home_url(congress)
    assert client.session[delegate_session_key(congress.pk)] == delegate.pk


def test_unknown_qr_link_is_a_404_with_the_reason():
    response = Client().get(reverse("delegate_card", args=["NOPE"]))
    assert response.status_code == 404
    assert 'data-code="unknown_code"' in response.content.decode()


def test_signing_in_rotates_the_session_key():
    congress = make_congress(delegates=2)
    delegate = congress.delegates.first()
    client = Client()
    session = client.session
    session["seen"] = True
    session.save()
    before = client.cookies["sessionid"].value
    client.post(reverse("delegate_login"), {"code": delegate.code})
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session["seen"] is True  # the data moves to the new key


def test_signing_in_is_audited_by_delegate_number():
    congress = make_congress(delegates=4)
    delegate = congress.delegates.get(number=4)
    Client().get(reverse("delegate_card", args=[delegate.code]))
    entry = AuditEntry.objects.get(action="delegate.sign_in")
    assert entry.actor == "delegate:4"
    assert entry.congress_id == congress.pk
    assert entry.after == {"via": "card"}


def test_delegate_login_page_is_phone_friendly():
    response = Client().get(reverse("delegate_login"))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'class="phone"' in text
    assert 'name="viewport"' in text


def test_staff_signs_in_with_password_and_lands_home():
    congress = make_congress()
    user = make_staff(congress, Role.PRESIDIUM, username="chair")
    client = Client()
    response = client.post(reverse("login"), {"username": "chair", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert congress.name in home.content.decode()
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_password_is_refused_with_a_message():
    congress = make_congress()
    make_staff(congress, Role.PRESIDIUM, username="chair")
    response = Client().post(reverse("login"), {"username": "chair", "password": "wrong"})
    assert response.status_code == 200
    assert 'data-code="login_failed"' in response.content.decode()


def test_logout_is_a_post_and_ends_the_session():
    congress = make_congress()
    client = login_as(Client(), congress, Role.ORGANIZER)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_anonymous_home_goes_to_login():
    response = Client().get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_lists_only_the_congresses_where_the_user_has_a_role():
    mine, other = make_congress(), make_congress()
    client = login_as(Client(), mine, Role.SECRETARIAT)
    text = client.get(reverse("home")).content.decode()
    assert mine.name in text
    assert other.name not in text
    assert "Đoàn Thư ký" in text


def test_superuser_home_lists_every_congress():
    first, second = make_congress(), make_congress()
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    text = client.get(reverse("home")).content.decode()
    assert first.name in text
    assert second.name in text


def test_dashboard_shows_the_congress_facts_and_the_allocation():
    congress = make_congress(delegates=12, state=Congress.State.PREPARATION)
    congress.theme = "Đoàn kết – Dân chủ – Kỷ cương – Đổi mới"
    congress.save()
    allocate_congress_seats(congress, SYSTEM)
    client = login_as(Client(), congress, Role.PRESIDIUM)
    response = client.get(reverse("dashboard", args=[congress.slug]))
    text = response.content.decode()
    assert response.status_code == 200
    for fact in ("Hội trường UBND phường", "2020–2025", "20/06/2020", "Chuẩn bị", congress.theme):
        assert fact in text
    assert "Chi bộ khu phố 1" in text
    assert '<th class="num">12</th>' in text  # the seats sum to the total


def test_dashboard_links_follow_the_role():
    congress = make_congress()
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    chair = login_as(Client(), congress, Role.PRESIDIUM)
    setup_link = f'href="{reverse("setup", args=[congress.slug])}"'
    assert setup_link in organizer.get(reverse("dashboard", args=[congress.slug])).content.decode()
    assert setup_link not in chair.get(reverse("dashboard", args=[congress.slug])).content.decode()


def test_safe_url_omits_names_that_do_not_exist_yet():
    assert safe_url("no_such_feature_yet", "x") is None
    assert safe_url("dashboard", "x") == "/c/x/"


def test_healthz_answers_ok_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_a_delegate_signed_in_by_card_is_sent_from_home_to_the_delegate_page():
    congress = make_congress(delegates=1)
    client = Client()
    client.get(reverse("delegate_card", args=[congress.delegates.get().code]))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    expected = safe_url("delegate_home", congress.slug)
    assert response["Location"] == (expected or f"{reverse('login')}?next=/")


@pytest.mark.parametrize(
    "role", [Role.ORGANIZER, Role.PRESIDIUM, Role.SECRETARIAT, Role.CREDENTIALS, Role.COUNTING]
)
def test_every_dashboard_link_opens_for_the_role_that_sees_it(role):
    congress = make_congress(delegates=3)
    client = login_as(Client(), congress, role)
    links = feature_links(congress, frozenset({role}))
    assert links, "each staff role sees at least one feature"
    for link in links:
        if link["name"] == "screen":
            continue  # the projector's link carries the token and is opened by the screen, not the user
        status = client.get(link["url"]).status_code
        assert status == 200, f"{role} sees {link['name']} but gets {status}"
