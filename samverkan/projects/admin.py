from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samverkan.members.admin_scope import ScopedAdmin
from samverkan.projects.models import Grant, GrantPayment, Project, ProjectFinancing, ProjectYear


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    list_display = ("name", "contractor", "start_year", "end_year")
    list_filter = (("start_year", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "contractor")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # A project always has its part in the year it starts: that year describes it.
        ProjectYear.objects.get_or_create(project=obj, year=obj.start_year)


@admin.register(ProjectYear)
class ProjectYearAdmin(ScopedAdmin):
    list_display = ("project", "year", "stated_cost")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("project__name",)


@admin.register(ProjectFinancing)
class ProjectFinancingAdmin(ScopedAdmin):
    list_display = ("part", "source", "amount")


@admin.register(Grant)
class GrantAdmin(ScopedAdmin):
    list_display = ("grantor", "project", "year", "timing", "amount")


@admin.register(GrantPayment)
class GrantPaymentAdmin(ScopedAdmin):
    list_display = ("grant", "date", "amount", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)
