"""The live socket asks the one gate (`access.actor_for_socket`), with the user resolved by Channels'
AuthMiddleware: a session whose password hash no longer matches is not a signed-in user."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from daihoi.congress import access
from daihoi.congress.access import SYSTEM, Role, tokens_match
from daihoi.web.asgi import application
from tests.factories import delegate_client, make_congress, make_staff

HEADERS = [(b"origin", b"http://testserver"), (b"host", b"testserver")]


def connects(congress, client: Client | None = None, query: str = "") -> bool:
    from channels.testing import WebsocketCommunicator

    headers = list(HEADERS)
    if client is not None:
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))

    async def scenario() -> bool:
        socket = WebsocketCommunicator(application, f"/ws/c/{congress.slug}/live/{query}", headers=headers)
        connected, _ = await socket.connect()
        if connected:
            first = await socket.receive_json_from(timeout=10)
            assert first["type"] == "state"
            await socket.disconnect()
        return connected

    return async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_staff_of_the_congress_may_watch_and_staff_of_another_may_not():
    congress, other = make_congress(delegates=2), make_congress(delegates=2)
    clerk = Client()
    clerk.force_login(make_staff(congress, Role.CREDENTIALS))
    stranger = Client()
    stranger.force_login(make_staff(other, Role.CREDENTIALS))
    assert connects(congress, clerk) is True
    assert connects(congress, stranger) is False


@pytest.mark.django_db(transaction=True)
def test_a_session_from_before_a_password_change_is_refused():
    congress = make_congress(delegates=2)
    user = make_staff(congress, Role.PRESIDIUM)
    chair = Client()
    chair.force_login(user)
    assert connects(congress, chair) is True
    user.set_password("a-new-Passw0rd-for-the-hall")  # Django ends sessions that carry the old hash
    user.save()
    assert connects(congress, chair) is False


@pytest.mark.django_db(transaction=True)
def test_a_delegate_may_watch_their_own_congress_only():
    congress, other = make_congress(delegates=2), make_congress(delegates=2)
    mine = delegate_client(Client(), congress.delegates.get(number=1))
    theirs = delegate_client(Client(), other.delegates.get(number=1))
    assert connects(congress, mine) is True
    assert connects(congress, theirs) is False


@pytest.mark.django_db(transaction=True)
def test_a_screen_token_opens_the_socket_and_a_wrong_or_empty_one_does_not():
    congress = make_congress(delegates=1)
    assert connects(congress, query=f"?screen={congress.screen_token}") is True
    assert connects(congress, query=f"?screen={congress.screen_token[:-1]}") is False
    assert connects(congress, query="?screen=") is False
    assert connects(congress) is False


def test_tokens_are_compared_in_constant_time(monkeypatch):
    compared: list[tuple[bytes, bytes]] = []

    def recording(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return a == b

    monkeypatch.setattr(access.secrets, "compare_digest", recording)
    assert tokens_match("abc", "abc") is True
    assert tokens_match("abd", "abc") is False
    assert compared == [(b"abc", b"abc"), (b"abd", b"abc")]
    assert tokens_match("", "") is False
    assert tokens_match(None, "abc") is False
    assert len(compared) == 2  # an empty or missing token is refused before any comparison


def test_the_system_is_audited_as_system_not_anonymous():
    assert SYSTEM.label == "system"
    assert access.Actor().label == "anonymous"
