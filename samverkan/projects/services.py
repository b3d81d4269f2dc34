"""Changes to projects, their parts in each year, financing, grants, grant payments and cost lines.

One project page per year edits the project and its part in that year at
once: `save_project` takes the values and the rows (`RowEdit`s), checks every
record with the model's rules, and writes them in one transaction with one
audit entry. `continue_project` adds the year's part to a project that
started in an earlier year; the earlier years' parts are not touched, so a
decided year stays as it was decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from samverkan.audit.services import Actor, diff, record
from samverkan.audit.snapshots import json_value, readable_state
from samverkan.core.rows import RowEdit, apply_rows
from samverkan.core.slugs import free_slug
from samverkan.core.validation import check_record
from samverkan.finance.models import LedgerLine, LineKind, LineSource, PublishedFigure
from samverkan.members.models import Year
from samverkan.members.services import DomainError, lock_year_for_edit, refuse_if_changed
from samverkan.plan.models import FocusArea
from samverkan.projects.models import (
    Grant,
    GrantPayment,
    Project,
    ProjectFinancing,
    ProjectYear,
)

PROJECT_FIELDS = ("name", "contractor", "start", "end", "end_year")
PART_FIELDS = ("stated_cost", "focus_area", "description")


def _rows_state(rows: Any) -> list[str]:
    return [_row_text(row) for row in rows]


def _row_text(row: Any) -> str:
    if isinstance(row, ProjectFinancing):
        parts = [str(row.get_source_display())]
        if row.surplus_year:
            parts.append(str(row.surplus_year))
        if row.amount is not None:
            parts.append(f"{json_value(row.amount)} kr")
        return ", ".join(parts)
    if isinstance(row, Grant):
        amount = f", {json_value(row.amount)} kr" if row.amount is not None else ""
        return f"{row.grantor} ({row.get_timing_display()}{amount})"
    if isinstance(row, GrantPayment):
        return f"{row.grant.grantor} {row.date.isoformat()}: {json_value(row.amount)} kr"
    if isinstance(row, LedgerLine):
        return f"{row.fund} · {row.category} · {row.date.isoformat()}: {json_value(row.amount)} kr {row.text}".strip()
    return str(row)


def project_state(project: Project, year: Year) -> dict[str, Any]:
    """A project and its part in `year` (with the year's rows) as its audit entries compare them
    (and its edit form's digest covers them)."""
    state = readable_state(project, PROJECT_FIELDS)
    if project.pk is None:
        return state
    part = ProjectYear.objects.filter(project=project, year=year).first()
    if part is not None:
        state.update(readable_state(part, PART_FIELDS))
        state["financing"] = _rows_state(part.financing.all())
    state["grants"] = _rows_state(project.grants.filter(year=year))
    state["payments"] = _rows_state(
        GrantPayment.objects.filter(grant__project=project, year=year).select_related("grant")
    )
    state["grant_income"] = _rows_state(
        project.lines.filter(year=year, kind=LineKind.INCOME, grant__isnull=False).select_related(
            "fund", "category"
        )
    )
    state["cost_lines"] = _rows_state(
        project.lines.filter(year=year, kind=LineKind.COST).select_related("fund", "category")
    )
    return state


def _next_part_order(year: Year) -> int:
    last = ProjectYear.objects.filter(year=year).aggregate(m=Max("order"))["m"]
    return (last or 0) + 1


@transaction.atomic
def save_project(
    year: Year,
    project: Project | None = None,
    *,
    actor: Actor,
    values: dict[str, Any],
    financing: Sequence[RowEdit] = (),
    grants: Sequence[RowEdit] = (),
    payments: Sequence[RowEdit] = (),
    grant_income: Sequence[RowEdit] = (),
    cost_lines: Sequence[RowEdit] = (),
    read_as: str | None = None,
) -> Project:
    """Create a project starting in `year`, or change a project and its part in `year`:
    the part's stated cost, focus area, text and financing, the grants decided in the year,
    the year's grant payments, the year's grant income (a grant paid in arrears is a
    receivable from its income until its payment) and the year's cost lines (lines from an
    SIE import are kept).

    `values` holds the project's fields (`PROJECT_FIELDS`, the same in every year) and the
    part's (`PART_FIELDS`). A changed project field alters every year the project runs in,
    so the year lock refuses it while one of them is decided. Every record's rules are the
    model's; a broken one raises ValidationError keyed by field (a row's field as
    `"<rows>-<number>-<field>"`), and nothing is saved. `read_as`: the digest of the project
    in `year` as the edit form read it; EditConflict if it changed since.
    """
    locked = lock_year_for_edit(year.pk)
    creating = project is None
    if project is None:
        taken = set(
            Project.objects.filter(cooperation_id=locked.cooperation_id).values_list(
                "slug", flat=True
            )
        )
        project = Project(
            cooperation_id=locked.cooperation_id,
            start_year=locked,
            slug=free_slug(str(values.get("name", "")), taken, "projekt"),
        )
        part = ProjectYear(year=locked, order=_next_part_order(locked))
        before: dict[str, Any] = {}
    else:
        project = Project.objects.select_for_update().get(pk=project.pk)
        found = ProjectYear.objects.filter(project=project, year=locked).first()
        if found is None:
            raise DomainError(
                _("Projektet har ingen del år %(year)s. Fortsätt projektet i år först.")
                % {"year": locked.year}
            )
        part = found
        before = project_state(project, locked)
        refuse_if_changed(project, before, read_as, what=_("Projektet"))
    for name, value in values.items():
        target = part if name in PART_FIELDS else project
        setattr(target, name, value.strip() if isinstance(value, str) else value)
    check_record(project)
    project.save()
    part.project = project
    check_record(part)
    part.save()

    apply_rows(ProjectFinancing, financing, prefix="financing", fixed={"part": part})
    grant_slugs = set(
        Grant.objects.filter(project__cooperation_id=locked.cooperation_id).values_list(
            "slug", flat=True
        )
    )

    def name_grant(grant: Any) -> None:
        if not grant.slug:
            grant.slug = free_slug(f"{project.slug}-{grant.grantor}", grant_slugs, "bidrag")
            grant_slugs.add(grant.slug)

    apply_rows(
        Grant,
        grants,
        prefix="grants",
        fixed={"project": project, "year": locked},
        prepare=name_grant,
    )
    apply_rows(GrantPayment, payments, prefix="payments", fixed={"year": locked})
    next_order = [LedgerLine.objects.filter(year=locked).aggregate(m=Max("order"))["m"] or 0]

    def place_line(line: Any) -> None:
        if line.pk is None:
            next_order[0] += 1
            line.order = next_order[0]
            line.source = LineSource.MANUAL

    apply_rows(
        LedgerLine,
        [
            row
            for row in grant_income
            if row.instance is None or getattr(row.instance, "source", "") != LineSource.SIE
        ],
        prefix="grant_income",
        fixed={"year": locked, "project": project, "kind": LineKind.INCOME},
        prepare=place_line,
        reorder=False,
    )
    apply_rows(
        LedgerLine,
        [
            row
            for row in cost_lines
            if row.instance is None or getattr(row.instance, "source", "") != LineSource.SIE
        ],
        prefix="cost_lines",
        fixed={"year": locked, "project": project, "kind": LineKind.COST},
        prepare=place_line,
        reorder=False,
    )
    changes = diff(before, project_state(project, locked))
    if changes:
        record(
            actor=actor,
            action="projects.project.create" if creating else "projects.project.update",
            cooperation=locked.cooperation,
            year=locked.year,
            obj=project,
            changes=changes,
        )
    return project


@transaction.atomic
def continue_project(project: Project, year: Year, *, actor: Actor) -> ProjectYear:
    """Add the project's part in `year` to a project that started in an earlier year.

    Only the new year is written: the earlier years' parts, financing and grants
    stay as they are, so a project whose first year is decided can go on. The
    part takes the focus area of the same slug as the project's latest part.
    """
    locked = lock_year_for_edit(year.pk)
    project = Project.objects.select_for_update().select_related("start_year").get(pk=project.pk)
    if project.cooperation_id != locked.cooperation_id:
        raise DomainError(_("Projektet hör till en annan samverkan."))
    if project.years.filter(year=locked).exists():
        raise DomainError(_("Projektet har redan en del år %(year)s.") % {"year": locked.year})
    latest = (
        project.years.filter(year__year__lt=locked.year)
        .select_related("focus_area")
        .order_by("-year__year")
        .first()
    )
    area = None
    if latest is not None and latest.focus_area is not None:
        area = FocusArea.objects.filter(year=locked, slug=latest.focus_area.slug).first()
    part = ProjectYear(
        project=project, year=locked, focus_area=area, order=_next_part_order(locked)
    )
    check_record(part)
    part.save()
    record(
        actor=actor,
        action="projects.project.continue",
        cooperation=locked.cooperation,
        year=locked.year,
        obj=project,
        changes=diff({}, readable_state(part, PART_FIELDS)),
        message=_("Projektet fortsätter år %(year)s.") % {"year": locked.year},
    )
    return part


def continuable_projects(year: Year) -> list[Project]:
    """Projects that may go on into `year` and have no part in it yet: those with a part in the
    year before, and those planned to run into this year."""
    return projects_into(year.cooperation_id, year.year, without_part_in=year)


def projects_into(
    cooperation_id: int, number: int, *, without_part_in: Year | None = None
) -> list[Project]:
    """Projects that started before `number` and may go on into it (the rule of
    `continuable_projects`, for a year that need not exist yet, as when it is started)."""
    projects = (
        Project.objects.filter(cooperation_id=cooperation_id, start_year__year__lt=number)
        .filter(Q(years__year__year=number - 1) | Q(end_year__gte=number))
        .exclude(end_year__lt=number)
    )
    if without_part_in is not None:
        projects = projects.exclude(years__year=without_part_in)
    return list(
        projects.select_related("start_year").distinct().order_by("start_year__year", "name")
    )


def project_dependents(project: Project, year: Year) -> list[str]:
    """What keeps the project's part in `year` from being removed, in words for the user;
    empty when nothing does. In the project's start year the whole project goes, so what
    any year holds of it counts, the later years' parts too."""
    whole = project.start_year_id == year.pk
    found: list[str] = []
    lines = project.lines.all() if whole else project.lines.filter(year=year)
    if count := lines.count():
        found.append(_("%(count)s bokföringsrader hör till projektet") % {"count": count})
    grants = project.grants.all() if whole else project.grants.filter(year=year)
    if count := LedgerLine.objects.filter(grant__in=grants).count():
        found.append(_("%(count)s bokföringsrader hör till projektets bidrag") % {"count": count})
    if count := GrantPayment.objects.filter(grant__in=grants).count():
        found.append(_("%(count)s utbetalningar av projektets bidrag") % {"count": count})
    figures = PublishedFigure.objects.filter(
        year__cooperation_id=project.cooperation_id, key__startswith=f"project.{project.slug}."
    )
    if count := (figures if whole else figures.filter(year=year)).count():
        found.append(
            _("%(count)s tryckta siffror i årsredovisningen gäller projektet") % {"count": count}
        )
    if whole:
        later = sorted(project.years.exclude(year=year).values_list("year__year", flat=True))
        if later:
            found.append(
                _("projektet fortsätter %(years)s")
                % {"years": ", ".join(str(number) for number in later)}
            )
    return found


@transaction.atomic
def delete_project(
    project: Project, year: Year, *, actor: Actor, read_as: str | None = None
) -> None:
    """Remove the project's part in `year` with its financing and the grants decided that year;
    in the project's start year, the whole project. Refused while lines, payments, printed
    figures or later years depend on it (the message says which). `read_as`: the digest of the record as the confirm page showed it; EditConflict, and
    nothing removed, if it changed since."""
    locked = lock_year_for_edit(year.pk)
    project = Project.objects.select_for_update().get(pk=project.pk)
    refuse_if_changed(
        project, project_state(project, locked), read_as, what=_("Projektet"), removing=True
    )
    dependents = project_dependents(project, locked)
    if dependents:
        raise DomainError(
            _("Projektet kan inte tas bort: %(what)s. Ta bort eller flytta dem först.")
            % {"what": "; ".join(dependents)}
        )
    record(
        actor=actor,
        action="projects.project.delete",
        cooperation=locked.cooperation,
        year=locked.year,
        obj=project,
        changes=diff(project_state(project, locked), {}),
    )
    if project.start_year_id == locked.pk:
        project.delete()
    else:
        project.grants.filter(year=locked).delete()
        project.years.filter(year=locked).delete()
