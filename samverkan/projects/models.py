"""Projects, how they are financed, and their grants.

A project is one project however many years it runs: it belongs to the
cooperation and is identified by slug. What belongs to one year carries that
year: the project's part in the year (`ProjectYear`: the cost, focus area and
text that year's report states, and its financing), the grants decided that
year (a grant decided in one year may be paid in another), and the cost lines
booked that year. The project itself holds what stays the same from year to
year (name, contractor, start and end).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from samverkan.lib.dates import FIRST_YEAR, LAST_YEAR, is_calendar_year
from samverkan.lib.text import is_blank
from samverkan.members.locking import ReadByYears
from samverkan.members.models import Cooperation, Year, slug_validator, years_from


def calendar_year_message() -> str:
    return _("Ange ett år mellan %(first)s och %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


class Project(ReadByYears, models.Model):
    """What a project is in every year it runs; each year's part is a `ProjectYear`."""

    cooperation_path: ClassVar[str] = "cooperation_id"
    year_path: ClassVar[str | None] = "start_year"

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="projects", verbose_name=_("samverkan")
    )
    start_year = models.ForeignKey(
        Year,
        on_delete=models.CASCADE,
        related_name="projects_started",
        verbose_name=_("startår"),
        help_text=_("Året då projektet började; dess årsfil beskriver projektet."),
    )
    end_year = models.PositiveIntegerField(
        _("slutår"),
        null=True,
        blank=True,
        help_text=_("Det sista år projektet planeras pågå, om det är bestämt."),
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    name = models.CharField(_("namn"), max_length=300)
    contractor = models.CharField(_("utförare"), max_length=300, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("slut"), null=True, blank=True)

    class Meta:
        ordering = ["start_year__year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="project_slug_unique"),
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
        if is_blank(self.name):
            errors["name"] = _("Ange projektets namn.")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("Projektet kan inte sluta innan det börjar.")
        if self.end_year is not None and not is_calendar_year(self.end_year):
            errors["end_year"] = calendar_year_message()
        if self.start_year_id is not None:
            first = self.start_year.year
            if (
                self.cooperation_id is not None
                and self.start_year.cooperation_id != self.cooperation_id
            ):
                errors["start_year"] = _("Startåret hör till en annan samverkan.")
            if "end_year" not in errors and self.end_year is not None and self.end_year < first:
                errors["end_year"] = _("Slutåret kan inte ligga före startåret %(year)s.") % {
                    "year": first
                }
            if self.pk is not None:
                earlier = self.years.filter(year__year__lt=first).order_by("year__year").first()
                if earlier is not None:
                    errors["start_year"] = _(
                        "Projektet har en del år %(year)s, före startåret."
                    ) % {"year": earlier.year.year}
        if errors:
            raise ValidationError(errors)

    def years_read(self) -> set[int]:
        # Every year that shows the project reads its name and contractor: the start year,
        # each year it has a part in, and each year with cost lines or grant income on it.
        found = {self.start_year_id} if self.start_year_id is not None else set()
        if self.pk is not None:
            found |= set(self.years.values_list("year_id", flat=True))
            found |= set(self.lines.values_list("year_id", flat=True))
        return found

    @property
    def period_label(self) -> str:
        """The planned period in words, "2020–2022", or "2020–" while the end is open."""
        first = self.start_year.year
        if self.end_year is None:
            return f"{first}–"
        return str(first) if self.end_year == first else f"{first}–{self.end_year}"


class ProjectYear(ReadByYears, models.Model):
    """A project's part in one year: the cost, focus area and text that year's report states.

    The part of the year a project starts in is created with the project; a
    later year's part is added when the project continues into that year.
    """

    cooperation_path: ClassVar[str] = "project__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="years", verbose_name=_("projekt")
    )
    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="project_years", verbose_name=_("år")
    )
    stated_cost = models.DecimalField(
        _("angiven kostnad"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    focus_area = models.ForeignKey(
        "plan.FocusArea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_years",
        verbose_name=_("fokusområde"),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="project_year_unique"),
            models.CheckConstraint(
                condition=Q(stated_cost__isnull=True) | Q(stated_cost__gte=0),
                name="project_year_stated_cost_not_negative",
            ),
        ]
        verbose_name = _("projektets år")
        verbose_name_plural = _("projektens år")

    def __str__(self) -> str:
        return f"{self.project} {self.year.year}" if self.year_id else str(self.project)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.stated_cost is not None and self.stated_cost < 0:
            errors["stated_cost"] = _("Kostnaden kan inte vara negativ.")
        if self.project_id is not None and self.year_id is not None:
            project = self.project
            if self.year.cooperation_id != project.cooperation_id:
                errors["year"] = _("Året hör till en annan samverkan.")
            elif self.year.year < project.start_year.year:
                errors["year"] = _("Projektet började %(start)s och har ingen del året före.") % {
                    "start": project.start_year.year
                }
            elif project.end_year is not None and self.year.year > project.end_year:
                errors["year"] = _("Projektet slutar %(end)s enligt sitt slutår.") % {
                    "end": project.end_year
                }
        area = self.focus_area if self.focus_area_id is not None else None
        if area is not None and self.year_id is not None and area.year_id != self.year_id:
            errors["focus_area"] = _("Fokusområdet hör till ett annat år.")
        if errors:
            raise ValidationError(errors)

    def years_read(self) -> set[int]:
        # Later years' reports state the project's total so far, which counts this part.
        return years_from(self.year_id, self.year.cooperation_id) if self.year_id else set()


class FinancingSource(models.TextChoices):
    OPERATING_BUDGET = "operating_budget", _("driftbudget")
    SURPLUS = "surplus", _("överskott från tidigare år")
    GRANT = "grant", _("bidrag")


class ProjectFinancing(ReadByYears, models.Model):
    """How the project's part in one year is financed."""

    cooperation_path: ClassVar[str] = "part__project__cooperation_id"
    year_path: ClassVar[str | None] = "part__year"

    part = models.ForeignKey(
        ProjectYear,
        on_delete=models.CASCADE,
        related_name="financing",
        verbose_name=_("projektets år"),
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
        return f"{self.part}: {self.get_source_display()}"

    def clean(self) -> None:
        if self.surplus_year is None:
            return
        if not is_calendar_year(self.surplus_year):
            raise ValidationError({"surplus_year": calendar_year_message()})
        if self.part_id is not None and self.surplus_year >= self.part.year.year:
            raise ValidationError(
                {
                    "surplus_year": _("Ett överskott kommer från ett avslutat år, före %(year)s.")
                    % {"year": self.part.year.year}
                }
            )


class GrantTiming(models.TextChoices):
    ARREARS = "arrears", _("betalas i efterskott")
    ADVANCE = "advance", _("betalas i förskott")


class Grant(ReadByYears, models.Model):
    """Co-financing of a project. Paid in arrears: a receivable until paid.
    Paid in advance: the unspent part is a balance carried forward."""

    cooperation_path: ClassVar[str] = "project__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="grants", verbose_name=_("projekt")
    )
    year = models.ForeignKey(
        Year,
        on_delete=models.CASCADE,
        related_name="grants",
        verbose_name=_("beslutat år"),
        help_text=_("Året då bidraget beviljades; det året beskriver bidraget."),
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
        if is_blank(self.grantor):
            errors["grantor"] = _("Ange vem som ger bidraget.")
        if self.rate is not None and not 0 <= self.rate <= 100:
            errors["rate"] = _("Andelen är en procentsats mellan 0 och 100.")
        if self.amount is not None and self.amount < 0:
            errors["amount"] = _("Det beviljade beloppet kan inte vara negativt.")
        if self.expected_payment_year is not None and not is_calendar_year(
            self.expected_payment_year
        ):
            errors["expected_payment_year"] = calendar_year_message()
        if self.project_id is not None and self.year_id is not None:
            if self.year.cooperation_id != self.project.cooperation_id:
                errors["year"] = _("Året hör till en annan samverkan.")
            elif self.year.year < self.project.start_year.year:
                errors["year"] = _(
                    "Projektet började %(start)s; bidraget kan inte vara beviljat före."
                ) % {"start": self.project.start_year.year}
        if errors:
            raise ValidationError(errors)

    def years_read(self) -> set[int]:
        # A receivable is carried until the grant is paid: every year from the one it was decided in.
        return years_from(self.year_id, self.year.cooperation_id) if self.year_id else set()


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
