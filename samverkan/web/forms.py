"""Plain forms: each cleans raw input into what one service takes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.roles import Standing
from samverkan.governance.models import MEETING_COUNT_MAX, Body, MeetingFormat, MeetingKind, Network
from samverkan.members.models import Year
from samverkan.members.services import OPEN_STATUSES
from samverkan.plan.models import FollowUp, FollowUpStatus


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    status_reason = forms.CharField(
        label=_("Skäl"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när aktiviteten är uppskjuten eller inställd."),
    )
    continues = forms.BooleanField(label=_("Fortsätter nästa år"), required=False)
    text = forms.CharField(
        label=_("Uppföljningstext"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Markdown: en rad som börjar med ”- ” blir en punkt i en lista; indrag med två mellanslag."
        ),
    )
    # The version the form was read at: saving refuses if the follow-up has moved on since.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def for_follow_up(cls, follow_up: FollowUp) -> FollowUpForm:
        return cls(
            initial={
                "status": follow_up.status,
                "status_reason": follow_up.status_reason,
                "continues": follow_up.continues,
                "text": follow_up.text,
                "version": follow_up.version,
            }
        )


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Organ"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("– inget organ, ett nätverksmöte –"),
    )
    networks = forms.ModelMultipleChoiceField(
        label=_("Nätverk"),
        queryset=Network.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    date = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna tomt om bara månaden eller antalet möten är känt."),
    )
    month = forms.TypedChoiceField(
        label=_("Månad"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–"), *MONTHS.items()],
        help_text=_("När bara månaden är känd."),
    )
    format = forms.ChoiceField(label=_("Form"), choices=MeetingFormat.choices)
    kind = forms.ChoiceField(
        label=_("Typ"), choices=MeetingKind.choices, initial=MeetingKind.ORDINARY
    )
    count = forms.IntegerField(
        label=_("Antal möten"),
        min_value=1,
        max_value=MEETING_COUNT_MAX,
        initial=1,
        help_text=_("Fler än ett när posten står för flera odaterade möten."),
    )
    place = forms.CharField(label=_("Plats"), required=False, max_length=300)
    cancelled = forms.BooleanField(label=_("Inställt"), required=False)
    cancel_reason = forms.CharField(
        label=_("Skäl till att mötet ställdes in"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    guests = forms.CharField(
        label=_("Externa gäster"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, year: Year, standing: Standing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.standing = standing
        body_field: Any = self.fields["body"]
        network_field: Any = self.fields["networks"]
        network_field.queryset = Network.objects.filter(cooperation=year.cooperation)
        if standing.may_assign_body():
            body_field.queryset = Body.objects.filter(cooperation=year.cooperation)
        else:
            del self.fields["body"]
            led = Network.objects.filter(pk__in=standing.network_ids)
            network_field.help_text = _(
                "Minst ett av de nätverk du leder (%(networks)s); ett gemensamt möte kan gälla fler."
            ) % {"networks": ", ".join(str(network) for network in led)}

    def clean(self) -> dict[str, Any]:
        # The meeting's own rules are the model's and come back from the service; this form
        # only says who may write what.
        super().clean()
        data = self.cleaned_data
        networks = list(data.get("networks") or [])
        if (
            not self.standing.may_assign_body()
            and networks
            and not self.standing.leads_any(networks)
        ):
            self.add_error("networks", _("Mötet måste gälla minst ett av de nätverk du leder."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "body": data.get("body"),
            "networks": list(data["networks"]),
            "date": data["date"],
            "month": data["month"],
            "format": data["format"],
            "kind": data["kind"],
            "count": data["count"],
            "place": data["place"],
            "cancelled": data["cancelled"],
            "cancel_reason": data["cancel_reason"],
            "guests": data["guests"],
            "note": data["note"],
        }

    @staticmethod
    def initial_for(meeting: Any) -> dict[str, Any]:
        return {
            "body": meeting.body_id,
            "networks": [n.pk for n in meeting.networks.all()],
            "date": meeting.date,
            "month": meeting.month,
            "format": meeting.format,
            "kind": meeting.kind,
            "count": meeting.count,
            "place": meeting.place,
            "cancelled": meeting.cancelled,
            "cancel_reason": meeting.cancel_reason,
            "guests": meeting.guests,
            "note": meeting.note,
        }


class YearStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Ny status"), choices=[(s.value, s.label) for s in OPEN_STATUSES]
    )


class DecideForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Samarbetskommitténs beslutsdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    # Asked for only when the checks find errors; the reason is kept in the audit trail.
    confirm_errors = forms.BooleanField(
        label=_("Jag har läst felen ovan och vill ändå besluta året."), required=False
    )
    errors_reason = forms.CharField(
        label=_("Varför beslutas året trots felen?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    def require_confirmation(self, open_errors: list[str]) -> bool:
        """With error-level findings: an explicit confirmation and a reason (else field errors)."""
        if not open_errors:
            return True
        data = self.cleaned_data
        if not data.get("confirm_errors"):
            self.add_error("confirm_errors", _("Bekräfta att året ska beslutas trots felen."))
        if not (data.get("errors_reason") or "").strip():
            self.add_error("errors_reason", _("Ange varför året beslutas trots felen."))
        return not self.errors


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför öppnas året igen?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class PublishForm(forms.Form):
    confirm = forms.BooleanField(label=_("Årsredovisningen och öppna data blir synliga för alla."))
