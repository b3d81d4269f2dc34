"""The URL x role matrix: every page and every write, for every persona.

Each row names a URL and what each persona gets: a status code, LOGIN (a
redirect to the login page) or MOVED (a redirect elsewhere: a save that
succeeded, home sending on to the dashboard). Outside one's cooperation
everything is 404; inside it, a missing right is 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from samverkan.accounts.models import RoleAssignment
from samverkan.consultations.models import ConsultationResponse
from samverkan.finance.models import AccountMapping, CostCategory, Fund
from samverkan.governance.models import Event, Meeting, Network
from samverkan.members.models import FeeRule, Member, Year, YearStatus, YearText
from samverkan.members.population import ImportSource, from_payload, plan_import
from samverkan.plan.models import Activity, ActivityProposal, FocusArea, FollowUp
from samverkan.projects.models import Project
from samverkan.web.edit_guard import NETWORK_YEAR, POPULATION_TOTAL, Guarded
from samverkan.web.views.population import PLAN_SALT
from tests.web.conftest import (
    ANONYMOUS,
    LEAD_A,
    LEAD_B,
    OUTSIDER,
    PERSONAS,
    READER,
    SECRETARIAT,
    Place,
    read_as,
)

LOGIN = "login"
MOVED = "moved"


def everyone(value: int | str) -> dict[str, int | str]:
    return dict.fromkeys(PERSONAS, value)


def insiders(value: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Södertörn's personas get `value`; the outsider 404; the anonymous visitor the login page."""
    expected = {
        SECRETARIAT: value,
        LEAD_A: value,
        LEAD_B: value,
        READER: value,
        OUTSIDER: 404,
        ANONYMOUS: LOGIN,
    }
    expected.update(overrides)
    return expected


def secretariat_only(value: int | str) -> dict[str, int | str]:
    return insiders(403, secretariat=value)


@dataclass(frozen=True)
class Target:
    """A URL name and its arguments; a callable argument is resolved against the Place."""

    url_name: str
    args: tuple[Any, ...]

    def url(self, place: Place) -> str:
        return reverse(
            f"web:{self.url_name}", args=[a(place) if callable(a) else a for a in self.args]
        )


@dataclass
class Row:
    name: str
    target: Target
    expected: dict[str, int | str]
    data: Callable[[Place], dict[str, Any]] = field(default=lambda place: {})

    def __str__(self) -> str:
        return self.name


def app(name: str, *extra: Any, year: int | None = None, coop: str = "sodertorn") -> Target:
    """A signed-in page of a year (2020 unless `year` is given)."""
    return Target(name, (coop, year or 2020, *extra))


def plain(name: str, *args: Any) -> Target:
    return Target(name, args)


activity_a = lambda place: place.activity_a.pk  # noqa: E731
activity_b = lambda place: place.activity_b.pk  # noqa: E731
meeting_a = lambda place: place.meeting_a.pk  # noqa: E731
meeting_b = lambda place: place.meeting_b.pk  # noqa: E731
body_meeting = lambda place: place.body_meeting.pk  # noqa: E731
other_activity = lambda place: place.other_activity.pk  # noqa: E731
other_meeting = lambda place: place.other_meeting.pk  # noqa: E731
botkyrka = lambda place: place.coop.members.get(code="0127").pk  # noqa: E731
network_a = lambda place: place.network_a.pk  # noqa: E731
network_b = lambda place: place.network_b.pk  # noqa: E731
other_network = lambda place: place.other_coop.networks.get().pk  # noqa: E731
fee_rule_2018 = lambda place: FeeRule.objects.get(cooperation=place.coop, from_year=2018).pk  # noqa: E731


def other_fee_rule(place: Place) -> int:
    found, _ = FeeRule.objects.get_or_create(
        cooperation=place.other_coop, from_year=2030, defaults={"rate": 3}
    )
    return found.pk


def lead_a_user(place: Place) -> int:
    return RoleAssignment.objects.get(cooperation=place.coop, user__username="sup-ledare").user_id


def lead_a_role(place: Place) -> int:
    return RoleAssignment.objects.get(cooperation=place.coop, user__username="sup-ledare").pk


def outsider_user(place: Place) -> int:
    return RoleAssignment.objects.get(user__username="norrort-kansli").user_id


def outsider_role(place: Place) -> int:
    return RoleAssignment.objects.get(user__username="norrort-kansli").pk


def extra_reader_role(place: Place) -> int:
    """A reader who is none of the personas, made on first use (the secretariat removes the role)."""
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(username="extra-lasare")
    role, _created = RoleAssignment.objects.get_or_create(
        user=user, cooperation=place.coop, role="reader"
    )
    return role.pk


def other_member(place: Place) -> int:
    found, _ = Member.objects.get_or_create(
        cooperation=place.other_coop, code="0160", defaults={"name": "Täby"}
    )
    return found.pk


mapping_3460 = lambda place: AccountMapping.objects.get(cooperation=place.coop, account="3460").pk  # noqa: E731
GONE_UPLOAD = "0" * 64  # a SIE upload token whose file is not (or no longer) kept
consultation = lambda place: ConsultationResponse.objects.filter(year=place.year).first().pk  # noqa: E731
consultation_2018 = lambda place: ConsultationResponse.objects.filter(year__year=2018).first().pk  # noqa: E731
project = lambda place: Project.objects.filter(years__year=place.year).first().pk  # noqa: E731
project_2018 = lambda place: Project.objects.get(cooperation=place.coop, slug="systemanalys").pk  # noqa: E731
event = lambda place: Event.objects.get(year=place.year, slug="klimatkrav-webinar-2020").pk  # noqa: E731
text = lambda place: YearText.objects.get(year=place.year, key="introduction").pk  # noqa: E731
area_a = lambda place: place.activity_a.focus_area_id  # noqa: E731
other_area = lambda place: place.other_activity.focus_area_id  # noqa: E731


def proposal_a(place: Place) -> int:
    """A proposal of network A (SUP-gruppen) for its focus area, made on first use."""
    proposal, _created = ActivityProposal.objects.get_or_create(
        focus_area=place.activity_a.focus_area,
        network=place.network_a,
        defaults={"title": "Förslag från SUP"},
    )
    return proposal.pk


def published_plan_2018(place: Place) -> int:
    """2018 with its plan adopted and published (set directly: the year is locked for the services)."""
    import datetime as dt

    from django.utils import timezone

    Year.objects.filter(cooperation=place.coop, year=2018).update(
        plan_adopted_on=dt.date(2017, 12, 7), plan_published_at=timezone.now()
    )
    return 2018


def in_planning(data: dict[str, Any]) -> Callable[[Place], dict[str, Any]]:
    """The form data, with 2020 put back in planning first: networks propose only while a year is planned."""

    def prepare(place: Place) -> dict[str, Any]:
        Year.objects.filter(pk=place.year.pk).update(status=YearStatus.PLANNING)
        return {key: value(place) if callable(value) else value for key, value in data.items()}

    return prepare


GET_ROWS = [
    # public: published years only, for everyone
    Row("public index", plain("public-index"), everyone(200)),
    Row("public cooperation", plain("public-cooperation", "sodertorn"), everyone(200)),
    Row(
        "public cooperation without published years",
        plain("public-cooperation", "norrort"),
        everyone(404),
    ),
    Row("public year 2018 (published)", plain("public-year", "sodertorn", 2018), everyone(200)),
    Row("public year 2019 (decided)", plain("public-year", "sodertorn", 2019), everyone(404)),
    Row(
        "public year 2020 (reopened, draft)", plain("public-year", "sodertorn", 2020), everyone(404)
    ),
    Row(
        "public year of the other cooperation", plain("public-year", "norrort", 2020), everyone(404)
    ),
    Row("public data.json 2018", plain("public-data-json", "sodertorn", 2018), everyone(200)),
    Row(
        "public data.json 2020 (draft)", plain("public-data-json", "sodertorn", 2020), everyone(404)
    ),
    Row("public plan.json 2018", plain("public-plan-json", "sodertorn", 2018), everyone(200)),
    Row("public plan.csv 2018", plain("public-plan-csv", "sodertorn", 2018), everyone(200)),
    Row(
        "public accounts.json 2018", plain("public-accounts-json", "sodertorn", 2018), everyone(200)
    ),
    Row("public accounts.csv 2018", plain("public-accounts-csv", "sodertorn", 2018), everyone(200)),
    Row(
        "public accounts.csv 2019 (decided)",
        plain("public-accounts-csv", "sodertorn", 2019),
        everyone(404),
    ),
    Row("public report md 2018", plain("public-report", "sodertorn", 2018, "md"), everyone(200)),
    Row(
        "public report md 2020 (draft)",
        plain("public-report", "sodertorn", 2020, "md"),
        everyone(404),
    ),
    Row(
        "public report, unknown format",
        plain("public-report", "sodertorn", 2018, "exe"),
        everyone(404),
    ),
    Row("login page", plain("login"), {**everyone(MOVED), ANONYMOUS: 200}),
    # signed in
    Row("home", plain("home"), {**everyone(MOVED), ANONYMOUS: LOGIN}),
    Row("cooperation home", plain("cooperation-home", "sodertorn"), insiders(MOVED)),
    Row("dashboard", app("dashboard"), insiders(200)),
    Row("dashboard of the locked 2019", app("dashboard", year=2019), insiders(200)),
    Row("dashboard of a year not in the system", app("dashboard", year=1999), insiders(404)),
    Row("activity of network A", app("activity", activity_a), insiders(200)),
    Row("activity of network B", app("activity", activity_b), insiders(200)),
    Row(
        "activity of 2020 under the URL of 2018",
        app("activity", activity_a, year=2018),
        insiders(404),
    ),
    Row("meetings", app("meetings"), insiders(200)),
    Row("new meeting", app("meeting-new"), insiders(200, reader=403)),
    Row(
        "edit meeting of network A",
        app("meeting-edit", meeting_a),
        insiders(403, secretariat=200, lead_a=200),
    ),
    Row(
        "edit meeting of network B",
        app("meeting-edit", meeting_b),
        insiders(403, secretariat=200, lead_b=200),
    ),
    Row("edit committee meeting", app("meeting-edit", body_meeting), secretariat_only(200)),
    Row(
        "delete meeting of network A (asks first)",
        app("meeting-delete", meeting_a),
        insiders(403, secretariat=200, lead_a=200),
    ),
    Row(
        "delete committee meeting (asks first)",
        app("meeting-delete", body_meeting),
        secretariat_only(200),
    ),
    Row("networks", app("networks"), insiders(200)),
    Row("consultations", app("consultations"), insiders(200)),
    Row("new consultation response", app("consultation-new"), secretariat_only(200)),
    Row(
        "edit consultation response", app("consultation-edit", consultation), secretariat_only(200)
    ),
    Row(
        "delete consultation response (asks first)",
        app("consultation-delete", consultation),
        secretariat_only(200),
    ),
    Row(
        "consultation response of 2018 under the URL of 2020",
        app("consultation-edit", consultation_2018),
        insiders(403, secretariat=404),
    ),
    Row("projects", app("projects"), insiders(200)),
    Row("new project", app("project-new"), secretariat_only(200)),
    Row("edit project", app("project-edit", project), secretariat_only(200)),
    Row(
        "delete project with cost lines (refused, says why)",
        app("project-delete", project),
        secretariat_only(200),
    ),
    Row(
        "a 2018 project seen from 2020, not continued yet",
        app("project-edit", project_2018),
        secretariat_only(200),
    ),
    Row(
        "a 2020 project under the URL of 2018, before it started",
        app("project-edit", project, year=2018),
        insiders(403, secretariat=404),
    ),
    Row(
        "continuing a project takes no GET",
        app("project-continue", project_2018),
        {**everyone(405), ANONYMOUS: LOGIN},
    ),
    Row("new network", app("network-new"), secretariat_only(200)),
    Row("edit network", app("network-edit", network_a), secretariat_only(200)),
    Row("delete network (asks first)", app("network-delete", network_a), secretariat_only(200)),
    Row("a network's part in the year", app("network-year", network_a), secretariat_only(200)),
    Row(
        "a network of the other cooperation under Södertörn's URL",
        app("network-edit", other_network),
        insiders(403, secretariat=404),
    ),
    Row("events", app("events"), insiders(200)),
    Row("new event", app("event-new"), secretariat_only(200)),
    Row("edit event", app("event-edit", event), secretariat_only(200)),
    Row("delete event (asks first)", app("event-delete", event), secretariat_only(200)),
    Row("texts", app("texts"), insiders(200)),
    Row("new text", app("text-new"), secretariat_only(200)),
    Row("edit text", app("text-edit", text), secretariat_only(200)),
    Row("delete text (asks first)", app("text-delete", text), secretariat_only(200)),
    Row("accounts", app("accounts"), insiders(200)),
    Row("members", app("members"), insiders(200)),
    Row("new member", app("member-new"), secretariat_only(200)),
    Row("a member", app("member", botkyrka), insiders(200)),
    Row(
        "a member of the other cooperation under Södertörn's URL",
        app("member", other_member),
        insiders(404),
    ),
    Row(
        "renaming takes no GET", app("member-rename", botkyrka), {**everyone(405), ANONYMOUS: LOGIN}
    ),
    Row("fee rules", app("fee-rules"), insiders(200)),
    Row("new fee rule", app("fee-rule-new"), secretariat_only(200)),
    Row("edit fee rule", app("fee-rule-edit", fee_rule_2018), secretariat_only(200)),
    Row(
        "delete fee rule (asks first)", app("fee-rule-delete", fee_rule_2018), secretariat_only(200)
    ),
    Row(
        "a fee rule of the other cooperation under Södertörn's URL",
        app("fee-rule-edit", other_fee_rule),
        insiders(403, secretariat=404),
    ),
    Row("users and roles", app("users"), secretariat_only(200)),
    Row("add a person (the form)", app("user-new"), secretariat_only(200)),
    Row("a person with a role", app("user", lead_a_user), secretariat_only(200)),
    Row(
        "a person with a role only in the other cooperation, under Södertörn's URL",
        app("user", outsider_user),
        insiders(404, secretariat=404, lead_a=403, lead_b=403, reader=403),
    ),
    Row(
        "correct a person's name and e-mail (the form)",
        app("user-edit", lead_a_user),
        secretariat_only(200),
    ),
    Row(
        "a person with a role only in the other cooperation, their name and e-mail under Södertörn's URL",
        app("user-edit", outsider_user),
        insiders(404, secretariat=404, lead_a=403, lead_b=403, reader=403),
    ),
    Row(
        "a fresh password link takes no GET",
        app("user-link", lead_a_user),
        {**everyone(405), ANONYMOUS: LOGIN},
    ),
    Row("change a role (the form)", app("role-edit", lead_a_role), secretariat_only(200)),
    Row(
        "a role in the other cooperation, under Södertörn's URL",
        app("role-edit", outsider_role),
        insiders(404, secretariat=404, lead_a=403, lead_b=403, reader=403),
    ),
    Row("remove a role (asks first)", app("role-delete", lead_a_role), secretariat_only(200)),
    Row(
        "the set-password page of a tampered link",
        plain("set-password", "MQ", "abc-123"),
        everyone(410),
    ),
    Row("population figures", app("population"), insiders(200)),
    Row("new population figure", app("population-new"), secretariat_only(200)),
    Row("the year's stated population total", app("population-total"), secretariat_only(200)),
    Row(
        "the stated population total of the decided 2019 (says it is locked)",
        app("population-total", year=2019),
        secretariat_only(200),
    ),
    Row("population import", app("population-import"), secretariat_only(200)),
    Row("report page", app("report"), insiders(200)),
    Row("report draft as markdown", app("report-file", "md"), insiders(200)),
    Row("report, unknown format", app("report-file", "exe"), insiders(404)),
    Row("SIE upload", app("sie-upload"), secretariat_only(200)),
    Row(
        "SIE preview of an upload that is gone",
        app("sie-preview", GONE_UPLOAD),
        secretariat_only(MOVED),
    ),
    Row("account mappings", app("account-mappings"), insiders(200)),
    Row("new account mapping", app("account-mapping-new"), secretariat_only(200)),
    Row("edit account mapping", app("account-mapping-edit", mapping_3460), secretariat_only(200)),
    Row(
        "delete account mapping asks first",
        app("account-mapping-delete", mapping_3460),
        secretariat_only(200),
    ),
    Row("ledger lines of a fund", app("ledger-lines", "drift-2020"), insiders(200)),
    Row(
        "ledger lines of a fund that does not exist",
        app("ledger-lines", "finns-inte"),
        insiders(404),
    ),
    Row("year status", app("year-status"), secretariat_only(200)),
    # the yearly cycle
    Row("start 2021 from 2020: preview", plain("year-new", "sodertorn"), secretariat_only(200)),
    Row("the plan", app("plan"), insiders(200)),
    Row("the plan of a focus area", app("plan-area", area_a), insiders(200)),
    Row("the plan's activity editor", app("plan-activity", activity_a), secretariat_only(200)),
    Row("the plan as Markdown", app("plan-file", "md"), insiders(200)),
    Row("the plan, unknown format", app("plan-file", "exe"), insiders(404)),
    Row("proposals", app("proposals"), insiders(200)),
    Row("propose an activity", app("proposal-new"), insiders(403, lead_a=200, lead_b=200)),
    Row("a proposal of network A", app("proposal", proposal_a), insiders(200)),
    Row("budget", app("budget"), insiders(200)),
    Row(
        "other cooperation's focus area under Södertörn's URL",
        app("plan-area", other_area),
        insiders(404),
    ),
    Row("other cooperation's plan", app("plan", coop="norrort"), {**insiders(404), OUTSIDER: 200}),
    Row(
        "start a year in the other cooperation",
        plain("year-new", "norrort"),
        {**insiders(404), OUTSIDER: 200},
    ),
    Row(
        "public plan of 2020 (not adopted)",
        plain("public-plan-document", "sodertorn", 2020, "md"),
        everyone(404),
    ),
    Row(
        "public plan of 2018 (published)",
        plain("public-plan-document", "sodertorn", published_plan_2018, "md"),
        everyone(200),
    ),
    Row("audit trail", app("audit"), secretariat_only(200)),
    # the other cooperation's pages: only its own secretariat
    Row(
        "other cooperation's dashboard",
        app("dashboard", coop="norrort"),
        {**insiders(404), OUTSIDER: 200},
    ),
    Row(
        "other cooperation's activity",
        app("activity", other_activity, coop="norrort"),
        {**insiders(404), OUTSIDER: 200},
    ),
    Row(
        "other cooperation's activity under Södertörn's URL",
        app("activity", other_activity),
        insiders(404),
    ),
    Row(
        "other cooperation's meeting under Södertörn's URL",
        app("meeting-edit", other_meeting),
        insiders(404),
    ),
    Row("a cooperation that does not exist", app("dashboard", coop="finns-inte"), insiders(404)),
]


def follow_up_data(activity: Callable[[Place], Any]) -> Callable[[Place], dict[str, Any]]:
    def data(place: Place) -> dict[str, Any]:
        target = place.activity_a if activity is activity_a else place.activity_b
        # The version as stored now: an earlier persona's save has moved it on.
        version = FollowUp.objects.get(activity=target).version
        return {"status": "ongoing", "text": "Ny text", "version": version}

    return data


def meeting_data(network: str) -> Callable[[Place], dict[str, Any]]:
    def data(place: Place) -> dict[str, Any]:
        chosen = place.network_a if network == "a" else place.network_b
        return {
            "networks": [chosen.pk],
            "date": "2020-05-05",
            "format": "digital",
            "kind": "ordinary",
            "count": 1,
        }

    return data


def edit_of(
    model: Any,
    pk: Callable[[Place], int],
    data: Callable[[Place], dict[str, Any]],
    *,
    year: int | None = None,
    guarded: Guarded | None = None,
) -> Callable[[Place], dict[str, Any]]:
    """An edit form's data with the digest of the record as stored now (as the form page of
    `year`, 2020 unless given, would carry it: an earlier persona's save has changed the
    record)."""

    def prepare(place: Place) -> dict[str, Any]:
        posted = data(place)
        shown = Year.objects.get(cooperation=place.coop, year=year) if year else place.year
        return {**posted, **read_as(model.objects.get(pk=pk(place)), shown, guarded)}

    return prepare


def fund(slug: str) -> Callable[[Place], int]:
    return lambda place: Fund.objects.get(cooperation=place.coop, slug=slug).pk


this_year = lambda place: place.year.pk  # noqa: E731


def scb_upload(place: Place) -> dict[str, Any]:
    return {
        "file": SimpleUploadedFile("folkmangd.csv", b'"region","2020"\n"0127 Botkyrka",96000\n')
    }


def signed_import(place: Place) -> dict[str, Any]:
    """The confirmation the preview of `scb_upload` carries."""
    rows = [["0127", 2020, 96000, "Botkyrka", "rad 2"]]
    source = ImportSource(file_name="folkmangd.csv")
    digest = plan_import(place.coop, from_payload(rows), source).digest()
    plan = {"file": "folkmangd.csv", "table": "TAB638", "digest": digest, "figures": rows}
    return {"plan": signing.dumps(plan, salt=PLAN_SALT, compress=True)}


def ledger_grid(place: Place, day: str) -> dict[str, Any]:
    """One new row for a fund's ledger grid."""
    category = CostCategory.objects.filter(cooperation=place.coop).first()
    assert category is not None
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "save": "",
        "form-0-date": day,
        "form-0-category": category.pk,
        "form-0-amount": "10",
        "form-0-text": "x",
    }


def empty_formset(prefix: str) -> dict[str, Any]:
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


def project_data(name: str = "Ny analys", pk: int | None = None) -> dict[str, Any]:
    """The project page's form with its five tables; an existing project keeps its rows unchanged."""
    data: dict[str, Any] = {"name": name}
    if pk is None:
        for prefix in ("financing", "grants", "payments", "grant_income", "cost_lines"):
            data.update(empty_formset(prefix))
        return data
    from django.forms.models import model_to_dict

    from samverkan.finance.models import LedgerLine
    from samverkan.projects.models import GrantPayment

    stored = Project.objects.get(pk=pk)
    part = stored.years.get(year=stored.start_year)
    data.update(
        {k: v for k, v in model_to_dict(stored, fields=["contractor"]).items() if v is not None}
    )
    data.update(
        {
            k: v
            for k, v in model_to_dict(part, fields=["stated_cost", "description"]).items()
            if v is not None
        }
    )
    year = stored.start_year
    tables = {
        "financing": (part.financing.all(), ["source", "surplus_year", "amount"]),
        "grants": (
            stored.grants.filter(year=year),
            ["grantor", "timing", "rate", "amount", "expected_payment_year"],
        ),
        "payments": (
            GrantPayment.objects.filter(grant__project=stored, year=year),
            ["grant", "date", "amount"],
        ),
        "grant_income": (
            LedgerLine.objects.filter(
                project=stored, year=year, kind="income", grant__isnull=False
            ).exclude(source="sie"),
            ["grant", "fund", "category", "amount", "date", "text"],
        ),
        "cost_lines": (
            LedgerLine.objects.filter(project=stored, year=year, kind="cost").exclude(source="sie"),
            ["fund", "category", "amount", "date", "text"],
        ),
    }
    for prefix, (rows, fields) in tables.items():
        rows = list(rows)
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for number, row in enumerate(rows):
            data[f"{prefix}-{number}-id"] = row.pk
            for name_, value in model_to_dict(row, fields=fields).items():
                if value is not None:
                    data[f"{prefix}-{number}-{name_}"] = value
    return data


def restored_meeting(place: Place) -> dict[str, Any]:
    """Each persona deletes the same meeting: put it back if an earlier persona deleted it."""
    from samverkan.governance.models import Meeting

    if not Meeting.objects.filter(pk=place.meeting_a.pk).exists():
        place.meeting_a.save(force_insert=True)
        place.meeting_a.networks.set([place.network_a])
    return {}


POST_ROWS = [
    Row(
        "add a person",
        app("user-new"),
        secretariat_only(MOVED),
        lambda p: {
            "first_name": "Ny",
            "last_name": "Person",
            "email": "ny.person@example.org",
            "role": "reader",
        },
    ),
    Row(
        "correct a network lead's name and e-mail",
        app("user-edit", lead_a_user),
        secretariat_only(MOVED),
        edit_of(
            User,
            lead_a_user,
            lambda p: {"first_name": "Sara", "last_name": "Planlund", "email": "sara@botkyrka.se"},
        ),
    ),
    Row(
        "correct the name of a person with roles only in the other cooperation",
        app("user-edit", outsider_user),
        insiders(404, secretariat=404, lead_a=403, lead_b=403, reader=403),
        edit_of(
            User,
            outsider_user,
            lambda p: {"first_name": "X", "last_name": "Y", "email": "x@example.org"},
        ),
    ),
    Row(
        "a fresh password link for a network lead",
        app("user-link", lead_a_user),
        secretariat_only(200),
    ),
    Row(
        "change a role",
        app("role-edit", lead_a_role),
        secretariat_only(MOVED),
        edit_of(
            RoleAssignment,
            lead_a_role,
            lambda p: {"role": "network_lead", "network": p.network_b.pk},
        ),
    ),
    Row(
        "remove a role",
        app("role-delete", extra_reader_role),
        secretariat_only(MOVED),
    ),
    Row(
        "choose a password through a tampered link",
        plain("set-password", "MQ", "abc-123"),
        everyone(410),
        lambda p: {"new_password1": "x", "new_password2": "x"},
    ),
    Row(
        "add a member",
        app("member-new"),
        secretariat_only(MOVED),
        lambda p: {"code": "0160", "name": "Täby", "joined": 2020},
    ),
    Row(
        "correct the name of a member that the locked 2018 shows (refused)",
        app("member-rename", botkyrka),
        secretariat_only(409),
        edit_of(Member, botkyrka, lambda p: {"name": "Botkyrka kommun"}),
    ),
    Row(
        "mark a member as having left",
        app("member-left", botkyrka),
        secretariat_only(MOVED),
        lambda p: {"left": ""},
    ),
    Row(
        "enter a population figure",
        app("population-new"),
        secretariat_only(MOVED),
        lambda p: {
            "member": botkyrka(p),
            "date": "2020-12-31",
            "population": "96000",
            "source": "SCB",
        },
    ),
    Row(
        "set the year's stated population total",
        app("population-total"),
        secretariat_only(MOVED),
        edit_of(
            Year,
            lambda p: p.year.pk,
            lambda p: {
                "population_total": "507 600",
                "population_total_date": "2020-12-31",
                "population_total_note": "Vid årets slut",
            },
            guarded=POPULATION_TOTAL,
        ),
    ),
    Row(
        "set the stated population total of the decided 2019 (refused)",
        app("population-total", year=2019),
        secretariat_only(409),
        edit_of(
            Year,
            lambda p: Year.objects.get(cooperation=p.coop, year=2019).pk,
            lambda p: {"population_total": "1", "population_total_date": "2019-12-31"},
            year=2019,
            guarded=POPULATION_TOTAL,
        ),
    ),
    Row(
        "upload an SCB file for the preview",
        app("population-import"),
        secretariat_only(200),
        scb_upload,
    ),
    Row(
        "confirm an SCB import",
        app("population-import-confirm"),
        secretariat_only(MOVED),
        signed_import,
    ),
    Row(
        "save follow-up of network A",
        app("activity", activity_a),
        insiders(403, secretariat=MOVED, lead_a=MOVED),
        follow_up_data(activity_a),
    ),
    Row(
        "save follow-up of network B",
        app("activity", activity_b),
        insiders(403, secretariat=MOVED, lead_b=MOVED),
        follow_up_data(activity_b),
    ),
    # lead B may add meetings, but not ones that only network A attends: the form says so (400)
    Row(
        "add a meeting of network A",
        app("meeting-new"),
        insiders(MOVED, lead_b=400, reader=403),
        meeting_data("a"),
    ),
    Row(
        "edit a meeting of network A",
        app("meeting-edit", meeting_a),
        insiders(403, secretariat=MOVED, lead_a=MOVED),
        edit_of(Meeting, meeting_a, meeting_data("a")),
    ),
    Row(
        "edit the committee's meeting",
        app("meeting-edit", body_meeting),
        secretariat_only(MOVED),
        edit_of(
            Meeting,
            body_meeting,
            lambda place: {
                "body": place.body_meeting.body_id,
                "format": "digital",
                "kind": "ordinary",
                "count": 1,
            },
        ),
    ),
    Row("the status page takes no POST", app("year-status"), {**everyone(405), ANONYMOUS: LOGIN}),
    Row(
        "set status to follow-up",
        app("year-set-status"),
        secretariat_only(MOVED),
        lambda p: {"status": "follow_up"},
    ),
    Row(
        "decide the year despite the checks' errors, with a reason",
        app("year-decide"),
        secretariat_only(MOVED),
        lambda p: {
            "decided_on": "2021-02-01",
            "confirm_errors": "on",
            "errors_reason": "Rättas i bokslutet 2021.",
        },
    ),
    Row(
        "decide the year without confirming the checks' errors (refused)",
        app("year-decide"),
        secretariat_only(400),
        lambda p: {"decided_on": "2021-02-01"},
    ),
    Row(
        "add a consultation response",
        app("consultation-new"),
        secretariat_only(MOVED),
        lambda p: {"subject": "Regional plan", "authority": "Region Stockholm", "answered": "on"},
    ),
    Row(
        "edit a consultation response",
        app("consultation-edit", consultation),
        secretariat_only(MOVED),
        edit_of(
            ConsultationResponse,
            consultation,
            lambda p: {"subject": "Ändrat ämne", "answered": "on"},
        ),
    ),
    Row(
        "delete a consultation response",
        app("consultation-delete", consultation),
        secretariat_only(MOVED),
    ),
    Row("add a project", app("project-new"), secretariat_only(MOVED), lambda p: project_data()),
    Row(
        "edit a project",
        app("project-edit", project),
        secretariat_only(MOVED),
        lambda p: {
            **project_data(name=Project.objects.get(pk=project(p)).name, pk=project(p)),
            **read_as(Project.objects.get(pk=project(p)), p.year),
        },
    ),
    Row(
        "delete a project with cost lines (refused)",
        app("project-delete", project),
        secretariat_only(409),
    ),
    Row(
        "continue a 2018 project in 2020",
        app("project-continue", project_2018),
        secretariat_only(MOVED),
    ),
    Row(
        "continue a 2018 project in the decided 2019 (refused)",
        app("project-continue", project_2018, year=2019),
        secretariat_only(409),
    ),
    Row(
        "add a fee rule from 2021",
        app("fee-rule-new"),
        secretariat_only(MOVED),
        lambda p: {"from_year": 2021, "rate": "4,50", "basis": "previous_year_end"},
    ),
    Row(
        "add a fee rule from the decided 2019 (refused)",
        app("fee-rule-new"),
        secretariat_only(409),
        lambda p: {"from_year": 2019, "rate": "5", "basis": "previous_year_end"},
    ),
    Row(
        "change the rate of the fee rule the published 2018 follows (refused)",
        app("fee-rule-edit", fee_rule_2018),
        secretariat_only(409),
        edit_of(FeeRule, fee_rule_2018, lambda p: {"rate": "5", "basis": "previous_year_end"}),
    ),
    Row(
        "delete the fee rule the published 2018 follows (refused)",
        app("fee-rule-delete", fee_rule_2018),
        secretariat_only(409),
    ),
    Row(
        "add a network",
        app("network-new"),
        secretariat_only(MOVED),
        lambda p: {"name": "GIS-nätverket", "short_name": "GIS"},
    ),
    Row(
        "rename a network that the locked 2018 prints (refused)",
        app("network-edit", network_a),
        secretariat_only(409),
        edit_of(Network, network_a, lambda p: {"name": "Nytt namn", "slug": p.network_a.slug}),
    ),
    Row(
        "delete a network that meetings depend on (refused)",
        app("network-delete", network_a),
        secretariat_only(409),
    ),
    Row(
        "say how a network takes part in 2020",
        app("network-year", network_b),
        secretariat_only(MOVED),
        edit_of(
            Network,
            network_b,
            lambda p: {"takes_part": "on", "participation_note": "Alla deltar."},
            guarded=NETWORK_YEAR,
        ),
    ),
    Row(
        "say how a network takes part in the decided 2019 (refused)",
        app("network-year", network_b, year=2019),
        secretariat_only(409),
        edit_of(
            Network, network_b, lambda p: {"takes_part": "on"}, year=2019, guarded=NETWORK_YEAR
        ),
    ),
    Row(
        "add an event",
        app("event-new"),
        secretariat_only(MOVED),
        lambda p: {"name": "Rådslag", "kind": "radslag", "status": "held", "action": "save"},
    ),
    Row("delete an event", app("event-delete", event), secretariat_only(MOVED)),
    Row(
        "add a text",
        app("text-new"),
        secretariat_only(MOVED),
        lambda p: {"key": "fees", "body": "Avgifterna.", "action": "save"},
    ),
    Row(
        "preview a text (nothing saved)",
        app("text-edit", text),
        secretariat_only(200),
        lambda p: {"key": "introduction", "body": "# Rubrik", "action": "preview"},
    ),
    Row("delete a text", app("text-delete", text), secretariat_only(MOVED)),
    Row(
        "delete a meeting of network A",
        app("meeting-delete", meeting_a),
        insiders(403, secretariat=MOVED, lead_a=MOVED),
        lambda p: restored_meeting(p),
    ),
    Row(
        "publish the decided 2019",
        app("year-publish", year=2019),
        secretariat_only(MOVED),
        lambda p: {"confirm": "on"},
    ),
    Row(
        "publish the draft 2020 (refused: not decided)",
        app("year-publish"),
        secretariat_only(409),
        lambda p: {"confirm": "on"},
    ),
    Row(
        "reopen the decided 2019",
        app("year-reopen", year=2019),
        secretariat_only(MOVED),
        lambda p: {"reason": "rättelse"},
    ),
    # the yearly cycle: the secretariat plans, network leads propose, readers neither
    Row(
        "start 2021 from 2020",
        plain("year-new", "sodertorn"),
        secretariat_only(MOVED),
        lambda p: {"ar": "2021", "fran": "2020"},
    ),
    Row("add a focus area", app("plan"), secretariat_only(MOVED), lambda p: {"title": "Bostäder"}),
    Row(
        "rename a focus area",
        app("plan-area", area_a),
        secretariat_only(MOVED),
        edit_of(
            FocusArea,
            area_a,
            lambda p: {"action": "rename", "title": "Infrastruktur och trafik", "main_goal": "Mål"},
        ),
    ),
    Row(
        "add an activity",
        app("plan-area", area_a),
        secretariat_only(MOVED),
        lambda p: {
            "action": "add_activity",
            "new-title": "Ny aktivitet",
            "new-networks": [p.network_a.pk],
        },
    ),
    Row(
        "change an activity",
        app("plan-activity", activity_a),
        secretariat_only(MOVED),
        edit_of(
            Activity,
            activity_a,
            lambda p: {
                "action": "save",
                "title": "Kollektivtrafikens utveckling",
                "networks": [p.network_a.pk],
            },
        ),
    ),
    Row(
        "adopt the plan",
        app("plan-adopt"),
        secretariat_only(MOVED),
        lambda p: {"adopted_on": "2019-12-12"},
    ),
    Row(
        "publish a plan not adopted (refused)",
        app("plan-publish"),
        secretariat_only(409),
        lambda p: {"confirm": "on"},
    ),
    Row(
        "reopen a plan not adopted (refused)",
        app("plan-reopen"),
        secretariat_only(409),
        lambda p: {"reason": "ändring"},
    ),
    Row(
        "enter the budget",
        app("budget"),
        secretariat_only(MOVED),
        edit_of(Year, this_year, lambda p: {}),
    ),
    # lead B leads no network responsible for SUP-gruppen's area: the form says so (400)
    Row(
        "propose an activity for network A's area",
        app("proposal-new"),
        insiders(403, lead_a=MOVED, lead_b=400),
        in_planning(
            {"focus_area": area_a, "network": lambda p: p.network_a.pk, "title": "Cykelstråk"}
        ),
    ),
    Row(
        "edit network A's proposal",
        app("proposal", proposal_a),
        insiders(403, lead_a=MOVED),
        edit_of(
            ActivityProposal, proposal_a, in_planning({"action": "edit", "title": "Ändrat förslag"})
        ),
    ),
    Row(
        "decline network A's proposal",
        app("proposal", proposal_a),
        secretariat_only(MOVED),
        in_planning({"action": "decline", "decline-reason": "Ryms inte i budgeten"}),
    ),
    Row(
        "the plan in the other cooperation",
        app("plan", coop="norrort"),
        {**insiders(404), OUTSIDER: MOVED},
        lambda p: {"title": "Bostäder"},
    ),
    Row(
        "save follow-up in the other cooperation",
        app("activity", other_activity, coop="norrort"),
        {**insiders(404), OUTSIDER: MOVED},
        lambda p: {
            "status": "done",
            "text": "x",
            "version": FollowUp.objects.get(activity=p.other_activity).version,
        },
    ),
    Row(
        "upload a file that is not SIE (refused, nothing kept)",
        app("sie-upload"),
        secretariat_only(400),
        lambda p: {"file": SimpleUploadedFile("rapport.pdf", b"%PDF-1.4")},
    ),
    Row(
        "cancel an upload that is gone",
        app("sie-preview", GONE_UPLOAD),
        secretariat_only(MOVED),
        lambda p: {"cancel": ""},
    ),
    Row(
        "add an account mapping",
        app("account-mapping-new"),
        secretariat_only(MOVED),
        lambda p: {
            "account": "7999",
            "category": CostCategory.objects.filter(cooperation=p.coop).first().pk,
        },
    ),
    Row(
        "change an account mapping",
        app("account-mapping-edit", mapping_3460),
        secretariat_only(MOVED),
        edit_of(
            AccountMapping,
            mapping_3460,
            lambda p: {
                "account": "3460",
                "category": CostCategory.objects.get(cooperation=p.coop, slug="avgifter").pk,
            },
        ),
    ),
    Row(
        "delete an account mapping",
        app("account-mapping-delete", mapping_3460),
        secretariat_only(MOVED),
    ),
    Row(
        "save the ledger lines of a fund",
        app("ledger-lines", "drift-2020"),
        secretariat_only(MOVED),
        edit_of(Fund, fund("drift-2020"), lambda p: ledger_grid(p, "2020-06-01")),
    ),
    Row(
        "save ledger lines in the locked 2019 (refused)",
        app("ledger-lines", "drift-2019", year=2019),
        secretariat_only(409),
        edit_of(Fund, fund("drift-2019"), lambda p: ledger_grid(p, "2019-06-01"), year=2019),
    ),
    Row("logout", plain("logout"), {**everyone(MOVED), ANONYMOUS: LOGIN}),
    Row(
        "language switch",
        plain("set-language"),
        everyone(MOVED),
        lambda p: {"language": "en", "next": "/"},
    ),
]


def outcome(response: Any) -> int | str:
    if response.status_code in (302, 303):
        return LOGIN if response["Location"].startswith(reverse("web:login")) else MOVED
    return int(response.status_code)


def walk(row: Row, place: Place, client_for: Callable[[str], Client], method: str) -> list[str]:
    problems = []
    url = row.target.url(place)
    for persona in PERSONAS:
        client = client_for(persona)
        response = client.get(url) if method == "GET" else client.post(url, row.data(place))
        got = outcome(response)
        if got != row.expected[persona]:
            problems.append(
                f"{method} {url} as {persona}: expected {row.expected[persona]}, got {got}"
            )
    return problems


@pytest.mark.parametrize("row", GET_ROWS, ids=str)
def test_every_page_answers_every_persona_as_declared(
    row: Row, place: Place, client_for: Any
) -> None:
    assert walk(row, place, client_for, "GET") == []


@pytest.mark.parametrize("row", POST_ROWS, ids=str)
def test_every_write_answers_every_persona_as_declared(
    row: Row, place: Place, client_for: Any
) -> None:
    # Each persona acts on the state the earlier ones left; the rows are chosen so that a
    # permitted write leaves the next persona's expected answer unchanged.
    assert walk(row, place, client_for, "POST") == []


def test_every_url_of_the_app_is_in_the_matrix() -> None:
    """A new URL must get a row here, so that nobody forgets to decide who may reach it."""
    from samverkan.web.urls import public_year_urls, urlpatterns, year_urls

    names = {
        p.name for p in [*urlpatterns, *year_urls, *public_year_urls] if getattr(p, "name", None)
    }
    assert names - {row.target.url_name for row in [*GET_ROWS, *POST_ROWS]} == set()


def test_a_meeting_written_by_lead_b_for_network_a_was_not_saved(
    place: Place, client_for: Any
) -> None:
    before = place.year.meetings.count()
    response = client_for(LEAD_B).post(
        reverse("web:meeting-new", args=["sodertorn", 2020]), meeting_data("a")(place)
    )
    assert response.status_code == 400
    assert "nätverk du leder" in response.content.decode()
    assert place.year.meetings.count() == before


def test_forms_refuse_a_post_without_csrf_token(place: Place, users: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[LEAD_A])
    response = client.post(
        reverse("web:activity", args=["sodertorn", 2020, place.activity_a.pk]),
        follow_up_data(activity_a)(place),
    )
    assert response.status_code == 403
    place.activity_a.follow_up.refresh_from_db()
    assert place.activity_a.follow_up.text != "Ny text"


def test_every_form_page_carries_a_csrf_token(place: Place, client_for: Any) -> None:
    client = client_for(SECRETARIAT)
    for url in (
        reverse("web:activity", args=["sodertorn", 2020, place.activity_a.pk]),
        reverse("web:meeting-new", args=["sodertorn", 2020]),
        reverse("web:year-status", args=["sodertorn", 2020]),
        reverse("web:member-new", args=["sodertorn", 2020]),
        reverse("web:user-new", args=["sodertorn", 2020]),
        reverse("web:user-edit", args=["sodertorn", 2020, lead_a_user(place)]),
        reverse("web:population-new", args=["sodertorn", 2020]),
        reverse("web:population-total", args=["sodertorn", 2020]),
        reverse("web:population-import", args=["sodertorn", 2020]),
        reverse("web:consultation-new", args=["sodertorn", 2020]),
        reverse("web:project-new", args=["sodertorn", 2020]),
        reverse("web:event-new", args=["sodertorn", 2020]),
        reverse("web:network-new", args=["sodertorn", 2020]),
        reverse("web:fee-rule-new", args=["sodertorn", 2020]),
        reverse("web:network-year", args=["sodertorn", 2020, place.network_a.pk]),
        reverse("web:text-new", args=["sodertorn", 2020]),
    ):
        assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode(), url
