"""The members' fees of a year, derived from the fee rule and SCB population figures."""

from __future__ import annotations

from samverkan.finance.ledger import FeeCharge, FeeSchedule, fee_charges
from samverkan.members.models import FeeRule, Member, PopulationFigure, Year

__all__ = ["FeeCharge", "FeeSchedule", "fee_schedule", "rule_for"]


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
