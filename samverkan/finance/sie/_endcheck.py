"""What is checked once the last line is read, and the closing :class:`~.records.Summary`.

An unclosed voucher or #KSUMMA, a missing checksum the options require, #SIETYP and
#OMFATTN rules that need the whole file, vouchers in a balance-only file, lost letters,
and the count of findings held back by ``max_repeats``.
"""

from __future__ import annotations

from ._chart import ChartRecords
from ._state import vid
from ._vouchers import VoucherRecords
from .records import Diagnostic, Summary


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
