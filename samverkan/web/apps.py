from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "samverkan.web"
    label = "web"
    verbose_name = _("Webbplatsen")

    def ready(self) -> None:
        from samverkan.web import checks  # noqa: F401  (registers the deployment checks)
