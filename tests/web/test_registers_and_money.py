"""The registers, the members and the money in a real browser, as the secretariat of a new cooperation.

From a fresh database holding a standing file without members and one year,
2024 (tests/data/money), the secretariat of "Södra" does in the app what
needed the admin or the command line before issue 12:

1. adds its two members and imports their population from an SCB file;
2. registers a joint consultation response, a project with a grant paid in
   arrears (a receivable until it is paid) and its payment, and an event whose
   co-financing is split by population;
3. uploads the host's SIE file, reads the preview, maps the one unknown
   account to the event's fund and imports the file;
4. finds on the dashboard that the event's co-financing no longer covers its
   booked costs, follows the link and splits the booked costs again;
5. decides the year although the checks still find errors, with a reason,
   and finds the year locked.

The audit trail then tells each step in Swedish. axe-core finds no WCAG 2.1
AA violation on any page visited, at desktop and phone width.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from samverkan.accounts.models import Role
from samverkan.accounts.services import grant_role
from samverkan.governance.models import Event
from samverkan.members.models import Cooperation, Year, YearStatus
from tests.web.browsing import accessible
from tests.web.test_browser import AXE, PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytest.importorskip("playwright.sync_api")

DATA = Path(__file__).resolve().parents[1] / "data"
SCB_FILE = DATA / "scb" / "folkmangd-botkyrka-haninge.csv"
SIE_FILE = DATA / "money" / "huddinge-2024.se"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

assert AXE.is_file(), "axe-core is installed with npm (node_modules)"


@pytest.fixture
def cooperation(db: None) -> Cooperation:
    """Södra: a standing file with no members, and its only year, 2024 (draft)."""
    from samverkan.yearfile.services import load_files

    load_files([DATA / "money" / "cooperation.yaml", DATA / "money" / "2024.yaml"], actor="tests")
    return Cooperation.objects.get(slug="sodra")


@pytest.fixture
def people(cooperation: Cooperation) -> dict[str, Any]:
    """The secretariat, with a password and a name the audit trail shows."""
    user = get_user_model().objects.create_user(
        username="kansliet", email="kansliet@example.org", first_name="Karin", last_name="Kansli"
    )
    user.set_password(PASSWORD)
    user.save()
    grant_role(user, cooperation, Role.SECRETARIAT, actor="tests")
    return {"kansliet": user}


def text(locator: Any) -> str:
    """A locator's text with Swedish number spacing (no-break spaces) as plain spaces.

    Read once the page has loaded, so that a page still parsing is not read in part.
    """
    locator.page.wait_for_load_state()
    return locator.inner_text().replace("\u00a0", " ").replace("\u202f", " ").replace("−", "-")


def region(page: Any, name: str) -> Any:
    """A section by its heading (the first: a table inside a section is a region of the same name)."""
    return page.get_by_role("region", name=name, exact=True).first


def receivables(page: Any) -> Any:
    """The project page's list of what its grants paid in arrears are owed."""
    return region(page, "Bidragsfordringar vid utgången av 2024")


def go(page: Any, link: str) -> None:
    """Follow a link of the year's menu, to the page it marks as the current one."""
    menu = page.get_by_role("navigation", name="Årets sidor")
    menu.get_by_role("link", name=link, exact=True).click()
    menu.locator('[aria-current="page"]', has_text=link).wait_for()


def live_url(page: Any) -> str:
    """The live server's address, as the page was opened from it."""
    return "/".join(page.url.split("/")[:3])


def notice(page: Any, message: str) -> None:
    """The message a page shows after a change (Django's messages framework)."""
    page.get_by_text(message).wait_for()


# -- 1. members and population ------------------------------------------------------------


def add_the_members_and_import_their_population(page: Any) -> None:
    go(page, "Medlemmar")
    assert "Samverkan har inga medlemmar ännu." in text(page.get_by_role("main"))
    accessible(page)
    for code, name in (("0127", "Botkyrka"), ("0136", "Haninge")):
        page.get_by_role("link", name="Lägg till en medlem").click()
        page.get_by_label("Kommunkod").fill(code)
        page.get_by_label("Namn").fill(name)
        assert page.get_by_label("Medlem från år").input_value() == "2024"
        accessible(page)
        page.get_by_role("button", name="Lägg till medlemmen").click()
        notice(page, f"{name} är tillagd som medlem.")
    members = text(region(page, "Medlemskommuner"))
    assert "0127" in members and "Botkyrka" in members
    assert "0136" in members and "Haninge" in members

    page.get_by_role("link", name="Invånarantal per medlem och datum").click()
    assert "Inga invånarantal är registrerade." in text(page.get_by_role("main"))
    page.get_by_role("link", name="Importera en fil från SCB").click()
    accessible(page)
    page.get_by_label("Fil från SCB").set_input_files(str(SCB_FILE))
    page.get_by_role("button", name="Granska filen").click()
    page.get_by_role("heading", name="Granska importen").wait_for()
    preview = text(region(page, "4 nya invånarantal"))
    for figure in ("95 592", "95 905", "99 751", "100 895"):
        assert figure in preview
    accessible(page)
    page.get_by_role("button", name="Importera alla 4 invånarantal").click()
    notice(page, "4 nya och 0 ändrade invånarantal är sparade ur folkmangd-botkyrka-haninge.csv.")
    table = text(region(page, "Invånarantal per medlem och datum"))
    assert "31 december 2023" in table and "31 december 2024" in table
    for figure in ("95 592", "95 905", "99 751", "100 895"):
        assert figure in table
    assert "folkmangd-botkyrka-haninge.csv" in table, "each figure keeps its source"
    accessible(page)


# -- 2. the registers: a consultation response, a project with a grant, an event ---------------


def register_a_joint_consultation_response(page: Any) -> None:
    go(page, "Remissvar")
    page.get_by_role("link", name="Lägg till ett remissvar").click()
    page.get_by_label("Remissens titel").fill("Regional utvecklingsstrategi för Stockholmsregionen")
    page.get_by_label("Remissinstans (utfärdare)").fill("Region Stockholm")
    page.get_by_label("Inkom").fill("2024-02-01")
    page.get_by_label("Skickat").fill("2024-04-15")
    assert page.get_by_label("Besvarad gemensamt").is_checked(), "joint by default"
    page.get_by_label("Länk").fill("regionstockholm.se/rufs")
    accessible(page)
    page.get_by_role("button", name="Spara remissvaret").click()
    page.get_by_role("heading", name="Gemensamma remissvar 2024").wait_for()
    row = text(page.get_by_role("row", name="Regional utvecklingsstrategi"))
    assert "Region Stockholm" in row and "15 april 2024" in row and "ja" in row
    accessible(page)


def register_a_project_with_a_grant_paid_in_arrears_and_its_payment(page: Any) -> None:
    go(page, "Projekt")
    page.get_by_role("link", name="Lägg till ett projekt").click()
    page.get_by_label("Namn").fill("Bostadsanalys")
    page.get_by_label("Utförare (konsult)").fill("Analys AB")
    page.get_by_label("Angiven kostnad").fill("80000")
    page.get_by_label("Bidragsgivare, rad 1").fill("Tillväxtverket")
    page.get_by_label("Utbetalning, rad 1").select_option(label="betalas i efterskott")
    page.get_by_label("Andel (%), rad 1").fill("50")
    page.get_by_label("Beviljat belopp, rad 1").fill("40000")
    accessible(page)
    page.get_by_role("button", name="Spara projektet").click()
    notice(page, "Projektet är sparat.")
    page.get_by_role("heading", name="Projektet Bostadsanalys").wait_for()
    assert "Tillväxtverket: ingen fordran" in text(receivables(page)), "nothing earned yet"

    # The consultant's invoice, and the half of it that the grant has earned: a receivable.
    costs = region(page, "Kostnader 2024 (utförare och fakturor)")
    costs.get_by_label("Fond, rad 1").select_option(label="Analysfonden")
    costs.get_by_label("Kostnadsslag, rad 1").select_option(label="Konsulter")
    costs.get_by_label("Belopp, rad 1").fill("80000")
    costs.get_by_label("Datum, rad 1").fill("2024-05-31")
    costs.get_by_label("Text, rad 1").fill("Analys AB, faktura 1")
    income = region(page, "Bidragsintäkter 2024")
    income.get_by_label("Bidrag, rad 1").select_option(label="Tillväxtverket (Bostadsanalys)")
    income.get_by_label("Fond, rad 1").select_option(label="Analysfonden")
    income.get_by_label("Intäktsslag, rad 1").select_option(label="Projektbidrag")
    income.get_by_label("Belopp, rad 1").fill("40000")
    income.get_by_label("Datum, rad 1").fill("2024-05-31")
    accessible(page)
    page.get_by_role("button", name="Spara projektet").click()
    notice(page, "Projektet är sparat.")
    assert "Tillväxtverket: 40 000 kr att få" in text(receivables(page))

    # Tillväxtverket pays in December: the receivable is settled.
    payments = region(page, "Utbetalningar av bidrag 2024")
    payments.get_by_label("Bidrag, rad 1").select_option(label="Tillväxtverket (Bostadsanalys)")
    payments.get_by_label("Datum, rad 1").fill("2024-12-10")
    payments.get_by_label("Belopp, rad 1").fill("40000")
    page.get_by_role("button", name="Spara projektet").click()
    notice(page, "Projektet är sparat.")
    assert "Tillväxtverket: ingen fordran" in text(receivables(page))
    accessible(page)
    go(page, "Projekt")
    accessible(page)
    card = text(region(page, "Bostadsanalys"))
    assert "Tillväxtverket, 40 000 kr – betalas i efterskott" in card
    assert "utbetalt 10 december 2024: 40 000 kr" in card


def register_an_event_split_by_population(page: Any) -> None:
    go(page, "Arrangemang")
    assert "Inga arrangemang" in text(page.get_by_role("main"))
    accessible(page)
    page.get_by_role("link", name="Lägg till ett arrangemang").click()
    page.get_by_label("Namn").fill("Bostadskonferensen")
    page.get_by_label("Slag").select_option(label="Konferens")
    page.get_by_label("Datum").fill("2024-10-10")
    page.get_by_label("Botkyrka", exact=True).check()
    page.get_by_label("Deltagare:", exact=True).fill("120")
    page.get_by_label("Kostnadstak per deltagare").fill("300")
    # The fee basis: the population on 31 December 2023, from the SCB file.
    shares = region(page, "Medfinansiering per medlem")
    assert "31 december 2023" in text(page.get_by_role("main"))
    page.get_by_label("Belopp att fördela efter invånarantal").fill("30000")
    page.get_by_role("button", name="Fördela efter invånarantal").click()
    notice(page, "Andelarna är ifyllda efter invånarantal. Granska dem och spara arrangemanget.")
    botkyrka = page.get_by_label("Botkyrka, andel i kronor")
    haninge = page.get_by_label("Haninge, andel i kronor")
    # 30 000 kr × 95 592 / 195 343 = 14 680.64 and × 99 751 / 195 343 = 15 319.36: whole kronor
    # that add up to the amount, the krona left over to the larger remainder.
    assert (botkyrka.input_value(), haninge.input_value()) == ("14681", "15319")
    assert int(botkyrka.input_value()) + int(haninge.input_value()) == 30000
    assert "95 592" in text(shares) and "99 751" in text(shares)
    accessible(page)
    page.get_by_role("button", name="Spara arrangemanget").first.click()
    notice(page, "Arrangemanget är sparat.")
    assert page.get_by_label("Botkyrka, andel i kronor").input_value() == "14681"
    assert page.get_by_label("Haninge, andel i kronor").input_value() == "15319"
    accessible(page)


# -- 3. the host's SIE file ----------------------------------------------------------------------


def upload_preview_map_and_import_the_sie_file(page: Any) -> None:
    go(page, "Ekonomi")
    accessible(page)
    page.get_by_role("link", name="Ladda upp SIE-fil").click()
    page.get_by_label("SIE-fil").set_input_files(str(SIE_FILE))
    page.get_by_label("Objekt").fill("1:1510")
    accessible(page)
    page.get_by_role("button", name="Läs filen och visa förhandsgranskning").click()
    page.get_by_role("heading", name="Förhandsgranskning: huddinge-2024.se").wait_for()
    main = text(page.get_by_role("main"))
    assert "60 verifikationer lästa, 43 rader att spara" in main
    assert "Alla 16 konton stämmer" in main
    totals = text(region(page, "Rader per fond och kostnadsslag"))
    assert "Personalkostnader" in totals and "1 444 300" in totals
    assert "Intäkt kommunerna" in totals and "2 012 800" in totals
    unmapped = text(region(page, "Konton utan mappning"))
    assert "7110" in unmapped and "Representation" in unmapped and "31 637" in unmapped
    findings = text(region(page, "Vad läsningen fann"))
    assert "1 fel" in findings and "encoding_cp437" in findings
    page.wait_for_load_state()
    assert not page.get_by_role("button", name="Importera allt").is_visible(), (
        "an unmapped account stops the import"
    )
    accessible(page)

    page.get_by_role("link", name="Mappa konto 7110").click()
    page.get_by_role("heading", name="Ny kontomappning").wait_for()
    assert page.get_by_label("Konto (början av kontonumret)").input_value() == "7110"
    page.get_by_label("Kostnadsslag").select_option(label="Representation")
    page.get_by_label("Fond").select_option(label="Bostadskonferensen")
    accessible(page)
    page.get_by_role("button", name="Spara mappningen").click()
    notice(page, "Kontomappningen är sparad.")
    page.get_by_role("heading", name="Förhandsgranskning: huddinge-2024.se").wait_for()
    main = text(page.get_by_role("main"))
    assert "Alla konton har ett kostnadsslag." in main
    assert "47 rader att spara" in main, "and the four vouchers of account 7110 with them"
    assert "Representation" in text(region(page, "Rader per fond och kostnadsslag"))
    accessible(page)
    page.get_by_role("button", name="Importera allt").click()
    notice(page, "huddinge-2024.se är importerad: 47 rader.")

    page.get_by_role("heading", name="Ekonomi 2024").wait_for()
    operations = text(region(page, "Samarbetet drift"))
    assert "Personalkostnader" in operations and "1 444 300" in operations
    assert "Intäkt kommunerna" in operations and "2 012 800" in operations
    conference = text(region(page, "Bostadskonferensen"))
    assert "Representation" in conference and "31 637" in conference
    assert "Medfinansiering från kommunerna" in conference and "30 000" in conference
    accessible(page)


# -- 4. a finding on the dashboard, followed and fixed -----------------------------------------------


def follow_a_finding_and_fix_it(page: Any) -> None:
    go(page, "Översikt")
    checks = region(page, "Kontroller")
    finding = checks.get_by_role("row").filter(
        has_text="Medlemmarnas medfinansiering är inte lika med arrangemangets bokförda kostnader."
    )
    assert "31 637" in text(finding) and "30 000" in text(finding)
    accessible(page)
    finding.get_by_role("link", name="Gå till posten").click()
    page.get_by_role("heading", name="Arrangemanget Bostadskonferensen").wait_for()
    assert page.get_by_label("Belopp att fördela efter invånarantal").input_value() == "31637", (
        "the amount to split is the costs the event's fund has booked"
    )
    page.get_by_role("button", name="Fördela efter invånarantal").click()
    # 31 637 kr: 15 481.71 and 16 155.29 -> 15 482 and 16 155.
    assert page.get_by_label("Botkyrka, andel i kronor").input_value() == "15482"
    assert page.get_by_label("Haninge, andel i kronor").input_value() == "16155"
    page.get_by_role("button", name="Spara arrangemanget").first.click()
    notice(page, "Arrangemanget är sparat.")
    accessible(page)
    go(page, "Översikt")
    assert "medfinansiering är inte lika med" not in text(page.get_by_role("main"))


# -- 5. the decision, with the errors that remain ------------------------------------------------------


def decide_the_year_despite_the_remaining_errors(page: Any) -> None:
    go(page, "Årets status")
    remaining = text(region(page, "Kontroller"))
    # The fees Huddinge booked (all its members') against 2 kr × (95 592 + 99 751) inhabitants.
    assert "Bokförd avgiftsintäkt skiljer sig från" in remaining
    assert "390 686 kr" in remaining and "2 012 800 kr" in remaining
    accessible(page)
    page.get_by_label("Samarbetskommitténs beslutsdatum").fill("2025-03-20")
    page.get_by_role("button", name="Markera som beslutat").click()
    assert "Bekräfta att året ska beslutas trots felen." in text(page.get_by_role("main"))
    accessible(page)
    page.get_by_label("Jag har läst felen ovan och vill ändå besluta året.").check()
    page.get_by_label("Varför beslutas året trots felen?").fill(
        "Avgifterna i Huddinges bokföring rättas i bokslutet 2025."
    )
    page.get_by_role("button", name="Markera som beslutat").click()
    notice(page, "Året är beslutat och låst.")
    assert Year.objects.get(year=2024).status == YearStatus.DECIDED
    accessible(page)

    # The registers and the accounts offer no change any more; an edit page says why.
    for link, heading, add in (
        ("Arrangemang", "Arrangemang 2024", "Lägg till ett arrangemang"),
        ("Projekt", "Projekt 2024", "Lägg till ett projekt"),
        ("Ekonomi", "Ekonomi 2024", "Ladda upp SIE-fil"),
    ):
        go(page, link)
        page.get_by_role("heading", name=heading).wait_for()
        assert page.get_by_role("link", name=add).count() == 0, heading
    accessible(page)
    event = Event.objects.get(name="Bostadskonferensen")
    page.goto(f"{live_url(page)}/app/sodra/2024/arrangemang/{event.pk}/")  # no link leads here now
    assert "Året är låst, så arrangemanget kan inte ändras." in text(page.get_by_role("main"))
    assert page.get_by_role("button", name="Spara arrangemanget").count() == 0
    # Standing data that the decided year reads is refused too: a member from 2024.
    go(page, "Medlemmar")
    page.get_by_role("link", name="Lägg till en medlem").click()
    page.get_by_label("Kommunkod").fill("0126")
    page.get_by_label("Namn").fill("Huddinge")
    page.get_by_role("button", name="Lägg till medlemmen").click()
    refusal = text(page.get_by_role("alert"))
    assert "Året 2024 är" in refusal and "låst" in refusal
    accessible(page)


# -- the audit trail ---------------------------------------------------------------------------------


def read_the_audit_trail(page: Any) -> None:
    go(page, "Ändringslogg")
    page.get_by_role("heading", name="Ändringslogg 2024").wait_for()
    trail = text(page.get_by_role("main"))
    for entry in (
        "Året beslutades",
        "Avgifterna i Huddinges bokföring rättas i bokslutet 2025.",
        "En SIE-fil importerades",
        "Ett arrangemang ändrades",
        "Ett arrangemang lades till",
        "Ett projekt lades till",
        "Ett projekt ändrades",
        "Bidragsintäkter",
        "Utbetalningar av bidrag",
        "Ett remissvar lades till",
        "En kontomappning sparades",
        "Invånarantal importerades från SCB",
        "SCB-tabell TAB638 ur folkmangd-botkyrka-haninge.csv: 4 nya och 0 ändrade invånarantal.",
        "En medlem lades till",
        "Karin Kansli",
    ):
        assert entry in trail, entry
    assert trail.count("En medlem lades till") == 2, "Botkyrka and Haninge"
    for raw in ("finance.", "members.", "governance.", "sha256"):
        assert raw not in trail, raw
    accessible(page)


def test_the_secretariat_of_a_new_cooperation_keeps_its_registers_and_money_in_the_browser(
    login: Any, cooperation: Cooperation, people: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.SIE_UPLOAD_DIR = tmp_path / "sie-uploads"
    page = login("kansliet")
    assert page.url.endswith("/app/sodra/2024/"), "the only year's dashboard"
    accessible(page)

    add_the_members_and_import_their_population(page)
    register_a_joint_consultation_response(page)
    register_a_project_with_a_grant_paid_in_arrears_and_its_payment(page)
    register_an_event_split_by_population(page)
    upload_preview_map_and_import_the_sie_file(page)
    follow_a_finding_and_fix_it(page)
    decide_the_year_despite_the_remaining_errors(page)
    read_the_audit_trail(page)
