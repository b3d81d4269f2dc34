"""samverkan check --cooperation SLUG [--year YEAR] [--json]: consistency checks.

Without --cooperation this is Django's own system check, so nothing is lost
by the project's command taking the name.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.check import Command as SystemCheckCommand

from samverkan.members.models import Cooperation, Year
from samverkan.reports.figures_from_db import check_year
from samverkan.reports.findings import Finding

SEVERITY_SV = {"error": "FEL", "warning": "VARNING", "info": "INFO"}


class Command(SystemCheckCommand):
    help = "Consistency checks of a cooperation's years (with --cooperation), else Django's system check."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--cooperation", help="slug of the cooperation to check")
        parser.add_argument("--year", type=int, help="one year only")
        parser.add_argument("--json", action="store_true", help="print a JSON array of findings")

    def handle(self, *app_labels: Any, **options: Any) -> None:
        if not options.get("cooperation"):
            super().handle(*app_labels, **options)
            return
        coop = Cooperation.objects.filter(slug=options["cooperation"]).first()
        if coop is None:
            raise CommandError(f"unknown cooperation {options['cooperation']!r}")
        years = Year.objects.filter(cooperation=coop).order_by("year")
        if options.get("year"):
            years = years.filter(year=options["year"])
            if not years.exists():
                raise CommandError(f"{coop.slug} has no year {options['year']}")
        findings: list[Finding] = []
        for year in years:
            findings.extend(check_year(year))
        if options["json"]:
            self.stdout.write(
                json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=2)
            )
        else:
            for f in findings:
                line = f"{SEVERITY_SV[f.severity]}: {f.where}: {f.message}"
                if f.expected is not None or f.found is not None:
                    line += f" Väntat {f.expected}, tryckt/angivet {f.found}"
                    if f.difference is not None:
                        line += f", skillnad {f.difference}"
                    line += "."
                self.stdout.write(line)
            errors = sum(1 for f in findings if f.severity == "error")
            self.stdout.write(f"{len(findings)} anmärkningar, varav {errors} fel.")
        if any(f.severity == "error" for f in findings):
            raise SystemExit(1)
