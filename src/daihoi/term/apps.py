from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TermConfig(AppConfig):
    name = "daihoi.term"
    verbose_name = _("Nghị quyết và nhiệm kỳ")

    def ready(self) -> None:
        # Add the resolution, the review and two years of the term to the demo congress.
        from daihoi.term import demo  # noqa: F401
