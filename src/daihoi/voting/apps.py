from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "daihoi.voting"
    verbose_name = _("Biểu quyết và bầu cử")
