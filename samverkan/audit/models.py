"""The audit trail: who changed what, when, with the values before and after."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    cooperation_path: ClassVar[str] = "cooperation_id"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("skapad"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("användare"),
    )
    actor_label = models.CharField(
        max_length=200,
        blank=True,
        help_text="who, also when the user is gone",
        verbose_name=_("vem"),
    )
    cooperation = models.ForeignKey(
        "members.Cooperation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_entries",
        verbose_name=_("samverkan"),
    )
    year = models.PositiveIntegerField(null=True, blank=True, db_index=True, verbose_name=_("år"))
    action = models.CharField(max_length=100, verbose_name=_("händelse"))
    object_type = models.CharField(max_length=100, blank=True, verbose_name=_("objekttyp"))
    object_id = models.CharField(max_length=100, blank=True, verbose_name=_("objektets id"))
    object_repr = models.CharField(max_length=300, blank=True, verbose_name=_("objekt"))
    changes = models.JSONField(default=dict, blank=True, verbose_name=_("ändringar"))
    message = models.TextField(blank=True, verbose_name=_("meddelande"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("ändringslogg")
        verbose_name_plural = _("ändringslogg")

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )
