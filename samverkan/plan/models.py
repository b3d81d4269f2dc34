"""Programme, focus areas and goals, activities and their follow-ups."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samverkan.governance.models import Body, Network
from samverkan.lib.text import is_blank
from samverkan.members.locking import ReadByYears
from samverkan.members.models import Cooperation, Year, slug_validator, year_ids


class Programme(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "cooperation_id"

    cooperation = models.ForeignKey(
        Cooperation,
        on_delete=models.CASCADE,
        related_name="programmes",
        verbose_name=_("samverkan"),
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kortnamn"), max_length=50, blank=True)
    adopted = models.CharField(
        _("antaget"), max_length=10, blank=True, help_text="YYYY-MM eller YYYY-MM-DD"
    )
    valid_from = models.PositiveIntegerField(_("gäller från år"), null=True, blank=True)
    valid_until = models.PositiveIntegerField(_("gäller till år"), null=True, blank=True)
    overall_goal = models.TextField(_("övergripande mål"), blank=True)

    class Meta:
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "slug"], name="programme_slug_unique")
        ]
        verbose_name = _("utvecklingsprogram")
        verbose_name_plural = _("utvecklingsprogram")

    def __str__(self) -> str:
        return self.short_name or self.name

    def years_read(self) -> set[int]:
        return year_ids(self.cooperation_id, programme=self) if self.pk is not None else set()


class AreaGroupKind(models.TextChoices):
    REGIONAL = "regional", _("Regionala utvecklingsfrågor")
    INTERNAL = "internal", _("Internt samarbete")


class AreaGroup(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="area_groups", verbose_name=_("år")
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(max_length=20, choices=AreaGroupKind.choices, verbose_name=_("slag"))
    purpose = models.TextField(_("syfte"), blank=True)
    steering_document = models.TextField(_("styrdokument"), blank=True)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "slug"], name="area_group_slug_unique")
        ]
        verbose_name = _("samverkansområde")
        verbose_name_plural = _("samverkansområden")

    def __str__(self) -> str:
        return self.name


class FocusArea(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("år")
    )
    group = models.ForeignKey(
        AreaGroup,
        on_delete=models.CASCADE,
        related_name="focus_areas",
        verbose_name=_("samverkansområde"),
    )
    slug = models.SlugField(validators=[slug_validator], verbose_name=_("kortnamn i adresser"))
    number = models.CharField(_("nummer"), max_length=10, blank=True)
    title = models.CharField(_("rubrik"), max_length=200)
    main_goal = models.TextField(_("huvudmål"), blank=True)
    responsible_text = models.TextField(_("ansvariga"), blank=True)
    responsible_networks = models.ManyToManyField(
        Network, blank=True, related_name="focus_areas", verbose_name=_("ansvariga nätverk")
    )
    responsible_bodies = models.ManyToManyField(
        Body, blank=True, related_name="focus_areas", verbose_name=_("ansvariga organ")
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "slug"], name="focus_area_slug_unique")
        ]
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def label_with_year(self) -> str:
        """Unambiguous where several years are listed together (the admin's pickers)."""
        return f"{self} ({self.year.year})"


class SubGoal(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "focus_area__year__cooperation_id"
    year_path: ClassVar[str | None] = "focus_area__year"

    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="sub_goals", verbose_name=_("fokusområde")
    )
    text = models.TextField(verbose_name=_("text"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")

    def __str__(self) -> str:
        return self.text


class Activity(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "focus_area__year__cooperation_id"
    year_path: ClassVar[str | None] = "focus_area__year"

    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("fokusområde"),
    )
    title = models.TextField(_("aktivitet"))
    description = models.TextField(_("beskrivning"), blank=True)
    networks = models.ManyToManyField(
        Network,
        blank=True,
        related_name="activities",
        help_text=_("Tomt: fokusområdets ansvariga nätverk."),
        verbose_name=_("nätverk"),
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("slut"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["focus_area__order", "order"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="activity_has_title"),
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(end__gte=models.F("start")),
                name="activity_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if is_blank(self.title):
            raise ValidationError({"title": gettext("Ange aktivitetens rubrik.")})
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": gettext("Slutet kan inte ligga före starten.")})

    @staticmethod
    def network_errors(cooperation_id: int, networks: Iterable[Network]) -> dict[str, str]:
        """The owning networks belong to the activity's cooperation (a many-to-many rule: see
        `core.validation`)."""
        if any(n.cooperation_id != cooperation_id for n in networks):
            return {
                "networks": gettext("Nätverken måste höra till samma samverkan som aktiviteten.")
            }
        return {}

    def owners(self) -> list[Network]:
        """The networks that answer for the activity: its own, else its focus area's."""
        own = list(self.networks.all())
        return own or list(self.focus_area.responsible_networks.all())


class FollowUpStatus(models.TextChoices):
    DONE = "done", _("Genomförd")
    ONGOING = "ongoing", _("Pågår")
    POSTPONED = "postponed", _("Uppskjuten")
    CANCELLED = "cancelled", _("Inställd")
    NOT_STARTED = "not_started", _("Ej påbörjad")


# A follow-up with one of these statuses says why.
NEEDS_REASON = (FollowUpStatus.POSTPONED, FollowUpStatus.CANCELLED)


class FollowUp(ReadByYears, models.Model):
    """What was done for an activity in its year. `version` guards against lost updates."""

    cooperation_path: ClassVar[str] = "activity__focus_area__year__cooperation_id"
    year_path: ClassVar[str | None] = "activity__focus_area__year"

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("aktivitet")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.NOT_STARTED,
    )
    status_reason = models.TextField(_("skäl"), blank=True)
    continues = models.BooleanField(_("fortsätter nästa år"), default=False)
    text = models.TextField(_("uppföljning"), blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("ändrad"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FollowUpStatus.values), name="follow_up_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=NEEDS_REASON) | ~Q(status_reason=""),
                name="follow_up_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_status_display()}"

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()

    @property
    def is_started(self) -> bool:
        """Something has been followed up: a text, or a status other than "not started"."""
        return bool(self.text.strip()) or self.status != FollowUpStatus.NOT_STARTED

    def clean(self) -> None:
        if self.status in NEEDS_REASON and is_blank(self.status_reason):
            raise ValidationError(
                {
                    "status_reason": gettext(
                        "Ange skälet när aktiviteten är uppskjuten eller inställd."
                    )
                }
            )


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Föreslagen")
    ACCEPTED = "accepted", _("Intagen i planen")
    DECLINED = "declined", _("Avböjd")


class ActivityProposal(ReadByYears, models.Model):
    """A network's proposal for an activity in next year's plan, until the secretariat decides on it.

    Not printed in any report; it belongs to the year so that a decided year refuses it too.
    """

    cooperation_path: ClassVar[str] = "focus_area__year__cooperation_id"
    year_path: ClassVar[str | None] = "focus_area__year"

    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("fokusområde"), on_delete=models.CASCADE, related_name="proposals"
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("föreslås av nätverket"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    title = models.TextField(_("aktivitet"))
    description = models.TextField(_("beskrivning"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decision_reason = models.TextField(_("motivering"), blank=True)
    activity = models.OneToOneField(
        Activity,
        verbose_name=_("aktivitet i planen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("föreslagen av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("föreslagen"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)

    class Meta:
        ordering = ["focus_area__order", "proposed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="proposal_declined_has_reason",
            ),
        ]
        verbose_name = _("aktivitetsförslag")
        verbose_name_plural = _("aktivitetsförslag")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if is_blank(self.title):
            raise ValidationError({"title": gettext("Ange aktivitetens rubrik.")})
        if self.status == ProposalStatus.DECLINED and is_blank(self.decision_reason):
            raise ValidationError({"decision_reason": gettext("Ange varför förslaget avböjs.")})
