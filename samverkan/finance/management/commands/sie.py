"""samverkan sie inspect|import|export: SIE files in and out of the accounts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.finance.sie import inspect_path
from samverkan.finance.sie_export import export_sie
from samverkan.finance.sie_import import ImportRefused, Plan, import_sie, plan_import
from samverkan.members.models import Year


class Command(BaseCommand):
    help = "Inspect a SIE file, import a year's vouchers into a cooperation's accounts, or export them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        inspect = sub.add_parser(
            "inspect", help="what the file holds, and every diagnostic; no database"
        )
        inspect.add_argument("file", type=Path)
        inspect.add_argument("--json", action="store_true")
        imp = sub.add_parser("import", help="bring a year's vouchers into the accounts")
        imp.add_argument("file", type=Path)
        imp.add_argument("--cooperation", required=True)
        imp.add_argument("--year", type=int, required=True)
        imp.add_argument("--object", action="append", default=[], metavar="DIM:ID")
        imp.add_argument("--dry-run", action="store_true")
        imp.add_argument(
            "--replace", action="store_true", help="replace an earlier import of the year"
        )
        exp = sub.add_parser("export", help="the year's accounts as SIE 4E")
        exp.add_argument("--cooperation", required=True)
        exp.add_argument("--year", type=int, required=True)
        exp.add_argument("--out", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "inspect":
            text, status = inspect_path(str(options["file"]), as_json=options["json"])
            self.stdout.write(text)
            if status:
                raise SystemExit(status)
            return
        year = Year.objects.filter(
            cooperation__slug=options["cooperation"], year=options["year"]
        ).first()
        if year is None:
            raise CommandError(f"{options['cooperation']} has no year {options['year']}")
        if action == "export":
            data = export_sie(year)
            if options["out"]:
                options["out"].write_bytes(data)
            else:
                sys.stdout.buffer.write(data)
            return
        if not options["file"].is_file():
            raise CommandError(f"{options['file']}: no such file")
        if options["dry_run"]:
            plan = plan_import(options["file"], year, objects=options["object"])
            self._show(plan)
            if plan.errors:
                raise SystemExit(1)
            return
        try:
            plan, changed = import_sie(
                options["file"],
                year,
                objects=options["object"],
                replace=options["replace"],
                actor="command line",
            )
        except ImportRefused as exc:
            for d in exc.diagnostics:
                if d.severity != "info":
                    self.stderr.write(self._line(d))
            raise CommandError("nothing was imported") from None
        self._show(plan)
        self.stdout.write("imported" if changed else "unchanged: this file is already imported")

    def _line(self, d: Any) -> str:
        where = f"line {d.line}: " if d.line else ""
        return f"{d.severity}: {where}{d.code}: {d.message}"

    def _show(self, plan: Plan) -> None:
        self.stdout.write(
            f"{plan.file_name} (sha256 {plan.sha256[:16]}…), year {plan.year}, "
            f"objects {', '.join(plan.objects) or 'all'}"
        )
        self.stdout.write(
            f"{plan.vouchers} vouchers read, {plan.line_count} lines to store, "
            f"{plan.skipped_vouchers} vouchers without lines for the selection"
        )
        for (fund, category, kind), amount in sorted(plan.totals.items()):
            self.stdout.write(f"  {fund:<28} {category:<28} {kind:<7} {amount:>14}")
        rec = plan.reconciliation
        if rec is not None and (rec.balance_side_checked or rec.result_side_checked):
            diff = rec.differences
            if not diff:
                self.stdout.write(f"reconciliation: all {len(rec.rows)} accounts reconcile")
            else:
                self.stdout.write(
                    f"reconciliation: {len(diff)} of {len(rec.rows)} accounts differ "
                    "(opening + vouchers != closing: the export looks incomplete)"
                )
                self.stdout.write(
                    f"  {'account':<10}{'opening':>15}{'vouchers':>15}{'expected':>15}"
                    f"{'stated':>15}{'difference':>15}"
                )
                for r in diff:
                    self.stdout.write(
                        f"  {r.account:<10}{r.opening:>15}{r.movements:>15}"
                        f"{r.closing_expected:>15}{r.closing_stated:>15}{r.difference:>15}"
                    )
        for d in plan.diagnostics:
            if d.code != "reconciliation_difference":
                self.stdout.write(self._line(d))
