"""Forms of the accounts pages: SIE upload, account mapping, the ledger grid of a fund."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.finance.models import AccountMapping, CostCategory, Fund
from samverkan.finance.services import LineRow
from samverkan.members.models import Cooperation
from samverkan.projects.models import Project
from samverkan.web.fields import AmountField

_OBJECT = re.compile(r"[^\s:,]+:[^\s:,]+")


class SieUploadForm(forms.Form):
    file = forms.FileField(
        label=_("SIE-fil"),
        help_text=_("En SIE-fil (typ 4) från huvudmannens bokföring, t.ex. huddinge-2020.se."),
    )
    objects = forms.CharField(
        label=_("Objekt"),
        required=False,
        help_text=_(
            "Samverkansorganets kostnadsställe eller projekt i filen, skrivet DIM:ID, t.ex. "
            "1:1510. Flera skiljs med mellanslag. Tomt: hela filen."
        ),
    )

    def clean_objects(self) -> list[str]:
        values = self.cleaned_data["objects"].replace(",", " ").split()
        wrong = [v for v in values if not _OBJECT.fullmatch(v)]
        if wrong:
            raise forms.ValidationError(
                _("Skriv objekt som DIM:ID, t.ex. 1:1510 (fel: %(wrong)s).")
                % {"wrong": ", ".join(wrong)}
            )
        return values


def name_funds(field: Any, labels: dict[str, str]) -> None:
    """Offer each fund under its name in the year (`fund_labels`): every year's operating fund
    is called "drift", so by their bare names the pickers would list several alike."""
    field.label_from_instance = lambda fund: labels.get(fund.slug, fund.name)


def project_names(cooperation: Cooperation) -> dict[str, str]:
    """The cooperation's projects, slug -> name: what an account mapping's project names."""
    return dict(Project.objects.filter(cooperation=cooperation).values_list("slug", "name"))


class AccountMappingForm(forms.ModelForm):
    """The model's own rules (``AccountMapping.clean``) check the values."""

    class Meta:
        model = AccountMapping
        fields = ["account", "category", "fund", "object_id", "project"]
        labels = {
            "account": _("Konto (början av kontonumret)"),
            "category": _("Kostnadsslag"),
            "fund": _("Fond"),
            "object_id": _("Objekt"),
            "project": _("Projekt"),
        }
        help_texts = {
            "account": _("5 fångar alla konton som börjar på 5; det längsta prefixet vinner."),
            "fund": _("Tomt: årets driftfond."),
        }

    def __init__(self, *args: Any, cooperation: Cooperation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.cooperation = cooperation
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = CostCategory.objects.filter(cooperation=cooperation)
        fund = cast(forms.ModelChoiceField, self.fields["fund"])
        fund.queryset = Fund.objects.filter(cooperation=cooperation)
        # The project by its name; a slug no project has (yet) stays choosable as it is.
        names = project_names(cooperation)
        current = self.instance.project
        if current and current not in names:
            names[current] = current
        self.fields["project"] = forms.ChoiceField(
            label=_("Projekt"),
            required=False,
            choices=[("", _("– inget projekt –")), *sorted(names.items(), key=lambda n: n[1])],
        )

    def _get_validation_exclusions(self) -> set[str]:
        # The page sets the cooperation, the user does not type it; its rule "one mapping per
        # account and object" must still be asked here, so that a second mapping of an account
        # is a form error and not a refusal of the database. (A private hook of ModelForm.)
        excluded: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        return excluded - {"cooperation"}


class LedgerLineForm(forms.Form):
    """One row of a fund's ledger grid."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ModelChoiceField(label=_("Kostnadsslag"), queryset=CostCategory.objects.none())
    text = forms.CharField(label=_("Text"), required=False, max_length=300)
    amount = AmountField(label=_("Belopp (kr)"), max_digits=14, decimal_places=2)

    def __init__(self, *args: Any, cooperation: Cooperation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = CostCategory.objects.filter(cooperation=cooperation)

    def row(self) -> LineRow:
        data = self.cleaned_data
        if data.get("DELETE"):
            return LineRow(pk=data.get("id"), date=None, category=None, amount=None, delete=True)
        return LineRow(
            pk=data.get("id"),
            date=data["date"],
            category=data["category"],
            amount=data["amount"],
            text=data.get("text", ""),
        )


class BaseLedgerFormSet(forms.BaseFormSet[LedgerLineForm]):
    def __init__(self, *args: Any, cooperation: Cooperation, **kwargs: Any) -> None:
        self.cooperation = cooperation
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"cooperation": self.cooperation}

    def rows(self) -> list[LineRow]:
        """The filled rows (empty new rows left out)."""
        return [form.row() for form in self.forms if form.has_changed()]


LedgerFormSet = cast(
    type[BaseLedgerFormSet],
    forms.formset_factory(LedgerLineForm, formset=BaseLedgerFormSet, extra=3, can_delete=True),
)
