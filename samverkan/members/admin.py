from django.contrib import admin

from samverkan.members.admin_scope import ScopedAdmin
from samverkan.members.models import Cooperation, FeeRule, Member, PopulationFigure, Year, YearText


@admin.register(Cooperation)
class CooperationAdmin(ScopedAdmin):
    list_display = ("name", "slug", "short_name")
    search_fields = ("name", "slug")


@admin.register(Member)
class MemberAdmin(ScopedAdmin):
    list_display = ("name", "code", "cooperation", "joined", "left")
    list_filter = (("cooperation", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "code")


@admin.register(PopulationFigure)
class PopulationFigureAdmin(ScopedAdmin):
    list_display = ("member", "date", "population", "source_label")
    list_filter = ("date", ("member", admin.RelatedOnlyFieldListFilter))


@admin.register(FeeRule)
class FeeRuleAdmin(ScopedAdmin):
    list_display = ("cooperation", "from_year", "rate", "basis")


@admin.register(Year)
class YearAdmin(ScopedAdmin):
    list_display = ("__str__", "status", "decided_on", "published_at")
    list_filter = ("status", ("cooperation", admin.RelatedOnlyFieldListFilter))
    # The workflow (decide, publish, reopen) and the plan's adoption go through the app, where they
    # are checked and audited.
    readonly_fields = (
        "status",
        "decided_on",
        "published_at",
        "plan_adopted_on",
        "plan_published_at",
    )


@admin.register(YearText)
class YearTextAdmin(ScopedAdmin):
    list_display = ("year", "key", "order")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)
