"""`samverkan population fetch` against recorded PxWebApi 2 answers; urllib's HTTPS handler is replaced.

The client, its request and urllib's error handling run as they would
online; only the HTTPS transport answers from tests/data/scb/ (see the README
there). Nothing here goes online.
"""

from __future__ import annotations

import datetime as dt
import email.message
import io
import urllib.request
import urllib.response
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samverkan.audit.models import AuditEntry
from samverkan.lib import pxweb
from samverkan.members.models import (
    Cooperation,
    FeeRule,
    Member,
    PopulationFigure,
    Year,
    YearStatus,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "scb"
URL = (
    "https://statistikdatabasen.scb.se/api/v2/tables/TAB638/data?lang=sv&outputFormat=json-stat2"
    "&valueCodes[Region]=0126,0127,0136,0181&valueCodes[ContentsCode]=BE0101N1&valueCodes[Tid]=2024"
)


class RecordedHTTPS(urllib.request.BaseHandler):
    """Answers HTTPS requests from recorded (status, body) pairs and remembers what was asked."""

    handler_order = 100  # before urllib's own HTTPSHandler, which would go online

    def __init__(self, answers: dict[str, tuple[int, bytes]]) -> None:
        self.answers = answers
        self.requests: list[urllib.request.Request] = []

    def https_open(self, request: urllib.request.Request) -> Any:
        self.requests.append(request)
        status, body = self.answers.get(request.full_url, (404, b'{"title": "Not found"}'))
        headers = email.message.Message()
        headers["Content-Type"] = "application/json; charset=utf-8"
        response = urllib.response.addinfourl(io.BytesIO(body), headers, request.full_url, status)
        response.msg = "OK" if status == 200 else "Error"
        return response


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> RecordedHTTPS:
    handler = RecordedHTTPS(
        {URL: (200, (DATA / "TAB638-0126-0127-0136-0181-2024.json").read_bytes())}
    )
    monkeypatch.setattr(
        "samverkan.members.management.commands.population.opener",
        lambda: urllib.request.build_opener(handler),
    )
    return handler


@pytest.fixture
def coop(db: None) -> Cooperation:
    coop = Cooperation.objects.create(slug="sodertorn", name="Södertörn")
    for order, (code, name) in enumerate(
        [("0127", "Botkyrka"), ("0136", "Haninge"), ("0126", "Huddinge"), ("0181", "Södertälje")]
    ):
        Member.objects.create(cooperation=coop, code=code, name=name, joined=2010, order=order)
    FeeRule.objects.create(cooperation=coop, from_year=2020, rate=Decimal("4"))
    Year.objects.create(cooperation=coop, year=2025, status=YearStatus.PLANNING)
    return coop


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("population", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_fetch_asks_scb_once_for_the_members_at_31_december_and_stores_the_figures(
    coop: Cooperation, recorded: RecordedHTTPS
) -> None:
    output = run("fetch", "--cooperation", "sodertorn", "--year", "2024")
    assert [r.full_url for r in recorded.requests] == [URL]
    assert recorded.requests[0].get_header("Accept") == "application/json"
    assert "New figures: 4" in output and "0181 Södertälje 2024-12-31: 102911" in output
    stored = {f.member.code: f for f in PopulationFigure.objects.select_related("member")}
    assert {code: f.population for code, f in stored.items()} == {
        "0126": 114304,
        "0127": 95905,
        "0136": 100895,
        "0181": 102911,
    }
    assert stored["0127"].source_table == "TAB638" and stored["0127"].source_file == URL
    assert stored["0127"].date == dt.date(2024, 12, 31)
    entry = AuditEntry.objects.get(action="members.population.import")
    assert entry.actor_label == "samverkan population"


def test_fetch_with_dry_run_shows_the_preview_and_stores_nothing(
    coop: Cooperation, recorded: RecordedHTTPS
) -> None:
    PopulationFigure.objects.create(
        member=coop.members.get(code="0136"), date=dt.date(2024, 12, 31), population=1
    )
    output = run("fetch", "--cooperation", "sodertorn", "--year", "2024", "--dry-run")
    assert "Changed figures: 1" in output and "0136 Haninge 2024-12-31: 1 -> 100895" in output
    assert "Nothing stored." in output
    assert PopulationFigure.objects.count() == 1


def test_fetch_into_a_decided_years_fee_basis_is_refused_naming_the_year(
    coop: Cooperation, recorded: RecordedHTTPS
) -> None:
    Year.objects.filter(cooperation=coop, year=2025).update(status=YearStatus.DECIDED)
    with pytest.raises(CommandError, match="2025"):
        run("fetch", "--cooperation", "sodertorn", "--year", "2024")
    assert not PopulationFigure.objects.exists()


def test_fetch_reports_scbs_refusal_when_called_too_often(
    coop: Cooperation, recorded: RecordedHTTPS
) -> None:
    recorded.answers[URL] = (429, b'{"title": "Too Many Requests", "status": 429}')
    with pytest.raises(CommandError, match="SCB answered 429"):
        run("fetch", "--cooperation", "sodertorn", "--year", "2024")


def test_fetch_of_an_unknown_cooperation_is_an_error(db: None, recorded: RecordedHTTPS) -> None:
    with pytest.raises(CommandError, match="no cooperation"):
        run("fetch", "--cooperation", "finns-inte", "--year", "2024")
    assert recorded.requests == []


def test_import_of_a_downloaded_csv_stores_the_figures_with_the_file_name(
    coop: Cooperation,
) -> None:
    output = run(
        "import", str(DATA / "folkmangd-botkyrka-haninge.csv"), "--cooperation", "sodertorn"
    )
    assert "New figures: 4" in output
    figure = PopulationFigure.objects.get(member__code="0136", date=dt.date(2023, 12, 31))
    assert (figure.population, figure.source_file) == (99751, "folkmangd-botkyrka-haninge.csv")


def test_the_client_keeps_scbs_pace_of_30_calls_in_10_seconds() -> None:
    handler = RecordedHTTPS({"https://example.org/a": (200, b"{}")})
    now = [100.0]
    slept: list[float] = []
    client = pxweb.Client(
        opener=urllib.request.build_opener(handler),
        clock=lambda: now[0],
        sleep=lambda s: slept.append(s),
    )
    client.get("https://example.org/a")
    client.get("https://example.org/a")
    assert slept == [pytest.approx(10 / 30)]
