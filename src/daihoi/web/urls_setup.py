"""The site administrator's organizations and organizers, the organizer's wizard, a congress's
preparation page and the one-time sign-in sheet."""

from django.urls import URLPattern, URLResolver, path

from daihoi.congress.views import organize

urlpatterns: list[URLPattern | URLResolver] = [
    path("setup/", organize.site, name="site_setup"),
    path("setup/org/<int:org_id>/new/", organize.wizard, name="congress_wizard"),
    path("setup/sheet/", organize.sign_in_sheet, name="sign_in_sheet"),
    path("c/<slug:slug>/prepare/", organize.prepare, name="prepare"),
]
