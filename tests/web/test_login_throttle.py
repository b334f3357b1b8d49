"""Sign-ins are throttled (staff passwords per account and address, card codes per address) with a
clear translated message, and staff passwords go through Django's validators."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from daihoi.congress.access import Role
from daihoi.congress.demo import DEMO_PASSWORD, DEMO_USERS
from daihoi.web import throttle
from tests.factories import PASSWORD, make_congress, make_staff

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


@override_settings(DAIHOI_LOGIN_ATTEMPTS=3)
def test_staff_login_is_locked_after_too_many_wrong_passwords_even_with_the_right_one():
    congress = make_congress(delegates=1)
    make_staff(congress, Role.PRESIDIUM, username="chair")
    client = Client()
    for _ in range(3):
        response = sign_in(client, "chair", "wrong")
        assert response.status_code == 200 and 'data-code="login_failed"' in response.content.decode()
    response = sign_in(client, "chair", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-code="throttled"' in page and 'data-code="login_failed"' not in page
    assert "Xin đợi 15 phút" in page
    assert "_auth_user_id" not in client.session


@override_settings(DAIHOI_LOGIN_ATTEMPTS=3)
def test_a_locked_account_is_one_account_from_one_address():
    congress = make_congress(delegates=1)
    make_staff(congress, Role.PRESIDIUM, username="chair")
    make_staff(congress, Role.SECRETARIAT, username="clerk")
    for _ in range(3):
        sign_in(Client(), "chair", "wrong")
    assert sign_in(Client(), "clerk", PASSWORD).status_code == 302
    assert sign_in(Client(REMOTE_ADDR="10.0.0.9"), "chair", PASSWORD).status_code == 302
    assert sign_in(Client(), "Chair", PASSWORD).status_code == 429  # the name as typed, any case


@override_settings(DAIHOI_LOGIN_ATTEMPTS=3)
def test_a_right_password_resets_the_count_and_the_lock_ends_with_its_window(monkeypatch):
    congress = make_congress(delegates=1)
    make_staff(congress, Role.PRESIDIUM, username="chair")
    for _ in range(2):
        sign_in(Client(), "chair", "wrong")
    assert sign_in(Client(), "chair", PASSWORD).status_code == 302
    for _ in range(2):
        sign_in(Client(), "chair", "wrong")
    assert sign_in(Client(), "chair", "wrong").status_code == 200  # the third failure since the reset
    assert sign_in(Client(), "chair", PASSWORD).status_code == 429
    now = throttle.time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: now + 901)
    assert sign_in(Client(), "chair", PASSWORD).status_code == 302


@override_settings(DAIHOI_CODE_ATTEMPTS=3)
def test_card_codes_are_locked_per_address_after_too_many_wrong_codes():
    congress = make_congress(delegates=2)
    phone = Client()
    for i in range(3):
        response = phone.post(reverse("delegate_login"), {"code": f"WRONG{i}"})
        assert response.status_code == 400
    good = congress.delegates.get(number=1).code
    response = phone.post(reverse("delegate_login"), {"code": good})
    assert response.status_code == 429
    assert 'data-code="throttled"' in response.content.decode()
    assert phone.get(reverse("delegate_card", args=[good])).status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.7").get(reverse("delegate_card", args=[good])).status_code == 302


@override_settings(DAIHOI_CODE_ATTEMPTS=3)
def test_a_right_code_does_not_reset_the_count_of_wrong_ones():
    congress = make_congress(delegates=2)
    good = congress.delegates.get(number=1).code
    phone = Client()
    for i in range(2):
        phone.post(reverse("delegate_login"), {"code": f"WRONG{i}"})
    assert phone.post(reverse("delegate_login"), {"code": good}).status_code == 302
    phone.post(reverse("delegate_login"), {"code": "WRONG9"})
    assert phone.post(reverse("delegate_login"), {"code": good}).status_code == 429


@override_settings(LANGUAGE_CODE="en")
@override_settings(DAIHOI_CODE_ATTEMPTS=1)
def test_the_lock_message_is_translated():
    phone = Client()
    phone.cookies["django_language"] = "en"
    phone.post(reverse("delegate_login"), {"code": "WRONG"})
    page = phone.post(
        reverse("delegate_login"), {"code": "WRONG"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Too many wrong attempts from this device" in page


def test_weak_staff_passwords_are_refused_by_the_validators():
    for weak in ("12345678901", "password123", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_the_demo_and_test_passwords_pass_the_validators():
    from django.contrib.auth import get_user_model

    for username, _role, _label in DEMO_USERS:
        validate_password(DEMO_PASSWORD, get_user_model()(username=username))
    validate_password(PASSWORD, get_user_model()(username="chair"))
