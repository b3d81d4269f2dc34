"""The findings of `samverkan check` where people work: each with a link to the record to fix.

A finding names its record as "kind:key" (samverkan.reports.findings); this
module turns that into a page of the app. Findings are computed per year and
kept for as long as the data version holds (reports.versions, as the figures are).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from django.urls import reverse

from samverkan.governance.models import Event
from samverkan.members.models import Member, Year
from samverkan.projects.models import Grant, Project
from samverkan.reports.checks import run_checks
from samverkan.reports.findings import Finding
from samverkan.reports.versions import figures_version
from samverkan.web.summaries import _year_figures

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class FindingRow:
    finding: Finding
    url: str
    needs_editor: (
        bool  # the link leads to an edit page (secretariat); else to a page everyone reads
    )


def _url(year: Year, record: str | None) -> tuple[str, bool]:
    coop = year.cooperation.slug
    accounts = reverse("web:accounts", args=[coop, year.year])
    kind, _sep, key = (record or "").partition(":")
    if kind == "event":
        event = Event.objects.filter(year=year, slug=key).first()
        if event is not None:
            return reverse("web:event-edit", args=[coop, year.year, event.pk]), True
    if kind in ("project", "grant"):
        project = (
            Project.objects.filter(cooperation_id=year.cooperation_id, slug=key)
            .select_related("start_year")
            .first()
            if kind == "project"
            else next(
                (
                    g.project
                    for g in Grant.objects.filter(
                        project__cooperation_id=year.cooperation_id, slug=key
                    ).select_related("project__start_year")
                ),
                None,
            )
        )
        if project is not None:
            # The project's page of the finding's year, or of the year it starts in if later.
            number = max(year.year, project.start_year.year)
            return reverse("web:project-edit", args=[coop, number, project.pk]), True
    if kind == "fund":
        return f"{accounts}#fund-{key}", False
    if kind == "population":
        return reverse("web:population", args=[coop, year.year]), False
    if kind == "member":
        # The one member finding is a missing population figure: the form to add it, for that member.
        member = Member.objects.filter(cooperation_id=year.cooperation_id, code=key).first()
        if member is not None:
            new_figure = reverse("web:population-new", args=[coop, year.year])
            return f"{new_figure}?member={member.pk}", True
        return f"{accounts}#fees-heading", False
    return accounts, False


def year_findings(year: Year) -> list[FindingRow]:
    """The year's findings, errors first, each with the page to fix it on."""
    return _year_findings(year.pk, figures_version(year))


@lru_cache(maxsize=64)
def _year_findings(year_pk: int, version: str) -> list[FindingRow]:
    year = Year.objects.select_related("cooperation").get(pk=year_pk)
    findings = sorted(
        run_checks(_year_figures(year_pk, version)),
        key=lambda f: SEVERITY_ORDER.get(f.severity, 3),
    )
    rows = []
    for finding in findings:
        url, needs_editor = _url(year, finding.record)
        rows.append(FindingRow(finding=finding, url=url, needs_editor=needs_editor))
    return rows


def errors_once_decided(year: Year) -> list[str]:
    """The error-level findings the year has once it is decided, one line each.

    A decided year's accounts are final: co-financing of an event whose costs are not booked,
    a warning while the year is open, is then an error. The decision asks for its reason
    before, not after.
    """
    figures = replace(_year_figures(year.pk, figures_version(year)), closed=True)
    return [f"{f.where}: {f.message}" for f in run_checks(figures) if f.severity == "error"]
