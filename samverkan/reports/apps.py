from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "samverkan.reports"
    label = "reports"
