"""Bad input on the plan's pages gets its error next to the field, and nothing is saved."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from samverkan.finance.models import BudgetLine, CostCategory, Fund
from samverkan.members.models import Year
from samverkan.plan.models import Activity
from tests.web.conftest import SECRETARIAT, Place, read_as


def area_url(place: Place) -> str:
    return reverse("web:plan-area", args=["sodertorn", 2020, place.activity_a.focus_area_id])


def error_of(html: str, field_id: str) -> str:
    """The error list Django links to the field (aria-describedby), or ""."""
    found = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def test_an_activity_without_a_title_is_refused_next_to_the_title(
    place: Place, client_for: Any
) -> None:
    before = Activity.objects.count()
    response = client_for(SECRETARIAT).post(
        area_url(place), {"action": "add_activity", "new-title": ""}
    )
    assert response.status_code == 400
    assert "Detta fält måste fyllas i" in error_of(response.content.decode(), "id_new-title")
    assert Activity.objects.count() == before


def test_a_network_of_another_cooperation_is_refused_next_to_the_owners(
    place: Place, client_for: Any
) -> None:
    stranger = place.other_activity.focus_area.responsible_networks.get()
    response = client_for(SECRETARIAT).post(
        area_url(place),
        {"action": "add_activity", "new-title": "Med fel nätverk", "new-networks": [stranger.pk]},
    )
    assert response.status_code == 400
    assert "giltigt" in error_of(response.content.decode(), "id_new-networks")
    assert not Activity.objects.filter(title="Med fel nätverk").exists()


def test_the_owner_picker_offers_only_the_years_networks_by_full_name(
    place: Place, client_for: Any
) -> None:
    html = client_for(SECRETARIAT).get(area_url(place)).content.decode()
    assert "Nätverket för planeringschefer (SUP-gruppen)" in html
    assert "Planchefer" not in html, "Norrort's network"


def test_an_activity_in_a_locked_year_is_refused_in_the_form(place: Place, client_for: Any) -> None:
    Year.objects.filter(pk=place.year.pk).update(status="decided")
    response = client_for(SECRETARIAT).post(
        reverse("web:plan-activity", args=["sodertorn", 2020, place.activity_a.pk]),
        {"action": "save", "title": "Ändrad titel", **read_as(place.activity_a, place.year)},
    )
    assert response.status_code == 400
    assert re.search(
        r'role="alert"><p>Året 2020 är beslutat och därför låst', response.content.decode()
    )
    assert Activity.objects.get(pk=place.activity_a.pk).title != "Ändrad titel"


def test_a_budget_amount_that_is_not_a_number_is_refused_next_to_its_cell(
    place: Place, client_for: Any
) -> None:
    fund = place.year.operating_fund
    assert isinstance(fund, Fund)
    staff = CostCategory.objects.get(cooperation=place.coop, slug="personalkostnader")
    consultants = CostCategory.objects.get(cooperation=place.coop, slug="ovriga-konsulter")
    response = client_for(SECRETARIAT).post(
        reverse("web:budget", args=["sodertorn", 2020]),
        {
            f"b-{fund.pk}-{staff.pk}": "ett par miljoner",
            f"b-{fund.pk}-{consultants.pk}": "200 000",
            **read_as(place.year, place.year),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    cell = f"b-{fund.pk}-{staff.pk}"
    assert f'aria-describedby="{cell}-error"' in html
    assert re.search(rf'id="{cell}-error">Skriv ett belopp', html)
    assert not BudgetLine.objects.exists(), "nothing of the grid is saved"


def test_a_new_cooperations_secretariat_is_led_to_start_its_first_year(db: None) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from samverkan.accounts.models import Role
    from samverkan.accounts.services import grant_role
    from samverkan.members.models import Cooperation

    coop = Cooperation.objects.create(slug="nystartad", name="Nystartade samverkan")
    user = get_user_model().objects.create_user("ny-kansli")
    grant_role(user, coop, Role.SECRETARIAT, actor="tests")
    client = Client()
    client.force_login(user)
    response = client.get(reverse("web:cooperation-home", args=["nystartad"]), follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Nytt år" in html and "Starta" in html
    number = int(re.search(r'name="ar" value="(\d{4})"', html).group(1))
    response = client.post(reverse("web:year-new", args=["nystartad"]), {"ar": number, "fran": ""})
    assert response.status_code == 303
    assert Year.objects.filter(cooperation=coop, year=number, status="planning").exists()


def test_removing_a_sub_goal_asks_first_and_removes_it_once_confirmed(
    place: Place, client_for: Any
) -> None:
    from samverkan.plan.models import SubGoal

    client = client_for(SECRETARIAT)
    goal = SubGoal.objects.filter(focus_area_id=place.activity_a.focus_area_id).first()
    assert goal is not None
    asked = client.post(area_url(place), {"action": "goal_delete", "goal": goal.pk})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Ta bort delmålet" in page and "Ja, ta bort" in page
    assert SubGoal.objects.filter(pk=goal.pk).exists(), "nothing is removed before the answer"
    assert 'id="stored-record"' in page and goal.text in page, "it shows the sub-goal as stored"
    confirmed = client.post(
        area_url(place),
        {"action": "goal_delete", "goal": goal.pk, "confirmed": "1", **read_as(goal, place.year)},
    )
    assert confirmed.status_code == 303
    assert not SubGoal.objects.filter(pk=goal.pk).exists()
