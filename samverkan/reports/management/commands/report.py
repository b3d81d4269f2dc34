"""samverkan report --cooperation SLUG --year YEAR --format html|pdf|docx|md [--lang sv|en] [--out PATH]

Writes one year's annual report. Without --out the file goes to the current
directory under its standard name ("sodertorn-arsredovisning-2020.pdf"); with
--out naming a directory it goes there, otherwise --out is the file's path
("-" writes to standard output).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.members.models import Cooperation, Year
from samverkan.reports.api import FORMATS, LANGUAGES, render_report


class Command(BaseCommand):
    help = "Write a year's annual report as HTML, PDF, Word or Markdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cooperation", required=True, help="slug of the cooperation")
        parser.add_argument("--year", required=True, type=int, help="the report's year")
        parser.add_argument(
            "--format", required=True, dest="fmt", help=f"one of {', '.join(FORMATS)}"
        )
        parser.add_argument(
            "--lang", default="sv", help=f"one of {', '.join(LANGUAGES)} (default sv)"
        )
        parser.add_argument("--out", help="file or directory to write to; '-' for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, lang = options["fmt"], options["lang"]
        if fmt not in FORMATS:
            raise CommandError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        if lang not in LANGUAGES:
            raise CommandError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        coop = Cooperation.objects.filter(slug=options["cooperation"]).first()
        if coop is None:
            known = ", ".join(Cooperation.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"unknown cooperation {options['cooperation']!r} (known: {known})")
        year = Year.objects.filter(cooperation=coop, year=options["year"]).first()
        if year is None:
            years = ", ".join(
                str(y) for y in Year.objects.filter(cooperation=coop).values_list("year", flat=True)
            )
            raise CommandError(
                f"{coop.slug} has no year {options['year']} (years: {years or 'none'})"
            )
        content, _, name = render_report(year, fmt, lang)
        out = options.get("out")
        if out == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        path = Path(out) if out else Path(name)
        if path.is_dir():
            path = path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.stdout.write(f"{path} ({len(content)} bytes)")
