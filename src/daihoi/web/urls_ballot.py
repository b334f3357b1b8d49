"""Electronic ballots: the delegate's ballot and cast, who has not voted, verification mode, receipts."""

from django.urls import URLPattern, URLResolver, path

from daihoi.voting.views import ballot, evote

urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<slug:slug>/me/elections/<int:election_id>/", ballot.ballot, name="delegate_ballot"),
    path("c/<slug:slug>/me/elections/<int:election_id>/cast.json", ballot.cast, name="delegate_ballot_cast"),
    path("c/<slug:slug>/elections/<int:election_id>/not-voted/", ballot.not_voted, name="election_not_voted"),
    path(
        "c/<slug:slug>/elections/<int:election_id>/not-voted.json",
        ballot.not_voted,
        name="election_not_voted_json",
    ),
    path("c/<slug:slug>/elections/<int:election_id>/key/", evote.key_page, name="election_key"),
    path("c/<slug:slug>/me/elections/<int:election_id>/key/", evote.member_page, name="member_key"),
    path(
        "c/<slug:slug>/me/elections/<int:election_id>/key/state.json",
        evote.member_state,
        name="member_key_state",
    ),
    path(
        "c/<slug:slug>/me/elections/<int:election_id>/key/step.json",
        evote.member_step,
        name="member_key_step",
    ),
    path("c/<slug:slug>/elections/<int:election_id>/record.json", evote.record, name="election_record"),
    path("c/<slug:slug>/elections/<int:election_id>/receipts/", ballot.receipts, name="election_receipts"),
]
