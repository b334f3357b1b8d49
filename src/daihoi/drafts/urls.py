"""Drafts, comments and their synthesis (issue 11)."""

from django.urls import path

from daihoi.drafts import views as v

urlpatterns = [
    path("c/<slug:slug>/drafts/", v.drafts, name="drafts"),
    path("c/<slug:slug>/drafts/import/", v.draft_import, name="draft_import"),
    path("c/<slug:slug>/drafts/units/", v.unit_links, name="unit_links"),
    path("c/<slug:slug>/drafts/<int:draft_id>/", v.draft, name="draft"),
    path("c/<slug:slug>/drafts/<int:draft_id>/version/", v.draft_version, name="draft_version"),
    path("c/<slug:slug>/drafts/<int:draft_id>/comments/", v.draft_comments, name="draft_comments"),
    path("c/<slug:slug>/drafts/<int:draft_id>/comments/import/", v.comments_import, name="comments_import"),
    path("c/<slug:slug>/drafts/<int:draft_id>/comments/lower/", v.upper_import, name="upper_import"),
    path("c/<slug:slug>/drafts/<int:draft_id>/synthesis/", v.synthesis_editor, name="synthesis_editor"),
    path("c/<slug:slug>/drafts/<int:draft_id>/report.<str:fmt>", v.synthesis_report, name="synthesis_report"),
    path("c/<slug:slug>/drafts/<int:draft_id>/export.<str:fmt>", v.synthesis_export, name="synthesis_export"),
    path("c/<slug:slug>/comments/<int:comment_id>/correct/", v.comment_correct, name="comment_correct"),
    path("c/<slug:slug>/me/drafts/", v.my_drafts, name="my_drafts"),
    path("c/<slug:slug>/me/drafts/<int:draft_id>/<int:section_id>/", v.my_section, name="my_section"),
    path("gop-y/<str:token>/", v.unit_form, name="unit_form"),
]
