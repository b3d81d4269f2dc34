"""The registers' chapters: consultation responses, projects, meetings and events, texts no chapter claims."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from samverkan.reports import formatting as fmt
from samverkan.reports import report as r
from samverkan.reports.document import (
    Block,
    BulletList,
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
from samverkan.reports.outline.base import WriterBase


class RegisterChapters(WriterBase):
    # --- consultations ----------------------------------------------------------------------

    def consultations(self) -> Section:
        c = self.report.consultations
        blocks: list[Block] = self.texts(c.texts)
        if c.answered and self.settings.option("consultations") == "list":
            if self.settings.has_label("consultations_lead"):
                blocks.append(Paragraph(self.label("consultations_lead", "", year=self.year)))
            blocks.append(BulletList(tuple(self.consultation_item(item) for item in c.answered)))
        elif c.answered:
            blocks.append(
                self.consultation_table(
                    "tabell-remissvar",
                    _("Gemensamma remissvar %(year)s") % {"year": self.year},
                    c.answered,
                )
            )
        elif not c.texts:
            blocks.append(Paragraph(_("Inga gemensamma remissvar under året.")))
        if c.not_answered:
            blocks.append(
                self.consultation_table(
                    "tabell-ej-besvarade",
                    _("Remisser som diskuterades men inte besvarades gemensamt"),
                    c.not_answered,
                )
            )
        return self.chapter(
            self.label("chapter.consultations", _("Gemensamma remissvar"), year=self.year), blocks
        )

    def consultation_item(self, item: r.Consultation) -> str:
        """ "Regional godsstrategi – Landstinget (februari)", then the response's note."""
        month = fmt.month_or_date(item.received_on, item.month, self.lang)
        values = {"subject": item.subject, "authority": item.authority, "month": month}
        if month:
            default = _("%(subject)s – %(authority)s (%(month)s)") % values
        else:
            default = _("%(subject)s – %(authority)s") % values
        text = self.label("consultation_item", default, **values)
        if item.note:
            text = f"{text.rstrip('.')}. {item.note}"
        return text

    def consultation_table(
        self, id_: str, caption: str, items: tuple[r.Consultation, ...]
    ) -> Table:
        rows = []
        for item in items:
            sent = fmt.date(item.sent_on, self.lang) if item.sent_on else ""
            if item.recipient:
                sent = (
                    _("%(date)s till %(recipient)s") % {"date": sent, "recipient": item.recipient}
                    if sent
                    else _("till %(recipient)s") % {"recipient": item.recipient}
                )
            rows.append(
                Row(
                    (
                        Cell(item.subject),
                        Cell(item.authority),
                        Cell(fmt.month_or_date(item.received_on, item.month, self.lang)),
                        Cell(sent),
                        Cell(item.note),
                    )
                )
            )
        columns = (
            Column(_("Remiss")),
            Column(_("Remissinstans")),
            Column(_("Månad")),
            Column(_("Svar skickat")),
            Column(_("Anmärkning")),
        )
        # A column the year left empty throughout (no dates, no notes) is left out.
        keep = [0] + [i for i in range(1, len(columns)) if any(row.cells[i].text for row in rows)]
        return Table(
            id=self.anchors.make(id_),
            caption=caption,
            columns=tuple(columns[i] for i in keep),
            bodies=(TableBody(tuple(Row(tuple(row.cells[i] for i in keep)) for row in rows)),),
        )

    # --- projects ---------------------------------------------------------------------------

    def projects(self) -> Section:
        projects = self.report.projects
        blocks: list[Block] = self.texts(self.report.project_texts)
        number = self.chapter_number + 1
        children: list[Section] = []
        for p in projects:
            section = self.project(p, f"{number}.{len(children) + 1}")
            if section is not None:
                children.append(section)
        if not projects:
            blocks.append(Paragraph(_("Inga projekt under året.")))
        elif self.block("project_costs"):
            rows = []
            for p in projects:
                source = (
                    _("bokförd")
                    if p.cost_is_booked
                    else (_("angiven") if p.cost is not None else "")
                )
                rows.append(
                    Row(
                        (
                            Cell(p.name),
                            Cell(p.contractor),
                            Cell(self.amount(p.cost) if p.cost is not None else "–"),
                            Cell(source),
                        )
                    )
                )
            total = sum((p.cost for p in projects if p.cost is not None), Decimal(0))
            table = Table(
                id=self.anchors.make("tabell-projektkostnader"),
                caption=_("Projektens kostnader %(year)s") % {"year": self.year},
                columns=(
                    Column(pgettext("table column", "Projekt")),
                    Column(_("Utförare")),
                    Column(_("Kostnad"), numeric=True),
                    Column(_("Källa")),
                ),
                bodies=(TableBody(tuple(rows)),),
                foot=(Row((Cell(_("Summa")), Cell(""), Cell(self.amount(total)), Cell(""))),),
            )
            children.append(self.section(2, _("Projektens kostnader"), [table]))
        return self.chapter(
            self.label("chapter.projects", _("Projekt"), year=self.year), blocks, children
        )

    def financing(self, f: r.Financing) -> str:
        labels = {"operating_budget": _("driftbudget"), "grant": _("bidrag")}
        if f.source == "surplus":
            text = (
                _("överskott från %(year)s") % {"year": f.surplus_year}
                if f.surplus_year
                else _("överskott från tidigare år")
            )
        else:
            text = labels.get(f.source, f.source)
        return f"{text} ({self.kr(f.amount)})" if f.amount is not None else text

    def grant(self, g: r.Grant) -> str:
        parts = [g.grantor]
        if g.rate is not None:
            parts.append(_("%(rate)s av kostnaderna") % {"rate": fmt.percent(g.rate, self.lang)})
        if g.amount is not None:
            parts.append(_("beviljat %(amount)s") % {"amount": self.kr(g.amount)})
        parts.append(
            _("betalas i efterskott") if g.timing == "arrears" else _("betalas i förskott")
        )
        if g.expected_payment_year:
            parts.append(_("utbetalning väntas %(year)s") % {"year": g.expected_payment_year})
        if g.received:
            parts.append(
                _("bokfört som intäkt till och med %(year)s: %(amount)s")
                % {"year": self.year, "amount": self.kr(g.received)}
            )
        return ", ".join(parts)

    def project_years(self, p: r.Project) -> str:
        """A project over several years: "2020–2022", or "sedan 2020" while its end is open."""
        if p.end_year is None:
            return _("sedan %(year)s") % {"year": p.first_year}
        if p.end_year == p.first_year:
            return str(p.first_year)
        return f"{p.first_year}–{p.end_year}"

    def project(self, p: r.Project, number: str) -> Section | None:
        """The project's section; None when the settings leave it nothing to say."""
        facts: list[tuple[str, str | tuple[str, ...]]] = []
        if p.contractor:
            facts.append((_("Utförare"), p.contractor))
        if p.cost is not None:
            kind = _("bokförda kostnader") if p.cost_is_booked else _("angiven kostnad")
            facts.append((_("Kostnad"), f"{self.kr(p.cost)} ({kind})"))
        if p.start or p.end:
            facts.append((_("Period"), fmt.period(p.start, p.end, self.lang)))
        if p.first_year is not None:
            facts.append((_("Projektperiod"), self.project_years(p)))
            if p.total_so_far is not None and p.first_year < self.year:
                facts.append(
                    (
                        _("Kostnad hittills"),
                        _("%(amount)s (%(first)s–%(year)s)")
                        % {
                            "amount": self.kr(p.total_so_far),
                            "first": p.first_year,
                            "year": self.year,
                        },
                    )
                )
        if p.focus_area:
            facts.append((_("Fokusområde"), p.focus_area))
        if p.financing:
            facts.append((_("Finansiering"), tuple(self.financing(f) for f in p.financing)))
        if p.grants:
            # In context: the web catalogue's "Bidrag" is one grant ("Grant").
            facts.append(
                (pgettext("several grants", "Bidrag"), tuple(self.grant(g) for g in p.grants))
            )
        blocks: list[Block] = [Facts(tuple(facts))] if facts and self.block("project_facts") else []
        if p.description.strip():
            blocks.append(RichText(p.description))
        blocks.extend(self.texts(p.texts))
        if not blocks:
            return None
        blocks.extend(self.notes(p.findings))
        return self.section(2, p.name, blocks, number=number)

    # --- meetings, conferences and administration -------------------------------------------

    def administration(self) -> Section:
        a = self.report.administration
        blocks: list[Block] = self.texts(a.texts)
        tallies = [
            (b.name, b.meetings) for b in a.bodies if b.meetings.total or b.meetings.cancelled
        ]
        networks = [n for area in self._all_areas() for n in area.networks] + list(a.networks)
        tallies += [
            (n.name, n.meetings) for n in networks if n.meetings.total or n.meetings.cancelled
        ]
        if tallies and self.block("meetings_table"):
            blocks.append(self.meetings_table(tallies))
        children = [self.body(b, a.staff) for b in a.bodies]
        children = [c for c in children if c.blocks]
        if (
            a.staff
            and self.block("body_facts")
            and not any(b.kind == "secretariat" for b in a.bodies)
        ):
            children.append(self.section(2, _("Kansli"), [self.staff_facts(a.staff)]))
        if a.networks:
            children.append(
                self.section(2, _("Nätverk"), [], [self.network(n, 3) for n in a.networks])
            )
        children.extend(section for e in a.events if (section := self.event(e)).blocks)
        if a.closing_texts:
            children.append(self.section(2, _("Administration"), self.texts(a.closing_texts)))
        return self.chapter(
            self.label(
                "chapter.administration",
                _("Möten, konferenser och administration"),
                year=self.year,
            ),
            blocks,
            children,
        )

    def _all_areas(self) -> list[r.FocusArea]:
        return [area for chapter in self.report.follow_up for area in chapter.focus_areas]

    def meetings_table(self, tallies: list[tuple[str, r.MeetingTally]]) -> Table:
        rows = tuple(
            Row(
                tuple(
                    Cell(text)
                    for text in (
                        name,
                        *(
                            str(v)
                            for v in (
                                t.ordinary,
                                t.extra,
                                t.planning_conference,
                                t.digital,
                                t.physical,
                                t.hybrid,
                                t.total,
                                t.cancelled,
                            )
                        ),
                    )
                )
            )
            for name, t in tallies
        )
        columns = (
            Column(_("Organ eller nätverk")),
            Column(_("Ordinarie"), True),
            Column(_("Extra"), True),
            Column(_("Planeringskonferens"), True),
            Column(_("Digitalt"), True),
            Column(_("Fysiskt"), True),
            Column(_("Hybrid"), True),
            Column(_("Totalt"), True),
            Column(_("Inställda"), True),
        )
        return Table(
            id=self.anchors.make("tabell-moten"),
            caption=_("Antal möten %(year)s efter typ och form") % {"year": self.year},
            columns=columns,
            bodies=(TableBody(rows),),
        )

    def staff_facts(self, staff: tuple[r.Staff, ...]) -> Facts:
        items = []
        for s in staff:
            text = s.role
            when = fmt.period(s.start, s.end, self.lang)
            if when:
                text += f", {when}"
            if s.note:
                text += f". {s.note}"
            items.append((s.person, text))
        return Facts(tuple(items))

    def body(self, body: r.Body, staff: tuple[r.Staff, ...]) -> Section:
        blocks: list[Block] = self.texts(body.texts)
        facts: list[tuple[str, str | tuple[str, ...]]] = []
        for role, label in (("chair", _("Ordförande")), ("vice_chair", _("Vice ordförande"))):
            people = [
                f"{c.person} ({c.member})" if c.member else c.person
                for c in body.chairs
                if c.role == role
            ]
            if people:
                facts.append((label, fmt.join(people)))
        if body.meetings.total or body.meetings.cancelled:
            facts.append(
                (_("Möten %(year)s") % {"year": self.year}, self.meetings_sentence(body.meetings))
            )
        for m in body.cancelled:
            when = fmt.month_or_date(m.date, m.month, self.lang)
            reason = m.reason or _("skäl anges inte")
            facts.append(
                (_("Inställt möte"), f"{when} ({reason})" + (f". {m.note}" if m.note else ""))
            )
        if facts and self.block("body_facts"):
            blocks.append(Facts(tuple(facts)))
        if body.kind == "secretariat" and staff and self.block("body_facts"):
            blocks.append(self.staff_facts(staff))
        return self.section(
            2, self.label("body_heading", body.name, body.slug, name=body.name), blocks
        )

    def event(self, e: r.Event) -> Section:
        facts: list[tuple[str, str | tuple[str, ...]]] = []
        if e.date:
            facts.append((_("Datum"), fmt.date(e.date, self.lang)))
        if e.status == "held":
            facts.append((_("Status"), _("Genomfört")))
        else:
            label = _("Inställt") if e.status == "cancelled" else _("Hölls inte")
            facts.append((_("Status"), f"{label}: {e.reason}" if e.reason else label))
        if e.hosts:
            facts.append((_("Värdkommun"), fmt.join(e.hosts)))
        if e.partners:
            facts.append((_("I samarbete med"), fmt.join(e.partners)))
        if e.theme:
            facts.append((_("Tema"), e.theme))
        if e.participants is not None:
            facts.append((_("Antal deltagare"), fmt.integer(e.participants, self.lang)))
        if e.costs:
            facts.append((_("Kostnad"), self.kr(e.costs)))
        if e.cost_per_participant is not None:
            text = self.kr(e.cost_per_participant)
            if e.cost_cap_per_participant is not None:
                within = (
                    _("inom taket")
                    if e.cost_per_participant <= e.cost_cap_per_participant
                    else _("över taket")
                )
                text += " " + _("(tak %(cap)s per deltagare, %(within)s)") % {
                    "cap": self.kr(e.cost_cap_per_participant),
                    "within": within,
                }
            facts.append((_("Kostnad per deltagare"), text))
        blocks: list[Block] = self.texts(e.texts)
        if self.block("event_facts"):
            blocks.append(Facts(tuple(facts)))
        title = e.name
        if e.theme:
            title = _("%(name)s – tema %(theme)s") % {"name": e.name, "theme": e.theme}
        return self.section(2, title, blocks)

    # --- texts nobody else placed -------------------------------------------------------------

    def other(self) -> Section:
        children = [
            self.section(
                2, t.key.replace("_", " ").replace("-", " ").capitalize(), [RichText(t.body)]
            )
            for t in self.report.other_texts
        ]
        return self.chapter(self.label("chapter.other", _("Övrigt"), year=self.year), [], children)
