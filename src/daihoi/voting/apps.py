from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "daihoi.voting"
    verbose_name = _("Biểu quyết và bầu cử")

    def ready(self) -> None:
        # Register the live sections (motion, election) of the public congress state, and add the two
        # elections to the demo congress (`seed_demo` loads and resets them with it).
        from daihoi.voting import demo, live_sections, open_now  # noqa: F401
