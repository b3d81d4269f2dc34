"""What a network lead, a reader or a citizen is told where they may only read: who does it
instead and a way back, never a bare "forbidden", and words rather than codes. Which URL refuses
whom is the matrix of test_permissions.py; this file pins what the refusal says."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from samverkan.consultations.models import ConsultationResponse
from samverkan.governance.models import Meeting
from samverkan.members.models import Year, YearStatus
from samverkan.plan.models import ActivityProposal
from tests.web.conftest import LEAD_A, LEAD_B, READER, SECRETARIAT, Place


def test_a_lead_refused_another_networks_follow_up_is_told_who_writes_it_and_led_to_the_year(
    place: Place, client_for: Any
) -> None:
    url = reverse("web:activity", args=["sodertorn", 2020, place.activity_b.pk])

    response = client_for(LEAD_A).post(url, {"status": "done", "text": "x", "version": 1})

    assert response.status_code == 403
    page = response.content.decode()
    assert "skrivs av ledarna för SNUG-gruppen och av kansliet" in page
    assert f'href="{reverse("web:dashboard", args=["sodertorn", 2020])}"' in page
    assert "Till översikten för 2020" in page


def test_a_lead_refused_a_committee_meeting_is_told_that_the_secretariat_keeps_it(
    place: Place, client_for: Any
) -> None:
    url = reverse("web:meeting-edit", args=["sodertorn", 2020, place.body_meeting.pk])

    page = client_for(LEAD_A).get(url).content.decode()

    assert "Möten i Samarbetskommittén förs av kansliet." in page


def test_a_reader_refused_the_year_status_is_told_that_the_secretariat_runs_it(
    place: Place, client_for: Any
) -> None:
    response = client_for(READER).get(reverse("web:year-status", args=["sodertorn", 2020]))

    assert response.status_code == 403
    assert "sköts av kansliet" in response.content.decode()


def test_the_page_of_another_networks_activity_says_who_writes_its_follow_up(
    place: Place, client_for: Any
) -> None:
    url = reverse("web:activity", args=["sodertorn", 2020, place.activity_b.pk])

    page = client_for(LEAD_A).get(url).content.decode()

    assert 'id="read-only-reason"' in page
    assert "skrivs av ledarna för SNUG-gruppen" in page
    assert "Spara uppföljningen" not in page


def test_the_page_of_the_leads_own_activity_offers_the_form_without_a_refusal(
    place: Place, client_for: Any
) -> None:
    url = reverse("web:activity", args=["sodertorn", 2020, place.activity_a.pk])

    page = client_for(LEAD_A).get(url).content.decode()

    assert "Spara uppföljningen" in page
    assert 'id="read-only-reason"' not in page


def test_the_meetings_list_tells_a_lead_which_meetings_are_theirs(
    place: Place, client_for: Any
) -> None:
    page = (
        client_for(LEAD_A).get(reverse("web:meetings", args=["sodertorn", 2020])).content.decode()
    )

    assert 'id="meetings-you-keep"' in page
    assert "möten för SUP-gruppen" in page


def test_the_meetings_list_offers_a_reader_no_column_of_changes(
    place: Place, client_for: Any
) -> None:
    url = reverse("web:meetings", args=["sodertorn", 2020])

    reader_page = client_for(READER).get(url).content.decode()
    secretariat_page = client_for(SECRETARIAT).get(url).content.decode()

    assert ">Ändra<" not in reader_page and 'id="meetings-you-keep"' not in reader_page
    assert ">Ändra<" in secretariat_page


def test_a_meeting_or_a_response_known_only_by_its_month_names_the_month(
    place: Place, client_for: Any
) -> None:
    Meeting.objects.filter(pk=place.meeting_a.pk).update(date=None, month=5)
    ConsultationResponse.objects.filter(year=place.year).update(sent_on=None, month=3)
    client = client_for(READER)

    meetings = client.get(reverse("web:meetings", args=["sodertorn", 2020])).content.decode()
    responses = client.get(reverse("web:consultations", args=["sodertorn", 2020])).content.decode()

    assert "maj 2020" in meetings and "månad 5" not in meetings
    assert "mars 2020" in responses and "månad 3" not in responses
    place.meeting_a.refresh_from_db()
    assert str(place.meeting_a).endswith("maj")


def test_population_dates_are_written_with_the_months_swedish_name(
    place: Place, client_for: Any
) -> None:
    page = client_for(READER).get(reverse("web:members", args=["sodertorn", 2020])).content.decode()

    assert "31 december 2019" in page
    assert "Dec 2019" not in page


def test_a_proposal_of_another_network_says_who_changes_it_while_it_is_open(
    place: Place, client_for: Any
) -> None:
    Year.objects.filter(pk=place.year.pk).update(status=YearStatus.PLANNING)
    proposal = ActivityProposal.objects.create(
        focus_area=place.activity_a.focus_area, network=place.network_a, title="Förslag från SUP"
    )
    url = reverse("web:proposal", args=["sodertorn", 2020, proposal.pk])

    other_lead = client_for(LEAD_B).get(url).content.decode()
    own_lead = client_for(LEAD_A).get(url).content.decode()
    refused = client_for(LEAD_B).post(url, {"action": "edit", "title": "Kapat"})

    assert "Förslaget ändras av ledarna för" in other_lead and "Spara förslaget" not in other_lead
    assert 'id="read-only-reason"' not in own_lead and "Spara förslaget" in own_lead
    assert refused.status_code == 403
    assert "Förslaget ändras av ledarna för" in refused.content.decode()


def test_the_meeting_form_tells_a_lead_which_networks_it_must_name_and_offers_months_by_name(
    place: Place, client_for: Any
) -> None:
    page = (
        client_for(LEAD_A)
        .get(reverse("web:meeting-new", args=["sodertorn", 2020]))
        .content.decode()
    )

    assert "Minst ett av de nätverk du leder (SUP-gruppen)" in page
    month = re.search(r'<select name="month".*?</select>', page, re.S)
    assert month is not None and '<option value="5">maj</option>' in month.group(0)


def test_the_public_year_page_names_the_formats_and_says_what_open_data_is(place: Place) -> None:
    page = Client().get(reverse("web:public-year", args=["sodertorn", 2018])).content.decode()

    assert "Word-dokument (DOCX)" in page
    assert "Markdown" in page
    assert "CSV-filerna öppnas i ett kalkylprogram" in page


def test_a_signed_in_user_on_a_missing_page_is_led_to_their_overview(
    place: Place, client_for: Any
) -> None:
    response = client_for(READER).get("/app/sodertorn/1999/")

    assert response.status_code == 404
    assert f'<a href="{reverse("web:home")}">Till din översikt</a>' in response.content.decode()


def test_the_operator_without_a_role_is_led_to_the_admin(place: Place) -> None:
    operator = get_user_model().objects.create_superuser("drift", "drift@example.org", "x")
    client = Client()
    client.force_login(operator)

    page = client.get(reverse("web:home")).content.decode()

    assert f'href="{reverse("admin:index")}"' in page


def test_the_year_header_names_the_networks_a_lead_leads(place: Place, client_for: Any) -> None:
    url = reverse("web:dashboard", args=["sodertorn", 2020])

    lead_page = client_for(LEAD_A).get(url).content.decode()
    reader_page = client_for(READER).get(url).content.decode()

    assert "Nätverksledare (SUP-gruppen)" in lead_page
    assert "Läsare (" not in reader_page
