"""Write an AnnualReport as a Document in one language: chapters in the order of the published reports.

Every fixed string goes through gettext with the Swedish text as msgid; the
English catalogue is in reports/locale. Data (names, texts from the year
file) are printed as entered. Numbers and dates are formatted here, once,
for every renderer.

The chapters are written by mixins (plan, registers, accounts) over one
WriterBase that holds the report, the language and the numbering.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from samverkan.reports import formatting as fmt
from samverkan.reports import report as r
from samverkan.reports.document import CoverPage, Document
from samverkan.reports.outline.accounts import AccountChapters
from samverkan.reports.outline.base import status_label, year_status_label
from samverkan.reports.outline.plan import PlanChapters
from samverkan.reports.outline.plan_document import PlanDocumentChapters
from samverkan.reports.outline.registers import RegisterChapters

__all__ = ["build_document", "status_label", "year_status_label"]


def build_document(report: r.AnnualReport) -> Document:
    """The report as sections and blocks, in the report's language."""
    with override(report.lang):
        writer = _Writer(report)
        return writer.plan_document() if report.document == "plan" else writer.document()


class _Writer(PlanChapters, PlanDocumentChapters, RegisterChapters, AccountChapters):
    """The whole document: cover, contents, then the chapters in the order of the published reports."""

    def plan_document(self) -> Document:
        """The verksamhetsplan: introduction, goals and focus areas, the action plan, the budget."""
        report = self.report
        cover = report.cover
        title = _("Verksamhetsplan %(year)s") % {"year": self.year}
        sections = [self.introduction(), self.goals(), self.action_plan(), self.budget()]
        members = ", ".join(cover.members)
        adopted = (
            _("Antagen %(date)s") % {"date": fmt.date(report.plan_adopted_on, self.lang)}
            if report.plan_adopted_on
            else _("Förslag, ännu inte antagen")
        )
        return Document(
            lang=self.lang,
            title=f"{cover.cooperation_name} – {title}",
            description=_("Verksamhetsplan och budget %(year)s för %(name)s.")
            % {"year": self.year, "name": cover.cooperation_name},
            cover=CoverPage(
                cooperation=cover.cooperation_name,
                title=title,
                banner=self.banner(cover.members),
                members_label=_("Medlemskommuner: %(members)s") % {"members": members},
                decided=adopted,
                officer_heading=_("Handläggare/referens"),
                officer_name=cover.officer_name,
                officer_email=cover.officer_email,
            ),
            toc_title=_("Innehållsförteckning"),
            sections=tuple(sections),
            footer=f"{cover.cooperation_name} · {title}",
            labels={
                "skip": _("Hoppa till innehållet"),
                "page": _("Sida"),
                "toc_hint": _("Högerklicka och välj Uppdatera fält för att visa sidnumren."),
                "attachment": _("Årets data (årsfil) i YAML"),
            },
        )

    def document(self) -> Document:
        report = self.report
        cover = report.cover
        title = _("Årsredovisning och bokslut %(year)s") % {"year": self.year}
        # The chapters in the cooperation's order (samverkan.lib.report_settings.CHAPTERS);
        # numbers follow that order.
        writers = {
            "introduction": lambda: [self.introduction()],
            "goals": lambda: [self.goals()],
            "follow_up": lambda: list(self.follow_up()),
            "consultations": lambda: [self.consultations()],
            "projects": lambda: [self.projects()],
            "administration": lambda: [self.administration()],
            "other": lambda: [self.other()] if report.other_texts else [],
            "accounts": lambda: [self.accounts()],
        }
        sections = [s for key in self.settings.chapters for s in writers[key]()]
        members = ", ".join(cover.members)
        return Document(
            lang=self.lang,
            title=f"{cover.cooperation_name} – {title}",
            description=_("Årsredovisning och bokslut %(year)s för %(name)s.")
            % {"year": self.year, "name": cover.cooperation_name},
            cover=CoverPage(
                cooperation=cover.cooperation_name,
                title=title,
                banner=self.banner(cover.members),
                members_label=_("Medlemskommuner: %(members)s") % {"members": members},
                decided=(
                    _("Beslutad %(date)s") % {"date": fmt.date(cover.decided_on, self.lang)}
                    if cover.decided_on
                    else year_status_label(cover.status)
                ),
                officer_heading=_("Handläggare/referens"),
                officer_name=cover.officer_name,
                officer_email=cover.officer_email,
            ),
            toc_title=_("Innehållsförteckning"),
            sections=tuple(sections),
            footer=f"{cover.cooperation_name} · {title}",
            date=cover.decided_on,
            labels={
                "skip": _("Hoppa till innehållet"),
                "page": _("Sida"),
                "toc_hint": _("Högerklicka och välj Uppdatera fält för att visa sidnumren."),
                "attachment": _("Årets data (årsfil) i YAML"),
            },
        )

    @staticmethod
    def banner(members: tuple[str, ...]) -> tuple[str, ...]:
        """Four lines of the member names in capitals, each starting one name further on."""
        names = [m.upper() for m in members]
        if not names:
            return ()
        return tuple(" ".join(names[i % len(names) :] + names[: i % len(names)]) for i in range(4))
