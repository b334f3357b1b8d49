from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "daihoi.congress"
    verbose_name = _("Đại hội")
