"""The hall: agenda, speaker list, the delegate's phone page and the projector screen."""

from django.urls import URLPattern, URLResolver, path

from daihoi.congress.views import hall as v
from daihoi.congress.views import hall_sheet

urlpatterns: list[URLPattern | URLResolver] = [
    path("c/<slug:slug>/agenda/", v.agenda_manage, name="agenda_manage"),
    path("c/<slug:slug>/agenda/add", v.agenda_add, name="agenda_add"),
    path("c/<slug:slug>/agenda/<int:item_id>/edit", v.agenda_edit, name="agenda_edit"),
    path("c/<slug:slug>/agenda/<int:item_id>/move", v.agenda_move, name="agenda_move"),
    path("c/<slug:slug>/agenda/<int:item_id>/delete", v.agenda_delete, name="agenda_delete"),
    path("c/<slug:slug>/agenda/<int:item_id>/current", v.agenda_set_current, name="agenda_set_current"),
    path("c/<slug:slug>/agenda/<int:item_id>/finish", v.agenda_finish, name="agenda_finish"),
    path("c/<slug:slug>/speakers/", v.speakers_manage, name="speakers_manage"),
    path("c/<slug:slug>/speakers/<int:request_id>/approve", v.speaker_approve, name="speaker_approve"),
    path("c/<slug:slug>/speakers/<int:request_id>/decline", v.speaker_decline, name="speaker_decline"),
    path("c/<slug:slug>/speakers/<int:request_id>/move", v.speaker_move, name="speaker_move"),
    path("c/<slug:slug>/speakers/<int:request_id>/start", v.speaker_start, name="speaker_start"),
    path("c/<slug:slug>/speakers/<int:request_id>/stop", v.speaker_stop, name="speaker_stop"),
    path("c/<slug:slug>/speakers/<int:request_id>/time", v.speaker_time_limit, name="speaker_time_limit"),
    path("c/<slug:slug>/me/", v.delegate_home, name="delegate_home"),
    path("c/<slug:slug>/me/sign-out", v.delegate_sign_out, name="delegate_sign_out"),
    path("c/<slug:slug>/me/speak", v.delegate_request_floor, name="delegate_request_floor"),
    path("c/<slug:slug>/me/speak/<int:request_id>/withdraw", v.delegate_withdraw, name="delegate_withdraw"),
    path("c/<slug:slug>/hall/address/", hall_sheet.hall_address_setting, name="hall_address"),
    path("c/<slug:slug>/hall/sheet/", hall_sheet.hall_sheet, name="hall_sheet"),
    path("c/<slug:slug>/screen/<str:token>/", v.screen, name="screen"),
]
