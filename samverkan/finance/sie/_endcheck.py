"""What is checked once the last line is read, and the closing :class:`~.records.Summary`.

An unclosed voucher or #KSUMMA, a missing checksum the options require, #SIETYP and
#OMFATTN rules that need the whole file, vouchers in a balance-only file, lost letters,
and the count of findings held back by ``max_repeats``.
"""

from __future__ import annotations

from typing import Any

from ._chart import ChartRecords
from ._state import vid
from ._vouchers import VoucherRecords
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


class EndChecks(VoucherRecords, ChartRecords):
    """The checks at the end of the file."""

    def finish(self, lineno: int) -> None:
        voucher = self.voucher
        if voucher is not None:
            self.diag(
                "error",
                voucher.line,
                "missing_closing_brace",
                f"Voucher {vid(voucher)} (line {voucher.line}): the file ends inside its "
                "block (no closing '}').",
            )
            self.close_voucher()
        self.start_chart_data(lineno)
        opts = self.options
        if self.records_seen == 0:
            self.diag("error", None, "no_records", "The input holds no SIE records.")
        if self.ks_open:
            self.ks_state = "truncated"
            self.diag(
                opts.ksumma_severity(),
                None,
                "truncated",
                "The file has an opening #KSUMMA but no closing one: it is truncated.",
            )
        elif self.ks_state == "absent" and opts.verify_ksumma == "require":
            self.diag(
                "error",
                None,
                "missing_ksumma",
                "The file has no #KSUMMA checksum, which the read options require.",
            )
        head = self.head
        sie_type = head.get("sie_type")
        if sie_type is None and self.records_seen:
            self.diag("info", None, "missing_sietyp", "The file has no #SIETYP; type 1 is assumed.")
        if sie_type in (2, 3) and self.period_balances and head.get("omfattn") is None:
            self.diag(
                opts.omfattn_severity(),
                None,
                "missing_omfattn",
                f"The type {sie_type} file has {self.period_balances} period balance(s) but "
                "no #OMFATTN saying up to which date they run.",
            )
        omfattn = head.get("omfattn")
        year0 = next((y for y in self.years if y.index == 0), None)
        if (
            omfattn
            and year0
            and year0.start
            and year0.end
            and not year0.start <= omfattn <= year0.end
        ):
            self.diag(
                "warning",
                None,
                "implausible_omfattn",
                f"#OMFATTN {omfattn} lies outside the current fiscal year "
                f"({year0.start}–{year0.end}).",
            )
        if sie_type in (1, 2, 3) and self.voucher_count:
            self.diag(
                "warning",
                None,
                "vouchers_in_balance_file",
                f"A type {sie_type} file holds {self.voucher_count} voucher(s); only type 4 "
                "files may.",
            )
        self.account_findings()
        self.tallied_findings()
        if self.lossy_lines:
            self.diag(
                "warning",
                self.lossy_first,
                "lossy_text",
                f"{self.lossy_lines} line(s) hold U+FFFD replacement characters (first on line "
                f"{self.lossy_first}): letters were lost before or while reading; they cannot "
                "be recovered.",
            )
        for code, (count, severity) in sorted(self.suppressed.items()):
            self.out.append(
                Diagnostic(
                    severity=severity,
                    line=None,
                    code="suppressed_diagnostics",
                    message=f"{count} further {code!r} finding(s) were not listed.",
                )
            )
        self.out.append(
            Summary(
                encoding=self.detected.codec,
                line_count=lineno,
                voucher_count=self.voucher_count,
                transaction_count=self.transaction_count,
                ksumma=self.ks_state,
            )
        )

    def is_4i(self) -> bool:
        """A type 4 file without account balances: the import form (4I) of a type 4 file."""
        return self.head.get("sie_type") == 4 and not self.account_balances

    def account_findings(self) -> None:
        """Accounts used but never declared with #KONTO, and #SRU codes for such accounts.

        A type 4I file may leave out the chart altogether; one that declares some accounts
        is still expected to declare those it uses.
        """
        declared = self.declared_accounts
        if declared or not self.is_4i():
            for number, (label, line) in self.used_accounts.items():
                if number not in declared:
                    self.diag(
                        "warning",
                        line,
                        "undeclared_account",
                        f"Line {line}: account {number[:40]} is used ({label}) but never "
                        "declared with #KONTO, so the file gives it no name.",
                        account=number[:40],
                        record=label,
                    )
        for number, line in self.sru_lines.items():
            if number not in declared:
                self.diag(
                    "warning",
                    line,
                    "sru_undeclared_account",
                    f"Line {line}: #SRU for account {number[:40]}, which no #KONTO declares.",
                    account=number[:40],
                )

    def tallied_findings(self) -> None:
        """One finding per tallied code, with the count and the first line."""
        numbered = self.voucher_count - self.unnumbered_vouchers
        if numbered and self.first_numbered is not None and self.is_4i():
            self.tallies["voucher_number_in_4i"] = [numbered, self.first_numbered, {}]
        for code, (count, first_line, figures) in self.tallies.items():
            severity, message = _TALLIED[code]
            values: dict[str, Any] = {"count": count, "first_line": first_line, **figures}
            self.diag(
                severity,
                first_line,
                code,
                message.format(**values),
                **values,
            )
