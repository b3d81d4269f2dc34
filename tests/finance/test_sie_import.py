"""SIE import into a cooperation's accounts, and the SIE export read back."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samverkan.audit.models import AuditEntry
from samverkan.demo import DEMO_DIR
from samverkan.finance.accounts import year_accounts
from samverkan.finance.models import AccountMapping, ImportBatch, LedgerLine
from samverkan.finance.sie import read_sie
from samverkan.finance.sie_export import category_accounts, export_sie
from samverkan.finance.sie_import import ImportRefused, import_sie, plan_import
from samverkan.members.models import Year
from samverkan.reports.figures_from_db import check_year

DEMO_SIE = DEMO_DIR / "huddinge-2020.se"
D = Decimal


@pytest.fixture
def draft_2020(demo: None) -> Year:
    Year.objects.filter(cooperation__slug="sodertorn", year=2020).update(status="draft")
    return Year.objects.get(cooperation__slug="sodertorn", year=2020)


def codes(exc: ImportRefused) -> set[str]:
    return {d.code for d in exc.diagnostics if d.severity == "error"}


def test_a_dry_run_shows_the_totals_per_fund_and_category_and_stores_nothing(
    draft_2020: Year,
) -> None:
    plan = plan_import(DEMO_SIE, draft_2020, objects=["1:1510"])
    assert plan.errors == []
    assert plan.totals[("drift-2020", "personalkostnader", "cost")] == D("1444300")
    assert plan.totals[("drift-2020", "avgifter", "income")] == D("2012800")
    assert plan.skipped_vouchers == 24  # the other cost centre's vouchers
    assert not LedgerLine.objects.filter(source="sie").exists()


def test_the_import_replaces_the_transcribed_lines_of_the_fund_and_keeps_the_totals(
    draft_2020: Year,
) -> None:
    before = year_accounts(draft_2020).balances["drift-2020"]
    plan, changed = import_sie(DEMO_SIE, draft_2020, objects=["1:1510"], actor="tests")
    assert changed and plan.line_count == 47
    after = year_accounts(draft_2020)
    assert after.balances["drift-2020"] == before
    assert not after.fees_derived  # the fees now come from the books, and the fee check agrees
    assert not [f for f in check_year(draft_2020) if f.check == "fee_income"]
    entry = AuditEntry.objects.get(action="finance.sie_import")
    assert entry.changes["sha256"] == ImportBatch.objects.get().sha256


def test_importing_the_same_file_again_changes_nothing(draft_2020: Year) -> None:
    import_sie(DEMO_SIE, draft_2020, objects=["1:1510"])
    ids = list(LedgerLine.objects.filter(source="sie").values_list("pk", flat=True))
    _, changed = import_sie(DEMO_SIE, draft_2020, objects=["1:1510"])
    assert not changed
    assert list(LedgerLine.objects.filter(source="sie").values_list("pk", flat=True)) == ids


def test_a_newer_export_replaces_the_old_one_only_when_asked(
    draft_2020: Year, tmp_path: Path
) -> None:
    import_sie(DEMO_SIE, draft_2020, objects=["1:1510"])
    newer = tmp_path / "newer.se"
    newer.write_bytes(DEMO_SIE.read_bytes().replace(b"#GEN 20210108", b"#GEN 20210115"))
    with pytest.raises(ImportRefused) as refused:
        import_sie(newer, draft_2020, objects=["1:1510"])
    assert codes(refused.value) == {"already_imported"}
    _, changed = import_sie(newer, draft_2020, objects=["1:1510"], replace=True)
    assert changed and ImportBatch.objects.get().file_name == "newer.se"
    assert LedgerLine.objects.filter(source="sie").count() == 47


def test_without_an_object_the_whole_ledger_is_taken(draft_2020: Year) -> None:
    plan = plan_import(DEMO_SIE, draft_2020)
    assert plan.totals[("drift-2020", "personalkostnader", "cost")] == D("1444300") + 12 * D(
        "578900"
    )


def test_an_object_the_file_does_not_hold_is_an_error_and_nothing_is_stored(
    draft_2020: Year,
) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_sie(DEMO_SIE, draft_2020, objects=["1:9999"])
    assert codes(refused.value) == {"unknown_object"}
    assert not LedgerLine.objects.filter(source="sie").exists()


def test_an_unmapped_account_is_listed_not_dropped(draft_2020: Year) -> None:
    AccountMapping.objects.filter(account="71").delete()
    with pytest.raises(ImportRefused) as refused:
        import_sie(DEMO_SIE, draft_2020, objects=["1:1510"])
    messages = [d.message for d in refused.value.diagnostics if d.code == "unmapped_account"]
    assert messages == [
        "Account 7110 Representation (31637.00 kr) has no category in the mapping; add one "
        "(admin: account mappings)."
    ]


def open_2019() -> Year:
    Year.objects.filter(cooperation__slug="sodertorn", year=2019).update(status="draft")
    return Year.objects.get(cooperation__slug="sodertorn", year=2019)


def test_a_file_of_another_year_is_refused_with_one_error_naming_both_years(
    demo_open: None,
) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_sie(DEMO_SIE, open_2019(), objects=["1:1510"])
    errors = [d for d in refused.value.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["year_not_in_file"], "one error, not one per voucher"
    assert errors[0].figures == {
        "year": 2019,
        "file_year": 2020,
        "file_start": dt.date(2020, 1, 1),
        "file_end": dt.date(2020, 12, 31),
        "vouchers": 60,
    }
    assert "import it into 2020, or export 2019" in errors[0].message
    assert not LedgerLine.objects.filter(source="sie").exists()


def test_the_command_line_says_once_which_year_a_file_of_another_year_covers(
    demo_open: None,
) -> None:
    open_2019()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "sie", "import", str(DEMO_SIE), "--cooperation", "sodertorn", "--year", "2019",
            "--dry-run", stdout=out, stderr=err,
        )  # fmt: skip
    text = out.getvalue()
    assert text.count("error:") == 1 and "voucher_outside_year" not in text
    assert "year_not_in_file: The file covers the fiscal year 2020-01-01 to 2020-12-31" in text
    with pytest.raises(CommandError):
        call_command(
            "sie", "import", str(DEMO_SIE), "--cooperation", "sodertorn", "--year", "2019",
            stdout=out, stderr=err,
        )  # fmt: skip
    assert err.getvalue().count("error:") == 1 and "import it into 2020" in err.getvalue()


def test_a_file_without_its_fiscal_year_is_refused_with_one_error(
    demo_open: None, tmp_path: Path
) -> None:
    lines = DEMO_SIE.read_bytes().split(b"\n")
    bare = tmp_path / "utan-rar.se"
    bare.write_bytes(b"\n".join(x for x in lines if not x.startswith((b"#RAR", b"#KSUMMA"))))
    plan = plan_import(bare, open_2019(), objects=["1:1510"])
    assert [d.code for d in plan.errors] == ["year_not_in_file"]
    assert "states no current fiscal year" in plan.errors[0].message


def test_a_voucher_dated_outside_the_year_of_a_file_for_the_year_is_named_with_its_date(
    draft_2020: Year, tmp_path: Path
) -> None:
    lines = DEMO_SIE.read_bytes().split(b"\n")
    stray = tmp_path / "fel-datum.se"
    first = next(i for i, x in enumerate(lines) if x.startswith(b"#VER"))
    fields = lines[first].split(b" ")
    fields[3] = b"20190615"
    lines[first] = b" ".join(fields)
    written = [x for x in lines if not x.startswith(b"#KSUMMA")]
    stray.write_bytes(b"\n".join(written))
    plan = plan_import(stray, draft_2020, objects=["1:1510"])
    [outside] = [d for d in plan.errors if d.code == "voucher_outside_year"]
    assert outside.figures == {"voucher": "A 1", "date": dt.date(2019, 6, 15)}
    assert outside.line == written.index(lines[first]) + 1


def test_a_decided_year_is_refused(demo: None) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_sie(DEMO_SIE, Year.objects.get(cooperation__slug="sodertorn", year=2020))
    assert codes(refused.value) == {"year_locked"}


def test_a_damaged_file_is_refused_with_its_line(draft_2020: Year, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.se"
    damaged.write_bytes(
        DEMO_SIE.read_bytes().replace(
            b'#TRANS 5110 {1 "1510"} 93000', b'#TRANS 5110 {1 "1510"} 9x3'
        )
    )
    with pytest.raises(ImportRefused) as refused:
        import_sie(damaged, draft_2020, objects=["1:1510"])
    assert any(d.line for d in refused.value.diagnostics if d.severity == "error")
    assert not LedgerLine.objects.filter(source="sie").exists()


def test_an_amount_too_large_for_the_ledger_is_refused_at_its_line_and_nothing_is_stored(
    draft_2020: Year, tmp_path: Path
) -> None:
    # Balanced, so only the size is wrong: 24 digits where the ledger holds twelve before the point.
    huge = b"123456789012345678901234.00"
    damaged = tmp_path / "huge.se"
    damaged.write_bytes(
        DEMO_SIE.read_bytes()
        .replace(b"#TRANS 1930 {} 378424.00", b"#TRANS 1930 {} " + huge)
        .replace(b'#TRANS 3460 {1 "1510"} -378424.00', b'#TRANS 3460 {1 "1510"} -' + huge)
    )
    plan = plan_import(damaged, draft_2020, objects=["1:1510"])
    assert [(d.code, d.line) for d in plan.errors] == [("amount_too_large", 53)]
    with pytest.raises(ImportRefused) as refused:
        import_sie(damaged, draft_2020, objects=["1:1510"])
    assert codes(refused.value) == {"amount_too_large"}
    assert not LedgerLine.objects.filter(source="sie").exists()


def test_the_sie_export_reads_back_to_the_same_accounts(demo: None) -> None:
    year = Year.objects.get(cooperation__slug="sodertorn", year=2018)
    sie = read_sie(export_sie(year))
    assert [d for d in sie.diagnostics if d.severity == "error"] == []
    numbers = {number: slug for slug, number in category_accounts(year).items()}
    read_back: dict[str, Decimal] = defaultdict(Decimal)
    for voucher in sie.vouchers:
        for t in voucher.transactions:
            if t.account != "1930":
                read_back[numbers[t.account]] += t.amount
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for e in year_accounts(year).entries:
        expected[e.category] += -e.amount if e.kind == "income" else e.amount
    assert dict(read_back) == dict(expected)


def test_a_dry_run_shows_the_accounts_that_do_not_reconcile(
    draft_2020: Year, tmp_path: Path
) -> None:
    # A closing balance that the vouchers do not reach: the export is incomplete. (The
    # checksum is left out, since the edit would break it.)
    lines = DEMO_SIE.read_bytes().replace(b"#UB 0 2440 -1480069.00", b"#UB 0 2440 -1480000.00")
    short = tmp_path / "short.se"
    short.write_bytes(b"\n".join(x for x in lines.split(b"\n") if not x.startswith(b"#KSUMMA")))
    plan = plan_import(short, draft_2020, objects=["1:1510"])
    assert plan.reconciliation is not None
    assert [(r.account, r.difference) for r in plan.reconciliation.differences] == [
        ("2440", D("69.00"))
    ]
    assert [(d.code, d.figures.get("account")) for d in plan.warnings] == [
        ("reconciliation_difference", "2440")
    ]
    out = io.StringIO()
    call_command(
        "sie", "import", str(short), "--cooperation", "sodertorn", "--year", "2020",
        "--object", "1:1510", "--dry-run", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "reconciliation: 1 of" in text
    assert "2440" in text and "-1480069.00" in text and "69.00" in text


def test_the_import_takes_the_year_lock_itself_and_does_not_trust_a_stale_year(
    draft_2020: Year,
) -> None:
    # The year was decided after the caller fetched it: the lock, read inside the
    # import's transaction, still refuses.
    Year.objects.filter(pk=draft_2020.pk).update(status="decided")
    with pytest.raises(ImportRefused) as refused:
        import_sie(DEMO_SIE, draft_2020, objects=["1:1510"])
    assert codes(refused.value) == {"year_locked"}
    assert not ImportBatch.objects.exists()


def test_an_events_co_financing_set_in_the_app_stays_in_the_accounts_when_the_import_books_its_costs(
    draft_2020: Year,
) -> None:
    from samverkan.finance.models import CostCategory
    from samverkan.governance.services import save_event
    from samverkan.members.models import Member

    members = Member.objects.filter(cooperation=draft_2020.cooperation, code__in=["0127", "0136"])
    event = save_event(
        draft_2020,
        actor="tests",
        values={"name": "Bostadskonferensen", "kind": "conference"},
        co_financing={m: D("15000") for m in members},
    )
    assert event.fund is not None
    AccountMapping.objects.create(
        cooperation=draft_2020.cooperation,
        account="7110",
        category=CostCategory.objects.get(
            cooperation=draft_2020.cooperation, slug="representation"
        ),
        fund=event.fund,
    )
    import_sie(DEMO_SIE, draft_2020, objects=["1:1510"], actor="tests")
    fund = year_accounts(draft_2020).balances[event.fund.slug]
    assert (fund.income, fund.costs) == (D("30000"), D("31637"))
    [finding] = [f for f in check_year(draft_2020) if f.check == "event_co_financing"]
    assert (finding.expected, finding.found) == (D("31637"), D("30000"))
