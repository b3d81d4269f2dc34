"""The writer's shared parts: anchors, helpers, labels, and what several chapters print (networks, meetings)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.lib.report_settings import Settings
from samverkan.members.models import YearStatus
from samverkan.plan.models import FollowUpStatus
from samverkan.reports import formatting as fmt
from samverkan.reports import report as r
from samverkan.reports.charts import BarChart
from samverkan.reports.document import (
    Block,
    Cell,
    Column,
    Facts,
    Figure,
    Paragraph,
    RichText,
    Row,
    Section,
    Table,
    TableBody,
)
from samverkan.reports.findings import Finding
from samverkan.reports.notes import note_text


def status_label(status: str) -> str:
    """The follow-up status as the models name it: one wording in the app, the admin and the report."""
    return _choice_label(FollowUpStatus, status)


def year_status_label(status: str) -> str:
    return _choice_label(YearStatus, status)


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    # A value the choices no longer know (an old file) prints as stored rather than failing the report.
    return str(choices(value).label) if value in choices.values else value


class Anchors:
    """Unique, stable ids for headings, tables and charts."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def make(self, *parts: str) -> str:
        base = slugify("-".join(p for p in parts if p)) or "avsnitt"
        anchor, n = base, 2
        while anchor in self._seen:
            anchor, n = f"{base}-{n}", n + 1
        self._seen.add(anchor)
        return anchor


class WriterBase:
    """State and helpers of the document writer; the chapters are mixins on top of it."""

    def __init__(self, report: r.AnnualReport) -> None:
        self.report = report
        self.lang = report.lang
        self.year = report.year
        self.anchors = Anchors()
        self.chapter_number = 0
        # The cooperation's own wording is Swedish; another language keeps the catalogue's.
        self.settings = Settings(report.settings, words=report.lang == "sv")
        self.placed_remarks: set[int] = set()

    # --- helpers ---------------------------------------------------------------------------

    def kr(self, value: Decimal) -> str:
        return fmt.kronor(value, self.lang)

    def amount(self, value: Decimal) -> str:
        return fmt.amount(value, self.lang)

    def chapter(
        self, title: str, blocks: list[Block], children: list[Section] | None = None
    ) -> Section:
        self.chapter_number += 1
        return Section(
            level=1,
            number=f"{self.chapter_number}.",
            title=title,
            anchor=self.anchors.make("kap", str(self.chapter_number)),
            blocks=tuple(blocks),
            children=tuple(children or ()),
        )

    def section(
        self,
        level: int,
        title: str,
        blocks: list[Block],
        children: list[Section] | None = None,
        number: str = "",
    ) -> Section:
        anchor = (
            self.anchors.make("kap", number.replace(".", "-"))
            if number
            else self.anchors.make(title)
        )
        return Section(
            level=level,
            number=number,
            title=title,
            anchor=anchor,
            blocks=tuple(blocks),
            children=tuple(children or ()),
        )

    def label(self, key: str, default: str, *contexts: str, **values: object) -> str:
        return self.settings.label(key, default, *contexts, **values)

    def block(self, name: str) -> bool:
        return self.settings.block(name)

    def notes(self, findings: tuple[Finding, ...] | list[Finding]) -> list[Block]:
        """Notes on printed figures (one paragraph each), placed beside their table or text."""
        return [Paragraph(note_text(f, self.lang), style="note") for f in findings]

    def take_remarks(self, wanted: Callable[[Finding], bool]) -> list[Finding]:
        """Findings no paragraph holds yet that belong here; the rest end the accounts chapter."""
        taken = []
        for index, finding in enumerate(self.report.accounts.remarks):
            if index not in self.placed_remarks and wanted(finding):
                self.placed_remarks.add(index)
                taken.append(finding)
        return taken

    @staticmethod
    def texts(texts: tuple[r.Text, ...]) -> list[Block]:
        return [RichText(t.body) for t in texts if t.body.strip()]

    def figure(self, chart: BarChart) -> Figure:
        bodies = tuple(
            TableBody(tuple(Row((Cell(b.label), Cell(b.display))) for b in g.bars), title=g.label)
            for g in chart.groups
        )
        table = Table(
            id=self.anchors.make(chart.id, "data"),
            caption=chart.title,
            columns=(Column(chart.label_heading), Column(chart.value_heading, numeric=True)),
            bodies=bodies,
        )
        return Figure(chart=chart, table=table)

    def meetings_sentence(self, tally: r.MeetingTally) -> str:
        """ "7 möten: 6 digitala och 1 fysiskt (5 ordinarie, 1 extra och 1 planeringskonferens)"."""
        if tally.total == 0:
            text = _("Inga möten registrerade")
        else:
            forms = [
                ngettext("%(n)s digitalt", "%(n)s digitala", tally.digital) % {"n": tally.digital}
                if tally.digital
                else "",
                ngettext("%(n)s fysiskt", "%(n)s fysiska", tally.physical) % {"n": tally.physical}
                if tally.physical
                else "",
                ngettext("%(n)s hybridmöte", "%(n)s hybridmöten", tally.hybrid)
                % {"n": tally.hybrid}
                if tally.hybrid
                else "",
            ]
            kinds = [
                _("%(n)s ordinarie") % {"n": tally.ordinary} if tally.ordinary else "",
                _("%(n)s extra") % {"n": tally.extra} if tally.extra else "",
                ngettext(
                    "%(n)s planeringskonferens",
                    "%(n)s planeringskonferenser",
                    tally.planning_conference,
                )
                % {"n": tally.planning_conference}
                if tally.planning_conference
                else "",
            ]
            text = ngettext("%(n)s möte", "%(n)s möten", tally.total) % {"n": tally.total}
            text += f": {fmt.join(forms)} ({fmt.join(kinds)})"
        if tally.cancelled:
            text += "; " + ngettext("%(n)s inställt", "%(n)s inställda", tally.cancelled) % {
                "n": tally.cancelled
            }
        return text

    def network(self, network: r.Network, level: int) -> Section:
        meetings = self.meetings_sentence(network.meetings)
        if network.meetings_text and not (network.meetings.total or network.meetings.cancelled):
            meetings = network.meetings_text
        facts: list[tuple[str, str | tuple[str, ...]]] = [
            (
                self.label(
                    "network_meetings", _("Möten %(year)s") % {"year": self.year}, year=self.year
                ),
                meetings,
            ),
        ]
        if network.all_members:
            facts.append((_("Deltar"), _("alla medlemskommuner")))
        else:
            facts.append((_("Deltar"), fmt.join(network.participants)))
        if network.absent:
            absent = fmt.join(network.absent)
            if network.participation_note:
                absent += f" ({network.participation_note})"
            facts.append((_("Deltar inte"), absent))
        blocks: list[Block] = [Facts(tuple(facts))] if self.block("network_facts") else []
        if network.summary.strip():
            blocks.append(RichText(network.summary))
        title = network.name
        if network.short_name and network.short_name not in network.name:
            title = f"{network.name} ({network.short_name})"
        title = self.label(
            "network_heading",
            title,
            network.slug,
            name=network.name,
            short_name=network.short_name,
        )
        return self.section(level, title, blocks)
