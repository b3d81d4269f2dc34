"""The report states the data as the documents state them, and says where printed figures differ.

Södertörn's demo years (the adopted reports of 2018 and 2020) and Nordvik
(tests/data/nordvik, an invented second cooperation) are the examples.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as WordDocument

from samverkan.finance.models import CostCategory, Fund, LedgerLine, PublishedFigure
from samverkan.members.models import Year
from samverkan.projects.models import Grant, GrantTiming, Project
from samverkan.reports.api import render_report
from samverkan.reports.figures_from_db import check_year
from samverkan.reports.notes import note_text
from samverkan.yearfile.services import LoadFailed, load_files

NORDVIK = Path(__file__).resolve().parents[1] / "data" / "nordvik"
NBSP = "\u00a0"


def md(year: Year) -> str:
    return render_report(year, "md")[0].decode("utf-8").replace(NBSP, " ")


@pytest.fixture
def nordvik(db: None) -> Year:
    load_files([NORDVIK / "cooperation.yaml", NORDVIK / "2023.yaml"], actor="tests")
    return Year.objects.get(cooperation__slug="nordvik", year=2023)


# --- printed figures and findings ------------------------------------------------------------


@pytest.mark.parametrize("number", [2018, 2020])
def test_every_finding_of_check_is_a_note_in_the_report(demo_year, number):
    year = demo_year(number)
    findings = check_year(year)
    text = md(year)

    notes = [note_text(f, "sv").replace(NBSP, " ") for f in findings]

    assert findings
    for note in notes:
        assert text.count(note) == notes.count(note), note


def test_the_fee_basis_a_text_states_is_noted_in_the_same_paragraph(demo_year):
    text = md(demo_year(2018))

    assert (
        "Avgiften baseras på invånarantalet från SCB den 31 december 2018. *Avgiftens underlag: "
        "Texten anger ett annat datum för invånarantalet än avgiftsregeln" in text
    )
    assert "Enligt regeln 31 december 2017, i texten 31 december 2018." in text


def test_the_population_a_text_states_is_noted_where_it_contradicts_the_members_figures(
    demo_year,
):
    text = md(demo_year(2018))

    assert (
        "(30 september) 494 358 personer. *Invånare: Årsredovisningen anger 494 358 invånare den "
        "30 september 2018; medlemskommunernas invånarantal den 31 december 2018 är 496 201 "
        "(1 843 fler).*" in text
    )


# --- data as the documents state them --------------------------------------------------------


def test_a_sub_cost_is_a_line_of_its_project_and_keeps_its_own_text(demo_year):
    text = md(demo_year(2020))

    assert "### 5.2 Kartor över infrastruktur på Södertörn" in text
    assert "Bisnode analys 2020" not in [
        line[4:] for line in text.splitlines() if line.startswith("### ")
    ]
    assert "| Näringslivsanalys Great | 242 800 |" in text
    assert "| Bisnode analys 2020 | 55 000 |" in text
    assert "| Produktion kartor, Details | 22 500 |" in text
    assert "| **Summa** | **320 300** |" in text


def test_the_projects_costs_are_booked_from_their_funds_lines(demo_year):
    text = md(demo_year(2018))

    assert (
        "| Södertörnsmodellen | Sharing Capabilities (Susanne Pollak) | 311 416 | bokförd |" in text
    )
    assert "| Kommunikationsprojektet |  | 273 000 | bokförd |" in text


def test_a_network_that_meets_regularly_is_not_printed_as_without_meetings(demo_year):
    text = md(demo_year(2018))
    section = text[text.index("#### Nätverkets arbete") :].split("\n#")[0]

    assert "**Möten 2018:** träffas regelbundet" in section
    assert "Inga möten registrerade" not in section


def test_a_note_for_the_secretariat_never_prints(demo_year):
    year = demo_year(2018)
    Year.objects.filter(pk=year.pk).update(report_settings={"blocks": {"body_facts": True}})
    text = md(Year.objects.get(pk=year.pk))

    assert "Lämnade över till Anna Söderström i juni" in text
    assert "månadens sista dag" not in text


def test_footnotes_are_footnotes_in_every_format(demo_year):
    year = demo_year(2018)
    markdown = md(year)
    html = render_report(year, "html")[0].decode("utf-8")
    word = WordDocument(io.BytesIO(render_report(year, "docx")[0]))

    assert "deltagande i styrgruppen.[^1]" in markdown
    assert "[^1]: Landstingets (Trafikförvaltningen)" in markdown
    assert "deltagande i styrgruppen.<sup>1</sup>" in html
    assert "(¹ Landstingets" not in markdown + html
    (mark,) = [p for p in word.paragraphs if p.text.endswith("styrgruppen.1")]
    assert mark.runs[-1].font.superscript


# --- other cooperations' accounts ------------------------------------------------------------


def test_a_transfer_between_funds_is_shown_apart_from_income_and_costs(nordvik):
    text = md(nordvik)

    assert (
        "| Fond | Intäkter | Kostnader | Resultat före överföringar | Överföringar mellan fonder "
        "| Förändring av balansen | Kvar vid årets slut |" in text
    )
    # fees 2 × 205 997 = 411 994; costs 380 000; 30 000 set aside in the reserve
    assert "| Förbundets drift | 411 994 | 380 000 | 31 994 | −30 000 | 1 994 | 1 994 |" in text
    assert "| Reserven |  |  | 0 | 30 000 | 30 000 | 30 000 |" in text


def test_a_cooperation_that_prints_transfers_among_its_costs_can_say_so(nordvik):
    Year.objects.filter(pk=nordvik.pk).update(
        report_settings={"options": {"transfers": "as_lines"}}
    )
    text = md(Year.objects.get(pk=nordvik.pk))

    assert "| Förbundets drift | 411 994 | 410 000 | 1 994 |" in text
    assert "Överföringar mellan fonder" not in text


def test_a_project_of_another_year_with_costs_and_grant_income_this_year_is_printed(nordvik):
    later = Year.objects.create(cooperation=nordvik.cooperation, year=2024, status="draft")
    project = Project.objects.get(slug="laddplan")
    grant = Grant.objects.create(
        project=project,
        year=later,
        slug="energimyndigheten",
        grantor="Energimyndigheten",
        timing=GrantTiming.ADVANCE,
    )
    drift = Fund.objects.get(slug="drift")
    for category, kind, amount, line_grant in (
        ("konsult", "cost", "45000", None),
        ("bidrag", "income", "20000", grant),
    ):
        LedgerLine.objects.create(
            year=later,
            fund=drift,
            kind=kind,
            amount=Decimal(amount),
            date=dt.date(2024, 6, 30),
            category=CostCategory.objects.get(cooperation=nordvik.cooperation, slug=category),
            project=project,
            grant=line_grant,
        )

    text = md(later)

    assert "Inga projekt under året" not in text
    assert "Laddplan för Norrlandskusten" in text


def test_the_word_files_properties_come_from_the_data(demo_year, nordvik):
    adopted = WordDocument(io.BytesIO(render_report(demo_year(2020), "docx")[0])).core_properties
    draft = WordDocument(io.BytesIO(render_report(nordvik, "docx")[0])).core_properties

    assert (
        adopted.title == "Södertörnskommunernas Samarbetskommitté – Årsredovisning och bokslut 2020"
    )
    assert adopted.author == "Södertörnskommunernas Samarbetskommitté"
    assert adopted.last_modified_by == "Helene Olofsson"
    assert adopted.language == "sv-SE"
    assert adopted.created.date() == dt.date(2021, 1, 14) == adopted.modified.date()
    assert "python-docx" not in (adopted.comments or "")
    assert draft.author == "Nordviks kommunförbund"
    assert draft.created.year >= 2025


# --- the year file ---------------------------------------------------------------------------


def test_two_population_figures_for_one_member_and_date_name_both_values_and_sources(db, tmp_path):
    text = (
        (NORDVIK / "cooperation.yaml")
        .read_text(encoding="utf-8")
        .replace(
            '  - {member: "2482", date: 2022-12-31, population: 75000, source: "invented for the tests"}',
            '  - {member: "2482", date: 2022-12-31, population: 75000, source: "invented for the tests"}\n'
            '  - {member: "2482", date: 2022-12-31, population: 75100, source: "kommunens webbplats"}',
        )
    )
    path = tmp_path / "cooperation.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(LoadFailed) as failed:
        load_files([path], actor="tests")

    message = str(failed.value)
    assert "75000 (källa: invented for the tests" in message
    assert "75100 (källa: kommunens webbplats)" in message


def test_an_unknown_report_setting_is_a_load_error_naming_it(db, tmp_path):
    text = (
        (NORDVIK / "cooperation.yaml")
        .read_text(encoding="utf-8")
        .replace("    charts: false", "    charts: false\n    diagram: false")
    )
    path = tmp_path / "cooperation.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(LoadFailed) as failed:
        load_files([path], actor="tests")

    assert "report.blocks.diagram: unknown block" in str(failed.value)


def test_a_finding_that_belongs_to_no_table_or_text_is_listed_at_the_end_of_the_accounts(
    nordvik,
):
    PublishedFigure.objects.create(
        year=nordvik, key="fund.drift.costs", place="Protokoll", amount=Decimal("379000")
    )

    text = md(nordvik)
    remarks = text[text.index("### Anmärkningar") :]

    assert (
        "- Förbundets drift, kostnader: 379 000 kr som i den antagna årsredovisningen. "
        "Summan av delarna är 380 000 kr (1 000 kr mer)." in remarks  # transfers apart
    )
    assert "| Förbundets drift | 411 994 | 380 000 |" in text  # not printed in the table
