"""The cooperation, its member municipalities, population figures, fee rules and years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from samverkan.lib.money import format_kr
from samverkan.lib.text import is_blank
from samverkan.members.locking import ReadByYears

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Endast a–z, siffror och bindestreck.")
)
member_code_validator = RegexValidator(r"^\d{4}$", _("En kommunkod har fyra siffror."))

# One message per rule: clean() or the field's validator (forms, admin, the year-file
# loader) and the database constraint that holds the same rule say the same thing.
LEFT_BEFORE_JOINED = _("Ett medlemskap kan inte sluta före det år det börjar.")
POPULATION_NEGATIVE = _("Ett invånarantal kan inte vara negativt.")

# The fixed first segments of the site's URLs (samverkan/urls.py, web/urls.py, STATIC_URL): a
# cooperation's public pages live at /<slug>/, and these would shadow them.
RESERVED_SLUGS = frozenset({"admin", "app", "hem", "konto", "sprak", "static"})


def not_reserved(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _("”%(slug)s” är en del av webbplatsens adresser och kan inte väljas."),
            code="reserved",
            params={"slug": slug},
        )


def year_ids(cooperation_id: int | None, *q: models.Q, **filters: Any) -> set[int]:
    """The ids of a cooperation's years that match the filters (standing data's `years_read`)."""
    if cooperation_id is None:
        return set()
    years = Year.objects.filter(*q, cooperation_id=cooperation_id, **filters)
    return set(years.values_list("pk", flat=True))


def years_from(year_id: int | None, cooperation_id: int | None) -> set[int]:
    """The year `year_id` and every later year of the cooperation (balances carry forward)."""
    if year_id is None:
        return set()
    first = Year.objects.filter(pk=year_id).values_list("year", flat=True).first()
    return year_ids(cooperation_id, year__gte=first) if first is not None else set()


class Cooperation(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "id"

    # The uniqueness error does not say that another cooperation has the slug: a secretariat
    # sees its own cooperation only.
    slug = models.SlugField(
        unique=True,
        validators=[slug_validator, not_reserved],
        error_messages={"unique": _("Den här adressen (slug) kan inte användas. Välj en annan.")},
        verbose_name=_("kortnamn i adresser"),
    )
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kortnamn"), max_length=100, blank=True)
    # The report's wording, optional blocks and chapter order (samverkan.lib.report_settings).
    report_settings = models.JSONField(_("rapportinställningar"), default=dict, blank=True)
    host_member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("värdkommun"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("samverkan")
        verbose_name_plural = _("samverkan")

    def __str__(self) -> str:
        return self.name

    def years_read(self) -> set[int]:
        # Its name, host and settings head every report of every year.
        return year_ids(self.pk)


class Member(ReadByYears, models.Model):
    """A member municipality, identified by its SCB municipality code (standing data of the cooperation)."""

    cooperation_path: ClassVar[str] = "cooperation_id"

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="members", verbose_name=_("samverkan")
    )
    code = models.CharField(_("kommunkod"), max_length=4, validators=[member_code_validator])
    name = models.CharField(_("namn"), max_length=100)
    joined = models.PositiveIntegerField(_("medlem från år"), null=True, blank=True)
    left = models.PositiveIntegerField(_("medlem till år"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "code"],
                name="member_code_unique",
                violation_error_message=_("Samverkan har redan en medlem med den kommunkoden."),
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{4}$"),
                name="member_code_four_digits",
                violation_error_message=member_code_validator.message,
            ),
            models.CheckConstraint(
                condition=models.Q(left__isnull=True)
                | models.Q(joined__isnull=True)
                | models.Q(left__gte=models.F("joined")),
                name="member_left_not_before_joined",
                violation_error_message=LEFT_BEFORE_JOINED,
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="member_name_given",
                violation_error_message=_("Ange kommunens namn."),
            ),
        ]
        verbose_name = _("medlemskommun")
        verbose_name_plural = _("medlemskommuner")

    def __str__(self) -> str:
        return self.name

    def is_member_in(self, year: int) -> bool:
        return (self.joined is None or self.joined <= year) and (
            self.left is None or year <= self.left
        )

    def years_read(self) -> set[int]:
        """The years it is a member in (its fee, its population, its name in their tables)."""
        span = models.Q()
        if self.joined is not None:
            span &= models.Q(year__gte=self.joined)
        if self.left is not None:
            span &= models.Q(year__lte=self.left)
        return year_ids(self.cooperation_id, span)

    def years_changed(self, stored: Any) -> set[int]:
        if stored is None or _changed(self, stored) - {"joined", "left"}:
            return super().years_changed(stored)
        # Only the membership moved: every year from the first that gains or loses it
        # (later years' population series count the members of each earlier date).
        firsts: list[int | None] = []
        if self.joined != stored.joined:
            starts = (self.joined, stored.joined)
            firsts.append(None if None in starts else min(starts))
        if self.left != stored.left:
            firsts.append(min(y for y in (self.left, stored.left) if y is not None) + 1)
        if None in firsts:
            return year_ids(self.cooperation_id)
        return year_ids(self.cooperation_id, year__gte=min(f for f in firsts if f is not None))

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if is_blank(self.name):
            errors["name"] = _("Ange kommunens namn.")
        if self.joined is not None and self.left is not None and self.left < self.joined:
            errors["left"] = LEFT_BEFORE_JOINED
        if errors:
            raise ValidationError(errors)


def _changed(instance: models.Model, stored: models.Model) -> set[str]:
    from samverkan.members.locking import changed_fields

    return changed_fields(instance, stored)


class PopulationFigure(ReadByYears, models.Model):
    """Inhabitants of a member at a date, with where the figure came from.

    `source` is the free text a person typed (or the year file holds);
    a figure imported from SCB also keeps the file (or the API address) it
    came from, the SCB table and when it was imported.
    """

    cooperation_path: ClassVar[str] = "member__cooperation_id"

    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="population_figures",
        verbose_name=_("medlemskommun"),
    )
    date = models.DateField(_("datum"))
    # "Not negative" is the field's validator (forms, admin, loader) and a constraint (database).
    population = models.IntegerField(
        _("invånare"), validators=[MinValueValidator(0, message=POPULATION_NEGATIVE)]
    )
    source = models.CharField(_("källa"), max_length=500, blank=True)
    source_file = models.CharField(_("källfil"), max_length=500, blank=True)
    source_table = models.CharField(_("SCB-tabell"), max_length=40, blank=True)
    imported_at = models.DateTimeField(_("importerad"), null=True, blank=True)

    class Meta:
        ordering = ["date", "member__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "date"],
                name="population_unique",
                violation_error_message=_("Medlemmen har redan ett invånarantal för det datumet."),
            ),
            models.CheckConstraint(
                condition=models.Q(population__gte=0),
                name="population_not_negative",
                violation_error_message=POPULATION_NEGATIVE,
            ),
        ]
        verbose_name = _("invånarantal")
        verbose_name_plural = _("invånarantal")

    def __str__(self) -> str:
        return f"{self.member} {self.date}: {self.population}"

    def years_read(self) -> set[int]:
        """Every year from the figure's own on: its population and series, and next year's fee basis."""
        if self.date is None or self.member_id is None:
            return set()
        return year_ids(self.member.cooperation_id, year__gte=self.date.year)

    @property
    def source_label(self) -> str:
        """Where the figure came from, in one line for pages and messages."""
        parts = []
        if self.source_table:
            parts.append(_("SCB, tabell %(table)s") % {"table": self.source_table})
        if self.source_file:
            parts.append(_("fil %(file)s") % {"file": self.source_file})
        if self.imported_at:
            parts.append(_("importerad %(date)s") % {"date": self.imported_at.date().isoformat()})
        if self.source:
            parts.append(self.source)
        return ", ".join(str(p) for p in parts) or str(_("källa saknas"))


class FeeBasis(models.TextChoices):
    PREVIOUS_YEAR_END = "previous_year_end", _("invånare den 31 december föregående år")


class FeeRule(ReadByYears, models.Model):
    """Kronor per inhabitant, valid from a year until the next rule."""

    cooperation_path: ClassVar[str] = "cooperation_id"

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="fee_rules", verbose_name=_("samverkan")
    )
    from_year = models.PositiveIntegerField(_("gäller från år"))
    rate = models.DecimalField(
        _("kronor per invånare"),
        max_digits=10,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal(0), _("Avgiften per invånare kan inte vara negativ."))
        ],
    )
    basis = models.CharField(
        max_length=40,
        choices=FeeBasis.choices,
        default=FeeBasis.PREVIOUS_YEAR_END,
        verbose_name=_("avgiftsunderlag"),
    )

    class Meta:
        ordering = ["from_year"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "from_year"], name="fee_rule_unique"),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0), name="fee_rule_rate_not_negative"
            ),
        ]
        verbose_name = _("avgiftsregel")
        verbose_name_plural = _("avgiftsregler")

    def __str__(self) -> str:
        return f"{self.rate} kr/inv. från {self.from_year}"

    def basis_date(self, year: int) -> dt.date:
        return dt.date(year - 1, 12, 31)

    def in_words(self) -> str:
        """The rule as the secretariat says it: "4 kr per invånare från 2018, efter ..."."""
        lang = "en" if (get_language() or "sv").startswith("en") else "sv"
        return gettext(
            "%(rate)s per invånare från %(year)s, efter invånarantalet den 31 december året före"
        ) % {"rate": format_kr(self.rate, lang=lang), "year": self.from_year}

    def years_read(self) -> set[int]:
        if self.from_year is None:
            return set()
        return year_ids(self.cooperation_id, year__gte=self.from_year)


class YearStatus(models.TextChoices):
    PLANNING = "planning", _("Planering")
    FOLLOW_UP = "follow_up", _("Uppföljning")
    DRAFT = "draft", _("Utkast till årsredovisning")
    DECIDED = "decided", _("Beslutad")
    PUBLISHED = "published", _("Publicerad")


LOCKED_STATUSES = (YearStatus.DECIDED, YearStatus.PUBLISHED)

# How far past today a decision date may lie: a day, for time zones; a decision is recorded
# after the meeting that took it.
DECISION_DATE_MARGIN = dt.timedelta(days=1)


class Year(ReadByYears, models.Model):
    """One year of a cooperation: the unit that is planned, followed up, decided and published."""

    cooperation_path: ClassVar[str] = "cooperation_id"
    year_path: ClassVar[str | None] = ""
    # The workflow moves a locked year (publish, reopen); that changes none of its content.
    lock_exempt_fields: ClassVar[frozenset[str]] = frozenset(
        {"status", "decided_on", "published_at"}
    )

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="years", verbose_name=_("samverkan")
    )
    year = models.PositiveIntegerField(_("år"))
    status = models.CharField(
        _("status"), max_length=20, choices=YearStatus.choices, default=YearStatus.PLANNING
    )
    decided_on = models.DateField(_("beslutad"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    officer_name = models.CharField(_("handläggare"), max_length=200, blank=True)
    officer_email = models.EmailField(_("handläggarens e-post"), blank=True)
    programme = models.ForeignKey(
        "plan.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="years",
        verbose_name=_("utvecklingsprogram"),
    )
    operating_fund = models.ForeignKey(
        "finance.Fund",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operating_years",
        verbose_name=_("driftfond"),
    )
    population_total = models.PositiveIntegerField(
        _("invånare totalt (tryckt)"), null=True, blank=True
    )
    population_total_date = models.DateField(
        null=True, blank=True, verbose_name=_("datum för invånare totalt")
    )
    population_total_note = models.CharField(
        max_length=300, blank=True, verbose_name=_("anteckning om invånare totalt")
    )
    # This year's overrides of the cooperation's report settings.
    report_settings = models.JSONField(_("rapportinställningar"), default=dict, blank=True)
    # The year's activity plan (verksamhetsplan) is adopted on its own date, usually in the
    # meeting that decides the previous year's report; adopting it locks the plan, not the year.
    plan_adopted_on = models.DateField(_("verksamhetsplanen antagen"), null=True, blank=True)
    plan_published_at = models.DateTimeField(
        _("verksamhetsplanen publicerad"), null=True, blank=True
    )

    class Meta:
        ordering = ["cooperation", "year"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "year"], name="year_unique"),
            models.CheckConstraint(
                condition=models.Q(plan_published_at__isnull=True)
                | models.Q(plan_adopted_on__isnull=False),
                name="year_plan_published_only_when_adopted",
            ),
            # The stated inhabitants are a figure at a date; a note stands with a figure.
            models.CheckConstraint(
                condition=models.Q(
                    population_total__isnull=True,
                    population_total_date__isnull=True,
                    population_total_note="",
                )
                | models.Q(population_total__isnull=False, population_total_date__isnull=False),
                name="year_population_total_with_its_date",
            ),
        ]
        verbose_name = _("år")
        verbose_name_plural = _("år")

    def __str__(self) -> str:
        return f"{self.cooperation.short_name or self.cooperation.name} {self.year}"

    @property
    def is_locked(self) -> bool:
        """A decided or published year is read-only until the secretariat reopens it."""
        return self.status in LOCKED_STATUSES

    @property
    def status_in_a_sentence(self) -> str:
        """The status as "Året är …" reads: "år" is neuter, the labels ("Beslutad") are not."""
        wording = {
            YearStatus.PLANNING: _("under planering"),
            YearStatus.FOLLOW_UP: _("under uppföljning"),
            YearStatus.DRAFT: _("ett utkast"),
            YearStatus.DECIDED: _("beslutat"),
            YearStatus.PUBLISHED: _("publicerat"),
        }
        return str(wording.get(YearStatus(self.status), self.status))

    @property
    def is_published(self) -> bool:
        return self.status == YearStatus.PUBLISHED

    @property
    def plan_is_adopted(self) -> bool:
        """An adopted plan is locked for planning edits; the year's follow-up goes on."""
        return self.plan_adopted_on is not None

    @property
    def plan_is_published(self) -> bool:
        return self.plan_published_at is not None

    def clean(self) -> None:
        if self.plan_published_at and not self.plan_adopted_on:
            raise ValidationError(
                {"plan_adopted_on": _("Verksamhetsplanen måste vara antagen innan den publiceras.")}
            )
        self.population_total_note = (self.population_total_note or "").strip()
        population_errors = self.population_total_errors()
        if population_errors:
            raise ValidationError(population_errors)
        if self.decided_on is not None and self.year is not None:
            latest = timezone.localdate() + DECISION_DATE_MARGIN
            if not self.start() <= self.decided_on <= latest:
                raise ValidationError(
                    {
                        "decided_on": _(
                            "Beslutsdatumet måste ligga mellan %(start)s och %(latest)s."
                        )
                        % {"start": self.start().isoformat(), "latest": latest.isoformat()}
                    }
                )

    def population_total_errors(self) -> dict[str, Any]:
        """The stated inhabitants are a number at a date, both or neither; a note needs the number."""
        if self.population_total is None:
            if self.population_total_date is not None:
                return {"population_total": _("Ange invånarantalet som gäller datumet.")}
            if self.population_total_note:
                return {
                    "population_total": _(
                        "Anteckningen hör till ett invånarantal: ange antalet eller töm anteckningen."
                    )
                }
        elif self.population_total_date is None:
            return {"population_total_date": _("Ange datumet som invånarantalet gäller.")}
        return {}

    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


class YearText(ReadByYears, models.Model):
    """A narrative paragraph of the year (introduction, accounts commentary, ...), Markdown."""

    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="texts", verbose_name=_("år")
    )
    key = models.SlugField(max_length=60, verbose_name=_("nyckel"))
    body = models.TextField(blank=True, verbose_name=_("organ"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="year_text_unique")]
        verbose_name = _("årets text")
        verbose_name_plural = _("årets texter")

    def __str__(self) -> str:
        return f"{self.year} {self.key}"
