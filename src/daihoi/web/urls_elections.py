"""Elections: the presidium's step-by-step page (P6) and the organizer's P20 switch."""

from django.urls import URLPattern, URLResolver, path

from daihoi.voting.views import elections as v

_E = "c/<slug:slug>/elections/<int:election_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<slug:slug>/elections/", v.election_list, name="election_list"),
    path("c/<slug:slug>/elections/new/", v.election_create, name="election_create"),
    path("c/<slug:slug>/electronic-voting/", v.electronic_voting, name="electronic_voting"),
    path(_E, v.election_detail, name="election_detail"),
    path(_E + "casting/", v.election_casting, name="election_casting"),
    path(_E + "seats/", v.election_seats, name="election_seats"),
    path(_E + "candidates/", v.election_add_candidate, name="election_add_candidate"),
    path(_E + "candidates/<int:candidate_id>/withdraw/", v.candidate_withdraw, name="candidate_withdraw"),
    path(_E + "counting-committee/", v.election_counting_committee, name="election_counting_committee"),
    path(_E + "list/", v.election_propose_list, name="election_propose_list"),
    path(_E + "open/", v.election_open, name="election_open"),
    path(_E + "close/", v.election_close, name="election_close"),
    path(_E + "next-round/", v.election_next_round, name="election_next_round"),
]
