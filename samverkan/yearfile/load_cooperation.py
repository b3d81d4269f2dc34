"""Load the standing file (`kind: cooperation`) into the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from samverkan.finance.models import AccountMapping, CostCategory, Fund, FundKind, LineKind
from samverkan.governance.models import Body, BodyKind, Network
from samverkan.members.models import Cooperation, FeeBasis, FeeRule, Member, PopulationFigure
from samverkan.plan.models import Programme
from samverkan.yearfile.fields import Node

COOPERATION_KEYS = (
    "kind",
    "slug",
    "name",
    "short_name",
    "host_member",
    "members",
    "population",
    "fee_rules",
    "bodies",
    "networks",
    "programmes",
    "cost_categories",
    "funds",
    "account_mappings",
    "report",
)


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
    root.only(*COOPERATION_KEYS)
    slug = root.slug("slug", required=True)
    name = root.str("name", required=True)
    if not slug or not name:
        return None
    coop, _ = Cooperation.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "short_name": root.str("short_name"),
            "report_settings": root.report_settings(),
        },
    )

    members_by_code: dict[str, Member] = {}
    keep: list[int] = []
    for order, node in enumerate(root.nodes("members")):
        node.only("code", "name", "joined", "left")
        code = node.code("code", required=True)
        member_name = node.str("name", required=True)
        if not code or not member_name:
            continue
        if code in members_by_code:
            node.error("code", f"member {code} appears twice")
            continue
        member = Member.objects.filter(cooperation=coop, code=code).first() or Member(
            cooperation=coop, code=code
        )
        member.name = member_name
        member.joined = node.int("joined", minimum=1900)
        member.left = node.int("left", minimum=1900)
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
    for node in root.nodes("population"):
        node.only(
            "member", "date", "population", "source", "source_file", "source_table", "imported_at"
        )
        code = node.code("member", required=True)
        date = node.date("date", required=True)
        population = node.int("population", required=True)
        if code and code not in members_by_code:
            node.error("member", f"unknown member code {code}")
            continue
        if not code or date is None or population is None:
            continue
        member = members_by_code[code]
        incoming = PopulationFigure(
            member=member,
            date=date,
            population=population,
            source=node.str("source"),
            source_file=node.str("source_file"),
            source_table=node.str("source_table"),
            imported_at=_datetime(node, "imported_at"),
        )
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
    for node in root.nodes("fee_rules"):
        node.only("from_year", "rate", "basis")
        from_year = node.int("from_year", required=True, minimum=1900)
        rate = node.decimal("rate", required=True, minimum=Decimal(0))
        basis = node.choice("basis", FeeBasis.values, default=FeeBasis.PREVIOUS_YEAR_END)
        if from_year is None or rate is None:
            continue
        if from_year in seen_rules:
            node.error("from_year", f"a second fee rule from {from_year}")
            continue
        seen_rules.add(from_year)
        rule = stored_rules.pop(from_year, None) or FeeRule(cooperation=coop, from_year=from_year)
        rule.rate = rate
        rule.basis = basis
        rule.save()
    for stale_rule in stored_rules.values():
        stale_rule.delete()

    keep = []
    for order, node in enumerate(root.nodes("bodies")):
        node.only("slug", "kind", "name")
        body_slug = node.slug("slug", required=True)
        kind = node.choice("kind", BodyKind.values, required=True)
        body_name = node.str("name", required=True)
        if body_slug and kind and body_name:
            keep.append(
                _upsert_by_slug(
                    Body,
                    {"cooperation": coop},
                    body_slug,
                    {"kind": kind, "name": body_name, "order": order},
                ).pk
            )
    _delete_missing(Body.objects.filter(cooperation=coop), keep, root, "bodies", "body")

    keep = []
    for order, node in enumerate(root.nodes("networks")):
        node.only("slug", "name", "short_name", "note", "members")
        net_slug = node.slug("slug", required=True)
        net_name = node.str("name", required=True)
        codes = node.strings("members")
        for code in codes:
            if code not in members_by_code:
                node.error("members", f"unknown member code {code}")
        if not net_slug or not net_name:
            continue
        network = _upsert_by_slug(
            Network,
            {"cooperation": coop},
            net_slug,
            {
                "name": net_name,
                "short_name": node.str("short_name"),
                "note": node.text("note"),
                "order": order,
            },
        )
        network.members.set([members_by_code[c] for c in codes if c in members_by_code])
        keep.append(network.pk)
    _delete_missing(Network.objects.filter(cooperation=coop), keep, root, "networks", "network")

    keep = []
    for node in root.nodes("programmes"):
        node.only(
            "slug", "name", "short_name", "adopted", "valid_from", "valid_until", "overall_goal"
        )
        prog_slug = node.slug("slug", required=True)
        prog_name = node.str("name", required=True)
        adopted = node.str("adopted")
        if adopted and not _is_partial_date(adopted):
            node.error("adopted", f"{adopted!r} is not YYYY-MM or YYYY-MM-DD")
        if prog_slug and prog_name:
            keep.append(
                _upsert_by_slug(
                    Programme,
                    {"cooperation": coop},
                    prog_slug,
                    {
                        "name": prog_name,
                        "short_name": node.str("short_name"),
                        "adopted": adopted,
                        "valid_from": node.int("valid_from", minimum=1900),
                        "valid_until": node.int("valid_until", minimum=1900),
                        "overall_goal": node.text("overall_goal"),
                    },
                ).pk
            )
    _delete_missing(
        Programme.objects.filter(cooperation=coop), keep, root, "programmes", "programme"
    )

    keep = []
    for order, node in enumerate(root.nodes("cost_categories")):
        node.only("slug", "name", "kind", "fee")
        cat_slug = node.slug("slug", required=True)
        cat_name = node.str("name", required=True)
        kind = node.choice("kind", LineKind.values, required=True)
        if cat_slug and cat_name and kind:
            keep.append(
                _upsert_by_slug(
                    CostCategory,
                    {"cooperation": coop},
                    cat_slug,
                    {"name": cat_name, "kind": kind, "is_fee": node.bool("fee"), "order": order},
                ).pk
            )
    _delete_missing(
        CostCategory.objects.filter(cooperation=coop), keep, root, "cost_categories", "category"
    )

    keep = []
    for order, node in enumerate(root.nodes("funds")):
        node.only("slug", "name", "carried_name", "kind")
        fund_slug = node.slug("slug", required=True)
        fund_name = node.str("name", required=True)
        kind = node.choice("kind", FundKind.values, required=True)
        if fund_slug and fund_name and kind:
            keep.append(
                _upsert_by_slug(
                    Fund,
                    {"cooperation": coop},
                    fund_slug,
                    {
                        "name": fund_name,
                        "carried_name": node.str("carried_name"),
                        "kind": kind,
                        "order": order,
                    },
                ).pk
            )
    _delete_missing(Fund.objects.filter(cooperation=coop), keep, root, "funds", "fund")

    categories = {c.slug: c for c in CostCategory.objects.filter(cooperation=coop)}
    funds = {f.slug: f for f in Fund.objects.filter(cooperation=coop)}
    AccountMapping.objects.filter(cooperation=coop).delete()
    seen_mappings: set[tuple[str, str]] = set()
    for node in root.nodes("account_mappings"):
        node.only("account", "category", "fund", "object", "project")
        account = node.str("account", required=True)
        category = categories.get(node.slug("category", required=True))
        fund_slug = node.slug("fund")
        object_id = node.str("object")
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
                project=node.slug("project"),
            )
    return coop


def _datetime(node: Node, key: str) -> dt.datetime | None:
    value = node.raw(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        node.error(key, f"expected a date and time YYYY-MM-DDTHH:MM:SS, found {value!r}")
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _is_partial_date(text: str) -> bool:
    import datetime as dt

    for fmt in ("%Y-%m", "%Y-%m-%d"):
        try:
            dt.datetime.strptime(text, fmt)
            return True
        except ValueError:
            continue
    return False
