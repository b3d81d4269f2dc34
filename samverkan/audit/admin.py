from django.contrib import admin

from samverkan.audit.models import AuditEntry
from samverkan.members.admin_scope import ReadOnlyScopedAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyScopedAdmin):
    list_display = ("created_at", "actor_label", "action", "object_repr", "year")
    list_filter = ("action", "year")
    search_fields = ("object_repr", "actor_label", "message")
