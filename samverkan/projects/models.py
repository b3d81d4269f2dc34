"""Projects, how they are financed, and their grants.

Projects and grants belong to the cooperation and are identified by slug
across years (a grant decided in one year is paid in another); the year that
describes a project in its year file owns it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from samverkan.members.locking import ReadByYears
from samverkan.members.models import Cooperation, Year, slug_validator, years_from


class Project(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "cooperation_id"
    year_path: ClassVar[str | None] = "year"

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="projects", verbose_name=_("samverkan")
    )
    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="projects", verbose_name=_("år")
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    name = models.CharField(_("namn"), max_length=300)
    contractor = models.CharField(_("utförare"), max_length=300, blank=True)
    stated_cost = models.DecimalField(
        _("angiven kostnad"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("slut"), null=True, blank=True)
    focus_area = models.ForeignKey(
        "plan.FocusArea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        verbose_name=_("fokusområde"),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="project_slug_unique"),
            models.CheckConstraint(
                condition=Q(stated_cost__isnull=True) | Q(stated_cost__gte=0),
                name="project_stated_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="project_ends_after_start",
            ),
        ]
        verbose_name = _("projekt")
        verbose_name_plural = _("projekt")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.name.strip():
            errors["name"] = _("Ange projektets namn.")
        if self.stated_cost is not None and self.stated_cost < 0:
            errors["stated_cost"] = _("Kostnaden kan inte vara negativ.")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("Projektet kan inte sluta innan det börjar.")
        if errors:
            raise ValidationError(errors)


class FinancingSource(models.TextChoices):
    OPERATING_BUDGET = "operating_budget", _("driftbudget")
    SURPLUS = "surplus", _("överskott från tidigare år")
    GRANT = "grant", _("bidrag")


class ProjectFinancing(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "project__cooperation_id"
    year_path: ClassVar[str | None] = "project__year"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="financing", verbose_name=_("projekt")
    )
    source = models.CharField(_("källa"), max_length=30, choices=FinancingSource.choices)
    surplus_year = models.PositiveIntegerField(_("överskott från år"), null=True, blank=True)
    amount = models.DecimalField(
        _("belopp"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("finansiering")
        verbose_name_plural = _("finansiering")

    def __str__(self) -> str:
        return f"{self.project}: {self.get_source_display()}"


class GrantTiming(models.TextChoices):
    ARREARS = "arrears", _("betalas i efterskott")
    ADVANCE = "advance", _("betalas i förskott")


class Grant(ReadByYears, models.Model):
    """Co-financing of a project. Paid in arrears: a receivable until paid.
    Paid in advance: the unspent part is a balance carried forward."""

    cooperation_path: ClassVar[str] = "project__cooperation_id"
    year_path: ClassVar[str | None] = "project__year"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="grants", verbose_name=_("projekt")
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    grantor = models.CharField(_("bidragsgivare"), max_length=200)
    rate = models.DecimalField(
        _("andel (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    timing = models.CharField(_("utbetalning"), max_length=20, choices=GrantTiming.choices)
    amount = models.DecimalField(
        _("beviljat belopp"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_payment_year = models.PositiveIntegerField(
        _("väntad utbetalning år"), null=True, blank=True
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "slug"], name="grant_slug_unique"),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | Q(rate__gte=0, rate__lte=100),
                name="grant_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="grant_amount_not_negative",
            ),
        ]
        verbose_name = _("bidrag")
        verbose_name_plural = _("bidrag")

    def __str__(self) -> str:
        return f"{self.grantor} ({self.project})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.grantor.strip():
            errors["grantor"] = _("Ange vem som ger bidraget.")
        if self.rate is not None and not 0 <= self.rate <= 100:
            errors["rate"] = _("Andelen är en procentsats mellan 0 och 100.")
        if self.amount is not None and self.amount < 0:
            errors["amount"] = _("Det beviljade beloppet kan inte vara negativt.")
        if errors:
            raise ValidationError(errors)

    def years_read(self) -> set[int]:
        # A receivable is carried until the grant is paid: every year from the project's on.
        project = self.project if self.project_id else None
        return years_from(project.year_id, project.cooperation_id) if project else set()


class GrantPayment(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="grant_payments", verbose_name=_("år")
    )
    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="payments", verbose_name=_("bidrag")
    )
    date = models.DateField(_("datum"))
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["date", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_payment_amount_positive"),
        ]
        verbose_name = _("utbetalning av bidrag")
        verbose_name_plural = _("utbetalningar av bidrag")

    def __str__(self) -> str:
        return f"{self.grant} {self.date}: {self.amount}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = _("En utbetalning är ett belopp större än noll.")
        if self.date is not None and self.year_id is not None and self.date.year != self.year.year:
            errors["date"] = _("Datumet måste ligga inom året %(year)s.") % {"year": self.year.year}
        if errors:
            raise ValidationError(errors)

    def years_read(self) -> set[int]:
        # The payment settles a receivable that later years carry.
        return years_from(self.year_id, self.year.cooperation_id) if self.year_id else set()
