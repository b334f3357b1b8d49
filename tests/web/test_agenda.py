"""The agenda: ordering, the single-current invariant, who may edit and run it, and its live section."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions import agenda
from daihoi.congress.errors import ActionError
from daihoi.congress.live import congress_state
from daihoi.congress.models import AgendaItem, Congress
from tests.factories import delegate_client, login_as, make_congress

pytestmark = pytest.mark.django_db

TITLES = ["Khai mạc", "Báo cáo chính trị", "Thảo luận", "Bầu cử", "Bế mạc"]


@pytest.fixture
def congress() -> Congress:
    c = make_congress(delegates=6)
    for title in TITLES:
        agenda.add_item(c, SYSTEM, title=title)
    return c


def titles(congress: Congress) -> list[str]:
    return list(
        AgendaItem.objects.filter(congress=congress).order_by("order").values_list("title", flat=True)
    )


def item(congress: Congress, title: str) -> AgendaItem:
    return AgendaItem.objects.get(congress=congress, title=title)


def statuses(congress: Congress) -> dict[str, str]:
    return dict(AgendaItem.objects.filter(congress=congress).values_list("title", "status"))


def current_titles(congress: Congress) -> list[str]:
    return [t for t, s in statuses(congress).items() if s == AgendaItem.Status.CURRENT]


def test_items_are_appended_in_order_and_start_upcoming(congress):
    assert titles(congress) == TITLES
    assert set(statuses(congress).values()) == {AgendaItem.Status.UPCOMING}


def test_moving_an_item_up_swaps_it_with_the_one_above(congress):
    agenda.move_item(congress, item(congress, "Thảo luận"), "up", SYSTEM)
    assert titles(congress) == ["Khai mạc", "Thảo luận", "Báo cáo chính trị", "Bầu cử", "Bế mạc"]
    agenda.move_item(congress, item(congress, "Khai mạc"), "down", SYSTEM)
    assert titles(congress)[:2] == ["Thảo luận", "Khai mạc"]


def test_the_first_item_cannot_move_up_nor_the_last_down(congress):
    with pytest.raises(ActionError) as up:
        agenda.move_item(congress, item(congress, "Khai mạc"), "up", SYSTEM)
    assert up.value.code == "cannot_move"
    with pytest.raises(ActionError) as down:
        agenda.move_item(congress, item(congress, "Bế mạc"), "down", SYSTEM)
    assert down.value.code == "cannot_move"
    with pytest.raises(ActionError) as sideways:
        agenda.move_item(congress, item(congress, "Bầu cử"), "left", SYSTEM)
    assert sideways.value.code == "bad_direction"
    assert titles(congress) == TITLES


def test_setting_a_new_current_item_marks_the_previous_one_done(congress):
    agenda.set_current_item(congress, item(congress, "Khai mạc"), SYSTEM)
    assert current_titles(congress) == ["Khai mạc"]
    agenda.set_current_item(congress, item(congress, "Báo cáo chính trị"), SYSTEM)
    assert current_titles(congress) == ["Báo cáo chính trị"]
    assert statuses(congress)["Khai mạc"] == AgendaItem.Status.DONE


def test_there_is_never_more_than_one_current_item_whatever_the_sequence(congress):
    for title in ["Thảo luận", "Khai mạc", "Bế mạc", "Thảo luận", "Bầu cử"]:
        agenda.set_current_item(congress, item(congress, title), SYSTEM)
        assert current_titles(congress) == [title]


def test_finishing_the_current_item_leaves_none_current(congress):
    agenda.set_current_item(congress, item(congress, "Khai mạc"), SYSTEM)
    agenda.finish_item(congress, item(congress, "Khai mạc"), SYSTEM)
    assert current_titles(congress) == []
    assert statuses(congress)["Khai mạc"] == AgendaItem.Status.DONE


def test_only_the_current_item_can_be_finished_and_current_cannot_be_set_twice(congress):
    with pytest.raises(ActionError) as not_current:
        agenda.finish_item(congress, item(congress, "Khai mạc"), SYSTEM)
    assert not_current.value.code == "not_current"
    agenda.set_current_item(congress, item(congress, "Khai mạc"), SYSTEM)
    with pytest.raises(ActionError) as twice:
        agenda.set_current_item(congress, item(congress, "Khai mạc"), SYSTEM)
    assert twice.value.code == "already_current"


def test_running_the_agenda_needs_the_congress_in_session():
    c = make_congress(state=Congress.State.PREPARATION)
    first = agenda.add_item(c, SYSTEM, title="Khai mạc")  # preparing the agenda is fine
    with pytest.raises(ActionError) as refused:
        agenda.set_current_item(c, first, SYSTEM)
    assert refused.value.code == "not_in_session"


def test_a_closed_congress_agenda_cannot_be_edited():
    c = make_congress(state=Congress.State.CLOSED)
    with pytest.raises(ActionError) as refused:
        agenda.add_item(c, SYSTEM, title="Thêm")
    assert refused.value.code == "congress_closed"


def test_bad_item_input_is_refused_with_the_field_named(congress):
    for kwargs, code in [
        ({"title": "   "}, "title_required"),
        ({"title": "x" * 301}, "title_too_long"),
        ({"title": "Ok", "presenter": "y" * 201}, "presenter_too_long"),
        ({"title": "Ok", "day": 0}, "bad_day"),
    ]:
        with pytest.raises(ActionError) as refused:
            agenda.add_item(congress, SYSTEM, **kwargs)
        assert refused.value.code == code
        assert refused.value.params["field"] in ("title", "presenter", "day")
    assert titles(congress) == TITLES


def test_an_item_of_another_congress_is_not_found(congress):
    other = make_congress()
    foreign = agenda.add_item(other, SYSTEM, title="Khác")
    with pytest.raises(ActionError) as refused:
        agenda.set_current_item(congress, foreign, SYSTEM)
    assert refused.value.code == "item_not_found"


def test_only_an_upcoming_item_can_be_deleted(congress):
    agenda.set_current_item(congress, item(congress, "Khai mạc"), SYSTEM)
    with pytest.raises(ActionError) as refused:
        agenda.delete_item(congress, item(congress, "Khai mạc"), SYSTEM)
    assert refused.value.code == "item_started"
    agenda.delete_item(congress, item(congress, "Bế mạc"), SYSTEM)
    assert titles(congress) == TITLES[:-1]


def test_every_agenda_change_is_audited_with_before_and_after(congress):
    agenda.set_current_item(congress, item(congress, "Khai mạc"), SYSTEM)
    agenda.set_current_item(congress, item(congress, "Thảo luận"), SYSTEM)
    entry = AuditEntry.objects.filter(action="agenda.set_current").order_by("-seq").first()
    assert entry.before["current"] == ["Khai mạc"]
    assert entry.after == {"status": "current", "done": ["Khai mạc"]}
    assert AuditEntry.objects.filter(action="agenda.add", congress_id=congress.pk).count() == len(TITLES)
    assert verify() == []


def test_the_agenda_section_shows_current_next_and_the_list(congress):
    agenda.set_current_item(congress, item(congress, "Báo cáo chính trị"), SYSTEM)
    section = congress_state(congress)["agenda"]
    assert section["current"]["title"] == "Báo cáo chính trị"
    assert section["current"]["number"] == 2
    assert section["next"]["title"] == "Thảo luận"
    assert [(i["title"], i["status"]) for i in section["items"]][:3] == [
        ("Khai mạc", "upcoming"),
        ("Báo cáo chính trị", "current"),
        ("Thảo luận", "upcoming"),
    ]


def test_the_next_item_skips_items_already_done(congress):
    agenda.set_current_item(congress, item(congress, "Thảo luận"), SYSTEM)
    agenda.set_current_item(congress, item(congress, "Khai mạc"), SYSTEM)
    section = congress_state(congress)["agenda"]
    assert section["current"]["title"] == "Khai mạc"
    assert section["next"]["title"] == "Báo cáo chính trị"
    agenda.finish_item(congress, item(congress, "Khai mạc"), SYSTEM)
    section = congress_state(congress)["agenda"]
    assert section["current"] is None
    assert section["next"]["title"] == "Báo cáo chính trị"


def test_agenda_changes_are_published_only_after_commit(congress, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        agenda.set_current_item(congress, item(congress, "Khai mạc"), SYSTEM)
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=False) as refused, pytest.raises(ActionError):
        agenda.finish_item(congress, item(congress, "Bế mạc"), SYSTEM)
    assert refused == []


# ------------------------------------------------------------------ the web


def test_organizer_adds_an_item_with_day_and_time(congress, client: Client):
    login_as(client, congress, Role.ORGANIZER)
    response = client.post(
        reverse("agenda_add", args=[congress.slug]),
        {"title": "Tham luận của các chi bộ", "presenter": "Đoàn Chủ tịch", "day": "2", "starts_at": "08:30"},
    )
    assert response.status_code == 302
    added = item(congress, "Tham luận của các chi bộ")
    assert (added.day, added.starts_at, added.order) == (2, dt.time(8, 30), len(TITLES) + 1)


def test_a_bad_time_is_refused_and_names_the_field(congress, client: Client):
    login_as(client, congress, Role.ORGANIZER)
    response = client.post(
        reverse("agenda_add", args=[congress.slug]), {"title": "Giải lao", "starts_at": "25:00"}
    )
    assert response.status_code == 400
    assert b'data-code="bad_time"' in response.content
    assert "Giờ bắt đầu" in response.content.decode()
    assert "Giải lao" not in titles(congress)


def test_chair_sets_the_current_item_from_the_page(congress, client: Client):
    login_as(client, congress, Role.PRESIDIUM)
    page = client.get(reverse("agenda_manage", args=[congress.slug]))
    assert page.status_code == 200
    assert b'data-action="set-current"' in page.content
    assert b'data-action="up"' not in page.content  # the presidium runs the agenda, the organizer edits it
    target = item(congress, "Thảo luận")
    response = client.post(reverse("agenda_set_current", args=[congress.slug, target.pk]))
    assert response.status_code == 302
    assert current_titles(congress) == ["Thảo luận"]


def test_a_refused_agenda_action_shows_its_code(congress, client: Client):
    login_as(client, congress, Role.PRESIDIUM)
    target = item(congress, "Khai mạc")
    response = client.post(reverse("agenda_finish", args=[congress.slug, target.pk]))
    assert response.status_code == 400
    assert b'data-code="not_current"' in response.content
    as_json = client.post(
        reverse("agenda_finish", args=[congress.slug, target.pk]), HTTP_ACCEPT="application/json"
    )
    assert as_json.json()["error"]["code"] == "not_current"


def test_clerk_sees_the_agenda_but_cannot_run_or_edit_it(congress, client: Client):
    login_as(client, congress, Role.SECRETARIAT)
    page = client.get(reverse("agenda_manage", args=[congress.slug]))
    assert page.status_code == 200
    assert "Báo cáo chính trị" in page.content.decode()
    assert b'data-action="set-current"' not in page.content
    target = item(congress, "Khai mạc")
    refused = client.post(reverse("agenda_set_current", args=[congress.slug, target.pk]))
    assert refused.status_code == 403
    assert current_titles(congress) == []


def test_chair_cannot_edit_the_agenda_the_organizer_does(congress, client: Client):
    login_as(client, congress, Role.PRESIDIUM)
    target = item(congress, "Bầu cử")
    refused = client.post(reverse("agenda_move", args=[congress.slug, target.pk]), {"direction": "up"})
    assert refused.status_code == 403
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    moved = organizer.post(reverse("agenda_move", args=[congress.slug, target.pk]), {"direction": "up"})
    assert moved.status_code == 302
    assert titles(congress)[2] == "Bầu cử"


def test_delegate_and_outsider_cannot_run_the_agenda(congress, client: Client):
    target = item(congress, "Khai mạc")
    delegate_client(client, congress.delegates.first())
    assert client.post(reverse("agenda_set_current", args=[congress.slug, target.pk])).status_code == 403
    outsider = login_as(Client(), make_congress(), Role.ORGANIZER)
    refused = outsider.post(reverse("agenda_set_current", args=[congress.slug, target.pk]))
    assert refused.status_code == 302  # no role here at all: sent to sign in
    assert refused["Location"].startswith(reverse("login"))
    assert current_titles(congress) == []
