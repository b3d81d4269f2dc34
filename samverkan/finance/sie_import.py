"""Bring a year's vouchers from a SIE file into a cooperation's accounts.

A host municipality's file holds its whole ledger; the cooperation is one
cost centre or project object, chosen with `objects` ("1:4711"). Result
accounts (classes 3-8) map onto the report's cost categories and funds
through the cooperation's AccountMapping rows, or the default Kommun-Bas
mapping when it has none. Unknown accounts are listed, never dropped.

`plan_import` reads the file (streaming) and returns what would be stored
plus every diagnostic, without writing. `import_sie` stores the plan in one
transaction with an audit entry; the same file twice changes nothing, and a
newer export replaces an older one only when asked to.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from samverkan.audit.services import record
from samverkan.finance.models import (
    AccountMapping,
    CostCategory,
    Fund,
    ImportBatch,
    LedgerLine,
    LineKind,
    LineSource,
)
from samverkan.finance.sie import (
    STRICT_IMPORT,
    Account,
    Diagnostic,
    Header,
    Object,
    Voucher,
    iter_sie,
)
from samverkan.lib.money import ZERO
from samverkan.members.models import Year
from samverkan.projects.models import Project

DEFAULT_MAPPING = Path(__file__).with_name("kommunbas.yaml")
RESULT_CLASSES = ("3", "4", "5", "6", "7", "8")


class ImportRefused(Exception):
    """Nothing was stored; `diagnostics` says where and why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics if d.severity == "error"))
        self.diagnostics = diagnostics


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    account: str
    category: str
    fund: str | None = None
    object_id: str = ""
    project: str | None = None


@dataclass(slots=True)
class Plan:
    """What an import would store: lines per fund and category, and what it found on the way."""

    year: int
    sha256: str
    file_name: str
    objects: tuple[str, ...]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    totals: dict[tuple[str, str, str], Decimal] = field(
        default_factory=lambda: defaultdict(lambda: ZERO)
    )
    unmapped: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    vouchers: int = 0
    skipped_vouchers: int = 0
    line_count: int = 0
    funds_used: set[str] = field(default_factory=set)
    projects_used: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def load_rules(year: Year) -> list[Rule]:
    """The cooperation's mapping, or the default Kommun-Bas mapping; longest prefix first."""
    rows = AccountMapping.objects.filter(cooperation_id=year.cooperation_id).select_related(
        "category", "fund"
    )
    rules = [
        Rule(
            account=r.account,
            category=r.category.slug,
            fund=r.fund.slug if r.fund else None,
            object_id=r.object_id,
            project=r.project or None,
        )
        for r in rows
    ]
    if not rules:
        data = yaml.safe_load(DEFAULT_MAPPING.read_text(encoding="utf-8"))
        rules = [Rule(account=str(item["account"]), category=item["category"]) for item in data]
    # Object-specific rules before general ones, then the longest prefix.
    return sorted(rules, key=lambda r: (r.object_id == "", -len(r.account)))


def match(rules: list[Rule], account: str, objects: frozenset[str]) -> Rule | None:
    for rule in rules:
        if account.startswith(rule.account) and (not rule.object_id or rule.object_id in objects):
            return rule
    return None


def _error(code: str, message: str, line: int | None = None) -> Diagnostic:
    return Diagnostic(severity="error", line=line, code=code, message=message)


def plan_import(
    path: Path, year: Year, *, objects: list[str] | None = None, data: bytes | None = None
) -> Plan:
    """Read the file and work out what would be stored: totals and diagnostics; writes nothing."""
    data = path.read_bytes() if data is None else data
    plan = Plan(
        year=year.year,
        sha256=hashlib.sha256(data).hexdigest(),
        file_name=path.name,
        objects=tuple(objects or ()),
    )
    scan = _Scan(year, objects or [], plan.diagnostics)
    for line in scan.lines(data):
        plan.totals[(line["fund"] or "", line["category"], line["kind"])] += line["amount"]
        plan.line_count += 1
        plan.funds_used.add(line["fund"] or "")
        if line["project"]:
            plan.projects_used.add(line["project"])
    plan.vouchers, plan.skipped_vouchers, plan.unmapped = scan.vouchers, scan.skipped, scan.unmapped
    categories = set(
        CostCategory.objects.filter(cooperation_id=year.cooperation_id).values_list(
            "slug", flat=True
        )
    )
    for rule in scan.rules:
        if rule.category not in categories:
            plan.diagnostics.append(
                _error(
                    "mapping_unknown_category",
                    f"The mapping sends account {rule.account} to category {rule.category!r}, which "
                    f"{year.cooperation.slug} does not have.",
                )
            )
    if not scan.year_ok:
        plan.diagnostics.append(
            _error(
                "year_not_in_file", f"The file's current fiscal year (#RAR 0) is not {year.year}."
            )
        )
    for dim, obj in sorted(scan.wanted - scan.declared):
        plan.diagnostics.append(
            _error("unknown_object", f"Object {dim}:{obj} is not declared in the file (#OBJEKT).")
        )
    for account, amount in sorted(plan.unmapped.items()):
        name = scan.accounts.get(account, "")
        plan.diagnostics.append(
            _error(
                "unmapped_account",
                f"Account {account}{' ' + name if name else ''} ({amount} kr) has no category in the "
                "mapping; add one (admin: account mappings).",
            )
        )
    funds = set(
        Fund.objects.filter(cooperation_id=year.cooperation_id).values_list("slug", flat=True)
    )
    for fund in sorted(plan.funds_used - funds):
        if fund:
            plan.diagnostics.append(_error("unknown_fund", f"Fund {fund!r} does not exist."))
        else:
            plan.diagnostics.append(
                _error("no_operating_fund", f"The year {year.year} has no operating fund.")
            )
    known_projects = set(
        Project.objects.filter(cooperation_id=year.cooperation_id).values_list("slug", flat=True)
    )
    for project in sorted(plan.projects_used - known_projects):
        plan.diagnostics.append(_error("unknown_project", f"Project {project!r} does not exist."))
    return plan


class _Scan:
    """One streaming pass over a file, yielding the lines the import would store."""

    def __init__(
        self, year: Year, objects: list[str], diagnostics: list[Diagnostic] | None
    ) -> None:
        self.year = year
        self.rules = load_rules(year)
        self.operating = year.operating_fund.slug if year.operating_fund else None
        self.diagnostics = diagnostics
        self.wanted: set[tuple[str, str]] = set()
        for spec in objects:
            dim, sep, obj = spec.partition(":")
            if not sep or not dim or not obj:
                self._add(_error("bad_object", f"--object {spec!r} is not DIM:ID (e.g. 1:4711)."))
            self.wanted.add((dim, obj))
        self.declared: set[tuple[str, str]] = set()
        self.accounts: dict[str, str] = {}
        self.unmapped: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.year_ok = False
        self.vouchers = 0
        self.skipped = 0

    def _add(self, diagnostic: Diagnostic) -> None:
        if self.diagnostics is not None:
            self.diagnostics.append(diagnostic)

    def lines(self, data: bytes) -> Iterator[dict[str, Any]]:
        for item in iter_sie(data, options=STRICT_IMPORT):
            if isinstance(item, Voucher):
                yield from self._voucher(item)
            elif isinstance(item, Diagnostic):
                self._add(item)
            elif isinstance(item, Header):
                current = [fy for fy in item.fiscal_years if fy.index == 0]
                self.year_ok = bool(
                    current and current[0].start and current[0].start.year == self.year.year
                )
            elif isinstance(item, Object):
                self.declared.add((item.dimension, item.id))
            elif isinstance(item, Account):
                self.accounts[item.number] = item.name

    def _voucher(self, voucher: Voucher) -> Iterator[dict[str, Any]]:
        self.vouchers += 1
        if voucher.date is None or voucher.date.year != self.year.year:
            self._add(
                _error(
                    "voucher_outside_year",
                    f"Voucher {voucher.series} {voucher.number} is dated {voucher.date}, outside {self.year.year}.",
                    voucher.line,
                )
            )
            return
        took = False
        for trans in voucher.transactions:
            if not trans.account.startswith(RESULT_CLASSES):
                continue
            if self.wanted and not ({(d, o) for d, o in trans.objects} & self.wanted):
                continue
            rule = match(self.rules, trans.account, frozenset(f"{d}:{o}" for d, o in trans.objects))
            if rule is None:
                self.unmapped[trans.account] += trans.amount
                continue
            took = True
            # SIE amounts are debit positive: a cost is a debit, income a credit; both stored positive.
            kind = LineKind.INCOME if trans.account.startswith("3") else LineKind.COST
            yield {
                "fund": rule.fund or self.operating,
                "category": rule.category,
                "kind": kind,
                "amount": -trans.amount if kind == LineKind.INCOME else trans.amount,
                "date": trans.date or voucher.date,
                "text": (trans.text or voucher.text)[:300],
                "project": rule.project,
                "voucher": f"{voucher.series} {voucher.number}"[:60],
                "account": trans.account,
            }
        if not took:
            self.skipped += 1


def import_sie(
    path: Path,
    year: Year,
    *,
    objects: list[str] | None = None,
    replace: bool = False,
    actor: Any = None,
) -> tuple[Plan, bool]:
    """Store the plan in one transaction; returns (plan, changed). Raises ImportRefused."""
    if year.is_locked:
        raise ImportRefused(
            [_error("year_locked", f"The year {year.year} is decided; reopen it first.")]
        )
    data = path.read_bytes()
    plan = plan_import(path, year, objects=objects, data=data)
    if plan.errors:
        raise ImportRefused(plan.diagnostics)
    existing = list(ImportBatch.objects.filter(year=year))
    if any(
        b.sha256 == plan.sha256 and b.selected_objects == ",".join(plan.objects) for b in existing
    ):
        return plan, False
    if existing and not replace:
        raise ImportRefused(
            [
                _error(
                    "already_imported",
                    f"The year {year.year} already has imported accounts from {existing[-1].file_name}; "
                    "use --replace to replace them with this file.",
                )
            ]
        )
    funds = {f.slug: f for f in Fund.objects.filter(cooperation_id=year.cooperation_id)}
    categories = {
        c.slug: c for c in CostCategory.objects.filter(cooperation_id=year.cooperation_id)
    }
    projects = {p.slug: p for p in Project.objects.filter(cooperation_id=year.cooperation_id)}
    with transaction.atomic():
        for batch in existing:
            batch.delete()
        batch = ImportBatch.objects.create(
            year=year,
            file_name=plan.file_name,
            sha256=plan.sha256,
            selected_objects=",".join(plan.objects),
            summary={
                "vouchers": plan.vouchers,
                "lines": plan.line_count,
                "totals": {"/".join(k): str(v) for k, v in plan.totals.items()},
            },
        )
        # Second pass over the file: lines are written in batches as they are read.
        rows = (
            LedgerLine(
                year=year,
                fund=funds[line["fund"]],
                category=categories[line["category"]],
                kind=line["kind"],
                amount=line["amount"],
                date=line["date"],
                text=line["text"],
                project=projects.get(line["project"] or ""),
                voucher=line["voucher"],
                account=line["account"],
                source=LineSource.SIE,
                batch=batch,
                order=index,
            )
            for index, line in enumerate(_Scan(year, list(objects or []), None).lines(data))
        )
        # bulk_create would turn a generator into one list; feed it slices to keep memory flat.
        while chunk := list(islice(rows, 5000)):
            LedgerLine.objects.bulk_create(chunk)
        record(
            actor=actor,
            action="finance.sie_import",
            cooperation=year.cooperation,
            year=year.year,
            obj=batch,
            changes={
                "sha256": plan.sha256,
                "lines": plan.line_count,
                "replaced": [b.sha256 for b in existing],
            },
            message=f"{plan.file_name} imported",
        )
    return plan, True
