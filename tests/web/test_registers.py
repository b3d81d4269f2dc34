"""The registers in the app: add, edit, delete (asking first, refusing where something depends on
the record), the event's co-financing split by population, the texts' preview, deciding despite the
checks' errors, and the audit trail as people read it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.consultations.models import ConsultationResponse
from samverkan.consultations.services import save_consultation_response
from samverkan.finance.cofinancing import co_financing_lines
from samverkan.finance.models import CostCategory, LedgerLine, LineKind
from samverkan.governance.models import Event
from samverkan.governance.services import split_by_population
from samverkan.members.fees import fee_schedule
from samverkan.members.models import Member, Year, YearText
from samverkan.members.services import YearLocked
from samverkan.plan.services import update_follow_up
from samverkan.projects.models import Project
from samverkan.yearfile.export import export_year
from tests.web.conftest import LEAD_A, SECRETARIAT, Place, read_as


def url(name: str, *args: Any) -> str:
    return reverse(f"web:{name}", args=["sodertorn", 2020, *args])


def test_a_split_by_population_adds_up_to_the_total_in_whole_kronor() -> None:
    shares = split_by_population(Decimal("1000"), {"a": 1, "b": 1, "c": 1})
    assert sum(shares.values()) == Decimal(1000)
    assert sorted(shares.values()) == [Decimal(333), Decimal(333), Decimal(334)]
    assert split_by_population(Decimal("100"), {"a": 0}) == {}


def test_a_consultation_link_without_https_is_accepted_in_the_browser_and_stored_with_it(
    place: Place, client_for: Any
) -> None:
    page = client_for(SECRETARIAT).get(url("consultation-new")).content.decode()
    assert 'type="url"' not in page, "the browser would refuse regeringen.se/remiss before posting"
    response = client_for(SECRETARIAT).post(
        url("consultation-new"), {"subject": "Länsplan", "link": "regeringen.se/remiss"}
    )
    assert response.status_code == 303
    assert (
        ConsultationResponse.objects.get(subject="Länsplan").link == "https://regeringen.se/remiss"
    )


def test_the_secretariat_adds_edits_and_deletes_a_consultation_response_with_one_audit_entry_each(
    place: Place, client_for: Any
) -> None:
    client = client_for(SECRETARIAT)
    response = client.post(
        url("consultation-new"),
        {
            "subject": "Regional utvecklingsplan",
            "authority": "Region Stockholm",
            "received_on": "2020-02-01",
            "sent_on": "2020-03-15",
            "answered": "on",
            "link": "https://example.org/remiss",
        },
    )
    assert response.status_code == 303
    created = ConsultationResponse.objects.get(subject="Regional utvecklingsplan")
    assert created.link == "https://example.org/remiss"
    assert (
        client.post(
            url("consultation-edit", created.pk),
            {"subject": "Regional utvecklingsplan 2050", "answered": "", **read_as(created)},
        ).status_code
        == 303
    )
    confirm = client.get(url("consultation-delete", created.pk))
    assert (
        "Ta bort remissvaret" in confirm.content.decode()
        and ConsultationResponse.objects.filter(pk=created.pk)
    )
    assert client.post(url("consultation-delete", created.pk), read_as(created)).status_code == 303
    assert not ConsultationResponse.objects.filter(pk=created.pk).exists()
    actions = list(
        AuditEntry.objects.filter(
            object_type="consultations.consultationresponse", object_id=str(created.pk)
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "consultations.response.create",
        "consultations.response.delete",
        "consultations.response.update",
    ]


def test_a_locked_year_refuses_a_new_consultation_response(place: Place, users: Any) -> None:
    decided = Year.objects.get(cooperation=place.coop, year=2019)
    with pytest.raises(YearLocked):
        save_consultation_response(decided, actor=users[SECRETARIAT], subject="För sent")


def test_a_project_with_its_grant_paid_in_arrears_and_its_payment_is_saved_from_one_page(
    place: Place, client_for: Any
) -> None:
    client = client_for(SECRETARIAT)
    rows = {
        f"{p}-{k}": "0"
        for p in ("financing", "grants", "payments", "grant_income", "cost_lines")
        for k in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    fund = place.coop.funds.get(slug="drift-2020")
    category = CostCategory.objects.filter(cooperation=place.coop, kind=LineKind.COST).first()
    response = client.post(
        url("project-new"),
        {
            **rows,
            "name": "Cykelstråk",
            "contractor": "WSP",
            "stated_cost": "120000",
            "financing-TOTAL_FORMS": "1",
            "financing-0-source": "grant",
            "grants-TOTAL_FORMS": "1",
            "grants-0-grantor": "Trafikverket",
            "grants-0-timing": "arrears",
            "grants-0-amount": "60000",
            "grants-0-expected_payment_year": "2021",
            "cost_lines-TOTAL_FORMS": "1",
            "cost_lines-0-fund": fund.pk,
            "cost_lines-0-category": category.pk,
            "cost_lines-0-amount": "120000",
            "cost_lines-0-date": "2020-10-01",
            "cost_lines-0-text": "WSP faktura",
        },
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    project = Project.objects.get(name="Cykelstråk")
    grant = project.grants.get()
    assert grant.slug == "cykelstrak-trafikverket" and grant.timing == "arrears"
    assert project.lines.get().source == "manual"
    page = client.get(response["Location"]).content.decode()
    assert f'<option value="{grant.pk}">' in page, "the saved grant can now be chosen for a payment"
    assert (
        AuditEntry.objects.filter(
            action="projects.project.create", object_id=str(project.pk)
        ).count()
        == 1
    )


def test_a_project_takes_its_amounts_as_people_type_them(place: Place, client_for: Any) -> None:
    client = client_for(SECRETARIAT)
    rows = {
        f"{p}-{k}": "0"
        for p in ("financing", "grants", "payments", "grant_income", "cost_lines")
        for k in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    form = client.get(url("project-new")).content.decode()
    for name in ("stated_cost", "grants-0-rate", "grants-0-amount", "cost_lines-0-amount"):
        box = re.search(rf'<input [^>]*name="{name}"[^>]*>', form)
        assert box is not None and 'type="text"' in box[0], "a number box refuses 80 000"
    response = client.post(
        url("project-new"),
        {
            **rows,
            "name": "Kartor",
            "stated_cost": "80 000",
            "grants-TOTAL_FORMS": "1",
            "grants-0-grantor": "Tillväxtverket",
            "grants-0-timing": "arrears",
            "grants-0-rate": "12,5",
            "grants-0-amount": "1\u00a0600,50 kr",
        },
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    project = Project.objects.get(name="Kartor")
    grant = project.grants.get()
    assert project.years.get().stated_cost == Decimal("80000")
    assert (grant.rate, grant.amount) == (Decimal("12.5"), Decimal("1600.50"))


def test_a_grant_paid_in_arrears_is_a_receivable_on_the_project_page_from_its_income_to_its_payment(
    place: Place, client_for: Any
) -> None:
    from samverkan.projects.models import Grant, ProjectYear

    client = client_for(SECRETARIAT)
    project = Project.objects.create(
        cooperation=place.coop, start_year=place.year, slug="cykelstrak", name="Cykelstråk"
    )
    ProjectYear.objects.create(project=project, year=place.year)
    grant = Grant.objects.create(
        project=project,
        year=place.year,
        slug="cykelstrak-trafikverket",
        grantor="Trafikverket",
        timing="arrears",
    )
    income = CostCategory.objects.get(cooperation=place.coop, slug="bidrag")
    fund = place.coop.funds.get(slug="drift-2020")
    empty = {
        f"{p}-{k}": "0"
        for p in ("financing", "grants", "payments", "grant_income", "cost_lines")
        for k in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    booked = client.post(
        url("project-edit", project.pk),
        {
            **empty,
            **read_as(project, place.year),
            "name": project.name,
            "grant_income-TOTAL_FORMS": "1",
            "grant_income-0-grant": grant.pk,
            "grant_income-0-fund": fund.pk,
            "grant_income-0-category": income.pk,
            "grant_income-0-amount": "30000",
            "grant_income-0-date": "2020-12-31",
        },
    )
    assert booked.status_code == 303, booked.content.decode()[:2000]
    line = grant.lines.get()
    assert (line.kind, line.amount, line.project) == ("income", Decimal(30000), project)
    page = client.get(booked["Location"]).content.decode()
    assert "Trafikverket: 30\u00a0000\u00a0kr att få" in page

    paid = client.post(
        url("project-edit", project.pk),
        {
            **empty,
            **read_as(project, place.year),
            "name": project.name,
            "payments-TOTAL_FORMS": "1",
            "payments-0-grant": grant.pk,
            "payments-0-date": "2020-12-15",
            "payments-0-amount": "30000",
        },
    )
    assert paid.status_code == 303, paid.content.decode()[:2000]
    assert "Trafikverket: ingen fordran" in client.get(paid["Location"]).content.decode()
    assert grant.lines.count() == 1, "the income line stays as it was"


def test_a_project_that_lines_depend_on_is_not_deleted_and_the_page_says_why(
    place: Place, client_for: Any
) -> None:
    project = Project.objects.filter(years__year=place.year, lines__isnull=False).distinct().first()
    assert project is not None
    client = client_for(SECRETARIAT)
    assert (
        "bokföringsrader hör till projektet"
        in client.get(url("project-delete", project.pk)).content.decode()
    )
    response = client.post(url("project-delete", project.pk), read_as(project, place.year))
    assert response.status_code == 409
    assert Project.objects.filter(pk=project.pk).exists()


def test_split_by_population_fills_the_rows_and_saves_nothing_until_saved(
    place: Place, client_for: Any
) -> None:
    event = Event.objects.get(year=place.year, slug="sodertornskonferensen-2020")
    client = client_for(SECRETARIAT)
    form = {
        "name": event.name,
        "kind": event.kind,
        "status": event.status,
        "reason": event.reason,
        "fund": event.fund_id,
        "split_total": "100000",
        "partners": "KTH\n\nSödertörns högskola \n",
        **read_as(event),
    }
    filled = client.post(url("event-edit", event.pk), {**form, "action": "split"})
    assert filled.status_code == 200
    assert not co_financing_lines(place.year.pk, event.fund_id).exists()
    schedule = fee_schedule(place.year)
    expected = split_by_population(
        Decimal(100000), {c.member_code: c.population for c in schedule.charges if c.population}
    )
    page = filled.content.decode()
    members = {m.code: m for m in Member.objects.filter(cooperation=place.coop)}
    shares = {}
    for code, amount in expected.items():
        member = members[code]
        assert re.search(rf'name="share_{member.pk}"[^>]*value="{amount}"', page), code
        shares[f"share_{member.pk}"] = str(amount)
    # The fund has booked no costs yet: the shares are accepted (the check finds them later).
    saved = client.post(url("event-edit", event.pk), {**form, **shares, "action": "save"})
    assert saved.status_code == 303
    lines = co_financing_lines(place.year.pk, event.fund_id)
    assert sum(line.amount for line in lines) == Decimal(100000)
    event.refresh_from_db()
    assert event.partner_list == ["KTH", "Södertörns högskola"]
    assert "Södertörns högskola" in export_year(Year.objects.get(pk=place.year.pk))
    findings = client.get(url("dashboard")).content.decode()
    assert "Arrangemangets kostnader är inte bokförda ännu" in findings, "a warning, not an error"
    assert "är inte lika med arrangemangets bokförda kostnader" not in findings
    assert url("event-edit", event.pk) in findings, "the finding links to the event"
    refused = client.post(url("event-delete", event.pk), read_as(event))
    assert refused.status_code == 409 and "medfinansiering" in refused.content.decode()


def test_a_text_is_previewed_without_saving_and_then_saved(place: Place, client_for: Any) -> None:
    text = YearText.objects.get(year=place.year, key="introduction")
    client = client_for(SECRETARIAT)
    preview = client.post(
        url("text-edit", text.pk),
        {"key": "introduction", "body": "- en\n- två", "action": "preview"},
    )
    assert preview.status_code == 200 and "<li>två</li>" in preview.content.decode()
    with_figure = client.post(
        url("text-edit", text.pk),
        {"key": "introduction", "body": "Kostnad {{ total.costs }}.", "action": "preview"},
    ).content.decode()
    shown = with_figure.split('id="preview-heading"')[1]
    assert "{{ total.costs }}" not in shown and "kr" in shown, (
        "the preview fills figures as the report does"
    )
    assert YearText.objects.get(pk=text.pk).body == text.body
    saved = client.post(
        url("text-edit", text.pk),
        {"key": "introduction", "body": "Ny inledning.", "action": "save", **read_as(text)},
    )
    assert saved.status_code == 303 and YearText.objects.get(pk=text.pk).body == "Ny inledning."


def test_a_figure_of_a_fund_that_does_not_exist_stays_visible_in_the_preview_not_nought(
    place: Place, client_for: Any
) -> None:
    body = "Drift {{ fund.drift-2020.costs }}; stavfel {{ fund.drfit-2020.costs }}."
    page = client_for(SECRETARIAT).post(
        url("text-new"), {"key": "introduction", "body": body, "action": "preview"}
    )
    after = page.content.decode().split('id="preview-heading"')[1]
    shown = after.split("</section>")[0].replace("&nbsp;", " ")
    assert "{{ fund.drfit-2020.costs }}" in shown, "a typing error shows, it does not print 0 kr"
    assert "{{ fund.drift-2020.costs }}" not in shown and "Drift 1 8" in shown


def test_the_example_of_a_figure_in_the_text_form_names_one_that_exists(
    place: Place, client_for: Any
) -> None:
    form = client_for(SECRETARIAT).get(url("text-new")).context["form"]
    example = re.search(r"\{\{ (\S+) \}\}", str(form.fields["body"].help_text))
    assert example is not None
    from samverkan.web.summaries import year_figures

    assert year_figures(place.year).derived(example[1]) is not None


def test_a_network_lead_deletes_a_meeting_of_their_network_after_confirming(
    place: Place, client_for: Any
) -> None:
    client = client_for(LEAD_A)
    assert "Ja, ta bort" in client.get(url("meeting-delete", place.meeting_a.pk)).content.decode()
    assert (
        client.post(url("meeting-delete", place.meeting_a.pk), read_as(place.meeting_a)).status_code
        == 303
    )
    assert not place.year.meetings.filter(pk=place.meeting_a.pk).exists()
    assert AuditEntry.objects.filter(action="governance.meeting.delete").count() == 1


def test_deciding_a_year_with_errors_asks_for_a_reason_and_the_audit_trail_keeps_it(
    place: Place, client_for: Any
) -> None:
    member = Member.objects.get(cooperation=place.coop, code="0126")
    event = Event.objects.get(year=place.year, slug="sodertornskonferensen-2020")
    LedgerLine.objects.create(
        year=place.year,
        fund=event.fund,
        kind=LineKind.INCOME,
        amount=Decimal(5),
        member=member,
        date=dt.date(2020, 12, 31),
        category=CostCategory.objects.get(cooperation=place.coop, slug="medfinansiering"),
    )
    client = client_for(SECRETARIAT)
    status_page = client.get(url("year-status")).content.decode()
    assert (
        "Medlemmarnas medfinansiering" in status_page
        and "Varför beslutas året trots felen?" in status_page
    )
    refused = client.post(url("year-decide"), {"decided_on": "2021-02-01"})
    assert refused.status_code == 400 and Year.objects.get(pk=place.year.pk).status == "draft"
    decided = client.post(
        url("year-decide"),
        {
            "decided_on": "2021-02-01",
            "confirm_errors": "on",
            "errors_reason": "Rättas i bokslutet 2021.",
        },
    )
    assert decided.status_code == 302
    entry = AuditEntry.objects.get(action="year.decide")
    assert entry.message == "Rättas i bokslutet 2021."
    assert any("medfinansiering" in e for e in entry.changes["open_errors"]["after"])
    log = client.get(url("audit")).content.decode()
    assert "Året beslutades" in log and "Motivering: Rättas i bokslutet 2021." in log


def test_the_audit_trail_reads_in_swedish_with_labels_values_a_text_diff_and_no_hashes(
    place: Place, users: Any, client_for: Any
) -> None:
    follow_up = place.activity_a.follow_up
    old_text = follow_up.text
    update_follow_up(
        follow_up,
        actor=users[LEAD_A],
        version=follow_up.version,
        status=follow_up.status,
        text=old_text + "\nEn ny rad om uppföljningen.",
    )
    users[LEAD_A].first_name, users[LEAD_A].last_name = "Sara", "Ledare"
    users[LEAD_A].save()
    page = client_for(SECRETARIAT).get(url("audit")).content.decode()
    assert "Uppföljningen ändrades" in page and "Sara Ledare" in page
    assert (
        '<ul class="diff"' in page and "Tillagt:" in page and "En ny rad om uppföljningen." in page
    )
    assert not re.search(r"\b[0-9a-f]{64}\b", page), "checksums stay in the data, off the page"
    assert "sha256" not in page.lower()
    assert AuditEntry.objects.filter(changes__has_key="sha256").exists()


def test_the_audit_trail_names_a_projects_part_in_the_year_in_swedish_with_amounts(
    place: Place, client_for: Any
) -> None:
    client = client_for(SECRETARIAT)
    rows = {
        f"{p}-{k}": "0"
        for p in ("financing", "grants", "payments", "grant_income", "cost_lines")
        for k in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    saved = client.post(
        url("project-new"),
        {**rows, "name": "Kartor", "stated_cost": "80000", "description": "Nya kartor."},
    )
    assert saved.status_code == 303
    project = Project.objects.get(name="Kartor")
    page = client.get(url("audit") + f"?object=projects.project:{project.pk}").content.decode()
    page = page.replace("\xa0", " ").replace("&nbsp;", " ")
    assert "Angiven kostnad" in page and "Beskrivning" in page
    assert "Stated cost" not in page and "Description" not in page
    assert "80 000" in page and "80000.00" not in page


def test_co_financing_of_an_event_without_a_fund_is_booked_in_a_new_fund_of_its_own(
    place: Place, client_for: Any
) -> None:
    member = Member.objects.get(cooperation=place.coop, code="0126")
    response = client_for(SECRETARIAT).post(
        url("event-new"),
        {
            "name": "Klimatdagen",
            "kind": "other",
            "status": "held",
            "action": "save",
            f"share_{member.pk}": "2500",
        },
    )
    assert response.status_code == 303
    event = Event.objects.get(year=place.year, name="Klimatdagen")
    assert (
        event.fund is not None and event.fund.kind == "event" and event.fund.name == "Klimatdagen"
    )
    assert [line.amount for line in co_financing_lines(place.year.pk, event.fund_id)] == [
        Decimal(2500)
    ]


def test_a_grant_with_payments_is_not_removed_from_the_project_page_and_the_row_says_why(
    place: Place, client_for: Any
) -> None:
    from samverkan.projects.models import Grant, GrantPayment, GrantTiming, ProjectYear

    project = Project.objects.create(
        cooperation=place.coop, start_year=place.year, slug="analys", name="Analys"
    )
    ProjectYear.objects.create(project=project, year=place.year)
    grant = Grant.objects.create(
        project=project,
        year=place.year,
        slug="vinnova-analys",
        grantor="Vinnova",
        timing=GrantTiming.ARREARS,
    )
    GrantPayment.objects.create(
        year=place.year, grant=grant, date=dt.date(2020, 6, 30), amount=Decimal(100)
    )
    rows = {
        f"{p}-{k}": "0"
        for p in ("financing", "payments", "grant_income", "cost_lines")
        for k in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    response = client_for(SECRETARIAT).post(
        url("project-edit", project.pk),
        {
            **rows,
            **read_as(project, place.year),
            "name": "Analys",
            "grants-TOTAL_FORMS": "1",
            "grants-INITIAL_FORMS": "1",
            "grants-0-id": grant.pk,
            "grants-0-grantor": "Vinnova",
            "grants-0-timing": "arrears",
            "grants-0-DELETE": "on",
            "payments-TOTAL_FORMS": "1",
            "payments-INITIAL_FORMS": "1",
            "payments-0-id": grant.payments.get().pk,
            "payments-0-grant": grant.pk,
            "payments-0-date": "2020-06-30",
            "payments-0-amount": "100",
        },
    )
    assert response.status_code == 400
    assert "Raden kan inte tas bort" in response.content.decode()
    assert Grant.objects.filter(pk=grant.pk).exists()


def fund_options(page: str, name: str) -> list[str]:
    """The labels of the first fund picker named `name` on the page."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, name
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select[1])][1:]


@pytest.mark.parametrize(
    ("page", "picker"),
    [
        ("project-new", "cost_lines-0-fund"),
        ("event-new", "fund"),
        ("account-mapping-new", "fund"),
    ],
)
def test_every_fund_picker_names_the_operating_funds_of_earlier_years_apart(
    place: Place, client_for: Any, page: str, picker: str
) -> None:
    options = fund_options(client_for(SECRETARIAT).get(url(page)).content.decode(), picker)
    assert len(options) == len(set(options)), options
    assert any(option.endswith("drift från 2018") for option in options), options


def test_a_finding_about_inhabitants_counts_people_not_kronor(
    place: Place, client_for: Any
) -> None:
    dashboard = reverse("web:dashboard", args=["sodertorn", 2018])
    page = client_for(SECRETARIAT).get(dashboard).content.decode().replace("\xa0", " ")
    row = re.search(r"<tr>(?:(?!</tr>).)*2018 · invånare(?:(?!</tr>).)*</tr>", page, re.S)
    assert row is not None
    assert "496 201" in row[0] and "494 358" in row[0] and "1 843" in row[0]
    assert " kr" not in row[0]
    population = reverse("web:population", args=["sodertorn", 2018])
    assert f'href="{population}"' in row[0], "the members' figures, where the finding is fixed"


def test_a_refused_row_deep_in_the_project_page_is_announced_at_its_top(
    place: Place, client_for: Any
) -> None:
    rows = {
        f"{p}-{k}": "0"
        for p in ("financing", "grants", "payments", "grant_income", "cost_lines")
        for k in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    response = client_for(SECRETARIAT).post(
        url("project-new"),
        {
            **rows,
            "name": "Kartor",
            "cost_lines-TOTAL_FORMS": "1",
            "cost_lines-0-amount": "80 000",
            "cost_lines-0-date": "2021-02-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    notice = page.find("Projektet är inte sparat: rätta de markerade fälten nedan.")
    assert 0 < notice < page.find('name="name"'), "the notice stands above the form"


def test_a_refused_event_is_announced_at_the_top_of_its_page(place: Place, client_for: Any) -> None:
    response = client_for(SECRETARIAT).post(
        url("event-new"), {"name": "Rådslag", "kind": "conference", "date": "2021-05-01"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    notice = page.find("Arrangemanget är inte sparat: rätta de markerade fälten nedan.")
    assert 0 < notice < page.find('name="name"')


def test_the_texts_say_which_record_a_key_places_them_with_or_that_none_has_it(
    place: Place, client_for: Any
) -> None:
    YearText.objects.create(year=place.year, key="slutord", body="Tack.")
    page = client_for(SECRETARIAT).get(url("texts")).content.decode()
    conference = Event.objects.get(year=place.year, kind="conference")
    assert f"Vid arrangemanget {conference.name}" in page
    assert "Sist i årsredovisningen: ingen post har nyckeln slutord" in page
    assert "Vid posten" not in page


def test_the_text_form_offers_the_known_keys_and_the_years_records_to_choose_from(
    place: Place, client_for: Any
) -> None:
    page = client_for(SECRETARIAT).get(url("text-new")).content.decode()
    assert 'list="text-keys"' in page
    keys = re.search(r'<datalist id="text-keys">(.*?)</datalist>', page, re.S)
    assert keys is not None
    assert '<option value="introduction">Inledning</option>' in keys[1]
    assert "Vid arrangemanget" in keys[1] and "Vid projektet" in keys[1]
