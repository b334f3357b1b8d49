from django.apps import AppConfig


class WebConfig(AppConfig):
    """The server side: settings, URL map, ASGI entry and the `serve` command."""

    name = "daihoi.web"
    label = "web"
