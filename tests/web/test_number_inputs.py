"""No 500s from a typed number: every place staff or a script types a whole number answers "²" (isdigit()
is true, int() fails), a 30-digit number (overflows SQLite), a negative number and an empty field with
the coded error of `rules.numbers`, or ignores it where the field is a filter. Deep JSON is refused too."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from daihoi.congress.access import Role
from daihoi.congress.json_body import MAX_JSON_DEPTH, BadJson, load_json, nesting_depth
from daihoi.congress.models import AgendaItem, Congress, Delegate
from daihoi.voting.models import PaperBatch
from tests.factories import delegate_client, login_as, make_congress
from tests.support.ballots import open_election
from tests.support.counting import make_election

pytestmark = pytest.mark.django_db

SUPERSCRIPT, HUGE, NEGATIVE, EMPTY = "²", "1" * 30, "-1", ""
BAD = [SUPERSCRIPT, HUGE, NEGATIVE]
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def congress() -> Congress:
    return make_congress(delegates=12)


def staff(congress: Congress, role: str) -> Client:
    return login_as(Client(), congress, role)


# Filters and search boxes: a bad number is no filter, never a 500 ------------------------------------------


@pytest.mark.parametrize("raw", [*BAD, EMPTY])
def test_the_roll_filters_and_search_take_any_text(congress, raw):
    client = staff(congress, Role.ORGANIZER)
    url = reverse("roll", args=[congress.slug])
    assert client.get(url, {"unit": raw}).status_code == 200
    response = client.get(url, {"q": raw})
    assert response.status_code == 200
    assert response.context["delegates"] == [] or raw == EMPTY


def test_the_roll_search_by_number_still_finds_the_delegate(congress):
    response = staff(congress, Role.ORGANIZER).get(reverse("roll", args=[congress.slug]), {"q": " 7 "})
    assert [d.number for d in response.context["delegates"]] == [7]


@pytest.mark.parametrize("raw", [*BAD, EMPTY])
def test_the_desk_search_takes_any_text(congress, raw):
    response = staff(congress, Role.ORGANIZER).get(reverse("desk_search", args=[congress.slug]), {"q": raw})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_desk_search_by_number_still_finds_the_delegate(congress):
    url = reverse("desk_search", args=[congress.slug])
    response = staff(congress, Role.ORGANIZER).get(url, {"q": " 7 "})
    assert [r["number"] for r in response.json()["results"]] == [7]


@pytest.mark.parametrize("raw", BAD)
def test_cards_for_a_unit_that_is_not_a_number_are_refused_with_its_code(congress, raw):
    response = staff(congress, Role.ORGANIZER).get(reverse("cards_pdf", args=[congress.slug]), {"unit": raw})
    assert response.status_code == 400
    assert response.context["error"].code == "unknown_unit"


# Forms: a bad number is the coded error, with the field named ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [(SUPERSCRIPT, "not_a_number"), (HUGE, "number_too_large"), (NEGATIVE, "number_too_small"), (EMPTY, "number_required")],
)  # fmt: skip
def test_credentials_for_a_bad_number_are_refused_with_its_code(raw, code):
    congress = make_congress(delegates=4, state=Congress.State.PREPARATION)
    response = staff(congress, Role.CREDENTIALS).post(
        reverse("credentials", args=[congress.slug]), {"number": raw, "credential": "accepted"}
    )
    assert response.status_code == 400
    assert response.context["error"].code == code
    assert response.context["error"].message.startswith("Số thứ tự: ")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (SUPERSCRIPT, "Tổng số đại biểu: “²” không phải là số nguyên."),
        (HUGE, "Tổng số đại biểu: 111111… lớn hơn mức tối đa 2147483647"),
        (NEGATIVE, "Tổng số đại biểu: không được là số âm (-1)."),
        (EMPTY, "Tổng số đại biểu: cần ghi một số"),
    ],
)
def test_the_setup_form_names_the_bad_number(raw, shown):
    congress = make_congress(delegates=0, state=Congress.State.PREPARATION)
    response = staff(congress, Role.ORGANIZER).post(
        reverse("setup", args=[congress.slug]),
        {"total_seats": raw, "ex_officio_seats": "1", "minimum_seats_per_unit": "1"},
    )
    assert response.status_code == 400
    assert shown in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "status"), [(SUPERSCRIPT, 400), (HUGE, 400), (NEGATIVE, 400), (EMPTY, 200)]
)  # an empty day is day 1
def test_an_agenda_item_with_a_bad_day_is_refused_with_bad_day(raw, status):
    congress = make_congress(delegates=2, state=Congress.State.PREPARATION)
    response = staff(congress, Role.ORGANIZER).post(
        reverse("agenda_add", args=[congress.slug]), {"title": "Khai mạc", "day": raw}, **FETCH
    )
    assert response.status_code == status
    if status == 400:
        assert response.json()["error"]["code"] == "bad_day"
    assert AgendaItem.objects.filter(congress=congress).count() == (status == 200)


@pytest.mark.parametrize("raw", [*BAD, EMPTY])
def test_the_desk_refuses_a_delegate_id_that_is_not_a_number(congress, raw):
    client = staff(congress, Role.ORGANIZER)
    for name in ("desk_check_out", "desk_excuse"):
        response = client.post(
            reverse(name, args=[congress.slug]),
            json.dumps({"delegate": raw, "reason": "ốm", "nonce": "n-0123456789abcdef"}),
            content_type="application/json",
        )
        assert response.status_code == 400, name
        assert response.json()["error"]["code"] == "bad_delegate"


def test_the_desk_refuses_deep_json_as_an_empty_request(congress):
    response = staff(congress, Role.ORGANIZER).post(
        reverse("desk_check_out", args=[congress.slug]), "[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_delegate"


# Counting ------------------------------------------------------------------------------------------------


@pytest.fixture
def election(congress):
    return make_election(congress, candidates=7, seats=5)


def _url(name: str, election, **extra) -> str:
    return reverse(name, kwargs={"slug": election.congress.slug, "election_id": election.pk, **extra})


@pytest.mark.parametrize("raw", [*BAD, EMPTY])
def test_a_bad_team_is_ignored_and_the_clerk_is_still_asked_to_pick_one(election, raw):
    batch = PaperBatch.objects.create(election=election, number=1)
    clerk = staff(election.congress, Role.COUNTING)
    response = clerk.post(_url("paper_entry", election, batch_id=batch.pk), {"team": raw})
    assert response.status_code == 302
    saved = clerk.post(_url("paper_entry_save", election, batch_id=batch.pk), {"ballot_number": "1"}, **FETCH)
    assert saved.json()["error"]["code"] == "no_team"


@pytest.mark.parametrize(
    ("raw", "code"),
    [(SUPERSCRIPT, "not_a_number"), (HUGE, "number_too_large"), (NEGATIVE, "number_too_small"), (EMPTY, "number_required"), ("9" * 5000, "number_too_large")],
)  # fmt: skip
def test_a_bad_paper_ballot_number_is_refused_with_its_code(election, raw, code):
    # Both teams have finished (P18), so the head may settle a ballot: each view reaches the number.
    batch = PaperBatch.objects.create(election=election, number=1, finished_teams=[1, 2])
    clerk = staff(election.congress, Role.COUNTING)
    clerk.post(_url("paper_entry", election, batch_id=batch.pk), {"team": "1"})
    for name in ("paper_entry_save", "paper_resolve"):
        response = clerk.post(
            _url(name, election, batch_id=batch.pk), {"ballot_number": raw, "keys": "3"}, **FETCH
        )
        assert response.status_code in (400, 403), name  # resolve is the head's: the gate may answer first
        if response.status_code == 400:
            assert response.json()["error"]["code"] == code
    assert not batch.entries.exists()


@pytest.mark.parametrize(
    ("raw", "code"),
    [(SUPERSCRIPT, "not_a_number"), (HUGE, "number_too_large"), (NEGATIVE, "number_negative"), (EMPTY, "issued_missing")],
)  # fmt: skip
def test_a_bad_number_of_ballots_issued_is_refused_with_its_code(election, raw, code):
    clerk = staff(election.congress, Role.COUNTING)
    response = clerk.post(_url("count_issued", election), {"issued": raw}, **FETCH)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


# Elections -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [(SUPERSCRIPT, "not_a_number"), (HUGE, "number_too_large"), (NEGATIVE, "number_too_small"), (EMPTY, "number_required")],
)  # fmt: skip
def test_bad_seats_and_delegate_numbers_in_an_election_are_refused_with_the_message(election, raw, code):
    chair = staff(election.congress, Role.PRESIDIUM)
    response = chair.post(_url("election_seats", election), {"seats": raw}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and shown[0].startswith("Số lượng cần bầu: "), shown
    if raw != EMPTY:  # an empty list of members is the action's own refusal
        response = chair.post(
            _url("election_counting_committee", election), {"members": f"1 {raw}", "head": "1"}, follow=True
        )
        shown = [str(m) for m in response.context["messages"]]
        assert len(shown) == 1 and shown[0].startswith("Số thứ tự đại biểu: "), shown


# The ballot's JSON ---------------------------------------------------------------------------------------


def test_deeply_nested_json_to_cast_is_a_400_with_a_code_not_a_recursion_error():
    election = open_election(delegates=3)
    delegate = Delegate.objects.get(congress=election.congress, number=1)
    client = delegate_client(Client(), delegate)
    url = reverse("delegate_ballot_cast", args=[election.congress.slug, election.pk])
    for body in ("[" * 200_000, '{"kept": ' + "[" * 50 + "]" * 50 + "}", '{"kept": "' + "x" * 70_000 + '"}'):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "bad_request"
    assert not election.participations.exists()


def test_json_bodies_are_bounded_in_size_and_depth():
    assert load_json(b"") == {}
    assert load_json(b'{"a": [1, {"b": "[[[[[[[[[[[[[[[[[[[[[[[[[["}]}') == {"a": [1, {"b": "[" * 26}]}
    assert nesting_depth(b'["\\"[[[["]', stop_after=10) == 1
    with pytest.raises(BadJson) as refused:
        load_json(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert refused.value.code == "json_too_deep"
    assert (
        nesting_depth(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH, stop_after=MAX_JSON_DEPTH)
        == MAX_JSON_DEPTH
    )
    assert load_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH) is not None
    with pytest.raises(BadJson) as refused:
        load_json(b" " * 70_000)
    assert refused.value.code == "json_too_large"
    with pytest.raises(BadJson) as refused:
        load_json(b"{nope")
    assert refused.value.code == "bad_json"


# The command line ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [*BAD, EMPTY, "9" * 5000])
def test_tally_from_db_with_a_bad_id_exits_2_with_one_line(raw):
    with pytest.raises(CommandError) as refused:
        call_command("tally", "--from-db", raw)
    assert refused.value.returncode == 2
    assert "\n" not in str(refused.value) and len(str(refused.value)) < 200


def test_a_30_digit_id_in_a_url_is_a_404_not_an_overflow(election):
    chair = staff(election.congress, Role.PRESIDIUM)
    assert chair.get(_url("election_detail", election)).status_code == 200
    response = chair.get(_url("election_detail", election).replace(f"/{election.pk}/", f"/{HUGE}/"))
    assert response.status_code == 404
