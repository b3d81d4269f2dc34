"""Editions of the annual report made in the background, one per format, language and data version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    """A request for one edition (format, language) of a year's report, and how far its making has come.

    `stamp` names the data version asked for (reports.versions.data_version): a
    change to the cooperation's data asks for a new edition, not the old one again.
    The task that makes the edition writes `started_at`, `finished_at` and `error`.
    """

    year = models.ForeignKey(
        "members.Year", on_delete=models.CASCADE, related_name="report_jobs", verbose_name=_("år")
    )
    # "report": the annual report; "plan": the year's activity plan (verksamhetsplan).
    document = models.CharField(max_length=10, default="report", verbose_name=_("dokument"))
    format = models.CharField(max_length=8, verbose_name=_("format"))
    language = models.CharField(max_length=8, verbose_name=_("språk"))
    stamp = models.CharField(max_length=100, verbose_name=_("dataversion"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("beställd av"),
    )
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=_("beställd"))
    task_id = models.CharField(max_length=64, blank=True, verbose_name=_("uppgiftens id"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("startad"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("klar"))
    error = models.TextField(blank=True, verbose_name=_("fel"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "document", "format", "language", "stamp"],
                name="one_job_per_edition",
            )
        ]
        verbose_name = _("rapportfil som görs")
        verbose_name_plural = _("rapportfiler som görs")

    def __str__(self) -> str:
        return f"{self.year} {self.format} {self.language} {self.stamp}"


class StoredEdition(models.Model):
    """One made edition of a year's report: the file itself, for one format, language and data version.

    Kept in the database, the one thing every web process and worker of an
    installation shares: a file made by a worker on one machine is served by a
    web process on another, with no shared folder (docs/web.md).
    """

    year = models.ForeignKey(
        "members.Year", on_delete=models.CASCADE, related_name="editions", verbose_name=_("år")
    )
    # "report" or "plan", as on ReportJob.
    document = models.CharField(max_length=10, default="report", verbose_name=_("dokument"))
    format = models.CharField(max_length=8, verbose_name=_("format"))
    language = models.CharField(max_length=8, verbose_name=_("språk"))
    stamp = models.CharField(max_length=100, verbose_name=_("dataversion"))
    content = models.BinaryField(verbose_name=_("innehåll"))
    made_at = models.DateTimeField(default=timezone.now, verbose_name=_("gjord"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "document", "format", "language", "stamp"],
                name="one_stored_edition",
            )
        ]
        verbose_name = _("lagrad rapportfil")
        verbose_name_plural = _("lagrade rapportfiler")

    def __str__(self) -> str:
        return f"{self.year} {self.format} {self.language} {self.stamp}"
