"""The accounts chapter: fee rule, summary, detail per fund (co-financing per member included), fees per member, receivables, notes."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from samverkan.reports import formatting as fmt
from samverkan.reports import report as r
from samverkan.reports.charts import Bar, BarChart, BarGroup
from samverkan.reports.document import (
    Block,
    BulletList,
    Cell,
    Column,
    Notes,
    Paragraph,
    Row,
    Section,
    Table,
    TableBody,
)
from samverkan.reports.notes import note_text
from samverkan.reports.outline.base import WriterBase


class AccountChapters(WriterBase):
    # --- accounts ---------------------------------------------------------------------------

    def accounts(self) -> Section:
        acc = self.report.accounts
        blocks: list[Block] = []
        fees = acc.fees
        # A cooperation whose own text states the fee turns the generated sentence off.
        fee_rule = self.block("fee_rule")
        if fee_rule and fees.rate is not None and fees.basis_date is not None:
            basis = {"previous_year_end": _("invånare den 31 december föregående år")}.get(
                fees.basis, fees.basis
            )
            blocks.append(
                Paragraph(
                    _(
                        "Medlemskommunernas avgift är %(rate)s per invånare och år. Avgiften för %(year)s baseras på "
                        "invånarantalet den %(date)s (avgiftsregeln: %(basis)s)."
                    )
                    % {
                        "rate": self.kr(fees.rate),
                        "year": self.year,
                        "date": fmt.date(fees.basis_date, self.lang),
                        "basis": basis,
                    },
                    style="lead",
                )
            )
        elif fee_rule:
            blocks.append(Paragraph(_("Ingen avgiftsregel gäller för året.")))
        blocks.extend(self.texts(acc.texts))
        # A member's co-financing of an event is a row of the event fund's detail table, as the
        # published reports print it; a table of its own would repeat every figure.
        children = [self.summary(acc), self.details(acc)]
        if self.report.budget:
            children.append(self.budget_outcome())  # type: ignore[attr-defined]
        if fees.charges:
            children.append(self.fees(fees))
        if acc.receivables and self.block("receivables"):
            table = Table(
                id=self.anchors.make("tabell-fordringar"),
                caption=_("Obetalda bidrag vid årets slut"),
                columns=(
                    Column(_("Bidragsgivare")),
                    Column(pgettext("table column", "Projekt")),
                    Column(_("Fordran"), numeric=True),
                ),
                bodies=(
                    TableBody(
                        tuple(
                            Row((Cell(x.grantor), Cell(x.project), Cell(self.amount(x.amount))))
                            for x in acc.receivables
                        )
                    ),
                ),
                foot=(
                    Row(
                        (
                            Cell(_("Summa")),
                            Cell(""),
                            Cell(self.amount(sum((x.amount for x in acc.receivables), Decimal(0)))),
                        )
                    ),
                ),
            )
            children.append(
                self.section(
                    2,
                    _("Bidragsfordringar"),
                    [
                        Paragraph(
                            _(
                                "Bidrag som betalas i efterskott och som bokförts som intäkt men ännu inte betalats "
                                "ut."
                            )
                        ),
                        table,
                    ],
                )
            )
        if acc.footnotes:
            children.append(
                self.section(
                    2,
                    _("Noter"),
                    [Notes(title=_("Noter"), items=tuple((f.key, f.text) for f in acc.footnotes))],
                )
            )
        remarks = self.take_remarks(lambda f: True)
        if remarks:
            children.append(
                self.section(
                    2,
                    _("Anmärkningar"),
                    [
                        Paragraph(_("Uppgifter i årets underlag som inte stämmer med varandra.")),
                        BulletList(tuple(note_text(f, self.lang) for f in remarks)),
                    ],
                )
            )
        return self.chapter(
            self.label(
                "chapter.accounts", _("Bokslut %(year)s") % {"year": self.year}, year=self.year
            ),
            blocks,
            children,
        )

    def summary(self, acc: r.Accounts) -> Section:
        total = acc.total
        if not total.printed and any(row.printed for row in acc.summary):
            # Rows printed as adopted and no printed sum: the sum row adds up what it stands under.
            total = replace(
                total,
                printed=tuple(
                    (name, sum((row.shown(name) for row in acc.summary), Decimal(0)))
                    for name in ("opening", "income", "costs", "closing")
                ),
            )
        rows = [*acc.summary, total]
        # A first year (every opening balance zero) needs no column of opening balances.
        show_opening = any(row.shown("opening") for row in rows)
        show_transfers = any(row.transfers for row in rows)
        on_row = self.settings.option("fund_footnotes") == "summary"

        def money(value: Decimal, always: bool = False) -> Cell:
            # A movement of nothing is left blank, as printed tables do; a balance is always shown.
            return Cell(self.amount(value) if value or always else "")

        def cells(row: r.FundRow, label: str) -> Row:
            items = [Cell(label, row.footnote if on_row else "")]
            if show_opening:
                items.append(money(row.shown("opening")))
            items += [money(row.shown("income")), money(row.shown("costs"))]
            if show_transfers:
                items += [
                    money(row.result, always=True),
                    money(row.transfers),
                    money(row.result + row.transfers, always=True),
                ]
            items.append(money(row.shown("closing"), always=True))
            return Row(tuple(items))

        columns = [Column(_("Fond"))]
        if show_opening:
            columns.append(
                Column(
                    self.label(
                        "summary_opening",
                        _("Ingående balans %(year)s") % {"year": self.year},
                        year=self.year,
                    ),
                    True,
                )
            )
        columns += [Column(_("Intäkter"), True), Column(_("Kostnader"), True)]
        if show_transfers:
            columns += [
                Column(_("Resultat före överföringar"), True),
                Column(_("Överföringar mellan fonder"), True),
                Column(_("Förändring av balansen"), True),
            ]
        columns.append(
            Column(
                self.label(
                    "summary_closing",
                    _("Utgående balans %(year)s") % {"year": self.year},
                    year=self.year,
                    next_year=self.year + 1,
                ),
                True,
            )
        )
        table = Table(
            id=self.anchors.make("tabell-sammanstallning"),
            caption=_("Sammanställning %(year)s") % {"year": self.year},
            columns=tuple(columns),
            bodies=(TableBody(tuple(cells(row, row.label) for row in acc.summary)),),
            foot=(cells(total, _("Summa")),),
        )
        blocks: list[Block] = [table, *self.notes(acc.summary_findings)]
        history = [h for h in acc.history if h.closing]
        if history and self.block("charts"):
            chart = BarChart(
                id="diagram-balanser",
                title=_("Utgående balans per fond och år"),
                description=_(
                    "Varje fonds utgående balans vid årets slut, för de år som finns i systemet "
                    "(%(years)s). Fonder med balansen noll visas inte."
                )
                % {
                    "years": f"{history[0].year}–{history[-1].year}"
                    if len(history) > 1
                    else history[0].year
                },
                label_heading=_("Fond"),
                value_heading=_("Utgående balans"),
                groups=tuple(
                    BarGroup(
                        label=str(h.year),
                        bars=tuple(
                            Bar(label=label, value=value, display=self.kr(value))
                            for label, value in h.closing
                        ),
                    )
                    for h in history
                ),
            )
            blocks.append(self.figure(chart))
        return self.section(2, _("Sammanställning"), blocks)

    def details(self, acc: r.Accounts) -> Section:
        blocks: list[Block] = []
        for detail in acc.details:
            blocks.append(self.detail_table(detail))
            if detail.breakdown:
                blocks.append(self.breakdown_table(detail))
            blocks.extend(self.notes(detail.findings))
            if detail.label == acc.operating_label and acc.operating_costs and self.block("charts"):
                chart = BarChart(
                    id="diagram-kostnader",
                    title=_("Kostnader per kostnadsslag – %(fund)s")
                    % {"fund": acc.operating_label},
                    description=_(
                        "Driftens kostnader %(year)s summerade per kostnadsslag; summa %(total)s."
                    )
                    % {
                        "year": self.year,
                        "total": self.kr(sum((v for _, v in acc.operating_costs), Decimal(0))),
                    },
                    label_heading=_("Kostnadsslag"),
                    value_heading=_("Kostnad"),
                    groups=(
                        BarGroup(
                            label="",
                            bars=tuple(
                                Bar(label=label, value=value, display=self.kr(value))
                                for label, value in acc.operating_costs
                            ),
                        ),
                    ),
                )
                blocks.append(self.figure(chart))
        if not blocks:
            blocks.append(Paragraph(_("Inga bokförda intäkter eller kostnader under året.")))
        return self.section(2, _("Intäkter och kostnader per fond"), blocks)

    def detail_rows(self, rows: tuple[r.DetailRow, ...]) -> tuple[Row, ...]:
        return tuple(
            Row(
                (
                    Cell(row.label, row.footnote),
                    Cell(self.amount(row.amount) if row.kind == "income" else ""),
                    Cell(self.amount(row.amount) if row.kind == "cost" else ""),
                    Cell(""),
                )
            )
            for row in rows
        )

    def detail_table(self, detail: r.FundDetail) -> Table:
        bodies = [TableBody(self.detail_rows(detail.rows))] if detail.rows else []
        bodies += [
            TableBody(self.detail_rows(p.rows), title=p.name, footnote=p.footnote)
            for p in detail.projects
        ]
        foot = [
            Row(
                (
                    Cell(_("Summa")),
                    Cell(self.amount(detail.shown("income"))),
                    Cell(self.amount(detail.shown("costs"))),
                    Cell(self.amount(detail.printed_result())),
                )
            )
        ]
        if detail.transfers:
            bodies.append(
                TableBody(self.detail_rows(detail.transfers), title=_("Överföringar mellan fonder"))
            )
            foot += [
                Row(
                    (
                        Cell(_("Överföringar mellan fonder")),
                        Cell(""),
                        Cell(""),
                        Cell(self.amount(detail.net_transfers)),
                    )
                ),
                Row(
                    (
                        Cell(_("Förändring av balansen")),
                        Cell(""),
                        Cell(""),
                        Cell(self.amount(detail.result + detail.net_transfers)),
                    )
                ),
            ]
        return Table(
            id=self.anchors.make("tabell-fond", detail.slug),
            caption=detail.label,
            footnote=detail.footnote if self.settings.option("fund_footnotes") == "detail" else "",
            columns=(
                Column(_("Post")),
                Column(_("Intäkter"), True),
                Column(_("Kostnader"), True),
                Column(_("Resultat"), True),
            ),
            bodies=tuple(bodies),
            foot=tuple(foot),
        )

    def breakdown_table(self, detail: r.FundDetail) -> Table:
        """The fund's project lines one by one, each with its own text, and their sum."""
        total = sum((row.amount for row in detail.breakdown if row.kind == "cost"), Decimal(0))
        return Table(
            id=self.anchors.make("tabell-projektrader", detail.slug),
            caption=self.label("project_lines_heading", pgettext("table column", "Projekt")),
            columns=(Column(pgettext("table column", "Projekt")), Column(_("Kostnader"), True)),
            bodies=(
                TableBody(
                    tuple(
                        Row((Cell(row.label, row.footnote), Cell(self.amount(row.amount))))
                        for row in detail.breakdown
                        if row.kind == "cost"
                    )
                ),
            ),
            foot=(Row((Cell(_("Summa")), Cell(self.amount(total)))),),
        )

    def fees(self, fees: r.Fees) -> Section:
        assert fees.basis_date is not None
        day = fmt.date(fees.basis_date, self.lang)
        table = Table(
            id=self.anchors.make("tabell-avgifter"),
            caption=_("Avgift per medlemskommun %(year)s") % {"year": self.year},
            columns=(
                Column(_("Kommun")),
                Column(_("Invånare %(date)s") % {"date": day}, True),
                Column(_("Avgift"), True),
            ),
            bodies=(
                TableBody(
                    tuple(
                        Row(
                            (
                                Cell(c.member),
                                Cell(
                                    fmt.integer(c.population, self.lang)
                                    if c.population is not None
                                    else _("saknas")
                                ),
                                Cell(
                                    self.amount(c.amount) if c.amount is not None else _("saknas")
                                ),
                            )
                        )
                        for c in fees.charges
                    )
                ),
            ),
            foot=(
                Row(
                    (
                        Cell(_("Summa")),
                        Cell(fmt.integer(fees.population, self.lang)),
                        Cell(self.amount(fees.total)),
                    )
                ),
            ),
        )
        blocks: list[Block] = [table]
        charged = [c for c in fees.charges if c.amount is not None]
        if charged and self.block("charts"):
            chart = BarChart(
                id="diagram-avgifter",
                title=_("Avgift per medlemskommun %(year)s") % {"year": self.year},
                description=_("%(rate)s per invånare den %(date)s; summa %(total)s.")
                % {
                    "rate": self.kr(fees.rate or Decimal(0)),
                    "date": day,
                    "total": self.kr(fees.total),
                },
                label_heading=_("Kommun"),
                value_heading=_("Avgift"),
                groups=(
                    BarGroup(
                        label="",
                        bars=tuple(
                            Bar(
                                label=c.member,
                                value=c.amount or Decimal(0),
                                display=self.kr(c.amount or Decimal(0)),
                            )
                            for c in charged
                        ),
                    ),
                ),
            )
            blocks.append(self.figure(chart))
        return self.section(2, _("Avgift per medlemskommun"), blocks)
