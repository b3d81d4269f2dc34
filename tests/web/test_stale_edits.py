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

from samverkan.accounts.models import Role
from samverkan.audit.models import AuditEntry
from samverkan.consultations.models import ConsultationResponse
from samverkan.consultations.services import save_consultation_response
from samverkan.finance.models import (
    AccountMapping,
    CostCategory,
    LedgerLine,
    LineKind,
    LineSource,
)
from samverkan.governance.models import Event
from samverkan.members.models import Year, YearText
from samverkan.members.services import EditConflict, reopen_year
from samverkan.projects.models import Project
from samverkan.web.edit_guard import DIGEST_FIELD, digest_of
from tests.web.conftest import Place, make_user


class _Form(HTMLParser):
    """The fields of the page's `<form method="post" class="stacked...">` as a browser posts them."""

    def __init__(self) -> None:
        super().__init__()
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
        if tag == "form" and a.get("method") == "post" and "stacked" in a.get("class", ""):
            self.in_form = True
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


def form_of(page: Any) -> dict[str, Any]:
    parser = _Form()
    parser.feed(page.content.decode())
    data = parser.data
    data.pop("csrfmiddlewaretoken", None)
    return data


@dataclass(frozen=True)
class Kind:
    url_name: str
    record: Callable[[Place], Model]
    field: str  # a field both people change
    first: str
    second: str
    extra: tuple[tuple[str, str], ...] = ()  # what the page's save button sends
    stored: Callable[[Model], Any] | None = None  # the field's stored value (default: the record's)

    def value(self, record: Model) -> Any:
        record.refresh_from_db()
        return self.stored(record) if self.stored else getattr(record, self.field)


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
}


@pytest.fixture
def two_secretaries(place: Place) -> tuple[Client, Client]:
    """Karin Berg and Olle Ek of the secretariat, each in a browser of their own."""
    karin = make_user("karin", place.coop, Role.SECRETARIAT)
    get_user_model().objects.filter(pk=karin.pk).update(first_name="Karin", last_name="Berg")
    olle = make_user("olle", place.coop, Role.SECRETARIAT)
    clients = []
    for user in (karin, olle):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients[0], clients[1]


def edit_url(kind: Kind, record: Model) -> str:
    return reverse(f"web:{kind.url_name}", args=["sodertorn", 2020, record.pk])


def entries_of(record: Model) -> int:
    return AuditEntry.objects.filter(
        object_type=record._meta.label_lower, object_id=str(record.pk)
    ).count()


@pytest.mark.parametrize("name", KINDS)
def test_the_later_of_two_saves_from_forms_read_at_once_is_refused_and_keeps_what_was_typed(
    place: Place, two_secretaries: tuple[Client, Client], name: str
) -> None:
    kind = KINDS[name]
    record = kind.record(place)
    karin, olle = two_secretaries
    url = edit_url(kind, record)
    karins_form, olles_form = form_of(karin.get(url)), form_of(olle.get(url))
    assert karins_form[DIGEST_FIELD], "the form carries the digest of the record as read"

    saved = karin.post(url, {**karins_form, kind.field: kind.first, **dict(kind.extra)})
    assert saved.status_code in (302, 303)
    entries = entries_of(record)

    refused = olle.post(url, {**olles_form, kind.field: kind.second, **dict(kind.extra)})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "ändrades av Karin Berg den " in page and " medan du redigerade." in page
    assert "dina ändringar är inte sparade" in page
    assert kind.value(record) == kind.first, "the record holds the first save"
    assert entries_of(record) == entries, "the refused save wrote no audit entry"
    stored = page.split('id="stored-record"')[1].split("</section>")[0]
    assert kind.first in stored, "the page shows what is stored now"
    again = form_of(refused)
    assert again[kind.field].strip() == kind.second, "what Olle typed is still in the form"
    assert again[DIGEST_FIELD] != olles_form[DIGEST_FIELD], "the form carries the new digest"

    resaved = olle.post(url, {**again, **dict(kind.extra)})
    assert resaved.status_code in (302, 303), "saving again from the refusal is a decision"
    assert kind.value(record) == kind.second


@pytest.mark.parametrize("name", KINDS)
def test_saving_a_form_read_from_the_record_as_stored_is_accepted_even_unchanged(
    place: Place, two_secretaries: tuple[Client, Client], name: str
) -> None:
    kind = KINDS[name]
    record = kind.record(place)
    karin, _olle = two_secretaries
    url = edit_url(kind, record)
    form = form_of(karin.get(url))
    assert karin.post(url, {**form, **dict(kind.extra)}).status_code in (302, 303)
    changed = karin.post(url, {**form, kind.field: kind.first, **dict(kind.extra)})
    assert changed.status_code in (302, 303), "an unchanged save leaves the digest as it was"
    assert kind.value(record) == kind.first


@pytest.mark.parametrize("name", KINDS)
def test_an_edit_posted_without_the_digest_is_refused_and_saves_nothing(
    place: Place, two_secretaries: tuple[Client, Client], name: str
) -> None:
    kind = KINDS[name]
    record = kind.record(place)
    before = kind.value(record)
    karin, _olle = two_secretaries
    url = edit_url(kind, record)
    form = form_of(karin.get(url))
    del form[DIGEST_FIELD]
    refused = karin.post(url, {**form, kind.field: kind.first, **dict(kind.extra)})
    assert refused.status_code == 400
    assert "Formuläret saknar uppgift om vilken version" in refused.content.decode()
    assert kind.value(record) == before
    assert form_of(refused)[kind.field].strip() == kind.first


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
