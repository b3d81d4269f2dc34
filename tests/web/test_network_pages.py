"""The networks' pages: add, change and remove a standing network, and say how it takes part in
a year. Refusals name what stands in the way: a decided year, or what depends on the network."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.governance.models import Network, NetworkYear
from samverkan.members.models import Member, Year
from samverkan.plan.models import FocusArea
from samverkan.web.edit_guard import NETWORK_YEAR
from tests.web.conftest import LEAD_A, SECRETARIAT, Place, read_as


def url(name: str, *args: Any, year: int = 2020) -> str:
    return reverse(f"web:{name}", args=["sodertorn", year, *args])


def a_network_no_year_reads(place: Place) -> Network:
    return Network.objects.create(cooperation=place.coop, slug="gis", name="GIS-nätverket", order=9)


def test_the_secretariat_adds_a_network_whose_slug_is_proposed_from_the_name(
    place: Place, client_for: Any
) -> None:
    response = client_for(SECRETARIAT).post(
        url("network-new"), {"name": "Nätverket för digitalisering", "short_name": "Digi"}
    )
    assert response.status_code == 303
    network = Network.objects.get(cooperation=place.coop, name="Nätverket för digitalisering")
    assert network.slug == "natverket-for-digitalisering"
    assert network.order > Network.objects.exclude(pk=network.pk).order_by("-order")[0].order - 1
    assert AuditEntry.objects.filter(action="governance.network.create").count() == 1


def test_a_network_without_a_name_is_not_saved_and_the_message_stands_at_the_name(
    place: Place, client_for: Any
) -> None:
    before = Network.objects.count()
    response = client_for(SECRETARIAT).post(url("network-new"), {"name": "", "short_name": "X"})
    assert response.status_code == 400
    assert Network.objects.count() == before
    assert 'id="id_name_error"' in response.content.decode()


def test_a_slug_another_network_has_is_refused_at_the_slug(place: Place, client_for: Any) -> None:
    before = Network.objects.count()
    response = client_for(SECRETARIAT).post(
        url("network-new"), {"name": "Ännu en SUP", "slug": place.network_a.slug}
    )
    assert response.status_code == 400
    assert Network.objects.count() == before
    page = response.content.decode()
    assert 'id="id_slug_error"' in page
    assert "har redan kortnamnet" in page


def test_renaming_a_network_that_a_decided_year_prints_is_refused_naming_the_year(
    place: Place, client_for: Any
) -> None:
    network = place.network_a
    response = client_for(SECRETARIAT).post(
        url("network-edit", network.pk),
        {
            "name": "Ett nytt namn",
            "short_name": network.short_name,
            "slug": network.slug,
            **read_as(network, place.year),
        },
    )
    assert response.status_code == 409
    assert "Året 2018" in response.content.decode()
    network.refresh_from_db()
    assert network.name != "Ett nytt namn"


def test_renaming_a_network_no_locked_year_reads_is_saved(place: Place, client_for: Any) -> None:
    network = a_network_no_year_reads(place)
    response = client_for(SECRETARIAT).post(
        url("network-edit", network.pk),
        {"name": "GIS-gruppen", "slug": "gis", "order": 3, **read_as(network, place.year)},
    )
    assert response.status_code == 303
    network.refresh_from_db()
    assert (network.name, network.order) == ("GIS-gruppen", 3)


def test_a_network_with_meetings_and_activities_is_not_deleted_and_the_page_says_why(
    place: Place, client_for: Any
) -> None:
    client = client_for(SECRETARIAT)
    asked = client.get(url("network-delete", place.network_a.pk)).content.decode()
    assert "2 möten" in asked
    assert "det låsta året 2018" in asked
    response = client.post(
        url("network-delete", place.network_a.pk), read_as(place.network_a, place.year)
    )
    assert response.status_code == 409
    assert Network.objects.filter(pk=place.network_a.pk).exists()


def test_a_network_nothing_depends_on_is_deleted_with_its_open_years_records(
    place: Place, client_for: Any
) -> None:
    network = a_network_no_year_reads(place)
    NetworkYear.objects.create(year=place.year, network=network)
    response = client_for(SECRETARIAT).post(
        url("network-delete", network.pk), read_as(network, place.year)
    )
    assert response.status_code == 303
    assert not Network.objects.filter(pk=network.pk).exists()
    assert not NetworkYear.objects.filter(network_id=network.pk).exists()
    assert AuditEntry.objects.filter(action="governance.network.delete").count() == 1


def test_the_secretariat_says_who_stays_away_and_the_networks_focus_area(
    place: Place, client_for: Any
) -> None:
    network = a_network_no_year_reads(place)
    botkyrka = Member.objects.get(cooperation=place.coop, code="0127")
    area = FocusArea.objects.filter(year=place.year).first()
    assert area is not None
    response = client_for(SECRETARIAT).post(
        url("network-year", network.pk),
        {
            "takes_part": "on",
            "absent": [botkyrka.pk],
            "participation_note": "Botkyrka deltar från hösten.",
            "focus_area": area.pk,
            **read_as(network, place.year, NETWORK_YEAR),
        },
    )
    assert response.status_code == 303
    part = NetworkYear.objects.get(year=place.year, network=network)
    assert list(part.absent.all()) == [botkyrka]
    assert (part.participation_note, part.focus_area) == ("Botkyrka deltar från hösten.", area)
    listed = client_for(SECRETARIAT).get(url("networks")).content.decode()
    assert "Botkyrka deltar från hösten." in listed


def test_a_network_that_no_longer_takes_part_loses_its_year_record(
    place: Place, client_for: Any
) -> None:
    network = a_network_no_year_reads(place)
    NetworkYear.objects.create(year=place.year, network=network, participation_note="Vilande")
    response = client_for(SECRETARIAT).post(
        url("network-year", network.pk), read_as(network, place.year, NETWORK_YEAR)
    )
    assert response.status_code == 303
    assert not NetworkYear.objects.filter(network=network).exists()
    entry = AuditEntry.objects.get(action="governance.network_year.update")
    assert entry.changes["participation_note"]["before"] == "Vilande"


def test_a_member_outside_the_network_cannot_be_marked_as_staying_away(
    place: Place, client_for: Any
) -> None:
    network = a_network_no_year_reads(place)
    huddinge, botkyrka = (
        Member.objects.get(cooperation=place.coop, code=code) for code in ("0126", "0127")
    )
    network.members.set([huddinge])
    response = client_for(SECRETARIAT).post(
        url("network-year", network.pk), {"takes_part": "on", "absent": [botkyrka.pk]}
    )
    # The form offers only the network's members: a stranger is an invalid choice at the field.
    assert response.status_code == 400
    assert 'id="id_absent_error"' in response.content.decode()
    assert not NetworkYear.objects.filter(network=network).exists()


def test_the_rule_on_who_may_stay_away_is_the_models_and_names_the_member(place: Place) -> None:
    network = a_network_no_year_reads(place)
    huddinge, botkyrka = (
        Member.objects.get(cooperation=place.coop, code=code) for code in ("0126", "0127")
    )
    network.members.set([huddinge])
    errors = NetworkYear.absent_errors(network, place.year, [botkyrka])
    assert "Botkyrka" in errors["absent"]
    assert NetworkYear.absent_errors(network, place.year, [huddinge]) == {}


def test_a_focus_area_of_another_year_is_refused_by_the_model(place: Place) -> None:
    network = a_network_no_year_reads(place)
    other = FocusArea.objects.filter(year__cooperation=place.coop).exclude(year=place.year).first()
    assert other is not None
    part = NetworkYear(year=place.year, network=network, focus_area=other)
    with pytest.raises(ValidationError) as caught:
        part.full_clean()
    assert "focus_area" in caught.value.message_dict


def test_participation_in_a_decided_year_is_refused_with_the_year_locks_message(
    place: Place, client_for: Any
) -> None:
    decided = Year.objects.get(cooperation=place.coop, year=2019)
    network = place.network_a
    before = NetworkYear.objects.filter(year=decided, network=network).exists()
    response = client_for(SECRETARIAT).post(
        url("network-year", network.pk, year=2019),
        {"takes_part": "on", **read_as(network, decided, NETWORK_YEAR)},
    )
    assert response.status_code == 409
    assert "Året 2019" in response.content.decode()
    assert NetworkYear.objects.filter(year=decided, network=network).exists() == before


def test_a_network_lead_is_told_that_the_secretariat_changes_the_networks(
    place: Place, client_for: Any
) -> None:
    response = client_for(LEAD_A).get(url("network-edit", place.network_a.pk))
    assert response.status_code == 403
    assert "Nätverken och hur de deltar under året ändras av kansliet." in (
        response.content.decode()
    )


def test_a_name_of_only_invisible_characters_is_refused_at_the_name(
    place: Place, client_for: Any
) -> None:
    before = Network.objects.count()
    response = client_for(SECRETARIAT).post(url("network-new"), {"name": "\u200b\u200e"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_name_error"' in page
    assert "Ange nätverkets namn." in page
    assert Network.objects.count() == before
