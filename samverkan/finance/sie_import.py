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

`import_sie` reads the file once: the lines are written while it is read, inside the
transaction, and a finding that refuses the import (found at any point of the file) rolls
them back. Memory does not grow with the file: the reader streams, mappings are resolved
once per account, and lines go to the database in batches of plain rows (see `_LineWriter`).

On SQLite, whose one write lock would keep every other writer (a follow-up saved, a
sign-in) waiting for the whole read, the lines go first to a temporary table of this
connection, which takes no lock on the database; the transaction that then moves them
over in one statement holds the lock for a moment, not for the read. A refused file
never takes the lock at all.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any

import yaml
from django.db import connections, router, transaction

from samverkan.audit.services import Actor, record
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
    Balance,
    Diagnostic,
    FiscalYear,
    Header,
    Object,
    Reconciler,
    Reconciliation,
    Voucher,
    iter_sie,
)
from samverkan.finance.sie.records import Figure
from samverkan.lib.money import ZERO
from samverkan.members import locking
from samverkan.members.models import Year, years_from
from samverkan.projects.models import Project

DEFAULT_MAPPING = Path(__file__).with_name("kommunbas.yaml")
RESULT_CLASSES = ("3", "4", "5", "6", "7", "8")
WRITE_BATCH = 10_000
"""Lines sent to the database per executemany."""
_AMOUNT_FIELD = LedgerLine._meta.get_field("amount")
AMOUNT_LIMIT = Decimal(10) ** (_AMOUNT_FIELD.max_digits - _AMOUNT_FIELD.decimal_places)
"""The smallest amount a ledger line cannot hold (its column's digits before the point)."""


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
    reconciliation: Reconciliation | None = None
    account_names: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def notes(self) -> list[Diagnostic]:
        """The info-level findings."""
        return [d for d in self.diagnostics if d.severity == "info"]

    def add(self, line: dict[str, Any]) -> None:
        """Count one line that would be stored."""
        self.totals[(line["fund"] or "", line["category"], line["kind"])] += line["amount"]
        self.line_count += 1
        self.funds_used.add(line["fund"] or "")
        if line["project"]:
            self.projects_used.add(line["project"])


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


def _error(code: str, message: str, line: int | None = None, **figures: Figure) -> Diagnostic:
    return Diagnostic(severity="error", line=line, code=code, message=message, figures=figures)


@contextmanager
def _opened(path: Path, data: bytes | None) -> Iterator[tuple[bytes | IO[bytes], str]]:
    """The file's bytes (or an open file, read from the start) and its SHA-256."""
    if data is not None:
        yield data, hashlib.sha256(data).hexdigest()
        return
    with path.open("rb") as stream:
        sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
        stream.seek(0)
        yield stream, sha256


def plan_import(
    path: Path,
    year: Year,
    *,
    objects: list[str] | None = None,
    data: bytes | None = None,
    file_name: str | None = None,
) -> Plan:
    """Read the file and work out what would be stored: totals and diagnostics; writes nothing.

    ``file_name`` is the name to record (an uploaded file's own name); default the path's.
    """
    with _opened(path, data) as (source, sha256):
        return _plan(file_name or path.name, year, objects, source, sha256)


@dataclass(frozen=True, slots=True, kw_only=True)
class TotalChange:
    """One fund, category and kind: the earlier import's total against the new file's."""

    fund: str
    category: str
    kind: str
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


def replacement_changes(plan: Plan, year: Year) -> tuple[ImportBatch | None, list[TotalChange]]:
    """The year's earlier import (if any, and from another file) and how the plan's totals
    differ from it, per fund, category and kind; unchanged totals are left out."""
    earlier = ImportBatch.objects.filter(year=year).order_by("-created_at").first()
    if earlier is None or earlier.sha256 == plan.sha256:
        return None, []
    before = {
        tuple(key.split("/", 2)): Decimal(amount)
        for key, amount in earlier.summary.get("totals", {}).items()
    }
    after = {key: amount for key, amount in plan.totals.items()}
    changes = [
        TotalChange(
            fund=key[0],
            category=key[1],
            kind=key[2],
            before=before.get(key, ZERO),
            after=after.get(key, ZERO),
        )
        for key in sorted(set(before) | set(after))
    ]
    return earlier, [c for c in changes if c.difference]


def _new_plan(file_name: str, year: Year, objects: list[str] | None, sha256: str) -> Plan:
    return Plan(year=year.year, sha256=sha256, file_name=file_name, objects=tuple(objects or ()))


def _plan(
    file_name: str, year: Year, objects: list[str] | None, source: bytes | IO[bytes], sha256: str
) -> Plan:
    plan = _new_plan(file_name, year, objects, sha256)
    scan = _Scan(year, list(objects or []), plan.diagnostics)
    for line in scan.lines(source):
        plan.add(line)
    _check(plan, scan, year)
    return plan


def _check(plan: Plan, scan: _Scan, year: Year) -> None:
    """After the pass over the file: whether its vouchers reconcile with its balances (an
    incomplete export does not), and what it found against the cooperation's funds and names."""
    plan.vouchers, plan.skipped_vouchers, plan.unmapped = scan.vouchers, scan.skipped, scan.unmapped
    plan.account_names = scan.accounts
    plan.reconciliation = scan.reconciler.result()
    plan.diagnostics.extend(plan.reconciliation.diagnostics)
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
                    account=rule.account,
                    category=rule.category,
                )
            )
    if not scan.year_ok:
        # One error, first: the file is for another year (its vouchers were not looked at).
        plan.diagnostics.insert(0, _wrong_year(scan.file_year, year, scan.vouchers))
    for dim, obj in sorted(scan.wanted - scan.declared):
        plan.diagnostics.append(
            _error(
                "unknown_object",
                f"Object {dim}:{obj} is not declared in the file (#OBJEKT).",
                object=f"{dim}:{obj}",
            )
        )
    for account, amount in sorted(plan.unmapped.items()):
        name = scan.accounts.get(account, "")
        plan.diagnostics.append(
            _error(
                "unmapped_account",
                f"Account {account}{' ' + name if name else ''} ({amount} kr) has no category in the "
                "mapping; add one (admin: account mappings).",
                account=account,
                amount=amount,
            )
        )
    funds = set(
        Fund.objects.filter(cooperation_id=year.cooperation_id).values_list("slug", flat=True)
    )
    for fund in sorted(plan.funds_used - funds):
        if fund:
            plan.diagnostics.append(
                _error("unknown_fund", f"Fund {fund!r} does not exist.", fund=fund)
            )
        else:
            plan.diagnostics.append(
                _error(
                    "no_operating_fund",
                    f"The year {year.year} has no operating fund.",
                    year=year.year,
                )
            )
    known_projects = set(
        Project.objects.filter(cooperation_id=year.cooperation_id).values_list("slug", flat=True)
    )
    for project in sorted(plan.projects_used - known_projects):
        plan.diagnostics.append(
            _error("unknown_project", f"Project {project!r} does not exist.", project=project)
        )


def _wrong_year(file_year: FiscalYear | None, year: Year, vouchers: int) -> Diagnostic:
    """The one error of a file whose current fiscal year (#RAR 0) is not the year imported into:
    which year the file covers, which year it was meant for, and what to do."""
    if file_year is None or file_year.start is None:
        return _error(
            "year_not_in_file",
            f"The file states no current fiscal year (#RAR 0), so it cannot be imported into "
            f"{year.year}; export it again from the accounting program with its fiscal year.",
            year=year.year,
            vouchers=vouchers,
        )
    return _error(
        "year_not_in_file",
        f"The file covers the fiscal year {file_year.start} to {file_year.end} (#RAR 0), not "
        f"{year.year}: import it into {file_year.start.year}, or export {year.year} from the "
        f"accounting program. None of its {vouchers} vouchers was imported.",
        year=year.year,
        file_year=file_year.start.year,
        file_start=file_year.start,
        file_end=file_year.end,
        vouchers=vouchers,
    )


class _Scan:
    """One streaming pass over a file, yielding the lines the import would store."""

    def __init__(
        self, year: Year, objects: list[str], diagnostics: list[Diagnostic] | None
    ) -> None:
        self.year = year
        self.rules = load_rules(year)
        self.operating = year.operating_fund.slug if year.operating_fund else None
        # The objects some rule asks for: only they can change which rule an account takes.
        self.rule_objects = frozenset(r.object_id for r in self.rules if r.object_id)
        self.targets: dict[tuple[str, frozenset[str]], tuple[Any, ...] | None] = {}
        self.diagnostics = diagnostics
        self.wanted: set[tuple[str, str]] = set()
        for spec in objects:
            dim, sep, obj = spec.partition(":")
            if not sep or not dim or not obj:
                self._add(
                    _error(
                        "bad_object",
                        f"--object {spec!r} is not DIM:ID (e.g. 1:4711).",
                        object=spec[:80],
                    )
                )
            self.wanted.add((dim, obj))
        self.declared: set[tuple[str, str]] = set()
        self.accounts: dict[str, str] = {}
        self.unmapped: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.year_ok = False
        self.file_year: FiscalYear | None = None  # the file's #RAR 0
        self.vouchers = 0
        self.skipped = 0
        self.reconciler = Reconciler()

    def _add(self, diagnostic: Diagnostic) -> None:
        if self.diagnostics is not None:
            self.diagnostics.append(diagnostic)

    def lines(self, source: bytes | IO[bytes]) -> Iterator[dict[str, Any]]:
        reconciler = self.reconciler
        for item in iter_sie(source, options=STRICT_IMPORT):
            if isinstance(item, Voucher):
                reconciler.add_voucher(item)
                yield from self._voucher(item)
            elif isinstance(item, Balance):
                reconciler.add_balance(item)
            elif isinstance(item, Diagnostic):
                self._add(item)
            elif isinstance(item, Header):
                self.file_year = item.fiscal_year(0)
                self.year_ok = bool(
                    self.file_year
                    and self.file_year.start
                    and self.file_year.start.year == self.year.year
                )
            elif isinstance(item, Object):
                self.declared.add((item.dimension, item.id))
            elif isinstance(item, Account):
                self.accounts[item.number] = item.name
                reconciler.add(item)

    def _voucher(self, voucher: Voucher) -> Iterator[dict[str, Any]]:
        self.vouchers += 1
        if not self.year_ok:
            # A file of another year: one error says so (year_not_in_file), not one per voucher.
            return
        if voucher.date is None or voucher.date.year != self.year.year:
            self._add(
                _error(
                    "voucher_outside_year",
                    f"Voucher {voucher.series} {voucher.number} is dated {voucher.date}, outside {self.year.year}.",
                    voucher.line,
                    voucher=f"{voucher.series} {voucher.number}".strip()[:60],
                    date=voucher.date,
                )
            )
            return
        took = False
        wanted, targets, rule_objects = self.wanted, self.targets, self.rule_objects
        label = f"{voucher.series} {voucher.number}"[:60]
        for trans in voucher.transactions:
            account = trans.account
            if not account.startswith(RESULT_CLASSES):
                continue
            if wanted and wanted.isdisjoint(trans.objects):
                continue
            if rule_objects and trans.objects:
                key = (account, frozenset(f"{d}:{o}" for d, o in trans.objects) & rule_objects)
            else:
                key = (account, _NO_OBJECTS)
            try:
                target = targets[key]
            except KeyError:
                target = targets[key] = self._target(*key)
            if target is None:
                self.unmapped[account] += trans.amount
                continue
            if abs(trans.amount) >= AMOUNT_LIMIT:
                self._add(
                    _error(
                        "amount_too_large",
                        f"Line {trans.line or voucher.line}: the amount {trans.amount} of account "
                        f"{account} is larger than the ledger can hold ({AMOUNT_LIMIT} kr or more).",
                        trans.line or voucher.line,
                        account=account,
                        amount=trans.amount,
                    )
                )
                continue
            took = True
            fund, category, kind, project = target
            yield {
                "fund": fund,
                "category": category,
                "kind": kind,
                "amount": -trans.amount if kind == LineKind.INCOME else trans.amount,
                "date": trans.date or voucher.date,
                "text": (trans.text or voucher.text)[:300],
                "project": project,
                "voucher": label,
                "account": account,
            }
        if not took:
            self.skipped += 1

    def _target(self, account: str, objects: frozenset[str]) -> tuple[Any, ...] | None:
        """Fund, category, kind and project of an account's lines (None: not mapped)."""
        rule = match(self.rules, account, objects)
        if rule is None:
            return None
        # SIE amounts are debit positive: a cost is a debit, income a credit; both stored positive.
        kind = LineKind.INCOME if account.startswith("3") else LineKind.COST
        return (rule.fund or self.operating, rule.category, kind, rule.project)


_NO_OBJECTS: frozenset[str] = frozenset()


class _LineWriter:
    """Writes one import's lines to the database in batches, as they are read.

    ``bulk_create`` spends about 100 µs a line building model instances and compiling them to
    SQL, several times what reading the line costs. This sends the INSERT ``bulk_create`` would,
    several rows per statement, from plain values: the columns come from the model (with
    the model's defaults for those an import does not set), the amount and the date go
    through the backend's own adapters, and, as with ``bulk_create``, no ``save()`` is
    called and no signal sent. Once the file has produced an error the import will be
    refused, so nothing more is sent.
    """

    _PER_LINE = ("fund", "category", "kind", "amount", "date", "text", "project", "voucher")

    def __init__(
        self,
        batch_id: int,
        diagnostics: list[Diagnostic],
        year: Year,
        using: str,
        table: str | None = None,
    ) -> None:
        self.connection = connections[using]
        cooperation = year.cooperation_id
        self.funds = dict(Fund.objects.filter(cooperation_id=cooperation).values_list("slug", "pk"))
        self.categories = dict(
            CostCategory.objects.filter(cooperation_id=cooperation).values_list("slug", "pk")
        )
        self.projects = dict(
            Project.objects.filter(cooperation_id=cooperation).values_list("slug", "pk")
        )
        given = {"year": year.pk, "source": LineSource.SIE.value, "batch": batch_id}
        meta = LedgerLine._meta
        fields = {f.name: f for f in meta.concrete_fields if f is not meta.pk}
        per_line = [fields.pop(name) for name in (*self._PER_LINE, "account", "order")]
        self.constants = tuple(
            f.get_db_prep_save(given[name] if name in given else f.get_default(), self.connection)
            for name, f in fields.items()
        )
        quote = self.connection.ops.quote_name
        self.width = len(per_line) + len(fields)
        self.columns = [str(f.column) for f in [*per_line, *fields.values()]]
        self.insert = (
            f"INSERT INTO {quote(table or meta.db_table)} "
            f"({', '.join(quote(c) for c in self.columns)}) VALUES "
        )
        # As many rows per statement as the backend takes parameters (SQLite: 999; PostgreSQL
        # has no limit of its own in Django, but its protocol stops at 65,535).
        limit = self.connection.features.max_query_params or 65_535
        self.per_statement = max(1, min(500, limit // self.width))
        self.statement = self._sql(self.per_statement)
        amount = per_line[self._PER_LINE.index("amount")]
        self.max_digits = getattr(amount, "max_digits", None)
        self.decimal_places = getattr(amount, "decimal_places", None)
        self.dates: dict[date, Any] = {}
        self.diagnostics = diagnostics
        self.checked = 0
        self.refused = False
        self.params: list[Any] = []
        self.count = 0

    def _sql(self, rows: int) -> str:
        row = f"({', '.join(['%s'] * self.width)})"
        return self.insert + ", ".join([row] * rows)

    def add(self, line: dict[str, Any]) -> None:
        fund = self.funds.get(line["fund"])
        category = self.categories.get(line["category"])
        if fund is None or category is None:
            self.refused = True  # the plan's checks name the missing fund or category
        if self.refused:
            return
        day: date = line["date"]
        if (stored_day := self.dates.get(day)) is None:
            stored_day = self.dates[day] = self.connection.ops.adapt_datefield_value(day)
        params = self.params
        params += (
            fund,
            category,
            line["kind"],
            self.connection.ops.adapt_decimalfield_value(
                line["amount"], self.max_digits, self.decimal_places
            ),
            stored_day,
            line["text"],
            self.projects.get(line["project"] or ""),
            line["voucher"],
            line["account"],
            self.count,
        )
        params += self.constants
        self.count += 1
        if len(params) >= WRITE_BATCH * self.width:
            self.flush()

    def flush(self) -> None:
        if any(d.severity == "error" for d in islice(self.diagnostics, self.checked, None)):
            self.refused = True
        self.checked = len(self.diagnostics)
        params, self.params = self.params, []
        if not params or self.refused:
            return
        # One executemany of full statements: the SQL is prepared (and, on SQLite, its
        # placeholders converted) once per batch, not once per statement.
        step = self.per_statement * self.width
        full = len(params) - len(params) % step
        with self.connection.cursor() as cursor:
            if full:
                chunks = [params[i : i + step] for i in range(0, full, step)]
                cursor.executemany(self.statement, chunks)
            if full < len(params):
                cursor.execute(self._sql((len(params) - full) // self.width), params[full:])


def import_sie(
    path: Path,
    year: Year,
    *,
    objects: list[str] | None = None,
    replace: bool = False,
    actor: Actor = None,
    file_name: str | None = None,
) -> tuple[Plan, bool]:
    """Store the plan in one transaction; returns (plan, changed). Raises ImportRefused.

    One pass over the file plans and writes at once; errors found on the way roll the
    transaction back. When nothing would be written (the same file again, or an earlier
    import and no `replace`), the file is only planned, and its errors still come first.
    The command line and the web upload both call this; ``file_name`` is the name to record
    (an uploaded file's own name), by default the path's.
    """
    selected = ",".join(objects or ())
    name = file_name or path.name
    with _opened(path, None) as (source, sha256):
        existing = list(ImportBatch.objects.filter(year=year))
        same = any(b.sha256 == sha256 and b.selected_objects == selected for b in existing)
        if same or (existing and not replace):
            plan = _plan(name, year, objects, source, sha256)
            if plan.errors:
                raise ImportRefused(plan.diagnostics)
            if same:
                return plan, False
            raise ImportRefused(
                [
                    _error(
                        "already_imported",
                        f"The year {year.year} already has imported accounts from "
                        f"{existing[-1].file_name}; use --replace to replace them with this file.",
                        year=year.year,
                        file=existing[-1].file_name,
                    )
                ]
            )
        using = router.db_for_write(LedgerLine)
        if connections[using].vendor == "sqlite":
            return _import_staged(name, year, objects, selected, source, sha256, actor, using)
        with transaction.atomic(using=using):
            # The year lock, inside the transaction that writes: a decision that lands first
            # refuses the import; one that comes later waits for it (the lines are raw SQL,
            # which no model gate sees). The lines feed every later year's opening balances.
            _lock_years(year, using)
            existing = list(ImportBatch.objects.filter(year=year))
            for old in existing:
                old.delete()
            batch = ImportBatch.objects.create(
                year=year, file_name=name, sha256=sha256, selected_objects=selected
            )
            plan = _new_plan(name, year, objects, sha256)
            scan = _Scan(year, list(objects or []), plan.diagnostics)
            writer = _LineWriter(batch.pk, plan.diagnostics, year, using)
            for line in scan.lines(source):
                plan.add(line)
                writer.add(line)
            writer.flush()
            _check(plan, scan, year)
            if plan.errors or writer.refused:
                raise ImportRefused(plan.diagnostics)
            batch.summary = {
                "vouchers": plan.vouchers,
                "lines": plan.line_count,
                "totals": {"/".join(k): str(v) for k, v in plan.totals.items()},
            }
            batch.save(update_fields=["summary"])
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


_STAGING = "samverkan_sie_staging"


def _lock_years(year: Year, using: str) -> None:
    try:
        locking.lock_years(years_from(year.pk, year.cooperation_id), using=using)
    except locking.YearLocked as exc:
        raise ImportRefused(
            [
                _error(
                    "year_locked",
                    f"The year {exc.year.year} is {exc.year.status}; reopen it first.",
                    year=exc.year.year,
                )
            ]
        ) from None


def _import_staged(
    name: str,
    year: Year,
    objects: list[str] | None,
    selected: str,
    source: bytes | IO[bytes],
    sha256: str,
    actor: Actor,
    using: str,
) -> tuple[Plan, bool]:
    """`import_sie` on SQLite: read into a temporary table, then hold the write lock only to move the lines."""
    _lock_years(
        year, using
    )  # outside a transaction only a look: a locked year is refused before the read
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(LedgerLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS temp.{_STAGING}")
        cursor.execute(f"CREATE TEMP TABLE {_STAGING} AS SELECT * FROM {table} WHERE 0")
    try:
        plan = _new_plan(name, year, objects, sha256)
        scan = _Scan(year, list(objects or []), plan.diagnostics)
        writer = _LineWriter(0, plan.diagnostics, year, using, table=_STAGING)
        for line in scan.lines(source):
            plan.add(line)
            writer.add(line)
        writer.flush()
        _check(plan, scan, year)
        if plan.errors or writer.refused:
            raise ImportRefused(plan.diagnostics)
        with transaction.atomic(using=using):
            _lock_years(year, using)  # the year lock, inside the transaction that writes
            existing = list(ImportBatch.objects.filter(year=year))
            for old in existing:
                old.delete()
            batch = ImportBatch.objects.create(
                year=year,
                file_name=name,
                sha256=sha256,
                selected_objects=selected,
                summary={
                    "vouchers": plan.vouchers,
                    "lines": plan.line_count,
                    "totals": {"/".join(k): str(v) for k, v in plan.totals.items()},
                },
            )
            batch_column = str(LedgerLine._meta.get_field("batch").column)
            picked = ", ".join("%s" if c == batch_column else quote(c) for c in writer.columns)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(quote(c) for c in writer.columns)}) "
                    f"SELECT {picked} FROM temp.{_STAGING} ORDER BY rowid",
                    [batch.pk],
                )
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
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{_STAGING}")
    return plan, True
