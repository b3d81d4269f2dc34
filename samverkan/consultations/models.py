"""Joint consultation responses, and consultations discussed but not answered."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

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
    answered = models.BooleanField(_("besvarad"), default=True)
    note = models.TextField(_("anteckning"), blank=True)
    order = models.PositiveIntegerField(default=0, verbose_name=_("ordning"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("gemensamt remissvar")
        verbose_name_plural = _("gemensamma remissvar")

    def __str__(self) -> str:
        return self.subject
