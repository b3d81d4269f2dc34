"""The yearly cycle in a real browser, as the secretariat of a cooperation that has only one year.

From a fresh database holding a small standing file and one year
(tests/data/cycle, not the Södertörn demo), the secretariat starts 2021 from
2020, plans it, takes a network's proposal into the plan, enters a budget,
adopts and publishes the plan and downloads it as PDF; a network lead then
follows up one of the new activities. The annual report of 2021 shows the
activities, the follow-up and the budget against the outcome. axe-core finds
no WCAG 2.1 AA violation on any page of the cycle. The screenshots of
docs/web.md are taken here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from samverkan.accounts.models import Role
from samverkan.accounts.services import grant_role
from samverkan.audit.models import AuditEntry
from samverkan.finance.accounts import year_accounts
from samverkan.governance.models import Network
from samverkan.members.models import Cooperation, Year, YearStatus
from samverkan.plan.models import Activity, ActivityProposal, FollowUp, ProposalStatus
from samverkan.projects.models import ProjectYear
from samverkan.reports.api import render_report
from tests.web.browsing import accessible
from tests.web.test_browser import AXE, PASSWORD, shown

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
playwright_api = pytest.importorskip("playwright.sync_api")

DATA = Path(__file__).resolve().parents[1] / "data" / "cycle"
APP = "/app/malardalen"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

assert AXE.is_file(), "axe-core is installed with npm (node_modules)"


@pytest.fixture
def cooperation(db: None) -> Cooperation:
    """Mälardalen: the standing file and its only year, 2020 (draft), loaded as a year file."""
    from samverkan.yearfile.services import load_files

    load_files([DATA / "cooperation.yaml", DATA / "2020.yaml"], actor="tests")
    return Cooperation.objects.get(slug="malardalen")


@pytest.fixture
def people(cooperation: Cooperation) -> dict[str, Any]:
    """The secretariat, the lead of the planning chiefs' network and a reader, with passwords."""
    made = {}
    for name, role, network in (
        ("kansliet", Role.SECRETARIAT, None),
        ("planledare", Role.NETWORK_LEAD, "planchefer"),
        ("lasaren", Role.READER, None),
    ):
        user = get_user_model().objects.create_user(username=name, email=f"{name}@example.org")
        user.set_password(PASSWORD)
        user.save()
        grant_role(
            user,
            cooperation,
            role,
            actor="tests",
            network=Network.objects.get(cooperation=cooperation, slug=network) if network else None,
        )
        made[name] = user
    return made


def test_the_secretariat_plans_the_next_year_in_the_browser(
    login: Any, live_server: Any, cooperation: Cooperation, people: dict[str, Any]
) -> None:
    secretariat = login("kansliet")
    assert secretariat.url.endswith(f"{APP}/2020/"), "the only year's dashboard"

    # 1. Start 2021 from 2020: the preview first, the opening balances are last year's closing ones.
    secretariat.get_by_role("link", name="Nytt år 2021 från 2020").click()
    assert secretariat.get_by_role("heading", level=1).inner_text() == "Nytt år 2021 från 2020"
    closing_2020 = {
        slug: b.closing for slug, b in year_accounts(Year.objects.get(year=2020)).balances.items()
    }
    for slug, closing in closing_2020.items():
        cell = secretariat.locator(f'td[data-fund="{slug}"]').inner_text()
        assert cell.replace("\u00a0", " ").replace("−", "-") == f"{int(closing):,} kr".replace(
            ",", " "
        ), slug
    continuing = secretariat.get_by_label("3.1 Infrastruktur – Gemensamt remissvar om länsplanen")
    assert continuing.is_checked(), "an activity whose follow-up says it continues is ticked"
    assert not secretariat.get_by_label(
        "3.1 Infrastruktur – Kartläggning av pendlingen"
    ).is_checked()
    secretariat.get_by_label("3.2 Klimat – Klimatlöften för kommunerna").uncheck()
    going_on = secretariat.get_by_label("Pendlingsanalys (sedan 2020, inget slutår angivet)")
    assert not going_on.is_checked(), "no planned end: the secretariat decides"
    going_on.check()
    accessible(secretariat, "cycle-1-new-year")
    secretariat.get_by_role("button", name="Starta 2021").click()
    assert shown(secretariat.get_by_text("Året 2021 är startat och står i planering."))
    year = Year.objects.get(cooperation=cooperation, year=2021)
    assert year.status == YearStatus.PLANNING
    opened = year_accounts(year)
    assert {slug: b.opening for slug, b in opened.balances.items() if b.opening} == closing_2020
    assert [a.title for a in Activity.objects.filter(focus_area__year=year)] == [
        "Gemensamt remissvar om länsplanen"
    ]
    assert AuditEntry.objects.filter(
        action="year.start", year=2021, actor=people["kansliet"]
    ).exists()
    assert ProjectYear.objects.filter(project__slug="pendlingsanalys", year=year).exists()

    # 2. A focus area, a sub-goal and two activities owned by two networks.
    secretariat.get_by_label("Fokusområdets namn").fill("Näringsliv")
    secretariat.get_by_label("Huvudmål").fill("Fler arbetstillfällen i regionen")
    secretariat.get_by_role("button", name="Lägg till fokusområdet").click()
    assert secretariat.get_by_role("heading", level=1).inner_text() == "3.3 Näringsliv"
    secretariat.get_by_label("Nytt delmål").fill("Fler nya företag")
    secretariat.get_by_role("button", name="Lägg till delmålet").click()
    secretariat.get_by_label("Aktivitet:", exact=True).fill("Gemensam etableringsstrategi")
    secretariat.get_by_label("Nätverket för näringslivschefer (Näringslivschefer)").check()
    secretariat.get_by_role("button", name="Lägg till aktiviteten").click()
    secretariat.get_by_label("Aktivitet:", exact=True).fill(
        "Kompetensförsörjning i bygg och transport"
    )
    secretariat.get_by_label("Nätverket för planchefer (Planchefer)").check()
    secretariat.get_by_label("Start").fill("2021-03-01")
    secretariat.get_by_label("Slut").fill("2021-10-31")
    secretariat.get_by_role("button", name="Lägg till aktiviteten").click()
    secretariat.wait_for_load_state()  # the whole page, not the part parsed so far
    table = secretariat.get_by_role("table", name="Aktiviteter i Näringsliv")
    assert "Näringslivschefer" in table.inner_text() and "Planchefer" in table.inner_text()
    accessible(secretariat, "cycle-2-focus-area")
    secretariat.get_by_role("link", name="Gemensam etableringsstrategi").click()
    assert shown(secretariat.get_by_role("button", name="Ta bort aktiviteten")), (
        "not followed up yet"
    )
    accessible(secretariat)
    secretariat.go_back()
    owners = {
        a.title: sorted(n.slug for n in a.networks.all())
        for a in Activity.objects.filter(focus_area__year=year, focus_area__title="Näringsliv")
    }
    assert owners == {
        "Gemensam etableringsstrategi": ["naringsliv"],
        "Kompetensförsörjning i bygg och transport": ["planchefer"],
    }

    # 3. The planning chiefs' lead proposes an activity; the secretariat takes it into the plan, edited.
    lead = login("planledare")
    lead.goto(f"{live_server.url}{APP}/2021/verksamhetsplan/")
    accessible(lead)
    lead.get_by_role("link", name="Föreslå en aktivitet").first.click()
    lead.get_by_label("Fokusområde").select_option(label="3.1 Infrastruktur")
    lead.get_by_label("Nätverk som föreslår").select_option(
        label="Nätverket för planchefer (Planchefer)"
    )
    lead.get_by_label("Aktivitet").fill("Regional cykelplan")
    lead.get_by_label("Beskrivning").fill("Nätverket tar fram ett förslag till regional cykelplan.")
    accessible(lead)
    lead.get_by_role("button", name="Skicka förslaget").click()
    assert lead.locator("#proposal-status").inner_text() == "Föreslagen"
    accessible(lead)
    proposal = ActivityProposal.objects.get()

    secretariat.goto(f"{live_server.url}{APP}/2021/verksamhetsplan/forslag/{proposal.pk}/")
    accessible(secretariat, "cycle-3-proposal")
    secretariat.get_by_label("Aktivitet").fill("Regional cykelplan 2021–2022")
    secretariat.get_by_role("button", name="Ta in i planen").click()
    lead.reload()
    assert lead.locator("#proposal-status").inner_text() == "Intagen i planen"
    lead.get_by_role("link", name="Förslag från nätverken").first.click()
    lead.wait_for_load_state()  # the whole page, not the part parsed so far
    assert "Regional cykelplan" in lead.get_by_role("main").inner_text()
    accessible(lead)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.activity is not None
    assert proposal.activity.title == "Regional cykelplan 2021–2022"

    # 4. The budget, as one grid; a cell that is not a number is refused next to it.
    secretariat.get_by_role("link", name="Budget", exact=True).click()
    cell = secretariat.get_by_label("Personalkostnader, Samarbetet drift", exact=True)
    cell.fill("femhundratusen")
    secretariat.get_by_role("button", name="Spara budgeten").click()
    secretariat.wait_for_load_state()  # the whole page, not the part parsed so far
    assert "Skriv ett belopp i kronor" in secretariat.locator(".budget-grid").inner_text()
    accessible(secretariat)
    secretariat.get_by_label("Personalkostnader, Samarbetet drift", exact=True).fill("550 000")
    secretariat.get_by_label("Intäkt kommunerna, Samarbetet drift", exact=True).fill("638006")
    secretariat.get_by_label("Konsulter, Analysfonden", exact=True).fill("100000")
    secretariat.get_by_role("button", name="Spara budgeten").click()
    assert shown(secretariat.get_by_text("Budgeten är sparad."))
    accessible(secretariat, "cycle-4-budget")

    # 5. Adopt and publish the plan; it appears on the public page.
    secretariat.get_by_role("link", name="Verksamhetsplan", exact=True).click()
    accessible(secretariat)
    secretariat.get_by_label("Samarbetskommitténs beslutsdatum för planen").fill("2020-12-10")
    secretariat.get_by_role("button", name="Markera planen som antagen").click()
    assert shown(secretariat.get_by_text("Verksamhetsplanen är antagen och låst för ändringar."))
    secretariat.get_by_label("Verksamhetsplanen blir synlig för alla.").check()
    secretariat.get_by_role("button", name="Publicera planen").click()
    assert shown(secretariat.get_by_text("Verksamhetsplanen är publicerad."))
    accessible(secretariat, "cycle-5-plan")
    public = login("lasaren")
    public.context.clear_cookies()
    public.goto(f"{live_server.url}/malardalen/")
    assert "Verksamhetsplan 2021" in public.get_by_role("main").inner_text()
    accessible(public)

    # 6. The plan as PDF.
    with secretariat.expect_download() as download:
        secretariat.get_by_role("link", name="Verksamhetsplan 2021 (PDF)").click()
    assert download.value.suggested_filename == "malardalen-verksamhetsplan-2021.pdf"
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"

    # 7. The lead follows up one of the new activities (the plan is locked; the follow-up is not).
    ours = Activity.objects.get(title="Kompetensförsörjning i bygg och transport")
    lead.goto(f"{live_server.url}{APP}/2021/aktiviteter/{ours.pk}/")
    lead.get_by_label("Status").select_option("ongoing")
    lead.get_by_label("Uppföljningstext").fill("- Två workshops med byggföretagen är hållna")
    lead.get_by_role("button", name="Spara uppföljningen").click()
    assert shown(lead.get_by_text("Uppföljningen är sparad."))
    assert FollowUp.objects.get(activity=ours).text == "- Två workshops med byggföretagen är hållna"

    # The annual report of 2021: the activities, the follow-up, and budget against outcome.
    report = render_report(Year.objects.get(pk=year.pk), "md")[0].decode()
    for title in (
        "Gemensam etableringsstrategi",
        "Kompetensförsörjning i bygg och transport",
        "Regional cykelplan 2021–2022",
        "Gemensamt remissvar om länsplanen",
    ):
        assert title in report
    assert "Två workshops med byggföretagen är hållna" in report
    assert "Budget och utfall 2021 – Samarbetet drift" in report
    assert "| Personalkostnader | 550\u00a0000 | 0 | −550\u00a0000 |" in report
