"""The speaker list: a delegate asks the floor, the presidium orders, approves, starts and stops.

Every refusal has its code; the gate keeps approval to the presidium (and organizer); the `speaker`
live section shows only public facts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM, Actor, Role
from daihoi.congress.actions import agenda, speakers
from daihoi.congress.errors import ActionError
from daihoi.congress.live import congress_state, pushed_state
from daihoi.congress.models import AgendaItem, Congress, Delegate, SpeakerRequest
from tests.factories import delegate_client, login_as, make_congress

pytestmark = pytest.mark.django_db

S = SpeakerRequest.Status


@pytest.fixture
def congress() -> Congress:
    c = make_congress(delegates=8)
    for title in ["Khai mạc", "Thảo luận văn kiện", "Bầu cử"]:
        agenda.add_item(c, SYSTEM, title=title)
    agenda.set_current_item(c, AgendaItem.objects.get(congress=c, title="Thảo luận văn kiện"), SYSTEM)
    # Delegates 1–6 are in the hall; 7 has not arrived; 8 is excused.
    Delegate.objects.filter(congress=c, number__lte=6).update(
        attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
    )
    Delegate.objects.filter(congress=c, number=8).update(attendance=Delegate.Attendance.EXCUSED)
    return c


def delegate(congress: Congress, number: int) -> Delegate:
    return congress.delegates.get(number=number)


def as_delegate(d: Delegate) -> Actor:
    return Actor(roles=frozenset({Role.DELEGATE}), delegate=d)


def ask(congress: Congress, number: int, topic: str = "") -> SpeakerRequest:
    d = delegate(congress, number)
    return speakers.request_floor(congress, d, as_delegate(d), topic=topic)


def status(r: SpeakerRequest) -> str:
    r.refresh_from_db()
    return r.status


def queue_names(congress: Congress) -> list[str]:
    return [r.delegate.full_name for r in speakers.queue_requests(congress)]


def refused(code: str, fn, *args, **kwargs) -> ActionError:  # type: ignore[no-untyped-def]
    with pytest.raises(ActionError) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


# ------------------------------------------------------------------ the flow


def test_a_request_goes_requested_approved_speaking_done(congress):
    r = ask(congress, 1, "Góp ý dự thảo Báo cáo chính trị")
    assert status(r) == S.REQUESTED
    assert r.agenda_item.title == "Thảo luận văn kiện"
    assert r.time_limit_seconds == 7 * 60
    speakers.approve(congress, r, SYSTEM)
    assert status(r) == S.APPROVED
    speakers.start_speaker(congress, r, SYSTEM)
    r.refresh_from_db()
    assert r.status == S.SPEAKING and r.started_at is not None and r.ended_at is None
    speakers.stop_speaker(congress, r, SYSTEM)
    r.refresh_from_db()
    assert r.status == S.DONE and r.ended_at >= r.started_at


def test_starting_another_speaker_stops_the_current_one(congress):
    first, second = ask(congress, 1), ask(congress, 2)
    for r in (first, second):
        speakers.approve(congress, r, SYSTEM)
    speakers.start_speaker(congress, first, SYSTEM)
    speakers.start_speaker(congress, second, SYSTEM)
    assert status(first) == S.DONE
    assert status(second) == S.SPEAKING
    assert SpeakerRequest.objects.filter(congress=congress, status=S.SPEAKING).count() == 1


def test_new_requests_join_the_end_of_the_queue_and_move_up_and_down(congress):
    for n in (1, 2, 3):
        ask(congress, n)
    names = [delegate(congress, n).full_name for n in (1, 2, 3)]
    assert queue_names(congress) == names
    third = SpeakerRequest.objects.get(delegate=delegate(congress, 3))
    speakers.move(congress, third, "up", SYSTEM)
    assert queue_names(congress) == [names[0], names[2], names[1]]
    speakers.move(congress, third, "up", SYSTEM)
    assert queue_names(congress) == [names[2], names[0], names[1]]
    refused("cannot_move", speakers.move, congress, third, "up", SYSTEM)
    first = SpeakerRequest.objects.get(delegate=delegate(congress, 1))
    speakers.move(congress, first, "down", SYSTEM)
    assert queue_names(congress) == [names[2], names[1], names[0]]
    refused("bad_direction", speakers.move, congress, first, "sideways", SYSTEM)


def test_moving_works_even_when_positions_tie(congress):
    now = timezone.now()
    made = [
        SpeakerRequest.objects.create(
            congress=congress,
            delegate=delegate(congress, n),
            agenda_item=agenda.current_item(congress),
            topic="",
            requested_at=now + dt.timedelta(seconds=n),
        )
        for n in (1, 2, 3)
    ]  # position 0 for all, as rows created outside the actions would have
    speakers.move(congress, made[2], "up", SYSTEM)
    assert [r.pk for r in speakers.queue_requests(congress)] == [made[0].pk, made[2].pk, made[1].pk]


def test_a_delegate_withdraws_their_own_waiting_request(congress):
    r = ask(congress, 1)
    me = delegate(congress, 1)
    refused("not_yours", speakers.withdraw_request, congress, r, as_delegate(delegate(congress, 2)))
    speakers.withdraw_request(congress, r, as_delegate(me))
    assert status(r) == S.WITHDRAWN
    assert queue_names(congress) == []
    refused("cannot_withdraw", speakers.withdraw_request, congress, r, as_delegate(me))


def test_after_withdrawing_the_delegate_may_ask_again(congress):
    r = ask(congress, 1)
    speakers.withdraw_request(congress, r, as_delegate(delegate(congress, 1)))
    again = ask(congress, 1)
    assert status(again) == S.REQUESTED


def test_decline_keeps_the_reason_for_the_delegate(congress):
    r = ask(congress, 1)
    speakers.decline(congress, r, SYSTEM, reason="  Nội dung đã có đại biểu   trình bày ")
    r.refresh_from_db()
    assert (r.status, r.decline_reason) == (S.DECLINED, "Nội dung đã có đại biểu trình bày")
    refused("cannot_decline", speakers.decline, congress, r, SYSTEM)
    refused("reason_too_long", speakers.decline, congress, ask(congress, 2), SYSTEM, reason="x" * 301)


def test_time_limit_is_editable_within_bounds(congress):
    r = ask(congress, 1)
    speakers.set_time_limit(congress, r, 5 * 60 + 30, SYSTEM)
    r.refresh_from_db()
    assert r.time_limit_seconds == 330
    refused("bad_time_limit", speakers.set_time_limit, congress, r, 10, SYSTEM)
    refused("bad_time_limit", speakers.set_time_limit, congress, r, 2 * 60 * 60, SYSTEM)
    speakers.decline(congress, r, SYSTEM)
    refused("request_closed", speakers.set_time_limit, congress, r, 300, SYSTEM)


# ------------------------------------------------------------------ every refusal code


def test_a_delegate_not_present_cannot_ask_for_the_floor(congress):
    error = refused("not_present", ask, congress, 7)
    assert "Chưa đến" in error.message
    refused("not_present", ask, congress, 8)
    assert not SpeakerRequest.objects.filter(congress=congress).exists()


def test_a_delegate_who_left_cannot_ask_for_the_floor(congress):
    Delegate.objects.filter(congress=congress, number=1).update(attendance=Delegate.Attendance.LEFT)
    refused("not_present", ask, congress, 1)


def test_a_delegate_may_hold_one_open_request_per_agenda_item(congress):
    r = ask(congress, 1)
    refused("already_requested", ask, congress, 1)
    speakers.approve(congress, r, SYSTEM)
    refused("already_requested", ask, congress, 1)
    speakers.start_speaker(congress, r, SYSTEM)
    refused("already_requested", ask, congress, 1)
    speakers.stop_speaker(congress, r, SYSTEM)
    assert status(ask(congress, 1)) == S.REQUESTED  # spoke already; may ask to speak again


def test_the_next_agenda_item_takes_new_requests(congress):
    ask(congress, 1)
    agenda.set_current_item(congress, AgendaItem.objects.get(congress=congress, title="Bầu cử"), SYSTEM)
    assert ask(congress, 1).agenda_item.title == "Bầu cử"


def test_no_request_without_a_current_agenda_item(congress):
    agenda.finish_item(congress, agenda.current_item(congress), SYSTEM)
    refused("no_current_item", ask, congress, 1)


def test_a_delegate_whose_credentials_were_rejected_cannot_ask(congress):
    Delegate.objects.filter(congress=congress, number=1).update(credential=Delegate.Credential.REJECTED)
    refused("credential_rejected", ask, congress, 1)


def test_a_topic_longer_than_300_characters_is_refused(congress):
    error = refused("topic_too_long", ask, congress, 1, "x" * 301)
    assert error.params["field"] == "topic"


def test_only_approved_requests_start(congress):
    r = ask(congress, 1)
    error = refused("not_approved", speakers.start_speaker, congress, r, SYSTEM)
    assert "Đăng ký" in error.message
    speakers.decline(congress, r, SYSTEM)
    refused("not_approved", speakers.start_speaker, congress, r, SYSTEM)


def test_only_a_waiting_request_is_approved(congress):
    r = ask(congress, 1)
    speakers.approve(congress, r, SYSTEM)
    refused("not_requested", speakers.approve, congress, r, SYSTEM)


def test_only_the_speaker_can_be_stopped(congress):
    r = ask(congress, 1)
    refused("not_speaking", speakers.stop_speaker, congress, r, SYSTEM)


def test_a_request_of_another_congress_is_not_found(congress):
    other = make_congress(delegates=2)
    agenda.add_item(other, SYSTEM, title="Thảo luận")
    agenda.set_current_item(other, AgendaItem.objects.get(congress=other), SYSTEM)
    Delegate.objects.filter(congress=other).update(attendance=Delegate.Attendance.PRESENT)
    foreign = speakers.request_floor(other, other.delegates.first(), SYSTEM)
    refused("request_not_found", speakers.approve, congress, foreign, SYSTEM)


def test_nothing_happens_on_the_floor_outside_the_session(congress):
    r = ask(congress, 1)
    Congress.objects.filter(pk=congress.pk).update(state=Congress.State.CLOSED)
    refused("not_in_session", speakers.approve, congress, r, SYSTEM)
    refused("not_in_session", ask, congress, 2)


# ------------------------------------------------------------------ audit and live


def test_every_speaker_change_is_audited_and_the_chain_verifies(congress):
    r = ask(congress, 1, "Tham luận")
    speakers.approve(congress, r, SYSTEM)
    speakers.start_speaker(congress, r, SYSTEM)
    speakers.stop_speaker(congress, r, SYSTEM)
    actions = list(
        AuditEntry.objects.filter(congress_id=congress.pk, action__startswith="speaker.")
        .order_by("seq")
        .values_list("action", "actor")
    )
    assert actions == [
        ("speaker.request", "delegate:1"),
        ("speaker.approve", "system"),
        ("speaker.start", "system"),
        ("speaker.stop", "system"),
    ]
    start = AuditEntry.objects.get(action="speaker.start", congress_id=congress.pk)
    assert (start.before["status"], start.after["status"]) == ("approved", "speaking")
    assert verify() == []


def test_the_speaker_section_shows_the_speaker_timer_anchors_and_next_names(congress):
    first, second, third = ask(congress, 1, "Kinh tế"), ask(congress, 2), ask(congress, 3)
    for r in (first, second):
        speakers.approve(congress, r, SYSTEM)
    speakers.start_speaker(congress, first, SYSTEM)
    section = congress_state(congress)["speaker"]
    current = section["current"]
    me = delegate(congress, 1)
    assert current["name"] == me.full_name
    assert current["unit"] == me.unit.name
    assert current["topic"] == "Kinh tế"
    assert current["time_limit_seconds"] == 420
    started = dt.datetime.fromisoformat(current["started_at"])
    server_now = dt.datetime.fromisoformat(section["server_now"])
    assert started <= server_now
    assert section["next"] == [delegate(congress, 2).full_name]  # approved only, not the third (requested)
    assert section["queue_size"] == 2
    assert status(third) == S.REQUESTED


def test_the_speaker_section_carries_only_public_facts(congress):
    r = ask(congress, 1, "Kinh tế")
    speakers.approve(congress, r, SYSTEM)
    speakers.start_speaker(congress, r, SYSTEM)
    text = str(congress_state(congress)["speaker"])
    me = delegate(congress, 1)
    for private in (me.code, me.phone or "no-phone-here", str(me.date_of_birth)):
        assert private not in text


def test_speaker_changes_are_published_only_after_commit(congress, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as published:
        r = ask(congress, 1)
    assert len(published) == 1
    with django_capture_on_commit_callbacks(execute=False) as none, pytest.raises(ActionError):
        speakers.start_speaker(congress, r, SYSTEM)
    assert none == []


def test_the_published_state_equals_a_fresh_fetch(congress, django_capture_on_commit_callbacks, monkeypatch):
    sent: list[dict] = []

    class Layer:
        async def group_send(self, group, message):
            sent.append(pushed_state(message))

    monkeypatch.setattr("daihoi.congress.live.get_channel_layer", lambda: Layer())
    with django_capture_on_commit_callbacks(execute=True):
        r = ask(congress, 1)
        speakers.approve(congress, r, SYSTEM)
        speakers.start_speaker(congress, r, SYSTEM)
    fresh = congress_state(congress)
    pushed = sent[-1]
    for state in (pushed, fresh):
        state["speaker"].pop("server_now")
    assert pushed["speaker"] == fresh["speaker"]
    assert pushed["agenda"] == fresh["agenda"]
    assert pushed["speaker"]["current"]["name"] == delegate(congress, 1).full_name


# ------------------------------------------------------------------ the presidium's page


def test_chair_approves_and_starts_from_the_page(congress, client: Client):
    r = ask(congress, 1, "Công tác xây dựng Đảng")
    login_as(client, congress, Role.PRESIDIUM)
    page = client.get(reverse("speakers_manage", args=[congress.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert delegate(congress, 1).full_name in html and "Công tác xây dựng Đảng" in html
    assert client.post(reverse("speaker_approve", args=[congress.slug, r.pk])).status_code == 302
    assert client.post(reverse("speaker_start", args=[congress.slug, r.pk])).status_code == 302
    assert status(r) == S.SPEAKING
    assert client.post(reverse("speaker_stop", args=[congress.slug, r.pk])).status_code == 302
    assert status(r) == S.DONE


def test_chair_sets_a_time_limit_in_minutes_and_seconds(congress, client: Client):
    r = ask(congress, 1)
    login_as(client, congress, Role.PRESIDIUM)
    client.post(reverse("speaker_time_limit", args=[congress.slug, r.pk]), {"minutes": "5:30"})
    r.refresh_from_db()
    assert r.time_limit_seconds == 330
    bad = client.post(reverse("speaker_time_limit", args=[congress.slug, r.pk]), {"minutes": "năm phút"})
    assert bad.status_code == 400
    assert b'data-code="bad_time_limit"' in bad.content


def test_chair_declines_with_a_reason_and_moves_the_queue(congress, client: Client):
    a, b = ask(congress, 1), ask(congress, 2)
    login_as(client, congress, Role.PRESIDIUM)
    client.post(reverse("speaker_move", args=[congress.slug, b.pk]), {"direction": "up"})
    assert [r.pk for r in speakers.queue_requests(congress)] == [b.pk, a.pk]
    client.post(reverse("speaker_decline", args=[congress.slug, a.pk]), {"reason": "Trùng nội dung"})
    a.refresh_from_db()
    assert (a.status, a.decline_reason) == (S.DECLINED, "Trùng nội dung")


def test_starting_an_unapproved_request_from_the_page_shows_not_approved(congress, client: Client):
    r = ask(congress, 1)
    login_as(client, congress, Role.PRESIDIUM)
    response = client.post(reverse("speaker_start", args=[congress.slug, r.pk]))
    assert response.status_code == 400
    assert b'data-code="not_approved"' in response.content
    fetched = client.post(reverse("speaker_start", args=[congress.slug, r.pk]), HTTP_X_REQUESTED_WITH="fetch")
    assert fetched.json()["error"]["code"] == "not_approved"


def test_only_the_presidium_or_organizer_can_approve(congress):
    r = ask(congress, 1)
    url = reverse("speaker_approve", args=[congress.slug, r.pk])
    for role in (Role.SECRETARIAT, Role.CREDENTIALS, Role.COUNTING):
        response = login_as(Client(), congress, role).post(url)
        assert response.status_code == 403, role
        assert b'data-code="role_denied"' in response.content
    as_delegate_client = delegate_client(Client(), delegate(congress, 2))
    assert as_delegate_client.post(url).status_code == 403
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert status(r) == S.REQUESTED
    assert login_as(Client(), congress, Role.ORGANIZER).post(url).status_code == 302
    assert status(r) == S.APPROVED


def test_clerk_sees_the_queue_without_the_buttons(congress, client: Client):
    ask(congress, 1)
    login_as(client, congress, Role.SECRETARIAT)
    page = client.get(reverse("speakers_manage", args=[congress.slug]))
    assert page.status_code == 200
    assert delegate(congress, 1).full_name in page.content.decode()
    assert b'data-action="approve"' not in page.content
