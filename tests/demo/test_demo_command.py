"""`samverkan demo --no-serve`: the demo in the database, its SIE import, its reports and logins."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from samverkan.audit.models import AuditEntry
from samverkan.finance.models import ImportBatch
from samverkan.members.models import Year


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_demo_loads_imports_writes_reports_and_reloads_changed_demo_data(
    tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", no_serve=True, out=tmp_path)
    out = capsys.readouterr().out
    assert ImportBatch.objects.get().file_name == "huddinge-2020.se"
    assert sorted(p.name for p in (tmp_path / "sodertorn").iterdir()) == [
        f"sodertorn-arsredovisning-{y}.{ext}"
        for y in (2018, 2020)
        for ext in ("docx", "html", "md", "pdf")
    ]
    assert "sodertorn-kansli" in out and "lösenord" in out
    assert Year.objects.get(year=2020).status == "published"
    started = Year.objects.get(year=2021)
    assert (
        started.status == "planning"
        and AuditEntry.objects.filter(action="year.start", year=2021).exists()
    )
    assert not started.budget_lines.exists(), "no budget figures are invented"
    from samverkan.reports.api import render_report

    plan = render_report(started, "md", document="plan")[0].decode()
    assert "Verksamhetsplan 2021" in plan and "Handlingsplan 2021" in plan

    # An older demo in the database (here: a changed text) is replaced on the next run, on the record.
    Year.objects.get(year=2018).texts.filter(key="introduction").update(body="gammal text")
    call_command("demo", no_serve=True, out=tmp_path)
    assert Year.objects.get(year=2018).texts.get(key="introduction").body != "gammal text"
    assert AuditEntry.objects.filter(action="year.reopen", actor_label="demo").exists()
    assert Year.objects.get(year=2018).status == "published"
