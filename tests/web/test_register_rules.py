"""The registers' record rules exist once, on the model, and every write path refuses with the same words.

Each rule is broken three ways: through the app's page, through the admin,
and in a year file. The message is the model's, at the field it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from samverkan.demo import DEMO_DIR
from samverkan.finance.models import CostCategory, Fund, LedgerLine, LineKind
from samverkan.governance.models import Event
from samverkan.members.models import Member
from samverkan.projects.models import Grant, GrantTiming, Project, ProjectYear
from samverkan.yearfile.services import LoadFailed, load_files
from tests.web.conftest import SECRETARIAT, Place, read_as

EMPTY_ROWS = {
    f"{prefix}-{key}": "0"
    for prefix in ("financing", "grants", "payments", "grant_income", "cost_lines")
    for key in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def a_project_with_a_grant(place: Place) -> tuple[Project, Grant]:
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
    return project, grant


def conference(place: Place) -> Event:
    return Event.objects.get(year=place.year, slug="sodertornskonferensen-2020")


def shares_that_do_not_cover_the_cost(place: Place) -> Member:
    """The conference's fund books a cost of 1 000 kr; one member's share is 400 kr."""
    event = conference(place)
    member = Member.objects.get(cooperation=place.coop, code="0126")
    categories = CostCategory.objects.filter(cooperation=place.coop)
    LedgerLine.objects.create(
        year=place.year,
        fund=event.fund,
        category=categories.filter(kind=LineKind.COST).first(),
        kind=LineKind.COST,
        amount=Decimal(1000),
        date=dt.date(2020, 12, 31),
    )
    return member


def event_admin_post(event: Event, **change: Any) -> dict[str, Any]:
    data = {
        "year": event.year_id,
        "slug": event.slug,
        "kind": event.kind,
        "name": event.name,
        "status": event.status,
        "reason": event.reason,
        "fund": event.fund_id or "",
        "order": event.order,
        "hosts": [m.pk for m in event.hosts.all()],
    }
    return {**data, **change}


@dataclass(frozen=True)
class Rule:
    message: str
    app: Callable[[Place, Client], Any]  # posts to the app's page, returns the response
    admin: Callable[[Place, Client], Any]  # posts to the admin, returns the response
    year_file: Callable[[str], str]  # breaks the demo's 2020 file
    loader_field: str  # where the loader reports it


def post(url_name: str, *args: Any) -> Callable[[Client, dict[str, Any]], Any]:
    return lambda client, data: client.post(reverse(url_name, args=args), data)


def consultation_app(**change: Any) -> Callable[[Place, Client], Any]:
    return lambda place, client: post("web:consultation-new", "sodertorn", 2020)(
        client, {"subject": "Regionplan", "answered": "on", **change}
    )


def consultation_admin(**change: Any) -> Callable[[Place, Client], Any]:
    return lambda place, client: post("admin:consultations_consultationresponse_add")(
        client,
        {"year": place.year.pk, "subject": "Regionplan", "answered": "on", "order": 0, **change},
    )


def project_app(**change: Any) -> Callable[[Place, Client], Any]:
    return lambda place, client: post("web:project-new", "sodertorn", 2020)(
        client, {"name": "Analys", **EMPTY_ROWS, **change}
    )


def project_admin(**change: Any) -> Callable[[Place, Client], Any]:
    return lambda place, client: post("admin:projects_project_add")(
        client,
        {
            "cooperation": place.coop.pk,
            "start_year": place.year.pk,
            "slug": "analys",
            "name": "Analys",
            **change,
        },
    )


def project_year_admin(**change: Any) -> Callable[[Place, Client], Any]:
    """The admin's form for a project's part in 2020, of a project that has none yet."""

    def send(place: Place, client: Client) -> Any:
        project = Project.objects.create(
            cooperation=place.coop, start_year=place.year, slug="analys", name="Analys"
        )
        return post("admin:projects_projectyear_add")(
            client, {"project": project.pk, "year": place.year.pk, "order": 0, **change}
        )

    return send


def grant_app(**change: Any) -> Callable[[Place, Client], Any]:
    return project_app(
        **{
            "grants-TOTAL_FORMS": "1",
            "grants-0-grantor": "Vinnova",
            "grants-0-timing": "arrears",
            **{f"grants-0-{k}": v for k, v in change.items()},
        }
    )


def grant_admin(**change: Any) -> Callable[[Place, Client], Any]:
    def send(place: Place, client: Client) -> Any:
        project, _ = a_project_with_a_grant(place)
        return post("admin:projects_grant_add")(
            client,
            {
                "project": project.pk,
                "year": place.year.pk,
                "slug": "ny",
                "grantor": "Vinnova",
                "timing": "arrears",
                "order": 0,
                **change,
            },
        )

    return send


def payment_app(**change: Any) -> Callable[[Place, Client], Any]:
    def send(place: Place, client: Client) -> Any:
        project, grant = a_project_with_a_grant(place)
        data = {
            "name": project.name,
            **EMPTY_ROWS,
            "grants-TOTAL_FORMS": "1",
            "grants-INITIAL_FORMS": "1",
            "grants-0-id": grant.pk,
            "grants-0-grantor": grant.grantor,
            "grants-0-timing": grant.timing,
            "payments-TOTAL_FORMS": "1",
            "payments-0-grant": grant.pk,
            "payments-0-date": "2020-06-30",
            "payments-0-amount": "100",
            **{f"payments-0-{k}": v for k, v in change.items()},
            **read_as(project, place.year),
        }
        return post("web:project-edit", "sodertorn", 2020, project.pk)(client, data)

    return send


def payment_admin(**change: Any) -> Callable[[Place, Client], Any]:
    def send(place: Place, client: Client) -> Any:
        _, grant = a_project_with_a_grant(place)
        return post("admin:projects_grantpayment_add")(
            client,
            {
                "year": place.year.pk,
                "grant": grant.pk,
                "date": "2020-06-30",
                "amount": "100",
                "order": 0,
                **change,
            },
        )

    return send


def event_app(**change: Any) -> Callable[[Place, Client], Any]:
    return lambda place, client: post("web:event-new", "sodertorn", 2020)(
        client, {"name": "Rådslag", "kind": "radslag", "status": "held", "action": "save", **change}
    )


def event_admin(**change: Any) -> Callable[[Place, Client], Any]:
    return lambda place, client: post("admin:governance_event_add")(
        client,
        {
            "year": place.year.pk,
            "slug": "radslag",
            "name": "Rådslag",
            "kind": "radslag",
            "status": "held",
            "order": 0,
            **change,
        },
    )


def co_financing_app(place: Place, client: Client) -> Any:
    member = shares_that_do_not_cover_the_cost(place)
    event = conference(place)
    return post("web:event-edit", "sodertorn", 2020, event.pk)(
        client,
        {
            "name": event.name,
            "kind": event.kind,
            "status": event.status,
            "reason": event.reason,
            "fund": event.fund_id,
            "action": "save",
            f"share_{member.pk}": "400",
            **read_as(event),
        },
    )


def co_financing_admin(place: Place, client: Client) -> Any:
    member = shares_that_do_not_cover_the_cost(place)
    event = conference(place)
    category = CostCategory.objects.get(cooperation=place.coop, slug="medfinansiering")
    LedgerLine.objects.create(
        year=place.year,
        fund=event.fund,
        category=category,
        kind=LineKind.INCOME,
        amount=Decimal(400),
        member=member,
        date=dt.date(2020, 12, 31),
    )
    return post("admin:governance_event_change", event.pk)(client, event_admin_post(event))


def insert(after: str, text: str) -> Callable[[str], str]:
    return lambda year_file: year_file.replace(after, after + text, 1)


NEW_PROJECT = "  - slug: ny-analys\n    name: Ny analys\n"
CO_FINANCED_CONFERENCE = (
    "  - fund: sodertornskonferensen\n    category: personalkostnader\n    kind: cost\n    amount: 1000\n"
    "  - fund: sodertornskonferensen\n    category: medfinansiering\n    kind: income\n    amount: 400\n"
    '    member: "0126"\n'
)

RULES: dict[str, Rule] = {
    "a consultation response sent before it came in": Rule(
        "Svaret kan inte ha skickats innan remissen kom in.",
        consultation_app(received_on="2020-05-10", sent_on="2020-05-01"),
        consultation_admin(received_on="2020-05-10", sent_on="2020-05-01"),
        insert(
            "consultations:\n",
            "  - subject: X\n    received_on: 2020-05-10\n    sent_on: 2020-05-01\n",
        ),
        "consultations[0].sent_on",
    ),
    "a consultation response in month 13": Rule(
        "En månad är 1–12.",
        consultation_app(month="13"),
        consultation_admin(month="13"),
        insert("consultations:\n", "  - subject: X\n    month: 13\n"),
        "consultations[0].month",
    ),
    "a project that ends before it starts": Rule(
        "Projektet kan inte sluta innan det börjar.",
        project_app(start="2020-06-01", end="2020-05-01"),
        project_admin(start="2020-06-01", end="2020-05-01"),
        insert("projects:\n", NEW_PROJECT + "    start: 2020-06-01\n    end: 2020-05-01\n"),
        "projects[0].end",
    ),
    "a project with a negative cost": Rule(
        "Kostnaden kan inte vara negativ.",
        project_app(stated_cost="-5"),
        project_year_admin(stated_cost="-5"),
        insert("projects:\n", NEW_PROJECT + "    cost: -5\n"),
        "projects[0]",
    ),
    "a grant of more than 100 per cent": Rule(
        "Andelen är en procentsats mellan 0 och 100.",
        grant_app(rate="150"),
        grant_admin(rate="150"),
        insert(
            "projects:\n",
            NEW_PROJECT + "    grants:\n      - slug: ny\n        grantor: Vinnova\n"
            "        timing: arrears\n        rate: 150\n",
        ),
        "projects[0].grants[0].rate",
    ),
    "a grant payment of nothing": Rule(
        "En utbetalning är ett belopp större än noll.",
        payment_app(amount="0"),
        payment_admin(amount="0"),
        (
            lambda text: text.replace(
                "published:\n",
                "grant_payments:\n  - grant: tillvaxtverket-systemanalys\n    date: 2020-03-01\n"
                "    amount: 0\npublished:\n",
                1,
            )
        ),
        "grant_payments[0].amount",
    ),
    "a grant payment dated in another year": Rule(
        "Datumet måste ligga inom året 2020.",
        payment_app(date="2021-01-10"),
        payment_admin(date="2021-01-10"),
        lambda text: text,  # the loader has said so since the year file began ("outside the year")
        "",
    ),
    "an event with a negative cost cap": Rule(
        "Kostnadstaket kan inte vara negativt.",
        event_app(cost_cap_per_participant="-1"),
        event_admin(cost_cap_per_participant="-1"),
        insert("    participants: 55\n", "    cost_cap_per_participant: -1\n"),
        "events[1].cost_cap_per_participant",
    ),
    "an event with negative participants": Rule(
        "större än eller lika med 0",
        event_app(participants="-3"),
        event_admin(participants="-3"),
        lambda text: text.replace("    participants: 55\n", "    participants: -3\n", 1),
        "events[1].participants",
    ),
    "co-financing that does not add up to the event's cost": Rule(
        "Medfinansieringen summerar till 400 kr men arrangemangets kostnad är 1 000 kr",
        co_financing_app,
        co_financing_admin,
        insert("lines:\n", CO_FINANCED_CONFERENCE),
        "events[0].co_financing",
    ),
}


def text(response: Any) -> str:
    # Amounts are grouped with no-break spaces; compare them as plain spaces.
    return response.content.decode().replace("\u00a0", " ").replace("&nbsp;", " ")


@pytest.mark.parametrize("rule", RULES, ids=RULES.keys())
def test_the_apps_page_refuses_with_the_models_message(
    place: Place, client_for: Any, rule: str
) -> None:
    response = RULES[rule].app(place, client_for(SECRETARIAT))
    assert response.status_code == 400
    assert RULES[rule].message in text(response)


@pytest.mark.parametrize("rule", RULES, ids=RULES.keys())
def test_the_admin_refuses_with_the_models_message(
    place: Place, client_for: Any, rule: str
) -> None:
    response = RULES[rule].admin(place, client_for(SECRETARIAT))
    assert response.status_code == 200  # the form again, with its errors
    assert RULES[rule].message in text(response)


@pytest.mark.parametrize("rule", [r for r in RULES if RULES[r].loader_field], ids=str)
def test_the_loader_refuses_with_the_models_message_at_the_field(
    place: Place, tmp_path: Path, rule: str
) -> None:
    year_file = (DEMO_DIR / "2020.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "2020.yaml"
    changed = RULES[rule].year_file(year_file)
    assert changed != year_file
    broken.write_text(changed, encoding="utf-8")
    with pytest.raises(LoadFailed) as refused:
        load_files([broken])
    errors = [(e.field, e.message.replace("\u00a0", " ")) for e in refused.value.errors]
    assert any(
        RULES[rule].message in m and f.startswith(RULES[rule].loader_field) for f, m in errors
    ), errors


def test_the_database_refuses_what_slips_past_the_forms(place: Place) -> None:
    from django.db import IntegrityError, transaction

    event = conference(place)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(cost_cap_per_participant=Decimal(-1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(
            cooperation=place.coop,
            start_year=place.year,
            slug="x",
            name="X",
            start=dt.date(2020, 6, 1),
            end=dt.date(2020, 5, 1),
        )
    assert Fund.objects.filter(pk=event.fund_id).exists()


def test_a_grant_income_line_names_a_grant_of_its_own_project(place: Place) -> None:
    project, grant = a_project_with_a_grant(place)
    other = Project.objects.create(
        cooperation=place.coop, start_year=place.year, slug="annat", name="Annat projekt"
    )
    line = LedgerLine(
        year=place.year,
        fund=place.coop.funds.get(slug="drift-2020"),
        category=CostCategory.objects.get(cooperation=place.coop, slug="bidrag"),
        kind=LineKind.INCOME,
        amount=Decimal(1000),
        date=dt.date(2020, 12, 31),
        project=other,
        grant=grant,
    )

    with pytest.raises(ValidationError) as refused:
        line.full_clean()

    assert refused.value.message_dict["grant"] == ["Bidraget hör till ett annat projekt än raden."]
    line.project = project
    line.full_clean()
