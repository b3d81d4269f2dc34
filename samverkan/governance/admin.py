from django.contrib import admin

from samverkan.accounts.admin_scope import ScopedAdmin
from samverkan.governance.models import (
    Body,
    Chair,
    Event,
    Meeting,
    Network,
    NetworkYear,
    StaffMember,
)


@admin.register(Body)
class BodyAdmin(ScopedAdmin):
    list_display = ("name", "kind", "cooperation")
    list_filter = ("kind",)


@admin.register(Network)
class NetworkAdmin(ScopedAdmin):
    list_display = ("name", "short_name", "cooperation")
    search_fields = ("name", "short_name")


@admin.register(Chair)
class ChairAdmin(ScopedAdmin):
    list_display = ("person", "role", "body", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)


@admin.register(StaffMember)
class StaffMemberAdmin(ScopedAdmin):
    list_display = ("person", "role", "year", "start", "end")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)


@admin.register(NetworkYear)
class NetworkYearAdmin(ScopedAdmin):
    list_display = ("network", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ("__str__", "year", "format", "kind", "count", "cancelled")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter), "format", "kind")


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ("name", "kind", "date", "status", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter), "kind", "status")
