"""The live socket: sends the congress state on connect and after every committed change."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from daihoi.congress.live import congress_state, group_name
from daihoi.congress.models import Congress, Delegate, StaffRole


def _may_watch(scope: dict[str, Any], congress: Congress, token: str) -> bool:
    """Screens (token), staff of this congress and its signed-in delegates may watch the public state."""
    from daihoi.congress.access import delegate_session_key, screen_session_key

    if token and token == congress.screen_token:
        return True
    session = scope.get("session")
    if session is not None:
        if session.get(screen_session_key(congress.pk)) == congress.screen_token:
            return True
        delegate_id = session.get(delegate_session_key(congress.pk))
        if delegate_id is not None and Delegate.objects.filter(pk=delegate_id, congress=congress).exists():
            return True
    user = scope.get("user")
    if user is None and session is not None:
        from django.contrib.auth import SESSION_KEY, get_user_model

        user_id = session.get(SESSION_KEY)
        if user_id is not None:
            user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is not None and getattr(user, "is_authenticated", False):
        return bool(user.is_superuser or StaffRole.objects.filter(user=user, congress=congress).exists())
    return False


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
        if congress is None or not _may_watch(self.scope, congress, token):
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
