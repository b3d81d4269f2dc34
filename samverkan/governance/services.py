"""Changes to the year's events and their co-financing, and to the networks and their years:
atomic, audited, refused in a locked year.

An event's co-financing is one income line per member in the event's fund
(`samverkan.finance.cofinancing`); `save_event` writes the event and those
lines together and asks `Event.co_financing_errors` before anything is saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from samverkan.audit.services import Actor, diff, record
from samverkan.audit.snapshots import json_value, readable_state
from samverkan.core.slugs import free_slug
from samverkan.core.validation import check_record
from samverkan.finance.cofinancing import booked_costs, co_financing_category, co_financing_lines
from samverkan.finance.models import (
    Fund,
    FundKind,
    LedgerLine,
    LineKind,
    LineSource,
    PublishedFigure,
)
from samverkan.governance.models import Event, Network, NetworkYear
from samverkan.lib.figures import placeholders
from samverkan.lib.money import ZERO
from samverkan.members.models import LOCKED_STATUSES, Cooperation, Member, Year, YearText
from samverkan.members.services import (
    DomainError,
    lock_year_for_edit,
    lock_years,
    refuse_if_changed,
    years_touched_by_save,
)

EVENT_FIELDS = (
    "kind",
    "name",
    "date",
    "status",
    "reason",
    "hosts",
    "partners",
    "theme",
    "participants",
    "cost_cap_per_participant",
    "fund",
)


def event_state(event: Event) -> dict[str, Any]:
    """An event's state (with its co-financing) as its audit entries compare it (and its edit
    form's digest covers it)."""
    state = readable_state(event, EVENT_FIELDS)
    if event.pk is not None and event.fund_id is not None:
        state["co_financing"] = [
            f"{line.member}: {json_value(line.amount)} kr"
            for line in co_financing_lines(event.year_id, event.fund_id).order_by("member__order")
        ]
    return state


def split_by_population(total: Decimal, populations: Mapping[Any, int]) -> dict[Any, Decimal]:
    """`total` in whole kronor, shared in proportion to population; the shares add up to the
    total exactly (largest remainders get the kronor that rounding down leaves over)."""
    base = sum(populations.values())
    if base <= 0 or total <= 0:
        return {}
    whole = total.quantize(Decimal(1))
    exact = {key: whole * population / base for key, population in populations.items()}
    shares = {key: value.to_integral_value(rounding="ROUND_FLOOR") for key, value in exact.items()}
    left = int(whole - sum(shares.values(), ZERO))
    for key in sorted(exact, key=lambda k: exact[k] - shares[k], reverse=True)[:left]:
        shares[key] += 1
    return shares


@transaction.atomic
def save_event(
    year: Year,
    event: Event | None = None,
    *,
    actor: Actor,
    values: dict[str, Any],
    hosts: Sequence[Member] = (),
    co_financing: Mapping[Member, Decimal | None] | None = None,
    read_as: str | None = None,
) -> Event:
    """Create an event in `year` or change one; with `co_financing`, set each member's share
    (None or zero: no share) as the member's income line in the event's fund (a new fund of
    the event's own when it has none).

    The shares must add up to the costs the fund has booked (`Event.co_financing_errors`);
    shares brought by an SIE import are counted but not changed here. `read_as`: the digest of
    the event as the edit form read it; EditConflict if it (or its co-financing) changed since.
    """
    locked = lock_year_for_edit(year.pk)
    creating = event is None
    if event is None:
        taken = set(Event.objects.filter(year=locked).values_list("slug", flat=True))
        last = Event.objects.filter(year=locked).aggregate(m=Max("order"))["m"]
        event = Event(
            year=locked,
            slug=free_slug(f"{values.get('name', '')}-{locked.year}", taken, "arrangemang"),
            order=(last or 0) + 1,
        )
        before: dict[str, Any] = {}
        old_fund_id = None
    else:
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.year_id != locked.pk:
            raise DomainError(_("Arrangemanget hör inte till det här året."))
        before = event_state(event)
        refuse_if_changed(event, before, read_as, what=_("Arrangemanget"))
        old_fund_id = event.fund_id
    for name, value in values.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)

    stored: dict[int, LedgerLine] = {}
    imported: list[Decimal] = []
    if old_fund_id is not None:
        for line in co_financing_lines(locked.pk, old_fund_id):
            if line.source == LineSource.SIE:
                imported.append(line.amount)
            else:
                stored[line.member_id] = line  # type: ignore[index]
    wanted = (
        {member.pk: amount for member, amount in co_financing.items() if amount}
        if co_financing is not None
        else {member_id: line.amount for member_id, line in stored.items()}
    )
    extra: dict[str, str] = {}
    if wanted and event.fund_id is None:
        # Co-financing is booked in a fund of the event's own: made here when none is chosen.
        taken = set(
            Fund.objects.filter(cooperation_id=locked.cooperation_id).values_list("slug", flat=True)
        )
        event.fund = Fund.objects.create(
            cooperation_id=locked.cooperation_id,
            slug=free_slug(event.slug or event.name, taken, "arrangemang"),
            name=event.name,
            kind=FundKind.EVENT,
        )
    if event.fund_id is not None and (wanted or imported):
        costs = booked_costs(locked.pk, event.fund_id)
        extra.update(Event.co_financing_errors([*wanted.values(), *imported], costs))
    check_record(event, extra=extra)
    event.save()
    event.hosts.set(hosts)

    if event.fund_id is not None:
        _write_shares(locked, event, stored, wanted)
    changes = diff(before, event_state(event))
    if changes:
        record(
            actor=actor,
            action="governance.event.create" if creating else "governance.event.update",
            cooperation=locked.cooperation,
            year=locked.year,
            obj=event,
            changes=changes,
        )
    return event


def _write_shares(
    year: Year, event: Event, stored: dict[int, LedgerLine], wanted: dict[int, Decimal]
) -> None:
    category = None
    next_order = LedgerLine.objects.filter(year=year).aggregate(m=Max("order"))["m"] or 0
    members = {m.pk: m for m in Member.objects.filter(pk__in=wanted)}
    fund_id = event.fund_id
    assert fund_id is not None  # the caller writes shares only for an event with a fund
    for member_id, gone in stored.items():
        if member_id not in wanted:
            gone.delete()
    for member_id, amount in wanted.items():
        found = stored.get(member_id)
        if found is not None:
            line = found
        else:
            if category is None:
                category = co_financing_category(year.cooperation_id, year.pk, fund_id)
                if category is None:
                    raise DomainError(_("Samverkan har inget intäktsslag för medfinansiering."))
            next_order += 1
            line = LedgerLine(
                year=year,
                category=category,
                kind=LineKind.INCOME,
                date=year.end(),
                member=members[member_id],
                text=members[member_id].name,
                source=LineSource.MANUAL,
                order=next_order,
            )
        if line.fund_id == fund_id and line.amount == amount:
            continue
        line.fund_id = fund_id
        line.amount = amount
        check_record(line)
        line.save()


def event_dependents(event: Event) -> list[str]:
    """What keeps an event from being removed, in words for the user; empty when nothing does."""
    found: list[str] = []
    if event.fund_id is not None:
        shares = co_financing_lines(event.year_id, event.fund_id).count()
        if shares:
            found.append(_("%(count)s medlemmars medfinansiering") % {"count": shares})
    figures = PublishedFigure.objects.filter(
        year_id=event.year_id, key__startswith=f"event.{event.slug}."
    ).count()
    if figures:
        found.append(_("%(count)s tryckta siffror i årsredovisningen") % {"count": figures})
    texts = [
        text.key
        for text in YearText.objects.filter(year_id=event.year_id)
        if any(p.startswith(f"event.{event.slug}.") for p in placeholders(text.body))
    ]
    if texts:
        found.append(
            _("texterna %(keys)s hänvisar till arrangemangets siffror") % {"keys": ", ".join(texts)}
        )
    return found


@transaction.atomic
def delete_event(event: Event, *, actor: Actor, read_as: str | None = None) -> None:
    """Remove an event; refused while co-financing, printed figures or texts depend on it.
    `read_as`: the digest of the record as the confirm page showed it; EditConflict, and
    nothing removed, if it changed since."""
    locked = lock_year_for_edit(event.year_id)
    event = Event.objects.select_for_update().get(pk=event.pk)
    refuse_if_changed(event, event_state(event), read_as, what=_("Arrangemanget"), removing=True)
    dependents = event_dependents(event)
    if dependents:
        raise DomainError(
            _("Arrangemanget kan inte tas bort: %(what)s. Ta bort dem först.")
            % {"what": "; ".join(dependents)}
        )
    record(
        actor=actor,
        action="governance.event.delete",
        cooperation=locked.cooperation,
        year=locked.year,
        obj=event,
        changes=diff(event_state(event), {}),
    )
    event.delete()


# --- networks (standing data) and a network's record in one year ---------------------------

NETWORK_FIELDS = ("name", "short_name", "slug", "order")
NETWORK_YEAR_FIELDS = ("absent", "participation_note", "focus_area", "summary")


def network_state(network: Network) -> dict[str, Any]:
    """A network's state as its audit entries compare it (and its edit form's digest covers it)."""
    return readable_state(network, NETWORK_FIELDS)


def _slug_errors(network: Network) -> dict[str, str]:
    taken = Network.objects.filter(cooperation_id=network.cooperation_id, slug=network.slug)
    if network.pk is not None:
        taken = taken.exclude(pk=network.pk)
    if network.slug and taken.exists():
        return {
            "slug": _("Ett annat nätverk har redan kortnamnet %(slug)s.") % {"slug": network.slug}
        }
    return {}


def _write_network(network: Network, values: Mapping[str, Any]) -> None:
    """Set the values (a blank slug: proposed from the name), check the rules, hold the years."""
    for name in ("name", "short_name"):
        if name in values:
            setattr(network, name, (values[name] or "").strip())
    if values.get("order") is not None:
        network.order = values["order"]
    slug = (values.get("slug") or "").strip()
    if slug:
        network.slug = slug
    elif not network.slug:
        taken = set(
            Network.objects.filter(cooperation_id=network.cooperation_id).values_list(
                "slug", flat=True
            )
        )
        network.slug = free_slug(network.name, taken, "natverk")
    # A network that a decided year prints keeps its name until the year is reopened.
    lock_years(years_touched_by_save(network))
    slug_errors = _slug_errors(network)
    if slug_errors:
        # Asked before the constraint, which would name no field.
        raise ValidationError(slug_errors)
    check_record(network)
    network.save()


@transaction.atomic
def add_network(cooperation: Cooperation, *, actor: Actor, values: Mapping[str, Any]) -> Network:
    """Add a standing network (name, short name, slug, order); a blank slug is made from the name
    and a blank order puts the network last."""
    network = Network(cooperation=cooperation)
    if values.get("order") is None:
        last = Network.objects.filter(cooperation=cooperation).aggregate(m=Max("order"))["m"]
        network.order = (last or 0) + 1
    _write_network(network, values)
    record(
        actor=actor,
        action="governance.network.create",
        cooperation=cooperation,
        obj=network,
        changes=diff({}, network_state(network)),
    )
    return network


@transaction.atomic
def change_network(
    network: Network, *, actor: Actor, values: Mapping[str, Any], read_as: str | None = None
) -> Network:
    """Change a network's name, short name, slug or order; refused, naming the year, while a
    decided or published year reads the network (its report prints the name). `read_as`: the
    digest of the network as the form read it; EditConflict, and nothing saved, if it changed
    since."""
    stored = Network.objects.select_for_update().get(pk=network.pk)
    before = network_state(stored)
    refuse_if_changed(stored, before, read_as, what=_("Nätverket"))
    _write_network(stored, values)
    changes = diff(before, network_state(stored))
    if changes:
        record(
            actor=actor,
            action="governance.network.update",
            cooperation=stored.cooperation,
            obj=stored,
            changes=changes,
        )
    return stored


def network_dependents(network: Network) -> list[str]:
    """What keeps a network from being removed, in words for the user; empty when nothing does.

    A year record of an open year goes with the network; one of a decided or
    published year is part of that year's record and keeps it.
    """
    found: list[str] = []
    counted = [
        (network.meetings.count(), ngettext_lazy("%(count)s möte", "%(count)s möten", "count")),
        (
            network.activities.count(),
            ngettext_lazy("%(count)s aktivitet", "%(count)s aktiviteter", "count"),
        ),
        (
            network.focus_areas.count(),
            ngettext_lazy(
                "%(count)s fokusområde som nätverket ansvarar för",
                "%(count)s fokusområden som nätverket ansvarar för",
                "count",
            ),
        ),
        (
            network.proposals.count(),
            ngettext_lazy(
                "%(count)s förslag till aktivitet", "%(count)s förslag till aktiviteter", "count"
            ),
        ),
        (
            network.leads.count(),
            ngettext_lazy(
                "%(count)s nätverksledare (roll)", "%(count)s nätverksledare (roller)", "count"
            ),
        ),
    ]
    for count, text in counted:
        if count:
            found.append(text % {"count": count})
    locked = sorted(
        network.years.filter(year__status__in=LOCKED_STATUSES).values_list("year__year", flat=True)
    )
    if locked:
        found.append(
            ngettext(
                "nätverkets uppgifter i det låsta året %(years)s",
                "nätverkets uppgifter i de låsta åren %(years)s",
                len(locked),
            )
            % {"years": ", ".join(str(y) for y in locked)}
        )
    return found


@transaction.atomic
def delete_network(network: Network, *, actor: Actor, read_as: str | None = None) -> None:
    """Remove a network and its records in open years; refused while anything else depends on it.
    `read_as`: the digest of the record as the confirm page showed it; EditConflict, and
    nothing removed, if it changed since."""
    stored = Network.objects.select_for_update().get(pk=network.pk)
    lock_years(stored.years_read())
    refuse_if_changed(stored, network_state(stored), read_as, what=_("Nätverket"), removing=True)
    dependents = network_dependents(stored)
    if dependents:
        raise DomainError(
            _("Nätverket kan inte tas bort: %(what)s. Ta bort dem först.")
            % {"what": "; ".join(dependents)}
        )
    record(
        actor=actor,
        action="governance.network.delete",
        cooperation=stored.cooperation,
        obj=stored,
        changes=diff(network_state(stored), {}),
    )
    for part in stored.years.all():
        part.delete()
    stored.delete()


def network_year_state(part: NetworkYear | None) -> dict[str, Any]:
    """How a network takes part in a year, as its audit entries compare it (and the form's
    digest covers it); empty when it does not take part."""
    if part is None:
        return {}
    return {"takes_part": True, **readable_state(part, NETWORK_YEAR_FIELDS)}


@transaction.atomic
def set_network_year(
    year: Year,
    network: Network,
    *,
    actor: Actor,
    takes_part: bool,
    absent: Sequence[Member] = (),
    participation_note: str = "",
    focus_area: Any = None,
    summary: str = "",
    read_as: str | None = None,
) -> NetworkYear | None:
    """Say whether `network` takes part in `year`, and if so who stays away, the note on
    participation, its focus area and its summary. Not taking part removes the year's record
    (the audit entry keeps what it said). Refused while the year is decided or published.
    `read_as`: the digest of the network's year (`network_year_state`) as the form read it;
    EditConflict, and nothing saved, if it changed since."""
    locked = lock_year_for_edit(year.pk)
    if network.cooperation_id != locked.cooperation_id:
        raise DomainError(_("Nätverket hör inte till årets samverkan."))
    part = NetworkYear.objects.select_for_update().filter(year=locked, network=network).first()
    before = network_year_state(part)
    # Not taking part, the year has no record: the network carries the audit entry.
    refuse_if_changed(part or network, before, read_as, what=_("Nätverkets uppgifter för året"))
    if not takes_part:
        if part is not None:
            part.delete()
            part = None
    else:
        if part is None:
            part = NetworkYear(year=locked, network=network, order=network.order)
        part.participation_note = participation_note.strip()
        part.summary = summary.strip()
        part.focus_area = focus_area
        check_record(part, extra=NetworkYear.absent_errors(network, locked, absent))
        part.save()
        part.absent.set(absent)
    changes = diff(before, network_year_state(part))
    if changes:
        record(
            actor=actor,
            action="governance.network_year.update",
            cooperation=locked.cooperation,
            year=locked.year,
            obj=part if part is not None else network,
            changes=changes,
        )
    return part
