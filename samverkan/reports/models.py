"""Editions of the annual report made in the background, one per format, language and data version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReportJob(models.Model):
    """A request for one edition (format, language) of a year's report, and how far its making has come.

    `stamp` names the data version asked for (reports.editions.data_stamp): a
    change to the cooperation's data asks for a new edition, not the old one again.
    The task that makes the edition writes `started_at`, `finished_at` and `error`.
    """

    year = models.ForeignKey("members.Year", on_delete=models.CASCADE, related_name="report_jobs")
    format = models.CharField(max_length=8)
    language = models.CharField(max_length=8)
    stamp = models.CharField(max_length=100)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    requested_at = models.DateTimeField(default=timezone.now)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "format", "language", "stamp"], name="one_job_per_edition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.format} {self.language} {self.stamp}"


class StoredEdition(models.Model):
    """One made edition of a year's report: the file itself, for one format, language and data version.

    Kept in the database, the one thing every web process and worker of an
    installation shares: a file made by a worker on one machine is served by a
    web process on another, with no shared folder (docs/web.md).
    """

    year = models.ForeignKey("members.Year", on_delete=models.CASCADE, related_name="editions")
    format = models.CharField(max_length=8)
    language = models.CharField(max_length=8)
    stamp = models.CharField(max_length=100)
    content = models.BinaryField()
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "format", "language", "stamp"], name="one_stored_edition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.format} {self.language} {self.stamp}"
