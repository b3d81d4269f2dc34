"""Load the standing file (`kind: cooperation`) into the database.

The records' keys and fields are declared in `schema` (the standing file's part); this
module matches each record to what is stored (by slug, code or date) and writes only the
differences, so the year lock's gate sees exactly the records that change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from samverkan.finance.models import AccountMapping, CostCategory, Fund
from samverkan.governance.models import Body, Network
from samverkan.members.models import Cooperation, FeeRule, Member, PopulationFigure
from samverkan.plan.models import Programme
from samverkan.yearfile import records as r
from samverkan.yearfile import schema as s
from samverkan.yearfile.fields import Node

# The standing file refers to its own members, categories and funds only; it looks them up itself.
NO_LOOKUPS = r.Lookups()


def _upsert_by_slug(
    model: Any, parent: dict[str, object], slug: str, values: dict[str, object]
) -> Any:
    obj, _ = model.objects.update_or_create(**parent, slug=slug, defaults=values)
    return obj


def _delete_missing(queryset: Any, keep: list[int], node: Node, key: str, label: str) -> None:
    from django.db.models import ProtectedError

    stale = queryset.exclude(pk__in=keep)
    for obj in stale:
        try:
            obj.delete()
        except ProtectedError:
            node.error(
                key,
                f"{label} {getattr(obj, 'slug', obj)!s} is still used by a year and cannot be removed",
            )


def load_cooperation(root: Node) -> Cooperation | None:
    """Create or update a cooperation and its standing data from the file's mapping."""
    root.only(*s.COOPERATION_FILE_KEYS)
    head = s.COOPERATION.read(root, NO_LOOKUPS, skip=("host_member",), only=False)
    slug = head.pop("slug")
    if not slug or not head["name"]:
        return None
    coop, _ = Cooperation.objects.update_or_create(
        slug=slug, defaults={**head, "report_settings": root.report_settings()}
    )

    members_by_code: dict[str, Member] = {}
    keep: list[int] = []
    for order, node in enumerate(root.nodes(s.MEMBER.key)):
        values = s.MEMBER.read(node, NO_LOOKUPS)
        code = values.pop("code")
        if not code or not values["name"]:
            continue
        if code in members_by_code:
            node.error("code", f"member {code} appears twice")
            continue
        member = Member.objects.filter(cooperation=coop, code=code).first() or Member(
            cooperation=coop, code=code
        )
        for attr, value in values.items():
            setattr(member, attr, value)
        member.order = order
        # The model's own rules, with the messages the admin and the app give.
        if not node.check(member, exclude=["cooperation"]):
            continue
        member.save()
        members_by_code[code] = member
        keep.append(member.pk)
    _delete_missing(Member.objects.filter(cooperation=coop), keep, root, "members", "member")

    host = root.code("host_member")
    if host and host not in members_by_code:
        root.error("host_member", f"unknown member code {host}")
    coop.host_member = members_by_code.get(host)
    coop.save(update_fields=["host_member"])

    # Figures and rules are matched to what is stored and only the differences written, so the
    # year lock's gate sees exactly the records that change (and the years they feed).
    stored_figures = {
        (f.member_id, f.date): f for f in PopulationFigure.objects.filter(member__cooperation=coop)
    }
    seen_population: dict[tuple[str, object], tuple[PopulationFigure, int]] = {}
    for node in root.nodes(s.POPULATION.key):
        values = s.POPULATION.read(node, NO_LOOKUPS)
        code, date, population = values.pop("member"), values["date"], values["population"]
        if code and code not in members_by_code:
            node.error("member", f"unknown member code {code}")
            continue
        if not code or date is None or population is None:
            continue
        member = members_by_code[code]
        incoming = PopulationFigure(member=member, **values)
        earlier = seen_population.get((code, date))
        if earlier is not None:
            first, line = earlier
            node.error(
                "date",
                gettext(
                    "Medlemmen har redan ett invånarantal för det datumet: %(code)s den %(date)s "
                    "har %(first)s (källa: %(first_source)s, rad %(line)s) och %(second)s "
                    "(källa: %(second_source)s)."
                )
                % {
                    "code": code,
                    "date": date,
                    "first": first.population,
                    "first_source": first.source_label,
                    "line": line,
                    "second": population,
                    "second_source": incoming.source_label,
                },
            )
            continue
        seen_population[(code, date)] = (incoming, node.line)
        figure = stored_figures.pop((member.pk, date), None) or incoming
        for name in ("population", "source", "source_file", "source_table", "imported_at"):
            setattr(figure, name, getattr(incoming, name))
        if node.check(figure, exclude=["member"]):
            figure.save()
    for stale_figure in stored_figures.values():
        stale_figure.delete()

    stored_rules = {r.from_year: r for r in FeeRule.objects.filter(cooperation=coop)}
    seen_rules: set[int] = set()
    for node in root.nodes(s.FEE_RULE.key):
        values = s.FEE_RULE.read(node, NO_LOOKUPS)
        from_year, rate, basis = values["from_year"], values["rate"], values["basis"]
        if from_year is None or rate is None:
            continue
        if from_year in seen_rules:
            node.error("from_year", f"a second fee rule from {from_year}")
            continue
        seen_rules.add(from_year)
        rule = stored_rules.pop(from_year, None) or FeeRule(cooperation=coop, from_year=from_year)
        rule.rate = rate
        rule.basis = basis
        if node.check(rule):
            rule.save()
    for stale_rule in stored_rules.values():
        stale_rule.delete()

    keep = []
    for order, node in enumerate(root.nodes(s.BODY.key)):
        values = s.BODY.read(node, NO_LOOKUPS)
        body_slug = values.pop("slug")
        if body_slug and values["kind"] and values["name"]:
            keep.append(
                _upsert_by_slug(
                    Body, {"cooperation": coop}, body_slug, {**values, "order": order}
                ).pk
            )
    _delete_missing(Body.objects.filter(cooperation=coop), keep, root, "bodies", "body")

    keep = []
    for order, node in enumerate(root.nodes(s.NETWORK.key)):
        values = s.NETWORK.read(node, NO_LOOKUPS, skip=("members",))
        net_slug = values.pop("slug")
        codes = node.strings("members")
        for code in codes:
            if code not in members_by_code:
                node.error("members", f"unknown member code {code}")
        if not net_slug or not values["name"]:
            continue
        network = _upsert_by_slug(
            Network, {"cooperation": coop}, net_slug, {**values, "order": order}
        )
        network.members.set([members_by_code[c] for c in codes if c in members_by_code])
        keep.append(network.pk)
    _delete_missing(Network.objects.filter(cooperation=coop), keep, root, "networks", "network")

    keep = []
    for node in root.nodes(s.PROGRAMME.key):
        values = s.PROGRAMME.read(node, NO_LOOKUPS)
        prog_slug = values.pop("slug")
        adopted = values["adopted"]
        if adopted and not _is_partial_date(adopted):
            node.error("adopted", f"{adopted!r} is not YYYY-MM or YYYY-MM-DD")
        if prog_slug and values["name"]:
            keep.append(_upsert_by_slug(Programme, {"cooperation": coop}, prog_slug, values).pk)
    _delete_missing(
        Programme.objects.filter(cooperation=coop), keep, root, "programmes", "programme"
    )

    keep = []
    for order, node in enumerate(root.nodes(s.COST_CATEGORY.key)):
        values = s.COST_CATEGORY.read(node, NO_LOOKUPS)
        cat_slug = values.pop("slug")
        if cat_slug and values["name"] and values["kind"]:
            keep.append(
                _upsert_by_slug(
                    CostCategory, {"cooperation": coop}, cat_slug, {**values, "order": order}
                ).pk
            )
    _delete_missing(
        CostCategory.objects.filter(cooperation=coop), keep, root, "cost_categories", "category"
    )

    keep = []
    for order, node in enumerate(root.nodes(s.FUND.key)):
        values = s.FUND.read(node, NO_LOOKUPS)
        fund_slug = values.pop("slug")
        if fund_slug and values["name"] and values["kind"]:
            keep.append(
                _upsert_by_slug(
                    Fund, {"cooperation": coop}, fund_slug, {**values, "order": order}
                ).pk
            )
    _delete_missing(Fund.objects.filter(cooperation=coop), keep, root, "funds", "fund")

    categories = {c.slug: c for c in CostCategory.objects.filter(cooperation=coop)}
    funds = {f.slug: f for f in Fund.objects.filter(cooperation=coop)}
    AccountMapping.objects.filter(cooperation=coop).delete()
    seen_mappings: set[tuple[str, str]] = set()
    for node in root.nodes(s.ACCOUNT_MAPPING.key):
        values = s.ACCOUNT_MAPPING.read(node, NO_LOOKUPS)
        account, fund_slug, object_id = values["account"], values["fund"], values["object_id"]
        category = categories.get(values["category"])
        if node.has("category") and category is None:
            node.error("category", f"unknown cost category {node.str('category')!r}")
        if fund_slug and fund_slug not in funds:
            node.error("fund", f"unknown fund {fund_slug!r}")
        if object_id and ":" not in object_id:
            node.error("object", f"{object_id!r} is not DIM:ID, e.g. 1:1510")
        if (account, object_id) in seen_mappings:
            node.error("account", f"account {account} is mapped twice")
        seen_mappings.add((account, object_id))
        if account and category is not None:
            AccountMapping.objects.create(
                cooperation=coop,
                account=account,
                category=category,
                fund=funds.get(fund_slug),
                object_id=object_id,
                project=values["project"],
            )
    return coop


def _is_partial_date(text: str) -> bool:

    for fmt in ("%Y-%m", "%Y-%m-%d"):
        try:
            dt.datetime.strptime(text, fmt)
            return True
        except ValueError:
            continue
    return False
