from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "samverkan.members"
    label = "members"
