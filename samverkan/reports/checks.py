"""Consistency checks: a registered list of small documented functions.

Each check is a pure function of one year's figures (`reports.figures.YearFigures`)
that returns findings; none of them stops at the first problem, and none
reads the database (this module imports no model: the import-linter contract
in pyproject.toml holds it to that). `run_checks` runs them all. Printed
totals (`published` in the year file) are compared with the figures derived
from their parts; the report prints a differing printed figure as adopted,
with a note written from the finding (reports/notes.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from samverkan.finance.ledger import transfer_imbalances
from samverkan.lib.money import ZERO
from samverkan.reports import formatting as fmt
from samverkan.reports.figures import FIELD_NAMES, PrintedFigure, YearFigures
from samverkan.reports.findings import Finding

Check = Callable[[YearFigures], list[Finding]]
CHECKS: list[Check] = []


def register(check: Check) -> Check:
    CHECKS.append(check)
    return check


@register
def fee_income_is_rate_times_population(ctx: YearFigures) -> list[Finding]:
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
        booked = ctx.booked_fee_income()
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
            findings.append(
                Finding(
                    check="fee_income",
                    severity="warning",
                    where=ctx.where(figure.place, "avgiftens underlag"),
                    message=(
                        "Texten anger ett annat datum för invånarantalet än avgiftsregeln "
                        f"({ctx.fee_basis_label}); avgiften stämmer med regelns datum."
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
def printed_rows_are_consistent(ctx: YearFigures) -> list[Finding]:
    """A printed row adds up: opening + income - costs = closing, and the printed
    sum row equals the sum of the printed rows in the same table."""
    findings: list[Finding] = []
    by_place: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    printed_in: dict[str, str] = {}
    for figure in ctx.published:
        if figure.amount is None or not figure.figure.is_row:
            continue
        subject = "total" if figure.figure.kind == "total" else figure.figure.subject
        by_place[(figure.place, subject)][figure.figure.field] = figure.amount
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


def _figure_label(ctx: YearFigures, printed: PrintedFigure) -> str:
    figure = printed.figure
    if figure.kind == "total":
        return f"summa, {FIELD_NAMES[figure.field]}"
    if figure.kind == "fund":
        return f"{ctx.fund_label(figure.subject)}, {FIELD_NAMES[figure.field]}"
    if figure.kind == "category":
        return f"{ctx.fund_label(figure.subject)}, {figure.field}"
    if figure.kind == "project":
        return f"{ctx.project_name(figure.subject)}, kostnad"
    return printed.key


@register
def printed_totals_match_derived(ctx: YearFigures) -> list[Finding]:
    """Every printed fund, total, category and project figure equals the one derived from its parts.

    A project's stated cost is often a rounded figure in prose, so a
    difference there is a warning; everywhere else it is an error.
    """
    findings: list[Finding] = []
    for figure in ctx.published:
        if figure.amount is None or figure.figure.kind not in (
            "total",
            "fund",
            "category",
            "project",
        ):
            continue
        derived = ctx.derived(figure.figure)
        if derived is None or derived == figure.amount:
            continue
        is_project = figure.figure.kind == "project"
        findings.append(
            Finding(
                check="printed_totals",
                severity="warning" if is_project else "error",
                where=ctx.where(figure.place, _figure_label(ctx, figure)),
                message=(
                    "Projektets angivna kostnad skiljer sig från de bokförda kostnaderna."
                    if is_project
                    else "Den tryckta summan skiljer sig från summan av delarna."
                ),
                expected=derived,
                found=figure.amount,
                key=figure.key,
                printed_in=figure.printed_in,
                subject=_figure_label(ctx, figure),
                record=f"project:{figure.figure.subject}" if is_project else None,
            )
        )
    return findings


@register
def opening_balance_is_last_years_closing(ctx: YearFigures) -> list[Finding]:
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
                    message=f"Angiven ingående balans skiljer sig från utgående balans {ctx.year - 1}.",
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
def transfers_net_to_zero(ctx: YearFigures) -> list[Finding]:
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
def event_cost_within_cap(ctx: YearFigures) -> list[Finding]:
    """An event's cost per participant stays within its cap, and a printed figure matches."""
    findings: list[Finding] = []
    for event in ctx.events:
        per_participant = event.cost_per_participant
        if not event.held or per_participant is None:
            continue
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
                figure.figure.kind == "event"
                and figure.figure.subject == event.slug
                and figure.figure.field == "cost_per_participant"
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
def event_co_financing_covers_cost(ctx: YearFigures) -> list[Finding]:
    """The members' co-financing of an event adds up to the costs its fund has booked.

    The app accepts shares agreed before the costs are booked; this check
    finds them when the booked costs (an SIE import, say) differ. While the
    year is open and the event's fund has booked no costs yet (the event is
    planned, or the invoices have not come), the shares cannot be compared:
    a warning says so. Once costs are booked, or the year is decided with
    none, shares that differ are an error.
    """
    findings: list[Finding] = []
    for event in ctx.events:
        if event.fund is None:
            continue
        shares = ctx.member_shares(event.fund)
        costs = event.costs or ZERO
        if not shares or shares == costs:
            continue
        if not costs and not ctx.closed:
            findings.append(
                Finding(
                    check="event_co_financing",
                    severity="warning",
                    where=ctx.where(event.name, "medfinansiering"),
                    message=(
                        "Arrangemangets kostnader är inte bokförda ännu, så medlemmarnas "
                        "medfinansiering kan inte stämmas av. Den jämförs med kostnaderna "
                        "när de är bokförda."
                    ),
                    # No cost to compare with yet: no expected amount, so no difference either
                    # (the shares are not 100 % off, they are not comparable yet).
                    found=shares,
                    record=f"event:{event.slug}",
                )
            )
            continue
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
def grant_in_arrears_is_receivable_until_paid(ctx: YearFigures) -> list[Finding]:
    """A grant paid in arrears is a receivable from the year its income is booked until it is paid.

    Fires when payments exceed what was booked (then it was not paid in
    arrears), and when a receivable is still open after the year the payment
    was expected. An advance grant must not be spent beyond what was received.
    """
    findings: list[Finding] = []
    for grant in ctx.grants:
        booked, paid = grant.booked, grant.paid
        if grant.in_arrears:
            if paid > booked:
                findings.append(
                    Finding(
                        check="grant_receivable",
                        severity="error",
                        where=ctx.where(grant.name, "utbetalning"),
                        message="Bidraget betalas i efterskott men mer har betalats ut än bokförts som intäkt.",
                        expected=booked,
                        found=paid,
                        record=f"grant:{grant.slug}",
                    )
                )
            receivable = grant.receivable
            due = grant.expected_payment_year
            if receivable > 0 and due is not None and ctx.year > due:
                findings.append(
                    Finding(
                        check="grant_receivable",
                        severity="warning",
                        where=ctx.where(grant.name, "fordran"),
                        message=f"Bidragsfordran är fortfarande obetald efter {due}, då utbetalning väntades.",
                        expected=ZERO,
                        found=receivable,
                        record=f"grant:{grant.slug}",
                    )
                )
    return findings


@register
def stated_population_matches_members(ctx: YearFigures) -> list[Finding]:
    """The inhabitants a year's texts state agree with the members' figures for the same date or period.

    The stated total (`population_total`) is compared with the members' sum at
    its own date when every member has a figure there, else with their sum at
    the end of the year (the total is the year's closing population); two
    different figures for the same date or period is a contradiction.
    """
    stated = ctx.stated_population
    if stated.total is None or not ctx.current_members():
        return []
    for date in dict.fromkeys(d for d in (stated.date, ctx.end) if d):
        total = ctx.members_population(date)
        if total is None:
            continue
        if total == stated.total:
            return []
        stated_on = f" den {fmt.date(stated.date, 'sv')}" if stated.date else ""
        difference = total - stated.total
        more = "fler" if difference > 0 else "färre"
        return [
            Finding(
                check="stated_population",
                severity="warning",
                where=ctx.where("invånare"),
                message=(
                    f"Årsredovisningen anger {fmt.integer(stated.total, 'sv')} "
                    f"invånare{stated_on}; medlemskommunernas invånarantal den "
                    f"{fmt.date(date, 'sv')} är {fmt.integer(total, 'sv')} "
                    f"({fmt.integer(abs(difference), 'sv')} {more})."
                ),
                expected=Decimal(total),
                found=Decimal(stated.total),
                unit="people",
                record="population:",
                key="population_total",
                printed_in="text",
                subject="invånare",
            )
        ]
    return []


def run_checks(figures: YearFigures, checks: list[Check] | None = None) -> list[Finding]:
    """All findings of all registered checks (or of `checks`) over one year's figures."""
    findings: list[Finding] = []
    for check in checks or CHECKS:
        findings.extend(check(figures))
    return findings
