"""Electronic ballots: the delegate's ballot and cast, who has not voted, verification mode, receipts."""

from django.urls import URLPattern, URLResolver, path

from daihoi.voting.views import ballot

urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<slug:slug>/me/elections/<int:election_id>/", ballot.ballot, name="delegate_ballot"),
    path("c/<slug:slug>/me/elections/<int:election_id>/cast.json", ballot.cast, name="delegate_ballot_cast"),
    path("c/<slug:slug>/elections/<int:election_id>/not-voted/", ballot.not_voted, name="election_not_voted"),
    path(
        "c/<slug:slug>/elections/<int:election_id>/not-voted.json",
        ballot.not_voted,
        name="election_not_voted_json",
    ),
    path(
        "c/<slug:slug>/elections/<int:election_id>/verification/",
        ballot.verification,
        name="election_verification",
    ),
    path("c/<slug:slug>/elections/<int:election_id>/receipts/", ballot.receipts, name="election_receipts"),
]
