from django.urls import path

from daihoi.congress.consumers import CongressConsumer

websocket_urlpatterns = [
    path("ws/c/<slug:slug>/live/", CongressConsumer.as_asgi()),
]
