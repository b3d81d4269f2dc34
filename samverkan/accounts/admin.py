from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samverkan.accounts.models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Users and roles are the installation's business: superusers only (and `samverkan createuser`).

    A secretariat that could grant roles could also make itself secretariat
    of another cooperation, so the admin does not offer it.
    """

    list_display = ("user", "role", "network", "cooperation")
    list_filter = ("role", "cooperation")
    search_fields = ("user__username",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
