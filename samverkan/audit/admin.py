from django.contrib import admin

from samverkan.audit.models import AuditEntry
from samverkan.members.admin_scope import ReadOnlyScopedAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyScopedAdmin):
    list_display = ("created_at", "actor_label", "action", "object_repr", "year")
    list_filter = ("action", "year")
    search_fields = ("object_repr", "actor_label", "message")

    exclude = ("changes",)
    readonly_fields = ("change_lines",)

    @admin.display(description="ändringar")
    def change_lines(self, obj: AuditEntry) -> str:
        """ "fält: före → efter", one change after the other, instead of the stored JSON."""
        changes = obj.changes if isinstance(obj.changes, dict) else {}
        return "; ".join(
            f"{name}: {value.get('before')} → {value.get('after')}"
            if isinstance(value, dict)
            else f"{name}: {value}"
            for name, value in changes.items()
        )
