"""A project that runs over several years is one project, with each year's costs and grants in that year.

The example: a study that starts in 2020 (Tyréns, a Vinnova grant) and goes on
in 2021 (a second consultant, a grant from Region Stockholm). Each year's file
describes the year's part; 2021's refers to the project by its slug.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from samverkan.members.locking import YearLocked
from samverkan.members.models import Year, YearStatus
from samverkan.projects.models import Project, ProjectYear
from samverkan.projects.services import continue_project, save_project
from samverkan.reports.api import render_report
from samverkan.reports.assembly import build_annual_report
from samverkan.reports.report import Project as ReportProject
from samverkan.yearfile.export import export_year
from samverkan.yearfile.services import LoadFailed, load_files

STANDING = """\
kind: cooperation
slug: test
name: Testsamverkan
members:
  - {code: "0127", name: Botkyrka}
fee_rules:
  - {from_year: 2020, rate: 4, basis: previous_year_end}
cost_categories:
  - {slug: konsult, name: Konsulter, kind: cost}
  - {slug: bidrag, name: Bidrag, kind: income}
funds:
  - {slug: drift, name: Drift, kind: operations}
"""

Y2020 = """\
kind: year
cooperation: test
year: 2020
status: follow_up
operating_fund: drift
projects:
  - slug: trafikstudie
    name: Trafikstudie Södertörn
    contractor: Tyréns
    end_year: 2021
    description: Första året kartlades resorna.
    financing:
      - source: grant
    grants:
      - slug: vinnova-trafikstudie
        grantor: Vinnova
        timing: arrears
        amount: 50000
lines:
  - {fund: drift, category: konsult, kind: cost, amount: 80000, project: trafikstudie}
  - {fund: drift, category: bidrag, kind: income, amount: 40000, grant: vinnova-trafikstudie}
"""

Y2021 = """\
kind: year
cooperation: test
year: 2021
status: follow_up
operating_fund: drift
projects:
  - slug: trafikstudie
    continues: true
    description: Andra året analyserades åtgärderna.
    financing:
      - source: operating_budget
        amount: 20000
    grants:
      - slug: region-trafikstudie
        grantor: Region Stockholm
        timing: advance
        amount: 30000
lines:
  - {fund: drift, category: konsult, kind: cost, amount: 55000, project: trafikstudie}
  - {fund: drift, category: bidrag, kind: income, amount: 30000, grant: region-trafikstudie}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "standing": write(tmp_path, "test.yaml", STANDING),
        "2020": write(tmp_path, "2020.yaml", Y2020),
        "2021": write(tmp_path, "2021.yaml", Y2021),
    }


@pytest.fixture
def both_years(db: None, files: dict[str, Path]) -> Project:
    load_files([files["standing"], files["2020"], files["2021"]], actor="tests")
    return Project.objects.get(slug="trafikstudie")


def year(number: int) -> Year:
    return Year.objects.get(cooperation__slug="test", year=number)


def report_project(number: int) -> ReportProject:
    (project,) = build_annual_report(year(number)).projects
    return project


def markdown(number: int) -> str:
    return render_report(year(number), "md")[0].decode("utf-8").replace("\u00a0", " ")


def decide_2020() -> None:
    # Set directly: the test is about what a decided year refuses, not how it was decided.
    Year.objects.filter(cooperation__slug="test", year=2020).update(
        status=YearStatus.DECIDED, decided_on=dt.date(2021, 2, 1)
    )


# --- the model and the year files --------------------------------------------------------------


def test_a_project_over_2020_and_2021_loaded_from_two_year_files_is_one_project(
    both_years: Project,
) -> None:
    assert Project.objects.count() == 1
    assert both_years.start_year.year == 2020 and both_years.end_year == 2021
    parts = {p.year.year: p for p in both_years.years.select_related("year")}
    assert sorted(parts) == [2020, 2021]
    assert parts[2020].description == "Första året kartlades resorna."
    assert parts[2021].description == "Andra året analyserades åtgärderna."
    assert [f.source for f in parts[2021].financing.all()] == ["operating_budget"]
    grants = {g.slug: g.year.year for g in both_years.grants.select_related("year")}
    assert grants == {"vinnova-trafikstudie": 2020, "region-trafikstudie": 2021}


def test_the_two_year_files_round_trip_byte_identical(both_years: Project, tmp_path: Path) -> None:
    first = {number: export_year(year(number)) for number in (2020, 2021)}
    assert "continues: true" in first[2021] and "Tyréns" not in first[2021]
    assert "continues" not in first[2020] and "end_year: 2021" in first[2020]

    out = tmp_path / "again"
    out.mkdir()
    load_files(
        [write(out, "test.yaml", STANDING)]
        + [write(out, f"{n}.yaml", text) for n, text in first.items()]
    )

    assert {number: export_year(year(number)) for number in (2020, 2021)} == first
    assert Project.objects.count() == 1


def test_loading_2021_again_leaves_2020s_part_as_it_was(
    both_years: Project, files: dict[str, Path], tmp_path: Path
) -> None:
    before_2020 = export_year(year(2020))
    changed = Y2021.replace("amount: 55000", "amount: 60000").replace(
        "Andra året", "Under andra året"
    )

    load_files([write(tmp_path, "2021-changed.yaml", changed)])

    assert export_year(year(2020)) == before_2020
    assert ProjectYear.objects.get(year__year=2021).description.startswith("Under andra året")


def test_a_continuing_project_must_exist_in_an_earlier_year(
    db: None, files: dict[str, Path]
) -> None:
    with pytest.raises(LoadFailed) as caught:
        load_files([files["standing"], files["2021"]])
    assert any(
        "unknown project 'trafikstudie'" in str(e) and "load that year's file first" in str(e)
        for e in caught.value.errors
    )


def test_a_continuing_projects_name_is_stated_only_where_it_starts(
    both_years: Project, tmp_path: Path
) -> None:
    renamed = Y2021.replace("    continues: true\n", "    continues: true\n    name: Ny titel\n")

    with pytest.raises(LoadFailed) as caught:
        load_files([write(tmp_path, "2021.yaml", renamed)])

    assert any("stated where it starts, in 2020's file" in str(e) for e in caught.value.errors)


def test_the_year_a_project_starts_cannot_drop_it_while_a_later_year_continues_it(
    both_years: Project, tmp_path: Path
) -> None:
    without = Y2020[: Y2020.index("projects:")] + Y2020[Y2020.index("lines:") :]
    without = without.replace(", project: trafikstudie", "").replace(
        ", grant: vinnova-trafikstudie", ""
    )

    with pytest.raises(LoadFailed) as caught:
        load_files([write(tmp_path, "2020.yaml", without)])

    assert any("continues in 2021" in str(e) for e in caught.value.errors)


# --- the reports ----------------------------------------------------------------------------------


def test_each_years_report_shows_that_years_costs_and_grants(both_years: Project) -> None:
    first, second = report_project(2020), report_project(2021)

    assert (first.cost, [g.grantor for g in first.grants]) == (Decimal(80000), ["Vinnova"])
    assert (second.cost, [g.grantor for g in second.grants]) == (
        Decimal(55000),
        ["Region Stockholm"],
    )
    assert first.description.startswith("Första året")
    assert second.description.startswith("Andra året")
    assert [f.source for f in second.financing] == ["operating_budget"]


def test_a_later_years_report_states_the_period_and_the_costs_so_far(both_years: Project) -> None:
    second = report_project(2021)
    assert (second.first_year, second.end_year, second.total_so_far) == (
        2020,
        2021,
        Decimal(135000),
    )
    text = markdown(2021)
    assert "2020–2021" in text
    assert "135 000 kr (2020–2021)" in text


def test_the_first_years_report_counts_nothing_of_a_later_year(both_years: Project) -> None:
    first = report_project(2020)
    assert first.total_so_far == Decimal(80000)
    assert "55 000" not in markdown(2020)


def test_a_later_years_grant_is_no_receivable_of_the_earlier_year(both_years: Project) -> None:
    from samverkan.projects.receivables import open_receivables

    assert [g.slug for g, _fund, _amount in open_receivables(year(2020))] == [
        "vinnova-trafikstudie"
    ]


# --- the year lock ------------------------------------------------------------------------------


def test_a_decided_2020_refuses_a_change_to_the_2020_part(both_years: Project) -> None:
    decide_2020()

    with pytest.raises(YearLocked) as caught:
        save_project(
            year(2020), both_years, actor="tests", values={"description": "Ändrad i efterhand."}
        )
    assert caught.value.year.year == 2020
    part = ProjectYear.objects.get(project=both_years, year__year=2020)
    part.stated_cost = Decimal(1)
    with pytest.raises(YearLocked):
        part.save()


def test_a_decided_2020_accepts_the_2021_part_but_not_a_new_name(both_years: Project) -> None:
    decide_2020()

    save_project(
        year(2021), both_years, actor="tests", values={"description": "Andra året, ändrat."}
    )
    assert ProjectYear.objects.get(year__year=2021).description == "Andra året, ändrat."

    # The name is read by every year of the project, the decided 2020 too.
    with pytest.raises(YearLocked) as caught:
        save_project(year(2021), both_years, actor="tests", values={"name": "Ny titel"})
    assert caught.value.year.year == 2020


def test_a_project_of_a_decided_2020_can_be_continued_in_2021(
    db: None, files: dict[str, Path]
) -> None:
    load_files([files["standing"], files["2020"]])
    Year.objects.create(cooperation=year(2020).cooperation, year=2021, status=YearStatus.DRAFT)
    decide_2020()
    project = Project.objects.get(slug="trafikstudie")
    before = export_year(year(2020))

    part = continue_project(project, year(2021), actor="tests")

    assert part.year.year == 2021
    assert sorted(project.years.values_list("year__year", flat=True)) == [2020, 2021]
    assert export_year(year(2020)) == before


def test_the_2021_file_of_a_project_whose_2020_is_decided_loads(
    db: None, files: dict[str, Path]
) -> None:
    load_files([files["standing"], files["2020"]])
    decide_2020()

    load_files([files["2021"]])

    assert ProjectYear.objects.filter(year__year=2021).count() == 1
