"""What is checked once the last line is read, and the closing :class:`~.records.Summary`.

An unclosed voucher or #KSUMMA, a missing checksum the options require, #SIETYP and
#OMFATTN rules that need the whole file, vouchers in a balance-only file, lost letters,
and the count of findings held back by ``max_repeats``.
"""

from __future__ import annotations

from typing import Any

from ._chart import start_chart_data
from ._state import ReadState, vid
from ._vouchers import close_voucher
from .records import Diagnostic, Severity, Summary

# Findings counted through the file and reported once at its end: severity and message.
_TALLIED: dict[str, tuple[Severity, str]] = {
    "period_balance_without_objects": (
        "warning",
        "{count} period balance row(s) have no object list {{}}, which the specification "
        "asks for outside type 2 files (first on line {first_line}); they were read as "
        "balances of the whole account.",
    ),
    "ver_without_series": (
        "warning",
        '{count} #VER record(s) leave out the series entirely instead of writing "" (first '
        "on line {first_line}); the field before the date was read as the voucher number.",
    ),
    "voucher_number_in_4i": (
        "info",
        "{count} voucher(s) of this type 4I file carry a number (first on line "
        "{first_line}); the receiving system numbers imported vouchers itself.",
    ),
    "long_series": (
        "info",
        "{count} voucher(s) have a series of several characters (first on line "
        "{first_line}: {series!r}); series are usually one letter or digit.",
    ),
}


def finish(state: ReadState, lineno: int) -> None:
    """The checks once the last line (``lineno``) is read, and the closing summary."""
    voucher = state.voucher
    if voucher is not None:
        state.diag(
            "error",
            voucher.line,
            "missing_closing_brace",
            f"Voucher {vid(voucher)} (line {voucher.line}): the file ends inside its "
            "block (no closing '}').",
            voucher=vid(voucher),
        )
        close_voucher(state)
    start_chart_data(state, lineno)
    opts = state.options
    if state.records_seen == 0:
        state.diag("error", None, "no_records", "The input holds no SIE records.")
    if state.ks_open:
        state.ks_state = "truncated"
        state.diag(
            opts.ksumma_severity(),
            None,
            "truncated",
            "The file has an opening #KSUMMA but no closing one: it is truncated.",
        )
    elif state.ks_state == "absent" and opts.verify_ksumma == "require":
        state.diag(
            "error",
            None,
            "missing_ksumma",
            "The file has no #KSUMMA checksum, which the read options require.",
        )
    head = state.head
    sie_type = head.get("sie_type")
    if sie_type is None and state.records_seen:
        state.diag("info", None, "missing_sietyp", "The file has no #SIETYP; type 1 is assumed.")
    if sie_type in (2, 3) and state.period_balances and head.get("omfattn") is None:
        state.diag(
            opts.omfattn_severity(),
            None,
            "missing_omfattn",
            f"The type {sie_type} file has {state.period_balances} period balance(s) but "
            "no #OMFATTN saying up to which date they run.",
            count=state.period_balances,
            sie_type=sie_type,
        )
    omfattn = head.get("omfattn")
    year0 = next((y for y in state.years if y.index == 0), None)
    if omfattn and year0 and year0.start and year0.end and not year0.start <= omfattn <= year0.end:
        state.diag(
            "warning",
            None,
            "implausible_omfattn",
            f"#OMFATTN {omfattn} lies outside the current fiscal year ({year0.start}–{year0.end}).",
            date=omfattn,
            file_start=year0.start,
            file_end=year0.end,
        )
    if sie_type in (1, 2, 3) and state.voucher_count:
        state.diag(
            "warning",
            None,
            "vouchers_in_balance_file",
            f"A type {sie_type} file holds {state.voucher_count} voucher(s); only type 4 "
            "files may.",
            count=state.voucher_count,
            sie_type=sie_type,
        )
    account_findings(state)
    tallied_findings(state)
    if state.lossy_lines:
        state.diag(
            "warning",
            state.lossy_first,
            "lossy_text",
            f"{state.lossy_lines} line(s) hold U+FFFD replacement characters (first on line "
            f"{state.lossy_first}): letters were lost before or while reading; they cannot "
            "be recovered.",
            count=state.lossy_lines,
            first_line=state.lossy_first,
        )
    for code, (count, severity) in sorted(state.suppressed.items()):
        state.out.append(
            Diagnostic(
                severity=severity,
                line=None,
                code="suppressed_diagnostics",
                message=f"{count} further {code!r} finding(s) were not listed.",
                figures={"count": count, "finding": code},
            )
        )
    state.out.append(
        Summary(
            encoding=state.detected.codec,
            line_count=lineno,
            voucher_count=state.voucher_count,
            transaction_count=state.transaction_count,
            ksumma=state.ks_state,
        )
    )


def is_4i(state: ReadState) -> bool:
    """A type 4 file without account balances: the import form (4I) of a type 4 file."""
    return state.head.get("sie_type") == 4 and not state.account_balances


def account_findings(state: ReadState) -> None:
    """Accounts used but never declared with #KONTO, and #SRU codes for such accounts.

    A type 4I file may leave out the chart altogether; one that declares some accounts
    is still expected to declare those it uses.
    """
    declared = state.declared_accounts
    if declared or not is_4i(state):
        for number, (label, line) in state.used_accounts.items():
            if number not in declared:
                state.diag(
                    "warning",
                    line,
                    "undeclared_account",
                    f"Line {line}: account {number[:40]} is used ({label}) but never "
                    "declared with #KONTO, so the file gives it no name.",
                    account=number[:40],
                    record=label,
                )
    for number, line in state.sru_lines.items():
        if number not in declared:
            state.diag(
                "warning",
                line,
                "sru_undeclared_account",
                f"Line {line}: #SRU for account {number[:40]}, which no #KONTO declares.",
                account=number[:40],
            )


def tallied_findings(state: ReadState) -> None:
    """One finding per tallied code, with the count and the first line."""
    numbered = state.voucher_count - state.unnumbered_vouchers
    if numbered and state.first_numbered is not None and is_4i(state):
        state.tallies["voucher_number_in_4i"] = [numbered, state.first_numbered, {}]
    for code, (count, first_line, figures) in state.tallies.items():
        severity, message = _TALLIED[code]
        values: dict[str, Any] = {"count": count, "first_line": first_line, **figures}
        state.diag(
            severity,
            first_line,
            code,
            message.format(**values),
            **values,
        )
