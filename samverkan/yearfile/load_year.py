"""Load a year file (`kind: year`): it replaces the year's content, keeping the year row.

The records' keys, fields and converters are declared in `schema`; this module reads
each record through its declaration, asks the model's own rules of every record
(`Node.check`: the fields' validators and `clean()`, with the messages the app and the
admin give), and stores the records in batches (`bulk_create`) inside the caller's
transaction. The database's constraints back the checks; uniqueness within the file
is checked here, in memory. What is not one record's rule (a second record with the
same slug, a line's category against its kind, co-financing, figures in texts) is
checked below, next to the record it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
    LineSource,
    PublishedFigure,
)
from samverkan.governance.models import (
    Body,
    Chair,
    Event,
    Meeting,
    Network,
    NetworkYear,
    StaffMember,
)
from samverkan.lib.figures import parse_key, placeholders
from samverkan.members.models import Cooperation, Member, Year, YearText
from samverkan.plan.models import AreaGroup, FocusArea, FollowUp, Programme, SubGoal
from samverkan.projects.models import Grant, GrantPayment, Project, ProjectFinancing, ProjectYear
from samverkan.yearfile import records as r
from samverkan.yearfile import schema as s
from samverkan.yearfile.fields import SLUG_RE, Node
from samverkan.yearfile.store import BATCH, Pending, fast_delete, insert_rows


class Refs(r.Lookups):
    """Look-ups of the cooperation's standing data by slug or code, reporting unknown ones."""

    def __init__(self, coop: Cooperation) -> None:
        self.coop = coop
        self.tables: dict[str, dict[str, Any]] = {
            r.MEMBERS: {m.code: m for m in Member.objects.filter(cooperation=coop)},
            r.BODIES: {b.slug: b for b in Body.objects.filter(cooperation=coop)},
            r.NETWORKS: {n.slug: n for n in Network.objects.filter(cooperation=coop)},
            r.PROGRAMMES: {p.slug: p for p in Programme.objects.filter(cooperation=coop)},
            r.CATEGORIES: {c.slug: c for c in CostCategory.objects.filter(cooperation=coop)},
            r.FUNDS: {f.slug: f for f in Fund.objects.filter(cooperation=coop)},
            r.AREA_GROUPS: {},
            r.FOCUS_AREAS: {},
            r.PROJECTS: {
                p.slug: p
                for p in Project.objects.filter(cooperation=coop).select_related("start_year")
            },
            r.GRANTS: {
                g.slug: g
                for g in Grant.objects.filter(project__cooperation=coop).select_related("project")
            },
        }
        self.footnotes: set[str] = set()
        self.events: list[tuple[Node, Event]] = []
        # A network summary names its focus area before the focus areas are read.
        self.summary_areas: list[tuple[NetworkYear, str, Node]] = []

    def get(self, table: str, node: Node, key: str, value: str, what: str) -> Any:
        if not value:
            return None
        known = self.tables[table]
        found = known.get(value)
        if found is None:
            names = ", ".join(sorted(known)) or "none"
            node.error(key, f"unknown {what} {value!r} (known: {names})")
        return found

    def one(self, table: str, node: Node, key: str, what: str, required: bool = False) -> Any:
        value = (
            node.code(key, required=required)
            if table == r.MEMBERS
            else node.slug(key, required=required)
        )
        return self.get(table, node, key, value, what)

    def many(self, table: str, node: Node, key: str, what: str) -> list[Any]:
        found = []
        for value in node.strings(key):
            obj = self.get(table, node, key, value, what)
            if obj is not None and obj not in found:
                found.append(obj)
        return found


def _within_year(node: Node, key: str, value: dt.date | None, year: int) -> dt.date | None:
    if value is not None and value.year != year:
        node.error(key, f"{value.isoformat()} is outside the year {year}")
        return None
    return value


def load_year(root: Node) -> Year | None:
    """Replace a year's content with the file's; the caller runs this in a transaction."""
    root.only(*s.YEAR_FILE_KEYS)
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
    refs.year = number

    year, created = Year.objects.get_or_create(cooperation=coop, year=number)
    _clear(year)
    _load_year_row(root, year, refs, created=created)
    _load_texts(root, year)
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


def _load_year_row(root: Node, year: Year, refs: Refs, *, created: bool) -> None:
    values = s.YEAR.read(root, refs, only=False)
    status, decided_on = values.pop("status"), values.pop("decided_on")
    if created:
        # A year that comes in by its file (an adopted year kept outside the system) comes in
        # as the file says. From then on its status is the app's: deciding, publishing and
        # reopening are services with an audit entry, and a file cannot change them.
        year.status, year.decided_on = status, decided_on
    for attr, value in values.items():
        setattr(year, attr, value)
    officer = root.node("officer")
    for attr, value in (s.OFFICER.read(officer, refs) if officer else {}).items():
        setattr(year, attr, value)
    if not officer:
        year.officer_name = year.officer_email = ""
    population = root.node("population_total")
    year.population_total = year.population_total_date = None
    year.population_total_note = ""
    for attr, value in (s.POPULATION_TOTAL.read(population, refs) if population else {}).items():
        setattr(year, attr, value)
    year.report_settings = root.report_settings()
    # The year's own rules (a decision date within its bounds, the officer's address).
    root.check(year, exclude=[*s.YEAR.exclude(), "year", "status"], constraints=False)
    year.save()


def _load_texts(root: Node, year: Year) -> None:
    texts = root.raw("texts")
    if texts is None:
        return
    if not isinstance(texts, dict):
        root.error("texts", "expected a mapping of key: text")
        return
    rows = []
    for order, (key, body) in enumerate(texts.items()):
        if not isinstance(body, str) or not SLUG_RE.match(key.replace("_", "-")):
            root.error(f"texts.{key}", "expected a text under a simple key")
            continue
        rows.append(YearText(year=year, key=key, body=body.rstrip("\n"), order=order))
    insert_rows(YearText, rows)


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
        fast_delete(model._base_manager.filter(year=year))
    fast_delete(LedgerLine._base_manager.filter(year=year).exclude(source=LineSource.SIE))
    fast_delete(AreaGroup._base_manager.filter(year=year))


def _ordered(record: r.Record, values: dict[str, Any], order: int) -> dict[str, Any]:
    """The model's values without the many-to-many ones, and its place in the list."""
    plain = {k: v for k, v in values.items() if k not in _many(record)}
    if record.ordered:
        plain["order"] = order
    return plain


def _many(record: r.Record) -> set[str]:
    return {f.attr for f in record.fields if f.kind == "refs"}


def _load_governance(root: Node, year: Year, refs: Refs) -> None:
    chairs = Pending(s.CHAIR, ids=False)
    for order, node in enumerate(root.nodes(s.CHAIR.key)):
        values = s.CHAIR.read(node, refs)
        if values["body"] and values["role"] and values["person"]:
            chairs.check_and_add(node, Chair(year=year, **_ordered(s.CHAIR, values, order)))
    chairs.save()

    staff = Pending(s.STAFF, ids=False)
    for order, node in enumerate(root.nodes(s.STAFF.key)):
        values = s.STAFF.read(node, refs)
        if values["start"] and values["end"] and values["end"] < values["start"]:
            node.error("end", "ends before it starts")
        if values["person"] and values["role"]:
            staff.check_and_add(node, StaffMember(year=year, **_ordered(s.STAFF, values, order)))
    staff.save()

    _load_network_years(root, year, refs)

    meetings = Pending(s.MEETING)
    for order, node in enumerate(root.nodes(s.MEETING.key)):
        values = s.MEETING.read(node, refs)
        meeting = Meeting(year=year, **_ordered(s.MEETING, values, order))
        # A body or network name that is not found is reported above, once.
        named = node.has("body") or node.has("networks")
        owners = (
            {}
            if named
            else Meeting.owner_errors(year.cooperation_id, values["body"], values["networks"])
        )
        meetings.check_and_add(node, meeting, {"networks": values["networks"]}, extra=owners)
    meetings.save()

    events = Pending(s.EVENT)
    slugs: set[str] = set()
    for order, node in enumerate(root.nodes(s.EVENT.key)):
        values = s.EVENT.read(node, refs)
        if not values["slug"] or not values["name"]:
            continue
        if values["slug"] in slugs:
            node.error("slug", f"a second event {values['slug']}")
            continue
        slugs.add(values["slug"])
        event = Event(year=year, **_ordered(s.EVENT, values, order))
        events.check_and_add(node, event, {"hosts": values["hosts"]})
    refs.events.extend((node, event) for node, event, _ in events.save())


def _load_network_years(root: Node, year: Year, refs: Refs) -> None:
    """Who takes part and the network's summary: two lists of the file, one NetworkYear each."""
    by_network: dict[str, tuple[Node, NetworkYear, list[Member]]] = {}

    def network_year(node: Node, network: Network) -> NetworkYear:
        if network.slug not in by_network:
            by_network[network.slug] = (
                node,
                NetworkYear(year=year, network=network, order=len(by_network)),
                [],
            )
        return by_network[network.slug][1]

    for node in root.nodes(s.NETWORK_PARTICIPATION.key):
        values = s.NETWORK_PARTICIPATION.read(node, refs)
        if values["network"]:
            network_year(node, values["network"]).participation_note = values["participation_note"]
            absent = by_network[values["network"].slug][2]
            absent.extend(m for m in values["absent"] if m not in absent)

    # Focus areas come later in the file; the summary's area is looked up once they exist.
    for node in root.nodes(s.NETWORK_SUMMARY.key):
        values = s.NETWORK_SUMMARY.read(node, refs, skip=("focus_area", "text"))
        network = values["network"]
        if not network:
            continue
        ny = network_year(node, network)
        if ny.summary or ny.meetings_text:
            node.error("network", f"a second summary for network {network.slug}")
        ny.meetings_text = values["meetings_text"]
        ny.summary = node.text("text", required=not ny.meetings_text)
        area = node.slug("focus_area")
        if area:
            refs.summary_areas.append((ny, area, node))

    pending = Pending(s.NETWORK_PARTICIPATION)
    for node, ny, absent in by_network.values():
        pending.check_and_add(
            node, ny, {"absent": absent}, extra=NetworkYear.absent_errors(ny.network, year, absent)
        )
    pending.save()


def _load_plan(root: Node, year: Year, refs: Refs) -> None:
    groups = Pending(s.AREA_GROUP)
    for order, node in enumerate(root.nodes(s.AREA_GROUP.key)):
        values = s.AREA_GROUP.read(node, refs)
        if values["slug"] and values["name"] and values["kind"]:
            if values["slug"] in refs.tables[r.AREA_GROUPS]:
                node.error("slug", f"a second area group {values['slug']}")
                continue
            group = AreaGroup(year=year, **_ordered(s.AREA_GROUP, values, order))
            if groups.check_and_add(node, group):
                refs.tables[r.AREA_GROUPS][group.slug] = group
    # Only what is stored can be referred to (a batch the database refused is reported).
    refs.tables[r.AREA_GROUPS] = {group.slug: group for _, group, _ in groups.save()}

    areas = Pending(s.FOCUS_AREA)
    for order, node in enumerate(root.nodes(s.FOCUS_AREA.key)):
        values = s.FOCUS_AREA.read(node, refs)
        if not values["slug"] or not values["title"] or values["group"] is None:
            continue
        if values["slug"] in refs.tables[r.FOCUS_AREAS]:
            node.error("slug", f"a second focus area {values['slug']}")
            continue
        area = FocusArea(year=year, **_ordered(s.FOCUS_AREA, values, order))
        links = {f.attr: values[f.attr] for f in s.FOCUS_AREA.fields if f.kind == "refs"}
        if areas.check_and_add(node, area, links):
            refs.tables[r.FOCUS_AREAS][area.slug] = area
    stored_areas = areas.save()
    refs.tables[r.FOCUS_AREAS] = {area.slug: area for _, area, _ in stored_areas}

    goals = [
        SubGoal(focus_area=area, text=text, order=order)
        for node, area, _ in stored_areas
        for order, text in enumerate(node.strings("sub_goals"))
    ]
    insert_rows(SubGoal, goals)
    _load_activities(stored_areas, refs)

    updated = []
    for ny, area_slug, node in refs.summary_areas:
        area = refs.get(r.FOCUS_AREAS, node, "focus_area", area_slug, "focus area")
        if area is not None and ny.pk is not None:
            ny.focus_area = area
            updated.append(ny)
    NetworkYear.objects.bulk_update(updated, ["focus_area"], batch_size=BATCH)


def _load_activities(areas: Iterable[tuple[Node, Any, Any]], refs: Refs) -> None:
    """Every focus area's activities and their follow-ups, stored a batch at a time."""
    activities = Pending(s.ACTIVITY)
    follow_ups: list[Node | None] = []  # each stored activity's follow-up, if the file has one

    def store() -> None:
        stored = activities.save()
        pending = Pending(s.FOLLOW_UP, ids=False)
        for (node, activity, _), follow in zip(stored, follow_ups, strict=False):
            if follow is None:
                pending.add(node, FollowUp(activity=activity))
                continue
            values = s.FOLLOW_UP.read(follow, refs)
            pending.check_and_add(follow, FollowUp(activity=activity, **values))
        pending.save()
        follow_ups.clear()

    for area_node, area, _ in areas:
        for order, node in enumerate(area_node.nodes("activities")):
            values = s.ACTIVITY.read(node, refs)
            if not values["title"]:
                continue
            activity = s.ACTIVITY.model(focus_area=area, **_ordered(s.ACTIVITY, values, order))
            if activities.check_and_add(node, activity, {"networks": values["networks"]}):
                follow_ups.append(node.node("follow_up"))
            if len(activities.items) >= BATCH:
                store()
    store()


def _load_registers(root: Node, year: Year, refs: Refs) -> None:
    responses = Pending(s.CONSULTATION, ids=False)
    for order, node in enumerate(root.nodes(s.CONSULTATION.key)):
        values = s.CONSULTATION.read(node, refs)
        if values["subject"]:
            responses.check_and_add(
                node, ConsultationResponse(year=year, **_ordered(s.CONSULTATION, values, order))
            )
    responses.save()
    _load_projects(root, year, refs)


# -- projects: kept in one block, as their records are declared in one -------------------


def _load_projects(root: Node, year: Year, refs: Refs) -> None:
    """The year's part of each project; a project is described where it starts.

    An entry without `continues` starts the project in this year and says what
    it is (name, contractor, ...); `continues: true` takes up a project that
    started in an earlier year's file, by slug, and says only this year's part.
    Parts and grants of other years are not touched. Projects are few: they are
    matched by slug and updated in place, so other years' lines keep pointing at them.
    """
    seen_parts: list[int] = []
    for order, node in enumerate(root.nodes(s.PROJECT.key)):
        s.PROJECT.only(node)
        slug = node.slug("slug", required=True)
        continues = node.bool("continues")
        if not slug:
            continue
        existing = refs.tables[r.PROJECTS].get(slug)
        if continues:
            project = _continued_project(node, slug, existing, year)
        else:
            project = _started_project(node, slug, existing, year, refs)
        if project is None:
            continue
        part_values = {
            field.attr: field.read(node, refs)
            for key in ("cost", "focus_area", "description")
            if (field := s.PROJECT.by_key[key])
        }
        part_values["order"] = order
        if not node.check(
            ProjectYear(project=project, year=year, **part_values), exclude=s.PROJECT.exclude()
        ):
            continue
        part, _ = ProjectYear.objects.update_or_create(
            project=project, year=year, defaults=part_values
        )
        seen_parts.append(part.pk)
        part.financing.all().delete()
        financing = Pending(s.PROJECT_FINANCING, ids=False)
        for fin_order, fin in enumerate(node.nodes(s.PROJECT_FINANCING.key)):
            fin_values = s.PROJECT_FINANCING.read(fin, refs)
            if fin_values["source"]:
                financing.check_and_add(
                    fin,
                    ProjectFinancing(
                        part=part, **_ordered(s.PROJECT_FINANCING, fin_values, fin_order)
                    ),
                )
        financing.save()
        _load_grants(node, project, year, refs)
    for stale in ProjectYear.objects.filter(year=year).exclude(pk__in=seen_parts):
        _remove_part(root, stale, year, refs)


def _started_project(
    node: Node, slug: str, existing: Project | None, year: Year, refs: Refs
) -> Project | None:
    values = {
        field.attr: field.read(node, refs)
        for key in s.PROJECT_OWN_KEYS
        if (field := s.PROJECT.by_key[key])
    }
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
    values["start_year"] = year
    if not values["name"] or not node.check(
        Project(pk=existing.pk if existing else None, cooperation=refs.coop, slug=slug, **values),
        exclude=["cooperation", "start_year", "slug"],
    ):
        return None
    project, _ = Project.objects.update_or_create(cooperation=refs.coop, slug=slug, defaults=values)
    refs.tables[r.PROJECTS][slug] = project
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
    for key in s.PROJECT_OWN_KEYS:
        if node.has(key):
            node.error(
                key,
                f"the project's {key} is stated where it starts, in {existing.start_year.year}'s file",
            )
    return existing


def _load_grants(node: Node, project: Project, year: Year, refs: Refs) -> None:
    """The grants decided in the year; a grant decided in another year stays as it is."""
    grants = refs.tables[r.GRANTS]
    kept: list[int] = []
    for grant_order, gnode in enumerate(node.nodes(s.GRANT.key)):
        values = s.GRANT.read(gnode, refs)
        gslug = values.pop("slug")
        if not gslug or not values["grantor"] or not values["timing"]:
            continue
        other = grants.get(gslug)
        if other is not None and other.project_id != project.pk:
            gnode.error("slug", f"grant {gslug} already belongs to project {other.project.slug}")
            continue
        if other is not None and other.year_id != year.pk:
            gnode.error(
                "slug", f"grant {gslug} was decided in {other.year.year} and is described there"
            )
            continue
        values = {**_ordered(s.GRANT, values, grant_order), "year": year}
        if not gnode.check(Grant(project=project, slug=gslug, **values), exclude=s.GRANT.exclude()):
            continue
        grant, _ = Grant.objects.update_or_create(project=project, slug=gslug, defaults=values)
        grants[gslug] = grant
        kept.append(grant.pk)
    for stale in project.grants.filter(year=year).exclude(pk__in=kept):
        try:
            with transaction.atomic():
                stale.delete()
            grants.pop(stale.slug, None)
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
        refs.tables[r.PROJECTS].pop(project.slug, None)


# -- accounts ----------------------------------------------------------------------------


def _load_accounts(root: Node, year: Year, refs: Refs) -> None:
    footnotes = Pending(s.FOOTNOTE, ids=False)
    for order, node in enumerate(root.nodes(s.FOOTNOTE.key)):
        values = s.FOOTNOTE.read(node, refs)
        if values["key"] in refs.footnotes:
            node.error("key", f"a second footnote {values['key']}")
        elif values["key"] and values["text"]:
            refs.footnotes.add(values["key"])
            footnotes.check_and_add(
                node, Footnote(year=year, **_ordered(s.FOOTNOTE, values, order))
            )
    footnotes.save()

    def footnote(node: Node, key: str) -> str:
        if key and key not in refs.footnotes:
            node.error("footnote", f"unknown footnote {key!r}")
        return key

    funds = Pending(s.FUND_YEAR, ids=False)
    seen_funds: set[str] = set()
    for order, node in enumerate(root.nodes(s.FUND_YEAR.key)):
        values = s.FUND_YEAR.read(node, refs)
        fund = values["fund"]
        if fund is None:
            continue
        if fund.slug in seen_funds:
            node.error("fund", f"fund {fund.slug} is listed twice")
            continue
        seen_funds.add(fund.slug)
        footnote(node, values["footnote"])
        funds.check_and_add(node, FundYear(year=year, **_ordered(s.FUND_YEAR, values, order)))
    funds.save()

    lines = Pending(s.LINE, ids=False)
    year_end = year.end()
    for order, node in enumerate(root.nodes(s.LINE.key)):
        values = s.LINE.read(node, refs)
        values["date"] = _within_year(node, "date", values["date"], year.year) or year_end
        category, kind = values["category"], values["kind"]
        if category is not None and kind and category.kind != kind:
            node.error("kind", f"category {category.slug} holds {category.kind}, not {kind}")
        if values["fund"] is None or category is None or not kind or values["amount"] is None:
            continue
        footnote(node, values["footnote"])
        line = LedgerLine(year=year, source=LineSource.YEAR_FILE, **_ordered(s.LINE, values, order))
        lines.check_and_add(node, line)
        if len(lines.items) >= BATCH:
            lines.save()
    lines.save()

    payments = Pending(s.GRANT_PAYMENT, ids=False)
    for order, node in enumerate(root.nodes(s.GRANT_PAYMENT.key)):
        values = s.GRANT_PAYMENT.read(node, refs)
        values["date"] = _within_year(node, "date", values["date"], year.year)
        if values["grant"] and values["date"] and values["amount"] is not None:
            payments.check_and_add(
                node, GrantPayment(year=year, **_ordered(s.GRANT_PAYMENT, values, order))
            )
    payments.save()

    published = Pending(s.PUBLISHED, ids=False)
    for order, node in enumerate(root.nodes(s.PUBLISHED.key)):
        values = s.PUBLISHED.read(node, refs)
        key = values["key"]
        if key and not _known_published_key(key, refs):
            node.error("key", f"{key!r} is not a known figure (see docs/yearfile.md)")
            continue
        if key == "fee_basis_date":
            if values["date"] is None:
                node.error("date", "fee_basis_date needs a date")
        elif values["amount"] is None:
            node.error("amount", "is required")
        if key:
            published.check_and_add(
                node, PublishedFigure(year=year, **_ordered(s.PUBLISHED, values, order))
            )
    published.save()


def _known_published_key(key: str, refs: Refs) -> bool:
    figure = parse_key(key)
    funds, categories = refs.tables[r.FUNDS], refs.tables[r.CATEGORIES]
    if figure.kind in ("fund", "category") and figure.subject not in funds:
        return False
    if figure.kind == "category":
        return figure.field in categories
    if figure.kind == "project":
        return figure.subject in refs.tables[r.PROJECTS]
    return figure.kind != ""
