"""What the signed-in pages show: the dashboard, an activity, the registers, the audit trail, reports."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from samverkan.plan.models import FollowUp
from samverkan.plan.services import update_follow_up
from tests.web.conftest import LEAD_A, LEAD_B, READER, SECRETARIAT, Place


def page(client: Any, name: str, *args: Any) -> str:
    response = client.get(reverse(f"web:{name}", args=args))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_dashboard_counts_statuses_per_focus_area_and_lists_what_lacks_a_follow_up(
    place: Place, users: Any, client_for: Any
) -> None:
    follow_up = place.activity_b.follow_up
    update_follow_up(
        follow_up, actor=users[LEAD_B], version=follow_up.version, status="not_started", text=""
    )

    html = page(client_for(READER), "dashboard", "sodertorn", 2020)

    lacking = html.split('id="lacking-heading"')[1].split("</section>")[0]
    assert "Fortsatt samverkan mellan YH-nätverket och SNUG nätverket" in lacking
    assert lacking.count("<li>") == 1
    statuses = FollowUp.objects.filter(activity__focus_area__year=place.year).values_list(
        "status", flat=True
    )
    totals = html.split("<tfoot>")[1].split("</tfoot>")[0]
    expected = [
        list(statuses).count(s)
        for s in ("done", "ongoing", "postponed", "cancelled", "not_started")
    ]
    assert [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', totals)] == [*expected, 1]


def test_the_dashboard_shows_fund_balances_and_fees(place: Place, client_for: Any) -> None:
    html = page(client_for(READER), "dashboard", "sodertorn", 2020)
    assert "Fondernas saldon" in html
    assert "Södertörnsamarbetet drift" in html
    # The 2020 fee: 4 kr per inhabitant of Botkyrka on 31 December 2019 (94 606).
    assert "378\u00a0424" in html


def test_a_network_lead_sees_the_activities_of_their_network_first(
    place: Place, client_for: Any
) -> None:
    html = page(client_for(LEAD_B), "dashboard", "sodertorn", 2020)
    mine = html.split('id="mine-heading"')[1].split("</section>")[0]
    assert "Fortsatt samverkan mellan YH-nätverket" in mine
    assert "Kollektivtrafikens utveckling" not in mine


def test_the_activity_page_offers_the_form_only_to_who_may_write(
    place: Place, client_for: Any
) -> None:
    def has_form(persona: str, activity: Any) -> bool:
        html = page(client_for(persona), "activity", "sodertorn", 2020, activity.pk)
        return "Spara uppföljningen" in html

    assert has_form(LEAD_A, place.activity_a) and has_form(SECRETARIAT, place.activity_a)
    assert not has_form(LEAD_B, place.activity_a) and not has_form(READER, place.activity_a)
    assert has_form(LEAD_B, place.activity_b)


def test_follow_up_text_is_rendered_from_markdown_and_sanitised(
    place: Place, users: Any, client_for: Any
) -> None:
    follow_up = place.activity_a.follow_up
    update_follow_up(
        follow_up,
        actor=users[LEAD_A],
        version=follow_up.version,
        status="ongoing",
        text="- **Klart**\n  - underpunkt\n\n<script>alert(1)</script>\n\n[länk](javascript:alert(2))",
    )
    html = page(client_for(READER), "activity", "sodertorn", 2020, place.activity_a.pk)
    body = html.split('id="follow-up-text"')[1].split("</div>")[0]
    assert "<strong>Klart</strong>" in body
    assert "<ul>\n<li>underpunkt</li>" in body
    assert "<script" not in body and "alert(1)" not in body
    assert (
        '<a rel="noopener noreferrer nofollow">länk</a>' in body
    )  # the link text stays, its javascript: target is gone


def test_the_secretariat_sees_the_history_of_a_follow_up_with_before_and_after(
    place: Place, users: Any, client_for: Any
) -> None:
    follow_up = place.activity_a.follow_up
    update_follow_up(
        follow_up, actor=users[LEAD_A], version=follow_up.version, status="done", text="Ny"
    )
    html = page(client_for(SECRETARIAT), "activity", "sodertorn", 2020, place.activity_a.pk)
    history = html.split('id="history-heading"')[1]
    assert "sup-ledare" in history and "Uppföljningen ändrades" in history
    assert "<pre>Pågår</pre>" in history and "<pre>Genomförd</pre>" in history
    assert "plan.follow_up.update" not in history, (
        "the page names the action in Swedish, not by its code"
    )
    assert 'id="history-heading"' not in page(
        client_for(READER), "activity", "sodertorn", 2020, place.activity_a.pk
    )


def test_the_audit_trail_of_the_year_can_be_narrowed_to_one_object(
    place: Place, users: Any, client_for: Any
) -> None:
    follow_up = place.activity_a.follow_up
    update_follow_up(
        follow_up, actor=users[LEAD_A], version=follow_up.version, status="done", text="Ny"
    )
    client = client_for(SECRETARIAT)
    year_log = page(client, "audit", "sodertorn", 2020)
    assert "Året öppnades igen" in year_log and "Uppföljningen ändrades" in year_log
    response = client.get(
        reverse("web:audit", args=["sodertorn", 2020]), {"object": f"plan.followup:{follow_up.pk}"}
    )
    narrowed = response.content.decode()
    assert "Uppföljningen ändrades" in narrowed and "Året öppnades igen" not in narrowed


def test_the_years_audit_trail_tells_the_standing_data_changes_in_swedish(
    place: Place, users: Any, client_for: Any
) -> None:
    import datetime as dt

    from samverkan.members.services import add_member, save_population_figure

    member = add_member(
        place.coop, actor=users[SECRETARIAT], code="0117", name="Österåker", joined=2020
    )
    save_population_figure(
        member, actor=users[SECRETARIAT], date=dt.date(2020, 12, 31), population=45000, source="SCB"
    )
    year_log = page(client_for(SECRETARIAT), "audit", "sodertorn", 2020)
    assert "En medlem lades till" in year_log and "Österåker" in year_log
    assert "Ett invånarantal sparades" in year_log
    assert "members.member.create" not in year_log
    assert "members.population.save" not in year_log


def test_the_audit_trail_never_shows_another_cooperations_entries(
    place: Place, client_for: Any
) -> None:
    from samverkan.audit.services import record

    record(actor="tests", action="secret.norrort", cooperation=place.other_coop, year=2020)
    assert "secret.norrort" not in page(client_for(SECRETARIAT), "audit", "sodertorn", 2020)


def test_the_registers_list_the_years_records(place: Place, client_for: Any) -> None:
    client = client_for(READER)
    assert "Vägplan E4/E20 Södertäljebroarna" in page(client, "consultations", "sodertorn", 2020)
    assert "Extra analyser av näringslivet" in page(client, "projects", "sodertorn", 2020)
    assert "Södertörnskonferensen" in page(client, "events", "sodertorn", 2020)
    assert "Nätverket för näringslivschefer" in page(client, "networks", "sodertorn", 2020)
    meetings = page(client, "meetings", "sodertorn", 2020)
    assert "Balingsholms gård, Huddinge" in meetings
    assert "Lägg till ett möte" not in meetings, "a reader adds nothing"


def test_a_network_lead_adds_a_meeting_of_their_network(place: Place, client_for: Any) -> None:
    client = client_for(LEAD_A)
    response = client.post(
        reverse("web:meeting-new", args=["sodertorn", 2020]),
        {
            "networks": [place.network_a.pk],
            "date": "2020-10-06",
            "format": "digital",
            "kind": "ordinary",
            "count": 1,
            "place": "Teams",
        },
    )
    assert response.status_code == 302
    assert place.year.meetings.filter(place="Teams", networks=place.network_a, month=10).exists()


def test_the_meeting_form_of_a_lead_has_no_body_field(place: Place, client_for: Any) -> None:
    assert 'name="body"' not in page(client_for(LEAD_A), "meeting-new", "sodertorn", 2020)
    assert 'name="body"' in page(client_for(SECRETARIAT), "meeting-new", "sodertorn", 2020)


def test_the_accounts_page_shows_every_fund_with_its_categories(
    place: Place, client_for: Any
) -> None:
    html = page(client_for(READER), "accounts", "sodertorn", 2020)
    assert "Personalkostnader" in html and "Utgående saldo" in html


def test_the_report_page_offers_every_format_and_the_html_preview_is_inline(
    place: Place, client_for: Any
) -> None:
    from samverkan.reports.api import FORMATS

    client = client_for(READER)
    html = page(client, "report", "sodertorn", 2020)
    for fmt in FORMATS:
        assert reverse("web:report-file", args=["sodertorn", 2020, fmt]) in html
    preview = client.get(reverse("web:report-file", args=["sodertorn", 2020, "html"]))
    assert preview["Content-Type"].startswith("text/html")
    assert preview["Content-Disposition"].startswith("inline")
    download = client.get(reverse("web:report-file", args=["sodertorn", 2020, "docx"]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_the_accounts_follow_an_audited_change_at_once(place: Place, client_for: Any) -> None:
    from samverkan.finance.models import CostCategory, Fund

    reader = client_for(READER)
    before = page(reader, "accounts", "sodertorn", 2020)  # computed and kept
    fund = Fund.objects.get(cooperation=place.coop, slug="drift-2020")
    category = CostCategory.objects.get(cooperation=place.coop, slug="representation")
    response = client_for(SECRETARIAT).post(
        reverse("admin:finance_ledgerline_add"),
        {
            "year": place.year.pk,
            "fund": fund.pk,
            "category": category.pk,
            "kind": "cost",
            "amount": "1234567.00",
            "date": "2020-12-31",
            "source": "manual",
            "order": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]

    after = page(reader, "accounts", "sodertorn", 2020)
    assert after != before
    assert "1\u00a0266\u00a0204" in after  # representation 31 637 + 1 234 567
