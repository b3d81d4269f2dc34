from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "samverkan.plan"
    label = "plan"
