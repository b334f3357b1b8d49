"""The ballot pages as people use them: the delegate's phone (which encrypts; the JSON cast carries only
ciphertexts), the presidium's not-voted list and everyone's tracker lookup."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.congress.access import Role
from daihoi.congress.models import Congress, Delegate
from daihoi.voting.actions import ballots
from daihoi.voting.models import Election, ElectionParticipation, ElectronicBallot
from tests.factories import delegate_client, login_as
from tests.support.ballots import nonce, open_election
from tests.voting.evote_helpers import encrypt_on_phone, phone_cast


def ballot_url(election: Election) -> str:
    return reverse("delegate_ballot", args=[election.congress.slug, election.pk])


def cast_url(election: Election) -> str:
    return reverse("delegate_ballot_cast", args=[election.congress.slug, election.pk])


def as_delegate(election: Election, number: int) -> Client:
    return delegate_client(Client(), Delegate.objects.get(congress=election.congress, number=number))


def sealed(election: Election, kept: list[str], n: int) -> dict:
    """The body the phone's script posts: nonce, credential and the encrypted ballot."""
    data, credential = encrypt_on_phone(election, kept)
    return {"nonce": nonce(n), "credential": credential, "ballot": data}


def post_json(client: Client, url: str, body: dict) -> object:
    return client.post(url, json.dumps(body), content_type="application/json", HTTP_ACCEPT="application/json")


@pytest.mark.django_db
def test_delegate_sees_every_name_in_ballot_order_with_a_labelled_toggle_and_a_counter():
    election = open_election(candidates=7, seats=5)
    page = as_delegate(election, 1).get(ballot_url(election))
    assert page.status_code == 200
    html = page.content.decode()
    names = [c.full_name for c in ballots.ballot_candidates(election)]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    assert html.count('class="ballot-toggle"') == 7
    assert 'for="keep-c01"' in html and 'id="keep-c01"' in html
    assert 'aria-live="polite"' in html and "Giữ 7/5" in html
    assert page["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_the_page_gives_the_script_the_key_the_spec_and_the_fingerprint_and_no_plain_post():
    election = open_election(candidates=7, seats=5)
    page = as_delegate(election, 1).get(ballot_url(election))
    html = page.content.decode()
    from daihoi.voting.actions import evote

    assert f'data-public-key="{evote.require_key(election).hex()}"' in html
    assert "data-spec=" in html and f'data-election-id="{evote.crypto_id(election)}"' in html
    assert 'type="module"' in html and "<noscript>" in html
    plain = as_delegate(election, 1).post(
        ballot_url(election), {"keep": ["c01"], "nonce": nonce(1), "step": "cast"}
    )
    assert plain.status_code == 405 and not ElectronicBallot.objects.exists()


@pytest.mark.django_db
def test_the_script_casts_as_json_and_a_retry_gets_the_same_answer():
    election = open_election()
    delegate = as_delegate(election, 3)
    body = sealed(election, ["c01", "c05"], 3)
    first = post_json(delegate, cast_url(election), body)
    assert first.status_code == 200
    answer = first.json()
    assert answer["ok"] is True and answer["repeat"] is False and len(answer["tracker"]) == 64
    retry = post_json(delegate, cast_url(election), body)
    assert retry.status_code == 200 and retry.json()["tracker"] == answer["tracker"]
    assert retry.json()["repeat"] is True
    other = post_json(delegate, cast_url(election), sealed(election, ["c02"], 4))
    assert other.status_code == 409 and other.json()["error"]["code"] == "already_voted"
    assert ElectionParticipation.objects.count() == ElectronicBallot.objects.count() == 1


@pytest.mark.django_db
def test_json_cast_refuses_plain_marks_and_garbage_with_a_code():
    election = open_election(candidates=7, seats=5)
    delegate = as_delegate(election, 1)
    plain = post_json(delegate, cast_url(election), {"nonce": nonce(1), "kept": ["c01"]})
    assert plain.status_code == 400 and plain.json()["error"]["code"] == "bad_request"
    garbage = delegate.post(cast_url(election), b"not json", content_type="application/json")
    assert garbage.status_code == 400 and garbage.json()["error"]["code"] == "bad_request"
    broken = post_json(
        delegate, cast_url(election), {**sealed(election, ["c01"], 1), "ballot": {"marks": []}}
    )
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "bad_ballot"
    assert not ElectronicBallot.objects.exists()


@pytest.mark.django_db
def test_a_delegate_not_checked_in_is_told_to_check_in_first():
    election = open_election()
    Delegate.objects.filter(congress=election.congress, number=2).update(
        attendance=Delegate.Attendance.NOT_ARRIVED
    )
    delegate = as_delegate(election, 2)
    page = delegate.get(ballot_url(election))
    assert b'data-code="may_not_vote"' in page.content and b"ballot-toggle" not in page.content
    refused = post_json(delegate, cast_url(election), sealed(election, ["c01"], 2))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "may_not_vote"


@pytest.mark.django_db
def test_staff_cannot_cast_and_guests_are_sent_to_sign_in():
    election = open_election()
    chair = login_as(Client(), election.congress, Role.PRESIDIUM)
    assert post_json(chair, cast_url(election), sealed(election, ["c01"], 1)).status_code == 403
    outsider = Client()
    assert post_json(outsider, cast_url(election), sealed(election, ["c01"], 1)).status_code == 401
    assert outsider.get(ballot_url(election)).status_code == 302
    assert not ElectronicBallot.objects.exists()


@pytest.mark.django_db
def test_a_delegate_of_another_congress_cannot_reach_this_ballot():
    election = open_election()
    other = open_election()
    stranger = delegate_client(Client(), Delegate.objects.get(congress=other.congress, number=1))
    assert post_json(stranger, cast_url(election), sealed(election, ["c01"], 1)).status_code in (
        302,
        401,
        403,
    )
    assert not ElectronicBallot.objects.exists()


@pytest.mark.django_db
def test_a_closed_congress_refuses_the_ballot_page():
    election = open_election()
    Congress.objects.filter(pk=election.congress_id).update(state=Congress.State.CLOSED)
    assert as_delegate(election, 1).get(ballot_url(election)).status_code == 409


@pytest.mark.django_db
def test_presidium_and_counting_see_who_has_not_voted_but_never_a_ballot():
    election = open_election(delegates=5)
    phone_cast(election, Delegate.objects.get(congress=election.congress, number=1), ["c03"], nonce=nonce(1))
    url = reverse("election_not_voted", args=[election.congress.slug, election.pk])
    for role in (Role.PRESIDIUM, Role.COUNTING):
        page = login_as(Client(), election.congress, role).get(url)
        assert page.status_code == 200
        html = page.content.decode()
        voter = Delegate.objects.get(congress=election.congress, number=1)
        assert voter.full_name not in html
        for d in Delegate.objects.filter(congress=election.congress, number__gt=1):
            assert d.full_name in html
        assert "c03" not in html and 'id="voted-count">1<' in html
    listing = login_as(Client(), election.congress, Role.PRESIDIUM).get(
        reverse("election_not_voted_json", args=[election.congress.slug, election.pk])
    )
    assert listing.json()["voted"] == 1 and [d["number"] for d in listing.json()["not_voted"]] == [2, 3, 4, 5]
    assert as_delegate(election, 2).get(url).status_code == 403
    assert login_as(Client(), election.congress, Role.SECRETARIAT).get(url).status_code == 403


@pytest.mark.django_db
def test_after_certification_a_delegate_finds_their_tracker_and_it_says_nothing_of_the_vote():
    election = open_election()
    voter = as_delegate(election, 4)
    tracker = post_json(voter, cast_url(election), sealed(election, ["c02"], 4)).json()["tracker"]
    url = reverse("election_receipts", args=[election.congress.slug, election.pk])
    assert voter.get(url).status_code == 404  # not before certification
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CERTIFIED)
    found = voter.get(url, {"code": tracker.upper()})
    assert found.status_code == 200
    html = found.content.decode()
    name = ballots.ballot_candidates(election)[1].full_name
    assert 'data-code="found"' in html and name not in html
    missing = voter.get(url, {"code": "ab" * 32})
    assert b'data-code="not_found"' in missing.content
    chair = login_as(Client(), election.congress, Role.PRESIDIUM)
    assert tracker in chair.get(url).content.decode()


@pytest.mark.django_db
def test_casting_into_another_congresss_election_is_refused():
    election = open_election()
    other = open_election()
    delegate = as_delegate(election, 1)
    url = reverse("delegate_ballot_cast", args=[election.congress.slug, other.pk])
    refused = post_json(delegate, url, sealed(election, ["c01"], 1))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "wrong_congress"
    missing = reverse("delegate_ballot_cast", args=[election.congress.slug, 999_999_999])
    assert post_json(delegate, missing, sealed(election, ["c01"], 1)).status_code == 404
    assert not ElectronicBallot.objects.exists()


@pytest.mark.django_db
def test_the_delegates_voting_page_links_to_the_open_ballot_and_the_chair_to_who_has_not_voted():
    election = open_election()
    page = as_delegate(election, 1).get(reverse("delegate_motions", args=[election.congress.slug]))
    assert ballot_url(election) in page.content.decode()
    chair = login_as(Client(), election.congress, Role.PRESIDIUM)
    detail = chair.get(reverse("election_detail", args=[election.congress.slug, election.pk]))
    assert (
        reverse("election_not_voted", args=[election.congress.slug, election.pk]) in detail.content.decode()
    )


@pytest.mark.django_db
def test_the_phone_ballot_counts_alternates_only_when_they_are_on_the_same_ballot():
    election = open_election(candidates=7, seats=3, alternates=2)  # one ballot: 3 + 2 names kept
    assert as_delegate(election, 1).get(ballot_url(election)).context["places"] == 5
    Election.objects.filter(pk=election.pk).update(delegation_mode=Election.DelegationMode.SEPARATE)
    # Separate (P15's default): the alternates are elected apart, this ballot keeps 3 at most.
    assert as_delegate(election, 2).get(ballot_url(election)).context["places"] == 3
