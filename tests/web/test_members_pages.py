"""The members and population pages as the secretariat uses them (Django's test client, the demo data).

In the demo 2018 is published and 2019 decided (both locked); 2020 is a
draft. A figure at 31 December 2018 is 2019's fee basis and cannot change;
one at 31 December 2019 feeds 2020 and can.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.members.models import Member, PopulationFigure, Year
from samverkan.web.edit_guard import POPULATION_TOTAL
from tests.web.conftest import READER, SECRETARIAT, Place, read_as

SCB_CSV = Path(__file__).resolve().parents[1] / "data" / "scb" / "folkmangd-botkyrka-haninge.csv"


def url(name: str, *args: Any) -> str:
    return reverse(f"web:{name}", args=["sodertorn", 2020, *args])


@pytest.fixture
def secretariat(client_for: Any, place: Place) -> Client:
    client: Client = client_for(SECRETARIAT)
    return client


def member(code: str) -> Member:
    return Member.objects.get(cooperation__slug="sodertorn", code=code)


def rename_form(found: Member, name: str) -> dict[str, Any]:
    """The rename form as the member's page carries it: the new name and the digest of the
    member as read."""
    return {"name": name, **read_as(found, found.cooperation.years.get(year=2020))}


def upload(client: Client, name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url("population-import"), {"file": SimpleUploadedFile(name, content)})


def confirm_field(response: Any) -> str:
    value = response.context["confirm_form"]["plan"].value()
    assert isinstance(value, str)
    return value


# -- members ------------------------------------------------------------------------------------------------


def test_the_secretariat_adds_a_member_from_the_open_year(secretariat: Client) -> None:
    response = secretariat.post(url("member-new"), {"code": "0160", "name": "Täby", "joined": 2020})
    assert response.status_code == 303 and response["Location"] == url("members")
    assert member("0160").name == "Täby"
    page = secretariat.get(url("members")).content.decode()
    assert "Täby" in page and "0160" in page


def test_adding_a_member_into_the_decided_year_is_refused_as_a_form_error_naming_it(
    secretariat: Client,
) -> None:
    response = secretariat.post(url("member-new"), {"code": "0160", "name": "Täby", "joined": 2019})
    assert response.status_code == 409
    assert "Året 2019 är beslutat och därför låst" in response.content.decode()
    assert not Member.objects.filter(code="0160").exists()


def test_a_member_code_that_is_not_four_digits_is_a_form_error(secretariat: Client) -> None:
    response = secretariat.post(url("member-new"), {"code": "160", "name": "Täby", "joined": 2020})
    assert response.status_code == 400
    assert "En kommunkod har fyra siffror." in response.content.decode()


def test_marking_a_member_as_having_left_before_a_decided_year_is_refused(
    secretariat: Client,
) -> None:
    salem = member("0128")
    response = secretariat.post(url("member-left", salem.pk), {"left": 2018})
    assert response.status_code == 409
    assert "Året 2019" in response.content.decode()
    salem.refresh_from_db()
    assert salem.left is None


def test_marking_a_member_as_having_left_in_the_open_year_is_saved(secretariat: Client) -> None:
    salem = member("0128")
    response = secretariat.post(url("member-left", salem.pk), {"left": 2020})
    assert response.status_code == 303
    salem.refresh_from_db()
    assert salem.left == 2020


def test_correcting_a_name_is_saved_and_audited_with_the_user(
    secretariat: Client, users: Any
) -> None:
    secretariat.post(url("member-new"), {"code": "0160", "name": "Täby", "joined": 2020})
    assert (
        secretariat.post(
            url("member-rename", member("0160").pk), rename_form(member("0160"), "Täby kommun")
        ).status_code
        == 303
    )
    assert member("0160").name == "Täby kommun"
    entry = AuditEntry.objects.get(action="members.member.rename")
    assert entry.actor == users[SECRETARIAT]


def test_correcting_a_name_that_a_locked_year_shows_is_a_form_error_naming_the_year(
    secretariat: Client,
) -> None:
    response = secretariat.post(
        url("member-rename", member("0128").pk), rename_form(member("0128"), "Salems kommun")
    )
    assert response.status_code == 409
    assert "Året 2018 är publicerat och därför låst" in response.content.decode()
    assert member("0128").name == "Salem"


def test_a_reader_sees_the_member_page_without_forms(client_for: Any, place: Place) -> None:
    page = client_for(READER).get(url("member", member("0127").pk)).content.decode()
    assert "Botkyrka" in page and "Spara namnet" not in page
    assert "94" in page  # the figures are listed


# -- figures by hand -------------------------------------------------------------------------------------------


def figure_data(population: str, date: str = "2020-12-31") -> dict[str, Any]:
    return {
        "member": member("0127").pk,
        "date": date,
        "population": population,
        "source": "SCB:s statistiknyhet",
    }


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-3", "Ett invånarantal kan inte vara negativt."),
        ("12 5OO", "”12 5OO” är inte ett heltal"),
    ],
)
def test_a_bad_figure_typed_by_hand_is_a_form_error_and_nothing_is_stored(
    secretariat: Client, typed: str, message: str
) -> None:
    response = secretariat.post(url("population-new"), figure_data(typed))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PopulationFigure.objects.filter(date=dt.date(2020, 12, 31)).exists()


def test_a_figure_typed_by_hand_is_stored_with_its_source(secretariat: Client) -> None:
    assert secretariat.post(url("population-new"), figure_data("96 142")).status_code == 303
    figure = PopulationFigure.objects.get(member=member("0127"), date=dt.date(2020, 12, 31))
    assert (figure.population, figure.source) == (96142, "SCB:s statistiknyhet")


def test_the_same_figure_sent_twice_is_stored_and_audited_once(secretariat: Client) -> None:
    entries = AuditEntry.objects.filter(action="members.population.save")
    before = entries.count()
    assert secretariat.post(url("population-new"), figure_data("96 142")).status_code == 303
    assert secretariat.post(url("population-new"), figure_data("96 142")).status_code == 303
    assert PopulationFigure.objects.filter(member=member("0127"), date="2020-12-31").count() == 1
    assert entries.count() == before + 1


def test_correcting_the_decided_years_fee_basis_by_hand_is_refused_naming_the_year(
    secretariat: Client,
) -> None:
    response = secretariat.post(url("population-new"), figure_data("1", date="2018-12-31"))
    assert response.status_code == 409
    assert "Året 2018" in response.content.decode()
    assert (
        PopulationFigure.objects.get(member=member("0127"), date=dt.date(2018, 12, 31)).population
        == 93106
    )


@pytest.mark.parametrize("page", ["members", "population"])
def test_the_dates_of_the_figures_read_in_swedish(secretariat: Client, page: str) -> None:
    text = secretariat.get(url(page)).content.decode()
    assert "31 december 2019" in text
    assert "31 Dec 2019" not in text.replace(
        "SCB, 31 Dec 2019, as printed", ""
    )  # the demo's source


def test_the_form_for_a_figure_by_hand_proposes_the_fee_basis_of_the_page_year(
    secretariat: Client,
) -> None:
    form = secretariat.get(url("population-new")).context["form"]
    assert form["date"].value() == dt.date(2019, 12, 31)  # the 2020 page: 2020's fee basis


def test_a_member_without_a_population_figure_is_a_finding_that_leads_to_the_form_for_it(
    secretariat: Client,
) -> None:
    secretariat.post(url("member-new"), {"code": "0160", "name": "Täby", "joined": 2020})
    new_figure = f"{url('population-new')}?member={member('0160').pk}"
    dashboard = secretariat.get(url("dashboard")).content.decode()
    assert "Invånarantal saknas för Täby den 2019-12-31." in dashboard
    assert f'href="{new_figure}"' in dashboard.replace("&amp;", "&")
    form = secretariat.get(new_figure).context["form"]
    assert form["member"].value() == str(member("0160").pk)


def test_the_fee_table_offers_the_population_forms_when_a_figure_is_missing(
    secretariat: Client,
) -> None:
    secretariat.post(url("member-new"), {"code": "0160", "name": "Täby", "joined": 2020})
    page = secretariat.get(url("accounts")).content.decode()
    assert f'href="{url("population-new")}"' in page
    assert f'href="{url("population-import")}"' in page


def test_a_reader_is_not_offered_the_population_forms(client_for: Any, place: Place) -> None:
    client_for(SECRETARIAT).post(
        url("member-new"), {"code": "0160", "name": "Täby", "joined": 2020}
    )
    page = client_for(READER).get(url("accounts")).content.decode()
    assert url("population-new") not in page


# -- the SCB file import ------------------------------------------------------------------------------------------


def test_an_scb_csv_is_previewed_then_imported_with_its_file_name(secretariat: Client) -> None:
    response = upload(secretariat, "folkmangd.csv", SCB_CSV.read_bytes())
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "4 nya invånarantal" in page
        and "0136 Haninge" in page
        and "100 895" in page.replace("\xa0", " ")
    )
    assert not PopulationFigure.objects.filter(date=dt.date(2024, 12, 31)).exists(), (
        "the preview stores nothing"
    )

    done = secretariat.post(url("population-import-confirm"), {"plan": confirm_field(response)})
    assert done.status_code == 303 and done["Location"] == url("population")
    figure = PopulationFigure.objects.get(member=member("0136"), date=dt.date(2024, 12, 31))
    assert (figure.population, figure.source_file, figure.source_table) == (
        100895,
        "folkmangd.csv",
        "TAB638",
    )
    page = secretariat.get(url("population")).content.decode()
    assert "SCB, tabell TAB638, fil folkmangd.csv, importerad" in page


def test_the_preview_shows_changes_unknown_codes_and_members_that_have_left(
    secretariat: Client,
) -> None:
    Member.objects.filter(cooperation__slug="sodertorn", code="0128").update(left=2020)
    csv = (
        '"region","2019","2020"\n"0127 Botkyrka",94607,96000\n"0128 Salem",16750,17000\n'
        '"0180 Stockholm",974073,975551\n'
    )
    page = upload(secretariat, "f.csv", csv.encode()).content.decode()
    assert "1 ändrat invånarantal" in page and "94 606" in page.replace("\xa0", " ")
    assert "0180 Stockholm (rad 4)" in page
    assert "Medlemmar som har lämnat" in page and "Salem" in page
    assert "1 nytt invånarantal" in page  # Botkyrka 2020; Salem 2019 is unchanged


def test_a_file_of_another_table_is_refused_naming_the_line_and_nothing_changes(
    secretariat: Client,
) -> None:
    before = PopulationFigure.objects.count()
    response = upload(
        secretariat,
        "folkokning.csv",
        b'"Folk\xc3\xb6kning efter region och \xc3\xa5r"\n\n"region","2024"\n',
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Filen folkokning.csv kan inte importeras. Inget har ändrats." in page
    assert "Rad 1: det här är inte SCB:s tabell Folkmängd" in page
    assert PopulationFigure.objects.count() == before


def test_a_file_with_bad_figures_names_each_line_and_column(secretariat: Client) -> None:
    response = upload(
        secretariat, "f.csv", b'"region","2024"\n"0127 Botkyrka",-3\n"0136 Haninge",12 5OO\n'
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rad 2, kolumn ”2024”: ”-3” är negativt" in page
    assert "Rad 3, kolumn ”2024”: ”12 5OO” är inte ett heltal" in page


def test_a_file_over_the_upload_limit_is_refused(secretariat: Client, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 100
    response = upload(secretariat, "stor.csv", b'"region","2024"\n' + b'"0127 Botkyrka",1\n' * 20)
    assert response.status_code == 413
    assert "Filen är större än 100" in response.content.decode()


def test_an_import_into_the_decided_years_fee_basis_is_refused_in_the_preview(
    secretariat: Client,
) -> None:
    response = upload(secretariat, "f.csv", b'"region","2018"\n"0127 Botkyrka",93000\n')
    page = response.content.decode()
    assert "Importen ändrar invånarantal som 2018, 2019 bygger på" in page
    assert 'name="plan"' not in page, "no import button"


def test_a_tampered_confirmation_is_refused(secretariat: Client) -> None:
    response = secretariat.post(url("population-import-confirm"), {"plan": "x:y:z"})
    assert response.status_code == 400
    assert "Ladda upp filen igen" in response.content.decode()


def test_a_confirmation_after_the_figures_moved_shows_the_preview_again(
    secretariat: Client,
) -> None:
    response = upload(secretariat, "folkmangd.csv", SCB_CSV.read_bytes())
    PopulationFigure.objects.create(member=member("0127"), date=dt.date(2024, 12, 31), population=1)
    again = secretariat.post(url("population-import-confirm"), {"plan": confirm_field(response)})
    assert again.status_code == 409
    assert "har ändrats sedan förhandsgranskningen" in again.content.decode()
    assert (
        PopulationFigure.objects.get(member=member("0127"), date=dt.date(2024, 12, 31)).population
        == 1
    )


# -- why is this member's fee X ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["accounts", "dashboard"])
def test_every_fee_view_explains_the_fee_with_rate_population_basis_date_and_source(
    secretariat: Client, page: str
) -> None:
    text = secretariat.get(url(page)).content.decode().replace("\xa0", " ")
    assert "4 kr × 94 606 invånare den 31 december 2019 = 378 424 kr" in text
    assert "Källa: SCB, 31 Dec 2019, as printed by mitti.se" in text


# -- the year's stated population total -----------------------------------------------------------------------


def shown(response: Any) -> str:
    """The page's text with its non-breaking spaces (in numbers) as plain ones."""
    return str(response.content.decode()).replace("\xa0", " ")


def total_data(
    total: str, date: str = "2020-12-31", note: str = "Vid årets slut"
) -> dict[str, str]:
    return {
        "population_total": total,
        "population_total_date": date,
        "population_total_note": note,
    }


def sent(data: dict[str, str], year: int = 2020) -> dict[str, str]:
    """The form as the page sends it: with the digest of the figure as stored now."""
    found = Year.objects.get(cooperation__slug="sodertorn", year=year)
    return {**data, **read_as(found, found, POPULATION_TOTAL)}


def test_the_population_page_shows_the_years_stated_total_and_offers_its_form(
    secretariat: Client,
) -> None:
    page = shown(secretariat.get(url("population")))
    assert "507 552 invånare den 31 december 2020." in page
    assert f'href="{url("population-total")}"' in page
    form = secretariat.get(url("population-total")).context["form"]
    assert form["population_total"].value() == 507552


def test_the_secretariat_corrects_the_stated_total_and_the_change_is_audited(
    secretariat: Client, place: Place
) -> None:
    response = secretariat.post(url("population-total"), sent(total_data("508 001", "2020-09-30")))
    assert response.status_code == 303 and response["Location"] == url("population")
    place.year.refresh_from_db()
    assert (place.year.population_total, place.year.population_total_date) == (
        508001,
        dt.date(2020, 9, 30),
    )
    entry = AuditEntry.objects.filter(action="members.year.population_total").get()
    assert entry.year == 2020
    assert entry.changes["population_total"] == {"before": 507552, "after": 508001}
    assert "508 001 invånare den 30 september 2020." in shown(secretariat.get(url("population")))


def test_the_same_stated_total_sent_again_is_not_audited(secretariat: Client) -> None:
    secretariat.post(url("population-total"), sent(total_data("507552")))
    assert not AuditEntry.objects.filter(action="members.year.population_total").exists()


def test_the_stated_total_can_be_removed_with_its_date_and_note(
    secretariat: Client, place: Place
) -> None:
    response = secretariat.post(url("population-total"), sent(total_data("", "", "")))
    assert response.status_code == 303
    place.year.refresh_from_db()
    assert place.year.population_total is None and place.year.population_total_date is None
    assert "anger inget invånarantal" in shown(secretariat.get(url("population")))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (total_data("508001", ""), "Ange datumet som invånarantalet gäller."),
        (total_data("", "2020-12-31"), "Ange invånarantalet som gäller datumet."),
        (total_data("", "", "En anteckning"), "Anteckningen hör till ett invånarantal"),
        (total_data("-5"), "Ett invånarantal kan inte vara negativt."),
        (total_data("fem"), "”fem” är inte ett heltal"),
    ],
)
def test_a_stated_total_without_its_date_or_not_a_number_is_a_form_error_and_nothing_changes(
    secretariat: Client, place: Place, data: dict[str, str], message: str
) -> None:
    response = secretariat.post(url("population-total"), sent(data))
    assert response.status_code == 400
    assert message in response.content.decode()
    place.year.refresh_from_db()
    assert place.year.population_total == 507552


def test_the_stated_total_of_a_decided_year_is_refused_with_the_lock_message(
    secretariat: Client,
) -> None:
    decided = reverse("web:population-total", args=["sodertorn", 2019])
    assert "Året är låst" in secretariat.get(decided).content.decode()
    response = secretariat.post(decided, sent(total_data("1", "2019-12-31"), 2019))
    assert response.status_code == 409
    assert "Året 2019" in response.content.decode()
    assert Year.objects.get(cooperation__slug="sodertorn", year=2019).population_total is None
    assert (
        url("population-total").replace("2020", "2019")
        not in secretariat.get(reverse("web:population", args=["sodertorn", 2019])).content.decode()
    )


def test_a_stated_total_that_differs_from_the_members_becomes_a_finding(
    secretariat: Client,
) -> None:
    secretariat.post(url("population-total"), sent(total_data("1 000", "2019-12-31")))
    dashboard = shown(secretariat.get(url("dashboard")))
    assert "Årsredovisningen anger 1 000 invånare den 31 december 2019" in dashboard
