"""Changes to projects, their financing, grants, grant payments and cost lines.

One project page edits all of them at once: `save_project` takes the
project's values and its rows (`RowEdit`s), checks every record with the
model's rules, and writes them in one transaction with one audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from samverkan.audit.services import diff, record
from samverkan.audit.snapshots import json_value, readable_state
from samverkan.core.rows import RowEdit, apply_rows
from samverkan.core.slugs import free_slug
from samverkan.core.validation import check_record
from samverkan.finance.models import LedgerLine, LineKind, LineSource, PublishedFigure
from samverkan.members.models import Year
from samverkan.members.services import DomainError, lock_year_for_edit
from samverkan.projects.models import Grant, GrantPayment, Project, ProjectFinancing

PROJECT_FIELDS = (
    "name",
    "contractor",
    "stated_cost",
    "start",
    "end",
    "focus_area",
    "description",
)


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


def _state(project: Project, year: Year) -> dict[str, Any]:
    state = readable_state(project, PROJECT_FIELDS)
    if project.pk is None:
        return state
    state["financing"] = _rows_state(project.financing.all())
    state["grants"] = _rows_state(project.grants.all())
    state["payments"] = _rows_state(
        GrantPayment.objects.filter(grant__project=project, year=year).select_related("grant")
    )
    state["cost_lines"] = _rows_state(
        project.lines.filter(year=year, kind=LineKind.COST).select_related("fund", "category")
    )
    return state


@transaction.atomic
def save_project(
    year: Year,
    project: Project | None = None,
    *,
    actor: Any,
    values: dict[str, Any],
    financing: Sequence[RowEdit] = (),
    grants: Sequence[RowEdit] = (),
    payments: Sequence[RowEdit] = (),
    cost_lines: Sequence[RowEdit] = (),
) -> Project:
    """Create a project in `year` or change one, with its financing, grants, the year's
    grant payments and the year's cost lines (kept from an SIE import: not touched here).

    Every record's rules are the model's; a broken one raises ValidationError keyed
    by field (a row's field as `"<rows>-<number>-<field>"`), and nothing is saved.
    """
    locked = lock_year_for_edit(year.pk)
    creating = project is None
    if project is None:
        taken = set(
            Project.objects.filter(cooperation_id=locked.cooperation_id).values_list(
                "slug", flat=True
            )
        )
        last = Project.objects.filter(year=locked).aggregate(m=Max("order"))["m"]
        project = Project(
            cooperation_id=locked.cooperation_id,
            year=locked,
            slug=free_slug(str(values.get("name", "")), taken, "projekt"),
            order=(last or 0) + 1,
        )
        before: dict[str, Any] = {}
    else:
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.year_id != locked.pk:
            raise DomainError(_("Projektet beskrivs av ett annat år och ändras där."))
        before = _state(project, locked)
    for name, value in values.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    check_record(project)
    project.save()

    apply_rows(ProjectFinancing, financing, prefix="financing", fixed={"project": project})
    grant_slugs = set(
        Grant.objects.filter(project__cooperation_id=locked.cooperation_id).values_list(
            "slug", flat=True
        )
    )

    def name_grant(grant: Any) -> None:
        if not grant.slug:
            grant.slug = free_slug(f"{project.slug}-{grant.grantor}", grant_slugs, "bidrag")
            grant_slugs.add(grant.slug)

    apply_rows(Grant, grants, prefix="grants", fixed={"project": project}, prepare=name_grant)
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
            for row in cost_lines
            if row.instance is None or getattr(row.instance, "source", "") != LineSource.SIE
        ],
        prefix="cost_lines",
        fixed={"year": locked, "project": project, "kind": LineKind.COST},
        prepare=place_line,
        reorder=False,
    )
    changes = diff(before, _state(project, locked))
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


def project_dependents(project: Project) -> list[str]:
    """What keeps a project from being removed, in words for the user; empty when nothing does."""
    found: list[str] = []
    lines = project.lines.count()
    if lines:
        found.append(_("%(count)s bokföringsrader hör till projektet") % {"count": lines})
    grant_lines = LedgerLine.objects.filter(grant__project=project).count()
    if grant_lines:
        found.append(
            _("%(count)s bokföringsrader hör till projektets bidrag") % {"count": grant_lines}
        )
    payments = GrantPayment.objects.filter(grant__project=project).count()
    if payments:
        found.append(_("%(count)s utbetalningar av projektets bidrag") % {"count": payments})
    figures = PublishedFigure.objects.filter(
        year__cooperation_id=project.cooperation_id, key__startswith=f"project.{project.slug}."
    ).count()
    if figures:
        found.append(
            _("%(count)s tryckta siffror i årsredovisningen gäller projektet") % {"count": figures}
        )
    return found


@transaction.atomic
def delete_project(project: Project, *, actor: Any) -> None:
    """Remove a project with its financing and grants; refused while lines, payments or
    printed figures depend on it (the message says which)."""
    locked = lock_year_for_edit(project.year_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    dependents = project_dependents(project)
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
        changes=diff(_state(project, locked), {}),
    )
    project.delete()
