from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearfileConfig(AppConfig):
    name = "samverkan.yearfile"
    label = "yearfile"
    verbose_name = _("Årsfiler")
