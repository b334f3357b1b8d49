"""URL map. Each feature keeps its own `urls_*.py` so the pieces stay apart."""

from django.urls import include, path

urlpatterns = [
    path("", include("daihoi.congress.urls_auth")),
    path("", include("daihoi.congress.urls_roll")),
    path("", include("daihoi.congress.urls_hall")),
    path("", include("daihoi.congress.urls_checkin")),
    path("", include("daihoi.voting.urls_ballot")),
    path("", include("daihoi.voting.urls_motions")),
    path("", include("daihoi.voting.urls_elections")),
    path("", include("daihoi.voting.urls_counting")),
    path("", include("daihoi.term.urls")),
]
