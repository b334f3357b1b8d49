"""The live socket: sends the congress state on connect and after every committed change.

Access is decided by the one gate: a page's signed live token (`access.actor_for_live_token`, no
database), else `access.actor_for_socket` with the user from Channels' session and auth middleware,
which applies Django's session-hash check. Pushes reach the socket through its congress's relay
(`live.join`), not through a group membership of its own."""

from __future__ import annotations

import pprint
from typing import Any
from urllib.parse import parse_qsl

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from daihoi.congress import live
from daihoi.congress.access import Actor, actor_for_live_token, actor_for_socket, live_grant
from daihoi.congress.models import Congress


class _Lazy:
    """`fn(*args)` as text, computed only if a log line is written (str() of it)."""

    __slots__ = ("args", "fn")

    def __init__(self, fn: Any, *args: Any) -> None:
        self.fn, self.args = fn, args

    def __str__(self) -> str:
        return str(self.fn(*self.args))

    __repr__ = __str__


def _lazy_autobahn_debug_lines() -> None:
    """autobahn (under daphne) formats its whole configuration, and the names of its methods, for debug
    lines at every socket it opens and every frame it writes, even with debug logging off: a third of a
    socket's opening cost in the server (measured with bench/fanout.py). Its formatting functions are
    given lazy stand-ins, which format only when a line is written."""
    try:
        from autobahn import util
        from autobahn.twisted import websocket as twisted_websocket
        from autobahn.websocket import protocol
    except ImportError:  # another ASGI server
        return
    protocol.pformat = lambda obj, *a, **k: _Lazy(pprint.pformat, obj)  # type: ignore[assignment]
    for module in (protocol, twisted_websocket):
        module.hltype = lambda obj: _Lazy(util.hltype, obj)  # type: ignore[attr-defined]
    twisted_websocket.hlval = lambda val, color="white", bold=True: _Lazy(util.hlval, val, color, bold)  # type: ignore[attr-defined]


_lazy_autobahn_debug_lines()


def _query(scope: dict[str, Any]) -> dict[str, str]:
    return dict(parse_qsl(scope.get("query_string", b"").decode(errors="replace")))


class LiveSocketAuth:
    """ASGI middleware: a socket with a valid signed live token goes straight on (no session or user
    read); any other through Channels' cookie, session and auth middleware. The consumer asks the gate
    either way."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.with_session = AuthMiddlewareStack(inner)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if live_grant(_query(scope).get("t")) is not None:
            return await self.inner(scope, receive, send)
        return await self.with_session(scope, receive, send)


class CongressConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    # No channel of its own: pushes come through the congress's relay (`live.join`). A channel per
    # socket would be a queue and a waiting task each, and the in-memory layer scans all its channels
    # at every receive (quadratic in the sockets). The alias names no layer, so Channels makes none.
    channel_layer_alias = "daihoi.live-sockets-use-the-relay"
    congress_id: int | None = None

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        query = _query(self.scope)
        grant = actor_for_live_token(query.get("t"), slug)
        if grant is None:
            grant = await database_sync_to_async(self._authorize)(slug, query.get("screen", ""))
        if grant is None:
            await self.close(code=4403)
            return
        await self.accept()
        text = await live.join(self, grant[0])
        self.congress_id = grant[0]
        await self.send(text_data=text)  # no await before this since join: no newer push is overtaken

    def _authorize(self, slug: str, token: str) -> tuple[int, Actor] | None:
        congress = Congress.objects.filter(slug=slug).first()
        # Anyone the gate knows in this congress (staff, its delegates, its screens) may watch the
        # public state; who it is comes from Channels' AuthMiddleware, as for a page from Django's.
        if congress is None:
            return None
        actor = actor_for_socket(self.scope, congress, token)
        return None if actor.is_anonymous else (congress.pk, actor)

    async def disconnect(self, code: int) -> None:
        if self.congress_id is not None:
            await live.leave(self, self.congress_id)
            self.congress_id = None

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # Screens only listen; a ping keeps proxies from closing an idle socket.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
