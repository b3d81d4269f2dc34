"""Joint consultation responses, and consultations discussed but not answered."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from samverkan.lib.text import is_blank
from samverkan.members.locking import ReadByYears
from samverkan.members.models import Year


class ConsultationResponse(ReadByYears, models.Model):
    cooperation_path: ClassVar[str] = "year__cooperation_id"
    year_path: ClassVar[str | None] = "year"

    year = models.ForeignKey(
        Year, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("år")
    )
    subject = models.TextField(_("ämne"))
    authority = models.CharField(_("remissinstans"), max_length=300, blank=True)
    received_on = models.DateField(_("inkom"), null=True, blank=True)
    sent_on = models.DateField(_("skickat"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("månad"), null=True, blank=True)
    recipient = models.CharField(_("mottagare"), max_length=300, blank=True)
    answered = models.BooleanField(
        _("besvarad gemensamt"),
        default=True,
        help_text=_("Nej för en remiss som diskuterades men inte besvarades gemensamt."),
    )
    link = models.URLField(_("länk"), max_length=500, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("gemensamt remissvar")
        verbose_name_plural = _("gemensamma remissvar")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="consultation_month_range",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True)
                | Q(sent_on__isnull=True)
                | Q(sent_on__gte=F("received_on")),
                name="consultation_sent_after_received",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if is_blank(self.subject):
            errors["subject"] = _("Ange remissens ämne.")
        if self.month is not None and not 1 <= self.month <= 12:
            errors["month"] = _("En månad är 1–12.")
        if self.received_on and self.sent_on and self.sent_on < self.received_on:
            errors["sent_on"] = _("Svaret kan inte ha skickats innan remissen kom in.")
        if errors:
            raise ValidationError(errors)
