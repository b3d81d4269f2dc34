"""Bad input on the app's write paths: a 4xx page that says where and why, and nothing changed.

What a browser would never send (a tampered hidden field, a number too large
for the database) is refused the same way as what a person types wrong.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.consultations.models import ConsultationResponse
from samverkan.demo import DEMO_DIR
from samverkan.finance.models import AccountMapping, LedgerLine
from samverkan.governance.models import Event
from samverkan.members.models import Member, PopulationFigure
from samverkan.plan.models import Activity, FocusArea, SubGoal
from samverkan.projects.models import Project
from tests.web.conftest import SECRETARIAT, Place, read_as

TOO_LARGE_FOR_ANY_ID = "9" * 25


def error_of(html: str, field_id: str) -> str:
    """The error list Django links to the field (aria-describedby), or ""."""
    found = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize("area", ["abc", "1e9", "-3", "", TOO_LARGE_FOR_ANY_ID])
def test_moving_a_focus_area_that_is_not_one_of_the_years_is_not_found(
    place: Place, client_for: Any, area: str
) -> None:
    order = list(FocusArea.objects.filter(year=place.year).values_list("pk", "order"))
    response = client_for(SECRETARIAT).post(
        reverse("web:plan", args=["sodertorn", 2020]), {"action": "down", "area": area}
    )
    assert response.status_code == 404
    assert list(FocusArea.objects.filter(year=place.year).values_list("pk", "order")) == order


@pytest.mark.parametrize("goal", ["abc", "", TOO_LARGE_FOR_ANY_ID])
def test_moving_a_sub_goal_that_is_not_one_of_the_areas_is_not_found(
    place: Place, client_for: Any, goal: str
) -> None:
    area = place.activity_a.focus_area
    goals = list(SubGoal.objects.values_list("pk", "order", "text"))
    response = client_for(SECRETARIAT).post(
        reverse("web:plan-area", args=["sodertorn", 2020, area.pk]),
        {"action": "goal_down", "goal": goal},
    )
    assert response.status_code == 404
    assert list(SubGoal.objects.values_list("pk", "order", "text")) == goals


def test_an_owner_id_too_large_for_the_database_is_refused_next_to_the_owners(
    place: Place, client_for: Any
) -> None:
    activity = place.activity_a
    entries = AuditEntry.objects.count()
    response = client_for(SECRETARIAT).post(
        reverse("web:plan-activity", args=["sodertorn", 2020, activity.pk]),
        {"action": "save", "title": "Nytt namn", "networks": [TOO_LARGE_FOR_ANY_ID]},
    )
    assert response.status_code == 400
    assert "giltigt" in error_of(response.content.decode(), "id_networks")
    assert Activity.objects.get(pk=activity.pk).title == activity.title
    assert AuditEntry.objects.count() == entries


def test_a_host_id_too_large_for_the_database_is_refused_next_to_the_hosts(
    place: Place, client_for: Any
) -> None:
    response = client_for(SECRETARIAT).post(
        reverse("web:event-new", args=["sodertorn", 2020]),
        {
            "action": "save",
            "name": "Konferens",
            "kind": "conference",
            "hosts": [TOO_LARGE_FOR_ANY_ID],
        },
    )
    assert response.status_code == 400
    assert "giltigt" in error_of(response.content.decode(), "id_hosts")
    assert not Event.objects.filter(name="Konferens").exists()


# -- uploads -------------------------------------------------------------------------------


def import_population(client: Any, name: str, data: bytes) -> Any:
    return client.post(
        reverse("web:population-import", args=["sodertorn", 2020]),
        {"file": SimpleUploadedFile(name, data)},
    )


def test_a_spreadsheet_uploaded_as_an_scb_file_is_refused_and_nothing_changes(
    place: Place, client_for: Any
) -> None:
    before = PopulationFigure.objects.count()
    response = import_population(
        client_for(SECRETARIAT), "folkmangd.csv", b"PK\x03\x04" + bytes(range(256)) * 4
    )
    assert response.status_code == 400
    assert (
        "Filen folkmangd.csv kan inte importeras. Inget har ändrats." in response.content.decode()
    )
    assert PopulationFigure.objects.count() == before


def test_an_scb_figure_too_large_for_any_municipality_is_refused_naming_line_and_column(
    place: Place, client_for: Any
) -> None:
    response = import_population(
        client_for(SECRETARIAT), "f.csv", b'"region","2024"\n"0127 Botkyrka",' + b"9" * 30 + b"\n"
    )
    assert response.status_code == 400
    assert "Rad 2, kolumn ”2024”: ”" + "9" * 30 + "” är fler invånare än någon kommun har" in (
        response.content.decode()
    )


def test_an_scb_file_with_a_line_too_long_to_read_is_refused_naming_the_line(
    place: Place, client_for: Any
) -> None:
    response = import_population(
        client_for(SECRETARIAT),
        "f.csv",
        b'"region","2024"\n"0127 Botkyrka",1' + b"0" * 200_000 + b"\n",
    )
    assert response.status_code == 400
    assert "Rad 2: raden går inte att läsa som CSV" in response.content.decode()


def test_an_sie_amount_too_large_for_the_ledger_is_an_error_of_the_preview_with_no_import_button(
    place: Place, client_for: Any, tmp_path: Path, settings: Any
) -> None:
    settings.SIE_UPLOAD_DIR = tmp_path
    huge = b"123456789012345678901234.00"
    sie = (
        (DEMO_DIR / "huddinge-2020.se")
        .read_bytes()
        .replace(b'#TRANS 3460 {1 "1510"} -378424.00', b'#TRANS 3460 {1 "1510"} -' + huge)
        .replace(b"#TRANS 1930 {} 378424.00", b"#TRANS 1930 {} " + huge)
    )
    client = client_for(SECRETARIAT)
    uploaded = client.post(
        reverse("web:sie-upload", args=["sodertorn", 2020]),
        {"file": SimpleUploadedFile("huddinge-2020.se", sie), "objects": "1:1510"},
    )
    assert uploaded.status_code == 303
    page = client.get(uploaded["Location"]).content.decode().replace("\xa0", " ")
    row = page.split('<tr class="finding-error">', 1)[1].split("</tr>", 1)[0]
    assert "Ett belopp är för stort för bokföringen" in row and "<td>53</td>" in row
    assert "konto: 3460" in row and "belopp: −123 456 789 012 345 678 901 234" in row
    assert 'name="import"' not in page
    assert not LedgerLine.objects.filter(source="sie", year=place.year).exists()


# -- years that no record can name ----------------------------------------------------------


def new_project(**fields: str) -> dict[str, str]:
    data = {
        f"{prefix}-{key}": "0"
        for prefix in ("financing", "grants", "payments", "grant_income", "cost_lines")
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    return {**data, "name": "Cykelstråk", **fields}


@pytest.mark.parametrize("end_year", ["99999", "3000"])
def test_a_project_end_year_no_calendar_has_is_refused_next_to_it(
    place: Place, client_for: Any, end_year: str
) -> None:
    response = client_for(SECRETARIAT).post(
        reverse("web:project-new", args=["sodertorn", 2020]), new_project(end_year=end_year)
    )
    assert response.status_code == 400
    assert "Ange ett år mellan 1900 och 2200" in error_of(response.content.decode(), "id_end_year")
    assert not Project.objects.filter(name="Cykelstråk").exists()


@pytest.mark.parametrize("surplus_year", ["0", "99999", "2021"])
def test_a_surplus_from_a_year_no_calendar_has_or_not_yet_ended_is_refused_next_to_it(
    place: Place, client_for: Any, surplus_year: str
) -> None:
    response = client_for(SECRETARIAT).post(
        reverse("web:project-new", args=["sodertorn", 2020]),
        new_project(
            **{
                "financing-TOTAL_FORMS": "1",
                "financing-0-source": "surplus",
                "financing-0-surplus_year": surplus_year,
            }
        ),
    )
    assert response.status_code == 400
    assert "år" in error_of(response.content.decode(), "id_financing-0-surplus_year")
    assert not Project.objects.filter(name="Cykelstråk").exists()


@pytest.mark.parametrize("year", ["0", "99999"])
def test_a_grant_paid_in_a_year_no_calendar_has_is_refused_next_to_it(
    place: Place, client_for: Any, year: str
) -> None:
    response = client_for(SECRETARIAT).post(
        reverse("web:project-new", args=["sodertorn", 2020]),
        new_project(
            **{
                "grants-TOTAL_FORMS": "1",
                "grants-0-grantor": "Trafikverket",
                "grants-0-timing": "arrears",
                "grants-0-expected_payment_year": year,
            }
        ),
    )
    assert response.status_code == 400
    assert "Ange ett år mellan 1900 och 2200" in error_of(
        response.content.decode(), "id_grants-0-expected_payment_year"
    )
    assert not Project.objects.filter(name="Cykelstråk").exists()


# -- the same record twice -------------------------------------------------------------------


def test_a_second_mapping_of_the_same_account_and_object_is_a_form_error_not_a_server_error(
    place: Place, client_for: Any
) -> None:
    stored = AccountMapping.objects.filter(cooperation=place.coop).first()
    assert stored is not None
    count = AccountMapping.objects.count()
    response = client_for(SECRETARIAT).post(
        reverse("web:account-mapping-new", args=["sodertorn", 2020]),
        {
            "account": stored.account,
            "object_id": stored.object_id,
            "category": stored.category_id,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "finns redan" in html and f'value="{stored.account}"' in html
    assert AccountMapping.objects.count() == count


# -- requests a page does not send -------------------------------------------------------------


def test_a_form_sent_without_its_csrf_token_gets_a_swedish_page_saying_nothing_was_saved(
    place: Place, users: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[SECRETARIAT])
    count = ConsultationResponse.objects.count()
    response = client.post(
        reverse("web:consultation-new", args=["sodertorn", 2020]), {"subject": "Utan token"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formuläret kunde inte tas emot" in html and "Inget har sparats" in html
    assert ConsultationResponse.objects.count() == count


def test_opening_an_address_that_only_takes_a_form_says_so(place: Place, client_for: Any) -> None:
    response = client_for(SECRETARIAT).get(reverse("web:year-decide", args=["sodertorn", 2020]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "tar bara emot ett ifyllt formulär" in response.content.decode()


# -- text that shows nothing -------------------------------------------------------------------

INVISIBLE = "\u200b\u200f\u202e \u2060"  # zero-width space, direction marks, word joiner


def test_a_project_name_of_only_invisible_characters_is_refused_next_to_the_name(
    place: Place, client_for: Any
) -> None:
    count = Project.objects.count()
    response = client_for(SECRETARIAT).post(
        reverse("web:project-new", args=["sodertorn", 2020]), {**new_project(), "name": INVISIBLE}
    )
    assert response.status_code == 400
    assert "Ange projektets namn" in error_of(response.content.decode(), "id_name")
    assert Project.objects.count() == count


def test_an_activity_title_of_only_invisible_characters_is_refused_next_to_the_title(
    place: Place, client_for: Any
) -> None:
    activity = place.activity_a
    response = client_for(SECRETARIAT).post(
        reverse("web:plan-activity", args=["sodertorn", 2020, activity.pk]),
        {
            "action": "save",
            "title": INVISIBLE,
            "networks": [place.network_a.pk],
            **read_as(activity, place.year),
        },
    )
    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_title")
    assert Activity.objects.get(pk=activity.pk).title == activity.title


def test_a_consultation_subject_of_only_invisible_characters_is_refused_next_to_it(
    place: Place, client_for: Any
) -> None:
    count = ConsultationResponse.objects.count()
    response = client_for(SECRETARIAT).post(
        reverse("web:consultation-new", args=["sodertorn", 2020]), {"subject": INVISIBLE}
    )
    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_subject")
    assert ConsultationResponse.objects.count() == count


def test_a_name_with_a_direction_mark_inside_visible_text_is_kept_as_typed(
    place: Place, client_for: Any
) -> None:
    response = client_for(SECRETARIAT).post(
        reverse("web:project-new", args=["sodertorn", 2020]),
        {**new_project(), "name": "Cykel\u200bstråk"},
    )
    assert response.status_code == 303
    assert Project.objects.filter(name="Cykel\u200bstråk").exists()


def test_an_event_name_of_only_invisible_characters_is_refused_next_to_the_name(
    place: Place, client_for: Any
) -> None:
    count = Event.objects.count()
    response = client_for(SECRETARIAT).post(
        reverse("web:event-new", args=["sodertorn", 2020]),
        {"action": "save", "name": INVISIBLE, "kind": "conference"},
    )
    assert response.status_code == 400
    assert "Ange arrangemangets namn" in error_of(response.content.decode(), "id_name")
    assert Event.objects.count() == count


def test_a_member_name_of_only_invisible_characters_is_refused_next_to_the_name(
    place: Place, client_for: Any
) -> None:
    count = Member.objects.count()
    response = client_for(SECRETARIAT).post(
        reverse("web:member-new", args=["sodertorn", 2020]),
        {"code": "0999", "name": INVISIBLE, "joined": "2020"},
    )
    assert response.status_code == 400
    assert "Ange kommunens namn" in response.content.decode()
    assert Member.objects.count() == count
