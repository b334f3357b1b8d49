"""ASGI entry: HTTP (static files by WhiteNoise in the middleware chain, so the hall needs no internet)
and WebSockets."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.web.settings")

import django

django.setup(set_prefix=False)

from daihoi.web.handler import PooledASGIHandler  # noqa: E402

django_asgi_app = PooledASGIHandler()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from daihoi.congress.consumers import LiveSocketAuth  # noqa: E402
from daihoi.web.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(LiveSocketAuth(URLRouter(websocket_urlpatterns))),
    }
)
