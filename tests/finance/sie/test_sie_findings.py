"""The findings of issue 15: real exports read, real defects named at their line.

Each rule has a short inline file. The head below is a clean type 4 file that declares the
accounts the bodies use, so that any finding comes from the lines under test.
"""

from __future__ import annotations

import re
import textwrap
from decimal import Decimal
from pathlib import Path

from samverkan.finance.sie import LENIENT_INSPECT, STRICT_IMPORT, Diagnostic, SieFile, read_sie

HEAD = """\
#FLAGGA 0
#PROGRAM "Test" 1.0
#FORMAT PC8
#GEN 20250101
#SIETYP 4
#ORGNR 556000-1234
#ADRESS "Anna" "Gatan 1" "123 45 Ort" "08-1"
#FNAMN "Testbolaget AB"
#RAR 0 20240101 20241231
#KPTYP BAS2024
#KONTO 1930 "Bank"
#KONTO 3010 "Försäljning"
"""


def read(body: str, *, head: str = HEAD, strict: bool = True) -> SieFile:
    data = (head + textwrap.dedent(body)).encode("cp437")
    return read_sie(data, options=STRICT_IMPORT if strict else LENIENT_INSPECT)


def found(result: SieFile, code: str) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.code == code]


def codes(result: SieFile) -> set[str]:
    return {d.code for d in result.diagnostics if d.code != "encoding_cp437"}


def test_the_clean_head_gives_no_finding() -> None:
    result = read("#IB 0 1930 100\n#UB 0 1930 100\n")
    assert codes(result) == set()


# -- period balances without an object list ---------------------------------------------


def test_period_balances_without_an_object_list_are_read_with_one_warning() -> None:
    result = read(
        """\
        #PBUDGET 0 202401 3010 -100.00
        #PSALDO 0 202401 3010 -90.00 3
        #PSALDO 0 202402 3010 {} -80.00
        """
    )
    assert result.ok
    assert [(b.kind, b.period, b.amount, b.quantity, b.objects) for b in result.balances] == [
        ("PBUDGET", "202401", Decimal("-100.00"), None, ()),
        ("PSALDO", "202401", Decimal("-90.00"), Decimal(3), ()),
        ("PSALDO", "202402", Decimal("-80.00"), None, ()),
    ]
    [finding] = found(result, "period_balance_without_objects")
    assert finding.severity == "warning"
    assert finding.line == 13
    assert finding.figures["count"] == 2
    assert finding.figures["first_line"] == 13


def test_period_balances_of_a_type_2_file_need_no_object_list() -> None:
    result = read(
        "#PSALDO 0 202401 3010 -90.00\n",
        head=HEAD.replace("#SIETYP 4", "#SIETYP 2\n#OMFATTN 20241231"),
    )
    assert result.ok
    assert len(result.balances) == 1
    assert found(result, "period_balance_without_objects") == []


def test_an_object_balance_without_its_object_list_is_still_an_error() -> None:
    result = read("#OIB 0 1930 100\n")
    assert [d.line for d in found(result, "missing_object_list")] == [13]
    assert not result.ok


# -- account numbers -------------------------------------------------------------------


def test_a_non_numeric_account_number_is_an_error_at_its_line() -> None:
    result = read('#KONTO 11AF "Kassa"\n#SRU 11AF 7201\n')
    [finding] = found(result, "account_not_numeric")
    assert (finding.severity, finding.line) == ("error", 13)
    assert finding.figures == {"account": "11AF", "record": "#KONTO"}
    assert not result.ok


def test_a_non_numeric_account_first_seen_in_a_row_is_named_at_that_row() -> None:
    result = read(
        """\
        #VER A 1 20240105
        {
        #TRANS 1930 {} 10.00
        #TRANS FEL {} -10.00
        }
        """
    )
    assert [(d.line, d.figures["record"]) for d in found(result, "account_not_numeric")] == [
        (16, "#TRANS")
    ]


def test_an_account_number_longer_than_six_digits_is_an_error() -> None:
    result = read('#KONTO 11100111 "Långt"\n')
    [finding] = found(result, "account_too_long")
    assert (finding.severity, finding.line, finding.figures["digits"]) == ("error", 13, 8)


def test_an_account_number_shorter_than_four_digits_is_a_warning() -> None:
    result = read('#KONTO 193 "Kort"\n')
    [finding] = found(result, "account_too_short")
    assert (finding.severity, finding.line, finding.figures["digits"]) == ("warning", 13, 3)
    assert result.ok


def test_accounts_used_but_never_declared_are_named_with_their_first_line() -> None:
    result = read(
        """\
        #IB 0 1510 5
        #UB 0 1510 5
        #RES 0 4010 7
        #VER A 1 20240105
        {
        #TRANS 1930 {} 10.00
        #TRANS 2440 {} -10.00
        #TRANS 2440 {} 0
        }
        """
    )
    findings = found(result, "undeclared_account")
    assert [(d.figures["account"], d.figures["record"], d.line) for d in findings] == [
        ("1510", "#IB", 13),
        ("4010", "#RES", 15),
        ("2440", "#TRANS", 19),
    ]
    assert {d.severity for d in findings} == {"warning"}


def test_a_type_4i_file_without_any_chart_needs_no_account_declarations() -> None:
    head = HEAD.replace('#KONTO 1930 "Bank"\n#KONTO 3010 "Försäljning"\n', "")
    result = read('#VER "" "" 20240105\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n}\n', head=head)
    assert found(result, "undeclared_account") == []


def test_an_sru_code_for_an_undeclared_account_is_a_warning_at_its_line() -> None:
    result = read("#SRU 1510 7251\n#SRU 1930 7281\n")
    [finding] = found(result, "sru_undeclared_account")
    assert (finding.severity, finding.line, finding.figures["account"]) == ("warning", 13, "1510")


# -- identification records ------------------------------------------------------------


def test_text_after_the_tax_year_is_a_warning_and_the_year_is_kept() -> None:
    result = read("#TAXAR 2018 ÅRL\n")
    assert result.header.tax_year == 2018
    [finding] = found(result, "extra_fields")
    assert (finding.severity, finding.line) == ("warning", 13)
    assert finding.figures == {"record": "#TAXAR", "expected": 1, "found": 2}


def test_an_unquoted_company_name_of_several_words_is_read_whole_with_a_warning() -> None:
    result = read("", head=HEAD.replace('#FNAMN "Testbolaget AB"', "#FNAMN Testbolaget  i Ort AB"))
    assert result.header.company_name == "Testbolaget i Ort AB"
    [finding] = found(result, "unquoted_text")
    assert (finding.line, finding.figures["record"], finding.figures["words"]) == (8, "#FNAMN", 4)


def test_an_empty_company_name_is_a_warning() -> None:
    result = read("", head=HEAD.replace('#FNAMN "Testbolaget AB"', '#FNAMN ""'))
    assert [(d.severity, d.line) for d in found(result, "empty_company_name")] == [("warning", 8)]


def test_fiscal_years_that_overlap_are_a_warning_at_the_later_record() -> None:
    # The classic leap-day slip: the year before ends on 29 February of the wrong year.
    result = read(
        "#RAR -1 20230301 20240301\n", head=HEAD.replace("20240101 20241231", "20240301 20250228")
    )
    [finding] = found(result, "fiscal_years_overlap")
    assert (finding.severity, finding.line) == ("warning", 13)
    assert finding.figures["days"] == -1


def test_a_gap_between_fiscal_years_is_a_warning() -> None:
    result = read("#RAR -1 20230101 20231230\n")
    [finding] = found(result, "fiscal_years_gap")
    assert finding.figures["days"] == 1
    assert found(read("#RAR -1 20230101 20231231\n"), "fiscal_years_gap") == []


# -- vouchers --------------------------------------------------------------------------


def test_a_ver_without_its_series_is_read_by_its_field_count_and_reported_once() -> None:
    result = read(
        """\
        #VER  1 20170101 "Hyra"
        {
        #TRANS 1930 {} -10.00
        #TRANS 3010 {} 10.00
        }
        #VER  2 20170102
        {
        #TRANS 1930 {} -5.00
        #TRANS 3010 {} 5.00
        }
        """
    )
    assert [(v.series, v.number, str(v.date), v.text) for v in result.vouchers] == [
        ("", "1", "2017-01-01", "Hyra"),
        ("", "2", "2017-01-02", ""),
    ]
    assert found(result, "bad_date") == []
    [finding] = found(result, "ver_without_series")
    assert (finding.line, finding.figures["count"]) == (13, 2)
    assert result.ok


# -- notes -----------------------------------------------------------------------------


def test_an_org_number_without_its_hyphen_is_an_info_note() -> None:
    result = read("", head=HEAD.replace("556000-1234", "5560001234"))
    [finding] = found(result, "org_number_form")
    assert (finding.severity, finding.line, finding.figures["org_number"]) == (
        "info",
        6,
        "5560001234",
    )


def test_a_missing_program_version_is_an_info_note() -> None:
    result = read("", head=HEAD.replace('"Test" 1.0', '"Test"'))
    assert [(d.severity, d.line) for d in found(result, "missing_program_version")] == [("info", 2)]


def test_an_unknown_chart_type_is_an_info_note() -> None:
    result = read("", head=HEAD.replace("BAS2024", "EGEN"))
    assert [(d.severity, d.figures["kptyp"]) for d in found(result, "unknown_kptyp")] == [
        ("info", "EGEN")
    ]
    for known in ("BAS95", "BAS96", "EUBAS97", "NE2007", "BAS2014", "KOMMUN-BAS"):
        assert found(read("", head=HEAD.replace("BAS2024", known)), "unknown_kptyp") == []


def test_voucher_numbers_in_a_type_4i_file_are_one_info_note() -> None:
    body = "#VER A 1 20240105\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n}\n"
    [finding] = found(read(body + body.replace("A 1", "A 2")), "voucher_number_in_4i")
    assert (finding.severity, finding.line, finding.figures["count"]) == ("info", 13, 2)
    # With balances the file is a 4E export, where vouchers carry their numbers.
    assert found(read("#UB 0 1930 0\n" + body), "voucher_number_in_4i") == []


def test_a_series_of_several_characters_is_one_info_note() -> None:
    body = "#VER AB 1 20240105\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n}\n"
    [finding] = found(read("#UB 0 1930 0\n" + body), "long_series")
    assert (finding.severity, finding.line, finding.figures["series"]) == ("info", 14, "AB")


def test_missing_address_parts_are_an_info_note_naming_them() -> None:
    result = read("", head=HEAD.replace('"Anna" "Gatan 1"', '"" "Gatan 1"').replace('"08-1"', ""))
    [finding] = found(result, "address_incomplete")
    assert (finding.severity, finding.line, finding.figures["missing"]) == (
        "info",
        7,
        "contact, telephone",
    )


def test_warnings_and_notes_never_make_a_file_fail_to_import() -> None:
    result = read(
        "#TAXAR 2018 ÅRL\n#PSALDO 0 202401 3010 -1\n#KONTO 193 Kort\n",
        head=HEAD.replace("556000-1234", "5560001234"),
    )
    assert {d.severity for d in result.diagnostics} == {"warning", "info"}
    assert result.ok


# -- documentation ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
_CODE_PATTERNS = (
    re.compile(r'(?:self|state)\.diag\(\s*[^,]+,\s*[^,]+,\s*"([a-z0-9_]+)"'),
    re.compile(r'code="([a-z0-9_]+)"'),
    re.compile(r'^    "([a-z0-9_]+)": \(\s*$', re.MULTILINE),  # the tallied findings
    re.compile(r'_error\(\s*"([a-z0-9_]+)"'),
)


def test_every_finding_code_has_a_row_in_the_table_of_docs_sie_md() -> None:
    sources = [
        *(ROOT / "samverkan/finance/sie").glob("*.py"),
        ROOT / "samverkan/finance/sie_import.py",
    ]
    emitted = {
        code
        for path in sources
        for pattern in _CODE_PATTERNS
        for code in pattern.findall(path.read_text(encoding="utf-8"))
    }
    documented = set(
        re.findall(r"^\| `([a-z0-9_]+)` \|", (ROOT / "docs/sie.md").read_text(), re.MULTILINE)
    )
    assert len(emitted) > 60
    assert emitted - documented == set()
