"""Property-based tests: written ledgers read back equal; damaged input never raises."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import cast
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.finance.sie import (
    LENIENT_INSPECT,
    STRICT_IMPORT,
    Account,
    Balance,
    Diagnostic,
    Dimension,
    FiscalYear,
    Header,
    Object,
    SieFile,
    Transaction,
    Voucher,
    format_inspect_report,
    inspect_report,
    read_sie,
    reconcile,
    to_json,
    write_sie4e,
)
from samverkan.finance.sie.records import BalanceKind

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sie-samples"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Texts: Swedish letters, quotes, backslashes, braces, hashes and spaces; CP437 only.
ALPHABET = "abcxyzABCÅÄÖåäöéü0123456789 -_.,:;/'\"\\{}#+()%&"
texts = st.text(alphabet=ALPHABET, max_size=30).filter(lambda s: not s.endswith("\\"))
ids = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-+", min_size=1, max_size=8)
object_ids = st.text(alphabet=ALPHABET, min_size=1, max_size=10).filter(
    lambda s: not s.endswith("\\")
)
accounts_numbers = st.text(alphabet="0123456789", min_size=4, max_size=4)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
cents = st.integers(min_value=-(10**12), max_value=10**12).map(lambda c: Decimal(c).scaleb(-2))
quantities = st.none() | st.decimals(
    min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False
)


@st.composite
def ledgers(draw: st.DrawFn) -> dict[str, object]:
    numbers = draw(st.lists(accounts_numbers, min_size=2, max_size=6, unique=True))
    accounts = tuple(
        Account(
            number=n,
            name=draw(texts),
            type=draw(st.none() | st.sampled_from(["T", "S", "K", "I"])),
        )
        for n in numbers
    )
    dims = draw(st.lists(st.sampled_from(["1", "2", "6", "20"]), max_size=3, unique=True))
    dimensions = tuple(Dimension(number=d, name=draw(texts)) for d in dims)
    objects: list[Object] = []
    for d in dims:
        for obj_id in draw(st.lists(object_ids, max_size=3, unique=True)):
            objects.append(Object(dimension=d, id=obj_id, name=draw(texts)))
    pairs = [(o.dimension, o.id) for o in objects]

    def row_objects() -> tuple[tuple[str, str], ...]:
        if not pairs:
            return ()
        chosen = draw(st.lists(st.sampled_from(pairs), max_size=2, unique_by=lambda p: p[0]))
        return tuple(chosen)

    vouchers = []
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        amounts = draw(st.lists(cents, min_size=1, max_size=4))
        amounts.append(-sum(amounts, Decimal(0)))
        rows = tuple(
            Transaction(
                account=draw(st.sampled_from(numbers)),
                amount=amount,
                objects=row_objects(),
                date=draw(st.none() | dates),
                text=draw(texts),
                quantity=draw(quantities),
                sign=draw(texts),
            )
            for amount in amounts
        )
        vouchers.append(
            Voucher(
                series=draw(st.just("") | ids),
                number=draw(st.just("") | st.integers(0, 99999).map(str)),
                date=draw(dates),
                text=draw(texts),
                reg_date=draw(st.none() | dates),
                sign=draw(texts),
                transactions=rows,
            )
        )
    balances = tuple(
        Balance(kind=kind, year_index=year, account=draw(st.sampled_from(numbers)), amount=amt)
        for kind, year, amt in draw(
            st.lists(
                st.tuples(
                    st.sampled_from(cast(list[BalanceKind], ["IB", "UB", "RES"])),
                    st.integers(-2, 0),
                    cents,
                ),
                max_size=4,
            )
        )
    )
    header = Header(
        flag=0,
        format="PC8",
        sie_type=4,
        program=draw(texts.filter(bool)),  # an empty one is written as "Samverkan"
        program_version=draw(texts),
        generated_on=draw(dates),
        company_name=draw(texts.filter(str.strip)),  # an empty one is a warning
        org_number=draw(st.just("") | st.just("556000-1234")),
        fiscal_years=(FiscalYear(index=0, start=date(2024, 1, 1), end=date(2024, 12, 31)),),
    )
    return {
        "header": header,
        "accounts": accounts,
        "dimensions": dimensions,
        "objects": tuple(objects),
        "balances": balances,
        "vouchers": tuple(vouchers),
    }


@FAST
@given(ledgers())
def test_any_valid_ledger_reads_back_equal_with_no_errors_or_warnings(
    ledger: dict[str, object],
) -> None:
    data = write_sie4e(**ledger)  # type: ignore[arg-type]
    result = read_sie(data, options=STRICT_IMPORT)
    assert [d for d in result.diagnostics if d.severity != "info"] == []
    assert result.header == ledger["header"]
    assert result.accounts == ledger["accounts"]
    assert result.dimensions == ledger["dimensions"]
    assert result.objects == ledger["objects"]
    assert result.balances == ledger["balances"]
    assert result.vouchers == ledger["vouchers"]
    assert result.summary is not None and result.summary.ksumma == "verified"


@FAST
@given(ledgers())
def test_the_fast_paths_read_written_files_like_the_general_tokenizer(
    ledger: dict[str, object],
) -> None:
    data = write_sie4e(**ledger)  # type: ignore[arg-type]
    fast = read_sie(data)
    never = re.compile(r"(?!x)x")
    with mock.patch.multiple(
        "samverkan.finance.sie._fast",
        TRANS_RE=never,
        VER_RE=never,
        COMMON_TRANS_RE=never,
        COMMON_VER_RE=never,
    ):
        slow = read_sie(data)
    assert slow == fast
    assert [t.line for v in slow.vouchers for t in v.transactions] == [
        t.line for v in fast.vouchers for t in v.transactions
    ]


def check_never_raises(data: bytes) -> None:
    for options in (STRICT_IMPORT, LENIENT_INSPECT):
        result = read_sie(data, options=options)
        assert isinstance(result, SieFile)
        assert all(isinstance(d, Diagnostic) for d in result.diagnostics)
        assert all(d.severity in ("error", "warning", "info") for d in result.diagnostics)
    report = inspect_report(result)
    format_inspect_report(report)
    to_json(report)
    reconcile(result)


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_only_ever_produce_diagnostics(data: bytes) -> None:
    check_never_raises(data)


SIE_BITS = st.sampled_from(
    [
        b"#VER",
        b"#TRANS",
        b"#RTRANS",
        b"#BTRANS",
        b"#KSUMMA",
        b"{",
        b"}",
        b'"',
        b'\\"',
        b"\\",
        b" ",
        b"\t",
        b"\r\n",
        b"\n",
        b"#",
        b"1930",
        b"-12.50",
        b"20240230",
        b"\x8e\x94",
        b"\xc3\xa5",
        b"\xe5",
        b"\xff",
        b"\x00",
    ]
)


@FAST
@given(st.lists(SIE_BITS, max_size=60))
def test_sie_shaped_noise_only_ever_produces_diagnostics(bits: list[bytes]) -> None:
    check_never_raises(b"".join(bits))


def _small_samples() -> list[Path]:
    # The samples are part of the repository: a missing folder fails here, never skips.
    samples = sorted(
        p for p in SAMPLES.iterdir() if p.suffix in (".se", ".si") and p.stat().st_size < 40_000
    )
    assert samples, f"no SIE samples in {SAMPLES}"
    return samples


SMALL_SAMPLES = _small_samples()


@st.composite
def mangled_samples(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SMALL_SAMPLES)).read_bytes().split(b"\n")
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line = lines[i]
        action = draw(st.sampled_from(["cut", "insert", "delete", "duplicate", "truncate"]))
        if action == "cut" and line:
            j = draw(st.integers(0, len(line)))
            lines[i] = line[:j]
        elif action == "insert":
            j = draw(st.integers(0, len(line)))
            lines[i] = line[:j] + draw(SIE_BITS) + line[j:]
        elif action == "delete":
            del lines[i]
            if not lines:
                lines = [b""]
        elif action == "duplicate":
            lines.insert(i, line)
        else:
            lines = lines[: i + 1]
    return b"\n".join(lines)


@FAST
@given(mangled_samples())
def test_mangled_lines_of_real_samples_only_ever_produce_diagnostics(data: bytes) -> None:
    check_never_raises(data)
