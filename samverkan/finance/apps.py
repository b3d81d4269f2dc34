from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "samverkan.finance"
    label = "finance"
