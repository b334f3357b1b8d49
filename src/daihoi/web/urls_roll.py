"""The roll, guests, credentials and cards."""

from django.urls import URLPattern, URLResolver, path

from daihoi.congress.views import roll

urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<slug:slug>/roll/", roll.roll, name="roll"),
    path("c/<slug:slug>/roll/import/", roll.roll_import, name="roll_import"),
    path("c/<slug:slug>/roll/export.xlsx", roll.roll_export, name="roll_export"),
    path("c/<slug:slug>/guests/", roll.guests, name="guests"),
    path("c/<slug:slug>/credentials/", roll.credentials, name="credentials"),
    path("c/<slug:slug>/credentials/report/", roll.credentials_report, name="credentials_report"),
    path(
        "c/<slug:slug>/credentials/report.xlsx",
        roll.credentials_report_export,
        name="credentials_report_export",
    ),
    path("c/<slug:slug>/cards.pdf", roll.cards_pdf, name="cards_pdf"),
]
