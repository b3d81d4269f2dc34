from django.apps import AppConfig


class YearfileConfig(AppConfig):
    name = "samverkan.yearfile"
    label = "yearfile"
