"""Forms of the registers a secretariat edits: consultation responses, projects, events, networks,
texts.

The model forms run the model's own rules (`clean()`, field validators) as
the admin does; the services run them again before saving, so a record
written any other way meets the same rules and the same messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseFormSet, BaseModelFormSet
from django.utils.translation import gettext_lazy as _

from samverkan.consultations.models import ConsultationResponse
from samverkan.core.rows import RowEdit
from samverkan.finance.accounts import fund_labels
from samverkan.finance.models import CostCategory, Fund, LedgerLine, LineKind
from samverkan.governance.models import Event, Network, NetworkYear
from samverkan.members.models import Member, Year, YearText
from samverkan.plan.models import FocusArea
from samverkan.projects.models import (
    Grant,
    GrantPayment,
    Project,
    ProjectFinancing,
    ProjectYear,
)
from samverkan.web.account_forms import name_funds
from samverkan.web.fields import AmountField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


AMOUNT = {"amount": AmountField}


class ConsultationForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Länk"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Till remissvaret eller remissen, t.ex. på regeringen.se."),
        # Not <input type="url">: the browser would refuse an address without "https://"
        # before the form could add it (assume_scheme), as the help text invites.
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )

    class Meta:
        model = ConsultationResponse
        fields = [
            "subject",
            "authority",
            "received_on",
            "sent_on",
            "month",
            "recipient",
            "answered",
            "link",
            "note",
        ]
        labels = {"subject": _("Remissens titel"), "authority": _("Remissinstans (utfärdare)")}
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 2}),
            "received_on": DATE,
            "sent_on": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class ProjectForm(forms.ModelForm):
    """What the project is in every year it runs."""

    class Meta:
        model = Project
        fields = ["name", "contractor", "start", "end", "end_year"]
        labels = {"contractor": _("Utförare (konsult)")}
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ProjectYearForm(forms.ModelForm):
    """The project's part in the year: what the year's report states."""

    class Meta:
        model = ProjectYear
        fields = ["stated_cost", "focus_area", "description"]
        field_classes = {"stated_cost": AmountField}
        labels = {"focus_area": _("Fokusområde")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area: Any = self.fields["focus_area"]
        area.queryset = FocusArea.objects.filter(year=year)
        cost: Any = self.fields["stated_cost"]
        cost.label = _("Angiven kostnad %(year)s") % {"year": year.year}
        text: Any = self.fields["description"]
        text.label = _("Beskrivning %(year)s") % {"year": year.year}


class FinancingForm(forms.ModelForm):
    class Meta:
        model = ProjectFinancing
        fields = ["source", "surplus_year", "amount"]
        field_classes = AMOUNT


class GrantForm(forms.ModelForm):
    class Meta:
        model = Grant
        fields = ["grantor", "timing", "rate", "amount", "expected_payment_year"]
        field_classes = {"rate": AmountField, "amount": AmountField}


class PaymentForm(forms.ModelForm):
    class Meta:
        model = GrantPayment
        fields = ["grant", "date", "amount"]
        field_classes = AMOUNT
        widgets = {"date": DATE}


class CostLineForm(forms.ModelForm):
    class Meta:
        model = LedgerLine
        fields = ["fund", "category", "amount", "date", "text"]
        field_classes = AMOUNT
        labels = {
            "fund": _("Fond"),
            "category": _("Kostnadsslag"),
            "amount": _("Belopp"),
            "date": _("Datum"),
            "text": _("Text"),
        }
        widgets = {"date": DATE}


class GrantIncomeForm(forms.ModelForm):
    """Income a grant has earned in the year: paid in arrears, a receivable until it is paid."""

    class Meta:
        model = LedgerLine
        fields = ["grant", "fund", "category", "amount", "date", "text"]
        field_classes = AMOUNT
        labels = {
            "grant": _("Bidrag"),
            "fund": _("Fond"),
            "category": _("Intäktsslag"),
            "amount": _("Belopp"),
            "date": _("Datum"),
            "text": _("Text"),
        }
        widgets = {"date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grant"].required = True


FinancingFormSet = forms.modelformset_factory(
    ProjectFinancing, form=FinancingForm, extra=1, can_delete=True
)
GrantFormSet = forms.modelformset_factory(Grant, form=GrantForm, extra=1, can_delete=True)
PaymentFormSet = forms.modelformset_factory(
    GrantPayment, form=PaymentForm, extra=1, can_delete=True
)
CostLineFormSet = forms.modelformset_factory(
    LedgerLine, form=CostLineForm, extra=1, can_delete=True
)
GrantIncomeFormSet = forms.modelformset_factory(
    LedgerLine, form=GrantIncomeForm, extra=1, can_delete=True
)


def project_formsets(
    data: Any, project: Project | None, year: Year, part: ProjectYear | None = None
) -> dict[str, BaseModelFormSet]:
    """The project page's tables for the year, each limited to this project and this year's choices:
    the part's financing, the grants decided this year, this year's payments and cost lines."""
    coop_id = year.cooperation_id
    saved = project is not None and project.pk is not None
    formsets: dict[str, BaseModelFormSet] = {
        "financing": FinancingFormSet(
            data,
            prefix="financing",
            queryset=part.financing.all() if part is not None else ProjectFinancing.objects.none(),
        ),
        "grants": GrantFormSet(
            data,
            prefix="grants",
            queryset=Grant.objects.filter(project=project, year=year)
            if saved
            else Grant.objects.none(),
        ),
        "payments": PaymentFormSet(
            data,
            prefix="payments",
            queryset=GrantPayment.objects.filter(grant__project=project, year=year)
            if saved
            else GrantPayment.objects.none(),
        ),
        "grant_income": GrantIncomeFormSet(
            data,
            prefix="grant_income",
            queryset=LedgerLine.objects.filter(
                project=project, year=year, kind=LineKind.INCOME, grant__isnull=False
            ).exclude(source="sie")
            if saved
            else LedgerLine.objects.none(),
        ),
        "cost_lines": CostLineFormSet(
            data,
            prefix="cost_lines",
            queryset=LedgerLine.objects.filter(
                project=project, year=year, kind=LineKind.COST
            ).exclude(source="sie")
            if saved
            else LedgerLine.objects.none(),
        ),
    }
    labels = fund_labels(year)
    for form in formsets["payments"].forms + [formsets["payments"].empty_form]:
        # Any grant of the project decided by now may be paid this year.
        form.fields["grant"].queryset = (
            Grant.objects.filter(project=project, year__year__lte=year.year)
            if saved
            else Grant.objects.none()
        )
    for form in formsets["grant_income"].forms + [formsets["grant_income"].empty_form]:
        # Income is earned in or after the year a grant is decided, never before.
        form.fields["grant"].queryset = (
            Grant.objects.filter(project=project, year__year__lte=year.year)
            if saved
            else Grant.objects.none()
        )
        name_funds(form.fields["fund"], labels)
        form.fields["fund"].queryset = Fund.objects.filter(cooperation_id=coop_id)
        form.fields["category"].queryset = CostCategory.objects.filter(
            cooperation_id=coop_id, kind=LineKind.INCOME, is_fee=False
        )
    for form in formsets["cost_lines"].forms + [formsets["cost_lines"].empty_form]:
        name_funds(form.fields["fund"], labels)
        form.fields["fund"].queryset = Fund.objects.filter(cooperation_id=coop_id)
        form.fields["category"].queryset = CostCategory.objects.filter(
            cooperation_id=coop_id, kind=LineKind.COST
        )
    return formsets


def row_edits(formset: BaseFormSet) -> list[RowEdit]:
    """A valid formset's rows for a service: changed and deleted rows, new rows that were filled in."""
    rows = []
    for number, form in enumerate(formset.forms):
        instance: Model | None = getattr(form, "instance", None)
        stored = instance if instance is not None and instance.pk is not None else None
        delete = bool(formset.can_delete and form.cleaned_data.get("DELETE"))
        if stored is None and (delete or not form.has_changed()):
            continue
        values = {
            name: form.cleaned_data.get(name)
            for name in form.fields
            if name not in ("id", "DELETE")
        }
        if stored is not None:
            stored = type(stored)._default_manager.get(pk=stored.pk)
        rows.append(RowEdit(instance=stored, values=values, delete=delete, number=number))
    return rows


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "name",
            "kind",
            "date",
            "status",
            "reason",
            "hosts",
            "partners",
            "theme",
            "participants",
            "cost_cap_per_participant",
            "fund",
        ]
        field_classes = {"cost_cap_per_participant": AmountField}
        labels = {"name": _("Namn"), "kind": _("Slag"), "hosts": _("Värdkommuner")}
        widgets = {
            "date": DATE,
            "reason": forms.Textarea(attrs={"rows": 2}),
            "partners": forms.Textarea(attrs={"rows": 4}),
            "hosts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.year = year
        hosts: Any = self.fields["hosts"]
        hosts.queryset = Member.objects.filter(cooperation_id=year.cooperation_id)
        fund: Any = self.fields["fund"]
        fund.queryset = Fund.objects.filter(cooperation_id=year.cooperation_id)
        name_funds(fund, fund_labels(year))
        fund.empty_label = _("– ingen; en egen fond skapas när medfinansiering fördelas –")


class CoFinancingForm(forms.Form):
    """One share per member of the year, and the amount that "split by population" shares out."""

    split_total = AmountField(
        label=_("Belopp att fördela efter invånarantal"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=_("Förifyllt med de kostnader som arrangemangets fond har bokfört."),
    )

    def __init__(self, *args: Any, members: Iterable[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[self.key(member)] = AmountField(
                label=member.name,
                required=False,
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=2,
            )

    @staticmethod
    def key(member: Member) -> str:
        return f"share_{member.pk}"

    def rows(self) -> list[tuple[Member, forms.BoundField]]:
        return [(member, self[self.key(member)]) for member in self.members]

    def shares(self) -> dict[Member, Decimal | None]:
        return {member: self.cleaned_data.get(self.key(member)) for member in self.members}


class YearTextForm(forms.ModelForm):
    class Meta:
        model = YearText
        fields = ["key", "body"]
        labels = {"key": _("Nyckel"), "body": _("Text (Markdown)")}
        help_texts = {
            "key": _(
                "Var i årsredovisningen texten står, t.ex. introduction eller administration."
            ),
            "body": _(
                "En rad som börjar med ”- ” blir en punkt i en lista; {{ total.costs }} visar en siffra ur bokslutet (årets kostnader)."
            ),
        }
        widgets = {
            "key": forms.TextInput(attrs={"list": "text-keys"}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }


def add_service_errors(
    error: ValidationError, form: forms.BaseForm, formsets: dict[str, Any] | None = None
) -> None:
    """Put the service's errors where they belong: a row's field, a form's field, or the form."""
    formsets = formsets or {}
    messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    for key, texts in messages.items():
        prefix, _sep, rest = key.partition("-")
        if prefix in formsets and rest:
            number, _sep, field = rest.partition("-")
            target = (
                formsets[prefix].forms[int(number)]
                if int(number) < len(formsets[prefix].forms)
                else form
            )
            for text in texts:
                target.add_error(field if field in target.fields else None, text)
            continue
        for text in texts:
            form.add_error(key if key in form.fields else None, text)


class NetworkForm(forms.ModelForm):
    """A standing network: its name, short name, slug and place in the lists."""

    class Meta:
        model = Network
        fields = ["name", "short_name", "slug", "order"]
        labels = {
            "name": _("Namn"),
            "short_name": _("Kortnamn"),
            "slug": _("Kortnamn i adresser"),
            "order": _("Ordning"),
        }
        help_texts = {
            "short_name": _("Det namn som står i tabeller, t.ex. SUP-gruppen."),
            "slug": _("Lämna tomt så föreslås det från namnet."),
            "order": _("Lämna tomt så hamnar nätverket sist."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["order"].required = False

    def _post_clean(self) -> None:
        # The service sets the slug and order and asks the model's rules; a blank slug or
        # order here means "propose one", which the model alone would refuse.
        pass


class NetworkYearForm(forms.Form):
    """A network's part in one year: whether it takes part, who stays away, note and focus area."""

    takes_part = forms.BooleanField(label=_("Nätverket deltar i året"), required=False)
    absent = forms.ModelMultipleChoiceField(
        label=_("Deltar inte (medlemmar som står utanför i år)"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participation_note = forms.CharField(
        label=_("Anteckning om deltagande"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    focus_area = forms.ModelChoiceField(
        label=_("Fokusområde"), queryset=FocusArea.objects.none(), required=False
    )
    summary = forms.CharField(
        label=_("Nätverkets sammanfattning av året (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, year: Year, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        named = list(network.members.all())
        members = named or list(Member.objects.filter(cooperation_id=year.cooperation_id))
        absent: Any = self.fields["absent"]
        absent.queryset = Member.objects.filter(
            pk__in=[m.pk for m in members if m.is_member_in(year.year)]
        )
        area: Any = self.fields["focus_area"]
        area.queryset = FocusArea.objects.filter(year=year)

    @staticmethod
    def initial_for(part: NetworkYear | None) -> dict[str, Any]:
        if part is None:
            return {"takes_part": False}
        return {
            "takes_part": True,
            "absent": list(part.absent.all()),
            "participation_note": part.participation_note,
            "focus_area": part.focus_area,
            "summary": part.summary,
        }
