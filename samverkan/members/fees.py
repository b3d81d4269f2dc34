"""The members' fees of a year, derived from the fee rule and SCB population figures."""

from __future__ import annotations

from dataclasses import dataclass

from samverkan.finance.ledger import FeeCharge, FeeSchedule, fee_charges
from samverkan.members.models import FeeRule, Member, PopulationFigure, Year

__all__ = [
    "FeeCharge",
    "FeeSchedule",
    "GovernedYears",
    "fee_schedule",
    "rule_for",
    "rules_and_years",
]


def rule_for(year: Year) -> FeeRule | None:
    return (
        FeeRule.objects.filter(cooperation_id=year.cooperation_id, from_year__lte=year.year)
        .order_by("-from_year")
        .first()
    )


def fee_schedule(year: Year) -> FeeSchedule:
    """Each member's fee: the rate in force times its population at the basis date."""
    rule = rule_for(year)
    if rule is None:
        return FeeSchedule(year=year.year, rate=None, basis_date=None, charges=())
    basis = rule.basis_date(year.year)
    members = [
        m
        for m in Member.objects.filter(cooperation_id=year.cooperation_id)
        if m.is_member_in(year.year)
    ]
    held = {f.member_id: f for f in PopulationFigure.objects.filter(member__in=members, date=basis)}
    amounts = fee_charges(
        rule.rate, {m.code: held[m.pk].population for m in members if m.pk in held}
    )
    charges = tuple(
        FeeCharge(
            member_code=m.code,
            member_name=m.name,
            basis_date=basis,
            population=held[m.pk].population if m.pk in held else None,
            rate=rule.rate,
            amount=amounts.get(m.code),
            source=held[m.pk].source_label if m.pk in held else "",
        )
        for m in members
    )
    return FeeSchedule(year=year.year, rate=rule.rate, basis_date=basis, charges=charges)


@dataclass(frozen=True)
class GovernedYears:
    """A fee rule, the last year it governs (None: until further notice) and the cooperation's
    years in that span, each with its status."""

    rule: FeeRule
    until: int | None
    years: tuple[Year, ...]


def rules_and_years(cooperation_id: int) -> list[GovernedYears]:
    """Each fee rule of the cooperation with the years it governs: from its year until the next rule."""
    rules = list(FeeRule.objects.filter(cooperation_id=cooperation_id).order_by("from_year"))
    years = list(Year.objects.filter(cooperation_id=cooperation_id).order_by("year"))
    found = []
    for number, rule in enumerate(rules):
        after = rules[number + 1].from_year if number + 1 < len(rules) else None
        found.append(
            GovernedYears(
                rule=rule,
                until=after - 1 if after is not None else None,
                years=tuple(
                    y
                    for y in years
                    if y.year >= rule.from_year and (after is None or y.year < after)
                ),
            )
        )
    return found
