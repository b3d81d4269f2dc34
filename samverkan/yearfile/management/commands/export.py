"""samverkan export --cooperation SLUG [--year YEAR] [--out FILE]: write a year file back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.members.models import Cooperation, Year
from samverkan.yearfile.export import export_cooperation, export_year


class Command(BaseCommand):
    help = "Write a cooperation's standing file, or one year's file, as canonical YAML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cooperation", required=True)
        parser.add_argument("--year", type=int)
        parser.add_argument("--out", type=Path, help="file to write; standard output when left out")

    def handle(self, *args: Any, **options: Any) -> None:
        coop = Cooperation.objects.filter(slug=options["cooperation"]).first()
        if coop is None:
            raise CommandError(f"unknown cooperation {options['cooperation']!r}")
        if options["year"] is None:
            text = export_cooperation(coop)
        else:
            year = Year.objects.filter(cooperation=coop, year=options["year"]).first()
            if year is None:
                raise CommandError(f"{coop.slug} has no year {options['year']}")
            text = export_year(year)
        if options["out"]:
            options["out"].parent.mkdir(parents=True, exist_ok=True)
            options["out"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
