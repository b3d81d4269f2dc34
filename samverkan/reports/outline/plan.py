"""Chapters 1 to 3: introduction, goals and focus areas, follow-up of the focus areas."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from samverkan.reports import formatting as fmt
from samverkan.reports import report as r
from samverkan.reports.charts import Bar, BarChart, BarGroup
from samverkan.reports.document import (
    Block,
    Cell,
    Column,
    Facts,
    Paragraph,
    RichText,
    Row,
    Section,
    Table,
    TableBody,
)
from samverkan.reports.outline.base import WriterBase, status_label


class PlanChapters(WriterBase):
    # --- 1. introduction --------------------------------------------------------------------

    def introduction(self) -> Section:
        intro = self.report.introduction
        blocks: list[Block] = self.texts(intro.texts)
        facts: list[tuple[str, str | tuple[str, ...]]] = []
        if intro.programme:
            facts.append((_("Utvecklingsprogram"), self.programme(intro.programme)))
        if intro.population:
            facts.append((_("Invånare"), self.population(intro.population)))
        if facts and self.block("introduction_facts"):
            blocks.append(Facts(tuple(facts)))
        blocks.extend(self.notes(self.take_remarks(lambda f: f.key == "population_total")))
        if intro.population_series and self.block("population_table"):
            chart = BarChart(
                id="diagram-befolkning",
                title=_("Invånare i medlemskommunerna"),
                description=_(
                    "Summan av medlemskommunernas invånarantal per datum, %(first)s till %(last)s."
                )
                % {
                    "first": fmt.date(intro.population_series[0].date, self.lang),
                    "last": fmt.date(intro.population_series[-1].date, self.lang),
                },
                label_heading=_("Datum"),
                value_heading=_("Invånare"),
                groups=(
                    BarGroup(
                        label="",
                        bars=tuple(
                            Bar(
                                label=fmt.date(p.date, self.lang),
                                value=Decimal(p.population),
                                display=fmt.integer(p.population, self.lang),
                            )
                            for p in intro.population_series
                        ),
                    ),
                ),
            )
            blocks.append(self.figure(chart))
        return self.chapter(
            self.label("chapter.introduction", _("Inledning"), year=self.year), blocks
        )

    def programme(self, p: r.Programme) -> str:
        text = p.name
        details = []
        if p.adopted:
            details.append(_("antaget %(when)s") % {"when": self.partial_date(p.adopted)})
        if p.valid_from and p.valid_until:
            details.append(
                _("gäller %(start)s–%(end)s") % {"start": p.valid_from, "end": p.valid_until}
            )
        elif p.valid_from:
            details.append(_("gäller från %(start)s") % {"start": p.valid_from})
        return f"{text} ({', '.join(details)})" if details else text

    def partial_date(self, value: str) -> str:
        """ "2019-05" -> "maj 2019"; "2019-05-14" -> "14 maj 2019"; anything else as written."""
        match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
        if not match:
            return value
        year, month, day = match.groups()
        month_text = fmt.month(int(month), self.lang)
        return f"{int(day)} {month_text} {year}" if day else f"{month_text} {year}"

    def population(self, p: r.Population) -> str:
        number = fmt.integer(p.population, self.lang)
        when = fmt.date(p.date, self.lang) if p.date else ""
        if p.derived:
            return _(
                "%(number)s den %(date)s (summan av medlemskommunernas invånarantal enligt SCB)"
            ) % {"number": number, "date": when}
        source = _("uppgift i årsredovisningen")
        if p.note:
            source = f"{source}: {p.note}"
        if when:
            return _("%(number)s den %(date)s (%(source)s)") % {
                "number": number,
                "date": when,
                "source": source,
            }
        return f"{number} ({source})"

    # --- 2. goals and focus areas -------------------------------------------------------------

    def goals(self) -> Section:
        goals = self.report.goals
        blocks: list[Block] = self.texts(goals.texts)
        if goals.overall_goal:
            blocks.append(Facts(((_("Övergripande mål"), goals.overall_goal),)))
        if goals.groups:
            steering = any(g.steering_document for g in goals.groups)
            areas = self.block("area_group_focus_areas")
            columns = [Column(self.label("area_group_name", _("Område"))), Column(_("Syfte"))]
            if areas:
                columns.append(Column(_("Fokusområden")))
            if steering:
                columns.append(Column(_("Styrdokument")))
            rows = []
            for g in goals.groups:
                cells = [Cell(g.name), Cell(g.purpose)]
                if areas:
                    cells.append(Cell(self.focus_area_list(g.focus_areas)))
                if steering:
                    cells.append(Cell(g.steering_document))
                rows.append(Row(tuple(cells)))
            blocks.append(
                Table(
                    id=self.anchors.make("tabell-omraden"),
                    caption=_("Samverkansområden och fokusområden %(year)s") % {"year": self.year},
                    columns=tuple(columns),
                    bodies=(TableBody(tuple(rows)),),
                )
            )
        return self.chapter(
            self.label(
                "chapter.goals",
                _("Övergripande mål och fokusområden %(year)s") % {"year": self.year},
                year=self.year,
            ),
            blocks,
        )

    def focus_area_list(self, titles: tuple[str, ...]) -> str:
        """ "Infrastruktur, Utbildning, Näringsliv", or as a sentence: "Infrastruktur, utbildning och näringsliv"."""
        if self.settings.option("focus_area_list") != "sentence" or not titles:
            return ", ".join(titles)
        first, *rest = titles
        return fmt.join([first, *(t[:1].lower() + t[1:] for t in rest)])

    # --- 3. follow-up -----------------------------------------------------------------------

    def follow_up(self) -> Iterator[Section]:
        chapters = self.report.follow_up
        if not chapters:
            yield self.chapter(
                self.label(
                    "chapter.follow_up", _("Uppföljning av fokusområdena"), year=self.year, group=""
                ),
                [
                    *self.texts(self.report.follow_up_texts),
                    Paragraph(_("Inga fokusområden är registrerade för året.")),
                ],
            )
            return
        for index, chapter in enumerate(chapters):
            number = self.chapter_number + 1
            children = [
                self.focus_area(area, f"{number}.{i}")
                for i, area in enumerate(chapter.focus_areas, 1)
            ]
            title = self.label(
                "chapter.follow_up",
                _("Uppföljning – %(group)s") % {"group": chapter.group}
                if chapter.group
                else _("Uppföljning av fokusområdena"),
                chapter.group_slug,
                year=self.year,
                group=chapter.group,
            )
            blocks = self.texts(self.report.follow_up_texts) if index == 0 else []
            yield self.chapter(title, blocks, children)

    def focus_area(self, area: r.FocusArea, number: str) -> Section:
        blocks: list[Block] = []
        facts: list[tuple[str, str | tuple[str, ...]]] = []
        places = (area.slug, area.group_slug)
        if area.main_goal:
            facts.append((self.label("main_goal", _("Huvudmål"), *places), area.main_goal))
        if area.sub_goals:
            facts.append((self.label("sub_goals", _("Delmål"), *places), area.sub_goals))
        if area.responsible:
            facts.append((self.label("responsible", _("Ansvariga"), *places), area.responsible))
        if facts:
            blocks.append(Facts(tuple(facts)))
        blocks.extend(self.texts(area.texts))
        children = []
        if area.activities:
            children.append(
                self.section(
                    3,
                    self.label(
                        "activities_heading",
                        _("Uppföljning av aktiviteter i verksamhetsplanen"),
                        *places,
                        area=area.title,
                        year=self.year,
                    ),
                    [],
                    [self.activity(a) for a in area.activities],
                )
            )
        children.extend(self.network(n, 3) for n in area.networks)
        return self.section(2, area.title, blocks, children, number=number)

    def activity(self, activity: r.Activity) -> Section:
        facts: list[tuple[str, str | tuple[str, ...]]] = []
        status_shown = self.block("activity_status")
        if activity.status and status_shown:
            status = status_label(activity.status)
            if activity.continues:
                status += " · " + _("fortsätter %(year)s") % {"year": self.year + 1}
            facts.append((_("Status"), status))
        if activity.status_reason and status_shown:
            facts.append((_("Skäl"), activity.status_reason))
        if activity.own_networks and status_shown:
            facts.append((_("Ansvariga nätverk"), fmt.join(activity.own_networks)))
        if activity.description:
            facts.append((_("Planerat"), activity.description))
        blocks: list[Block] = [Facts(tuple(facts))] if facts else []
        if activity.follow_up.strip():
            blocks.append(RichText(activity.follow_up))
        elif activity.status and status_shown:
            blocks.append(Paragraph(_("Ingen uppföljning är skriven."), style="note"))
        return self.section(4, activity.title, blocks)
