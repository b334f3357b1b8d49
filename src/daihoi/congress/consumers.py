"""The live socket: sends the congress state on connect and after every committed change.

Access is decided by the one gate (`access.actor_for_socket`); the user comes from Channels'
AuthMiddlewareStack (web/asgi.py), which applies Django's session-hash check."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from daihoi.congress.access import actor_for_socket
from daihoi.congress.live import congress_state, group_name
from daihoi.congress.models import Congress


class CongressConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        query = dict(
            part.split("=", 1)
            for part in self.scope.get("query_string", b"").decode().split("&")
            if "=" in part
        )
        state = await database_sync_to_async(self._authorize)(slug, query.get("screen", ""))
        if state is None:
            await self.close(code=4403)
            return
        self.group = group_name(state["_id"])
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "state", "state": state["state"]})

    def _authorize(self, slug: str, token: str) -> dict[str, Any] | None:
        congress = Congress.objects.filter(slug=slug).first()
        # Anyone the gate knows in this congress (staff, its delegates, its screens) may watch the
        # public state; who it is comes from Channels' AuthMiddleware, as for a page from Django's.
        if congress is None or actor_for_socket(self.scope, congress, token).is_anonymous:
            return None
        return {"_id": congress.pk, "state": congress_state(congress)}

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # Screens only listen; a ping keeps proxies from closing an idle socket.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def congress_state(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])  # serialised once for every screen (see live.py)
