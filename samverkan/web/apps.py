from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "samverkan.web"
    label = "web"

    def ready(self) -> None:
        from samverkan.web import checks  # noqa: F401  (registers the deployment checks)
