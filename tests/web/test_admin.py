"""The admin for the secretariat's rare edits: its own cooperation only, locked years read-only, audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.consultations.models import ConsultationResponse
from samverkan.governance.models import Network
from samverkan.members.models import PopulationFigure, Year
from tests.web.conftest import LEAD_A, OUTSIDER, SECRETARIAT, Place


def test_the_secretariat_sees_only_its_own_cooperation(place: Place, client_for: Any) -> None:
    client = client_for(SECRETARIAT)
    page = client.get(reverse("admin:governance_network_changelist")).content.decode()
    assert "SUP-gruppen" in page
    assert "Planchefer" not in page  # Norrort's network

    other = Network.objects.get(cooperation=place.other_coop)
    response = client.get(reverse("admin:governance_network_change", args=[other.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_foreign_key_choices_are_limited_to_the_cooperation(place: Place, client_for: Any) -> None:
    page = (
        client_for(SECRETARIAT)
        .get(reverse("admin:consultations_consultationresponse_add"))
        .content.decode()
    )
    assert "Södertörn 2020" in page
    assert "Norrort 2020" not in page


def test_the_outsider_cannot_reach_sodertorns_records(place: Place, client_for: Any) -> None:
    network = Network.objects.get(cooperation=place.coop, slug="sup-gruppen")
    response = client_for(OUTSIDER).get(
        reverse("admin:governance_network_change", args=[network.pk])
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_network_lead_is_not_let_into_the_admin(place: Place, client_for: Any) -> None:
    response = client_for(LEAD_A).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_users_and_roles_are_for_superusers_only(place: Place, client_for: Any) -> None:
    client = client_for(SECRETARIAT)
    assert client.get(reverse("admin:accounts_roleassignment_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_a_change_in_the_admin_is_recorded_with_before_and_after(
    place: Place, client_for: Any, users: Any
) -> None:
    response_ = ConsultationResponse.objects.filter(year=place.year).first()
    assert response_ is not None
    url = reverse("admin:consultations_consultationresponse_change", args=[response_.pk])
    data = {
        "year": place.year.pk,
        "subject": response_.subject,
        "authority": "Trafikverket Region Stockholm",
        "recipient": response_.recipient,
        "answered": "on",
        "note": response_.note,
        "order": response_.order,
        "month": response_.month or "",
        "sent_on": response_.sent_on or "",
        "received_on": "",
    }

    response = client_for(SECRETARIAT).post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin.change", object_id=str(response_.pk))
    assert entry.actor == users[SECRETARIAT]
    assert (entry.cooperation, entry.year) == (place.coop, 2020)
    assert entry.changes == {
        "authority": {"before": response_.authority, "after": "Trafikverket Region Stockholm"}
    }


def test_records_of_a_locked_year_are_read_only_in_the_admin(place: Place, client_for: Any) -> None:
    year_2019 = Year.objects.get(cooperation=place.coop, year=2019)
    client = client_for(SECRETARIAT)
    url = reverse("admin:members_year_change", args=[year_2019.pk])
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page, "no save button on a decided year"
    response = client.post(url, {"officer_name": "Någon"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Året 2019 är beslutat och därför låst" in response.content.decode()
    assert Year.objects.get(pk=year_2019.pk).officer_name == ""


def test_a_population_figure_behind_a_published_fee_is_read_only(
    place: Place, client_for: Any
) -> None:
    # The population at 31 December 2017 is the basis of the published 2018 fees.
    figure = PopulationFigure.objects.get(
        member__cooperation=place.coop, member__code="0127", date="2017-12-31"
    )
    response = client_for(SECRETARIAT).post(
        reverse("admin:members_populationfigure_change", args=[figure.pk]),
        {"member": figure.member_id, "date": "2017-12-31", "population": 1, "source": ""},
    )
    assert response.status_code == 302  # back to the record, which says why it is read-only
    figure.refresh_from_db()
    assert figure.population == 91925


def test_moving_a_record_into_a_locked_year_is_refused(place: Place, client_for: Any) -> None:
    year_2019 = Year.objects.get(cooperation=place.coop, year=2019)
    response = client_for(SECRETARIAT).post(
        reverse("admin:consultations_consultationresponse_add"),
        {"year": year_2019.pk, "subject": "Sent remissvar", "answered": "on", "order": 0},
    )
    assert response.status_code == 200
    assert "låst" in response.content.decode()
    assert not ConsultationResponse.objects.filter(subject="Sent remissvar").exists()


def test_a_superuser_sees_every_cooperation(place: Place, client: Any) -> None:
    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", None)
    client.force_login(admin_user)
    networks = client.get(reverse("admin:governance_network_changelist")).content.decode()
    assert "Planchefer" in networks and "SUP-gruppen" in networks


def test_the_bulk_delete_refuses_records_of_a_locked_year(place: Place, client_for: Any) -> None:
    year_2019 = Year.objects.get(cooperation=place.coop, year=2019)
    lines = list(year_2019.lines.values_list("pk", flat=True))
    response = client_for(SECRETARIAT).post(
        reverse("admin:finance_ledgerline_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": lines,
            "post": "yes",
        },
    )
    assert response.status_code == 403
    assert year_2019.lines.count() == len(lines)
