"""Where each model's cooperation and year are: the one map the admin scopes and locks by.

`COOPERATION_PATH` leads from a model to its cooperation's id, `YEAR_PATH`
to the year it belongs to (standing data has none). A model missing from the
first map is not scoped and therefore not offered to the secretariat.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from samverkan.audit.models import AuditEntry
from samverkan.consultations.models import ConsultationResponse
from samverkan.finance.models import (
    AccountMapping,
    CostCategory,
    Footnote,
    Fund,
    FundYear,
    ImportBatch,
    LedgerLine,
    PublishedFigure,
)
from samverkan.governance.models import (
    Body,
    Chair,
    Event,
    Meeting,
    Network,
    NetworkYear,
    StaffMember,
)
from samverkan.members.models import (
    LOCKED_STATUSES,
    Cooperation,
    FeeRule,
    Member,
    PopulationFigure,
    Year,
    YearText,
)
from samverkan.plan.models import Activity, AreaGroup, FocusArea, FollowUp, Programme, SubGoal
from samverkan.projects.models import Grant, GrantPayment, Project, ProjectFinancing

COOPERATION_PATH: dict[type[models.Model], str] = {
    Cooperation: "id",
    Member: "cooperation_id",
    PopulationFigure: "member__cooperation_id",
    FeeRule: "cooperation_id",
    Year: "cooperation_id",
    YearText: "year__cooperation_id",
    Body: "cooperation_id",
    Network: "cooperation_id",
    Chair: "year__cooperation_id",
    StaffMember: "year__cooperation_id",
    NetworkYear: "year__cooperation_id",
    Meeting: "year__cooperation_id",
    Event: "year__cooperation_id",
    Programme: "cooperation_id",
    AreaGroup: "year__cooperation_id",
    FocusArea: "year__cooperation_id",
    SubGoal: "focus_area__year__cooperation_id",
    Activity: "focus_area__year__cooperation_id",
    FollowUp: "activity__focus_area__year__cooperation_id",
    ConsultationResponse: "year__cooperation_id",
    Project: "cooperation_id",
    ProjectFinancing: "project__cooperation_id",
    Grant: "project__cooperation_id",
    GrantPayment: "year__cooperation_id",
    CostCategory: "cooperation_id",
    Fund: "cooperation_id",
    FundYear: "year__cooperation_id",
    Footnote: "year__cooperation_id",
    ImportBatch: "year__cooperation_id",
    LedgerLine: "year__cooperation_id",
    AccountMapping: "cooperation_id",
    PublishedFigure: "year__cooperation_id",
    AuditEntry: "cooperation_id",
}

YEAR_PATH: dict[type[models.Model], str] = {
    Year: "",
    YearText: "year",
    Chair: "year",
    StaffMember: "year",
    NetworkYear: "year",
    Meeting: "year",
    Event: "year",
    AreaGroup: "year",
    FocusArea: "year",
    SubGoal: "focus_area__year",
    Activity: "focus_area__year",
    FollowUp: "activity__focus_area__year",
    ConsultationResponse: "year",
    Project: "year",
    GrantPayment: "year",
    FundYear: "year",
    Footnote: "year",
    ImportBatch: "year",
    LedgerLine: "year",
    PublishedFigure: "year",
}


def scoped(queryset: models.QuerySet[Any], cooperation_ids: Iterable[int] | None) -> models.QuerySet[Any]:
    """The rows of `queryset` that belong to one of the cooperations (None: no limit)."""
    if cooperation_ids is None:
        return queryset
    path = COOPERATION_PATH.get(queryset.model)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": list(cooperation_ids)})


def _follow(obj: Any, path: str) -> Any:
    for name in path.split("__") if path else []:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def years_touched(obj: models.Model) -> list[Year]:
    """The years whose published figures change when `obj` changes.

    A year-bound record touches its year. Two pieces of standing data feed
    the fees of particular years: a population figure at 31 December is the
    basis of the next year's fee, and a fee rule applies from its first year on.
    """
    if isinstance(obj, PopulationFigure):
        if obj.date is None or obj.member_id is None:
            return []
        return list(Year.objects.filter(cooperation_id=obj.member.cooperation_id, year=obj.date.year + 1))
    if isinstance(obj, FeeRule):
        if obj.from_year is None or obj.cooperation_id is None:
            return []
        return list(Year.objects.filter(cooperation_id=obj.cooperation_id, year__gte=obj.from_year))
    path = YEAR_PATH.get(type(obj))
    if path is None:
        return []
    year = _follow(obj, path)
    return [year] if isinstance(year, Year) else []


def locked_year(obj: models.Model) -> Year | None:
    """A decided or published year that `obj` belongs to or feeds, if any."""
    for year in years_touched(obj):
        # Read the status afresh: the instance may have been loaded before a decision.
        if Year.objects.filter(pk=year.pk).values_list("status", flat=True).first() in LOCKED_STATUSES:
            return year
    return None
