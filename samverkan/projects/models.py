"""Projects, how they are financed, and their grants.

Projects and grants belong to the cooperation and are identified by slug
across years (a grant decided in one year is paid in another); the year that
describes a project in its year file owns it.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
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
            models.UniqueConstraint(fields=["cooperation", "slug"], name="project_slug_unique")
        ]
        verbose_name = _("projekt")
        verbose_name_plural = _("projekt")

    def __str__(self) -> str:
        return self.name


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
    source = models.CharField(
        max_length=30, choices=FinancingSource.choices, verbose_name=_("källa")
    )
    surplus_year = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("överskott från år")
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, verbose_name=_("belopp")
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("projektfinansiering")
        verbose_name_plural = _("projektfinansieringar")

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
    timing = models.CharField(
        max_length=20, choices=GrantTiming.choices, verbose_name=_("utbetalning")
    )
    amount = models.DecimalField(
        _("beviljat belopp"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_payment_year = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("väntas betalas år")
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "slug"], name="grant_slug_unique")
        ]
        verbose_name = _("bidrag")
        verbose_name_plural = _("bidrag")

    def __str__(self) -> str:
        return f"{self.grantor} ({self.project})"

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
    date = models.DateField(verbose_name=_("datum"))
    amount = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("belopp"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["date", "order"]
        verbose_name = _("bidragsutbetalning")
        verbose_name_plural = _("bidragsutbetalningar")

    def __str__(self) -> str:
        return f"{self.grant} {self.date}: {self.amount}"

    def years_read(self) -> set[int]:
        # The payment settles a receivable that later years carry.
        return years_from(self.year_id, self.year.cooperation_id) if self.year_id else set()
