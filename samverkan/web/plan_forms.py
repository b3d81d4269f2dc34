"""Forms of the yearly cycle: starting a year, editing the plan, proposals, budget, adopting the plan."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.finance.models import CostCategory, Fund
from samverkan.governance.models import Event, Network
from samverkan.members.models import Year
from samverkan.plan.models import Activity, FocusArea


def network_label(obj: Any) -> str:
    """A network by its full name and short name: short names alone are ambiguous in a picker."""
    return (
        f"{obj.name} ({obj.short_name})"
        if obj.short_name and obj.short_name != obj.name
        else obj.name
    )


class YearNetworkChoice(forms.ModelMultipleChoiceField):
    """The year's networks only, each by its full name and short name."""

    def label_from_instance(self, obj: Any) -> str:
        return network_label(obj)


class NetworkChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return network_label(obj)


class ChosenRecordForm(forms.Form):
    """The record a button acts on, named by a hidden field (`area`, `goal`) among those offered.

    Whatever was posted (a word, a number too large for an id) is looked up
    only through the field, so a record that is not among `queryset` is an
    invalid form, never a server error.
    """

    def __init__(self, data: Any, *, name: str, queryset: Any) -> None:
        super().__init__(data)
        self.name = name
        self.fields[name] = forms.ModelChoiceField(queryset=queryset)

    def chosen(self) -> Any:
        """The record, or None when the posted value names none of the offered records."""
        return self.cleaned_data[self.name] if self.is_valid() else None


def year_networks(year: Year) -> Any:
    from samverkan.governance.networks import networks_of_year

    return networks_of_year(year)


class StartYearForm(forms.Form):
    activities = forms.TypedMultipleChoiceField(
        label=_("Aktiviteter som fortsätter"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    projects = forms.TypedMultipleChoiceField(
        label=_("Projekt som fortsätter"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[int, str]],
        project_choices: Sequence[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["activities"]
        field.choices = choices
        projects: Any = self.fields["projects"]
        projects.choices = list(project_choices)


class FocusAreaForm(forms.Form):
    title = forms.CharField(label=_("Fokusområdets namn"), max_length=200)
    main_goal = forms.CharField(
        label=_("Huvudmål"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SubGoalForm(forms.Form):
    text = forms.CharField(label=_("Delmål"), widget=forms.Textarea(attrs={"rows": 2}))


class NewSubGoalForm(SubGoalForm):
    text = forms.CharField(label=_("Nytt delmål"), widget=forms.Textarea(attrs={"rows": 2}))


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Aktivitet"), widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad som ska göras; Markdown."),
    )
    networks = YearNetworkChoice(
        label=_("Ansvariga nätverk"),
        queryset=Network.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Inget valt: fokusområdets ansvariga nätverk."),
    )
    start = forms.DateField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Slut"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        field: Any = self.fields["networks"]
        field.queryset = year_networks(year)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutet kan inte ligga före starten."))
        return data

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        return {
            "title": activity.title,
            "description": activity.description,
            "networks": [n.pk for n in activity.networks.all()],
            "start": activity.start,
            "end": activity.end,
        }

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "networks": list(data["networks"]),
            "start": data["start"],
            "end": data["end"],
        }


class MoveActivityForm(forms.Form):
    focus_area = forms.ModelChoiceField(
        label=_("Flytta till fokusområdet"), queryset=FocusArea.objects.none()
    )

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["focus_area"]
        field.queryset = FocusArea.objects.filter(year=year).order_by("order")


class CancelActivityForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl till att aktiviteten ställs in"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ProposalForm(forms.Form):
    focus_area = forms.ModelChoiceField(label=_("Fokusområde"), queryset=FocusArea.objects.none())
    network = NetworkChoice(label=_("Nätverk som föreslår"), queryset=Network.objects.none())
    title = forms.CharField(label=_("Aktivitet"), widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, year: Year, network_ids: frozenset[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas: Any = self.fields["focus_area"]
        areas.queryset = FocusArea.objects.filter(
            year=year, responsible_networks__in=network_ids
        ).distinct()
        networks: Any = self.fields["network"]
        networks.queryset = year_networks(year).filter(pk__in=network_ids)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        area, network = data.get("focus_area"), data.get("network")
        if area and network and not area.responsible_networks.filter(pk=network.pk).exists():
            self.add_error("network", _("Nätverket ansvarar inte för det fokusområdet."))
        return data


class ProposalEditForm(forms.Form):
    title = forms.CharField(label=_("Aktivitet"), widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför avböjs förslaget?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AdoptPlanForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Samarbetskommitténs beslutsdatum för planen"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PublishPlanForm(forms.Form):
    confirm = forms.BooleanField(label=_("Verksamhetsplanen blir synlig för alla."))


class ReopenPlanForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför öppnas planen igen?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


def parse_amount(raw: str) -> Decimal | None:
    """ "1 600", "1600,50", "1600.50" -> Decimal; "" -> None; ValueError for anything else."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if text.lower().endswith("kr"):
        text = text[:-2]
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(raw)
    return value


class BudgetGrid:
    """The budget as one form: a cell per fund and category, and the events' cost caps.

    Not a Django Form because the fields follow the year's funds and
    categories; it cleans the same way, with an error per cell.
    """

    def __init__(
        self,
        year: Year,
        funds: list[Fund],
        categories: list[CostCategory],
        events: list[Event],
        stored: dict[tuple[int, int], Decimal],
        data: Any = None,
        labels: dict[str, str] | None = None,  # slug -> the fund's name this year
    ) -> None:
        self.year, self.funds, self.categories, self.events = year, funds, categories, events
        self.labels = {f.pk: (labels or {}).get(f.slug, f.name) for f in funds}
        self.data = data
        self.errors: dict[str, str] = {}
        self.values: dict[str, str] = {}
        for fund in funds:
            for category in categories:
                name = self.cell_name(fund, category)
                amount = stored.get((fund.pk, category.pk))
                self.values[name] = (
                    data.get(name, "")
                    if data is not None
                    else (_plain(amount) if amount is not None else "")
                )
        for event in events:
            name = f"cap-{event.pk}"
            cap = event.cost_cap_per_participant
            self.values[name] = (
                data.get(name, "") if data is not None else (_plain(cap) if cap is not None else "")
            )
        self.amounts: dict[tuple[int, int], Decimal | None] = {}
        self.caps: dict[int, Decimal | None] = {}

    @staticmethod
    def cell_name(fund: Fund, category: CostCategory) -> str:
        return f"b-{fund.pk}-{category.pk}"

    def is_valid(self) -> bool:
        for fund in self.funds:
            for category in self.categories:
                name = self.cell_name(fund, category)
                try:
                    value = parse_amount(self.values[name])
                except ValueError:
                    self.errors[name] = str(
                        _("Skriv ett belopp i kronor, t.ex. 125000 eller 1 600,50.")
                    )
                    continue
                if value is not None and value < 0:
                    self.errors[name] = str(_("Ett budgetbelopp kan inte vara negativt."))
                    continue
                self.amounts[(fund.pk, category.pk)] = value
        for event in self.events:
            name = f"cap-{event.pk}"
            try:
                cap = parse_amount(self.values[name])
            except ValueError:
                self.errors[name] = str(_("Skriv ett belopp i kronor, t.ex. 1600."))
                continue
            self.caps[event.pk] = cap
        return not self.errors

    def rows(self) -> list[dict[str, Any]]:
        """For the template: a row per category with a cell per fund (name, value, error, label)."""
        result = []
        for category in self.categories:
            cells = []
            for fund in self.funds:
                name = self.cell_name(fund, category)
                cells.append(
                    {
                        "name": name,
                        "value": self.values[name],
                        "error": self.errors.get(name, ""),
                        "label": f"{category.name}, {self.labels[fund.pk]}",
                    }
                )
            result.append({"category": category, "cells": cells})
        return result

    def fund_headers(self) -> list[str]:
        return [self.labels[f.pk] for f in self.funds]

    def event_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "event": e,
                "name": f"cap-{e.pk}",
                "value": self.values[f"cap-{e.pk}"],
                "error": self.errors.get(f"cap-{e.pk}", ""),
            }
            for e in self.events
        ]


def _plain(amount: Decimal) -> str:
    """An amount as typed: no decimals when whole."""
    return str(amount.quantize(Decimal(1))) if amount == amount.to_integral_value() else str(amount)
