"""Bodies, their chairs, the secretariat's staff, networks, meetings and events."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samverkan.lib.money import format_kr
from samverkan.lib.text import is_blank
from samverkan.members.locking import ReadByYears
from samverkan.members.models import Cooperation, Member, Year, slug_validator, year_ids


class BodyKind(models.TextChoices):
    COMMITTEE = "committee", _("Samarbetskommitté")
    MANAGEMENT_GROUP = "management_group", _("Ledningsgrupp")
    SECRETARIAT = "secretariat", _("Kansli")


class Body(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "cooperation_id"

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="bodies", verbose_name=_("samverkan")
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    kind = models.CharField(max_length=30, choices=BodyKind.choices, verbose_name=_("slag"))
    name = models.CharField(_("namn"), max_length=200)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="body_slug_unique")
        ]
        verbose_name = _("organ")
        verbose_name_plural = _("organ")

    def __str__(self) -> str:
        return self.name

    def years_read(self) -> set[int]:
        if self.pk is None:
            return set()
        return year_ids(self.cooperation_id, Q(chairs__body=self) | Q(meetings__body=self))


class Network(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "cooperation_id"

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="networks", verbose_name=_("samverkan")
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kortnamn"), max_length=100, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    members = models.ManyToManyField(
        Member,
        blank=True,
        related_name="networks",
        help_text=_("Tomt betyder alla medlemmar."),
        verbose_name=_("medlemskommuner"),
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="network_slug_unique")
        ]
        verbose_name = _("nätverk")
        verbose_name_plural = _("nätverk")

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if is_blank(self.name):
            raise ValidationError({"name": _("Ange nätverkets namn.")})

    def years_read(self) -> set[int]:
        if self.pk is None:
            return set()
        return year_ids(
            self.cooperation_id,
            Q(network_years__network=self)
            | Q(meetings__networks=self)
            | Q(focus_areas__activities__networks=self)
            | Q(focus_areas__responsible_networks=self),
        )


class ChairRole(models.TextChoices):
    CHAIR = "chair", _("Ordförande")
    VICE_CHAIR = "vice_chair", _("Vice ordförande")


class Chair(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="chairs", verbose_name=_("år")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="chairs", verbose_name=_("organ")
    )
    role = models.CharField(max_length=20, choices=ChairRole.choices, verbose_name=_("roll"))
    person = models.CharField(_("person"), max_length=200)
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("medlemskommun"),
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("ordförande")
        verbose_name_plural = _("ordförande")

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.body})"


class StaffMember(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="staff", verbose_name=_("år")
    )
    person = models.CharField(_("person"), max_length=200)
    role = models.CharField(_("roll"), max_length=200)
    start = models.DateField(_("från"), null=True, blank=True)
    end = models.DateField(_("till"), null=True, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    # For the secretariat only (how a date was set, where a figure came from); never printed.
    internal_note = models.TextField(_("intern anteckning"), blank=True)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("medarbetare i kansliet")
        verbose_name_plural = _("medarbetare i kansliet")

    def __str__(self) -> str:
        return f"{self.person}, {self.role}"


class NetworkYear(ReadByYears, models.Model):
    """A network in one year: who stays away, and the network's own summary."""

    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="network_years", verbose_name=_("år")
    )
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="years", verbose_name=_("nätverk")
    )
    absent = models.ManyToManyField(
        Member, blank=True, related_name="+", verbose_name=_("frånvarande medlemmar")
    )
    participation_note = models.TextField(blank=True, verbose_name=_("anteckning om deltagande"))
    summary = models.TextField(_("sammanfattning"), blank=True)
    # The meetings as the source states them ("träffas regelbundet") when they are not registered.
    meetings_text = models.CharField(_("möten som text"), max_length=300, blank=True)
    focus_area = models.ForeignKey(
        "plan.FocusArea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_summaries",
        verbose_name=_("fokusområde"),
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "network"], name="network_year_unique")
        ]
        verbose_name = _("nätverkets år")
        verbose_name_plural = _("nätverkens år")

    def __str__(self) -> str:
        return f"{self.network} {self.year.year}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.year_id is not None
            and self.network_id is not None
            and self.network.cooperation_id != self.year.cooperation_id
        ):
            errors["network"] = gettext("Nätverket måste höra till årets samverkan.")
        area = self.focus_area if self.focus_area_id is not None else None
        if area is not None and self.year_id is not None and area.year_id != self.year_id:
            errors["focus_area"] = gettext("Fokusområdet måste höra till året %(year)s.") % {
                "year": self.year.year
            }
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def absent_errors(network: Network, year: Year, absent: Iterable[Member]) -> dict[str, str]:
        """Who may stay away: members of the network (all members when it names none) in the year.

        The absent members are a many-to-many field, set after the record is
        saved, so this rule takes them as arguments; every writer asks it first.
        """
        named = {m.pk for m in network.members.all()}
        strangers = [
            m
            for m in absent
            if m.cooperation_id != year.cooperation_id
            or (named and m.pk not in named)
            or not m.is_member_in(year.year)
        ]
        if strangers:
            return {
                "absent": gettext("%(names)s deltar inte i nätverket %(year)s.")
                % {"names": ", ".join(m.name for m in strangers), "year": year.year}
            }
        return {}


# A post that stands for several undated meetings counts them; no body meets a thousand
# times a year, and the database's integer must never overflow.
MEETING_COUNT_MAX = 1000


class MeetingFormat(models.TextChoices):
    DIGITAL = "digital", _("digitalt")
    PHYSICAL = "physical", _("fysiskt")
    HYBRID = "hybrid", _("hybrid")


class MeetingKind(models.TextChoices):
    ORDINARY = "ordinary", _("ordinarie möte")
    EXTRA = "extra", _("extra möte")
    PLANNING_CONFERENCE = "planning_conference", _("planeringskonferens")


class Meeting(ReadByYears, models.Model):
    """A meeting of a body or of one or more networks (joint meetings list several).

    When the source gives only a number ("fyra digitala möten"), one entry with
    `count` stands for them; a dated meeting has count 1.
    """

    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("år")
    )
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organ"),
    )
    networks = models.ManyToManyField(
        Network, blank=True, related_name="meetings", verbose_name=_("nätverk")
    )
    date = models.DateField(_("datum"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("månad"), null=True, blank=True)
    format = models.CharField(_("form"), max_length=20, choices=MeetingFormat.choices)
    kind = models.CharField(
        _("typ"), max_length=30, choices=MeetingKind.choices, default=MeetingKind.ORDINARY
    )
    place = models.CharField(_("plats"), max_length=300, blank=True)
    count = models.PositiveIntegerField(
        _("antal"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MEETING_COUNT_MAX)],
        help_text=_("Fler än ett när posten står för flera odaterade möten."),
    )
    cancelled = models.BooleanField(_("inställt"), default=False)
    cancel_reason = models.TextField(_("skäl"), blank=True)
    guests = models.TextField(_("externa gäster"), blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1, count__lte=MEETING_COUNT_MAX), name="meeting_count_range"
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="meeting_month_range",
            ),
        ]

    def __str__(self) -> str:
        who = self.body.name if self.body else ", ".join(str(n) for n in self.networks.all())
        # "4 mars 2020", or the month alone ("maj") when only the month is known.
        if self.date:
            when = date_format(self.date, "j F Y")
        elif self.month in MONTHS:
            when = str(MONTHS[self.month])
        else:
            when = str(self.month or "")
        return f"{who} {when}".strip()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.date is not None and self.year_id is not None:
            if self.date.year != self.year.year:
                errors["date"] = gettext("Datumet måste ligga inom året %(year)s.") % {
                    "year": self.year.year
                }
            else:
                self.month = self.date.month
        if self.month is not None and not 1 <= self.month <= 12:
            errors["month"] = gettext("En månad är 1–12.")
        if self.cancelled and is_blank(self.cancel_reason):
            errors["cancel_reason"] = gettext("Ange varför mötet ställdes in.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def owner_errors(
        cooperation_id: int, body: Body | None, networks: Iterable[Network]
    ) -> dict[str, str]:
        """Who holds the meeting: a body, or one or more networks, all of the year's cooperation.

        The networks are a many-to-many field, set after the meeting is saved,
        so this rule takes them as arguments; every writer asks it before saving.
        """
        networks = list(networks)
        if body is None and not networks:
            return {"networks": gettext("Ange ett organ eller minst ett nätverk.")}
        if (body is not None and body.cooperation_id != cooperation_id) or any(
            n.cooperation_id != cooperation_id for n in networks
        ):
            return {"networks": gettext("Organ och nätverk måste höra till samma samverkan.")}
        return {}


class EventKind(models.TextChoices):
    RADSLAG = "radslag", _("Rådslag")
    CONFERENCE = "conference", _("Konferens")
    KEY_FIGURES_DAY = "key_figures_day", _("Nyckeltalsdag")
    OTHER = "other", _("Annat arrangemang")


class EventStatus(models.TextChoices):
    HELD = "held", _("genomfört")
    CANCELLED = "cancelled", _("inställt")
    NOT_HELD = "not_held", _("hölls inte")


class Event(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="events", verbose_name=_("år")
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    kind = models.CharField(_("slag"), max_length=30, choices=EventKind.choices)
    name = models.CharField(_("namn"), max_length=200)
    date = models.DateField(_("datum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.HELD
    )
    reason = models.TextField(_("skäl"), blank=True)
    hosts = models.ManyToManyField(
        Member, blank=True, related_name="hosted_events", verbose_name=_("värdar")
    )
    # One partner per line: a plain list that the admin, the app and the year file read alike.
    partners = models.TextField(
        _("samarbetspartner"), blank=True, help_text=_("En samarbetspartner per rad.")
    )
    theme = models.CharField(_("tema"), max_length=300, blank=True)
    # Never negative: the field's own validator says so, in the same words in every form.
    participants = models.PositiveIntegerField(_("deltagare"), null=True, blank=True)
    cost_cap_per_participant = models.DecimalField(
        _("kostnadstak per deltagare"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), _("Kostnadstaket kan inte vara negativt."))],
    )
    fund = models.ForeignKey(
        "finance.Fund",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("fond"),
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "slug"], name="event_slug_unique"),
            models.CheckConstraint(
                condition=Q(participants__isnull=True) | Q(participants__gte=0),
                name="event_participants_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(cost_cap_per_participant__isnull=True)
                | Q(cost_cap_per_participant__gte=0),
                name="event_cost_cap_not_negative",
            ),
        ]
        verbose_name = _("arrangemang")
        verbose_name_plural = _("arrangemang")

    def __str__(self) -> str:
        return self.name

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if is_blank(self.name):
            errors["name"] = _("Ange arrangemangets namn.")
        if self.date is not None and self.year_id is not None and self.date.year != self.year.year:
            errors["date"] = _("Datumet måste ligga inom året %(year)s.") % {"year": self.year.year}
        # Stored one per line, without blank lines or stray spaces.
        self.partners = "\n".join(self.partner_list)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def co_financing_errors(
        shares: Iterable[Decimal | None], costs: Decimal | None
    ) -> dict[str, str]:
        """The members' co-financing shares must add up to the event's cost.

        `costs` is what the event's fund has booked as costs in the year; None
        (or zero) while nothing is booked, and then any split is accepted, so
        the co-financing may be agreed before the invoices come. The shares
        are ledger lines, set with the event, so this rule takes them as
        arguments; every writer asks it before saving.
        """
        amounts = [share for share in shares if share is not None]
        if not amounts or not costs:
            return {}
        total = sum(amounts, Decimal(0))
        if total != costs:
            return {
                "co_financing": _(
                    "Medfinansieringen summerar till %(total)s men arrangemangets kostnad är "
                    "%(costs)s (skillnad %(difference)s)."
                )
                % {
                    "total": format_kr(total),
                    "costs": format_kr(costs),
                    "difference": format_kr(total - costs),
                }
            }
        return {}
