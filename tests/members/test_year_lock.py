"""The year lock: nothing a decided or published year reads changes until the year is reopened.

The demo's years are published. Each kind of record that the 2020 report,
checks or open data read is changed here through the ORM, the way the admin,
a service or the loader would write it; every change is refused with the
year's name, and the year's report, checks and open data stay byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from samverkan.demo import DEMO_DIR, DEMO_SLUG, demo_files
from samverkan.finance.models import CostCategory, Fund, ImportBatch, LedgerLine
from samverkan.governance.models import Body, Network
from samverkan.members.locking import YearLocked
from samverkan.members.models import Cooperation, FeeRule, Member, PopulationFigure, Year
from samverkan.members.services import WorkflowError, decide_year, reopen_year, set_year_status
from samverkan.plan.models import Programme
from samverkan.reports.api import render_report
from samverkan.reports.figures_from_db import check_year
from samverkan.web.open_data import accounts_csv, plan_csv, year_data
from samverkan.yearfile.services import LoadFailed, load_files


def published(year: int = 2020) -> Year:
    return Year.objects.select_related("cooperation").get(cooperation__slug=DEMO_SLUG, year=year)


def what_the_year_shows(year: Year) -> tuple[bytes, str, str, str, str]:
    report, _, _ = render_report(year, "md")
    findings = json.dumps([str(f) for f in check_year(year)])
    return (
        report,
        findings,
        json.dumps(year_data(year), default=str),
        plan_csv(year),
        accounts_csv(year),
    )


def botkyrka() -> Member:
    return Member.objects.get(cooperation__slug=DEMO_SLUG, code="0127")


def _member_leaves_in_2019() -> None:
    member = botkyrka()
    member.left = 2019
    member.save()


def _fee_flag_of_a_category_flips() -> None:
    category = CostCategory.objects.filter(cooperation__slug=DEMO_SLUG, is_fee=True).first()
    assert category is not None
    category.is_fee = False
    category.save()


def _network_is_deleted() -> None:
    # YH-nätverket has activities and a meeting but no year record that protects it.
    Network.objects.get(cooperation__slug=DEMO_SLUG, slug="yh-natverket").delete()


def _network_loses_a_member() -> None:
    Network.objects.get(cooperation__slug=DEMO_SLUG, slug="sup-gruppen").members.remove(botkyrka())


def _population_figure_changes() -> None:
    figure = PopulationFigure.objects.get(member=botkyrka(), date=dt.date(2019, 12, 31))
    figure.population = 2
    figure.save()


def _fee_rule_changes() -> None:
    rule = FeeRule.objects.filter(cooperation__slug=DEMO_SLUG).order_by("from_year").last()
    assert rule is not None
    rule.rate += 1
    rule.save()


def _fund_is_renamed() -> None:
    fund = Fund.objects.filter(cooperation__slug=DEMO_SLUG).first()
    assert fund is not None
    fund.name = "Omdöpt"
    fund.save()


def _cooperation_is_renamed() -> None:
    coop = Cooperation.objects.get(slug=DEMO_SLUG)
    coop.name = "Omdöpt"
    coop.save()


def _body_is_renamed() -> None:
    body = Body.objects.filter(cooperation__slug=DEMO_SLUG).first()
    assert body is not None
    body.name = "Omdöpt"
    body.save()


def _programme_is_renamed() -> None:
    programme = Programme.objects.filter(years__year=2020).first()
    assert programme is not None
    programme.name = "Omdöpt"
    programme.save()


def _a_line_is_added() -> None:
    line = LedgerLine.objects.filter(year__year=2020, year__cooperation__slug=DEMO_SLUG).first()
    assert line is not None
    line.pk = None
    line.save()


CHANGES: dict[str, Callable[[], None]] = {
    "member leaves": _member_leaves_in_2019,
    "category fee flag": _fee_flag_of_a_category_flips,
    "network deleted": _network_is_deleted,
    "network member removed": _network_loses_a_member,
    "population figure": _population_figure_changes,
    "fee rule": _fee_rule_changes,
    "fund renamed": _fund_is_renamed,
    "cooperation renamed": _cooperation_is_renamed,
    "body renamed": _body_is_renamed,
    "programme renamed": _programme_is_renamed,
    "ledger line added": _a_line_is_added,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_to_what_a_published_year_reads_is_refused_and_the_year_stays_as_adopted(
    demo: None, change: Callable[[], None]
) -> None:
    before = what_the_year_shows(published())

    with pytest.raises(YearLocked) as refused, transaction.atomic():
        change()

    assert "låst" in refused.value.message and str(refused.value.year.year) in refused.value.message
    assert what_the_year_shows(published()) == before


def test_the_same_change_goes_through_once_the_year_is_reopened(demo: None) -> None:
    for year in Year.objects.filter(cooperation__slug=DEMO_SLUG).order_by("-year"):
        reopen_year(year, actor="tests", reason="rättelse")
    _member_leaves_in_2019()
    assert botkyrka().left == 2019


def test_standing_data_that_no_locked_year_reads_can_change(demo: None) -> None:
    before = what_the_year_shows(published())
    coop = Cooperation.objects.get(slug=DEMO_SLUG)
    newcomer = Member.objects.create(cooperation=coop, code="0188", name="Norrtälje", joined=2021)
    PopulationFigure.objects.create(member=botkyrka(), date=dt.date(2021, 12, 31), population=97000)
    FeeRule.objects.create(cooperation=coop, from_year=2022, rate=5)
    CostCategory.objects.create(cooperation=coop, slug="ny", name="Ny", kind="cost")
    newcomer.name = "Norrtälje kommun"
    newcomer.save()
    assert Member.objects.get(code="0188").name == "Norrtälje kommun"
    assert what_the_year_shows(published()) == before


def test_joining_later_leaves_the_published_years_alone_but_leaving_earlier_does_not(
    demo: None,
) -> None:
    member = botkyrka()
    member.left = 2030
    member.save()  # the years up to 2030 keep Botkyrka: 2018-2020 are unchanged
    member.left = 2020
    member.save()
    member.left = 2019
    with pytest.raises(YearLocked) as refused:
        member.save()
    assert refused.value.year.year == 2020


def test_a_standing_file_that_changes_a_published_years_fee_basis_is_refused(
    demo: None, tmp_path: Path
) -> None:
    standing = (DEMO_DIR / "cooperation.yaml").read_text(encoding="utf-8")
    figure = '  - member: "0127"\n    date: 2017-12-31\n    population: 91925\n'
    assert figure in standing
    lines = standing.replace(figure, figure.replace("91925", "1")).splitlines()
    changed = tmp_path / "cooperation.yaml"
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = what_the_year_shows(published(2018))

    with pytest.raises(LoadFailed) as refused:
        load_files([changed])

    assert "alters 2018, which is published" in str(refused.value)
    assert what_the_year_shows(published(2018)) == before


def test_the_demo_files_load_again_unchanged_into_their_published_years(demo: None) -> None:
    result = load_files(demo_files())
    assert not any(f.changed for f in result.files)


def test_a_decision_date_lies_between_the_years_start_and_today(demo: None) -> None:
    year = published()
    reopen_year(year, actor="tests", reason="nytt beslut")
    for wrong in (
        dt.date(9999, 12, 31),
        dt.date(2019, 12, 31),
        timezone.localdate() + dt.timedelta(days=2),
    ):
        with pytest.raises(WorkflowError) as refused:
            decide_year(year, wrong, actor="tests")
        assert "mellan 2020-01-01 och" in refused.value.message
    decided = decide_year(year, timezone.localdate(), actor="tests")
    assert decided.decided_on == timezone.localdate()


def test_the_model_refuses_a_decision_date_far_ahead_on_every_path(demo: None) -> None:
    from django.core.exceptions import ValidationError

    year = published()
    year.decided_on = dt.date(9999, 12, 31)
    with pytest.raises(ValidationError) as refused:
        year.full_clean()
    assert "decided_on" in refused.value.message_dict


def test_the_workflow_moves_a_locked_year_without_the_gate_refusing_it(demo: None) -> None:
    year = reopen_year(published(), actor="tests", reason="prov")
    set_year_status(year, "draft", actor="tests")
    assert Year.objects.get(pk=year.pk).status == "draft"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)
def test_an_import_racing_a_decision_is_refused_and_writes_nothing_on_postgresql() -> None:
    """The decision holds the year row; the import waits for it, then finds the year decided."""
    from samverkan.finance.sie_import import ImportRefused, import_sie

    load_files(demo_files(), actor="tests")
    year = published()
    year = reopen_year(year, actor="tests", reason="kapplöpning")
    decided = threading.Event()
    outcome: dict[str, Any] = {}

    def decision() -> None:
        try:
            with transaction.atomic():
                decide_year(year, dt.date(2021, 3, 1), actor="tests")
                decided.set()
                # Keep the decision open while the import starts and reaches the year's row.
                threading.Event().wait(1.5)
        finally:
            connections.close_all()

    def importer() -> None:
        try:
            decided.wait(10)
            import_sie(DEMO_DIR / "huddinge-2020.se", year, objects=["1:1510"], actor="tests")
            outcome["import"] = "stored"
        except ImportRefused as exc:
            outcome["import"] = [d.code for d in exc.diagnostics]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decision), threading.Thread(target=importer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcome["import"] == ["year_locked"]
    assert not ImportBatch.objects.filter(year=year).exists()
    assert not LedgerLine.objects.filter(year=year, source="sie").exists()
    assert Year.objects.get(pk=year.pk).status == "decided"
