"""Forms of the members and population pages: each cleans raw input into what one service takes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.lib.dates import FIRST_YEAR, LAST_YEAR
from samverkan.members.models import Cooperation, FeeBasis, Member, member_code_validator
from samverkan.web.fields import AmountField

YEAR_BOUNDS: dict[str, Any] = {"min_value": FIRST_YEAR, "max_value": LAST_YEAR}


class MemberForm(forms.Form):
    code = forms.CharField(
        label=_("Kommunkod"),
        max_length=4,
        validators=[member_code_validator],
        help_text=_("SCB:s fyrsiffriga kod, t.ex. 0127 för Botkyrka."),
    )
    name = forms.CharField(label=_("Namn"), max_length=100)
    joined = forms.IntegerField(
        label=_("Medlem från år"),
        **YEAR_BOUNDS,
        help_text=_("Första året kommunen är medlem och betalar avgift."),
    )


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Rättat namn"), max_length=100)


class LeftForm(forms.Form):
    left = forms.IntegerField(
        label=_("Sista året som medlem"),
        required=False,
        **YEAR_BOUNDS,
        help_text=_("Lämna tomt om kommunen är medlem igen utan slutår."),
    )


class PopulationFigureForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Medlem"), queryset=Member.objects.none())
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Oftast den 31 december: underlaget för nästa års avgift."),
    )
    population = forms.CharField(
        label=_("Invånare"), max_length=20, help_text=_("Ett heltal, t.ex. 95905 eller 95 905.")
    )
    source = forms.CharField(
        label=_("Källa"),
        max_length=500,
        help_text=_("Var siffran kommer ifrån, t.ex. SCB:s tabell och datum."),
    )

    def __init__(
        self, *args: Any, cooperation: Cooperation, year: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        member_field: Any = self.fields["member"]
        member_field.queryset = Member.objects.filter(cooperation=cooperation)
        member_field.label_from_instance = lambda m: f"{m.code} {m.name}"
        if "date" not in self.initial:
            # The fee basis of the year the page belongs to (31 December the year before),
            # not of the calendar year: the secretariat may be completing an earlier year.
            self.initial["date"] = dt.date((year or dt.date.today().year) - 1, 12, 31)

    def clean_population(self) -> int:
        return inhabitants(self.cleaned_data.get("population") or "")


class PopulationTotalForm(forms.Form):
    """The inhabitants the year's report states, with the date they are counted at."""

    population_total = forms.CharField(
        label=_("Invånare totalt"),
        max_length=20,
        required=False,
        help_text=_(
            "Siffran som årsredovisningens text anger, t.ex. 494 358. Lämna tomt om "
            "årsredovisningen inte anger något invånarantal."
        ),
    )
    population_total_date = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Dagen invånarna räknades, t.ex. 30 september eller 31 december."),
    )
    population_total_note = forms.CharField(
        label=_("Anteckning"),
        max_length=300,
        required=False,
        help_text=_("Vad siffran är, t.ex. ”Vid årets slut”."),
    )

    def clean_population_total(self) -> int | None:
        text = (self.cleaned_data.get("population_total") or "").strip()
        return inhabitants(text) if text else None


def inhabitants(text: str) -> int:
    """A number of inhabitants as typed: digits, perhaps grouped by spaces (95 905)."""
    text = text.strip()
    digits = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if digits.startswith(("-", "\u2212")) and digits[1:].isdigit():
        raise ValidationError(_("Ett invånarantal kan inte vara negativt."))
    if not digits.isdigit():
        raise ValidationError(
            _("”%(value)s” är inte ett heltal (bara siffror, t.ex. 95905)."),
            params={"value": text},
        )
    return int(digits)


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil från SCB"),
        help_text=_(
            "Tabellen Folkmängd efter region och år (TAB638) från Statistikdatabasen, sparad som "
            "CSV eller JSON-stat2."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.txt,.json,text/csv,application/json"}
        ),
    )


class PopulationConfirmForm(forms.Form):
    plan = forms.CharField(widget=forms.HiddenInput)


class FeeRateForm(forms.Form):
    """A fee rule's rate and basis: what a change of an existing rule may set."""

    rate = AmountField(
        label=_("Kronor per invånare"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        help_text=_("T.ex. 4 eller 4,50."),
    )
    basis = forms.ChoiceField(label=_("Avgiftsunderlag"), choices=FeeBasis.choices)


class FeeRuleForm(FeeRateForm):
    """A new fee rule: the first year it governs, its rate and basis."""

    from_year = forms.IntegerField(
        label=_("Gäller från år"),
        **YEAR_BOUNDS,
        help_text=_("Regeln gäller från detta år tills nästa regel tar över."),
    )
    field_order = ["from_year", "rate", "basis"]
