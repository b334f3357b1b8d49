"""Motions: the presidium's pages and the delegate's phone page."""

from django.urls import URLPattern, URLResolver, path

from daihoi.voting.views import motions

urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<slug:slug>/motions/", motions.motion_list, name="motion_list"),
    path("c/<slug:slug>/motions/new/", motions.motion_create, name="motion_create"),
    path("c/<slug:slug>/motions/<int:motion_id>/", motions.motion_detail, name="motion_detail"),
    path("c/<slug:slug>/motions/<int:motion_id>/open/", motions.motion_open, name="motion_open"),
    path("c/<slug:slug>/motions/<int:motion_id>/close/", motions.motion_close, name="motion_close"),
    path(
        "c/<slug:slug>/motions/<int:motion_id>/minutes.json",
        motions.motion_minutes_json,
        name="motion_minutes_json",
    ),
    path("c/<slug:slug>/me/motions/", motions.delegate_motions, name="delegate_motions"),
    path("c/<slug:slug>/me/motions/<int:motion_id>/vote/", motions.motion_vote, name="motion_vote"),
]
