from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "samverkan.projects"
    label = "projects"
