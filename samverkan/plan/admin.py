from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samverkan.members.admin_scope import ReadOnlyScopedAdmin, ScopedAdmin
from samverkan.plan.models import (
    Activity,
    ActivityProposal,
    AreaGroup,
    FocusArea,
    FollowUp,
    Programme,
    SubGoal,
)


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
    exclude = ("slug",)  # made from the title in the app; a fixed key of the year file


@admin.register(SubGoal)
class SubGoalAdmin(ScopedAdmin):
    list_display = ("text", "focus_area")


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ("title", "focus_area", "year")
    list_filter = (("focus_area__year", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title",)

    @admin.display(description="år", ordering="focus_area__year__year")
    def year(self, obj: Activity) -> int:
        return obj.focus_area.year.year

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Every activity has its follow-up record, which its own page edits.
        FollowUp.objects.get_or_create(activity=form.instance)
        super().save_related(request, form, formsets, change)


@admin.register(ActivityProposal)
class ActivityProposalAdmin(ScopedAdmin):
    """Proposals are made and decided in the app; the admin shows them and can correct a text."""

    list_display = ("title", "network", "focus_area", "status")
    list_filter = ("status",)
    readonly_fields = (
        "status",
        "decision_reason",
        "activity",
        "proposed_by",
        "decided_by",
        "decided_at",
    )


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyScopedAdmin):
    """Follow-ups are written on the activity's page, which guards against overwriting a newer version."""

    list_display = ("activity", "status", "version", "updated_by", "updated_at")
    list_filter = ("status",)
    deleted_with_parent = True  # deleting an activity here deletes its follow-up
