"""A project over several years in the app: its page shows every year with that year's figures,
and the secretariat continues a project from an earlier year into this one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from samverkan.finance.models import CostCategory, LineKind
from samverkan.members.models import Year, YearStatus
from samverkan.projects.models import Project
from tests.web.conftest import SECRETARIAT, Place, read_as


def url(name: str, year: int, *args: Any) -> str:
    return reverse(f"web:{name}", args=["sodertorn", year, *args])


def text(response: Any) -> str:
    return response.content.decode().replace("\u00a0", " ")


@pytest.fixture
def year_2021(place: Place) -> Year:
    return Year.objects.create(cooperation=place.coop, year=2021, status=YearStatus.DRAFT)


@pytest.fixture
def great(place: Place) -> Project:
    """The 2020 business analysis: 297 800 kr booked in 2020."""
    return Project.objects.get(cooperation=place.coop, slug="naringslivsanalys-great")


def empty_rows() -> dict[str, str]:
    return {
        f"{prefix}-{key}": "0"
        for prefix in ("financing", "grants", "payments", "grant_income", "cost_lines")
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }


def test_a_project_from_2020_seen_from_2021_offers_to_continue_it(
    place: Place, client_for: Any, year_2021: Year, great: Project
) -> None:
    page = text(client_for(SECRETARIAT).get(url("project-edit", 2021, great.pk)))

    assert "Fortsätt projektet 2021" in page
    assert url("project-continue", 2021, great.pk) in page
    assert "297 800 kr" in page, "the 2020 row of the project's years"
    assert 'name="name"' not in page, "no form before the project has a part in 2021"


def test_the_secretariat_continues_a_project_and_its_page_shows_both_years(
    place: Place, client_for: Any, year_2021: Year, great: Project
) -> None:
    client = client_for(SECRETARIAT)

    response = client.post(url("project-continue", 2021, great.pk))
    assert response.status_code == 303
    assert response["Location"] == url("project-edit", 2021, great.pk)

    fund = place.coop.funds.get(slug="drift-2020")
    category = CostCategory.objects.filter(cooperation=place.coop, kind=LineKind.COST).first()
    assert category is not None
    saved = client.post(
        url("project-edit", 2021, great.pk),
        {
            **empty_rows(),
            **read_as(great, year_2021),
            "name": great.name,
            "contractor": great.contractor,
            "stated_cost": "40000",
            "description": "Uppföljning av analysen.",
            "cost_lines-TOTAL_FORMS": "1",
            "cost_lines-0-fund": fund.pk,
            "cost_lines-0-category": category.pk,
            "cost_lines-0-amount": "40000",
            "cost_lines-0-date": "2021-03-31",
            "cost_lines-0-text": "Great AB, uppföljning",
        },
    )
    assert saved.status_code == 303, text(saved)[:2000]

    page = text(client.get(url("project-edit", 2021, great.pk)))
    years = page[page.index("Projektets år") : page.index("</table>")]
    assert url("project-edit", 2020, great.pk) in years, "2020 links to its own page"
    assert "297 800 kr" in years and "40 000 kr" in years, "each year with its own costs"
    assert "337 800 kr" in years, "the costs of all years"
    assert "Uppföljning av analysen." in page

    listing = text(client.get(url("projects", 2021)))
    assert great.name in listing and "sedan 2020" in listing
    assert "Uppföljning av analysen." in listing
    assert "Extra analyser" not in listing.replace(great.name, ""), "2020's text stays in 2020"


def test_with_2020_decided_the_2021_page_keeps_the_name_and_explains_why(
    place: Place, client_for: Any, year_2021: Year, great: Project
) -> None:
    client = client_for(SECRETARIAT)
    assert client.post(url("project-continue", 2021, great.pk)).status_code == 303
    Year.objects.filter(pk=place.year.pk).update(
        status=YearStatus.DECIDED, decided_on=dt.date(2021, 2, 1)
    )

    page = text(client.get(url("project-edit", 2021, great.pk)))

    assert "ändras inte medan 2020 är låst" in page
    assert 'name="name"' in page and "disabled" in page[page.index('name="name"') - 200 :][:400]
    assert 'name="stated_cost"' in page, "the 2021 part stays open"


def test_continuing_a_project_twice_is_refused_and_says_why(
    place: Place, client_for: Any, year_2021: Year, great: Project
) -> None:
    client = client_for(SECRETARIAT)
    assert client.post(url("project-continue", 2021, great.pk)).status_code == 303

    again = client.post(url("project-continue", 2021, great.pk))

    assert again.status_code == 409
    assert "Projektet har redan en del år 2021." in text(again)


def test_a_project_added_in_the_admin_gets_its_part_in_its_start_year(
    place: Place, client_for: Any
) -> None:
    from samverkan.yearfile.export import export_year

    response = client_for(SECRETARIAT).post(
        reverse("admin:projects_project_add"),
        {"cooperation": place.coop.pk, "start_year": place.year.pk, "slug": "ny", "name": "Ny"},
    )

    assert response.status_code == 302, text(response)[:2000]
    project = Project.objects.get(cooperation=place.coop, slug="ny")
    assert list(project.years.values_list("year__year", flat=True)) == [2020]
    exported = export_year(Year.objects.get(pk=place.year.pk))
    assert "- slug: ny\n  name: Ny\n" in exported, "the year file describes it where it starts"


def test_starting_2021_offers_the_2020_projects_and_a_ticked_one_goes_on(
    place: Place, client_for: Any, great: Project
) -> None:
    client = client_for(SECRETARIAT)
    new_year = reverse("web:year-new", args=["sodertorn"])
    page = text(client.get(new_year))
    assert "<legend>Projekt som fortsätter</legend>" in page
    assert f"{great.name} (sedan 2020, inget slutår angivet)" in page

    response = client.post(new_year, {"ar": "2021", "fran": "2020", "projects": [great.pk]})

    assert response.status_code == 303
    year = Year.objects.get(cooperation=place.coop, year=2021)
    assert great.years.filter(year=year).exists()
    assert "Fortsätt projektet 2021" not in text(client.get(url("project-edit", 2021, great.pk)))
