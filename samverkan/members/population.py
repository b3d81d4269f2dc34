"""Importing SCB population figures: the preview (what would change) and the messages for bad files.

`plan_import` compares the figures read from a file (or from SCB's API) with
the figures the cooperation holds and sorts them: new, changed (old -> new),
unchanged, unknown municipality codes, and members that had left by the
year the figure would be the fee basis of (those are not imported). It also
names the decided or published years the change would touch, which refuse
it. The same plan is shown before the import and checked again, inside the
import's transaction, when the user confirms (`services.import_population`).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from samverkan.lib import scb
from samverkan.members.locking import years_touched_by_save
from samverkan.members.models import LOCKED_STATUSES, Cooperation, Member, PopulationFigure, Year


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportSource:
    """Where imported figures come from: a file's name (or the API's address) and the SCB table."""

    file_name: str
    table: str = scb.TABLE


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingFigure:
    """A figure to import: the municipality code, the year (31 December) and the population."""

    code: str
    year: int
    population: int
    region: str = ""
    where: str = ""  # the file line or json-stat2 cell, for the preview

    @property
    def date(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @classmethod
    def from_scb(cls, figure: scb.Figure) -> IncomingFigure:
        where = (
            _("rad %(line)s") % {"line": figure.line} if figure.line is not None else figure.field
        )
        return cls(
            code=figure.code,
            year=figure.year,
            population=figure.population,
            region=figure.region,
            where=where,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedFigure:
    member: Member
    incoming: IncomingFigure
    current: PopulationFigure | None = None  # the figure held now, when it differs

    @property
    def fee_year(self) -> int:
        return self.incoming.year + 1


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownCode:
    code: str
    region: str
    where: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportPlan:
    source: ImportSource
    new: tuple[PlannedFigure, ...]
    changed: tuple[PlannedFigure, ...]
    unchanged: int
    unknown: tuple[UnknownCode, ...]
    left: tuple[PlannedFigure, ...]
    locked_years: tuple[Year, ...] = field(default=())
    touched_year_ids: frozenset[int] = field(default=frozenset())

    @property
    def changes(self) -> tuple[PlannedFigure, ...]:
        return self.new + self.changed

    @property
    def refused(self) -> bool:
        return bool(self.locked_years)

    def locked_message(self) -> str:
        years = ", ".join(str(y.year) for y in self.locked_years)
        return _(
            "Importen ändrar invånarantal som %(years)s bygger på (befolkning och avgiftsunderlag), och "
            "de åren är beslutade eller publicerade och därför låsta. Kansliet måste öppna dem igen, "
            "eller så tar du bort de siffrorna ur filen."
        ) % {"years": years}

    def digest(self) -> str:
        """A fingerprint of what the preview showed, to see whether the data moved before the import."""
        rows = [
            [
                kind,
                p.member.code,
                p.incoming.year,
                p.incoming.population,
                p.current.population if p.current else None,
            ]
            for kind, rows in (("new", self.new), ("changed", self.changed))
            for p in rows
        ]
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def plan_import(
    cooperation: Cooperation, incoming: Iterable[IncomingFigure], source: ImportSource
) -> ImportPlan:
    """Sort the incoming figures against what the cooperation holds (a fixed number of queries)."""
    members = {m.code: m for m in Member.objects.filter(cooperation=cooperation)}
    figures = list(incoming)
    held = {
        (f.member_id, f.date): f
        for f in PopulationFigure.objects.filter(
            member__cooperation=cooperation, date__in={f.date for f in figures}
        )
    }
    new: list[PlannedFigure] = []
    changed: list[PlannedFigure] = []
    left: list[PlannedFigure] = []
    unknown: dict[str, UnknownCode] = {}
    unchanged = 0
    for figure in figures:
        member = members.get(figure.code)
        if member is None:
            unknown.setdefault(
                figure.code, UnknownCode(code=figure.code, region=figure.region, where=figure.where)
            )
            continue
        current = held.get((member.pk, figure.date))
        planned = PlannedFigure(member=member, incoming=figure, current=current)
        if member.left is not None and figure.year + 1 > member.left:
            left.append(planned)
        elif current is None:
            new.append(planned)
        elif current.population != figure.population:
            changed.append(planned)
        else:
            unchanged += 1
    key = lambda p: (p.incoming.year, p.member.order, p.member.name)  # noqa: E731
    touched = years_touched([*new, *changed])
    return ImportPlan(
        source=source,
        new=tuple(sorted(new, key=key)),
        changed=tuple(sorted(changed, key=key)),
        unchanged=unchanged,
        unknown=tuple(sorted(unknown.values(), key=lambda u: u.code)),
        left=tuple(sorted(left, key=key)),
        locked_years=tuple(
            Year.objects.filter(pk__in=touched, status__in=LOCKED_STATUSES).order_by("year")
        ),
        touched_year_ids=frozenset(touched),
    )


def years_touched(changes: Iterable[PlannedFigure]) -> set[int]:
    """The years that storing these figures would alter (the gate's own rule, `years_changed`)."""
    touched: set[int] = set()
    seen: set[tuple[int, dt.date, bool]] = set()
    for planned in changes:
        # Figures at one date of one cooperation feed the same years: ask once per date (and per
        # new-or-changed, which differ only in the stored figure's own years).
        key = (planned.member.cooperation_id, planned.incoming.date, planned.current is None)
        if key in seen:
            continue
        seen.add(key)
        if planned.current is None:
            figure = PopulationFigure(member=planned.member, date=planned.incoming.date)
        else:
            figure = copy.copy(planned.current)  # the stored figure as it would be saved
        figure.population = planned.incoming.population
        touched |= years_touched_by_save(figure)
    return touched


def payload(plan_figures: Sequence[IncomingFigure]) -> list[list[Any]]:
    """The figures as plain lists, to carry from the preview to the confirmation."""
    return [[f.code, f.year, f.population, f.region, f.where] for f in plan_figures]


def from_payload(rows: Iterable[Sequence[Any]]) -> list[IncomingFigure]:
    return [
        IncomingFigure(code=str(c), year=int(y), population=int(p), region=str(r), where=str(w))
        for c, y, p, r, w in rows
    ]


# -- messages for a file that cannot be imported -----------------------------------------------------


def _place(problem: scb.Problem) -> str:
    if problem.line is not None and problem.field:
        return _("Rad %(line)s, kolumn ”%(field)s”") % {
            "line": problem.line,
            "field": problem.field,
        }
    if problem.line is not None:
        return _("Rad %(line)s") % {"line": problem.line}
    if problem.field:
        return _("Fältet %(field)s") % {"field": problem.field}
    return _("Filen")


def problem_message(problem: scb.Problem) -> str:
    """The problem in Swedish, naming the line and column (or json-stat2 cell) and the value found."""
    value = problem.value
    texts = {
        "negative": _("”%(value)s” är negativt; ett invånarantal kan inte vara negativt."),
        "not_a_number": _("”%(value)s” är inte ett heltal (bara siffror, t.ex. 95905)."),
        "too_many": _("”%(value)s” är fler invånare än någon kommun har."),
        "unreadable": _("raden går inte att läsa som CSV (en cell är för lång eller trasig)."),
        "wrong_table": _(
            "det här är inte SCB:s tabell Folkmängd (TAB638, BE0101N1) utan ”%(value)s”. Ladda ner "
            "Folkmängd efter region och år."
        ),
        "split": _(
            "filen delar upp folkmängden efter ”%(value)s”. Välj bara region och år (totalt) när du laddar ner."
        ),
        "no_region_code": _(
            "regionen ”%(value)s” saknar kommunkod. Ladda ner med både kod och text."
        ),
        "duplicate": _("%(value)s är en andra siffra för samma kommun och år."),
        "columns": _("raden har inte lika många kolumner som rubrikraden."),
        "not_a_year": _("”%(value)s” är inte ett år."),
        "no_header": _("rubrikraden med region och år saknas."),
        "empty": _("filen är tom."),
        "no_figures": _("filen innehåller inget invånarantal för någon kommun."),
        "not_json": _("filen är inte giltig JSON."),
        "not_json_stat": _("filen är inte json-stat2 från SCB."),
        "too_large": _("filen är för stor för att vara en tabell över folkmängd."),
        "no_value": _("SCB anger inget värde (”..”); cellen hoppas över."),
        "not_municipality": _("”%(value)s” är inte en kommun och hoppas över."),
    }
    text = texts.get(problem.code, _("%(value)s: oväntat innehåll."))
    return f"{_place(problem)}: {text % {'value': value}}"
