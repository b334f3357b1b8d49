"""The desk, the board and state.json through the test client, as the people who use them."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.congress import live
from daihoi.congress.access import Role
from daihoi.congress.models import CheckIn, Congress, Delegate
from daihoi.congress.names import normalize_name, search_key
from tests.factories import comparable, delegate_client, login_as, make_congress

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress() -> Congress:
    return make_congress(delegates=9, guests=1)


@pytest.fixture
def clerk(congress: Congress) -> Client:
    return login_as(Client(), congress, Role.ORGANIZER)


def scan(client: Client, congress: Congress, code: str, nonce: str):
    return client.post(
        reverse("desk_scan", args=[congress.slug]),
        data=json.dumps({"code": code, "nonce": nonce}),
        content_type="application/json",
    )


def test_clerk_gets_the_desk_with_one_autofocused_scan_field(congress, clerk):
    page = clerk.get(reverse("desk", args=[congress.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="scan"' in html and "autofocus" in html
    assert "daihoi/desk.js" in html and "daihoi/live.js" in html
    assert "Chưa đủ số lượng: 0/9 đại biểu có mặt, cần 6" in html


def test_credentials_committee_may_use_the_desk_but_the_presidium_may_not(congress):
    assert (
        login_as(Client(), congress, Role.CREDENTIALS).get(reverse("desk", args=[congress.slug])).status_code
        == 200
    )
    chair = login_as(Client(), congress, Role.PRESIDIUM)
    assert chair.get(reverse("desk", args=[congress.slug])).status_code == 403
    refused = scan(chair, congress, congress.delegates.first().code, "chair-nonce-1")
    assert refused.status_code == 403 and not CheckIn.objects.exists()


def test_scan_confirms_with_name_unit_seat_and_the_new_counts(congress, clerk):
    d = congress.delegates.get(number=1)
    answer = scan(clerk, congress, f"http://hall.local/d/{d.code}/", "desk-nonce-0001")
    assert answer.status_code == 200
    body = answer.json()
    assert body["ok"] and body["result"]["full_name"] == d.full_name
    assert body["result"]["seat_number"] == "A001" and body["result"]["unit"] == d.unit.name
    assert body["attendance"]["present"] == 1


def test_a_retried_post_with_the_same_nonce_answers_the_same_and_counts_once(congress, clerk):
    d = congress.delegates.get(number=2)
    first = scan(clerk, congress, d.code, "desk-nonce-0002").json()
    again = scan(clerk, congress, d.code, "desk-nonce-0002").json()
    assert again["ok"] and again["result"]["is_repeat"]
    assert again["result"]["at"] == first["result"]["at"]
    assert again["attendance"]["present"] == 1


def test_refusals_come_back_as_json_with_their_code_and_message(congress, clerk):
    d = congress.delegates.get(number=3)
    scan(clerk, congress, d.code, "desk-nonce-0003")
    again = scan(clerk, congress, d.code, "desk-nonce-0004")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_checked_in"
    assert "đã điểm danh lúc" in again.json()["error"]["message"]
    unknown = scan(clerk, congress, "NOPE2345", "desk-nonce-0005")
    assert unknown.status_code == 409 and unknown.json()["error"]["code"] == "unknown_code"
    guest = scan(clerk, congress, congress.guests.get().code, "desk-nonce-0006").json()
    assert guest["error"]["code"] == "not_a_delegate" and guest["attendance"]["guests"]["present"] == 1
    bad = scan(clerk, congress, d.code, "")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_nonce"


def test_a_plain_form_post_works_too(congress, clerk):
    d = congress.delegates.get(number=4)
    answer = clerk.post(
        reverse("desk_scan", args=[congress.slug]), {"code": d.code, "nonce": "form-nonce-0001"}
    )
    assert answer.json()["ok"]


def test_search_without_diacritics_finds_the_delegate(congress, clerk):
    name = normalize_name("Nguyễn Văn Ánh")
    Delegate.objects.filter(congress=congress, number=5).update(full_name=name, search_name=search_key(name))
    found = clerk.get(reverse("desk_search", args=[congress.slug]), {"q": "nguyen van anh"}).json()["results"]
    assert [r["full_name"] for r in found] == ["Nguyễn Văn Ánh"]
    assert found[0]["attendance"] == "not_arrived" and "code" not in found[0]
    typed_with_marks = clerk.get(
        reverse("desk_search", args=[congress.slug]), {"q": "Nguyễn  VĂN ánh"}
    ).json()
    assert [r["number"] for r in typed_with_marks["results"]] == [5]
    by_number = clerk.get(reverse("desk_search", args=[congress.slug]), {"q": "5"}).json()["results"]
    assert [r["number"] for r in by_number] == [5]
    assert clerk.get(reverse("desk_search", args=[congress.slug]), {"q": ""}).json()["results"] == []


def test_search_never_shows_another_congress(congress, clerk):
    other = make_congress(delegates=3)
    name = other.delegates.get(number=1).search_name
    found = clerk.get(reverse("desk_search", args=[congress.slug]), {"q": name}).json()["results"]
    assert all(r["id"] not in set(other.delegates.values_list("pk", flat=True)) for r in found)


def test_check_in_by_search_then_check_out_then_excuse_someone_else(congress, clerk):
    one, two = congress.delegates.get(number=6), congress.delegates.get(number=7)
    url = reverse("desk_scan", args=[congress.slug])
    answer = clerk.post(
        url, json.dumps({"delegate": one.pk, "nonce": "search-nonce-01"}), content_type="application/json"
    )
    assert answer.json()["result"]["number"] == 6
    out = clerk.post(
        reverse("desk_check_out", args=[congress.slug]),
        json.dumps({"delegate": one.pk, "nonce": "search-nonce-02"}),
        content_type="application/json",
    ).json()
    assert out["ok"] and out["attendance"]["left"] == 1 and out["attendance"]["present"] == 0
    excused = clerk.post(
        reverse("desk_excuse", args=[congress.slug]),
        json.dumps({"delegate": two.pk, "reason": "Đi công tác", "nonce": "search-nonce-03"}),
        content_type="application/json",
    ).json()
    assert excused["ok"] and excused["attendance"]["excused"] == 1
    assert excused["attendance"]["base"]["value"] == 8
    no_reason = clerk.post(
        reverse("desk_excuse", args=[congress.slug]),
        json.dumps(
            {"delegate": congress.delegates.get(number=8).pk, "reason": "", "nonce": "search-nonce-04"}
        ),
        content_type="application/json",
    )
    assert no_reason.status_code == 400 and no_reason.json()["error"]["code"] == "reason_required"


def test_a_delegate_of_another_congress_cannot_be_checked_in_by_id(congress, clerk):
    stranger = make_congress(delegates=1).delegates.get()
    answer = clerk.post(
        reverse("desk_scan", args=[congress.slug]),
        json.dumps({"delegate": stranger.pk, "nonce": "search-nonce-05"}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_delegate"
    assert not Delegate.objects.get(pk=stranger.pk).is_present


def test_the_desk_of_a_closed_congress_says_so_and_refuses_scans(clerk, congress):
    Congress.objects.filter(pk=congress.pk).update(state=Congress.State.CLOSED)
    assert b'data-code="congress_closed"' in clerk.get(reverse("desk", args=[congress.slug])).content
    answer = scan(clerk, congress, congress.delegates.first().code, "closed-nonce-01")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "congress_closed"


@pytest.mark.parametrize("role", sorted(Role.STAFF))
def test_every_staff_role_sees_the_board(congress, role):
    client = login_as(Client(), congress, role)
    page = client.get(reverse("board", args=[congress.slug]))
    assert page.status_code == 200
    assert "Chưa đủ số lượng: 0/9 đại biểu có mặt, cần 6" in page.content.decode()


def test_the_board_shows_the_quorum_met_with_the_figures(congress):
    Delegate.objects.filter(congress=congress, number__lte=6).update(attendance=Delegate.Attendance.PRESENT)
    html = (
        login_as(Client(), congress, Role.PRESIDIUM)
        .get(reverse("board", args=[congress.slug]))
        .content.decode()
    )
    assert 'data-quorum="met"' in html
    assert "Đủ số lượng: 6/9 đại biểu có mặt, cần 6" in html
    assert 'data-stat="present">6<' in html and "daihoi/board.js" in html


def test_a_delegate_may_not_see_the_board(congress):
    client = delegate_client(Client(), congress.delegates.first())
    assert client.get(reverse("board", args=[congress.slug])).status_code == 403


def test_state_json_is_the_live_state_for_staff_delegates_and_screens(congress, clerk):
    url = reverse("state_json", args=[congress.slug])
    expected = comparable(json.loads(json.dumps(live.congress_state(congress))))
    assert comparable(clerk.get(url).json()) == expected
    assert comparable(delegate_client(Client(), congress.delegates.first()).get(url).json()) == expected
    assert comparable(Client().get(url, {"screen": congress.screen_token}).json()) == expected
    assert expected["attendance"]["convened"] == 9


def test_state_json_refuses_outsiders(congress):
    url = reverse("state_json", args=[congress.slug])
    assert Client().get(url).status_code == 401
    assert Client().get(url, {"screen": "wrong-token"}).status_code == 401
    outsider = login_as(Client(), make_congress(delegates=1), Role.ORGANIZER)
    assert outsider.get(url).status_code in (401, 403)
