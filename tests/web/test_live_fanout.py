"""The fan-out of the live socket: a page's signed live token opens it without a database round trip
(still decided in the one gate), one relay per congress is the group's only member and writes each push
to every socket, and a socket that connects gets the state its neighbours show."""

from __future__ import annotations

import json
import os
import re

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db.backends import utils as db_utils
from django.test import Client

from daihoi.congress import access, live
from daihoi.congress.access import SYSTEM, Actor, Role, actor_for_live_token, live_token
from daihoi.congress.actions import checkin
from daihoi.web.asgi import application
from tests.factories import comparable, delegate_client, make_congress

HEADERS = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
META = re.compile(r'<meta name="daihoi-live" content="([^"]+)"')


def socket(slug: str, query: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/c/{slug}/live/{query}", headers=HEADERS)


@pytest.mark.django_db
def test_a_live_token_names_its_congress_and_roles_and_is_refused_elsewhere_or_altered():
    congress, other = make_congress(delegates=1), make_congress(delegates=1)
    token = live_token(congress, Actor(roles=frozenset({Role.DELEGATE})))
    assert actor_for_live_token(token, congress.slug) == (
        congress.pk,
        Actor(roles=frozenset({Role.DELEGATE})),
    )
    assert actor_for_live_token(token, other.slug) is None
    assert actor_for_live_token(token[:-1] + ("A" if token[-1] != "A" else "B"), congress.slug) is None
    assert actor_for_live_token("", congress.slug) is None
    assert actor_for_live_token(None, congress.slug) is None
    assert live_token(congress, Actor()) == ""  # an anonymous page gets none
    forged = signing.dumps({"c": congress.pk, "s": congress.slug, "r": ["delegate"]}, salt="another-salt")
    assert actor_for_live_token(forged, congress.slug) is None


@pytest.mark.django_db
def test_an_expired_live_token_is_refused(monkeypatch):
    congress = make_congress(delegates=1)
    token = live_token(congress, Actor(roles=frozenset({Role.SCREEN})))
    assert actor_for_live_token(token, congress.slug) is not None
    monkeypatch.setattr(access, "LIVE_TOKEN_MAX_AGE", -1)  # any age is now too old
    assert actor_for_live_token(token, congress.slug) is None


@pytest.mark.django_db
def test_a_gated_page_carries_the_token_and_an_open_page_does_not():
    congress = make_congress(delegates=1)
    page = delegate_client(Client(), congress.delegates.get(number=1)).get(f"/c/{congress.slug}/me/")
    assert page.status_code == 200
    found = META.search(page.content.decode())
    assert found is not None
    assert actor_for_live_token(found.group(1), congress.slug) == (
        congress.pk,
        Actor(roles=frozenset({Role.DELEGATE})),
    )
    login = Client().get("/login/")
    assert META.search(login.content.decode()) is None


@pytest.mark.django_db(transaction=True)
def test_the_signed_token_opens_the_socket_without_a_database_query_and_a_bad_one_is_refused(monkeypatch):
    congress = make_congress(delegates=2)
    token = live_token(congress, Actor(roles=frozenset({Role.DELEGATE})))
    queries: list[str] = []
    execute = db_utils.CursorWrapper.execute

    def counting(self, sql, params=None):
        queries.append(sql)
        return execute(self, sql, params)

    async def scenario() -> tuple[dict, dict, int, bool]:
        first = socket(congress.slug, f"?t={token}")
        assert (await first.connect())[0]
        state = await first.receive_json_from(timeout=10)  # the relay's first build
        monkeypatch.setattr(db_utils.CursorWrapper, "execute", counting)
        second = socket(congress.slug, f"?t={token}")
        assert (await second.connect())[0]
        again = await second.receive_json_from(timeout=10)
        during = len(queries)
        monkeypatch.setattr(db_utils.CursorWrapper, "execute", execute)
        wrong = socket(congress.slug, f"?t={token[:-2]}xx")
        refused = not (await wrong.connect())[0]
        await first.disconnect()
        await second.disconnect()
        return state, again, during, refused

    state, again, during, refused = async_to_sync(scenario)()
    assert during == 0  # no session, user, congress or state read for the second socket
    assert again == state  # the state its neighbour shows
    assert refused


@pytest.mark.django_db(transaction=True)
def test_one_relay_per_congress_writes_each_push_to_every_socket_and_leaves_with_the_last():
    congress = make_congress(delegates=3)
    token = live_token(congress, Actor(roles=frozenset({Role.SCREEN})))
    layer = get_channel_layer()

    def group_members() -> int | None:
        """The congress group's members, read from the in-memory layer; with Redis (CI's second run)
        the group's members live in Redis, and only the pushes are checked."""
        if isinstance(layer, InMemoryChannelLayer) and not os.environ.get("REDIS_URL"):
            return len(layer.groups.get(live.group_name(congress.pk), {}))
        return None

    async def scenario() -> tuple[int | None, list[dict], list[dict], int | None, bool]:
        sockets = [socket(congress.slug, f"?t={token}") for _ in range(3)]
        sockets.append(socket(congress.slug, f"?screen={congress.screen_token}"))  # the session path
        for each in sockets:
            assert (await each.connect())[0]
        firsts = [await each.receive_json_from(timeout=10) for each in sockets]
        members = group_members()
        d = await database_sync_to_async(congress.delegates.get)(number=1)
        await database_sync_to_async(checkin.check_in)(
            congress, d.code, nonce="fanout-nonce-01", actor=SYSTEM
        )
        pushed = [await each.receive_json_from(timeout=10) for each in sockets]
        for each in sockets:
            await each.disconnect()
        left = group_members()
        return members, firsts, pushed, left, bool(live._relays)

    members, firsts, pushed, left, relays_left = async_to_sync(scenario)()
    assert members in (1, None)  # the relay, not one member per socket (None: Redis's groups are its own)
    assert all(f["state"]["attendance"]["present"] == 0 for f in firsts)
    assert all(p == pushed[0] for p in pushed) and pushed[0]["type"] == "events"
    assert pushed[0]["events"][0]["attendance"]["present"] == 1
    assert left in (0, None) and relays_left is False


@pytest.mark.django_db(transaction=True)
def test_a_socket_that_connects_after_pushes_gets_the_state_its_neighbours_show():
    """The relay holds the last whole state with the events since applied: a socket that connects after
    a check-in's event gets the state a fresh fetch shows (the same as its neighbour's, events applied)."""
    congress = make_congress(delegates=3)
    token = live_token(congress, Actor(roles=frozenset({Role.SCREEN})))

    async def scenario() -> tuple[dict, list[dict], dict, dict]:
        first = socket(congress.slug, f"?t={token}")
        assert (await first.connect())[0]
        start = await first.receive_json_from(timeout=10)
        pushes = []
        for number in (2, 3):
            d = await database_sync_to_async(congress.delegates.get)(number=number)
            await database_sync_to_async(checkin.check_in)(
                congress, d.code, nonce=f"fanout-nonce-0{number}", actor=SYSTEM
            )
            pushes.append(await first.receive_json_from(timeout=10))
        later = socket(congress.slug, f"?t={token}")
        assert (await later.connect())[0]
        joined = await later.receive_json_from(timeout=10)
        fresh = await database_sync_to_async(live.congress_state)(congress)
        await first.disconnect()
        await later.disconnect()
        return start, pushes, joined, json.loads(json.dumps(fresh, cls=DjangoJSONEncoder))

    start, pushes, joined, fresh = async_to_sync(scenario)()
    assert [p["type"] for p in pushes] == ["events", "events"]
    held = live.apply_events(live.apply_events(start["state"], pushes[0]["events"]), pushes[1]["events"])
    assert joined["type"] == "state" and (joined["src"], joined["n"]) == (pushes[1]["src"], pushes[1]["n"])
    assert joined["state"] == held and comparable(held) == comparable(fresh)
    assert held["attendance"]["present"] == 2


def relay_with(state_message: dict) -> live._Relay:
    relay = live._Relay(1)
    assert relay.take(state_message)
    return relay


def test_the_relay_ignores_a_push_older_than_what_it_holds_and_events_before_any_state():
    def state(n: int, present: int, src: str = "a") -> dict:
        text = json.dumps(
            {"type": "state", "src": src, "n": n, "state": {"attendance": {"present": present}}}
        )
        return {"type": "congress.state", "text": text, "src": src, "n": n}

    def event(n: int, present: int, src: str = "a") -> dict:
        return {
            "type": "congress.events",
            "text": "",
            "src": src,
            "n": n,
            "events": [{"attendance": {"present": present}}],
        }

    assert not live._Relay(1).take(event(1, 1))  # nothing to apply it to
    relay = relay_with(state(5, 1))
    assert relay.take(event(7, 3))
    assert not relay.take(event(6, 2))  # built before the one it holds
    assert not relay.take(state(7, 2))  # the same number again
    assert json.loads(relay.current())["state"]["attendance"]["present"] == 3
    assert relay.take(event(1, 4, src="b"))  # another process's numbers are its own
    assert json.loads(relay.current()) == {
        "type": "state",
        "src": "b",
        "n": 1,
        "state": {"attendance": {"present": 4}},
    }


@pytest.mark.django_db(transaction=True)
def test_events_that_come_while_the_relay_builds_its_first_state_are_not_lost(monkeypatch):
    """The relay joins the group, then builds the state its sockets get first: an event that comes
    before that state is held cannot be applied, so the state is built again, after it."""
    congress = make_congress(delegates=2)
    real_first = live._first_message
    builds: list[int] = []

    def first_with_a_check_in_meanwhile(congress_id: int) -> dict:
        message = real_first(congress_id)
        builds.append(congress_id)
        if len(builds) == 1:  # a check-in commits and its event arrives before this state is held
            d = congress.delegates.get(number=1)
            checkin.check_in(congress, d.code, nonce="fanout-nonce-09", actor=SYSTEM)
            [relay] = live._relays.values()
            event = {"type": "congress.events", "src": live.SOURCE, "n": live._number_build()}
            assert not relay.take({**event, "text": "", "events": [{"attendance": {"present": 1}}]})
        return message

    monkeypatch.setattr(live, "_first_message", first_with_a_check_in_meanwhile)

    async def scenario() -> dict:
        screen = socket(congress.slug, f"?screen={congress.screen_token}")
        assert (await screen.connect())[0]
        first = await screen.receive_json_from(timeout=10)
        await screen.disconnect()
        return first

    first = async_to_sync(scenario)()
    assert len(builds) == 2 and first["state"]["attendance"]["present"] == 1
