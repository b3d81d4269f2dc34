"""The public side: published years' pages and open data, in JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tests.web.conftest import Place


def get(name: str, *args: object) -> bytes:
    response = Client().get(reverse(f"web:{name}", args=args))
    assert response.status_code == 200
    return bytes(response.content)


def test_the_index_lists_published_years_only(place: Place) -> None:
    html = get("public-index").decode()
    assert "Årsredovisning 2018" in html
    assert "2019" not in html and "2020" not in html
    assert "Norrort" not in html


def test_the_accounts_as_json_balance_per_fund(place: Place) -> None:
    data = json.loads(get("public-accounts-json", "sodertorn", 2018))
    assert data["year"] == 2018 and data["status"] == "published"
    assert data["funds"]
    for fund in data["funds"]:
        assert Decimal(fund["closing"]) == Decimal(fund["opening"]) + Decimal(
            fund["income"]
        ) - Decimal(fund["costs"])
    total_closing = sum(Decimal(f["closing"]) for f in data["funds"])
    assert Decimal(data["total"]["closing"]) == total_closing
    assert Decimal(data["fees"]["total"]) == sum(
        Decimal(c["amount"]) for c in data["fees"]["charges"]
    )


def test_the_accounts_csv_has_one_row_per_fund_matching_the_json(place: Place) -> None:
    rows = list(csv.DictReader(io.StringIO(get("public-accounts-csv", "sodertorn", 2018).decode())))
    data = json.loads(get("public-accounts-json", "sodertorn", 2018))
    assert [(r["fund"], r["closing"]) for r in rows] == [
        (f["slug"], f["closing"]) for f in data["funds"]
    ]


def test_the_plan_as_json_and_csv_carries_every_follow_up(place: Place) -> None:
    data = json.loads(get("public-plan-json", "sodertorn", 2018))
    activities = [a for area in data["focus_areas"] for a in area["activities"]]
    rows = list(csv.DictReader(io.StringIO(get("public-plan-csv", "sodertorn", 2018).decode())))
    assert len(rows) == len(activities) > 0
    assert [r["activity"] for r in rows] == [a["title"] for a in activities]
    assert {a["follow_up"]["status"] for a in activities} <= {
        "done",
        "ongoing",
        "postponed",
        "cancelled",
        "not_started",
    }


def test_data_json_holds_plan_and_accounts(place: Place) -> None:
    data = json.loads(get("public-data-json", "sodertorn", 2018))
    assert data["cooperation"] == {
        "slug": "sodertorn",
        "name": "Södertörnskommunernas Samarbetskommitté",
    }
    assert data["focus_areas"] and data["accounts"]["funds"]


def test_the_public_year_page_links_the_report_and_the_open_data(place: Place) -> None:
    html = get("public-year", "sodertorn", 2018).decode()
    for name in (
        "public-data-json",
        "public-plan-json",
        "public-plan-csv",
        "public-accounts-json",
        "public-accounts-csv",
    ):
        assert reverse(f"web:{name}", args=["sodertorn", 2018]) in html
    assert reverse("web:public-report", args=["sodertorn", 2018, "pdf"]) in html


def test_the_published_report_downloads_as_pdf(place: Place) -> None:
    response = Client().get(reverse("web:public-report", args=["sodertorn", 2018, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="sodertorn-arsredovisning-2018.pdf"' in response["Content-Disposition"]


def test_the_csv_neutralises_text_cells_a_spreadsheet_would_run_as_formulas(place: Place) -> None:
    from samverkan.plan.models import FollowUp

    follow_ups = FollowUp.objects.filter(
        activity__focus_area__year__cooperation=place.coop, activity__focus_area__year__year=2018
    ).order_by("pk")
    texts = [
        '=HYPERLINK("https://example.org","klicka")',
        "+1",
        "@SUM(A1)",
        "\tflik",
        "\rretur",
        "- en punkt",
    ]
    for follow_up, text in zip(follow_ups, texts, strict=False):
        FollowUp.objects.filter(pk=follow_up.pk).update(text=text)
    csv_text = get("public-plan-csv", "sodertorn", 2018).decode()
    rows = list(csv.DictReader(io.StringIO(csv_text, newline="")))
    assert {"'" + text for text in texts} <= {row["follow_up"] for row in rows}
    assert not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values()
    )


def test_the_csv_writes_negative_amounts_as_numbers() -> None:
    from samverkan.web.open_data import neutralise

    assert neutralise("-2796096.00") == "-2796096.00"
    assert neutralise("-12") == "-12"
    assert neutralise(-5) == -5
    assert neutralise("-12 kr") == "'-12 kr"
