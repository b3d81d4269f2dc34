from django.contrib import admin

from samverkan.members.admin_scope import ReadOnlyScopedAdmin, ScopedAdmin
from samverkan.plan.models import Activity, AreaGroup, FocusArea, FollowUp, Programme, SubGoal


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    list_display = ("name", "short_name", "valid_from", "valid_until", "cooperation")


@admin.register(AreaGroup)
class AreaGroupAdmin(ScopedAdmin):
    list_display = ("name", "kind", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)


@admin.register(FocusArea)
class FocusAreaAdmin(ScopedAdmin):
    list_display = ("__str__", "group", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)


@admin.register(SubGoal)
class SubGoalAdmin(ScopedAdmin):
    list_display = ("text", "focus_area")


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ("title", "focus_area")
    list_filter = (("focus_area", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyScopedAdmin):
    """Follow-ups are written on the activity's page, which guards against overwriting a newer version."""

    list_display = ("activity", "status", "version", "updated_by", "updated_at")
    list_filter = ("status",)
