from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "daihoi.congress"
    verbose_name = _("Đại hội")

    def ready(self) -> None:
        # Register the live sections of the public congress state that this app builds.
        from daihoi.congress import attendance  # noqa: F401
        from daihoi.congress.actions import agenda, speakers  # noqa: F401
