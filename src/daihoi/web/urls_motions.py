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

# Anonymous electronic motions, encrypted (issue 10): the congress's motion key and each motion's record.
urlpatterns += [
    path("c/<slug:slug>/motions/key/", motions.motion_key_page, name="motion_key"),
    path("c/<slug:slug>/me/motions/key/", motions.motion_key_member, name="motion_key_member"),
    path("c/<slug:slug>/me/motions/key/state.json", motions.motion_key_state, name="motion_key_state"),
    path("c/<slug:slug>/me/motions/key/step/", motions.motion_key_step, name="motion_key_step"),
    path("c/<slug:slug>/motions/<int:motion_id>/record.json", motions.motion_record, name="motion_record"),
]
