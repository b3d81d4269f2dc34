"""Consistency checks: a registered list of small documented functions.

Each check takes the CheckContext of one year and returns findings; none of
them stops at the first problem. `run_checks` runs them all. Printed totals
(`published` in the year file) are compared with the figures derived from
their parts; the report prints a differing printed figure as adopted, with
a note written from the finding (reports/notes.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from samverkan.finance.accounts import YearAccounts, year_accounts
from samverkan.finance.ledger import FundBalance, transfer_imbalances
from samverkan.finance.models import Fund, FundYear, PublishedFigure
from samverkan.governance.models import Event, EventStatus
from samverkan.lib.money import ZERO, round_kronor
from samverkan.lib.report_settings import Settings, merged
from samverkan.members.fees import rule_for
from samverkan.members.models import Member, PopulationFigure, Year
from samverkan.projects.models import Grant, GrantPayment, GrantTiming, Project
from samverkan.reports import formatting as fmt
from samverkan.reports.findings import Finding

FIELD_NAMES = {
    "opening": "ingående balans",
    "income": "intäkter",
    "costs": "kostnader",
    "closing": "utgående balans",
}


@dataclass
class CheckContext:
    year: Year
    accounts: YearAccounts
    published: list[PublishedFigure]
    fund_names: dict[str, str] = field(default_factory=dict)
    # Transfers between funds are their own kind (report option transfers: separate): a fund's
    # income and costs are then compared without them, as the report prints them.
    transfers_apart: bool = False

    def where(self, *parts: str) -> str:
        return " · ".join([str(self.year.year), *[p for p in parts if p]])

    def fund_label(self, slug: str) -> str:
        return self.fund_names.get(slug, slug)


def build_context(year: Year, accounts: YearAccounts | None = None) -> CheckContext:
    accounts = accounts or year_accounts(year)
    names = {f.slug: f.name for f in Fund.objects.filter(cooperation_id=year.cooperation_id)}
    for fy in FundYear.objects.filter(year=year).select_related("fund"):
        if fy.label:
            names[fy.fund.slug] = fy.label
    settings = Settings(merged(year.cooperation.report_settings, year.report_settings))
    return CheckContext(
        year=year,
        accounts=accounts,
        published=list(PublishedFigure.objects.filter(year=year)),
        fund_names=names,
        transfers_apart=settings.option("transfers") == "separate",
    )


def _transfers(ctx: CheckContext, kind: str, fund: str | None = None) -> Decimal:
    """Transfer lines of one kind (in one fund, or all), when transfers are shown apart."""
    if not ctx.transfers_apart:
        return ZERO
    return sum(
        (
            e.amount
            for e in ctx.accounts.entries
            if e.transfer and e.kind == kind and (fund is None or e.fund == fund)
        ),
        ZERO,
    )


Check = Callable[[CheckContext], list[Finding]]
CHECKS: list[Check] = []


def register(check: Check) -> Check:
    CHECKS.append(check)
    return check


def _row_field(row: FundBalance, name: str) -> Decimal:
    return row.closing if name == "closing" else getattr(row, name)


@register
def fee_income_is_rate_times_population(ctx: CheckContext) -> list[Finding]:
    """Members' fee income equals the fee rate times the basis population.

    Fires when a member has no population figure at the basis date, when
    booked fee income (e.g. from an SIE import) differs from rate ×
    population, and when a printed fee income or basis date differs.
    """
    findings: list[Finding] = []
    fees = ctx.accounts.fees
    if fees.rate is None:
        return [
            Finding(
                check="fee_income",
                severity="warning",
                where=ctx.where("avgifter"),
                message="Ingen avgiftsregel gäller för året.",
            )
        ]
    for charge in fees.missing:
        findings.append(
            Finding(
                check="fee_income",
                severity="error",
                where=ctx.where("avgifter", charge.member_name),
                message=f"Invånarantal saknas för {charge.member_name} den {charge.basis_date.isoformat()}.",
                record=f"member:{charge.member_code}",
            )
        )
    expected = fees.total
    if not ctx.accounts.fees_derived and ctx.accounts.fee_category:
        booked = sum(
            (
                e.amount if e.kind == "income" else -e.amount
                for e in ctx.accounts.entries
                if e.category == ctx.accounts.fee_category
            ),
            ZERO,
        )
        if booked != expected:
            findings.append(
                Finding(
                    check="fee_income",
                    severity="error",
                    where=ctx.where("avgifter", "bokförda intäkter"),
                    message=f"Bokförd avgiftsintäkt skiljer sig från {fees.rate} kr × {fees.basis_population} invånare.",
                    expected=expected,
                    found=booked,
                )
            )
    for figure in ctx.published:
        if figure.key == "fee_income" and figure.amount is not None and figure.amount != expected:
            findings.append(
                Finding(
                    check="fee_income",
                    severity="error",
                    where=ctx.where(figure.place, "avgiftsintäkt"),
                    message=f"Tryckt avgiftsintäkt skiljer sig från {fees.rate} kr × {fees.basis_population} invånare.",
                    expected=expected,
                    found=figure.amount,
                    key=figure.key,
                    printed_in=figure.printed_in,
                    subject="avgiftsintäkt",
                )
            )
        if (
            figure.key == "fee_basis_date"
            and figure.date
            and fees.basis_date
            and figure.date != fees.basis_date
        ):
            rule = rule_for(ctx.year)
            findings.append(
                Finding(
                    check="fee_income",
                    severity="warning",
                    where=ctx.where(figure.place, "avgiftens underlag"),
                    message=(
                        "Texten anger ett annat datum för invånarantalet än avgiftsregeln "
                        f"({rule.get_basis_display() if rule else ''}); avgiften stämmer med regelns datum."
                    ),
                    expected=fees.basis_date.isoformat(),
                    found=figure.date.isoformat(),
                    key=figure.key,
                    printed_in=figure.printed_in or "text",
                    subject="avgiftens underlag",
                )
            )
    return findings


@register
def printed_rows_are_consistent(ctx: CheckContext) -> list[Finding]:
    """A printed row adds up: opening + income - costs = closing, and the printed
    sum row equals the sum of the printed rows in the same table."""
    findings: list[Finding] = []
    by_place: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    printed_in: dict[str, str] = {}
    for figure in ctx.published:
        parts = figure.key.split(".")
        if figure.amount is None or len(parts) not in (2, 3) or parts[0] not in ("fund", "total"):
            continue
        subject = "total" if parts[0] == "total" else parts[1]
        by_place[(figure.place, subject)][parts[-1]] = figure.amount
        printed_in.setdefault(figure.place, figure.printed_in)
    for (place, subject), values in by_place.items():
        if "closing" in values and ("income" in values or "costs" in values or "opening" in values):
            computed = (
                values.get("opening", ZERO) + values.get("income", ZERO) - values.get("costs", ZERO)
            )
            if computed != values["closing"]:
                label = "summa" if subject == "total" else ctx.fund_label(subject)
                findings.append(
                    Finding(
                        check="printed_rows",
                        severity="error",
                        where=ctx.where(place, label, "utgående balans"),
                        message="Den tryckta raden går inte ihop: ingående balans + intäkter − kostnader ≠ utgående balans.",
                        expected=computed,
                        found=values["closing"],
                        key="total.closing" if subject == "total" else f"fund.{subject}.closing",
                        printed_in=printed_in.get(place, ""),
                        subject=f"{label}, utgående balans",
                    )
                )
    for (place, subject), values in by_place.items():
        if subject != "total":
            continue
        for name, printed_total in values.items():
            rows = [
                v[name]
                for (p, s), v in by_place.items()
                if p == place and s != "total" and name in v
            ]
            # One printed row is a figure quoted in prose, not a table to add up.
            if len(rows) >= 2 and sum(rows, ZERO) != printed_total:
                findings.append(
                    Finding(
                        check="printed_rows",
                        severity="error",
                        where=ctx.where(place, "summa av raderna", FIELD_NAMES[name]),
                        message="Den tryckta summan är inte summan av de tryckta raderna.",
                        expected=sum(rows, ZERO),
                        found=printed_total,
                        key=f"total.{name}",
                        printed_in=printed_in.get(place, ""),
                        subject=f"summa av raderna, {FIELD_NAMES[name]}",
                    )
                )
    return findings


def derived_figure(ctx: CheckContext, key: str) -> Decimal | None:
    """The figure a published-figure key names, derived from its parts; None for an unknown key.

    The same keys serve the year file's `published` list and the `{{ key }}`
    placeholders in a year's texts (see docs/yearfile.md).
    """
    parts = key.split(".")
    entries = ctx.accounts.entries
    if key == "fee_income":
        return ctx.accounts.fees.total
    moved = {"income": "income", "costs": "cost"}
    if parts[0] == "total" and len(parts) == 2 and parts[1] in FIELD_NAMES:
        value = _row_field(ctx.accounts.total, parts[1])
        return value - _transfers(ctx, moved[parts[1]]) if parts[1] in moved else value
    if parts[0] == "fund" and len(parts) == 3 and parts[2] in FIELD_NAMES:
        value = _row_field(
            ctx.accounts.balances.get(parts[1], FundBalance(fund=parts[1])), parts[2]
        )
        return value - _transfers(ctx, moved[parts[2]], parts[1]) if parts[2] in moved else value
    if parts[0] == "fund" and len(parts) == 4 and parts[2] == "category":
        return sum(
            (e.amount for e in entries if e.fund == parts[1] and e.category == parts[3]), ZERO
        )
    if parts[0] == "project" and len(parts) == 3 and parts[2] == "cost":
        return sum(
            (
                e.amount
                for e in entries
                if e.project == parts[1] and e.kind == "cost" and not e.transfer
            ),
            ZERO,
        )
    if parts[0] == "event" and len(parts) == 3:
        event = Event.objects.filter(year=ctx.year, slug=parts[1]).select_related("fund").first()
        if event is None or event.fund is None:
            return None
        row = ctx.accounts.balances.get(event.fund.slug, FundBalance(fund=event.fund.slug))
        if parts[2] == "cost_per_participant":
            return round_kronor(row.costs / event.participants) if event.participants else None
        if parts[2] in ("income", "costs"):
            return _row_field(row, parts[2])
    return None


def _figure_label(ctx: CheckContext, key: str) -> str:
    parts = key.split(".")
    if parts[0] == "total":
        return f"summa, {FIELD_NAMES[parts[1]]}"
    if parts[0] == "fund" and len(parts) == 3:
        return f"{ctx.fund_label(parts[1])}, {FIELD_NAMES[parts[2]]}"
    if parts[0] == "fund":
        return f"{ctx.fund_label(parts[1])}, {parts[3]}"
    if parts[0] == "project":
        project = Project.objects.filter(
            cooperation_id=ctx.year.cooperation_id, slug=parts[1]
        ).first()
        return f"{project.name if project else parts[1]}, kostnad"
    return key


@register
def printed_totals_match_derived(ctx: CheckContext) -> list[Finding]:
    """Every printed fund, total, category and project figure equals the one derived from its parts.

    A project's stated cost is often a rounded figure in prose, so a
    difference there is a warning; everywhere else it is an error.
    """
    findings: list[Finding] = []
    for figure in ctx.published:
        if figure.amount is None or not figure.key.startswith(("total.", "fund.", "project.")):
            continue
        derived = derived_figure(ctx, figure.key)
        if derived is None or derived == figure.amount:
            continue
        is_project = figure.key.startswith("project.")
        findings.append(
            Finding(
                check="printed_totals",
                severity="warning" if is_project else "error",
                where=ctx.where(figure.place, _figure_label(ctx, figure.key)),
                message=(
                    "Projektets angivna kostnad skiljer sig från de bokförda kostnaderna."
                    if is_project
                    else "Den tryckta summan skiljer sig från summan av delarna."
                ),
                expected=derived,
                found=figure.amount,
                key=figure.key,
                printed_in=figure.printed_in,
                subject=_figure_label(ctx, figure.key),
                record=f"project:{figure.key.split('.')[1]}" if is_project else None,
            )
        )
    return findings


@register
def opening_balance_is_last_years_closing(ctx: CheckContext) -> list[Finding]:
    """A fund's opening balance as stated equals last year's closing balance, where that year is in the system."""
    previous = ctx.accounts.previous_closing
    if previous is None:
        return []
    findings = []
    for slug, stated in ctx.accounts.stated_openings.items():
        carried = previous.get(slug, ZERO)
        if stated != carried:
            findings.append(
                Finding(
                    check="opening_balance",
                    severity="error",
                    where=ctx.where(ctx.fund_label(slug), "ingående balans"),
                    message=f"Angiven ingående balans skiljer sig från utgående balans {ctx.year.year - 1}.",
                    expected=carried,
                    found=stated,
                    key=f"fund.{slug}.opening",
                    printed_in="summary",
                    subject=f"{ctx.fund_label(slug)}, ingående balans",
                    record=f"fund:{slug}",
                )
            )
    return findings


@register
def transfers_net_to_zero(ctx: CheckContext) -> list[Finding]:
    """The two sides of every transfer between funds cancel out."""
    return [
        Finding(
            check="transfers",
            severity="error",
            where=ctx.where("överföring", key),
            message="Överföringens två sidor tar inte ut varandra (intäkt − kostnad ≠ 0).",
            expected=ZERO,
            found=net,
        )
        for key, net in transfer_imbalances(ctx.accounts.entries).items()
    ]


@register
def event_cost_within_cap(ctx: CheckContext) -> list[Finding]:
    """An event's cost per participant stays within its cap, and a printed figure matches."""
    findings: list[Finding] = []
    for event in Event.objects.filter(year=ctx.year).select_related("fund"):
        if event.status != EventStatus.HELD or not event.fund or not event.participants:
            continue
        costs = ctx.accounts.balances.get(event.fund.slug, FundBalance(fund=event.fund.slug)).costs
        per_participant = round_kronor(costs / event.participants)
        cap = event.cost_cap_per_participant
        if cap is not None and per_participant > cap:
            findings.append(
                Finding(
                    check="event_cost",
                    severity="error",
                    where=ctx.where(event.name, "kostnad per deltagare"),
                    message=f"Kostnaden per deltagare överstiger taket ({event.participants} deltagare).",
                    expected=cap,
                    found=per_participant,
                    record=f"event:{event.slug}",
                )
            )
        for figure in ctx.published:
            if (
                figure.key == f"event.{event.slug}.cost_per_participant"
                and figure.amount is not None
                and figure.amount != per_participant
            ):
                findings.append(
                    Finding(
                        check="event_cost",
                        severity="error",
                        where=ctx.where(figure.place, event.name),
                        message="Tryckt kostnad per deltagare skiljer sig från kostnader / deltagare.",
                        expected=per_participant,
                        found=figure.amount,
                        key=figure.key,
                        printed_in=figure.printed_in,
                        subject=f"{event.name}, kostnad per deltagare",
                        record=f"event:{event.slug}",
                    )
                )
    return findings


@register
def event_co_financing_covers_cost(ctx: CheckContext) -> list[Finding]:
    """The members' co-financing of an event adds up to the costs its fund has booked.

    The app accepts shares agreed before the costs are booked; this check
    finds them when the booked costs (an SIE import, say) differ.
    """
    findings: list[Finding] = []
    fee = ctx.accounts.fee_category
    for event in Event.objects.filter(year=ctx.year).select_related("fund"):
        if event.fund is None:
            continue
        shares = sum(
            (
                e.amount
                for e in ctx.accounts.entries
                if e.fund == event.fund.slug
                and e.member
                and e.kind == "income"
                and e.category != fee
            ),
            ZERO,
        )
        costs = ctx.accounts.balances.get(event.fund.slug, FundBalance(fund=event.fund.slug)).costs
        if shares and shares != costs:
            findings.append(
                Finding(
                    check="event_co_financing",
                    severity="error",
                    where=ctx.where(event.name, "medfinansiering"),
                    message="Medlemmarnas medfinansiering är inte lika med arrangemangets bokförda kostnader.",
                    expected=costs,
                    found=shares,
                    record=f"event:{event.slug}",
                )
            )
    return findings


@register
def grant_in_arrears_is_receivable_until_paid(ctx: CheckContext) -> list[Finding]:
    """A grant paid in arrears is a receivable from the year its income is booked until it is paid.

    Fires when payments exceed what was booked (then it was not paid in
    arrears), and when a receivable is still open after the year the payment
    was expected. An advance grant must not be spent beyond what was received.
    """
    findings: list[Finding] = []
    end = ctx.year.end()
    grants = Grant.objects.filter(
        project__cooperation_id=ctx.year.cooperation_id, year__year__lte=ctx.year.year
    ).select_related("project")
    for grant in grants:
        booked = sum(
            (
                line.amount
                for line in grant.lines.filter(year__year__lte=ctx.year.year, kind="income")
            ),
            ZERO,
        )
        paid = sum(
            (p.amount for p in GrantPayment.objects.filter(grant=grant, date__lte=end)), ZERO
        )
        if grant.timing == GrantTiming.ARREARS:
            if paid > booked:
                findings.append(
                    Finding(
                        check="grant_receivable",
                        severity="error",
                        where=ctx.where(str(grant), "utbetalning"),
                        message="Bidraget betalas i efterskott men mer har betalats ut än bokförts som intäkt.",
                        expected=booked,
                        found=paid,
                        record=f"grant:{grant.slug}",
                    )
                )
            receivable = booked - paid
            due = grant.expected_payment_year
            if receivable > 0 and due is not None and ctx.year.year > due:
                findings.append(
                    Finding(
                        check="grant_receivable",
                        severity="warning",
                        where=ctx.where(str(grant), "fordran"),
                        message=f"Bidragsfordran är fortfarande obetald efter {due}, då utbetalning väntades.",
                        expected=ZERO,
                        found=receivable,
                        record=f"grant:{grant.slug}",
                    )
                )
    return findings


@register
def stated_population_matches_members(ctx: CheckContext) -> list[Finding]:
    """The inhabitants a year's texts state agree with the members' figures for the same date or period.

    The stated total (`population_total`) is compared with the members' sum at
    its own date when every member has a figure there, else with their sum at
    the end of the year (the total is the year's closing population); two
    different figures for the same date or period is a contradiction.
    """
    year = ctx.year
    if year.population_total is None:
        return []
    members = [m for m in Member.objects.filter(cooperation_id=year.cooperation_id)]
    members = [m for m in members if m.is_member_in(year.year)]
    if not members:
        return []
    for date in dict.fromkeys(d for d in (year.population_total_date, year.end()) if d):
        figures = dict(
            PopulationFigure.objects.filter(
                member_id__in=[m.pk for m in members], date=date
            ).values_list("member_id", "population")
        )
        if len(figures) < len(members):
            continue
        total = sum(figures.values())
        if total == year.population_total:
            return []
        stated = (
            f" den {fmt.date(year.population_total_date, 'sv')}"
            if year.population_total_date
            else ""
        )
        difference = total - year.population_total
        more = "fler" if difference > 0 else "färre"
        return [
            Finding(
                check="stated_population",
                severity="warning",
                where=ctx.where("invånare"),
                message=(
                    f"Årsredovisningen anger {fmt.integer(year.population_total, 'sv')} "
                    f"invånare{stated}; medlemskommunernas invånarantal den "
                    f"{fmt.date(date, 'sv')} är {fmt.integer(total, 'sv')} "
                    f"({fmt.integer(abs(difference), 'sv')} {more})."
                ),
                expected=Decimal(total),
                found=Decimal(year.population_total),
                key="population_total",
                printed_in="text",
                subject="invånare",
            )
        ]
    return []


def run_checks(
    year: Year, checks: list[Check] | None = None, ctx: CheckContext | None = None
) -> list[Finding]:
    """All findings of all registered checks for one year (`ctx` when the caller has built it)."""
    ctx = ctx or build_context(year)
    findings: list[Finding] = []
    for check in checks or CHECKS:
        findings.extend(check(ctx))
    return findings


def receivables(year: Year) -> list[tuple[Grant, Decimal]]:
    """Open receivables of arrears grants at the end of `year` (for the report)."""
    from samverkan.projects.receivables import open_receivables

    return [(grant, amount) for grant, _fund, amount in open_receivables(year)]
