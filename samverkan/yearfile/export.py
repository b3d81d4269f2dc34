"""Write a cooperation's standing data or one year back to canonical YAML.

The year file is written by walking the records declared in `schema`, the same
declarations the loader reads by.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Model, QuerySet

from samverkan.consultations.models import ConsultationResponse
from samverkan.finance.models import (
    AccountMapping,
    CostCategory,
    Footnote,
    Fund,
    FundYear,
    LedgerLine,
    LineSource,
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
from samverkan.members.models import Cooperation, FeeRule, Member, PopulationFigure, Year
from samverkan.plan.models import Activity, AreaGroup, FocusArea, FollowUp, Programme, SubGoal
from samverkan.projects.models import Grant, GrantPayment, Project, ProjectFinancing, ProjectYear
from samverkan.yearfile import records as r
from samverkan.yearfile import schema as s
from samverkan.yearfile.yamlio import dump


def _sorted_keys(value: Any) -> Any:
    """A JSON value with every mapping's keys in sorted order.

    PostgreSQL's jsonb keeps no key order (SQLite's JSON text does), so the export
    sorts them: the same data gives the same file on either database.
    """
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def _compact(mapping: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Leave out empty optional values, so the file holds only what was said."""
    return {k: v for k, v in mapping.items() if k in keep or not _empty(v)}


def _empty(value: Any) -> bool:
    # Identity for False: a zero amount or count is data and must survive the round trip.
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)


def export_cooperation(coop: Cooperation) -> str:
    """The standing file of `coop`, written by walking the records declared in `schema`."""
    head = s.COOPERATION.write(
        {
            "slug": coop.slug,
            "name": coop.name,
            "short_name": coop.short_name,
            "host_member__code": (coop.host_member.code if coop.host_member else None),
        },
        {"report": _sorted_keys(coop.report_settings) or None},
    )
    data: dict[str, Any] = {
        "kind": "cooperation",
        **head,
        s.MEMBER.key: _records(s.MEMBER, Member.objects.filter(cooperation=coop)),
        s.POPULATION.key: _records(
            s.POPULATION,
            PopulationFigure.objects.filter(member__cooperation=coop).order_by(
                "date", "member__order"
            ),
        ),
        s.FEE_RULE.key: _records(s.FEE_RULE, FeeRule.objects.filter(cooperation=coop)),
        s.BODY.key: _records(s.BODY, Body.objects.filter(cooperation=coop)),
        s.NETWORK.key: _records(s.NETWORK, Network.objects.filter(cooperation=coop)),
        s.PROGRAMME.key: _records(
            s.PROGRAMME, Programme.objects.filter(cooperation=coop).order_by("valid_from", "slug")
        ),
        s.COST_CATEGORY.key: _records(
            s.COST_CATEGORY, CostCategory.objects.filter(cooperation=coop)
        ),
        s.FUND.key: _records(s.FUND, Fund.objects.filter(cooperation=coop)),
        s.ACCOUNT_MAPPING.key: _records(
            s.ACCOUNT_MAPPING,
            AccountMapping.objects.filter(cooperation=coop).order_by("account", "object_id"),
        ),
    }
    return dump(_compact(data))


def export_year(year: Year) -> str:
    """The year file of `year`, written by walking the records declared in `schema`."""
    year_values = Year.objects.filter(pk=year.pk).values(*(f.lookup for f in s.YEAR.columns))[0]
    officer = s.OFFICER.write(
        {"officer_name": year.officer_name, "officer_email": year.officer_email}
    )
    population = (
        s.POPULATION_TOTAL.write(
            {
                "population_total_date": year.population_total_date,
                "population_total": year.population_total,
                "population_total_note": year.population_total_note,
            }
        )
        if year.population_total is not None
        else None
    )
    head = s.YEAR.write(
        year_values,
        {
            "officer": officer,
            "texts": {t.key: t.body for t in year.texts.all()},
            "report": _sorted_keys(year.report_settings) or None,
            "population_total": population,
        },
    )
    network_years = NetworkYear.objects.filter(year=year)
    year_end = year.end()

    def line_date(values: dict[str, Any]) -> None:
        # A line without a date stands on the last day of the year.
        if values["date"] == year_end:
            values["date"] = None

    data: dict[str, Any] = {
        "kind": "year",
        "cooperation": year.cooperation.slug,
        "year": year.year,
        **head,
        s.CHAIR.key: _records(s.CHAIR, Chair.objects.filter(year=year)),
        s.STAFF.key: _records(s.STAFF, StaffMember.objects.filter(year=year)),
        s.NETWORK_PARTICIPATION.key: _records(
            s.NETWORK_PARTICIPATION,
            network_years,
            keep=lambda record: len(record) > 1,  # more than the network's name
        ),
        s.NETWORK_SUMMARY.key: _records(
            s.NETWORK_SUMMARY,
            network_years,
            keep=lambda record: "meetings" in record or "text" in record,
        ),
        s.MEETING.key: _records(s.MEETING, Meeting.objects.filter(year=year)),
        s.AREA_GROUP.key: _records(s.AREA_GROUP, AreaGroup.objects.filter(year=year)),
        s.FOCUS_AREA.key: _focus_areas(year),
        s.CONSULTATION.key: _records(
            s.CONSULTATION, ConsultationResponse.objects.filter(year=year)
        ),
        s.PROJECT.key: _projects(year),
        s.EVENT.key: _records(s.EVENT, Event.objects.filter(year=year)),
        s.FUND_YEAR.key: _records(s.FUND_YEAR, FundYear.objects.filter(year=year)),
        s.LINE.key: _records(
            s.LINE,
            LedgerLine.objects.filter(year=year).exclude(source=LineSource.SIE),
            adjust=line_date,
        ),
        s.GRANT_PAYMENT.key: _records(s.GRANT_PAYMENT, GrantPayment.objects.filter(year=year)),
        s.FOOTNOTE.key: _records(s.FOOTNOTE, Footnote.objects.filter(year=year)),
        s.PUBLISHED.key: _records(s.PUBLISHED, PublishedFigure.objects.filter(year=year)),
    }
    return dump(_compact(data))


def _records(
    record: r.Record,
    queryset: QuerySet[Any],
    *,
    nested: Callable[[int], dict[str, Any]] | None = None,
    adjust: Callable[[dict[str, Any]], None] | None = None,
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> list[dict[str, Any]]:
    """The records of `queryset` (in the model's order) as the file writes them."""
    return [
        data
        for _, data in _rows(record, queryset, nested=nested, adjust=adjust)
        if not keep or keep(data)
    ]


def _rows(
    record: r.Record,
    queryset: QuerySet[Any],
    *,
    parent: str = "pk",
    nested: Callable[[int], dict[str, Any]] | None = None,
    adjust: Callable[[dict[str, Any]], None] | None = None,
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Each record of `queryset` as the file writes it, with the value of `parent`.

    One query for the rows (plain values, not model instances: a year can hold a hundred
    thousand activities) and one per many-to-many field; `nested(pk)` adds the records
    nested in each.
    """
    links = {f.key: _links(record.model, f, queryset) for f in record.fields if f.kind == "refs"}
    lookups = [f.lookup for f in record.columns]
    for pk, owner, *row in queryset.values_list("pk", parent, *lookups).iterator(chunk_size=5000):
        values = dict(zip(lookups, row, strict=True))
        if adjust is not None:
            adjust(values)
        inner = {key: by_pk.get(pk, []) for key, by_pk in links.items()}
        if nested is not None:
            inner.update(nested(pk))
        yield owner, record.write(values, inner)


def _links(model: type[Model], field: r.Field, queryset: QuerySet[Any]) -> dict[int, list[str]]:
    """The slugs (or member codes) a many-to-many field links each record to, in their order."""
    relation = getattr(model, field.attr)
    source = relation.field.m2m_field_name()
    target = relation.field.m2m_reverse_field_name()
    label = "code" if field.table == r.MEMBERS else "slug"
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        relation.through.objects.filter(**{f"{source}__in": queryset.values("pk")})
        .order_by(f"{target}__order", f"{target}__pk")
        .values_list(f"{source}_id", f"{target}__{label}")
    )
    for pk, name in rows.iterator(chunk_size=5000):
        found[pk].append(name)
    return found


def _by(queryset: QuerySet[Any], key: str, *fields: str) -> dict[int, list[tuple[Any, ...]]]:
    found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for parent, *row in queryset.values_list(key, *fields).iterator(chunk_size=5000):
        found[parent].append(tuple(row))
    return found


def _focus_areas(year: Year) -> list[dict[str, Any]]:
    follow_up_lookups = [f.lookup for f in s.FOLLOW_UP.columns]
    follow_ups = {
        activity: s.FOLLOW_UP.write(dict(zip(follow_up_lookups, row, strict=True)))
        for activity, *row in FollowUp.objects.filter(activity__focus_area__year=year)
        .values_list("activity_id", *follow_up_lookups)
        .iterator(chunk_size=5000)
    }
    activities: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for area, activity in _rows(
        s.ACTIVITY,
        Activity.objects.filter(focus_area__year=year),
        parent="focus_area_id",
        nested=lambda pk: {"follow_up": follow_ups.get(pk)},
    ):
        activities[area].append(activity)
    sub_goals = _by(SubGoal.objects.filter(focus_area__year=year), "focus_area_id", "text")
    return _records(
        s.FOCUS_AREA,
        FocusArea.objects.filter(year=year),
        nested=lambda pk: {
            "sub_goals": [text for (text,) in sub_goals.get(pk, [])],
            "activities": activities.get(pk, []),
        },
    )


# -- projects: kept in one block, as their records are declared in one -------------------


def _projects(year: Year) -> list[dict[str, Any]]:
    """The projects' parts in the year, in their order; then any project that starts in the
    year without a part yet (made in the admin), which the loader gives an empty part.
    Where a project starts, its entry also says what it is; later it `continues`."""
    own = [s.PROJECT.by_key[key].lookup for key in s.PROJECT_OWN_KEYS]
    lookups = [f.lookup for f in s.PROJECT.columns if f.key != "continues"]
    financing = _nested(
        s.PROJECT_FINANCING, ProjectFinancing.objects.filter(part__year=year), "part_id"
    )
    grants = _nested(s.GRANT, Grant.objects.filter(year=year), "project_id")

    def entry(values: dict[str, Any], part: int | None, project: int, starts: bool) -> Any:
        values["continues"] = not starts
        if not starts:
            values.update(dict.fromkeys(own))
        nested = {
            "financing": financing.get(part, []) if part else [],
            "grants": grants.get(project, []),
        }
        return s.PROJECT.write(values, nested)

    parts = ProjectYear.objects.filter(year=year).order_by("order", "id")
    written = [
        entry(dict(zip(lookups, row, strict=True)), pk, project, start == year.pk)
        for pk, project, start, *row in parts.values_list(
            "pk", "project_id", "project__start_year_id", *lookups
        )
    ]
    bare = Project.objects.filter(start_year=year).exclude(years__year=year).order_by("id")
    for project in bare:
        values: dict[str, Any] = dict.fromkeys(lookups)
        values.update(
            {
                s.PROJECT.by_key[key].lookup: getattr(project, s.PROJECT.by_key[key].attr)
                for key in ("slug", *s.PROJECT_OWN_KEYS)
            }
        )
        values["description"] = ""
        written.append(entry(values, None, project.pk, True))
    return written


def _nested(
    record: r.Record, queryset: QuerySet[Any], parent: str
) -> dict[int, list[dict[str, Any]]]:
    """Records nested in a project or its part, by the parent's id."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for owner, data in _rows(record, queryset, parent=parent):
        found[owner].append(data)
    return found
