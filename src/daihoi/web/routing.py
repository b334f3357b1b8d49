"""WebSocket routes. The consumers live in `daihoi.congress.consumers`."""

from __future__ import annotations

from typing import Any

websocket_urlpatterns: list[Any] = []

try:
    from daihoi.congress.routing import websocket_urlpatterns as _congress_ws
except ImportError:  # the hall app adds its consumers
    _congress_ws = []
websocket_urlpatterns += _congress_ws
