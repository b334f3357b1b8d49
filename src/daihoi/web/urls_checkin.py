"""Check-in desk, attendance board and the congress state JSON."""

from django.urls import URLPattern, URLResolver, path

from daihoi.congress.views import hall_checkin as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<slug:slug>/desk/", v.desk, name="desk"),
    path("c/<slug:slug>/desk/scan", v.desk_scan, name="desk_scan"),
    path("c/<slug:slug>/desk/search", v.desk_search, name="desk_search"),
    path("c/<slug:slug>/desk/check-out", v.desk_check_out, name="desk_check_out"),
    path("c/<slug:slug>/desk/excuse", v.desk_excuse, name="desk_excuse"),
    path("c/<slug:slug>/board/", v.board, name="board"),
    path("c/<slug:slug>/state.json", v.state_json, name="state_json"),
]
