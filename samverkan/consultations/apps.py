from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "samverkan.consultations"
    label = "consultations"
