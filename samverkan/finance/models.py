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
        Cooperation, on_delete=models.CASCADE, related_name="cost_categories"
    )
    slug = models.SlugField(validators=[slug_validator])
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    is_fee = models.BooleanField(_("medlemsavgifter"), default=False)
    order = models.PositiveIntegerField(default=0)

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

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="funds")
    slug = models.SlugField(validators=[slug_validator])
    name = models.CharField(_("namn"), max_length=200)
    carried_name = models.CharField(_("namn senare år"), max_length=200, blank=True)
    kind = models.CharField(max_length=30, choices=FundKind.choices)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="fund_slug_unique")
        ]
        verbose_name = _("fond")
        verbose_name_plural = _("fonder")

    def __str__(self) -> str:
        return self.name

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

    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="fund_years")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="years")
    label = models.CharField(max_length=200, blank=True)
    opening_stated = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    footnote = models.CharField(max_length=10, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["year", "fund"], name="fund_year_unique")]

    def __str__(self) -> str:
        return self.label or self.fund.name


class Footnote(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="footnotes")
    key = models.CharField(max_length=10)
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="footnote_unique")]

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

    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="import_batches")
    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    selected_objects = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sha256[:12]})"


class LedgerLine(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="lines")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="lines")
    category = models.ForeignKey(CostCategory, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    date = models.DateField()
    text = models.CharField(max_length=300, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    grant = models.ForeignKey(
        "projects.Grant", null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    transfer = models.CharField(max_length=60, blank=True)
    footnote = models.CharField(max_length=10, blank=True)
    source = models.CharField(
        max_length=10, choices=LineSource.choices, default=LineSource.YEAR_FILE
    )
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="lines"
    )
    voucher = models.CharField(max_length=60, blank=True)
    account = models.CharField(max_length=20, blank=True)
    order = models.PositiveIntegerField(default=0)

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
        Cooperation, on_delete=models.CASCADE, related_name="account_mappings"
    )
    account = models.CharField(_("konto (prefix)"), max_length=20)
    category = models.ForeignKey(CostCategory, on_delete=models.CASCADE, related_name="+")
    fund = models.ForeignKey(
        Fund, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
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

    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="published_figures")
    key = models.CharField(max_length=200)
    place = models.CharField(max_length=200, blank=True)
    printed_in = models.CharField(max_length=10, choices=PrintedIn.choices, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.key} = {self.amount if self.amount is not None else self.date}"
