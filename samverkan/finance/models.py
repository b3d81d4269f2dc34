"""Funds, cost categories and the year's accounts lines.

Sign convention: `LedgerLine.amount` is positive and `kind` says whether it is
income or cost; a negative amount is a correction. A fund's closing balance is
opening + income - costs (see finance.ledger, the pure maths).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _

from samverkan.members.locking import ReadByYears
from samverkan.members.models import Cooperation, Member, Year, slug_validator, year_ids, years_from


class LineKind(models.TextChoices):
    INCOME = "income", _("intäkt")
    COST = "cost", _("kostnad")


class CostCategory(ReadByYears, models.Model):
    """One of the report's account lines; chart-of-accounts numbers map onto them."""

    cooperation_path: ClassVar[str] = "cooperation_id"

    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.CASCADE,
        related_name="cost_categories",
        verbose_name=_("samverkan"),
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(max_length=10, choices=LineKind.choices, verbose_name=_("slag"))
    is_fee = models.BooleanField(_("medlemsavgifter"), default=False)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="category_slug_unique")
        ]
        verbose_name = _("kostnadsslag")
        verbose_name_plural = _("kostnadsslag")

    def __str__(self) -> str:
        return self.name

    def years_read(self) -> set[int]:
        # Every year's accounts are summed by category, and the fee category decides which
        # income is the members' fees; a new category is in no year's accounts yet.
        return year_ids(self.cooperation_id) if self.pk is not None else set()


class FundKind(models.TextChoices):
    OPERATIONS = "operations", _("drift")
    PROJECT = "project", _("projekt")
    GRANT = "grant", _("bidrag")
    GRANT_RECEIVABLE = "grant_receivable", _("bidragsfordran")
    EVENT = "event", _("arrangemang")
    COMMUNICATION = "communication", _("kommunikation")
    OTHER = "other", _("övrigt")


class Fund(ReadByYears, models.Model):
    """A balance that is carried from year to year (the operations of one year, a project, ...)."""

    cooperation_path: ClassVar[str] = "cooperation_id"

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="funds", verbose_name=_("samverkan")
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    name = models.CharField(_("namn"), max_length=200)
    carried_name = models.CharField(_("namn senare år"), max_length=200, blank=True)
    kind = models.CharField(max_length=30, choices=FundKind.choices, verbose_name=_("slag"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="fund_slug_unique")
        ]
        verbose_name = _("fond")
        verbose_name_plural = _("fonder")

    def __str__(self) -> str:
        return self.name

    def label(
        self,
        year: int,
        *,
        year_label: str = "",
        operating: bool = False,
        first_year: int | None = None,
    ) -> str:
        """The fund's name in the report, open data and pages of `year`.

        The year's own label (`FundYear.label`) when it gives one; else the
        fund's name in the year it is the operating fund or in its first year
        (`first_year`: the first year with a line or a FundYear of it); in a
        later year the name it is carried under (`carried_name`), if any.
        `finance.accounts.fund_labels` gathers the arguments for every fund.
        """
        if year_label:
            return year_label
        if operating or (first_year if first_year is not None else year) >= year:
            return self.name
        return self.carried_name or self.name

    def years_read(self) -> set[int]:
        if self.pk is None:
            return set()
        first = Year.objects.filter(Q(lines__fund=self) | Q(fund_years__fund=self)).aggregate(
            first=Min("year")
        )["first"]
        return year_ids(self.cooperation_id, year__gte=first) if first is not None else set()


class FundYear(ReadByYears, models.Model):
    """A fund as the year's report shows it: the opening balance the source stated, a label, a note."""

    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="fund_years", verbose_name=_("år")
    )
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="years", verbose_name=_("fond")
    )
    label = models.CharField(max_length=200, blank=True, verbose_name=_("namn detta år"))
    opening_stated = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        verbose_name=_("ingående balans (angiven)"),
    )
    footnote = models.CharField(max_length=10, blank=True, verbose_name=_("not"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["year", "fund"], name="fund_year_unique")]
        verbose_name = _("fond under året")
        verbose_name_plural = _("fonder under året")

    def __str__(self) -> str:
        return self.label or self.fund.name


class BudgetLine(ReadByYears, models.Model):
    """The budget the committee adopts with the plan: one amount per fund and category of a year.

    The category's kind says whether the amount is income or cost (positive
    either way, as on the ledger's lines); the outcome is summed from the
    year's lines (`finance.budget`).
    """

    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, verbose_name=_("år"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fond"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    category = models.ForeignKey(
        CostCategory,
        verbose_name=_("kostnadsslag"),
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    amount = models.DecimalField(_("budget (kr)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["fund__order", "category__order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "fund", "category"], name="budget_line_unique"),
        ]
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")

    def __str__(self) -> str:
        return f"{self.fund} · {self.category}: {self.amount}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        coop = self.year.cooperation_id if self.year_id else None
        if self.fund_id and coop and self.fund.cooperation_id != coop:
            raise ValidationError({"fund": _("Fonden hör till en annan samverkan.")})
        if self.category_id and coop and self.category.cooperation_id != coop:
            raise ValidationError({"category": _("Kostnadsslaget hör till en annan samverkan.")})


class Footnote(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="footnotes", verbose_name=_("år")
    )
    key = models.CharField(max_length=10, verbose_name=_("nyckel"))
    text = models.TextField(verbose_name=_("text"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="footnote_unique")]
        verbose_name = _("not")
        verbose_name_plural = _("noter")

    def __str__(self) -> str:
        return f"{self.key}) {self.text}"


class LineSource(models.TextChoices):
    YEAR_FILE = "yearfile", _("årsfil")
    MANUAL = "manual", _("manuellt")
    SIE = "sie", _("SIE-import")


class ImportBatch(ReadByYears, models.Model):
    """One SIE import: which file (by checksum) brought which lines."""

    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="import_batches", verbose_name=_("år")
    )
    file_name = models.CharField(max_length=300, verbose_name=_("filnamn"))
    sha256 = models.CharField(max_length=64, verbose_name=_("kontrollsumma (SHA-256)"))
    selected_objects = models.CharField(max_length=300, blank=True, verbose_name=_("valda objekt"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("skapad"))
    summary = models.JSONField(default=dict, blank=True, verbose_name=_("sammanfattning"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("SIE-import")
        verbose_name_plural = _("SIE-importer")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sha256[:12]})"


class LedgerLine(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="lines", verbose_name=_("år")
    )
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="lines", verbose_name=_("fond")
    )
    category = models.ForeignKey(
        CostCategory, on_delete=models.PROTECT, related_name="lines", verbose_name=_("kostnadsslag")
    )
    kind = models.CharField(max_length=10, choices=LineKind.choices, verbose_name=_("slag"))
    amount = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("belopp"))
    date = models.DateField(verbose_name=_("datum"))
    text = models.CharField(max_length=300, blank=True, verbose_name=_("text"))
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("medlemskommun"),
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("projekt"),
    )
    grant = models.ForeignKey(
        "projects.Grant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("bidrag"),
    )
    transfer = models.CharField(max_length=60, blank=True, verbose_name=_("överföring"))
    footnote = models.CharField(max_length=10, blank=True, verbose_name=_("not"))
    source = models.CharField(
        max_length=10,
        choices=LineSource.choices,
        default=LineSource.YEAR_FILE,
        verbose_name=_("källa"),
    )
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("import"),
    )
    voucher = models.CharField(max_length=60, blank=True, verbose_name=_("verifikation"))
    account = models.CharField(max_length=20, blank=True, verbose_name=_("konto"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["year", "fund"])]
        verbose_name = _("bokföringsrad")
        verbose_name_plural = _("bokföringsrader")

    def __str__(self) -> str:
        return f"{self.fund} {self.category} {self.amount}"

    def years_read(self) -> set[int]:
        # Balances carry forward: later years open with what this one closes with.
        return years_from(self.year_id, self.year.cooperation_id) if self.year_id else set()

    def clean(self) -> None:
        """A line belongs to its year: dated in it, on a fund and category of its cooperation."""
        errors: dict[str, Any] = {}
        year = self.year if self.year_id else None
        if year is not None:
            if self.date and self.date.year != year.year:
                errors["date"] = _("Datumet ligger inte i år %(year)s.") % {"year": year.year}
            if self.fund_id and self.fund.cooperation_id != year.cooperation_id:
                errors["fund"] = _("Fonden hör till ett annat samverkansorgan.")
            if self.category_id and self.category.cooperation_id != year.cooperation_id:
                errors["category"] = _("Kostnadsslaget hör till ett annat samverkansorgan.")
        grant = self.grant if self.grant_id is not None else None
        if grant is not None:
            if self.project_id is not None and grant.project_id != self.project_id:
                errors["grant"] = _("Bidraget hör till ett annat projekt än raden.")
            elif year is not None and grant.year_id is not None and grant.year.year > year.year:
                # Income is earned in or after the year the grant is decided, never before.
                errors["grant"] = _("Bidraget beslutades %(year)s, efter radens år.") % {
                    "year": grant.year.year
                }
        if errors:
            raise ValidationError(errors)


class AccountMapping(ReadByYears, models.Model):
    """Which report category and fund a chart-of-accounts number goes to.

    `account` is a prefix: "5" catches every account starting with 5 unless a
    longer prefix matches. The secretariat edits these in the admin.
    """

    cooperation_path: ClassVar[str] = "cooperation_id"

    # The mapping is applied when a SIE file is imported; stored lines carry their category,
    # so no year reads the mapping afterwards.

    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.CASCADE,
        related_name="account_mappings",
        verbose_name=_("samverkan"),
    )
    account = models.CharField(_("konto (prefix)"), max_length=20)
    category = models.ForeignKey(
        CostCategory, on_delete=models.CASCADE, related_name="+", verbose_name=_("kostnadsslag")
    )
    fund = models.ForeignKey(
        Fund,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("fond"),
    )
    object_id = models.CharField(
        _("objekt"),
        max_length=60,
        blank=True,
        help_text=_("DIM:ID, t.ex. 6:P12; tomt: alla objekt"),
    )
    # A slug, not a key: the standing file that holds the mapping is loaded before
    # the year files that describe the projects; the import resolves it.
    project = models.CharField(_("projekt"), max_length=50, blank=True)

    class Meta:
        ordering = ["account"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "account", "object_id"], name="account_mapping_unique"
            ),
            models.CheckConstraint(
                condition=Q(account__regex=r"^[0-9]{1,6}$"), name="account_mapping_account_digits"
            ),
        ]
        verbose_name = _("kontomappning")
        verbose_name_plural = _("kontomappningar")

    def __str__(self) -> str:
        return f"{self.account} → {self.category}"

    def clean(self) -> None:
        """The prefix is one to six digits, the object DIM:ID, category and fund the
        cooperation's own."""
        errors: dict[str, Any] = {}
        if not _ACCOUNT_PREFIX.fullmatch(self.account or ""):
            errors["account"] = _("Kontot ska vara en till sex siffror, t.ex. 5 eller 5410.")
        if self.object_id and not _OBJECT.fullmatch(self.object_id):
            errors["object_id"] = _("Objektet skrivs DIM:ID, t.ex. 1:1510.")
        if self.category_id and self.category.cooperation_id != self.cooperation_id:
            errors["category"] = _("Kostnadsslaget hör till ett annat samverkansorgan.")
        if self.fund is not None and self.fund.cooperation_id != self.cooperation_id:
            errors["fund"] = _("Fonden hör till ett annat samverkansorgan.")
        if errors:
            raise ValidationError(errors)


_ACCOUNT_PREFIX = re.compile(r"[0-9]{1,6}")
_OBJECT = re.compile(r"[^\s:]+:[^\s:]+")


class PrintedIn(models.TextChoices):
    """Where in the adopted report a printed figure stands, so the report can print it there."""

    SUMMARY = "summary", _("sammanställningen")
    DETAIL = "detail", _("fondens detaljtabell")
    TEXT = "text", _("en text")


class PublishedFigure(ReadByYears, models.Model):
    """A total that the published report printed, kept to compare with the derived one."""

    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="published_figures", verbose_name=_("år")
    )
    key = models.CharField(max_length=200, verbose_name=_("nyckel"))
    place = models.CharField(max_length=200, blank=True, verbose_name=_("plats"))
    printed_in = models.CharField(
        max_length=10, choices=PrintedIn.choices, blank=True, verbose_name=_("tryckt i")
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, verbose_name=_("belopp")
    )
    date = models.DateField(null=True, blank=True, verbose_name=_("datum"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("tryckt belopp")
        verbose_name_plural = _("tryckta belopp")

    def __str__(self) -> str:
        return f"{self.key} = {self.amount if self.amount is not None else self.date}"
