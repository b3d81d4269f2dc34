"""The receipts of sent create forms: what makes a double click store one record, not two."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FormReceipt(models.Model):
    """A create form's one-time token, spent by the POST that stored its record.

    Written in the same transaction as the record (samverkan/web/once.py), so a
    refused or failed save leaves no receipt. A second POST with the token finds
    the receipt (or, sent at the same moment, waits for the first and then fails
    on the unique token) and is sent to `url`, where the first one went.
    """

    token = models.CharField(_("engångsnyckel"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("användare"),
    )
    created_at = models.DateTimeField(_("skickat"), default=timezone.now, db_index=True)
    url = models.CharField(_("det som sparades"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("skickat formulär")
        verbose_name_plural = _("skickade formulär")
        constraints = [
            models.UniqueConstraint(fields=["token"], name="form_receipt_token_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.token} → {self.url}"
