"""The attendance section of the live state: pushed after commit only, the same document state.json
serves, and delivered to a screen's WebSocket."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.test import Client
from django.urls import reverse

from daihoi.congress import live
from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions import checkin
from daihoi.congress.errors import ActionError
from daihoi.congress.live import group_name
from daihoi.web.asgi import application
from tests.factories import comparable, login_as, make_congress
from tests.support.live_js import js_screen_state


def as_json(value: object) -> object:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class RecordingLayer:
    """A channel layer that keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.append((group, message))


@pytest.fixture
def layer(monkeypatch: pytest.MonkeyPatch) -> RecordingLayer:
    recording = RecordingLayer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: recording)
    return recording


@pytest.mark.django_db(transaction=True)
def test_the_state_is_published_after_commit_only(layer):
    congress = make_congress(delegates=4)
    d = congress.delegates.get(number=1)
    with transaction.atomic():
        checkin.check_in(congress, d.code, nonce="live-nonce-0001", actor=SYSTEM)
        assert layer.sent == []  # still inside the transaction: nothing is pushed
    assert len(layer.sent) == 1
    group, message = layer.sent[0]
    assert group == group_name(congress.pk) and message["type"] == "congress.events"
    assert json.loads(message["text"])["events"][0]["attendance"]["present"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_check_in_publishes_nothing(layer):
    congress = make_congress(delegates=4)
    d = congress.delegates.get(number=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        checkin.check_in(congress, d.code, nonce="live-nonce-0006", actor=SYSTEM)
        raise RuntimeError("the outer work failed")
    assert layer.sent == []
    assert not congress.delegates.get(number=1).is_present


@pytest.mark.django_db
def test_a_refused_scan_publishes_nothing(django_capture_on_commit_callbacks):
    congress = make_congress(delegates=2)
    d = congress.delegates.get(number=1)
    checkin.check_in(congress, d.code, nonce="live-nonce-0002", actor=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ActionError):
        checkin.check_in(congress, d.code, nonce="live-nonce-0003", actor=SYSTEM)
    assert callbacks == []


@pytest.mark.django_db(transaction=True)
def test_old_state_plus_the_event_equals_a_fresh_fetch():
    congress = make_congress(delegates=6)
    clerk = login_as(Client(), congress, Role.ORGANIZER)
    url = reverse("state_json", args=[congress.slug])
    before = clerk.get(url).json()
    d = congress.delegates.get(number=3)

    async def scenario() -> dict:
        layer = get_channel_layer()  # the one the app uses: in memory, or Redis with REDIS_URL
        channel = await layer.new_channel()
        await layer.group_add(group_name(congress.pk), channel)
        await database_sync_to_async(checkin.check_in)(
            congress, d.code, nonce="live-nonce-0004", actor=SYSTEM
        )
        event = await layer.receive(channel)
        await layer.group_discard(group_name(congress.pk), channel)
        return event

    event = async_to_sync(scenario)()
    assert event["type"] == "congress.events"  # a check-in pushes its event, not the whole state
    pushed = as_json(live.pushed(before, event))
    in_page = js_screen_state(before, [event["text"]])
    assert before["attendance"]["present"] == 0 and pushed["attendance"]["present"] == 1
    fresh = comparable(clerk.get(url).json())
    assert comparable(pushed) == fresh and comparable(in_page) == fresh


@pytest.mark.django_db(transaction=True)
def test_a_screen_socket_receives_the_state_after_a_check_in():
    congress = make_congress(delegates=5)
    d = congress.delegates.get(number=2)

    async def scenario() -> tuple[dict, dict]:
        socket = WebsocketCommunicator(
            application,
            f"/ws/c/{congress.slug}/live/?screen={congress.screen_token}",
            headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
        )
        connected, _ = await socket.connect()
        assert connected
        first = await socket.receive_json_from(timeout=10)
        await database_sync_to_async(checkin.check_in)(
            congress, d.code, nonce="live-nonce-0005", actor=SYSTEM
        )
        second = await socket.receive_json_from(timeout=10)
        await socket.disconnect()
        return first, second

    first, second = async_to_sync(scenario)()
    assert (first["type"], second["type"]) == ("state", "events")
    assert second["src"] == first["src"] and second["n"] > first["n"]  # numbered: newer than the first
    assert first["state"]["attendance"]["present"] == 0
    [event] = second["events"]
    assert event["attendance"]["present"] == 1
    assert event["attendance"]["quorum"]["required"] == 4


@pytest.mark.django_db(transaction=True)
def test_a_socket_without_the_screen_token_is_closed():
    congress = make_congress(delegates=1)

    async def scenario() -> bool:
        socket = WebsocketCommunicator(
            application,
            f"/ws/c/{congress.slug}/live/?screen=wrong",
            headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
        )
        connected, _ = await socket.connect()
        if connected:
            await socket.disconnect()
        return connected

    assert async_to_sync(scenario)() is False
