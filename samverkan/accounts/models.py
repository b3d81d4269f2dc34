"""Who may do what in which cooperation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Kansli")
    NETWORK_LEAD = "network_lead", _("Nätverksledare")
    READER = "reader", _("Läsare")


class RoleAssignment(models.Model):
    """A user's role in one cooperation; a network lead also names the network."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("användare"),
    )
    cooperation = models.ForeignKey(
        "members.Cooperation",
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("samverkan"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    network = models.ForeignKey(
        "governance.Network",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="leads",
        verbose_name=_("nätverk"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cooperation", "role", "network"], name="role_unique"
            ),
        ]
        verbose_name = _("roll")
        verbose_name_plural = _("roller")

    def __str__(self) -> str:
        suffix = f" ({self.network})" if self.network_id else ""
        return f"{self.user} – {self.get_role_display()}{suffix} – {self.cooperation}"
