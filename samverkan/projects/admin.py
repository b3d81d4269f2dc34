from django.contrib import admin

from samverkan.members.admin_scope import ScopedAdmin
from samverkan.projects.models import Grant, GrantPayment, Project, ProjectFinancing


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    list_display = ("name", "contractor", "stated_cost", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "contractor")


@admin.register(ProjectFinancing)
class ProjectFinancingAdmin(ScopedAdmin):
    list_display = ("project", "source", "amount")


@admin.register(Grant)
class GrantAdmin(ScopedAdmin):
    list_display = ("grantor", "project", "timing", "amount")


@admin.register(GrantPayment)
class GrantPaymentAdmin(ScopedAdmin):
    list_display = ("grant", "date", "amount", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)
