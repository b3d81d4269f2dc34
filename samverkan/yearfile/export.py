"""Write a cooperation's standing data or one year back to canonical YAML."""

from __future__ import annotations

import datetime
from typing import Any

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
from samverkan.plan.models import AreaGroup, FocusArea, Programme
from samverkan.projects.models import GrantPayment, Project, ProjectYear
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
    members = Member.objects.filter(cooperation=coop)
    data: dict[str, Any] = {
        "kind": "cooperation",
        "slug": coop.slug,
        "name": coop.name,
        "short_name": coop.short_name,
        "report": _sorted_keys(coop.report_settings) or None,
        "host_member": coop.host_member.code if coop.host_member else None,
        "members": [
            _compact({"code": m.code, "name": m.name, "joined": m.joined, "left": m.left})
            for m in members
        ],
        "population": [
            _compact(
                {
                    "member": p.member.code,
                    "date": p.date,
                    "population": p.population,
                    "source": p.source,
                    "source_file": p.source_file,
                    "source_table": p.source_table,
                    "imported_at": p.imported_at.isoformat() if p.imported_at else None,
                },
                keep=("population",),
            )
            for p in PopulationFigure.objects.filter(member__cooperation=coop)
            .select_related("member")
            .order_by("date", "member__order")
        ],
        "fee_rules": [
            {"from_year": r.from_year, "rate": r.rate, "basis": r.basis}
            for r in FeeRule.objects.filter(cooperation=coop)
        ],
        "bodies": [
            {"slug": b.slug, "kind": b.kind, "name": b.name}
            for b in Body.objects.filter(cooperation=coop)
        ],
        "networks": [
            _compact(
                {
                    "slug": n.slug,
                    "name": n.name,
                    "short_name": n.short_name,
                    "note": n.note,
                    "members": [m.code for m in n.members.order_by("order")],
                }
            )
            for n in Network.objects.filter(cooperation=coop)
        ],
        "programmes": [
            _compact(
                {
                    "slug": p.slug,
                    "name": p.name,
                    "short_name": p.short_name,
                    "adopted": p.adopted,
                    "valid_from": p.valid_from,
                    "valid_until": p.valid_until,
                    "overall_goal": p.overall_goal,
                }
            )
            for p in Programme.objects.filter(cooperation=coop).order_by("valid_from", "slug")
        ],
        "cost_categories": [
            _compact({"slug": c.slug, "name": c.name, "kind": c.kind, "fee": c.is_fee})
            for c in CostCategory.objects.filter(cooperation=coop)
        ],
        "funds": [
            _compact(
                {"slug": f.slug, "name": f.name, "carried_name": f.carried_name, "kind": f.kind}
            )
            for f in Fund.objects.filter(cooperation=coop)
        ],
        "account_mappings": [
            _compact(
                {
                    "account": m.account,
                    "category": m.category.slug,
                    "fund": m.fund.slug if m.fund else None,
                    "object": m.object_id,
                    "project": m.project,
                }
            )
            for m in AccountMapping.objects.filter(cooperation=coop)
            .select_related("category", "fund")
            .order_by("account", "object_id")
        ],
    }
    return dump(_compact(data))


def export_year(year: Year) -> str:
    data: dict[str, Any] = {
        "kind": "year",
        "cooperation": year.cooperation.slug,
        "year": year.year,
        "status": year.status,
        "decided_on": year.decided_on,
        "officer": _compact({"name": year.officer_name, "email": year.officer_email}),
        "programme": year.programme.slug if year.programme else None,
        "operating_fund": year.operating_fund.slug if year.operating_fund else None,
        "texts": {t.key: t.body for t in year.texts.all()},
        "report": _sorted_keys(year.report_settings) or None,
        "population_total": _compact(
            {
                "date": year.population_total_date,
                "population": year.population_total,
                "note": year.population_total_note,
            }
        )
        if year.population_total is not None
        else None,
        "chairs": [
            _compact(
                {
                    "body": c.body.slug,
                    "role": c.role,
                    "person": c.person,
                    "member": c.member.code if c.member else None,
                }
            )
            for c in Chair.objects.filter(year=year).select_related("body", "member")
        ],
        "staff": [
            _compact(
                {
                    "person": s.person,
                    "role": s.role,
                    "start": s.start,
                    "end": s.end,
                    "note": s.note,
                    "internal_note": s.internal_note,
                }
            )
            for s in StaffMember.objects.filter(year=year)
        ],
        "network_participation": [
            _compact(
                {
                    "network": ny.network.slug,
                    "absent": [m.code for m in ny.absent.order_by("order")],
                    "note": ny.participation_note,
                }
            )
            for ny in NetworkYear.objects.filter(year=year).select_related("network")
            if ny.participation_note or ny.absent.exists()
        ],
        "network_summaries": [
            _compact(
                {
                    "network": ny.network.slug,
                    "focus_area": ny.focus_area.slug if ny.focus_area else None,
                    "meetings": ny.meetings_text,
                    "text": ny.summary,
                }
            )
            for ny in NetworkYear.objects.filter(year=year).select_related("network", "focus_area")
            if ny.summary or ny.meetings_text
        ],
        "meetings": [
            _meeting(m)
            for m in Meeting.objects.filter(year=year)
            .select_related("body")
            .prefetch_related("networks")
        ],
        "area_groups": [
            _compact(
                {
                    "slug": g.slug,
                    "name": g.name,
                    "kind": g.kind,
                    "purpose": g.purpose,
                    "steering_document": g.steering_document,
                }
            )
            for g in AreaGroup.objects.filter(year=year)
        ],
        "focus_areas": [
            _focus_area(a) for a in FocusArea.objects.filter(year=year).select_related("group")
        ],
        "consultations": [
            _compact(
                {
                    "subject": c.subject,
                    "authority": c.authority,
                    "received_on": c.received_on,
                    "sent_on": c.sent_on,
                    "month": c.month,
                    "recipient": c.recipient,
                    "answered": c.answered,
                    "link": c.link,
                    "note": c.note,
                },
                keep=("answered",),
            )
            for c in ConsultationResponse.objects.filter(year=year)
        ],
        "projects": _projects(year),
        "events": [
            _event(e)
            for e in Event.objects.filter(year=year)
            .select_related("fund")
            .prefetch_related("hosts")
        ],
        "funds": [
            _compact(
                {
                    "fund": fy.fund.slug,
                    "label": fy.label,
                    "opening": fy.opening_stated,
                    "footnote": fy.footnote,
                }
            )
            for fy in FundYear.objects.filter(year=year).select_related("fund")
        ],
        "lines": [
            _line(row, year.end())
            # Plain rows, not model instances: a ledger has tens of thousands of lines.
            for row in LedgerLine.objects.filter(year=year)
            .exclude(source=LineSource.SIE)
            .values_list(*LINE_FIELDS)
            .iterator(chunk_size=5000)
        ],
        "grant_payments": [
            {"grant": p.grant.slug, "date": p.date, "amount": p.amount}
            for p in GrantPayment.objects.filter(year=year).select_related("grant")
        ],
        "footnotes": [{"key": f.key, "text": f.text} for f in Footnote.objects.filter(year=year)],
        "published": [
            _compact(
                {
                    "key": f.key,
                    "place": f.place,
                    "printed_in": f.printed_in,
                    "amount": f.amount,
                    "date": f.date,
                }
            )
            for f in PublishedFigure.objects.filter(year=year)
        ],
    }
    return dump(_compact(data))


def _meeting(m: Meeting) -> dict[str, Any]:
    return _compact(
        {
            "body": m.body.slug if m.body else None,
            "networks": [n.slug for n in m.networks.all().order_by("order")],
            "date": m.date,
            "month": m.month,
            "format": m.format,
            "kind": m.kind,
            "place": m.place,
            "count": m.count if m.count != 1 else None,
            "cancelled": m.cancelled,
            "cancel_reason": m.cancel_reason,
            "guests": m.guests,
            "note": m.note,
        }
    )


def _focus_area(area: FocusArea) -> dict[str, Any]:
    activities = []
    for activity in area.activities.all().prefetch_related("networks").select_related("follow_up"):
        follow = getattr(activity, "follow_up", None)
        activities.append(
            _compact(
                {
                    "title": activity.title,
                    "networks": [n.slug for n in activity.networks.all().order_by("order")],
                    "description": activity.description,
                    "follow_up": _compact(
                        {
                            "status": follow.status,
                            "status_reason": follow.status_reason,
                            "continues": follow.continues,
                            "text": follow.text,
                        }
                    )
                    if follow
                    else None,
                }
            )
        )
    return _compact(
        {
            "slug": area.slug,
            "number": area.number,
            "group": area.group.slug,
            "title": area.title,
            "main_goal": area.main_goal,
            "sub_goals": [g.text for g in area.sub_goals.all()],
            "responsible_networks": [n.slug for n in area.responsible_networks.order_by("order")],
            "responsible_bodies": [b.slug for b in area.responsible_bodies.order_by("order")],
            "responsible_text": area.responsible_text,
            "activities": activities,
        }
    )


def _projects(year: Year) -> list[dict[str, Any]]:
    """The projects' parts in the year, in their order; then any project that starts in the
    year without a part yet (made in the admin), which the loader gives an empty part."""
    parts = ProjectYear.objects.filter(year=year).select_related("project", "focus_area")
    bare = Project.objects.filter(start_year=year).exclude(years__year=year).order_by("id")
    return [_project(part.project, part) for part in parts.order_by("order", "id")] + [
        _project(p, ProjectYear(project=p, year=year)) for p in bare
    ]


def _project(p: Project, part: ProjectYear) -> dict[str, Any]:
    """The project's part in the year; where the project starts, also what it is."""
    starts = p.start_year_id == part.year_id
    return _compact(
        {
            "slug": p.slug,
            "continues": not starts,
            "name": p.name if starts else None,
            "contractor": p.contractor if starts else None,
            "cost": part.stated_cost,
            "start": p.start if starts else None,
            "end": p.end if starts else None,
            "end_year": p.end_year if starts else None,
            "focus_area": part.focus_area.slug if part.focus_area else None,
            "description": part.description,
            "financing": [
                _compact({"source": f.source, "surplus_year": f.surplus_year, "amount": f.amount})
                for f in (part.financing.all() if part.pk else ())
            ],
            "grants": [
                _compact(
                    {
                        "slug": g.slug,
                        "grantor": g.grantor,
                        "rate": g.rate,
                        "timing": g.timing,
                        "amount": g.amount,
                        "expected_payment_year": g.expected_payment_year,
                    }
                )
                for g in p.grants.filter(year_id=part.year_id)
            ],
        }
    )


def _event(e: Event) -> dict[str, Any]:
    return _compact(
        {
            "slug": e.slug,
            "kind": e.kind,
            "name": e.name,
            "date": e.date,
            "status": e.status,
            "reason": e.reason,
            "hosts": [m.code for m in e.hosts.all().order_by("order")],
            "partners": e.partner_list,
            "theme": e.theme,
            "participants": e.participants,
            "cost_cap_per_participant": e.cost_cap_per_participant,
            "fund": e.fund.slug if e.fund else None,
        }
    )


LINE_FIELDS = (
    "fund__slug",
    "category__slug",
    "kind",
    "amount",
    "date",
    "text",
    "member__code",
    "project__slug",
    "grant__slug",
    "transfer",
    "footnote",
)


def _line(row: tuple[Any, ...], year_end: datetime.date) -> dict[str, Any]:
    fund, category, kind, amount, day, text, member, project, grant, transfer, footnote = row
    return _compact(
        {
            "fund": fund,
            "category": category,
            "kind": kind,
            "amount": amount,
            "date": day if day != year_end else None,
            "text": text,
            "member": member,
            "project": project,
            "grant": grant,
            "transfer": transfer,
            "footnote": footnote,
        }
    )
