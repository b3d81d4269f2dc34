"""Personas and places for the web tests.

The Södertörn demo is loaded and then 2020 is reopened (draft) so that it can
be edited; 2018 stays published and 2019 decided. A second, small
cooperation ("Norrort") with a secretariat of its own plays the outsider.
Users have no usable password (no Argon2 hashing in the fast tests); the
test client logs them in with force_login.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from samverkan.accounts.models import Role
from samverkan.accounts.services import grant_role
from samverkan.governance.models import Body, Meeting, MeetingFormat, Network
from samverkan.members.models import Cooperation, Year, YearStatus
from samverkan.members.services import reopen_year
from samverkan.plan.models import Activity, AreaGroup, FocusArea, FollowUp
from samverkan.web.edit_guard import DIGEST_FIELD, Guarded, digest_of

SECRETARIAT = "secretariat"
LEAD_A = "lead_a"  # network lead of SUP-gruppen (network A)
LEAD_B = "lead_b"  # network lead of SNUG-gruppen (network B)
READER = "reader"
OUTSIDER = "outsider"  # secretariat of another cooperation
ANONYMOUS = "anonymous"
PERSONAS = (SECRETARIAT, LEAD_A, LEAD_B, READER, OUTSIDER, ANONYMOUS)


def make_user(
    username: str, cooperation: Cooperation, role: Role, network: Network | None = None
) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org")
    grant_role(user, cooperation, role, network=network, actor="tests")
    return user


def read_as(
    record: Any, year: Year | None = None, guarded: Guarded | None = None
) -> dict[str, str]:
    """The hidden field an edit form carries: the digest of the record as stored now, as the
    page of `year` shows it (default: the record's own year, a project's first; `guarded`:
    another state of the record than its own page's, as a network's year)."""
    record.refresh_from_db()
    if year is None:
        year = getattr(record, "year", None) or record.start_year
    return {DIGEST_FIELD: digest_of(record, year, guarded)}


@dataclass
class Place:
    """The demo's objects the tests point at."""

    coop: Cooperation
    year: Year  # 2020, reopened: draft
    activity_a: Activity  # owned by SUP-gruppen only
    activity_b: Activity  # owned by SNUG-gruppen only
    meeting_a: Meeting  # a SUP-gruppen meeting
    meeting_b: Meeting  # a SNUG-gruppen meeting
    body_meeting: Meeting  # a committee meeting
    network_a: Network
    network_b: Network
    other_coop: Cooperation
    other_year: Year  # the outsider's 2020, in follow-up
    other_activity: Activity
    other_meeting: Meeting


def follow(locator: Any) -> None:
    """Click a link or button that navigates, and wait until the next page has loaded.

    `click()` returns before the navigation it starts; a check run then meets the old page,
    or a document that is being replaced (a flaky CI run: axe read a null document).
    """
    with locator.page.expect_navigation():
        locator.click()
    locator.page.wait_for_load_state()


@pytest.fixture
def other_cooperation(db: None) -> tuple[Cooperation, Year, Activity, Meeting]:
    """Norrort: one network, one year with one activity and one meeting."""
    coop = Cooperation.objects.create(
        slug="norrort", name="Norrortskommunerna", short_name="Norrort"
    )
    network = Network.objects.create(cooperation=coop, slug="planchefer", name="Planchefer")
    year = Year.objects.create(cooperation=coop, year=2020, status=YearStatus.FOLLOW_UP)
    group = AreaGroup.objects.create(year=year, slug="regionalt", name="Regionalt", kind="regional")
    area = FocusArea.objects.create(
        year=year, group=group, slug="trafik", number="1", title="Trafik"
    )
    area.responsible_networks.add(network)
    activity = Activity.objects.create(focus_area=area, title="Norrortsbanan")
    FollowUp.objects.create(activity=activity, text="Hemlig uppföljning i Norrort")
    meeting = Meeting.objects.create(
        year=year, format=MeetingFormat.DIGITAL, date=dt.date(2020, 3, 3)
    )
    meeting.networks.add(network)
    return coop, year, activity, meeting


@pytest.fixture
def place(demo: None, other_cooperation: tuple[Cooperation, Year, Activity, Meeting]) -> Place:
    coop = Cooperation.objects.get(slug="sodertorn")
    year = reopen_year(
        Year.objects.get(cooperation=coop, year=2020), actor="tests", reason="tests edit 2020"
    )
    network_a = Network.objects.get(cooperation=coop, slug="sup-gruppen")
    network_b = Network.objects.get(cooperation=coop, slug="snug")
    activities = Activity.objects.filter(focus_area__year=year)
    activity_a = activities.get(title__startswith="Kollektivtrafikens utveckling")
    activity_b = activities.get(title__startswith="Fortsatt samverkan mellan YH-nätverket")
    meetings = Meeting.objects.filter(year=year)
    other_coop, other_year, other_activity, other_meeting = other_cooperation
    return Place(
        coop=coop,
        year=year,
        activity_a=activity_a,
        activity_b=activity_b,
        meeting_a=meetings.filter(networks=network_a).first(),  # type: ignore[arg-type]
        meeting_b=meetings.filter(networks=network_b).exclude(networks=network_a).first(),  # type: ignore[arg-type]
        body_meeting=meetings.filter(
            body=Body.objects.get(cooperation=coop, slug="samarbetskommitten")
        ).first(),  # type: ignore[arg-type]
        network_a=network_a,
        network_b=network_b,
        other_coop=other_coop,
        other_year=other_year,
        other_activity=other_activity,
        other_meeting=other_meeting,
    )


@pytest.fixture
def users(place: Place) -> dict[str, AbstractBaseUser | None]:
    return {
        SECRETARIAT: make_user("kansli", place.coop, Role.SECRETARIAT),
        LEAD_A: make_user("sup-ledare", place.coop, Role.NETWORK_LEAD, place.network_a),
        LEAD_B: make_user("snug-ledare", place.coop, Role.NETWORK_LEAD, place.network_b),
        READER: make_user("lasare", place.coop, Role.READER),
        OUTSIDER: make_user("norrort-kansli", place.other_coop, Role.SECRETARIAT),
        ANONYMOUS: None,
    }


@pytest.fixture
def client_for(users: dict[str, AbstractBaseUser | None]):  # type: ignore[no-untyped-def]
    """client_for(persona) -> a test client logged in as that persona (anonymous: not logged in)."""

    def make(persona: str) -> Client:
        client = Client()
        user = users[persona]
        if user is not None:
            client.force_login(user)
        return client

    return make


# -- the browser journeys (test_yearly_cycle.py, test_registers_and_money.py) ---------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module."""
    from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, playwright_api

    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def login(browser: Any, live_server: Any, people: dict[str, Any]) -> Iterator[Any]:
    """login(username) -> a page signed in through the login form, in a context of its own.

    `people` (the test module's own fixture) makes the users, with the password of test_browser.
    """
    from tests.web.test_browser import PASSWORD

    contexts = []

    def make(username: str) -> Any:
        context = browser.new_context(
            locale="sv-SE", accept_downloads=True, viewport={"width": 1100, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{live_server.url}/konto/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        follow(page.get_by_role("button", name="Logga in"))
        return page

    yield make
    for context in contexts:
        context.close()
