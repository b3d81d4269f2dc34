"""The SIE 4E writer: what it writes, and that our reader reads it back to equal data."""

from __future__ import annotations

import io
import zlib
from datetime import date
from decimal import Decimal

import pytest

from samverkan.finance.sie import (
    Account,
    Balance,
    Dimension,
    FiscalYear,
    Header,
    Object,
    SieWriter,
    Transaction,
    Voucher,
    read_sie,
    write_sie4e,
)

HEADER = Header(
    flag=0,
    program="Samverkan",
    program_version="0.1",
    format="PC8",
    generated_on=date(2025, 2, 1),
    generated_by="Anna",
    sie_type=4,
    company_name='Förbundet "Väst"',
    org_number="222000-1234",
    address=("Anna Andersson", "Storgatan 1", "123 45 Åby", "010-1"),
    fiscal_years=(
        FiscalYear(index=0, start=date(2024, 1, 1), end=date(2024, 12, 31)),
        FiscalYear(index=-1, start=date(2023, 1, 1), end=date(2023, 12, 31)),
    ),
    omfattn=date(2024, 12, 31),
    kptyp="BAS2024",
    currency="SEK",
)
ACCOUNTS = (
    Account(number="1930", name="Företagskonto", type="T", sru=("7281",)),
    Account(number="3010", name="Försäljning", type="I"),
    Account(number="5010", name="Lokalhyra", type="K", unit="st"),
)
DIMENSIONS = (
    Dimension(number="1", name="Kostnadsställe"),
    Dimension(number="6", name="Projekt"),
    Dimension(number="61", name="Delprojekt", parent="6"),
)
OBJECTS = (
    Object(dimension="1", id="0001", name="Nord"),
    Object(dimension="6", id="P 1", name="Projekt ett"),
)
BALANCES = (
    Balance(kind="IB", year_index=0, account="1930", amount=Decimal("1000.00")),
    Balance(kind="UB", year_index=0, account="1930", amount=Decimal("900.00")),
    Balance(kind="RES", year_index=0, account="5010", amount=Decimal("100.00")),
    Balance(kind="OUB", year_index=0, account="1930", objects=(("1", "0001"),), amount=Decimal(5)),
    Balance(
        kind="PSALDO",
        year_index=0,
        period="202401",
        account="5010",
        objects=(),
        amount=Decimal("100.00"),
        quantity=Decimal("2.5"),
    ),
)
VOUCHERS = (
    Voucher(
        series="A",
        number="1",
        date=date(2024, 1, 5),
        text='Hyra "januari" å ä ö',
        reg_date=date(2024, 1, 6),
        sign="Anna",
        transactions=(
            Transaction(
                account="5010",
                amount=Decimal("100.00"),
                objects=(("1", "0001"), ("6", "P 1")),
                text="Hyra",
            ),
            Transaction(
                account="1930",
                amount=Decimal("-100.00"),
                date=date(2024, 1, 5),
                quantity=Decimal(1),
                sign="Bo",
            ),
        ),
    ),
    Voucher(
        series="",
        number="",
        date=date(2024, 1, 7),
        transactions=(
            Transaction(account="1930", amount=Decimal("0.50")),
            Transaction(account="3010", amount=Decimal("-0.50"), text="C:\\dir\\fil"),
        ),
    ),
)


def write(**overrides: object) -> bytes:
    values: dict[str, object] = {
        "header": HEADER,
        "accounts": ACCOUNTS,
        "dimensions": DIMENSIONS,
        "objects": OBJECTS,
        "balances": BALANCES,
        "vouchers": VOUCHERS,
    }
    values.update(overrides)
    return write_sie4e(**values)  # type: ignore[arg-type]


def test_a_written_file_reads_back_to_equal_data_without_findings() -> None:
    result = read_sie(write())
    assert result.header == HEADER
    assert result.accounts == ACCOUNTS
    assert result.dimensions == DIMENSIONS
    assert result.objects == OBJECTS
    assert result.balances == BALANCES
    assert result.vouchers == VOUCHERS
    assert [d.severity for d in result.diagnostics if d.severity != "info"] == []
    assert result.summary is not None and result.summary.ksumma == "verified"


def test_the_file_is_cp437_with_the_required_head_and_a_closing_checksum() -> None:
    data = write()
    lines = data.decode("cp437").splitlines()
    assert lines[:6] == [
        "#FLAGGA 0",
        "#KSUMMA",
        '#PROGRAM "Samverkan" "0.1"',
        "#FORMAT PC8",
        '#GEN 20250201 "Anna"',
        "#SIETYP 4",
    ]
    assert "Företagskonto".encode("cp437") in data
    assert lines[-1].startswith("#KSUMMA ")
    assert b"\r\n" in data


def test_the_checksum_follows_the_spec_rule() -> None:
    header = Header(
        program="Samverkan",
        generated_on=date(2025, 2, 1),
        company_name='Förbundet"Väst"',  # an escaped quote, but no spaces in any value
        fiscal_years=HEADER.fiscal_years,
    )
    voucher = Voucher(
        series="A",
        number="1",
        date=date(2024, 1, 5),
        text="Hyra",
        transactions=(
            Transaction(account="5010", amount=Decimal(1), objects=(("1", "0001"),)),
            Transaction(account="1930", amount=Decimal(-1)),
        ),
    )
    data = write_sie4e(header=header, accounts=ACCOUNTS[:1], vouchers=(voucher,))
    lines = data.decode("cp437").splitlines()
    # Independently: each record between the #KSUMMA lines, without separators, quotes,
    # braces and the block lines; an escaped quote counts as a quote.
    crc = 0
    for line in lines[2:-1]:
        if line in ("{", "}"):
            continue
        content = line.replace('\\"', "\0").replace('"', "").replace("{", "").replace("}", "")
        content = "".join(content.split()).replace("\0", '"')
        crc = zlib.crc32(content.encode("cp437"), crc)
    assert lines[-1] == f"#KSUMMA {crc}"
    assert read_sie(data).header.company_name == 'Förbundet"Väst"'


def test_texts_are_quoted_and_escaped() -> None:
    text = write().decode("cp437")
    assert '#VER A 1 20240105 "Hyra \\"januari\\" å ä ö" 20240106 "Anna"' in text
    assert '#TRANS 5010 {1 "0001" 6 "P 1"} 100.00 "" "Hyra"' in text
    assert '#TRANS 1930 {} -100.00 20240105 "" 1 "Bo"' in text
    assert '#VER "" "" 20240107' in text


def test_amounts_are_written_with_two_decimals() -> None:
    voucher = Voucher(
        series="A",
        number="9",
        date=date(2024, 2, 1),
        transactions=(
            Transaction(account="1930", amount=Decimal("5")),
            Transaction(account="3010", amount=Decimal("-5.0")),
        ),
    )
    text = write(vouchers=(voucher,)).decode("cp437")
    assert "#TRANS 1930 {} 5.00" in text and "#TRANS 3010 {} -5.00" in text


def test_an_amount_with_more_than_two_decimals_is_refused() -> None:
    voucher = Voucher(
        series="A",
        number="1",
        date=date(2024, 1, 1),
        transactions=(Transaction(account="1930", amount=Decimal("0.001")),),
    )
    with pytest.raises(ValueError, match="more than two decimals"):
        write(vouchers=(voucher,))


def test_characters_outside_cp437_are_refused_or_replaced() -> None:
    header = Header(
        company_name="Euro € AB",
        fiscal_years=HEADER.fiscal_years,
        generated_on=date(2025, 1, 1),
    )
    with pytest.raises(ValueError, match="CP437"):
        write_sie4e(header=header)
    assert read_sie(write_sie4e(header=header, errors="replace")).header.company_name == (
        "Euro ? AB"
    )


def test_control_characters_in_texts_become_spaces() -> None:
    header = Header(
        company_name="Rad ett\nrad\ttvå",
        fiscal_years=HEADER.fiscal_years,
        generated_on=date.today(),
    )
    assert read_sie(write_sie4e(header=header)).header.company_name == "Rad ett rad två"


def test_a_quoted_text_ending_in_a_backslash_is_refused() -> None:
    header = Header(company_name="A B\\", fiscal_years=HEADER.fiscal_years)
    with pytest.raises(ValueError, match="backslash"):
        write_sie4e(header=header)


def test_a_file_needs_fiscal_year_zero() -> None:
    with pytest.raises(ValueError, match="#RAR 0"):
        write_sie4e(header=Header(company_name="X"))


def test_history_rows_are_written_with_the_rtrans_twin_directly_after() -> None:
    voucher = Voucher(
        series="A",
        number="1",
        date=date(2024, 1, 5),
        transactions=(
            Transaction(account="1930", amount=Decimal(-900)),
            Transaction(account="4010", amount=Decimal(900)),
        ),
        history=(
            Transaction(account="1930", amount=Decimal(-1000), kind="BTRANS"),
            Transaction(account="1930", amount=Decimal(-900), kind="RTRANS", sign="Anna"),
        ),
    )
    data = write(vouchers=(voucher,))
    rows = [
        line.split()[0] for line in data.decode("cp437").splitlines() if "TRANS" in line.split()[0]
    ]
    assert rows == ["#BTRANS", "#RTRANS", "#TRANS", "#TRANS"]
    assert read_sie(data).vouchers == (voucher,)


def test_the_streaming_writer_writes_the_same_bytes() -> None:
    stream = io.BytesIO()
    writer = SieWriter(stream)
    writer.write_header(HEADER)
    writer.write_chart(accounts=ACCOUNTS, dimensions=DIMENSIONS, objects=OBJECTS)
    for balance in BALANCES:
        writer.write_balance(balance)
    for voucher in VOUCHERS:
        writer.write_voucher(voucher)
    writer.finish()
    assert stream.getvalue() == write()
