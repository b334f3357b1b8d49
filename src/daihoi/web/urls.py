"""URL map of the whole app. Each feature keeps its own `urls_*.py` here, so the pieces stay apart;
the views live in the apps (`congress.views`, `voting.views`)."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

# The resolver tries these in order, so the hall's hot paths come first: the ballots and motion answers
# of a burst, and the desk's scans, are found after a few patterns instead of a few hundred (no two
# patterns overlap, so the order changes nothing else; tests/web/test_urls.py checks that each resolves
# to itself).
urlpatterns = [
    path("", include("daihoi.web.urls_ballot")),
    path("", include("daihoi.web.urls_checkin")),
    path("", include("daihoi.web.urls_motions")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("daihoi.web.urls_auth")),
    path("", include("daihoi.web.urls_setup")),
    path("", include("daihoi.web.urls_roll")),
    path("", include("daihoi.web.urls_hall")),
    path("", include("daihoi.web.urls_elections")),
    path("", include("daihoi.web.urls_counting")),
    path("", include("daihoi.term.urls")),
    path("", include("daihoi.drafts.urls")),
]
