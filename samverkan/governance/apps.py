from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "samverkan.governance"
    label = "governance"
