"""The inspect report: built from a file or a stream, rendered as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from samverkan.finance.sie import (
    LENIENT_INSPECT,
    format_inspect_report,
    inspect_path,
    inspect_report,
    iter_sie,
    read_sie,
    to_json,
)

FILE = """\
#FLAGGA 0
#PROGRAM "Test" 1.0
#FORMAT PC8
#GEN 20250101
#SIETYP 4
#FNAMN "Övningsbolaget AB"
#ORGNR 556000-1234
#RAR 0 20240101 20241231
#KONTO 1930 Bank
#KONTO 3010 Försäljning
#DIM 1 Kostnadsställe
#OBJEKT 1 Nord Norr
#OBJEKT 1 Syd Söder
#UB 0 1930 200.00
#RES 0 3010 -160.00
#VER A 1 20240105
{
#TRANS 1930 {} 100.00
#TRANS 3010 {1 Nord} -100.00
}
#VER B 1 20240106
{
#TRANS 1930 {} 100.00
#TRANS 3010 {} -50.00
}
"""


def write(tmp_path: Path, text: str = FILE) -> Path:
    path = tmp_path / "test.se"
    path.write_bytes(text.encode("cp437"))
    return path


def test_the_report_counts_what_the_file_holds(tmp_path: Path) -> None:
    report = inspect_report(read_sie(write(tmp_path), options=LENIENT_INSPECT))
    assert (report.header.program, report.header.company_name) == ("Test", "Övningsbolaget AB")
    assert (report.accounts, report.voucher_count, report.transaction_count) == (2, 2, 4)
    assert [(d.number, d.name, d.objects) for d in report.dimensions] == [
        ("1", "Kostnadsställe", 2)
    ]
    assert [(s.series, s.vouchers) for s in report.series] == [("A", 1), ("B", 1)]
    assert dict(report.balance_counts) == {"UB": 1, "RES": 1}
    assert report.encoding == "cp437"


def test_the_stream_and_the_whole_file_give_the_same_report(tmp_path: Path) -> None:
    path = write(tmp_path)
    whole = inspect_report(read_sie(path, options=LENIENT_INSPECT))
    streamed = inspect_report(iter_sie(path, options=LENIENT_INSPECT))
    assert streamed == whole


def test_the_text_report_shows_findings_and_reconciliation(tmp_path: Path) -> None:
    text, code = inspect_path(str(write(tmp_path)))
    assert code == 0  # the unbalanced voucher is a warning when inspecting
    assert "Program:            Test 1.0" in text
    assert "Company:            Övningsbolaget AB" in text
    assert "Vouchers:           2 (4 rows)" in text
    assert "unbalanced_voucher (line 21)" in text
    assert "Voucher B 1 (line 21) does not balance" in text
    assert "Reconciliation (opening + vouchers = closing): 1 of 2 accounts differ" in text
    assert "Result: no errors" in text


def test_errors_give_exit_code_one(tmp_path: Path) -> None:
    text, code = inspect_path(str(write(tmp_path, FILE + "#TRANS 1930 {} 5\n")))
    assert code == 1
    assert "ERROR   trans_outside_voucher (line 26)" in text
    assert "Result: 1 errors" in text


def test_a_missing_file_gives_exit_code_one(tmp_path: Path) -> None:
    text, code = inspect_path(str(tmp_path / "nope.se"))
    assert code == 1 and "io_error" in text


def test_the_json_report_is_plain_data(tmp_path: Path) -> None:
    text, code = inspect_path(str(write(tmp_path)), as_json=True)
    data = json.loads(text)
    assert data["voucher_count"] == 2 and data["exit_code"] == code == 0
    assert data["header"]["generated_on"] == "2025-01-01"
    sums = {s["account"]: s for s in data["account_sums"]}
    assert sums["1930"]["debit"] == "200.00"
    streamed = inspect_report(iter_sie(write(tmp_path), options=LENIENT_INSPECT))
    assert data == json.loads(to_json(streamed))


def test_the_text_report_of_an_empty_file_does_not_fail() -> None:
    report = inspect_report(read_sie(b""))
    text = format_inspect_report(report)
    assert "no_records" in text and report.exit_code == 1
