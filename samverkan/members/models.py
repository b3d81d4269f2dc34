"""The cooperation, its member municipalities, population figures, fee rules and years."""

from __future__ import annotations

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Endast a–z, siffror och bindestreck.")
)
member_code_validator = RegexValidator(r"^\d{4}$", _("En kommunkod har fyra siffror."))


class Cooperation(models.Model):
    slug = models.SlugField(unique=True, validators=[slug_validator])
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kortnamn"), max_length=100, blank=True)
    host_member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("samverkan")
        verbose_name_plural = _("samverkan")

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="members")
    code = models.CharField(_("kommunkod"), max_length=4, validators=[member_code_validator])
    name = models.CharField(_("namn"), max_length=100)
    joined = models.PositiveIntegerField(_("medlem från år"), null=True, blank=True)
    left = models.PositiveIntegerField(_("medlem till år"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "code"], name="member_code_unique")
        ]
        verbose_name = _("medlemskommun")
        verbose_name_plural = _("medlemskommuner")

    def __str__(self) -> str:
        return self.name

    def is_member_in(self, year: int) -> bool:
        return (self.joined is None or self.joined <= year) and (
            self.left is None or year <= self.left
        )


class PopulationFigure(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="population_figures")
    date = models.DateField(_("datum"))
    population = models.PositiveIntegerField(_("invånare"))
    source = models.CharField(_("källa"), max_length=500, blank=True)

    class Meta:
        ordering = ["date", "member__order"]
        constraints = [models.UniqueConstraint(fields=["member", "date"], name="population_unique")]
        verbose_name = _("invånarantal")
        verbose_name_plural = _("invånarantal")

    def __str__(self) -> str:
        return f"{self.member} {self.date}: {self.population}"


class FeeBasis(models.TextChoices):
    PREVIOUS_YEAR_END = "previous_year_end", _("invånare den 31 december föregående år")


class FeeRule(models.Model):
    """Kronor per inhabitant, valid from a year until the next rule."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="fee_rules")
    from_year = models.PositiveIntegerField(_("gäller från år"))
    rate = models.DecimalField(_("kronor per invånare"), max_digits=10, decimal_places=2)
    basis = models.CharField(
        max_length=40, choices=FeeBasis.choices, default=FeeBasis.PREVIOUS_YEAR_END
    )

    class Meta:
        ordering = ["from_year"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "from_year"], name="fee_rule_unique")
        ]
        verbose_name = _("avgiftsregel")
        verbose_name_plural = _("avgiftsregler")

    def __str__(self) -> str:
        return f"{self.rate} kr/inv. från {self.from_year}"

    def basis_date(self, year: int) -> dt.date:
        return dt.date(year - 1, 12, 31)


class YearStatus(models.TextChoices):
    PLANNING = "planning", _("Planering")
    FOLLOW_UP = "follow_up", _("Uppföljning")
    DRAFT = "draft", _("Utkast till årsredovisning")
    DECIDED = "decided", _("Beslutad")
    PUBLISHED = "published", _("Publicerad")


LOCKED_STATUSES = (YearStatus.DECIDED, YearStatus.PUBLISHED)


class Year(models.Model):
    """One year of a cooperation: the unit that is planned, followed up, decided and published."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField(_("år"))
    status = models.CharField(
        _("status"), max_length=20, choices=YearStatus.choices, default=YearStatus.PLANNING
    )
    decided_on = models.DateField(_("beslutad"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    officer_name = models.CharField(_("handläggare"), max_length=200, blank=True)
    officer_email = models.EmailField(_("handläggarens e-post"), blank=True)
    programme = models.ForeignKey(
        "plan.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="years"
    )
    operating_fund = models.ForeignKey(
        "finance.Fund",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operating_years",
    )
    population_total = models.PositiveIntegerField(
        _("invånare totalt (tryckt)"), null=True, blank=True
    )
    population_total_date = models.DateField(null=True, blank=True)
    population_total_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["cooperation", "year"]
        constraints = [models.UniqueConstraint(fields=["cooperation", "year"], name="year_unique")]
        verbose_name = _("år")
        verbose_name_plural = _("år")

    def __str__(self) -> str:
        return f"{self.cooperation.short_name or self.cooperation.name} {self.year}"

    @property
    def is_locked(self) -> bool:
        """A decided or published year is read-only until the secretariat reopens it."""
        return self.status in LOCKED_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status == YearStatus.PUBLISHED

    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


class YearText(models.Model):
    """A narrative paragraph of the year (introduction, accounts commentary, ...), Markdown."""

    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="texts")
    key = models.SlugField(max_length=60)
    body = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="year_text_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.key}"
