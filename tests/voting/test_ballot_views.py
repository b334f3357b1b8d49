"""The ballot pages as people use them: the delegate on a phone (with and without the script), the
presidium's not-voted list, the organizer's verification switch and everyone's receipt lookup."""

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


def ballot_url(election: Election) -> str:
    return reverse("delegate_ballot", args=[election.congress.slug, election.pk])


def cast_url(election: Election) -> str:
    return reverse("delegate_ballot_cast", args=[election.congress.slug, election.pk])


def as_delegate(election: Election, number: int) -> Client:
    return delegate_client(Client(), Delegate.objects.get(congress=election.congress, number=number))


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
def test_without_the_script_a_delegate_reviews_then_casts_then_sees_the_acknowledgement():
    election = open_election(candidates=7, seats=5)
    delegate = as_delegate(election, 1)
    review = delegate.post(
        ballot_url(election), {"keep": ["c01", "c02"], "nonce": nonce(1), "step": "review"}
    )
    assert review.status_code == 200
    html = review.content.decode()
    assert "Xác nhận phiếu bầu" in html and 'name="keep" value="c02"' in html
    assert not ElectronicBallot.objects.exists()  # reviewing casts nothing
    done = delegate.post(ballot_url(election), {"keep": ["c01", "c02"], "nonce": nonce(1), "step": "cast"})
    assert done.status_code == 200
    assert "Phiếu bầu của bạn đã được ghi nhận." in done.content.decode()
    assert ElectronicBallot.objects.get().marks["c02"] == 1
    again = delegate.get(ballot_url(election))
    assert b'data-code="already_voted"' in again.content and b"ballot-toggle" not in again.content


@pytest.mark.django_db
def test_review_of_too_many_names_is_refused_with_the_numbers():
    election = open_election(candidates=7, seats=5)
    got = as_delegate(election, 1).post(
        ballot_url(election), {"keep": [f"c0{i}" for i in range(1, 8)], "nonce": nonce(1), "step": "review"}
    )
    assert got.status_code == 400
    assert "Bạn chỉ được giữ tối đa 5 người, bạn đang giữ 7." in got.content.decode()


@pytest.mark.django_db
def test_review_of_an_all_struck_ballot_warns_but_lets_the_delegate_cast_it():
    election = open_election()
    delegate = as_delegate(election, 1)
    review = delegate.post(ballot_url(election), {"nonce": nonce(1), "step": "review"})
    assert b'data-code="all_struck"' in review.content
    done = delegate.post(ballot_url(election), {"nonce": nonce(1), "step": "cast"})
    assert done.status_code == 200 and ElectronicBallot.objects.count() == 1


@pytest.mark.django_db
def test_the_script_casts_as_json_and_a_retry_gets_the_same_answer():
    election = open_election(verifiable=True)
    delegate = as_delegate(election, 3)
    first = post_json(delegate, cast_url(election), {"nonce": nonce(3), "kept": ["c01", "c05"]})
    assert first.status_code == 200
    body = first.json()
    assert body["ok"] is True and body["repeat"] is False and len(body["receipt"]) == 10
    retry = post_json(delegate, cast_url(election), {"nonce": nonce(3), "kept": ["c01", "c05"]})
    assert retry.status_code == 200 and retry.json()["receipt"] == body["receipt"]
    assert retry.json()["repeat"] is True
    other = post_json(delegate, cast_url(election), {"nonce": nonce(4), "kept": ["c02"]})
    assert other.status_code == 409 and other.json()["error"]["code"] == "already_voted"
    assert ElectionParticipation.objects.count() == ElectronicBallot.objects.count() == 1


@pytest.mark.django_db
def test_json_cast_refuses_over_selection_and_garbage_with_a_code():
    election = open_election(candidates=7, seats=5)
    delegate = as_delegate(election, 1)
    over = post_json(
        delegate, cast_url(election), {"nonce": nonce(1), "kept": [f"c0{i}" for i in range(1, 7)]}
    )
    assert over.status_code == 400
    assert over.json()["error"] == {
        "code": "too_many_kept",
        "message": "Bạn chỉ được giữ tối đa 5 người, bạn đang giữ 6.",
        "params": {"places": 5, "kept": 6},
    }
    garbage = delegate.post(cast_url(election), b"not json", content_type="application/json")
    assert garbage.status_code == 400 and garbage.json()["error"]["code"] == "bad_request"
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
    refused = post_json(delegate, cast_url(election), {"nonce": nonce(2), "kept": ["c01"]})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "may_not_vote"


@pytest.mark.django_db
def test_staff_cannot_cast_and_guests_are_sent_to_sign_in():
    election = open_election()
    chair = login_as(Client(), election.congress, Role.PRESIDIUM)
    assert post_json(chair, cast_url(election), {"nonce": nonce(1), "kept": []}).status_code == 403
    outsider = Client()
    assert post_json(outsider, cast_url(election), {"nonce": nonce(1), "kept": []}).status_code == 401
    assert outsider.get(ballot_url(election)).status_code == 302
    assert not ElectronicBallot.objects.exists()


@pytest.mark.django_db
def test_a_delegate_of_another_congress_cannot_reach_this_ballot():
    election = open_election()
    other = open_election()
    stranger = delegate_client(Client(), Delegate.objects.get(congress=other.congress, number=1))
    assert post_json(stranger, cast_url(election), {"nonce": nonce(1), "kept": []}).status_code in (
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
    ballots.cast_electronic_ballot(
        election, Delegate.objects.get(congress=election.congress, number=1), ["c03"], nonce=nonce(1)
    )
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
def test_organizer_reads_the_trade_off_before_turning_receipts_on():
    election = open_election(status=Election.Status.LIST_APPROVED)
    url = reverse("election_verification", args=[election.congress.slug, election.pk])
    organizer = login_as(Client(), election.congress, Role.ORGANIZER)
    page = organizer.get(url).content.decode()
    assert "Mã biên nhận cho phép cử tri chứng minh mình đã bầu ai với người khác" in page
    assert "Đang tắt" in page
    assert organizer.post(url, {"enabled": "1"}).status_code == 302
    assert Election.objects.get(pk=election.pk).is_verifiable is True
    assert (
        login_as(Client(), election.congress, Role.PRESIDIUM).post(url, {"enabled": "0"}).status_code == 403
    )
    Election.objects.filter(pk=election.pk).update(status=Election.Status.OPEN)
    refused = organizer.post(url, {"enabled": "0"})
    assert refused.status_code == 409 and b"verification_locked" in refused.content
    assert Election.objects.get(pk=election.pk).is_verifiable is True


@pytest.mark.django_db
def test_after_certification_a_delegate_finds_their_receipt_with_the_names_kept():
    election = open_election(verifiable=True)
    voter = as_delegate(election, 4)
    receipt = post_json(voter, cast_url(election), {"nonce": nonce(4), "kept": ["c02"]}).json()["receipt"]
    url = reverse("election_receipts", args=[election.congress.slug, election.pk])
    assert voter.get(url).status_code == 404  # not before certification
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CERTIFIED)
    typed = receipt.lower()[:5] + "-" + receipt[5:]
    found = voter.get(url, {"code": typed})
    assert found.status_code == 200
    html = found.content.decode()
    name = ballots.ballot_candidates(election)[1].full_name
    assert 'data-code="found"' in html and name in html
    missing = voter.get(url, {"code": "ZZZZZZZZZZ"})
    assert b'data-code="not_found"' in missing.content
    chair = login_as(Client(), election.congress, Role.PRESIDIUM)
    assert receipt in chair.get(url).content.decode()


@pytest.mark.django_db
def test_casting_into_another_congresss_election_is_refused():
    election = open_election()
    other = open_election()
    delegate = as_delegate(election, 1)
    url = reverse("delegate_ballot_cast", args=[election.congress.slug, other.pk])
    refused = post_json(delegate, url, {"nonce": nonce(1), "kept": []})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "wrong_congress"
    missing = reverse("delegate_ballot_cast", args=[election.congress.slug, 999_999_999])
    assert post_json(delegate, missing, {"nonce": nonce(1), "kept": []}).status_code == 404
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
