"""Paper ballots, the count, certification and release, documents and the ballots export (part C)."""

from django.urls import URLPattern, URLResolver, path

from daihoi.voting.views import counting as v

_E = "c/<slug:slug>/elections/<int:election_id>/"
_B = _E + "paper/<int:batch_id>/"
_M = "c/<slug:slug>/motions/<int:motion_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(_E + "ballot.pdf", v.ballot_pdf, name="paper_ballot_pdf"),
    path(_E + "paper/", v.paper_batches, name="paper_batches"),
    path(_B, v.paper_entry, name="paper_entry"),
    path(_B + "entry.json", v.paper_entry_save, name="paper_entry_save"),
    path(_B + "undo.json", v.paper_entry_undo, name="paper_entry_undo"),
    path(_B + "state.json", v.paper_batch_state, name="paper_batch_state"),
    path(_B + "resolve/", v.paper_resolve, name="paper_resolve"),
    path(_B + "finalize/", v.paper_finalize, name="paper_finalize"),
    path(_E + "count/", v.count_page, name="count_page"),
    path(_E + "count.json", v.count_json, name="count_json"),
    path(_E + "count/issued/", v.count_issued, name="count_issued"),
    path(_E + "certify/", v.count_certify, name="count_certify"),
    path(_E + "release/", v.count_release, name="count_release"),
    path(_E + "minutes.docx", v.election_document, {"doc": "minutes", "fmt": "docx"}, name="minutes_docx"),
    path(_E + "minutes.pdf", v.election_document, {"doc": "minutes", "fmt": "pdf"}, name="minutes_pdf"),
    path(
        _E + "announcement.docx",
        v.election_document,
        {"doc": "announcement", "fmt": "docx"},
        name="announcement_docx",
    ),
    path(
        _E + "announcement.pdf",
        v.election_document,
        {"doc": "announcement", "fmt": "pdf"},
        name="announcement_pdf",
    ),
    path(_E + "ballots.zip", v.ballots_zip, name="ballots_zip"),
    path(_M + "minutes.docx", v.motion_document, {"fmt": "docx"}, name="motion_minutes_docx"),
    path(_M + "minutes.pdf", v.motion_document, {"fmt": "pdf"}, name="motion_minutes_pdf"),
]
