"""Load a year file (`kind: year`): it replaces the year's content, keeping the year row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from samverkan.consultations.models import ConsultationResponse
from samverkan.finance.cofinancing import event_co_financing_errors
from samverkan.finance.models import (
    CostCategory,
    Footnote,
    Fund,
    FundYear,
    LedgerLine,
    LineKind,
    LineSource,
    PrintedIn,
    PublishedFigure,
)
from samverkan.governance.models import (
    Body,
    Chair,
    ChairRole,
    Event,
    EventKind,
    EventStatus,
    Meeting,
    MeetingFormat,
    MeetingKind,
    Network,
    NetworkYear,
    StaffMember,
)
from samverkan.lib.figures import placeholders
from samverkan.members.models import Cooperation, Member, Year, YearStatus, YearText
from samverkan.plan.models import (
    Activity,
    AreaGroup,
    AreaGroupKind,
    FocusArea,
    FollowUp,
    FollowUpStatus,
    Programme,
    SubGoal,
)
from samverkan.projects.models import (
    FinancingSource,
    Grant,
    GrantPayment,
    GrantTiming,
    Project,
    ProjectFinancing,
    ProjectYear,
)
from samverkan.yearfile.fields import SLUG_RE, Node

YEAR_KEYS = (
    "kind",
    "cooperation",
    "year",
    "status",
    "decided_on",
    "officer",
    "programme",
    "operating_fund",
    "texts",
    "population_total",
    "chairs",
    "staff",
    "network_participation",
    "network_summaries",
    "meetings",
    "area_groups",
    "focus_areas",
    "consultations",
    "projects",
    "events",
    "funds",
    "lines",
    "grant_payments",
    "footnotes",
    "published",
    "report",
)

PUBLISHED_SIMPLE_KEYS = ("fee_income", "fee_basis_date")
PUBLISHED_FIELDS = ("opening", "income", "costs", "closing")


class Refs:
    """Look-ups of the cooperation's standing data by slug or code, reporting unknown ones."""

    def __init__(self, coop: Cooperation) -> None:
        self.coop = coop
        self.members = {m.code: m for m in Member.objects.filter(cooperation=coop)}
        self.bodies = {b.slug: b for b in Body.objects.filter(cooperation=coop)}
        self.networks = {n.slug: n for n in Network.objects.filter(cooperation=coop)}
        self.programmes = {p.slug: p for p in Programme.objects.filter(cooperation=coop)}
        self.categories = {c.slug: c for c in CostCategory.objects.filter(cooperation=coop)}
        self.funds = {f.slug: f for f in Fund.objects.filter(cooperation=coop)}
        self.focus_areas: dict[str, FocusArea] = {}
        self.projects = {
            p.slug: p for p in Project.objects.filter(cooperation=coop).select_related("start_year")
        }
        self.grants = {g.slug: g for g in Grant.objects.filter(project__cooperation=coop)}
        self.footnotes: set[str] = set()
        self.events: list[tuple[Node, Event]] = []

    def get(self, table: dict[str, Any], node: Node, key: str, value: str, what: str) -> Any:
        if not value:
            return None
        found = table.get(value)
        if found is None:
            known = ", ".join(sorted(table)) or "none"
            node.error(key, f"unknown {what} {value!r} (known: {known})")
        return found

    def one(
        self, table: dict[str, Any], node: Node, key: str, what: str, required: bool = False
    ) -> Any:
        value = (
            node.code(key, required=required)
            if table is self.members
            else node.slug(key, required=required)
        )
        return self.get(table, node, key, value, what)

    def many(self, table: dict[str, Any], node: Node, key: str, what: str) -> list[Any]:
        found = []
        for value in node.strings(key):
            obj = self.get(table, node, key, value, what)
            if obj is not None:
                found.append(obj)
        return found


def _within_year(node: Node, key: str, value: dt.date | None, year: int) -> dt.date | None:
    if value is not None and value.year != year:
        node.error(key, f"{value.isoformat()} is outside the year {year}")
        return None
    return value


def load_year(root: Node, *, actor_label: str = "") -> Year | None:
    """Replace a year's content with the file's; the caller runs this in a transaction."""
    root.only(*YEAR_KEYS)
    coop_slug = root.slug("cooperation", required=True)
    number = root.int("year", required=True, minimum=1900, maximum=2200)
    if not coop_slug or number is None:
        return None
    coop = Cooperation.objects.filter(slug=coop_slug).first()
    if coop is None:
        root.error(
            "cooperation", f"unknown cooperation {coop_slug!r}: load its standing file first"
        )
        return None
    refs = Refs(coop)

    year, _ = Year.objects.get_or_create(cooperation=coop, year=number)
    _clear(year)

    year.status = root.choice("status", YearStatus.values, default=YearStatus.PLANNING)
    year.decided_on = root.date("decided_on")
    officer = root.node("officer")
    year.officer_name = officer.str("name") if officer else ""
    year.officer_email = officer.str("email") if officer else ""
    if officer:
        officer.only("name", "email")
    year.programme = refs.one(refs.programmes, root, "programme", "programme")
    year.operating_fund = refs.one(refs.funds, root, "operating_fund", "fund")
    population = root.node("population_total")
    year.population_total = year.population_total_date = None
    year.population_total_note = ""
    if population:
        population.only("date", "population", "note")
        year.population_total = population.int("population", required=True, minimum=0)
        year.population_total_date = population.date("date", required=True)
        year.population_total_note = population.str("note")
    year.report_settings = root.report_settings()
    year.save()

    texts = root.raw("texts")
    if texts is not None:
        if not isinstance(texts, dict):
            root.error("texts", "expected a mapping of key: text")
        else:
            for order, (key, body) in enumerate(texts.items()):
                if not isinstance(body, str) or not SLUG_RE.match(key.replace("_", "-")):
                    root.error(f"texts.{key}", "expected a text under a simple key")
                    continue
                YearText.objects.create(year=year, key=key, body=body.rstrip("\n"), order=order)

    _load_governance(root, year, refs)
    _load_plan(root, year, refs)
    _load_registers(root, year, refs)
    _load_accounts(root, year, refs)
    # The members' co-financing of an event is booked as lines, which exist only now.
    for node, event in refs.events:
        for field, message in event_co_financing_errors(event).items():
            node.error(field, message)
    # Placeholders may name projects and events, which exist only now.
    for text in YearText.objects.filter(year=year):
        for placeholder in placeholders(text.body):
            if not _known_published_key(placeholder, refs):
                root.error(f"texts.{text.key}", f"{{{{ {placeholder} }}}} is not a known figure")
    return year


def _clear(year: Year) -> None:
    """Remove what a year file holds, so that loading replaces instead of adding."""
    for model in (
        YearText,
        Chair,
        StaffMember,
        NetworkYear,
        Meeting,
        Event,
        ConsultationResponse,
        Footnote,
        FundYear,
        PublishedFigure,
        GrantPayment,
    ):
        model.objects.filter(year=year).delete()
    LedgerLine.objects.filter(year=year).exclude(source=LineSource.SIE).delete()
    AreaGroup.objects.filter(year=year).delete()


def _load_governance(root: Node, year: Year, refs: Refs) -> None:
    for order, node in enumerate(root.nodes("chairs")):
        node.only("body", "role", "person", "member")
        body = refs.one(refs.bodies, node, "body", "body", required=True)
        role = node.choice("role", ChairRole.values, required=True)
        person = node.str("person", required=True)
        member = refs.one(refs.members, node, "member", "member")
        if body and role and person:
            Chair.objects.create(
                year=year, body=body, role=role, person=person, member=member, order=order
            )

    for order, node in enumerate(root.nodes("staff")):
        node.only("person", "role", "start", "end", "note", "internal_note")
        person = node.str("person", required=True)
        role = node.str("role", required=True)
        start, end = node.date("start"), node.date("end")
        if start and end and end < start:
            node.error("end", "ends before it starts")
        if person and role:
            StaffMember.objects.create(
                year=year,
                person=person,
                role=role,
                start=start,
                end=end,
                note=node.text("note"),
                internal_note=node.text("internal_note"),
                order=order,
            )

    network_years: dict[str, NetworkYear] = {}

    def network_year(network: Network) -> NetworkYear:
        if network.slug not in network_years:
            network_years[network.slug] = NetworkYear.objects.create(
                year=year, network=network, order=len(network_years)
            )
        return network_years[network.slug]

    for node in root.nodes("network_participation"):
        node.only("network", "absent", "note")
        network = refs.one(refs.networks, node, "network", "network", required=True)
        absent = refs.many(refs.members, node, "absent", "member")
        if network:
            ny = network_year(network)
            ny.absent.add(*absent)
            ny.participation_note = node.text("note")
            ny.save(update_fields=["participation_note"])

    # Focus areas are created later; remember the summary's area by slug until then.
    year._pending_summary_areas = []  # type: ignore[attr-defined]
    for node in root.nodes("network_summaries"):
        node.only("network", "focus_area", "text", "meetings")
        network = refs.one(refs.networks, node, "network", "network", required=True)
        if network:
            ny = network_year(network)
            if ny.summary or ny.meetings_text:
                node.error("network", f"a second summary for network {network.slug}")
            ny.meetings_text = node.str("meetings")
            ny.summary = node.text("text", required=not ny.meetings_text)
            ny.save(update_fields=["summary", "meetings_text"])
            area = node.slug("focus_area")
            if area:
                year._pending_summary_areas.append((ny, area, node))  # type: ignore[attr-defined]

    for order, node in enumerate(root.nodes("meetings")):
        node.only(
            "body",
            "networks",
            "date",
            "month",
            "format",
            "kind",
            "place",
            "count",
            "cancelled",
            "cancel_reason",
            "guests",
            "note",
        )
        body = refs.one(refs.bodies, node, "body", "body")
        networks = refs.many(refs.networks, node, "networks", "network")
        meeting = Meeting(
            year=year,
            body=body,
            date=node.date("date"),
            month=node.int("month", minimum=1, maximum=12),
            format=node.choice("format", MeetingFormat.values, required=True),
            kind=node.choice("kind", MeetingKind.values, default=MeetingKind.ORDINARY),
            place=node.str("place"),
            count=(node.int("count") if node.has("count") else 1) or 0,
            cancelled=node.bool("cancelled"),
            cancel_reason=node.text("cancel_reason"),
            guests=node.text("guests"),
            note=node.text("note"),
            order=order,
        )
        # A body or network name that is not found is reported above, once.
        named = node.has("body") or node.has("networks")
        owners = {} if named else Meeting.owner_errors(year.cooperation_id, body, networks)
        if node.check(meeting, extra=owners, exclude=["year", "body", "format", "kind"]):
            meeting.save()
            meeting.networks.set(networks)

    for order, node in enumerate(root.nodes("events")):
        node.only(
            "slug",
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
        slug = node.slug("slug", required=True)
        name = node.str("name", required=True)
        hosts = refs.many(refs.members, node, "hosts", "member")
        fund = refs.one(refs.funds, node, "fund", "fund")
        if not slug or not name:
            continue
        if Event.objects.filter(year=year, slug=slug).exists():
            node.error("slug", f"a second event {slug}")
            continue
        event = Event(
            year=year,
            slug=slug,
            name=name,
            kind=node.choice("kind", EventKind.values, required=True),
            date=node.date("date"),
            status=node.choice("status", EventStatus.values, default=EventStatus.HELD),
            reason=node.text("reason"),
            partners="\n".join(node.strings("partners")),
            theme=node.str("theme"),
            participants=node.int("participants"),
            cost_cap_per_participant=node.decimal("cost_cap_per_participant"),
            fund=fund,
            order=order,
        )
        if not node.check(event, exclude=["year", "slug", "kind", "status", "fund"]):
            continue
        event.save()
        refs.events.append((node, event))
        event.hosts.set(hosts)


def _load_plan(root: Node, year: Year, refs: Refs) -> None:
    groups: dict[str, AreaGroup] = {}
    for order, node in enumerate(root.nodes("area_groups")):
        node.only("slug", "name", "kind", "purpose", "steering_document")
        slug = node.slug("slug", required=True)
        name = node.str("name", required=True)
        kind = node.choice("kind", AreaGroupKind.values, required=True)
        if slug and name and kind:
            if slug in groups:
                node.error("slug", f"a second area group {slug}")
                continue
            groups[slug] = AreaGroup.objects.create(
                year=year,
                slug=slug,
                name=name,
                kind=kind,
                purpose=node.text("purpose"),
                steering_document=node.text("steering_document"),
                order=order,
            )

    for order, node in enumerate(root.nodes("focus_areas")):
        node.only(
            "slug",
            "number",
            "group",
            "title",
            "main_goal",
            "sub_goals",
            "responsible_networks",
            "responsible_bodies",
            "responsible_text",
            "activities",
        )
        slug = node.slug("slug", required=True)
        title = node.str("title", required=True)
        group = refs.get(groups, node, "group", node.slug("group", required=True), "area group")
        networks = refs.many(refs.networks, node, "responsible_networks", "network")
        bodies = refs.many(refs.bodies, node, "responsible_bodies", "body")
        if not slug or not title or group is None:
            continue
        if slug in refs.focus_areas:
            node.error("slug", f"a second focus area {slug}")
            continue
        area = FocusArea.objects.create(
            year=year,
            group=group,
            slug=slug,
            number=node.str("number"),
            title=title,
            main_goal=node.text("main_goal"),
            responsible_text=node.text("responsible_text"),
            order=order,
        )
        area.responsible_networks.set(networks)
        area.responsible_bodies.set(bodies)
        refs.focus_areas[slug] = area
        for goal_order, text in enumerate(node.strings("sub_goals")):
            SubGoal.objects.create(focus_area=area, text=text, order=goal_order)
        for activity_order, child in enumerate(node.nodes("activities")):
            _load_activity(child, area, refs, activity_order)

    for ny, area_slug, node in getattr(year, "_pending_summary_areas", []):
        area = refs.get(refs.focus_areas, node, "focus_area", area_slug, "focus area")
        if area is not None:
            ny.focus_area = area
            ny.save(update_fields=["focus_area"])


def _load_activity(node: Node, area: FocusArea, refs: Refs, order: int) -> None:
    node.only("title", "networks", "description", "follow_up")
    title = node.text("title", required=True)
    networks = refs.many(refs.networks, node, "networks", "network")
    if not title:
        return
    activity = Activity.objects.create(
        focus_area=area, title=title, description=node.text("description"), order=order
    )
    activity.networks.set(networks)
    follow = node.node("follow_up")
    if follow is None:
        FollowUp.objects.create(activity=activity)
        return
    follow.only("status", "status_reason", "continues", "text")
    follow_up = FollowUp(
        activity=activity,
        status=follow.choice("status", FollowUpStatus.values, default=FollowUpStatus.NOT_STARTED),
        status_reason=follow.text("status_reason"),
        continues=follow.bool("continues"),
        text=follow.text("text"),
    )
    if follow.check(follow_up, exclude=["activity", "status", "updated_by"]):
        follow_up.save()


def _load_registers(root: Node, year: Year, refs: Refs) -> None:
    for order, node in enumerate(root.nodes("consultations")):
        node.only(
            "subject",
            "authority",
            "received_on",
            "sent_on",
            "month",
            "recipient",
            "answered",
            "link",
            "note",
        )
        subject = node.text("subject", required=True)
        if not subject:
            continue
        response = ConsultationResponse(
            year=year,
            subject=subject,
            authority=node.str("authority"),
            received_on=node.date("received_on"),
            sent_on=node.date("sent_on"),
            month=node.int("month"),
            recipient=node.str("recipient"),
            answered=node.bool("answered", default=True),
            link=node.str("link"),
            note=node.text("note"),
            order=order,
        )
        if node.check(response, exclude=["year"]):
            response.save()

    _load_projects(root, year, refs)


# Keys of a project entry: the project's own (only where it starts), and its part in the year.
PROJECT_OWN_KEYS = ("name", "contractor", "start", "end", "end_year")
PROJECT_PART_KEYS = ("cost", "focus_area", "description", "financing", "grants")


def _load_projects(root: Node, year: Year, refs: Refs) -> None:
    """The year's part of each project; a project is described where it starts.

    An entry without `continues` starts the project in this year and says what
    it is (name, contractor, ...); `continues: true` takes up a project that
    started in an earlier year's file, by slug, and says only this year's part.
    Parts and grants of other years are not touched.
    """
    seen_parts: list[int] = []
    for order, node in enumerate(root.nodes("projects")):
        node.only("slug", "continues", *PROJECT_OWN_KEYS, *PROJECT_PART_KEYS)
        slug = node.slug("slug", required=True)
        continues = node.bool("continues")
        if not slug:
            continue
        existing = refs.projects.get(slug)
        if continues:
            project = _continued_project(node, slug, existing, year)
        else:
            project = _started_project(node, slug, existing, year, refs)
        if project is None:
            continue
        part_values = {
            "stated_cost": node.decimal("cost"),
            "focus_area": refs.one(refs.focus_areas, node, "focus_area", "focus area"),
            "description": node.text("description"),
            "order": order,
        }
        if not node.check(
            ProjectYear(project=project, year=year, **part_values),
            exclude=["project", "year", "focus_area"],
        ):
            continue
        part, _ = ProjectYear.objects.update_or_create(
            project=project, year=year, defaults=part_values
        )
        seen_parts.append(part.pk)
        part.financing.all().delete()
        for fin_order, fin in enumerate(node.nodes("financing")):
            fin.only("source", "surplus_year", "amount")
            source = fin.choice("source", FinancingSource.values, required=True)
            if source:
                ProjectFinancing.objects.create(
                    part=part,
                    source=source,
                    surplus_year=fin.int("surplus_year", minimum=1900),
                    amount=fin.decimal("amount", minimum=Decimal(0)),
                    order=fin_order,
                )
        _load_grants(node, project, year, refs)
    for stale in ProjectYear.objects.filter(year=year).exclude(pk__in=seen_parts):
        _remove_part(root, stale, year, refs)


def _started_project(
    node: Node, slug: str, existing: Project | None, year: Year, refs: Refs
) -> Project | None:
    name = node.str("name", required=True)
    if existing is not None and existing.start_year_id != year.pk:
        if existing.start_year.year < year.year:
            node.error(
                "slug",
                f"project {slug} started in {existing.start_year.year}: "
                "write `continues: true` and only this year's part",
            )
        else:
            node.error(
                "slug",
                f"project {slug} is already described by the year {existing.start_year.year}",
            )
        return None
    values = {
        "start_year": year,
        "name": name,
        "contractor": node.str("contractor"),
        "start": node.date("start"),
        "end": node.date("end"),
        "end_year": node.int("end_year", minimum=year.year),
    }
    if not name or not node.check(
        Project(pk=existing.pk if existing else None, cooperation=refs.coop, slug=slug, **values),
        exclude=["cooperation", "start_year", "slug"],
    ):
        return None
    project, _ = Project.objects.update_or_create(cooperation=refs.coop, slug=slug, defaults=values)
    refs.projects[slug] = project
    return project


def _continued_project(
    node: Node, slug: str, existing: Project | None, year: Year
) -> Project | None:
    if existing is None:
        node.error(
            "slug",
            f"unknown project {slug!r}: a continuing project is described in the year it "
            "starts; load that year's file first",
        )
        return None
    if existing.start_year.year >= year.year:
        node.error(
            "continues",
            f"project {slug} starts in {existing.start_year.year}, not in an earlier year",
        )
        return None
    for key in PROJECT_OWN_KEYS:
        if node.has(key):
            node.error(
                key,
                f"the project's {key} is stated where it starts, in {existing.start_year.year}'s file",
            )
    return existing


def _load_grants(node: Node, project: Project, year: Year, refs: Refs) -> None:
    """The grants decided in the year; a grant decided in another year stays as it is."""
    kept: list[int] = []
    for grant_order, gnode in enumerate(node.nodes("grants")):
        gnode.only("slug", "grantor", "rate", "timing", "amount", "expected_payment_year")
        gslug = gnode.slug("slug", required=True)
        grantor = gnode.str("grantor", required=True)
        timing = gnode.choice("timing", GrantTiming.values, required=True)
        if not gslug or not grantor or not timing:
            continue
        other = refs.grants.get(gslug)
        if other is not None and other.project_id != project.pk:
            gnode.error("slug", f"grant {gslug} already belongs to project {other.project.slug}")
            continue
        if other is not None and other.year_id != year.pk:
            gnode.error(
                "slug", f"grant {gslug} was decided in {other.year.year} and is described there"
            )
            continue
        values = {
            "year": year,
            "grantor": grantor,
            "timing": timing,
            "rate": gnode.decimal("rate"),
            "amount": gnode.decimal("amount"),
            "expected_payment_year": gnode.int("expected_payment_year", minimum=1900),
            "order": grant_order,
        }
        if not gnode.check(
            Grant(project=project, slug=gslug, **values), exclude=["project", "year", "slug"]
        ):
            continue
        grant, _ = Grant.objects.update_or_create(project=project, slug=gslug, defaults=values)
        refs.grants[gslug] = grant
        kept.append(grant.pk)
    for stale in project.grants.filter(year=year).exclude(pk__in=kept):
        try:
            with transaction.atomic():
                stale.delete()
            refs.grants.pop(stale.slug, None)
        except ProtectedError:
            node.error(
                "grants", f"grant {stale.slug} is used by another year and cannot be removed"
            )


def _remove_part(root: Node, part: ProjectYear, year: Year, refs: Refs) -> None:
    """A part the file no longer lists goes; where the project starts, the project goes with it."""
    project = part.project
    if project.start_year_id == year.pk:
        later = sorted(project.years.exclude(pk=part.pk).values_list("year__year", flat=True))
        if later:
            root.error(
                "projects",
                f"project {project.slug} continues in {', '.join(map(str, later))} "
                "and cannot be removed from the year it starts",
            )
            return
        doomed: Any = project
    else:
        doomed = None
    try:
        with transaction.atomic():
            if doomed is not None:
                doomed.delete()
            else:
                project.grants.filter(year=year).delete()
                part.delete()
    except ProtectedError:
        root.error(
            "projects", f"project {project.slug} is used by another year and cannot be removed"
        )
        return
    if doomed is not None:
        refs.projects.pop(project.slug, None)


def _load_accounts(root: Node, year: Year, refs: Refs) -> None:
    for order, node in enumerate(root.nodes("footnotes")):
        node.only("key", "text")
        key = node.str("key", required=True)
        text = node.text("text", required=True)
        if key in refs.footnotes:
            node.error("key", f"a second footnote {key}")
        elif key and text:
            refs.footnotes.add(key)
            Footnote.objects.create(year=year, key=key, text=text, order=order)

    def footnote(node: Node) -> str:
        key = node.str("footnote")
        if key and key not in refs.footnotes:
            node.error("footnote", f"unknown footnote {key!r}")
        return key

    seen_funds: set[str] = set()
    for order, node in enumerate(root.nodes("funds")):
        node.only("fund", "label", "opening", "footnote")
        fund = refs.one(refs.funds, node, "fund", "fund", required=True)
        if fund is None:
            continue
        if fund.slug in seen_funds:
            node.error("fund", f"fund {fund.slug} is listed twice")
            continue
        seen_funds.add(fund.slug)
        FundYear.objects.create(
            year=year,
            fund=fund,
            label=node.str("label"),
            opening_stated=node.decimal("opening"),
            footnote=footnote(node),
            order=order,
        )

    lines = []
    for order, node in enumerate(root.nodes("lines")):
        node.only(
            "fund",
            "category",
            "kind",
            "amount",
            "date",
            "text",
            "member",
            "project",
            "grant",
            "transfer",
            "footnote",
        )
        fund = refs.one(refs.funds, node, "fund", "fund", required=True)
        category = refs.one(refs.categories, node, "category", "cost category", required=True)
        kind = node.choice("kind", LineKind.values, required=True)
        amount = node.decimal("amount", required=True)
        date = _within_year(node, "date", node.date("date"), year.year) or year.end()
        member = refs.one(refs.members, node, "member", "member")
        project = refs.one(refs.projects, node, "project", "project")
        grant = refs.one(refs.grants, node, "grant", "grant")
        if category is not None and kind and category.kind != kind:
            node.error("kind", f"category {category.slug} holds {category.kind}, not {kind}")
        if fund is None or category is None or not kind or amount is None:
            continue
        lines.append(
            LedgerLine(
                year=year,
                fund=fund,
                category=category,
                kind=kind,
                amount=amount,
                date=date,
                text=node.str("text"),
                member=member,
                project=project,
                grant=grant,
                transfer=node.str("transfer"),
                footnote=footnote(node),
                source=LineSource.YEAR_FILE,
                order=order,
            )
        )
    LedgerLine.objects.bulk_create(lines, batch_size=1000)

    for order, node in enumerate(root.nodes("grant_payments")):
        node.only("grant", "date", "amount")
        grant = refs.one(refs.grants, node, "grant", "grant", required=True)
        paid_on = _within_year(node, "date", node.date("date", required=True), year.year)
        amount = node.decimal("amount", required=True)
        if grant and paid_on and amount is not None:
            payment = GrantPayment(year=year, grant=grant, date=paid_on, amount=amount, order=order)
            if node.check(payment, exclude=["year", "grant"]):
                payment.save()

    for order, node in enumerate(root.nodes("published")):
        node.only("key", "place", "printed_in", "amount", "date")
        key = node.str("key", required=True)
        if key and not _known_published_key(key, refs):
            node.error("key", f"{key!r} is not a known figure (see docs/yearfile.md)")
            continue
        amount = node.decimal("amount")
        printed_date = node.date("date")
        if key == "fee_basis_date":
            if printed_date is None:
                node.error("date", "fee_basis_date needs a date")
        elif amount is None:
            node.error("amount", "is required")
        if key:
            PublishedFigure.objects.create(
                year=year,
                key=key,
                place=node.str("place"),
                printed_in=node.choice("printed_in", PrintedIn.values),
                amount=amount,
                date=printed_date,
                order=order,
            )


def _known_published_key(key: str, refs: Refs) -> bool:
    if key in PUBLISHED_SIMPLE_KEYS:
        return True
    parts = key.split(".")
    if parts[0] == "total":
        return len(parts) == 2 and parts[1] in PUBLISHED_FIELDS
    if parts[0] == "fund" and len(parts) >= 3 and parts[1] in refs.funds:
        if len(parts) == 3:
            return parts[2] in PUBLISHED_FIELDS
        return len(parts) == 4 and parts[2] == "category" and parts[3] in refs.categories
    if parts[0] == "event" and len(parts) == 3:
        return parts[2] in ("cost_per_participant", "income", "costs")
    if parts[0] == "project" and len(parts) == 3:
        return parts[1] in refs.projects and parts[2] == "cost"
    return False
