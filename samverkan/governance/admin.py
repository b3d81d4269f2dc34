from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from samverkan.governance.models import (
    Body,
    Chair,
    Event,
    Meeting,
    Network,
    NetworkYear,
    StaffMember,
)
from samverkan.members.admin_scope import ScopedAdmin


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


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "year",
            "body",
            "networks",
            "date",
            "month",
            "format",
            "kind",
            "place",
            "count",
            "cancelled",
            "cancel_reason",
            "guests",
            "note",
            "order",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        year = data.get("year")
        if year is not None:
            for field, message in Meeting.owner_errors(
                year.cooperation_id, data.get("body"), data.get("networks") or []
            ).items():
                self.add_error(field, message)
        return data


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    form = MeetingAdminForm
    list_display = ("__str__", "year", "format", "kind", "count", "cancelled")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter), "format", "kind")


class PartnersField(forms.CharField):
    """The event's partners as one name per line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in str(text).splitlines() if line.strip()]


class EventForm(forms.ModelForm):
    partners = PartnersField(
        label=_("Samarbetspartner"), required=False, help_text=_("En per rad.")
    )

    class Meta:
        model = Event
        fields = (
            "year",
            "slug",
            "kind",
            "name",
            "date",
            "status",
            "reason",
            "hosts",
            "partners",
            "theme",
            "participants",
            "cost_cap_per_participant",
            "fund",
            "order",
        )


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    form = EventForm

    list_display = ("name", "kind", "date", "status", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter), "kind", "status")
