"""The yearly cycle in a real browser: headless Chromium through Playwright against the live server.

A network lead writes a follow-up and finds it on the dashboard; two people
on the same form cannot overwrite each other; once the year is decided an
edit is refused; the public sees published years only; axe-core finds no
WCAG 2.1 AA violation on the dashboard, an activity page and the public page.
Every change made here is found in the audit trail with before and after.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from samverkan.audit.models import AuditEntry
from samverkan.members.models import Year, YearStatus
from samverkan.plan.models import FollowUp
from tests.conftest import run_worker
from tests.web.conftest import LEAD_A, LEAD_B, READER, SECRETARIAT, Place, follow

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "ett-långt-lösenord-för-test"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def passwords(users: dict[str, Any]) -> None:
    for user in users.values():
        if user is not None:
            user.set_password(PASSWORD)
            user.save()


@pytest.fixture
def open_page(
    browser: Any, live_server: Any, passwords: None, users: dict[str, Any]
) -> Iterator[Any]:
    """open_page(persona=None) -> a page in a fresh browser context, logged in through the login form."""
    contexts = []

    def make(persona: str | None = None) -> Any:
        context = browser.new_context(locale="sv-SE")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        if persona is not None:
            page.goto(f"{live_server.url}/konto/logga-in/")
            page.get_by_label("Användarnamn").fill(users[persona].username)
            page.get_by_label("Lösenord").fill(PASSWORD)
            follow(page.get_by_role("button", name="Logga in"))
        return page

    yield make
    for context in contexts:
        context.close()


def url(live_server: Any, path: str) -> str:
    return f"{live_server.url}{path}"


def activity_path(place: Place, which: str = "a") -> str:
    activity = place.activity_a if which == "a" else place.activity_b
    return f"/app/sodertorn/2020/aktiviteter/{activity.pk}/"


def member_path(place: Place) -> str:
    return f"/app/sodertorn/2020/medlemmar/{place.coop.members.get(code='0127').pk}/"


def shown(locator: Any, timeout_ms: float = 20_000) -> bool:
    """Whether the locator becomes visible once the page has loaded.

    `is_visible()` answers at once: right after a click that navigates, the new page may
    still be parsing, and a button near its end is not there yet (a flaky CI run).
    """
    locator.page.wait_for_load_state()
    try:
        locator.wait_for(state="visible", timeout=timeout_ms)
    except playwright_api.TimeoutError:
        return False
    return True


def axe_violations(page: Any) -> list[str]:
    # A page still navigating has no document for axe; wait, and try again if it navigates under us.
    for attempt in range(3):
        page.wait_for_load_state()
        try:
            return _axe_run(page)
        except playwright_api.Error:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _axe_run(page: Any) -> list[str]:
    # Through DevTools, not a <script> tag: the pages' Content-Security-Policy forbids inline script.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_a_network_lead_updates_a_follow_up_and_sees_it_on_the_dashboard(
    open_page: Any, live_server: Any, place: Place, users: dict[str, Any]
) -> None:
    page = open_page(LEAD_A)
    assert page.url.endswith("/app/sodertorn/2020/"), "login leads to the latest year's dashboard"
    old = FollowUp.objects.get(activity=place.activity_a)

    page.goto(url(live_server, activity_path(place)))
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Uppföljningstext").fill(
        "- Remissvaret om Kollektivtrafikplan 2050 är skickat"
    )
    page.get_by_role("button", name="Spara uppföljningen").click()

    assert shown(page.get_by_text("Uppföljningen är sparad."))
    assert (
        page.locator("#follow-up-text li").first.inner_text()
        == "Remissvaret om Kollektivtrafikplan 2050 är skickat"
    )
    page.get_by_role("link", name="Översikt").click()
    row = page.get_by_role("row").filter(has_text="Kollektivtrafikens utveckling")
    assert "Remissvaret om Kollektivtrafikplan 2050" in row.inner_text()
    assert "Genomförd" in row.inner_text()
    assert "sup-ledare" in row.inner_text()

    entry = AuditEntry.objects.get(action="plan.follow_up.update", object_id=str(old.pk))
    assert entry.actor == users[LEAD_A]
    assert entry.changes["text"] == {
        "before": old.text,
        "after": "- Remissvaret om Kollektivtrafikplan 2050 är skickat",
    }
    assert entry.changes["status"] == {"before": "ongoing", "after": "done"}
    assert entry.changes["version"] == {"before": old.version, "after": old.version + 1}


def test_the_second_of_two_concurrent_edits_is_refused_with_a_clear_message(
    open_page: Any, live_server: Any, place: Place, users: dict[str, Any]
) -> None:
    first, second = open_page(LEAD_A), open_page(SECRETARIAT)
    for page in (first, second):
        page.goto(url(live_server, activity_path(place)))
    read_at = FollowUp.objects.get(activity=place.activity_a).version

    first.get_by_label("Uppföljningstext").fill("Nätverkets version")
    first.get_by_role("button", name="Spara uppföljningen").click()
    assert shown(first.get_by_text("Uppföljningen är sparad."))
    second.get_by_label("Uppföljningstext").fill("Kansliets version")
    second.get_by_role("button", name="Spara uppföljningen").click()

    alert = second.get_by_role("alert")
    assert "sparades av sup-ledare" in alert.inner_text()
    assert "Dina ändringar har inte sparats" in alert.inner_text()
    assert second.locator("#follow-up-text").inner_text() == "Nätverkets version", (
        "the stored version is shown"
    )
    assert second.get_by_label("Uppföljningstext").input_value() == "Kansliets version", (
        "nothing typed is lost"
    )
    stored = FollowUp.objects.get(activity=place.activity_a)
    assert (stored.text, stored.version) == ("Nätverkets version", read_at + 1)
    entries = AuditEntry.objects.filter(action="plan.follow_up.update", object_id=str(stored.pk))
    assert [(e.actor, e.changes["text"]["after"]) for e in entries] == [
        (users[LEAD_A], "Nätverkets version")
    ]


def test_two_people_saving_one_meeting_the_second_sees_what_is_stored_and_keeps_what_they_typed(
    open_page: Any, live_server: Any, place: Place
) -> None:
    from samverkan.governance.models import Meeting

    path = f"/app/sodertorn/2020/moten/{place.meeting_a.pk}/"
    first, second = open_page(LEAD_A), open_page(SECRETARIAT)
    for page in (first, second):
        page.goto(url(live_server, path))

    first.get_by_label("Plats").fill("Huddinge kommunhus")
    first.get_by_role("button", name="Spara mötet").click()
    assert shown(first.get_by_text("Mötet är sparat."))
    second.get_by_label("Plats").fill("Flemingsbergs bibliotek")
    second.get_by_role("button", name="Spara mötet").click()

    alert = second.get_by_role("alert")
    assert "Mötet ändrades av sup-ledare" in alert.inner_text()
    assert "dina ändringar är inte sparade" in alert.inner_text()
    assert "Huddinge kommunhus" in second.locator("#stored-record").inner_text()
    assert second.get_by_label("Plats").input_value() == "Flemingsbergs bibliotek"
    assert Meeting.objects.get(pk=place.meeting_a.pk).place == "Huddinge kommunhus"
    assert axe_violations(second) == []
    second.set_viewport_size({"width": 360, "height": 740})
    assert axe_violations(second) == [], "the refused save at phone width"

    second.get_by_role("button", name="Spara mötet").click()
    assert shown(second.get_by_text("Mötet är sparat."))
    assert Meeting.objects.get(pk=place.meeting_a.pk).place == "Flemingsbergs bibliotek"


def test_a_meeting_changed_after_its_delete_page_was_read_is_not_deleted_and_the_page_asks_again(
    open_page: Any, live_server: Any, place: Place
) -> None:
    from django.urls import reverse

    from samverkan.governance.models import Meeting

    edit = reverse("web:meeting-edit", args=["sodertorn", 2020, place.meeting_a.pk])
    delete = reverse("web:meeting-delete", args=["sodertorn", 2020, place.meeting_a.pk])
    first, second = open_page(LEAD_A), open_page(SECRETARIAT)
    first.goto(url(live_server, edit))
    second.goto(url(live_server, delete))
    assert shown(second.locator("#stored-record")), "the confirm page shows what is deleted"

    first.get_by_label("Plats").fill("Huddinge kommunhus")
    first.get_by_role("button", name="Spara mötet").click()
    assert shown(first.get_by_text("Mötet är sparat."))
    follow(second.get_by_role("button", name="Ja, ta bort"))

    alert = second.get_by_role("alert")
    assert "Mötet ändrades av sup-ledare" in alert.inner_text()
    assert "inget har gjorts" in alert.inner_text()
    assert "Huddinge kommunhus" in second.locator("#stored-record").inner_text()
    assert "Det som är sparat nu" in second.locator("#stored-record").inner_text()
    assert Meeting.objects.filter(pk=place.meeting_a.pk).exists()
    assert axe_violations(second) == [], "the refused deletion, desktop width"
    second.set_viewport_size({"width": 360, "height": 740})
    assert axe_violations(second) == [], "the refused deletion at phone width"
    width = second.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "nothing forces the page wider than the phone"

    follow(second.get_by_role("button", name="Ja, ta bort"))
    assert shown(second.get_by_text("Mötet är borttaget."))
    assert not Meeting.objects.filter(pk=place.meeting_a.pk).exists()


def test_two_tabs_saving_one_funds_ledger_grid_the_second_sees_the_stored_lines_and_keeps_its_rows(
    open_page: Any, live_server: Any, place: Place
) -> None:
    from samverkan.finance.models import Fund
    from samverkan.finance.services import editable_lines

    fund = Fund.objects.get(cooperation=place.coop, slug="drift-2020")
    path = "/app/sodertorn/2020/ekonomi/rader/drift-2020/"
    first, second = open_page(SECRETARIAT), open_page(SECRETARIAT)
    for page in (first, second):
        page.goto(url(live_server, path))

    first.get_by_label("Text, rad 1", exact=True).fill("Hyra, rättad i första fliken")
    follow(first.get_by_role("button", name="Spara alla rader"))
    assert shown(first.get_by_text("Raderna är sparade."))
    second.get_by_label("Text, rad 1", exact=True).fill("Hyra, rättad i andra fliken")
    follow(second.get_by_role("button", name="Spara alla rader"))

    error = second.locator(".notice.error").first
    assert "Fondens bokföringsrader ändrades av kansli" in error.inner_text()
    assert "dina ändringar är inte sparade" in error.inner_text()
    assert "Hyra, rättad i första fliken" in second.locator("#stored-record").inner_text()
    assert (
        second.get_by_label("Text, rad 1", exact=True).input_value()
        == "Hyra, rättad i andra fliken"
    ), "the rows typed are kept"
    assert editable_lines(place.year.pk, fund).first().text == "Hyra, rättad i första fliken"  # type: ignore[union-attr]
    assert axe_violations(second) == []
    second.set_viewport_size({"width": 360, "height": 740})
    assert axe_violations(second) == [], "the refused grid at phone width"

    follow(second.get_by_role("button", name="Spara alla rader"))
    assert shown(second.get_by_text("Raderna är sparade."))
    assert editable_lines(place.year.pk, fund).first().text == "Hyra, rättad i andra fliken"  # type: ignore[union-attr]


def test_two_tabs_saving_one_activity_of_the_plan_the_second_sees_the_stored_activity(
    open_page: Any, live_server: Any, place: Place
) -> None:
    from samverkan.plan.models import Activity

    path = f"/app/sodertorn/2020/verksamhetsplan/aktiviteter/{place.activity_a.pk}/"
    first, second = open_page(SECRETARIAT), open_page(SECRETARIAT)
    for page in (first, second):
        page.goto(url(live_server, path))

    first.locator("#edit-form").get_by_label("Aktivitet").fill("Kollektivtrafiken (första fliken)")
    follow(first.get_by_role("button", name="Spara aktiviteten"))
    assert shown(first.get_by_text("Aktiviteten är sparad."))
    second.locator("#edit-form").get_by_label("Aktivitet").fill("Kollektivtrafiken (andra fliken)")
    follow(second.get_by_role("button", name="Spara aktiviteten"))

    assert "Aktiviteten ändrades av kansli" in second.locator("#edit-form").inner_text()
    assert "Kollektivtrafiken (första fliken)" in second.locator("#stored-record").inner_text()
    assert (
        second.locator("#edit-form").get_by_label("Aktivitet").input_value()
        == "Kollektivtrafiken (andra fliken)"
    )
    assert Activity.objects.get(pk=place.activity_a.pk).title == "Kollektivtrafiken (första fliken)"
    assert axe_violations(second) == []
    second.set_viewport_size({"width": 360, "height": 740})
    assert axe_violations(second) == [], "the refused activity at phone width"


def test_after_the_secretariat_decides_the_year_an_edit_is_refused(
    open_page: Any, live_server: Any, place: Place, users: dict[str, Any]
) -> None:
    lead = open_page(LEAD_A)
    lead.goto(url(live_server, activity_path(place)))  # the form is open before the decision
    secretariat = open_page(SECRETARIAT)

    secretariat.goto(url(live_server, "/app/sodertorn/2020/status/"))
    secretariat.get_by_label("Samarbetskommitténs beslutsdatum").fill("2021-01-14")
    # The demo's printed totals differ by a krona here and there: the checks find errors.
    secretariat.get_by_label("Jag har läst felen ovan och vill ändå besluta året.").check()
    secretariat.get_by_label("Varför beslutas året trots felen?").fill(
        "Öresavrundning i den tryckta rapporten."
    )
    secretariat.get_by_role("button", name="Markera som beslutat").click()
    assert shown(secretariat.get_by_text("Året är beslutat och låst."))

    lead.get_by_label("Uppföljningstext").fill("Efter beslutet")
    lead.get_by_role("button", name="Spara uppföljningen").click()
    assert "låst" in lead.get_by_role("alert").inner_text()
    lead.goto(url(live_server, activity_path(place)))
    assert lead.get_by_role("button", name="Spara uppföljningen").count() == 0, (
        "a locked year offers no form"
    )

    assert FollowUp.objects.get(activity=place.activity_a).text != "Efter beslutet"
    decided = Year.objects.get(pk=place.year.pk)
    assert (decided.status, decided.decided_on.isoformat()) == (YearStatus.DECIDED, "2021-01-14")
    entry = AuditEntry.objects.get(action="year.decide", object_id=str(decided.pk))
    assert entry.actor == users[SECRETARIAT]
    assert {k: v for k, v in entry.changes.items() if k != "open_errors"} == {
        "status": {"before": "draft", "after": "decided"},
        "decided_on": {"before": None, "after": "2021-01-14"},
    }
    assert entry.changes["open_errors"]["after"], "the errors the secretariat decided past are kept"
    assert entry.message == "Öresavrundning i den tryckta rapporten."


def test_the_public_sees_the_published_report_and_nothing_unpublished(
    open_page: Any, live_server: Any, place: Place
) -> None:
    page = open_page()
    page.goto(url(live_server, "/"))
    links = page.get_by_role("main").get_by_role("link").all_inner_texts()
    assert "Årsredovisning 2018" in links
    assert not any("2019" in text or "2020" in text for text in links), links
    assert "Norrort" not in page.content()

    page.get_by_role("link", name="Årsredovisning 2018").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Årsredovisning och bokslut 2018"
    with page.expect_navigation():
        page.get_by_role("link", name="Läs i webbläsaren (HTML)").click()
    assert "2018" in page.title() or "2018" in page.locator("h1").first.inner_text()

    for path in (
        "/sodertorn/2019/",
        "/sodertorn/2020/",
        "/sodertorn/2020/data.json",
        "/norrort/2020/",
        "/app/sodertorn/2018/",
    ):
        response = page.goto(url(live_server, path))
        assert response is not None
        if path.startswith("/app/"):
            assert "/konto/logga-in/" in page.url, (
                "the signed-in pages send the public to the login"
            )
        else:
            assert response.status == 404, path


@pytest.mark.parametrize(
    "persona, path",
    [
        (LEAD_B, "/app/sodertorn/2020/"),
        (LEAD_A, "activity"),
        (LEAD_A, "activity of another network"),  # read-only, says who writes it
        (LEAD_A, "/app/sodertorn/2020/moten/"),  # says which meetings are the lead's
        (READER, "/app/sodertorn/2020/status/"),  # the 403 page, with its reason
        (READER, "/app/sodertorn/2020/ekonomi/"),
        (SECRETARIAT, "/app/sodertorn/2020/moten/"),
        (SECRETARIAT, "/app/sodertorn/2020/status/"),
        (SECRETARIAT, "/app/sodertorn/2020/medlemmar/"),
        (SECRETARIAT, "/app/sodertorn/2020/medlemmar/ny/"),
        (SECRETARIAT, "member"),
        (READER, "/app/sodertorn/2020/befolkning/"),
        (SECRETARIAT, "/app/sodertorn/2020/befolkning/ny/"),
        (SECRETARIAT, "/app/sodertorn/2020/befolkning/importera/"),
        (SECRETARIAT, "/app/sodertorn/2020/status/besluta/"),  # a form's address opened: 405
        (None, "/sodertorn/2018/"),
        (None, "/konto/logga-in/"),
    ],
)
def test_axe_finds_no_wcag_violation(
    open_page: Any, live_server: Any, place: Place, persona: str | None, path: str
) -> None:
    page = open_page(persona)
    special = {
        "activity": activity_path(place),
        "activity of another network": activity_path(place, "b"),
        "member": member_path(place),
    }
    page.goto(url(live_server, special.get(path, path)))
    assert axe_violations(page) == [], "desktop width"
    page.set_viewport_size({"width": 360, "height": 740})
    assert axe_violations(page) == [], "phone width"


def test_the_dashboard_works_on_a_phone_and_with_the_keyboard(
    open_page: Any, live_server: Any, place: Place
) -> None:
    page = open_page(LEAD_A)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(url(live_server, "/app/sodertorn/2020/"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "nothing forces the page wider than the phone"
    assert axe_violations(page) == [], "wide tables scroll in regions that the keyboard can reach"

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") == "solid", "focus is visible"
    assert shown(skip), "the skip link shows when it has focus"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert page.evaluate("document.activeElement.id") == "main", (
        "the skip link moves focus to the content"
    )


def test_a_word_file_is_made_in_the_background_while_an_accessible_page_waits_for_it(
    open_page: Any, live_server: Any, place: Place, database_queue: None
) -> None:
    page = open_page(READER)
    response = page.goto(url(live_server, "/app/sodertorn/2020/rapport/docx/"))
    assert response is not None and response.status == 202
    assert page.get_by_role("status").inner_text().startswith("Filen står i kö")
    assert axe_violations(page) == []

    # Nobody takes the job for two minutes: the status region says so, without a reload.
    from samverkan.reports.models import ReportJob

    job = ReportJob.objects.get()
    ReportJob.objects.filter(pk=job.pk).update(requested_at=job.requested_at - timedelta(minutes=2))
    page.get_by_role("status").get_by_text("samverkan db_worker").wait_for(timeout=15_000)

    run_worker()
    # The page's script asks again; the answer is now the file.
    with page.expect_download(timeout=15_000) as download:
        pass
    assert download.value.suggested_filename == "sodertorn-arsredovisning-2020.docx"


SCB_CSV = Path(__file__).resolve().parents[1] / "data" / "scb" / "folkmangd-botkyrka-haninge.csv"


def test_the_secretariat_imports_an_scb_file_after_a_preview_and_a_bad_file_changes_nothing(
    open_page: Any, live_server: Any, place: Place, tmp_path: Path
) -> None:
    from samverkan.members.models import PopulationFigure

    page = open_page(SECRETARIAT)
    page.goto(url(live_server, "/app/sodertorn/2020/medlemmar/"))
    page.get_by_role("link", name="Invånarantal per medlem och datum").click()
    page.get_by_role("link", name="Importera en fil från SCB").click()

    bad = tmp_path / "folkmangd.csv"
    bad.write_text('"region","2024"\n"0127 Botkyrka",-3\n', encoding="utf-8")
    page.get_by_label("Fil från SCB").set_input_files(str(bad))
    page.get_by_role("button", name="Granska filen").click()
    alert = page.get_by_role("alert").inner_text()
    assert "Inget har ändrats" in alert and "Rad 2, kolumn ”2024”" in alert
    assert axe_violations(page) == [], "the refusal"

    page.get_by_label("Fil från SCB").set_input_files(str(SCB_CSV))
    page.get_by_role("button", name="Granska filen").click()
    assert shown(page.get_by_role("heading", name="4 nya invånarantal"))
    assert not PopulationFigure.objects.filter(source_file=SCB_CSV.name).exists(), (
        "the preview stores nothing"
    )
    assert axe_violations(page) == [], "the preview"
    page.get_by_role("button", name="Importera alla 4 invånarantal").click()

    assert shown(page.get_by_text("4 nya och 0 ändrade invånarantal är sparade"))
    assert (
        PopulationFigure.objects.filter(source_file=SCB_CSV.name, source_table="TAB638").count()
        == 4
    )
    entry = AuditEntry.objects.get(action="members.population.import")
    assert entry.actor_label == "kansli"


@pytest.mark.parametrize(
    "persona, path",
    [
        (SECRETARIAT, "/app/sodertorn/2020/ekonomi/sie/"),
        (SECRETARIAT, "/app/sodertorn/2020/ekonomi/kontomappning/"),
        (SECRETARIAT, "/app/sodertorn/2020/ekonomi/kontomappning/ny/?account=6420"),
        (SECRETARIAT, "/app/sodertorn/2020/ekonomi/rader/drift-2020/"),
        (READER, "/app/sodertorn/2020/ekonomi/rader/drift-2020/"),
    ],
)
def test_axe_finds_no_wcag_violation_on_the_accounts_pages(
    open_page: Any, live_server: Any, place: Place, persona: str, path: str
) -> None:
    page = open_page(persona)
    page.goto(url(live_server, path))
    assert axe_violations(page) == [], "desktop width"
    page.set_viewport_size({"width": 360, "height": 740})
    assert axe_violations(page) == [], "phone width"


def test_the_secretariat_uploads_a_sie_file_sees_the_preview_and_imports_it(
    open_page: Any, live_server: Any, place: Place, tmp_path: Path, settings: Any
) -> None:
    from samverkan.demo import DEMO_DIR
    from samverkan.finance.models import ImportBatch

    settings.SIE_UPLOAD_DIR = tmp_path / "uploads"
    page = open_page(SECRETARIAT)
    page.goto(url(live_server, "/app/sodertorn/2020/ekonomi/"))
    page.get_by_role("link", name="Ladda upp SIE-fil").click()
    page.get_by_label("SIE-fil").set_input_files(str(DEMO_DIR / "huddinge-2020.se"))
    page.get_by_label("Objekt").fill("1:1510")
    page.get_by_role("button", name="Läs filen och visa förhandsgranskning").click()
    page.get_by_role("heading", name="Förhandsgranskning: huddinge-2020.se").wait_for()
    assert shown(page.get_by_role("heading", name="Avstämning"))
    assert axe_violations(page) == [], "the preview, desktop width"
    page.set_viewport_size({"width": 360, "height": 740})
    assert axe_violations(page) == [], "the preview, phone width"
    page.get_by_role("button", name="Importera allt").click()
    page.get_by_role("status").get_by_text("huddinge-2020.se är importerad").wait_for()
    assert ImportBatch.objects.get().file_name == "huddinge-2020.se"


def test_no_page_of_the_app_or_the_admin_breaks_the_content_security_policy(
    open_page: Any, live_server: Any, place: Place
) -> None:
    from django.urls import reverse

    from samverkan.consultations.models import ConsultationResponse
    from samverkan.governance.models import Network

    page = open_page(SECRETARIAT)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: refused.append(f"{page.url}: {error}"))
    year = ["sodertorn", 2020]
    consultation = ConsultationResponse.objects.filter(year=place.year).first()
    assert consultation is not None
    paths = [
        reverse("web:home"),
        *(
            reverse(f"web:{name}", args=year)
            for name in (
                "dashboard",
                "meetings",
                "meeting-new",
                "networks",
                "consultations",
                "projects",
                "events",
                "members",
                "member-new",
                "users",
                "user-new",
                "population",
                "population-new",
                "population-import",
                "accounts",
                "report",
                "year-status",
                "audit",
            )
        ),
        reverse("web:activity", args=[*year, place.activity_a.pk]),
        reverse("web:meeting-edit", args=[*year, place.meeting_a.pk]),
        reverse("web:report-file", args=[*year, "html"]),
        reverse("web:public-year", args=["sodertorn", 2018]),
        reverse("admin:index"),
        reverse("admin:governance_network_changelist"),
        reverse(
            "admin:governance_network_change",
            args=[Network.objects.filter(cooperation=place.coop).first().pk],
        ),  # type: ignore[union-attr]
        reverse("admin:governance_meeting_change", args=[place.meeting_a.pk]),
        reverse("admin:governance_meeting_add"),
        reverse("admin:members_populationfigure_changelist") + "?q=Botkyrka",
        reverse("admin:consultations_consultationresponse_delete", args=[consultation.pk]),
    ]
    for path in paths:
        response = page.goto(url(live_server, path))
        assert response is not None and response.ok, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "no-store" in response.headers["cache-control"], path
    # The admin's scripts run: the date field's calendar shortcut is there.
    page.goto(
        url(live_server, reverse("admin:governance_meeting_change", args=[place.meeting_a.pk]))
    )
    assert page.locator(".datetimeshortcuts").count() > 0
    # The report's own style sheet applies: the cover is laid out by it.
    page.goto(url(live_server, reverse("web:report-file", args=[*year, "html"])))
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position")
        == "absolute"
    )
    assert refused == [], "\n".join(refused)


def register_pages(place: Place) -> list[str]:
    """Every page the registers, the checks and the audit trail added, as the secretariat sees them."""
    from samverkan.consultations.models import ConsultationResponse
    from samverkan.governance.models import Event
    from samverkan.members.models import YearText
    from samverkan.projects.models import Project

    base = "/app/sodertorn/2020"
    consultation = ConsultationResponse.objects.filter(year=place.year).first()
    project = Project.objects.filter(years__year=place.year).first()
    event = Event.objects.get(year=place.year, slug="sodertornskonferensen-2020")
    text = YearText.objects.get(year=place.year, key="introduction")
    assert consultation is not None and project is not None
    return [
        f"{base}/remissvar/",
        f"{base}/remissvar/nytt/",
        f"{base}/remissvar/{consultation.pk}/",
        f"{base}/remissvar/{consultation.pk}/ta-bort/",
        f"{base}/projekt/",
        f"{base}/projekt/nytt/",
        f"{base}/projekt/{project.pk}/",
        f"{base}/projekt/{project.pk}/ta-bort/",
        f"{base}/arrangemang/",
        f"{base}/arrangemang/nytt/",
        f"{base}/arrangemang/{event.pk}/",
        f"{base}/arrangemang/{event.pk}/ta-bort/",
        f"{base}/texter/",
        f"{base}/texter/ny/",
        f"{base}/texter/{text.pk}/",
        f"{base}/texter/{text.pk}/ta-bort/",
        f"{base}/moten/{place.meeting_a.pk}/ta-bort/",
        f"{base}/logg/",
    ]


def test_a_form_sent_after_its_token_went_stale_shows_why_and_saves_nothing(
    open_page: Any, live_server: Any, place: Place
) -> None:
    from samverkan.consultations.models import ConsultationResponse

    page = open_page(SECRETARIAT)
    page.goto(url(live_server, "/app/sodertorn/2020/remissvar/nytt/"))
    page.get_by_label("Remissens titel").fill("Efter utloggning i en annan flik")
    # Another tab signed out and in again: the page's token no longer matches the cookie.
    page.context.clear_cookies(name="csrftoken")
    follow(page.get_by_role("button", name="Spara remissvaret"))
    assert page.get_by_role("heading", name="Formuläret kunde inte tas emot").is_visible()
    assert "Inget har sparats" in page.get_by_role("alert").inner_text()
    assert axe_violations(page) == []
    assert not ConsultationResponse.objects.filter(subject__startswith="Efter utloggning").exists()


def test_axe_finds_no_wcag_violation_on_the_register_pages(
    open_page: Any, live_server: Any, place: Place
) -> None:
    page = open_page(SECRETARIAT)
    problems = []
    for path in register_pages(place):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(url(live_server, path))
        problems += [f"{path} (desktop): {v}" for v in axe_violations(page)]
        page.set_viewport_size({"width": 360, "height": 740})
        problems += [f"{path} (phone): {v}" for v in axe_violations(page)]
    assert problems == []


def rule_2018(place: Place) -> int:
    from samverkan.members.models import FeeRule

    return FeeRule.objects.get(cooperation=place.coop, from_year=2018).pk


def network_and_fee_pages(place: Place) -> list[str]:
    """The pages where the secretariat keeps the networks and the fee rules."""
    base = "/app/sodertorn/2020"
    network = place.network_a.pk
    rule = rule_2018(place)
    return [
        f"{base}/natverk/",
        f"{base}/natverk/nytt/",
        f"{base}/natverk/{network}/",
        f"{base}/natverk/{network}/ta-bort/",
        f"{base}/natverk/{network}/deltagande/",
        f"{base}/avgifter/",
        f"{base}/avgifter/ny/",
        f"{base}/avgifter/{rule}/",
        f"{base}/avgifter/{rule}/ta-bort/",
    ]


def test_axe_finds_no_wcag_violation_on_the_network_and_fee_pages(
    open_page: Any, live_server: Any, place: Place
) -> None:
    page = open_page(SECRETARIAT)
    problems = []
    for path in network_and_fee_pages(place):
        page.set_viewport_size({"width": 1280, "height": 800})
        assert page.goto(url(live_server, path)).status == 200, path
        problems += [f"{path} (desktop): {v}" for v in axe_violations(page)]
        page.set_viewport_size({"width": 360, "height": 740})
        problems += [f"{path} (phone): {v}" for v in axe_violations(page)]
    # A refused form shows its messages beside the fields: that page, too.
    page.goto(url(live_server, "/app/sodertorn/2020/natverk/nytt/"))
    page.fill("#id_slug", place.network_a.slug)
    page.fill("#id_name", "Ännu en SUP")
    page.click("form.stacked button[type=submit]")
    assert "har redan kortnamnet" in page.content()
    problems += [f"refused new network: {v}" for v in axe_violations(page)]
    # A change a decided year's fees would feel is refused on the page, naming the year.
    page.goto(url(live_server, f"/app/sodertorn/2020/avgifter/{rule_2018(place)}/"))
    page.fill("#id_rate", "-1")
    page.click("form.stacked button[type=submit]")
    assert page.locator("#id_rate_error").count() == 1
    problems += [f"refused fee rule: {v}" for v in axe_violations(page)]
    page.goto(url(live_server, f"/app/sodertorn/2020/avgifter/{rule_2018(place)}/"))
    page.fill("#id_rate", "5")
    page.click("form.stacked button[type=submit]")
    assert "Året 2018" in page.locator("[role=alert]").inner_text()
    problems += [f"fee rule refused by the lock: {v}" for v in axe_violations(page)]
    assert problems == []


def test_the_secretariat_splits_an_events_cost_by_population_and_previews_a_text_without_javascript(
    browser: Any, live_server: Any, place: Place, users: dict[str, Any], passwords: None
) -> None:
    from samverkan.finance.cofinancing import co_financing_lines
    from samverkan.governance.models import Event

    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    page.goto(url(live_server, "/konto/logga-in/"))
    page.get_by_label("Användarnamn").fill(users[SECRETARIAT].username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    event = Event.objects.get(year=place.year, slug="sodertornskonferensen-2020")
    page.goto(url(live_server, f"/app/sodertorn/2020/arrangemang/{event.pk}/"))
    page.get_by_label("Belopp att fördela efter invånarantal").fill("90000")
    page.get_by_role("button", name="Fördela efter invånarantal").click()
    page.get_by_text("Andelarna är ifyllda efter invånarantal").wait_for()
    assert page.get_by_label("Huddinge, andel i kronor").input_value() not in ("", "0")
    page.get_by_role("button", name="Spara arrangemanget").first.click()
    page.get_by_text("Arrangemanget är sparat.").wait_for()
    assert sum(line.amount for line in co_financing_lines(place.year.pk, event.fund_id)) == 90000
    page.goto(url(live_server, "/app/sodertorn/2020/texter/ny/"))
    page.get_by_label("Nyckel").fill("fees")
    page.get_by_label("Text (Markdown)").fill("**Avgiften** höjs inte.")
    page.get_by_role("button", name="Förhandsgranska").click()
    assert page.locator(".markdown-preview strong").inner_text() == "Avgiften"
    context.close()


def test_the_secretariat_continues_a_project_into_the_next_year_and_axe_finds_no_violation(
    open_page: Any, live_server: Any, place: Place
) -> None:
    from samverkan.projects.models import Project

    Year.objects.create(cooperation=place.coop, year=2021, status=YearStatus.DRAFT)
    project = Project.objects.get(cooperation=place.coop, slug="naringslivsanalys-great")
    page = open_page(SECRETARIAT)
    problems = []
    for path, what in (
        ("/app/sodertorn/2021/projekt/", "the list offers to continue it"),
        (f"/app/sodertorn/2021/projekt/{project.pk}/", "its page before it continues"),
    ):
        page.goto(url(live_server, path))
        problems += [f"{what}: {v}" for v in axe_violations(page)]

    follow(page.get_by_role("button", name="Fortsätt projektet 2021"))

    assert shown(page.get_by_role("heading", name="Projektets år"))
    assert shown(page.get_by_label("Angiven kostnad 2021"))
    for width, label in ((1280, "desktop"), (360, "phone")):
        page.set_viewport_size({"width": width, "height": 800})
        problems += [f"its page with both years ({label}): {v}" for v in axe_violations(page)]
    assert problems == []


def test_the_secretariat_invites_a_person_who_chooses_a_password_and_signs_in(
    open_page: Any, live_server: Any, place: Place
) -> None:
    """The whole invitation without e-mail: add, copy the link, choose a password, sign in;
    axe checks the list, the form (empty and refused), the link, the set-password page and
    a spent link, at desktop and phone width."""
    problems: list[str] = []

    def check(page: Any, what: str) -> None:
        problems.extend(f"{what} (desktop): {v}" for v in axe_violations(page))
        size = page.viewport_size
        page.set_viewport_size({"width": 360, "height": 740})
        problems.extend(f"{what} (phone): {v}" for v in axe_violations(page))
        page.set_viewport_size(size)

    page = open_page(SECRETARIAT)
    page.goto(url(live_server, "/app/sodertorn/2020/"))
    follow(page.get_by_role("link", name="Användare", exact=True))
    assert page.get_by_role("heading", name="Användare och roller").is_visible()
    check(page, "the list")
    follow(page.get_by_role("link", name="Lägg till en person"))
    check(page, "the empty form")
    page.get_by_label("Förnamn").fill("Nora")
    page.get_by_label("Efternamn").fill("Nilsson")
    page.get_by_label("E-postadress").fill("nora.nilsson@haninge.se")
    page.get_by_label("Roll").select_option(label="Nätverksledare")
    page.get_by_role("button", name="Lägg till personen").click()
    assert shown(page.get_by_text("Välj nätverket som nätverksledaren leder."))
    check(page, "the refused form")
    page.get_by_label("Nätverk").select_option(label=str(place.network_a))
    page.get_by_role("button", name="Lägg till personen").click()
    assert shown(page.get_by_role("heading", name="Nora Nilsson"))
    check(page, "the person with the link")
    link = page.get_by_label("Länken").input_value()
    assert "/konto/losenord/" in link

    visitor = open_page()
    visitor.goto(link)
    assert visitor.get_by_text("nora.nilsson").is_visible(), visitor.content()
    check(visitor, "the set-password page")
    visitor.get_by_label("Nytt lösenord:", exact=True).fill(PASSWORD)
    visitor.get_by_label("Bekräfta nytt lösenord").fill(PASSWORD)
    visitor.get_by_role("button", name="Spara lösenordet").click()
    assert shown(visitor.get_by_role("heading", name="Logga in"))
    visitor.get_by_label("Användarnamn").fill("nora.nilsson")
    visitor.get_by_label("Lösenord").fill(PASSWORD)
    follow(visitor.get_by_role("button", name="Logga in"))
    assert visitor.url.endswith("/app/sodertorn/2020/")
    visitor.goto(link)
    assert visitor.get_by_text("Länken är redan använd").is_visible()
    check(visitor, "a spent link")

    page.goto(url(live_server, "/app/sodertorn/2020/anvandare/"))
    follow(page.get_by_role("link", name="Ändra rollen för nora.nilsson"))
    check(page, "changing a role")
    page.goto(url(live_server, "/app/sodertorn/2020/anvandare/"))
    follow(page.get_by_role("row", name="Nora Nilsson").get_by_role("link", name="Ta bort rollen"))
    check(page, "removing a role (asks first)")
    follow(page.get_by_role("button", name="Ja, ta bort rollen"))
    assert "nora.nilsson" not in page.content()
    assert problems == []


def axe_at_both_widths(problems: list[str], page: Any, what: str) -> None:
    """axe-core at desktop and phone width; what it finds goes into `problems`."""
    problems.extend(f"{what} (desktop): {v}" for v in axe_violations(page))
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    problems.extend(f"{what} (phone): {v}" for v in axe_violations(page))
    page.set_viewport_size(size)


def test_the_secretariat_corrects_the_years_stated_population_and_a_persons_name(
    open_page: Any, live_server: Any, place: Place, users: dict[str, Any]
) -> None:
    """The population page's stated total and a person's name and e-mail, without script:
    axe checks each form empty, refused and saved, at desktop and phone width."""
    from samverkan.accounts.models import RoleAssignment

    problems: list[str] = []
    page = open_page(SECRETARIAT)
    page.goto(url(live_server, "/app/sodertorn/2020/befolkning/"))
    follow(page.get_by_role("link", name="Ändra invånare totalt"))
    assert page.get_by_label("Invånare totalt").input_value() == "507552"
    axe_at_both_widths(problems, page, "the stated total's form")
    page.get_by_label("Invånare totalt").fill("")
    follow(page.get_by_role("button", name="Spara invånarantalet"))
    assert shown(page.get_by_text("Ange invånarantalet som gäller datumet."))
    axe_at_both_widths(problems, page, "the stated total refused")
    page.get_by_label("Invånare totalt").fill("507 600")
    follow(page.get_by_role("button", name="Spara invånarantalet"))
    assert shown(page.get_by_text("Årets invånarantal är sparat."))
    assert "507 600 invånare den 31 december 2020." in page.inner_text("main").replace("\xa0", " ")
    axe_at_both_widths(problems, page, "the population page")

    lead = users[LEAD_A]
    page.goto(url(live_server, f"/app/sodertorn/2020/anvandare/{lead.pk}/"))
    follow(page.get_by_role("link", name="Ändra namn och e-postadress"))
    axe_at_both_widths(problems, page, "a person's name and e-mail")
    page.get_by_label("E-postadress").fill("inte en adress")
    follow(page.get_by_role("button", name="Spara namn och e-postadress"))
    assert shown(page.get_by_text("giltig e-postadress"))
    axe_at_both_widths(problems, page, "a person's name and e-mail refused")
    page.get_by_label("Förnamn").fill("Sara")
    page.get_by_label("Efternamn").fill("Planlund")
    page.get_by_label("E-postadress").fill("sara@botkyrka.se")
    follow(page.get_by_role("button", name="Spara namn och e-postadress"))
    assert shown(page.get_by_text("Namn och e-postadress är sparade."))
    lead.refresh_from_db()
    assert (lead.first_name, lead.email) == ("Sara", "sara@botkyrka.se")

    RoleAssignment.objects.create(user=lead, cooperation=place.other_coop, role="reader")
    page.goto(url(live_server, f"/app/sodertorn/2020/anvandare/{lead.pk}/andra/"))
    assert shown(page.get_by_text("ändras av installationens administratör"))
    axe_at_both_widths(problems, page, "a person with roles elsewhere")
    assert problems == []


def test_the_sie_preview_of_a_file_of_another_year_and_its_findings_read_in_swedish(
    open_page: Any, live_server: Any, place: Place, tmp_path: Path, settings: Any
) -> None:
    from samverkan.demo import DEMO_DIR

    settings.SIE_UPLOAD_DIR = tmp_path / "uploads"
    demo = DEMO_DIR / "huddinge-2020.se"
    lines = [x for x in demo.read_bytes().split(b"\r\n") if not x.startswith(b"#KSUMMA")]
    other_year = tmp_path / "huddinge-2019.se"
    other_year.write_bytes(b"\r\n".join(lines).replace(b"2020", b"2019"))
    findings = tmp_path / "huddinge-2020-rattad.se"
    findings.write_bytes(
        b"\r\n".join(lines)
        .replace(b'#KONTO 1930 "Bank"', b'#KONTO 1930 "Bank"\r\n#KONTO 1930 "Bankkonto"', 1)
        .replace(b"#TRANS 1930 {} 378424.00", b"#TRANS 1930 {} 378426.50", 1)
    )
    problems: list[str] = []
    page = open_page(SECRETARIAT)
    for path, what in ((other_year, "a file of another year"), (findings, "findings")):
        page.goto(url(live_server, "/app/sodertorn/2020/ekonomi/sie/"))
        page.get_by_label("SIE-fil").set_input_files(str(path))
        page.get_by_label("Objekt").fill("1:1510")
        follow(page.get_by_role("button", name="Läs filen och visa förhandsgranskning"))
        page.get_by_role("heading", name=f"Förhandsgranskning: {path.name}").wait_for()
        axe_at_both_widths(problems, page, what)
        if path == other_year:
            alert = page.get_by_role("alert").first.inner_text()
            assert "Filen gäller räkenskapsåret 2019" in alert and "sidan är för 2020" in alert
        else:
            table = page.get_by_role("region", name="Vad läsningen fann").last.inner_text()
            assert "En verifikation balanserar inte" in table and "Att göra" in table
    assert problems == []


def test_a_double_click_on_save_stores_one_new_meeting(
    open_page: Any, live_server: Any, place: Place
) -> None:
    """The second click of a double click sends the form again while the first is under way."""
    from samverkan.governance.models import Meeting

    page = open_page(SECRETARIAT)
    page.goto(url(live_server, "/app/sodertorn/2020/moten/nytt/"))
    page.get_by_label(str(place.network_a), exact=True).check()
    page.get_by_label("Datum").fill("2020-10-06")
    page.get_by_label("Form").select_option("digital")
    page.get_by_label("Plats").fill("Dubbelklickets sal")

    def slow_answer(route: Any) -> None:
        # The server has stored the first POST; its answer is slow to come back.
        answer = route.fetch(max_redirects=0)
        time.sleep(0.5)
        with contextlib.suppress(playwright_api.Error):  # dropped for the second click's
            route.fulfill(response=answer)

    page.route(
        "**/moten/nytt/",
        lambda route: slow_answer(route) if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_role("button", name="Spara mötet").dblclick(delay=100)
    # Not wait_for_url: it fails on the first click's navigation, which the browser drops.
    playwright_api.expect(page).to_have_url(re.compile(r".*/moten/$"), timeout=30_000)

    assert shown(page.get_by_text("Formuläret var redan skickat. Här är det som sparades."))
    assert Meeting.objects.filter(place="Dubbelklickets sal").count() == 1


def test_back_to_a_sent_form_and_sending_it_again_stores_no_second_meeting(
    open_page: Any, live_server: Any, place: Place
) -> None:
    """The page is fetched anew on the way back (no-store) and the browser puts back what was
    typed; the form gets back the token it was sent with, so the server sees a repeat."""
    from samverkan.governance.models import Meeting

    page = open_page(SECRETARIAT)
    page.goto(url(live_server, "/app/sodertorn/2020/moten/nytt/"))
    page.get_by_label(str(place.network_a), exact=True).check()
    page.get_by_label("Datum").fill("2020-10-06")
    page.get_by_label("Form").select_option("digital")
    page.get_by_label("Plats").fill("Bakåtknappens sal")
    follow(page.get_by_role("button", name="Spara mötet"))
    assert shown(page.get_by_text("Mötet är sparat."))

    page.go_back()
    page.wait_for_load_state()
    assert page.get_by_label("Plats").input_value() == "Bakåtknappens sal"
    follow(page.get_by_role("button", name="Spara mötet"))

    assert shown(page.get_by_text("Formuläret var redan skickat. Här är det som sparades."))
    assert Meeting.objects.filter(place="Bakåtknappens sal").count() == 1

    page.get_by_role("link", name="Lägg till ett möte").click()
    page.wait_for_load_state()
    page.get_by_label(str(place.network_a), exact=True).check()
    page.get_by_label("Datum").fill("2020-11-03")
    page.get_by_label("Form").select_option("digital")
    page.get_by_label("Plats").fill("Bakåtknappens sal")
    follow(page.get_by_role("button", name="Spara mötet"))
    assert shown(page.get_by_text("Mötet är sparat."))
    assert Meeting.objects.filter(place="Bakåtknappens sal").count() == 2, "a new visit, a new form"


def test_a_form_opened_anew_and_reached_again_by_back_stores_the_record_it_was_given(
    open_page: Any, live_server: Any, place: Place
) -> None:
    """Only the page a form was sent from gets its token back: a later visit of the same
    address, left unsent and reached again with the back button, stores what it is given."""
    from samverkan.governance.models import Meeting

    page = open_page(SECRETARIAT)

    def fill_meeting(date: str) -> None:
        page.get_by_label(str(place.network_a), exact=True).check()
        page.get_by_label("Datum").fill(date)
        page.get_by_label("Form").select_option("digital")
        page.get_by_label("Plats").fill("Tillbakavägens sal")

    page.goto(url(live_server, "/app/sodertorn/2020/moten/nytt/"))
    fill_meeting("2020-10-06")
    follow(page.get_by_role("button", name="Spara mötet"))
    assert shown(page.get_by_text("Mötet är sparat."))

    follow(page.get_by_role("link", name="Lägg till ett möte"))
    page.goto(url(live_server, "/app/sodertorn/2020/"))  # looks something up first
    page.go_back()
    page.wait_for_load_state()
    fill_meeting("2020-11-03")
    follow(page.get_by_role("button", name="Spara mötet"))

    assert shown(page.get_by_text("Mötet är sparat."))
    assert Meeting.objects.filter(place="Tillbakavägens sal").count() == 2
