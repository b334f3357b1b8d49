from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "daihoi.drafts"
    verbose_name = _("Dự thảo văn kiện và góp ý")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Adds the drafts, comments and the district congress to the demo (`seed_demo`).
        from daihoi.drafts import demo  # noqa: F401
