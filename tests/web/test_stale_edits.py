"""Two people (or two tabs) editing one register record: the later save does not overwrite the
earlier without a word.

Each edit form carries the digest of the record as it was read. A save from a form read before
someone else's save is refused with 409: the page names who changed the record and when, shows
what is stored, keeps what was typed and carries the new digest, so saving again is a decision.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from samverkan.accounts.models import Role, RoleAssignment
from samverkan.audit.models import AuditEntry
from samverkan.consultations.models import ConsultationResponse
from samverkan.consultations.services import save_consultation_response
from samverkan.demo import DEMO_DIR
from samverkan.finance.models import (
    AccountMapping,
    BudgetLine,
    CostCategory,
    Fund,
    LedgerLine,
    LineKind,
    LineSource,
)
from samverkan.finance.services import editable_lines
from samverkan.finance.sie_import import import_sie
from samverkan.governance.models import Event, Network, NetworkYear
from samverkan.lib.money import format_amount
from samverkan.members.models import FeeRule, Member, Year, YearStatus, YearText
from samverkan.members.services import EditConflict, reopen_year
from samverkan.plan.models import ActivityProposal, SubGoal
from samverkan.projects.models import Project
from samverkan.web.edit_guard import DIGEST_FIELD, digest_of
from tests.web.conftest import Place, make_user


class _Form(HTMLParser):
    """The fields of the page's `<form method="post" class="stacked...">` (or of the form with
    the id `form_id`, on a page with several) as a browser posts them."""

    def __init__(self, form_id: str | None = None) -> None:
        super().__init__()
        self.form_id = form_id
        self.data: dict[str, Any] = {}
        self.in_form = False
        self.textarea: str | None = None
        self.select: str | None = None

    def _add(self, name: str, value: str) -> None:
        if name in self.data:
            old = self.data[name]
            self.data[name] = [*(old if isinstance(old, list) else [old]), value]
        else:
            self.data[name] = value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method") == "post":
            if self.form_id is None:
                self.in_form = "stacked" in a.get("class", "")
            else:
                self.in_form = a.get("id") == self.form_id
        if not self.in_form or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._add(a["name"], a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.data[a["name"]] = ""
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self._add(self.select, a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "textarea":
            if self.textarea:
                # A browser drops the newline that follows <textarea>.
                self.data[self.textarea] = self.data[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_of(page: Any, form_id: str | None = None) -> dict[str, Any]:
    parser = _Form(form_id)
    parser.feed(page.content.decode())
    data = parser.data
    data.pop("csrfmiddlewaretoken", None)
    return data


@dataclass(frozen=True)
class Kind:
    url_name: str
    record: Callable[[Place], Model]
    field: str | Callable[[Model], str]  # a field both people change ("{pk}": the record's pk)
    first: str
    second: str
    extra: tuple[tuple[str, str], ...] = ()  # what the page's save button sends
    stored: Callable[[Model], Any] | None = None  # the field's stored value (default: the record's)
    shown: str | None = None  # how the stored panel shows `first` (default: as typed)
    form_id: str | None = None  # the form, on a page with several ("{pk}": the record's pk)
    post_name: str | None = None  # where the form posts, when not to its own page
    url_arg: Callable[[Model], Any] | None = None  # how the URL names the record (default: pk)
    people: str = "secretariat"  # who edits: two of the secretariat, or two leads of network A

    def value(self, record: Model) -> Any:
        record.refresh_from_db()
        if self.stored:
            return self.stored(record)
        return getattr(record, self.field if isinstance(self.field, str) else self.field(record))

    def field_of(self, record: Model) -> str:
        return (
            self.field.format(pk=record.pk) if isinstance(self.field, str) else self.field(record)
        )

    def form(self, page: Any, record: Model) -> dict[str, Any]:
        return form_of(page, self.form_id.format(pk=record.pk) if self.form_id else None)


def in_planning(place: Place) -> None:
    """2020 back in planning: networks propose (and change their proposals) only then."""
    Year.objects.filter(pk=place.year.pk).update(status=YearStatus.PLANNING)


def proposal_of_network_a(place: Place) -> ActivityProposal:
    in_planning(place)
    return ActivityProposal.objects.create(
        focus_area=place.activity_a.focus_area,
        network=place.network_a,
        title="Cykelstråk mellan kommunerna",
    )


def budget_cell(year: Model) -> str:
    """The operating fund's staff costs in the budget grid."""
    assert isinstance(year, Year)
    fund = year.operating_fund
    assert fund is not None
    staff = CostCategory.objects.get(cooperation_id=year.cooperation_id, slug="personalkostnader")
    return f"b-{fund.pk}-{staff.pk}"


def budgeted_staff(year: Model) -> str:
    line = BudgetLine.objects.filter(year=year, category__slug="personalkostnader").first()
    return f"{line.amount:.0f}" if line else ""


def first_hand_line(fund: Model) -> str:
    """The text of the first line of the fund's ledger grid in 2020."""
    assert isinstance(fund, Fund)
    line = editable_lines(Year.objects.get(cooperation_id=fund.cooperation_id, year=2020).pk, fund)
    return line.first().text  # type: ignore[union-attr]


def named(username: str, first_name: str, last_name: str) -> Model:
    """A person with a name (the form asks for both names)."""
    person = get_user_model().objects.get(username=username)
    person.first_name, person.last_name = first_name, last_name
    person.save(update_fields=["first_name", "last_name"])
    return person


def participation_note(network: Model) -> str:
    return NetworkYear.objects.get(network=network, year__year=2020).participation_note


KINDS = {
    "meeting": Kind(
        "meeting-edit",
        lambda place: place.body_meeting,
        "place",
        "Huddinge kommunhus",
        "Flemingsbergs bibliotek",
    ),
    "consultation response": Kind(
        "consultation-edit",
        lambda place: ConsultationResponse.objects.filter(year=place.year).first(),  # type: ignore[return-value]
        "subject",
        "Regional utvecklingsplan, första",
        "Regional utvecklingsplan, andra",
    ),
    "event": Kind(
        "event-edit",
        lambda place: Event.objects.get(year=place.year, slug="sodertornskonferensen-2020"),
        "name",
        "Södertörnskonferensen (Karins namn)",
        "Södertörnskonferensen (Olles namn)",
        (("action", "save"),),
    ),
    "text": Kind(
        "text-edit",
        lambda place: YearText.objects.get(year=place.year, key="introduction"),
        "body",
        "Inledningen som Karin skrev.",
        "Inledningen som Olle skrev.",
        (("action", "save"),),
    ),
    "project (its part in the year)": Kind(
        "project-edit",
        lambda place: Project.objects.filter(years__year=place.year).first(),  # type: ignore[return-value]
        "description",
        "Årets del som Karin beskrev.",
        "Årets del som Olle beskrev.",
        stored=lambda project: project.years.get(year__year=2020).description,  # type: ignore[attr-defined]
    ),
    "account mapping": Kind(
        "account-mapping-edit",
        lambda place: AccountMapping.objects.get(cooperation=place.coop, account="3460"),
        "account",
        "34601",
        "34602",
    ),
    "focus area (name and main goal)": Kind(
        "plan-area",
        lambda place: place.activity_a.focus_area,
        "title",
        "Infrastruktur (Karins namn)",
        "Infrastruktur (Olles namn)",
        (("action", "rename"),),
        form_id="rename-form",
    ),
    "sub-goal of a focus area": Kind(
        "plan-area",
        lambda place: SubGoal.objects.filter(focus_area=place.activity_a.focus_area).first(),  # type: ignore[return-value]
        "goal-{pk}-text",
        "Delmålet som Karin skrev",
        "Delmålet som Olle skrev",
        (("action", "goal_save"),),
        stored=lambda goal: goal.text,  # type: ignore[attr-defined]
        form_id="goal-form-{pk}",
        url_arg=lambda goal: goal.focus_area_id,  # type: ignore[attr-defined]
    ),
    "activity of the plan": Kind(
        "plan-activity",
        lambda place: place.activity_a,
        "title",
        "Kollektivtrafikens utveckling (Karins titel)",
        "Kollektivtrafikens utveckling (Olles titel)",
        (("action", "save"),),
        form_id="edit-form",
    ),
    "activity proposal (by its network's leads)": Kind(
        "proposal",
        proposal_of_network_a,
        "title",
        "Cykelstråk (Karins förslag)",
        "Cykelstråk (Olles förslag)",
        (("action", "edit"),),
        form_id="edit-form",
        people="lead_a",
    ),
    "ledger grid of a fund": Kind(
        "ledger-lines",
        lambda place: Fund.objects.get(cooperation=place.coop, slug="drift-2020"),
        "form-0-text",
        "Raden som Karin rättade",
        "Raden som Olle rättade",
        stored=first_hand_line,
        form_id="ledger-grid",
        url_arg=lambda fund: fund.slug,  # type: ignore[attr-defined]
    ),
    "budget": Kind(
        "budget",
        lambda place: place.year,
        budget_cell,
        "125000",
        "130000",
        stored=budgeted_staff,
        shown=format_amount(Decimal(125000)),
        form_id="budget-grid",
        url_arg=lambda _year: None,
    ),
    "the year's stated population total": Kind(
        "population-total",
        lambda place: place.year,
        "population_total_note",
        "Vid årets slut (Karins anteckning)",
        "Vid årets slut (Olles anteckning)",
        url_arg=lambda _year: None,
    ),
    "network's part in the year": Kind(
        "network-year",
        lambda place: place.network_b,
        "participation_note",
        "Alla deltar (Karins notering).",
        "Alla deltar (Olles notering).",
        (("takes_part", "on"),),
        stored=participation_note,
    ),
    "network": Kind(
        "network-edit",
        lambda place: Network.objects.create(
            cooperation=place.coop, slug="gis", name="GIS-nätverket", order=9
        ),
        "name",
        "GIS-nätverket (Karins namn)",
        "GIS-nätverket (Olles namn)",
    ),
    "member (its name)": Kind(
        "member",
        lambda place: Member.objects.create(
            cooperation=place.coop, code="0160", name="Täby", joined=2020
        ),
        "name",
        "Täby kommun",
        "Täby köping",
        form_id="rename-form",
        post_name="member-rename",
    ),
    "fee rule": Kind(
        "fee-rule-edit",
        lambda place: FeeRule.objects.create(
            cooperation=place.coop, from_year=2020, rate=Decimal(4)
        ),
        "rate",
        "4,25",
        "4,50",
        stored=lambda rule: f"{rule.rate:.2f}".replace(".", ","),  # type: ignore[attr-defined]
    ),
    "role": Kind(
        "role-edit",
        lambda place: RoleAssignment.objects.get(
            cooperation=place.coop, user__username="kansli-extra"
        ),
        "role",
        "secretariat",
        "reader",
        stored=lambda role: role.role,  # type: ignore[attr-defined]
        shown=str(Role.SECRETARIAT.label),
    ),
    "a person's name and e-mail address": Kind(
        "user-edit",
        lambda place: named("kansli-extra", "Eva", "Lindkvist"),
        "last_name",
        "Lindqvist",
        "Lindh",
    ),
}


def two_people(place: Place, kind: Kind) -> tuple[Client, Client]:
    """Karin Berg and Olle Ek, each in a browser of their own: of the secretariat, or (for a
    network's proposal) leads of network A."""
    role, network = (
        (Role.NETWORK_LEAD, place.network_a)
        if kind.people == "lead_a"
        else (Role.SECRETARIAT, None)
    )
    karin = make_user("karin", place.coop, role, network)
    get_user_model().objects.filter(pk=karin.pk).update(first_name="Karin", last_name="Berg")
    olle = make_user("olle", place.coop, role, network)
    # The role the "role" kind edits: someone who is neither of them.
    make_user("kansli-extra", place.coop, Role.READER)
    clients = []
    for user in (karin, olle):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients[0], clients[1]


@pytest.fixture
def two_secretaries(place: Place) -> tuple[Client, Client]:
    """Karin Berg and Olle Ek of the secretariat, each in a browser of their own."""
    return two_people(place, KINDS["meeting"])


def edit_url(kind: Kind, record: Model, name: str | None = None) -> str:
    arg = kind.url_arg(record) if kind.url_arg else record.pk
    args = ["sodertorn", 2020] if arg is None else ["sodertorn", 2020, arg]
    return reverse(f"web:{name or kind.url_name}", args=args)


def urls(kind: Kind, record: Model) -> tuple[str, str]:
    """The edit page, and where its form posts."""
    return edit_url(kind, record), edit_url(kind, record, kind.post_name)


def entries_of(record: Model) -> int:
    return AuditEntry.objects.filter(
        object_type=record._meta.label_lower, object_id=str(record.pk)
    ).count()


def all_entries() -> int:
    return AuditEntry.objects.count()


@pytest.mark.parametrize("name", KINDS)
def test_the_later_of_two_saves_from_forms_read_at_once_is_refused_and_keeps_what_was_typed(
    place: Place, name: str
) -> None:
    kind = KINDS[name]
    karin, olle = two_people(place, kind)
    record = kind.record(place)
    field = kind.field_of(record)
    page, post = urls(kind, record)
    karins_form, olles_form = kind.form(karin.get(page), record), kind.form(olle.get(page), record)
    assert karins_form[DIGEST_FIELD], "the form carries the digest of the record as read"

    saved = karin.post(post, {**karins_form, field: kind.first, **dict(kind.extra)})
    assert saved.status_code in (302, 303), saved.content.decode()[:2000]
    entries = all_entries()

    refused = olle.post(post, {**olles_form, field: kind.second, **dict(kind.extra)})
    assert refused.status_code == 409
    page_text = refused.content.decode()
    assert "ändrades av Karin Berg den " in page_text and " medan du redigerade." in page_text
    assert "dina ändringar är inte sparade" in page_text
    assert kind.value(record) == kind.first, "the record holds the first save"
    assert all_entries() == entries, "the refused save wrote no audit entry"
    stored = page_text.split('id="stored-record"')[1].split("</section>")[0]
    assert (kind.shown or kind.first) in stored, "the page shows what is stored now"
    again = kind.form(refused, record)
    assert again[field].strip() == kind.second, "what Olle typed is still in the form"
    assert again[DIGEST_FIELD] != olles_form[DIGEST_FIELD], "the form carries the new digest"

    resaved = olle.post(post, {**again, **dict(kind.extra)})
    assert resaved.status_code in (302, 303), "saving again from the refusal is a decision"
    assert kind.value(record) == kind.second


@pytest.mark.parametrize("name", KINDS)
def test_saving_a_form_read_from_the_record_as_stored_is_accepted_even_unchanged(
    place: Place, name: str
) -> None:
    kind = KINDS[name]
    karin, _olle = two_people(place, kind)
    record = kind.record(place)
    field = kind.field_of(record)
    page, post = urls(kind, record)
    form = kind.form(karin.get(page), record)
    assert karin.post(post, {**form, **dict(kind.extra)}).status_code in (302, 303)
    changed = karin.post(post, {**form, field: kind.first, **dict(kind.extra)})
    assert changed.status_code in (302, 303), "an unchanged save leaves the digest as it was"
    assert kind.value(record) == kind.first


@pytest.mark.parametrize("name", KINDS)
def test_an_edit_posted_without_the_digest_is_refused_and_saves_nothing(
    place: Place, name: str
) -> None:
    kind = KINDS[name]
    karin, _olle = two_people(place, kind)
    record = kind.record(place)
    field = kind.field_of(record)
    before = kind.value(record)
    page, post = urls(kind, record)
    form = kind.form(karin.get(page), record)
    del form[DIGEST_FIELD]
    refused = karin.post(post, {**form, field: kind.first, **dict(kind.extra)})
    assert refused.status_code == 400
    assert "Formuläret saknar uppgift om vilken version" in refused.content.decode()
    assert kind.value(record) == before
    assert kind.form(refused, record)[field].strip() == kind.first


def test_a_change_of_an_events_co_financing_alone_refuses_a_save_from_an_older_form(
    place: Place, two_secretaries: tuple[Client, Client]
) -> None:
    kind = KINDS["event"]
    event = kind.record(place)
    karin, olle = two_secretaries
    url = edit_url(kind, event)
    olles_form = form_of(olle.get(url))
    karins_form = form_of(karin.get(url))
    share = next(key for key in karins_form if key.startswith("share_"))
    assert karin.post(url, {**karins_form, share: "500", "action": "save"}).status_code == 303
    refused = olle.post(url, {**olles_form, "action": "save"})
    assert refused.status_code == 409


def test_a_new_record_needs_no_digest(place: Place, two_secretaries: tuple[Client, Client]) -> None:
    karin, _olle = two_secretaries
    new = reverse("web:consultation-new", args=["sodertorn", 2020])
    assert DIGEST_FIELD not in form_of(karin.get(new))
    assert karin.post(new, {"subject": "Ny remiss", "answered": "on"}).status_code == 303
    assert ConsultationResponse.objects.filter(subject="Ny remiss").exists()


def test_a_cost_line_added_to_a_project_since_the_form_was_read_refuses_its_save(
    place: Place, two_secretaries: tuple[Client, Client]
) -> None:
    kind = KINDS["project (its part in the year)"]
    project = kind.record(place)
    karin, olle = two_secretaries
    url = edit_url(kind, project)
    olles_form = form_of(olle.get(url))
    fund = place.coop.funds.get(slug="drift-2020")
    category = CostCategory.objects.filter(cooperation=place.coop, kind=LineKind.COST).first()
    assert category is not None
    LedgerLine.objects.create(
        year=place.year,
        project=project,
        fund=fund,
        category=category,
        kind=LineKind.COST,
        date=dt.date(2020, 5, 31),
        amount=Decimal(1200),
        text="Tryckning",
        source=LineSource.MANUAL,
    )
    refused = olle.post(url, {**olles_form, kind.field: kind.second})
    assert refused.status_code == 409
    assert "Tryckning" in refused.content.decode().split('id="stored-record"')[1]


def test_an_sie_import_since_the_ledger_grid_was_read_refuses_its_save_naming_who_imported(
    place: Place,
) -> None:
    kind = KINDS["ledger grid of a fund"]
    karin, olle = two_people(place, kind)
    fund = kind.record(place)
    page, post = urls(kind, fund)
    olles_form = kind.form(olle.get(page), fund)
    import_sie(
        DEMO_DIR / "huddinge-2020.se",
        place.year,
        objects=["1:1510"],
        actor=get_user_model().objects.get(username="karin"),
    )
    before = first_hand_line(fund)
    refused = olle.post(post, {**olles_form, "form-0-text": kind.second})
    assert refused.status_code == 409
    assert "ändrades av Karin Berg den " in refused.content.decode()
    assert first_hand_line(fund) == before


def test_a_ledger_line_added_since_the_grid_was_read_is_kept_when_the_refused_grid_is_saved_again(
    place: Place,
) -> None:
    kind = KINDS["ledger grid of a fund"]
    karin, olle = two_people(place, kind)
    fund = kind.record(place)
    page, post = urls(kind, fund)
    karins_form, olles_form = kind.form(karin.get(page), fund), kind.form(olle.get(page), fund)
    category = CostCategory.objects.get(cooperation=place.coop, slug="ovriga-konsulter")
    # Karin fills the first empty row: a line dated first in the year, so it sorts before the rest.
    new_row = int(karins_form["form-INITIAL_FORMS"])
    added = {
        f"form-{new_row}-date": "2020-01-02",
        f"form-{new_row}-category": str(category.pk),
        f"form-{new_row}-text": "Karins nya rad",
        f"form-{new_row}-amount": "500",
    }
    assert karin.post(post, {**karins_form, **added}).status_code == 303
    refused = olle.post(post, {**olles_form, "form-0-text": kind.second})
    assert refused.status_code == 409
    assert "Karins nya rad" in refused.content.decode().split('id="stored-record"')[1]
    again = kind.form(refused, fund)
    resaved = olle.post(post, again)
    assert resaved.status_code == 303, "Olle's empty rows are still empty, whatever sorts first now"
    lines = LedgerLine.objects.filter(year=place.year, fund=fund)
    assert lines.filter(text="Karins nya rad").exists(), "Karin's line is not Olle's to remove"
    assert lines.filter(text=kind.second).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)
def test_concurrent_saves_from_one_read_let_exactly_one_through_on_postgresql(demo: None) -> None:
    """Eight threads save one consultation response from the same read: one wins, seven are
    refused, and the audit trail holds the winner's change only."""
    year = Year.objects.get(cooperation__slug="sodertorn", year=2020)
    reopen_year(year, actor="tests", reason="concurrency test")
    response = ConsultationResponse.objects.filter(year=year).first()
    assert response is not None
    digest = digest_of(response, year)
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            save_consultation_response(
                year, response, actor=f"thread {n}", subject=f"Ämne {n}", read_as=digest
            )
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * 7 + ["saved"]
    winner = AuditEntry.objects.get(
        action="consultations.response.update", object_id=str(response.pk)
    )
    stored = ConsultationResponse.objects.get(pk=response.pk)
    assert stored.subject == winner.changes["subject"]["after"]
