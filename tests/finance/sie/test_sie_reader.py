"""The reader's rules, one short inline file each."""

from __future__ import annotations

import io
import textwrap
import time
import zlib
from datetime import date
from decimal import Decimal

from samverkan.finance.sie import (
    LENIENT_INSPECT,
    STRICT_IMPORT,
    Account,
    Balance,
    Diagnostic,
    Header,
    ReadOptions,
    SieFile,
    Summary,
    Voucher,
    iter_sie,
    read_sie,
)

HEAD = """\
#FLAGGA 0
#PROGRAM "Test" 1.0
#FORMAT PC8
#GEN 20250101
#SIETYP 4
#FNAMN "Testbolaget AB"
#RAR 0 20240101 20241231
"""


def sie(body: str, *, head: str = HEAD, encoding: str = "cp437") -> bytes:
    """A small SIE file: the standard head plus ``body`` (dedented)."""
    return (head + textwrap.dedent(body)).encode(encoding)


def read(body: str, options: ReadOptions = STRICT_IMPORT, **kw: str) -> SieFile:
    return read_sie(sie(body, **kw), options=options)


def found(result: SieFile, code: str) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.code == code]


def only_voucher(result: SieFile) -> Voucher:
    assert len(result.vouchers) == 1
    return result.vouchers[0]


# -- lines and separators ---------------------------------------------------------------


def test_crlf_and_lf_line_ends_read_the_same() -> None:
    body = """\
    #VER A 1 20240105 "Hyra"
    {
    #TRANS 1930 {} -100.00
    #TRANS 5010 {} 100.00
    }
    """
    lf = sie(body)
    assert read_sie(lf.replace(b"\n", b"\r\n")) == read_sie(lf)
    assert read_sie(lf).ok


def test_tabs_and_runs_of_spaces_separate_fields() -> None:
    result = read(
        '#VER\tA  1 \t20240105\t\t"Hyra"\n{\t\n\t#TRANS\t1930\t{}\t-5\n  #TRANS 5010  {}   5  \n}\t\n'
    )
    voucher = only_voucher(result)
    assert (voucher.series, voucher.number, voucher.text) == ("A", "1", "Hyra")
    assert [t.amount for t in voucher.transactions] == [Decimal("-5"), Decimal("5")]
    assert result.ok


def test_blank_lines_and_lines_of_spaces_are_ignored() -> None:
    result = read("\n   \n#KONTO 1930 Bank\n\n\t\n")
    assert result.accounts == (Account(number="1930", name="Bank"),)
    assert result.ok


# -- quoting -------------------------------------------------------------------------


def test_quoted_fields_may_hold_spaces_and_escaped_quotes() -> None:
    result = read('#KONTO 1930 "Bank \\"Nord\\" konto"\n')
    assert result.accounts[0].name == 'Bank "Nord" konto'


def test_a_backslash_not_before_a_quote_is_literal() -> None:
    result = read('#KONTO 1930 "C:\\\\dir\\namn"\n')
    assert result.accounts[0].name == "C:\\\\dir\\namn"


def test_an_unterminated_quote_is_closed_at_the_end_of_the_line_with_a_warning() -> None:
    result = read(
        """\
        #VER A 1 20240105 "Hyra
        {
        #TRANS 1930 {} -5 20240105 "cut at a fixed wid
        #TRANS 5010 {} 5
        }
        """
    )
    voucher = only_voucher(result)
    assert voucher.text == "Hyra"
    assert voucher.transactions[0].text == "cut at a fixed wid"
    assert [d.line for d in found(result, "unterminated_quote")] == [8, 10]
    assert all(d.severity == "warning" for d in found(result, "unterminated_quote"))
    assert result.ok


def test_empty_quoted_fields_mean_missing_optional_values() -> None:
    result = read(
        """\
        #VER "" "" 20240105 "" "" ""
        {
        #TRANS 1930 {} -5 "" "" "" ""
        #TRANS 5010 {} 5 "" "Text"
        }
        """
    )
    voucher = only_voucher(result)
    assert (voucher.series, voucher.number, voucher.reg_date) == ("", "", None)
    first, second = voucher.transactions
    assert (first.date, first.text, first.quantity) == (None, "", None)
    assert (second.date, second.text) == (None, "Text")
    assert result.ok


def test_extra_unknown_trailing_fields_are_accepted() -> None:
    result = read("#TAXAR 2012 ÅRL\n#KONTO 1930 Bank extra fält\n")
    assert result.header.tax_year == 2012
    assert result.accounts[0].name == "Bank"
    assert result.ok


# -- object lists ----------------------------------------------------------------------


def test_object_lists_accept_quotes_tabs_padding_and_empty_forms() -> None:
    result = read(
        """\
        #VER A 1 20240105
        {
        #TRANS 3010 {1 "Nord" 6 0001} -10
        #TRANS 3010 { "1"\t"2014-IK"  } -20
        #TRANS 3010 {1 +00000} -30
        #TRANS 1930 { } 30
        #TRANS 1930 {} 30
        }
        """
    )
    objects = [t.objects for t in only_voucher(result).transactions]
    assert objects == [
        (("1", "Nord"), ("6", "0001")),
        (("1", "2014-IK"),),
        (("1", "+00000"),),
        (),
        (),
    ]
    assert result.ok


def test_an_object_id_with_a_space_is_kept_whole_when_quoted() -> None:
    result = read('#OIB 0 1930 {1 "Nord Väst"} 100\n')
    assert result.balances[0].objects == (("1", "Nord Väst"),)


def test_an_odd_object_list_drops_its_last_element_with_a_warning() -> None:
    result = read('#VER A 1 20240105\n{\n#TRANS 1930 {1 "Nord" 6} 5\n#TRANS 2440 {} -5\n}\n')
    assert only_voucher(result).transactions[0].objects == (("1", "Nord"),)
    assert [d.line for d in found(result, "odd_object_list")] == [10]


def test_object_list_elements_are_separated_as_the_tokenizer_separates_them() -> None:
    # A quote after the first character of a bare element is part of it; quoted elements
    # side by side are separate elements. The rows' shapes take each fast path in turn.
    result = read(
        """\
        #VER A 1 20240105 "Hyra"
        {
        #TRANS 3010 {1 -"1"} -10 20240105 "a"
        #TRANS 3010 {"1""2" "3""4"} -20 20240105 "b"
        #TRANS 3010 {1\t-"1"} -30
        #TRANS 1930 {} 60 20240105 "c"
        }
        """
    )
    objects = [t.objects for t in only_voucher(result).transactions]
    assert objects == [(("1", '-"1"'),), (("1", "2"), ("3", "4")), (("1", '-"1"'),), ()]
    assert result.ok


# -- labels and records ----------------------------------------------------------------


def test_an_unknown_label_is_ignored_with_one_info_finding() -> None:
    result = read("#NYPOST 1 2 3\n#NYPOST 4\n#KONTO 1930 Bank\n")
    findings = found(result, "unknown_label")
    assert [(d.severity, d.line) for d in findings] == [("info", 8)]
    assert "#NYPOST" in findings[0].message
    assert len(result.accounts) == 1
    assert result.ok


def test_account_and_object_ids_stay_strings() -> None:
    result = read("#KONTO 0351 Kassa\n#OBJEKT 1 0001 Nord\n#KTYP 0351 T\n")
    assert result.accounts == (Account(number="0351", name="Kassa", type="T"),)
    assert result.objects[0].id == "0001"


def test_header_records_fill_the_header() -> None:
    result = read(
        """\
        #ORGNR 556000-1234
        #ADRESS "Anna" "Gatan 1" "123 45 Ort" "08-1"
        #RAR -1 20230101 20231231
        #OMFATTN 20241231
        #KPTYP BAS2014
        #VALUTA SEK
        """
    )
    h = result.header
    assert (h.program, h.program_version, h.sie_type, h.company_name) == (
        "Test",
        "1.0",
        4,
        "Testbolaget AB",
    )
    assert h.org_number == "556000-1234"
    assert h.address == ("Anna", "Gatan 1", "123 45 Ort", "08-1")
    assert [(y.index, y.start) for y in h.fiscal_years] == [
        (0, date(2024, 1, 1)),
        (-1, date(2023, 1, 1)),
    ]
    assert (h.omfattn, h.kptyp, h.effective_currency) == (date(2024, 12, 31), "BAS2014", "SEK")


def test_balances_are_typed_with_period_and_objects() -> None:
    result = read(
        """\
        #IB 0 1930 1000.50
        #UB -1 1930 1000.5 3
        #RES 0 3010 -5
        #OUB 0 1930 {1 "Nord"} 7
        #PSALDO 0 202401 3010 {} -12.5
        """
    )
    assert result.balances == (
        Balance(kind="IB", year_index=0, account="1930", amount=Decimal("1000.50")),
        Balance(
            kind="UB", year_index=-1, account="1930", amount=Decimal("1000.5"), quantity=Decimal(3)
        ),
        Balance(kind="RES", year_index=0, account="3010", amount=Decimal("-5")),
        Balance(
            kind="OUB", year_index=0, account="1930", objects=(("1", "Nord"),), amount=Decimal(7)
        ),
        Balance(
            kind="PSALDO", year_index=0, period="202401", account="3010", amount=Decimal("-12.5")
        ),
    )


# -- amounts and dates ------------------------------------------------------------------


def test_a_non_numeric_amount_is_an_error_naming_the_line() -> None:
    result = read(
        """\
        #IB 0 1930 12,50
        #VER A 1 20240105
        {
        #TRANS 1930 {} 1e5
        #TRANS 2440 {} -5
        }
        """
    )
    errors = found(result, "bad_amount")
    assert [(d.severity, d.line) for d in errors] == [("error", 8), ("error", 11)]
    assert "'12,50'" in errors[0].message and "Line 8" in errors[0].message
    assert result.balances == ()
    assert [d.code for d in result.errors] == ["bad_amount", "bad_amount", "unreadable_rows"]


def test_amounts_keep_their_decimals_exactly() -> None:
    result = read("#IB 0 1930 201278.6\n#IB 0 1931 5\n#IB 0 1932 -3142.10\n")
    assert [b.amount for b in result.balances] == [
        Decimal("201278.6"),
        Decimal("5"),
        Decimal("-3142.10"),
    ]
    assert all(isinstance(b.amount, Decimal) for b in result.balances)


def test_an_impossible_date_is_an_error_naming_the_line() -> None:
    result = read(
        """\
        #VER A 1 20240230 "Februari"
        {
        #TRANS 1930 {} 5 20241301
        #TRANS 2440 {} -5
        }
        """
    )
    errors = found(result, "bad_date")
    assert [(d.severity, d.line) for d in errors] == [("error", 8), ("error", 10)]
    assert "'20240230'" in errors[0].message
    voucher = only_voucher(result)
    assert voucher.date is None and voucher.transactions[0].date is None


def test_a_transaction_date_may_be_omitted_and_the_voucher_date_applies() -> None:
    result = read("#VER A 1 20240105\n{\n#TRANS 1930 {} 5\n#TRANS 2440 {} -5 20240107\n}\n")
    voucher = only_voucher(result)
    assert [t.date for t in voucher.transactions] == [None, date(2024, 1, 7)]
    assert voucher.date == date(2024, 1, 5)


# -- vouchers ---------------------------------------------------------------------------


def test_an_unbalanced_voucher_is_an_error_with_its_line_and_difference() -> None:
    result = read(
        """\
        #VER B 7 20240105
        {
        #TRANS 1930 {} 12.00
        #TRANS 3010 {} -10.00
        }
        """
    )
    (finding,) = found(result, "unbalanced_voucher")
    assert (finding.severity, finding.line) == ("error", 8)
    assert "B 7" in finding.message and "2.00" in finding.message
    assert finding.figures == {"series": "B", "number": "7", "total": Decimal("2.00")}


def test_an_unbalanced_voucher_is_a_warning_when_allowed() -> None:
    body = "#VER B 7 20240105\n{\n#TRANS 1930 {} 12\n#TRANS 3010 {} -10\n}\n"
    for options in (LENIENT_INSPECT, ReadOptions(allow_unbalanced=True)):
        (finding,) = found(read(body, options), "unbalanced_voucher")
        assert finding.severity == "warning"


def test_a_balanced_voucher_sums_to_exactly_zero() -> None:
    result = read(
        "#VER A 1 20240105\n{\n#TRANS 1930 {} 0.1\n#TRANS 1931 {} 0.2\n#TRANS 2440 {} -0.3\n}\n"
    )
    assert only_voucher(result).total == 0
    assert result.ok


def test_trans_outside_a_voucher_is_an_error_and_ignored() -> None:
    result = read("#TRANS 1930 {} 5\n#KONTO 1930 Bank\n")
    (finding,) = found(result, "trans_outside_voucher")
    assert (finding.severity, finding.line) == ("error", 8)
    assert result.vouchers == ()


def test_a_missing_closing_brace_is_an_error_with_the_line_of_the_ver() -> None:
    result = read(
        """\
        #VER A 1 20240105
        {
        #TRANS 1930 {} 5
        #TRANS 2440 {} -5
        #VER A 2 20240106
        {
        #TRANS 1930 {} 7
        #TRANS 2440 {} -7
        }
        """
    )
    (finding,) = found(result, "missing_closing_brace")
    assert (finding.severity, finding.line) == ("error", 8)
    assert [len(v.transactions) for v in result.vouchers] == [2, 2]


def test_end_of_file_inside_a_voucher_block_is_an_error_with_the_line_of_the_ver() -> None:
    result = read("#VER A 1 20240105\n{\n#TRANS 1930 {} 5\n#TRANS 2440 {} -5\n")
    (finding,) = found(result, "missing_closing_brace")
    assert (finding.severity, finding.line) == ("error", 8)
    assert "file ends" in finding.message
    assert len(result.vouchers) == 1


def test_a_stray_brace_is_an_error() -> None:
    result = read("}\n{\n")
    assert [(d.code, d.line) for d in result.errors] == [
        ("unexpected_brace", 8),
        ("unexpected_brace", 9),
    ]


def test_rtrans_is_history_and_its_trans_twin_is_the_current_row() -> None:
    result = read(
        """\
        #VER A 1 20240105
        {
        #BTRANS 1930 {} -1000 20240201 "" "" "Anna"
        #RTRANS 1930 {} -900 20240201 "" "" "Anna"
        #TRANS 1930 {} -900 20240105
        #BTRANS 4010 {} 1000 20240201 "" "" "Anna"
        #TRANS 4010 {} 900
        }
        """
    )
    voucher = only_voucher(result)
    assert [(t.kind, t.amount) for t in voucher.history] == [
        ("BTRANS", Decimal(-1000)),
        ("RTRANS", Decimal(-900)),
        ("BTRANS", Decimal(1000)),
    ]
    assert [(t.kind, t.amount) for t in voucher.transactions] == [
        ("TRANS", Decimal(-900)),
        ("TRANS", Decimal(900)),
    ]
    assert voucher.history[0].sign == "Anna"
    assert result.ok and result.diagnostics == tuple(
        d for d in result.diagnostics if d.severity == "info"
    )


def test_rtrans_without_its_twin_counts_as_a_row_with_a_warning() -> None:
    result = read(
        """\
        #VER A 1 20240105
        {
        #RTRANS 1930 {} -900
        #TRANS 4010 {} 900
        }
        """
    )
    voucher = only_voucher(result)
    assert [(t.kind, t.account) for t in voucher.transactions] == [
        ("RTRANS", "1930"),
        ("TRANS", "4010"),
    ]
    assert [d.line for d in found(result, "rtrans_without_twin")] == [10]
    assert voucher.total == 0 and result.ok


def test_rtrans_and_btrans_are_dropped_when_ignored() -> None:
    body = "#VER A 1 20240105\n{\n#BTRANS 1930 {} -1\n#RTRANS 1930 {} -9\n#TRANS 1930 {} -9\n#TRANS 4010 {} 9\n}\n"
    voucher = only_voucher(read(body, ReadOptions(rtrans_mode="ignore")))
    assert voucher.history == ()
    assert [t.amount for t in voucher.transactions] == [Decimal(-9), Decimal(9)]


def test_voucher_fields_are_all_read() -> None:
    result = read(
        '#VER "11" "80001" 20240105 "Hyra jan" 20240110 "Anna"\n{\n#TRANS 1930 {} -5 20240105 "r" 2 "Bo"\n#TRANS 5010 {} 5\n}\n'
    )
    voucher = only_voucher(result)
    assert (voucher.series, voucher.number, voucher.text, voucher.reg_date, voucher.sign) == (
        "11",
        "80001",
        "Hyra jan",
        date(2024, 1, 10),
        "Anna",
    )
    row = voucher.transactions[0]
    assert (row.text, row.quantity, row.sign, row.line) == ("r", Decimal(2), "Bo", 10)
    assert voucher.line == 8 and voucher.index_in_file == 0


# -- checksum ---------------------------------------------------------------------------


def checksummed(records: list[str]) -> bytes:
    """A file whose #KSUMMA is computed here by the spec's rule (independently)."""
    crc = 0
    for r in records:
        # Label and field contents. Only right because no value in these records holds a
        # space, a quote or a brace of its own.
        content = "".join(r.replace('"', "").replace("{", "").replace("}", "").split())
        crc = zlib.crc32(content.encode("cp437"), crc)
    lines = ["#FLAGGA 0", "#KSUMMA", *records, f"#KSUMMA {crc}"]
    return ("\n".join(lines) + "\n").encode("cp437")


RECORDS = [
    '#PROGRAM "Test" 1.0',
    "#FORMAT PC8",
    "#GEN 20250101",
    "#SIETYP 1",
    '#FNAMN "Övningsbolaget"',
    "#RAR 0 20240101 20241231",
    '#KONTO 1930 "Företagskonto"',
    "#UB 0 1930 100.00",
]


def test_a_correct_ksumma_verifies() -> None:
    result = read_sie(checksummed(RECORDS))
    assert result.summary is not None and result.summary.ksumma == "verified"
    assert result.ok


def test_a_ksumma_mismatch_is_an_error() -> None:
    data = checksummed(RECORDS).replace(b"100.00", b"100.01")
    result = read_sie(data)
    (finding,) = found(result, "ksumma_mismatch")
    assert finding.severity == "error" and finding.line == 11
    assert result.summary is not None and result.summary.ksumma == "mismatch"


def test_the_ksumma_ignores_block_lines_and_separators() -> None:
    records = [
        *RECORDS,
        '#VER A 1 20240105 "Hyra"',
        "#TRANS 1930 {} -5",
        "#TRANS 5010 {} 5",
    ]
    data = checksummed(records)
    data = data.replace(b'"Hyra"\n', b'"Hyra"\n{\n').replace(b"5010 {} 5\n", b"5010 {} 5\n}\n")
    data = data.replace(b"#TRANS 1930", b"\t#TRANS\t\t1930")
    assert read_sie(data).summary.ksumma == "verified"  # type: ignore[union-attr]


def test_an_opening_ksumma_without_a_closing_one_means_the_file_is_truncated() -> None:
    data = checksummed(RECORDS).rsplit(b"#KSUMMA ", 1)[0]
    result = read_sie(data)
    (finding,) = found(result, "truncated")
    assert finding.severity == "error"
    assert result.summary is not None and result.summary.ksumma == "truncated"


def test_a_missing_ksumma_is_an_error_only_when_required() -> None:
    assert found(read(""), "missing_ksumma") == []
    (finding,) = found(read("", ReadOptions(verify_ksumma="require")), "missing_ksumma")
    assert finding.severity == "error"


def test_an_ignored_ksumma_is_not_checked() -> None:
    data = checksummed(RECORDS).replace(b"100.00", b"100.01")
    result = read_sie(data, options=ReadOptions(verify_ksumma="ignore"))
    assert result.summary is not None and result.summary.ksumma == "not_checked"
    assert [d for d in result.diagnostics if d.severity != "info"] == []


def test_records_after_the_closing_ksumma_are_reported_once() -> None:
    data = checksummed(RECORDS) + b"#KONTO 2440 Skulder\n#KONTO 2641 Moms\n"
    (finding,) = found(read_sie(data), "after_ksumma")
    assert (finding.severity, finding.line) == ("warning", 12)


# -- encodings --------------------------------------------------------------------------


def test_cp437_is_the_default_and_named() -> None:
    result = read("#KONTO 1930 Företagskonto\n")
    assert result.accounts[0].name == "Företagskonto"
    assert [d.code for d in result.diagnostics if d.code.startswith("encoding")] == [
        "encoding_cp437"
    ]


def test_utf8_is_detected_and_reported() -> None:
    result = read("#KONTO 1930 Företagskonto\n", encoding="utf-8")
    assert result.accounts[0].name == "Företagskonto"
    assert [d.severity for d in found(result, "encoding_utf8")] == ["warning"]


def test_a_utf8_byte_order_mark_means_utf8() -> None:
    data = b"\xef\xbb\xbf" + sie("#KONTO 1930 Företagskonto\n", encoding="utf-8")
    result = read_sie(data)
    assert result.header.flag == 0
    assert result.accounts[0].name == "Företagskonto"
    assert "byte-order mark" in found(result, "encoding_utf8")[0].message


def test_a_byte_order_mark_before_an_object_list_is_a_finding_not_an_exception() -> None:
    result = read_sie(b"\xef\xbb\xbf{1 2}\n" + sie("", encoding="utf-8"))
    assert [d.line for d in found(result, "not_a_record")] == [1]
    assert result.header.flag == 0


def test_latin1_letters_without_cp437_ones_mean_windows_1252() -> None:
    result = read("#KONTO 1930 Företagskonto\n", encoding="cp1252")
    assert result.accounts[0].name == "Företagskonto"
    assert [d.severity for d in found(result, "encoding_cp1252")] == ["warning"]


def test_stray_latin1_letters_in_a_cp437_file_are_reported_per_line() -> None:
    data = sie("#KONTO 1930 Företagskonto\n") + "#OBJEKT 1 Å1 Öst\n".encode("latin-1")
    result = read_sie(data)
    assert [d.line for d in found(result, "encoding_latin1")] == [9]
    assert result.objects[0].id == "┼1"


def test_a_forced_encoding_is_used_and_named() -> None:
    data = sie("#KONTO 1930 Företagskonto\n", encoding="utf-8")
    result = read_sie(data, options=ReadOptions(encoding="cp437"))
    assert result.accounts[0].name == "F├╢retagskonto"
    assert [d.severity for d in found(result, "encoding_cp437")] == ["info"]


# -- options and general behaviour ------------------------------------------------------


def test_missing_omfattn_depends_on_the_options() -> None:
    head = HEAD.replace("#SIETYP 4", "#SIETYP 2")
    body = "#PSALDO 0 202401 3010 {} -5\n"
    (strict,) = found(read(body, head=head), "missing_omfattn")
    (lenient,) = found(read(body, LENIENT_INSPECT, head=head), "missing_omfattn")
    assert (strict.severity, lenient.severity) == ("error", "warning")
    assert found(read(body + "#OMFATTN 20240131\n", head=head), "missing_omfattn") == []


def test_streaming_yields_header_chart_vouchers_and_a_summary_in_order() -> None:
    data = sie(
        """\
        #KONTO 1930 Bank
        #KONTO 2440 Skulder
        #VER A 1 20240105
        {
        #TRANS 1930 {} -5
        #TRANS 2440 {} 5
        }
        #UB 0 1930 -5
        """
    )
    kinds = [type(e).__name__ for e in iter_sie(io.BytesIO(data))]
    assert kinds == [
        "Diagnostic",
        "Header",
        "Account",
        "Account",
        "Voucher",
        "Balance",
        "Summary",
    ]


def test_a_late_header_record_updates_the_header_in_the_stream() -> None:
    entries = list(iter_sie(sie("#KONTO 1930 Bank\n#VALUTA EUR\n")))
    headers = [e for e in entries if isinstance(e, Header)]
    assert [h.currency for h in headers] == ["", "EUR"]
    assert read_sie(sie("#KONTO 1930 Bank\n#VALUTA EUR\n")).header.currency == "EUR"


def test_reading_a_path_and_a_file_object_gives_the_same_result(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = sie("#KONTO 1930 Bank\n")
    path = tmp_path / "a.se"
    path.write_bytes(data)
    assert read_sie(path) == read_sie(str(path)) == read_sie(io.BytesIO(data)) == read_sie(data)


def test_a_missing_file_is_an_io_error_not_an_exception(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = read_sie(tmp_path / "nope.se")
    assert [d.code for d in result.errors] == ["io_error"]


def test_empty_input_is_an_error() -> None:
    result = read_sie(b"")
    assert [d.code for d in result.errors] == ["no_records"]
    assert isinstance(result.summary, Summary)


def test_repeated_findings_are_capped_and_counted() -> None:
    body = "garbage\n" * 30
    result = read_sie(sie(body), options=ReadOptions(max_repeats=5))
    assert len(found(result, "not_a_record")) == 5
    (summary,) = found(result, "suppressed_diagnostics")
    assert "25 further 'not_a_record'" in summary.message
    assert summary.severity == "warning"


def test_pathological_long_lines_are_read_in_linear_time() -> None:
    # Nested quantifiers in the row expressions once backtracked exponentially on lines
    # like these (a 30-character one took minutes); now each takes milliseconds.
    n = 20_000
    lines = [
        "#TRANS 1930 {" + "a" * n + " 100.00",
        "#TRANS 1930 {" + 'a "b" ' * n + " 100.00",
        '#TRANS 1930 {} 100.00 20240101 "' + "a b\\" * n,
        '#TRANS 1930 {} 100.00 20240101 "' + '\\"' * n,
        '#VER A 1 20240101 "' + "a\\ " * n,
        "#TRANS 1930 {" + '1 "a' * n,
    ]
    body = "#VER A 1 20240105\n{\n" + "\n".join(lines) + "\n}\n"
    started = time.perf_counter()
    result = read(body, LENIENT_INSPECT)
    assert time.perf_counter() - started < 5
    assert result.vouchers
