"""The activity plan (verksamhetsplan) as a document: plan, handlingsplan and budget.

Written from the same AnnualReport as the annual report (its goals, focus
areas and activities, and its budget) by the same writer helpers, so the
four renderers print it without knowing it is a plan.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from samverkan.reports import formatting as fmt
from samverkan.reports import report as r
from samverkan.reports.document import (
    Block,
    Cell,
    Column,
    Facts,
    Paragraph,
    Row,
    Section,
    Table,
    TableBody,
)
from samverkan.reports.outline.base import WriterBase


class PlanDocumentChapters(WriterBase):
    def action_plan(self) -> Section:
        """Handlingsplan: per focus area its goals and the activities planned."""
        areas = [area for chapter in self.report.follow_up for area in chapter.focus_areas]
        if not areas:
            return self.chapter(
                _("Handlingsplan %(year)s") % {"year": self.year},
                [Paragraph(_("Inga fokusområden är registrerade för året."))],
            )
        number = self.chapter_number + 1
        children = [self.planned_area(area, f"{number}.{i}") for i, area in enumerate(areas, 1)]
        return self.chapter(_("Handlingsplan %(year)s") % {"year": self.year}, [], children)

    def planned_area(self, area: r.FocusArea, number: str) -> Section:
        facts: list[tuple[str, str | tuple[str, ...]]] = []
        if area.main_goal:
            facts.append((_("Huvudmål"), area.main_goal))
        if area.sub_goals:
            facts.append((_("Delmål"), area.sub_goals))
        if area.responsible:
            facts.append((_("Ansvariga"), area.responsible))
        blocks: list[Block] = [Facts(tuple(facts))] if facts else []
        if area.activities:
            rows = tuple(
                Row(
                    (
                        Cell(a.title),
                        Cell(a.description),
                        Cell(fmt.join(a.own_networks) if a.own_networks else ""),
                        Cell(self.period(a)),
                    )
                )
                for a in area.activities
            )
            blocks.append(
                Table(
                    id=self.anchors.make("tabell-aktiviteter", area.slug),
                    caption=_("Aktiviteter – %(area)s") % {"area": area.title},
                    columns=(
                        Column(_("Aktivitet")),
                        Column(_("Beskrivning")),
                        Column(_("Ansvariga nätverk")),
                        Column(_("Tid")),
                    ),
                    bodies=(TableBody(rows),),
                )
            )
        else:
            blocks.append(Paragraph(_("Inga aktiviteter är planerade."), style="note"))
        return self.section(2, area.title, blocks, number=number)

    def period(self, activity: r.Activity) -> str:
        start = fmt.date(activity.start, self.lang) if activity.start else ""
        end = fmt.date(activity.end, self.lang) if activity.end else ""
        if start and end:
            return f"{start} – {end}"
        if start:
            return _("från %(date)s") % {"date": start}
        if end:
            return _("till %(date)s") % {"date": end}
        return _("hela året")

    def budget_tables(self, *, with_outcome: bool) -> list[Block]:
        """A table per fund: the budget per category, and with_outcome the outcome and deviation."""
        blocks: list[Block] = []
        for fund in self.report.budget:
            columns = [Column(_("Kostnadsslag")), Column(_("Budget"), numeric=True)]
            if with_outcome:
                columns += [Column(_("Utfall"), numeric=True), Column(_("Avvikelse"), numeric=True)]
            rows = []
            for kind, heading in (("income", _("Intäkter")), ("cost", _("Kostnader"))):
                # The plan prints what is budgeted; the annual report also what was booked unbudgeted.
                lines = [x for x in fund.lines if x.kind == kind and (with_outcome or x.budget)]
                if not lines:
                    continue
                for line in lines:
                    cells = [Cell(line.category), Cell(self.amount(line.budget))]
                    if with_outcome:
                        cells += [
                            Cell(self.amount(line.outcome)),
                            Cell(self.amount(line.deviation)),
                        ]
                    rows.append(Row(tuple(cells)))
                total_budget = sum((x.budget for x in lines), Decimal(0))
                cells = [
                    Cell(_("Summa %(kind)s") % {"kind": heading.lower()}),
                    Cell(self.amount(total_budget)),
                ]
                if with_outcome:
                    total_outcome = sum((x.outcome for x in lines), Decimal(0))
                    cells += [
                        Cell(self.amount(total_outcome)),
                        Cell(self.amount(total_outcome - total_budget)),
                    ]
                rows.append(Row(tuple(cells)))
            blocks.append(
                Table(
                    id=self.anchors.make("tabell-budget", fund.slug),
                    caption=(
                        _("Budget och utfall %(year)s – %(fund)s")
                        if with_outcome
                        else _("Budget %(year)s – %(fund)s")
                    )
                    % {"year": self.year, "fund": fund.label},
                    columns=tuple(columns),
                    bodies=(TableBody(tuple(rows)),),
                )
            )
        return blocks

    def budget(self) -> Section:
        blocks = self.budget_tables(with_outcome=False)
        if not blocks:
            blocks = [Paragraph(_("Ingen budget är inlagd för året."))]
        return self.chapter(_("Budget %(year)s") % {"year": self.year}, blocks)

    def budget_outcome(self) -> Section:
        """For the annual report's accounts: budget against outcome per fund and category."""
        return self.section(
            2,
            _("Budget och utfall"),
            [
                Paragraph(
                    _(
                        "Avvikelse är utfall minus budget: för en kostnad betyder ett positivt tal att "
                        "budgeten har överskridits."
                    )
                ),
                *self.budget_tables(with_outcome=True),
            ],
        )
