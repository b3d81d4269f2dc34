"""A form that adds a record stores it once: a double click, back and send again, or a browser
that resends a slow answer does not store a second copy.

Each create form carries a one-time token (`once`). The first POST that saves spends it, in the
same transaction as the record; a second POST with it stores nothing, writes no audit entry and
is sent (303) to where the first one went, with a message. A refused POST (400) spends nothing,
so the corrected form, with the same token, still saves. A POST without a token (a script) is
served as before.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.accounts.models import Role
from samverkan.audit.models import AuditEntry
from samverkan.consultations.models import ConsultationResponse
from samverkan.core.models import FormReceipt
from samverkan.finance.models import AccountMapping, CostCategory
from samverkan.governance.models import Event, Meeting, Network
from samverkan.members.models import (
    FeeRule,
    Member,
    PopulationFigure,
    Year,
    YearStatus,
    YearText,
)
from samverkan.members.services import reopen_year
from samverkan.plan.models import Activity, ActivityProposal, FocusArea, SubGoal
from samverkan.projects.models import Project
from samverkan.web.once import KEEP, ONCE_FIELD
from tests.web.conftest import Place, make_user

REPEATED = "Formuläret var redan skickat. Här är det som sparades."


class _Forms(HTMLParser):
    """The fields of each `<form method="post">` of a page, as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.textarea: str | None = None
        self.select: str | None = None

    def _add(self, name: str, value: str) -> None:
        assert self.current is not None
        old = self.current.get(name)
        if old is None:
            self.current[name] = value
        else:
            self.current[name] = [*(old if isinstance(old, list) else [old]), value]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method") == "post":
            self.current = {}
            self.forms.append(self.current)
        if self.current is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._add(a["name"], a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.current[a["name"]] = ""
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self._add(self.select, a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self.textarea and self.current is not None:
            self.current[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_with_token(page: Any, nth: int = 0) -> dict[str, Any]:
    """The `nth` form of the page that carries a one-time token, as the browser sends it."""
    parser = _Forms()
    parser.feed(page.content.decode())
    found = [form for form in parser.forms if ONCE_FIELD in form]
    assert len(found) > nth, "the page has no create form with a one-time token"
    data = found[nth]
    data.pop("csrfmiddlewaretoken", None)
    return data


@dataclass(frozen=True)
class Kind:
    """A create page: where it is, what it stores and what a valid form sends."""

    url: Callable[[Place], str]
    records: Callable[[Place], QuerySet[Any]]
    typed: Callable[[Place], dict[str, Any]]
    nth: int = 0  # which of the page's create forms (the area page has two)
    role: Role = Role.SECRETARIAT
    before: Callable[[Place], Any] = lambda place: None  # what the page needs first


def planning(place: Place) -> None:
    """The year is being planned: the networks may propose activities."""
    Year.objects.filter(pk=place.year.pk).update(status=YearStatus.PLANNING)


def app(name: str) -> Callable[[Place], str]:
    return lambda place: reverse(f"web:{name}", args=[place.coop.slug, 2020])


def area_url(place: Place) -> str:
    return reverse("web:plan-area", args=[place.coop.slug, 2020, place.activity_a.focus_area_id])


KINDS = {
    "meeting": Kind(
        app("meeting-new"),
        lambda place: Meeting.objects.filter(year=place.year),
        lambda place: {
            "networks": [place.network_a.pk],
            "date": "2020-10-06",
            "format": "digital",
            "kind": "ordinary",
            "count": "1",
            "place": "Teams",
        },
    ),
    "consultation response": Kind(
        app("consultation-new"),
        lambda place: ConsultationResponse.objects.filter(year=place.year),
        lambda place: {"subject": "Regional cykelplan"},
    ),
    "event": Kind(
        app("event-new"),
        lambda place: Event.objects.filter(year=place.year),
        lambda place: {"name": "Cykeldagen", "kind": "conference"},
    ),
    "project": Kind(
        app("project-new"),
        lambda place: Project.objects.filter(cooperation=place.coop),
        lambda place: {"name": "Cykelstråk"},
    ),
    "member": Kind(
        app("member-new"),
        lambda place: Member.objects.filter(cooperation=place.coop),
        lambda place: {"code": "0160", "name": "Täby", "joined": "2020"},
    ),
    "activity": Kind(
        area_url,
        lambda place: Activity.objects.filter(focus_area__year=place.year),
        lambda place: {
            "action": "add_activity",
            "new-title": "Cykelplan för Södertörn",
            "new-networks": [place.network_a.pk],
        },
        nth=1,
    ),
    "year text": Kind(
        app("text-new"),
        lambda place: YearText.objects.filter(year=place.year),
        lambda place: {"key": "cycling", "body": "Om cykling."},
    ),
    "network": Kind(
        app("network-new"),
        lambda place: Network.objects.filter(cooperation=place.coop),
        lambda place: {"name": "Nätverket för cykelplanerare", "short_name": "Cykel"},
    ),
    "fee rule": Kind(
        app("fee-rule-new"),
        lambda place: FeeRule.objects.filter(cooperation=place.coop),
        lambda place: {"from_year": "2021", "rate": "5", "basis": "previous_year_end"},
    ),
    "population figure": Kind(
        app("population-new"),
        lambda place: PopulationFigure.objects.filter(member__cooperation=place.coop),
        lambda place: {
            "member": place.coop.members.get(code="0127").pk,
            "date": "2020-12-31",
            "population": "96142",
            "source": "SCB",
        },
    ),
    "account mapping": Kind(
        app("account-mapping-new"),
        lambda place: AccountMapping.objects.filter(cooperation=place.coop),
        lambda place: {
            "account": "6420",
            "category": CostCategory.objects.filter(cooperation=place.coop).first().pk,  # type: ignore[union-attr]
        },
    ),
    "focus area": Kind(
        app("plan"),
        lambda place: FocusArea.objects.filter(year=place.year),
        lambda place: {"action": "add", "title": "Cykling", "main_goal": "Fler cyklar."},
    ),
    "sub-goal": Kind(
        area_url,
        lambda place: SubGoal.objects.filter(focus_area__year=place.year),
        lambda place: {"action": "add_goal", "new-goal-text": "Fler cykelbanor."},
    ),
    "activity proposal": Kind(
        app("proposal-new"),
        lambda place: ActivityProposal.objects.filter(focus_area__year=place.year),
        lambda place: {
            "focus_area": place.activity_a.focus_area_id,
            "network": place.network_a.pk,
            "title": "Cykelkarta",
        },
        role=Role.NETWORK_LEAD,
        before=planning,
    ),
    "year": Kind(
        lambda place: reverse("web:year-new", args=[place.coop.slug]) + "?ar=2021&fran=2020",
        lambda place: Year.objects.filter(cooperation=place.coop),
        lambda place: {"ar": "2021", "fran": "2020"},
    ),
    "person": Kind(
        app("user-new"),
        lambda place: get_user_model().objects.all(),
        lambda place: {
            "first_name": "Eva",
            "last_name": "Ek",
            "email": "eva.ek@example.org",
            "username": "eva.ek",
            "role": Role.READER,
        },
    ),
}


def filled_form(client: Client, kind: Kind, place: Place) -> dict[str, Any]:
    page = client.get(kind.url(place))
    assert page.status_code == 200
    return {**form_with_token(page, kind.nth), **kind.typed(place)}


@pytest.fixture
def secretariat(place: Place) -> Client:
    client = Client()
    client.force_login(make_user("kansli", place.coop, Role.SECRETARIAT))
    return client


def client_of(place: Place, role: Role) -> Client:
    client = Client()
    network = place.network_a if role == Role.NETWORK_LEAD else None
    client.force_login(make_user(f"person-{role}", place.coop, role, network))
    return client


@pytest.mark.parametrize("name", KINDS, ids=KINDS.keys())
def test_a_form_sent_twice_stores_one_record_and_one_audit_entry(place: Place, name: str) -> None:
    kind = KINDS[name]
    kind.before(place)
    secretariat = client_of(place, kind.role)
    form = filled_form(secretariat, kind, place)
    records, entries = kind.records(place).count(), AuditEntry.objects.count()

    first = secretariat.post(kind.url(place), form)
    assert first.status_code in (302, 303), first.content.decode().split("<main")[-1][:3000]
    assert kind.records(place).count() == records + 1
    entries_after_first = AuditEntry.objects.count()
    assert entries_after_first == entries + 1

    second = secretariat.post(kind.url(place), form)
    assert second.status_code == 303
    assert second["Location"] == first["Location"]
    assert kind.records(place).count() == records + 1
    assert AuditEntry.objects.count() == entries_after_first
    assert REPEATED in [str(m) for m in get_messages(second.wsgi_request)]


def test_the_repeat_shows_its_message_on_the_page_the_first_save_led_to(
    place: Place, secretariat: Client
) -> None:
    kind = KINDS["event"]
    form = filled_form(secretariat, kind, place)
    secretariat.post(kind.url(place), form)
    landed = secretariat.post(kind.url(place), form, follow=True)
    assert landed.redirect_chain[-1][1] == 303
    assert REPEATED in landed.content.decode()
    assert "Cykeldagen" in landed.content.decode()


@pytest.mark.parametrize("name", ["meeting", "member", "activity"])
def test_a_refused_form_corrected_and_sent_again_with_its_token_stores_once(
    place: Place, secretariat: Client, name: str
) -> None:
    kind = KINDS[name]
    form = filled_form(secretariat, kind, place)
    records, entries = kind.records(place).count(), AuditEntry.objects.count()
    broken = {**form, "date": "2021-02-03", "code": "16", "new-title": ""}

    refused = secretariat.post(kind.url(place), broken)
    assert refused.status_code == 400
    assert form_with_token(refused, kind.nth)[ONCE_FIELD] == form[ONCE_FIELD]
    assert kind.records(place).count() == records

    corrected = secretariat.post(kind.url(place), form)
    assert corrected.status_code in (302, 303)
    again = secretariat.post(kind.url(place), form)
    assert again.status_code == 303
    assert again["Location"] == corrected["Location"]
    assert kind.records(place).count() == records + 1
    assert AuditEntry.objects.count() - entries == 1


def test_each_rendering_of_a_create_form_carries_a_token_of_its_own(
    place: Place, secretariat: Client
) -> None:
    kind = KINDS["meeting"]
    one, two = (filled_form(secretariat, kind, place) for _ in range(2))
    assert one[ONCE_FIELD] != two[ONCE_FIELD]
    records = kind.records(place).count()
    secretariat.post(kind.url(place), one)
    secretariat.post(kind.url(place), two)
    assert kind.records(place).count() == records + 2, "two forms opened are two meetings"


def test_an_edit_form_carries_its_digest_and_no_token(place: Place, secretariat: Client) -> None:
    page = secretariat.get(
        reverse("web:meeting-edit", args=[place.coop.slug, 2020, place.meeting_a.pk])
    ).content.decode()
    assert 'name="read_as"' in page
    assert f'name="{ONCE_FIELD}"' not in page


def test_a_form_posted_without_a_token_is_stored_as_before(
    place: Place, secretariat: Client
) -> None:
    kind = KINDS["meeting"]
    data = kind.typed(place)
    records = kind.records(place).count()
    assert secretariat.post(kind.url(place), data).status_code in (302, 303)
    assert secretariat.post(kind.url(place), data).status_code in (302, 303)
    assert kind.records(place).count() == records + 2
    assert not FormReceipt.objects.exists()


def test_another_persons_token_stores_nothing_and_shows_nothing_of_theirs(
    place: Place, secretariat: Client
) -> None:
    kind = KINDS["consultation response"]
    form = filled_form(secretariat, kind, place)
    first = secretariat.post(kind.url(place), form)
    colleague = Client()
    colleague.force_login(make_user("kansli-2", place.coop, Role.SECRETARIAT))
    records = kind.records(place).count()
    answer = colleague.post(kind.url(place), form)
    assert answer.status_code == 303
    assert answer["Location"] != first["Location"]
    assert kind.records(place).count() == records


def test_receipts_older_than_a_week_are_forgotten_when_a_form_is_stored(
    place: Place, secretariat: Client
) -> None:
    user = get_user_model().objects.get(username="kansli")
    now = timezone.now()
    FormReceipt.objects.create(
        token="o" * 32, user=user, url="/", created_at=now - KEEP - dt.timedelta(hours=1)
    )
    FormReceipt.objects.create(
        token="n" * 32, user=user, url="/", created_at=now - KEEP + dt.timedelta(hours=1)
    )
    kind = KINDS["meeting"]
    secretariat.post(kind.url(place), filled_form(secretariat, kind, place))
    kept = set(FormReceipt.objects.values_list("token", flat=True))
    assert "o" * 32 not in kept
    assert "n" * 32 in kept
    assert len(kept) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)
def test_two_concurrent_posts_of_one_form_store_one_record_on_postgresql(demo: None) -> None:
    """Two requests with one token at the same moment (a double click): the second's claim waits
    for the first transaction, fails on the unique token, and answers like a repeat."""
    year = Year.objects.get(cooperation__slug="sodertorn", year=2020)
    reopen_year(year, actor="tests", reason="concurrency test")
    user = make_user("kansli", year.cooperation, Role.SECRETARIAT)
    url = reverse("web:consultation-new", args=["sodertorn", 2020])
    page = Client()
    page.force_login(user)
    form = {**form_with_token(page.get(url)), "subject": "Samtidig remiss"}
    before = ConsultationResponse.objects.filter(year=year).count()
    entries = AuditEntry.objects.filter(action__startswith="consultations.").count()
    start = threading.Barrier(4)
    answers: list[tuple[int, str]] = []

    def send() -> None:
        client = Client()
        client.force_login(user)
        try:
            start.wait()
            response = client.post(url, form)
            answers.append((response.status_code, response.get("Location", "")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert ConsultationResponse.objects.filter(year=year).count() == before + 1
    assert AuditEntry.objects.filter(action__startswith="consultations.").count() == entries + 1
    assert len(answers) == 4
    assert {status for status, _ in answers} <= {302, 303}
    assert len({location for _, location in answers}) == 1
    assert FormReceipt.objects.filter(token=form[ONCE_FIELD]).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)
def test_a_post_sent_while_the_first_is_still_saving_waits_for_it_and_answers_like_a_repeat(
    demo: None,
) -> None:
    """The first POST has claimed the token and not yet committed, so the second cannot see the
    receipt: its own claim waits on the unique token, fails once the first commits, and it
    answers 303 to where the first went, storing nothing."""
    year = Year.objects.get(cooperation__slug="sodertorn", year=2020)
    reopen_year(year, actor="tests", reason="concurrency test")
    user = make_user("kansli", year.cooperation, Role.SECRETARIAT)
    url = reverse("web:consultation-new", args=["sodertorn", 2020])
    client = Client()
    client.force_login(user)
    form = {**form_with_token(client.get(url)), "subject": "Medan den första sparas"}
    claimed, first_url = threading.Event(), "/app/sodertorn/2020/remissvar/"

    def first() -> None:
        try:
            with transaction.atomic():
                FormReceipt.objects.create(token=form[ONCE_FIELD], user=user, url=first_url)
                claimed.set()
                time.sleep(1)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    assert claimed.wait(10)
    answer = client.post(url, form)
    thread.join()

    assert answer.status_code == 303
    assert answer["Location"] == first_url
    assert not ConsultationResponse.objects.filter(subject="Medan den första sparas").exists()


def test_the_token_field_is_one_a_page_of_ours_issued(place: Place, secretariat: Client) -> None:
    page = secretariat.get(app("meeting-new")(place)).content.decode()
    token = re.search(rf'name="{ONCE_FIELD}" value="([^"]+)"', page)
    assert token is not None and re.fullmatch(r"[A-Za-z0-9_-]{32}", token.group(1))
