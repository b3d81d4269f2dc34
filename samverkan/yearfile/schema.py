"""The year file's and the standing file's records, declared once.

Each declaration says which YAML key holds which model field, with which converter,
whether it is required, its default and where it stands in the file; the loader and
the export both follow it (`records` says how). What is more than one field (a rule
across records, the order in which records refer to each other) stays in the loader,
which names the record it is about.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from samverkan.consultations.models import ConsultationResponse
from samverkan.finance.models import (
    AccountMapping,
    CostCategory,
    Footnote,
    Fund,
    FundKind,
    FundYear,
    LedgerLine,
    LineKind,
    PrintedIn,
    PublishedFigure,
)
from samverkan.governance.models import (
    Body,
    BodyKind,
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
from samverkan.members.models import (
    Cooperation,
    FeeBasis,
    FeeRule,
    Member,
    PopulationFigure,
    Year,
    YearStatus,
)
from samverkan.plan.models import (
    Activity,
    AreaGroup,
    AreaGroupKind,
    FocusArea,
    FollowUp,
    FollowUpStatus,
    Programme,
)
from samverkan.projects.models import (
    FinancingSource,
    Grant,
    GrantPayment,
    GrantTiming,
    ProjectFinancing,
    ProjectYear,
)
from samverkan.yearfile.records import (
    AREA_GROUPS,
    BODIES,
    CATEGORIES,
    FOCUS_AREAS,
    FUNDS,
    GRANTS,
    MEMBERS,
    NETWORKS,
    PROGRAMMES,
    PROJECTS,
    Field,
    Lookups,
    Record,
    amount,
    choice,
    code,
    day,
    flag,
    integer,
    lines,
    moment,
    nested,
    ref,
    refs,
    slug,
    string,
    text,
)

if TYPE_CHECKING:
    from samverkan.yearfile.fields import Node


def _end_year(node: Node, field: Field, refs: Lookups) -> Any:
    # A project planned to end before the year it starts in is a mistake in the file.
    return node.int(field.key, minimum=refs.year)


def _count(node: Node, field: Field, refs: Lookups) -> Any:
    # One meeting unless the file says how many; a wrong number is left for the model's rule.
    return (node.int(field.key) if node.has(field.key) else 1) or 0


# -- the year row ------------------------------------------------------------------------

YEAR = Record(
    "",
    Year,
    (
        choice("status", YearStatus.values, default=YearStatus.PLANNING),
        day("decided_on"),
        nested("officer"),
        ref("programme", PROGRAMMES, "programme"),
        ref("operating_fund", FUNDS, "fund"),
        nested("texts"),
        nested("report"),
        nested("population_total"),
    ),
    ordered=False,
)
OFFICER = Record(
    "officer",
    Year,
    (string("name", "officer_name"), string("email", "officer_email")),
    ordered=False,
)
POPULATION_TOTAL = Record(
    "population_total",
    Year,
    (
        day("date", "population_total_date", required=True),
        integer("population", "population_total", required=True, minimum=0),
        string("note", "population_total_note"),
    ),
    ordered=False,
)

# -- governance --------------------------------------------------------------------------

CHAIR = Record(
    "chairs",
    Chair,
    (
        ref("body", BODIES, "body", required=True),
        choice("role", ChairRole.values, required=True),
        string("person", required=True),
        ref("member", MEMBERS, "member"),
    ),
    judged=("role", "person"),
)
STAFF = Record(
    "staff",
    StaffMember,
    (
        string("person", required=True),
        string("role", required=True),
        day("start"),
        day("end"),
        text("note"),
        text("internal_note"),
    ),
    judged=("person", "role"),
)
# Two lists of the file describe one NetworkYear: who takes part, and the network's summary.
NETWORK_PARTICIPATION = Record(
    "network_participation",
    NetworkYear,
    (
        ref("network", NETWORKS, "network", required=True),
        refs("absent", MEMBERS, "member"),
        text("note", "participation_note"),
    ),
)
NETWORK_SUMMARY = Record(
    "network_summaries",
    NetworkYear,
    (
        ref("network", NETWORKS, "network", required=True),
        # Focus areas come later in the file; the loader looks this one up when they exist.
        ref("focus_area", FOCUS_AREAS, "focus area"),
        string("meetings", "meetings_text"),
        text("text", "summary"),
    ),
)
MEETING = Record(
    "meetings",
    Meeting,
    (
        ref("body", BODIES, "body"),
        refs("networks", NETWORKS, "network"),
        day("date"),
        integer("month", minimum=1, maximum=12),
        choice("format", MeetingFormat.values, required=True),
        choice("kind", MeetingKind.values, default=MeetingKind.ORDINARY),
        string("place"),
        Field(key="count", attr="count", kind="int", omit=1, reader=_count),
        flag("cancelled"),
        text("cancel_reason"),
        text("guests"),
        text("note"),
    ),
    judged=("format", "kind"),
)
EVENT = Record(
    "events",
    Event,
    (
        slug("slug", required=True),
        choice("kind", EventKind.values, required=True),
        string("name", required=True),
        day("date"),
        choice("status", EventStatus.values, default=EventStatus.HELD),
        text("reason"),
        refs("hosts", MEMBERS, "member"),
        lines("partners"),
        string("theme"),
        integer("participants"),
        amount("cost_cap_per_participant"),
        ref("fund", FUNDS, "fund"),
    ),
    judged=("slug", "kind", "status"),
)

# -- the plan and its follow-up ----------------------------------------------------------

AREA_GROUP = Record(
    "area_groups",
    AreaGroup,
    (
        slug("slug", required=True),
        string("name", required=True),
        choice("kind", AreaGroupKind.values, required=True),
        text("purpose"),
        text("steering_document"),
    ),
    judged=("slug", "name", "kind"),
)
FOCUS_AREA = Record(
    "focus_areas",
    FocusArea,
    (
        slug("slug", required=True),
        string("number"),
        ref("group", AREA_GROUPS, "area group", required=True),  # an area group of this file
        string("title", required=True),
        text("main_goal"),
        nested("sub_goals"),  # a list of texts, each a SubGoal
        refs("responsible_networks", NETWORKS, "network"),
        refs("responsible_bodies", BODIES, "body"),
        text("responsible_text"),
        nested("activities"),
    ),
    judged=("slug", "title"),
)
ACTIVITY = Record(
    "activities",
    Activity,
    (
        text("title", required=True),
        refs("networks", NETWORKS, "network"),
        text("description"),
        nested("follow_up"),
    ),
)
FOLLOW_UP = Record(
    "follow_up",
    FollowUp,
    (
        choice("status", FollowUpStatus.values, default=FollowUpStatus.NOT_STARTED),
        text("status_reason"),
        flag("continues"),
        text("text"),
    ),
    judged=("status", "updated_by"),
    ordered=False,
)

# -- registers ---------------------------------------------------------------------------

CONSULTATION = Record(
    "consultations",
    ConsultationResponse,
    (
        text("subject", required=True),
        string("authority"),
        day("received_on"),
        day("sent_on"),
        integer("month"),
        string("recipient"),
        flag("answered", default=True, keep=True),
        string("link"),
        text("note"),
    ),
)

# -- projects (kept together: the project records may change shape on their own) ---------

# A project is described in full where it starts; a later year's entry says `continues:
# true` and gives only that year's part (docs/yearfile.md, "Projects over several years").
PROJECT = Record(
    "projects",
    ProjectYear,
    (
        slug("slug", required=True, path="project__slug"),
        flag("continues"),  # not a field: the project started in an earlier year
        string("name", required=True, path="project__name"),
        string("contractor", path="project__contractor"),
        amount("cost", "stated_cost"),
        day("start", path="project__start"),
        day("end", path="project__end"),
        Field(
            key="end_year", attr="end_year", kind="int", path="project__end_year", reader=_end_year
        ),
        ref("focus_area", FOCUS_AREAS, "focus area"),  # a focus area of this year
        text("description"),
        nested("financing"),
        nested("grants"),
    ),
)
# What the project is (stated where it starts), and what its part in a year is.
PROJECT_OWN_KEYS = ("name", "contractor", "start", "end", "end_year")
PROJECT_PART_KEYS = ("cost", "focus_area", "description", "financing", "grants")
PROJECT_FINANCING = Record(
    "financing",
    ProjectFinancing,
    (
        choice("source", FinancingSource.values, required=True),
        integer("surplus_year", minimum=1900),
        amount("amount", minimum=Decimal(0)),
    ),
    judged=("source",),
)
GRANT = Record(
    "grants",
    Grant,
    (
        slug("slug", required=True),
        string("grantor", required=True),
        amount("rate"),
        choice("timing", GrantTiming.values, required=True),
        amount("amount"),
        integer("expected_payment_year", minimum=1900),
    ),
    judged=("slug",),
)

# -- accounts ----------------------------------------------------------------------------

FUND_YEAR = Record(
    "funds",
    FundYear,
    (
        ref("fund", FUNDS, "fund", required=True),
        string("label"),
        amount("opening", "opening_stated"),
        string("footnote"),  # a key of this file's footnotes
    ),
)
LINE = Record(
    "lines",
    LedgerLine,
    (
        ref("fund", FUNDS, "fund", required=True),
        ref("category", CATEGORIES, "cost category", required=True),
        choice("kind", LineKind.values, required=True),
        amount("amount", required=True),
        day("date"),  # within the year; left out: 31 December
        string("text"),
        ref("member", MEMBERS, "member"),
        ref("project", PROJECTS, "project"),
        ref("grant", GRANTS, "grant"),
        string("transfer"),
        string("footnote"),  # a key of this file's footnotes
    ),
    judged=("kind", "source"),
)
GRANT_PAYMENT = Record(
    "grant_payments",
    GrantPayment,
    (
        ref("grant", GRANTS, "grant", required=True),
        day("date", required=True),
        amount("amount", required=True),
    ),
)
FOOTNOTE = Record(
    "footnotes",
    Footnote,
    (string("key", required=True), text("text", required=True)),
    judged=("key", "text"),
)
PUBLISHED = Record(
    "published",
    PublishedFigure,
    (
        string("key", required=True),
        string("place"),
        choice("printed_in", PrintedIn.values),
        amount("amount"),
        day("date"),
    ),
    judged=("key", "printed_in"),
)

# The file's top-level keys in the order the export writes them.
YEAR_FILE_KEYS: tuple[str, ...] = (
    "kind",
    "cooperation",
    "year",
    *YEAR.keys,
    CHAIR.key,
    STAFF.key,
    NETWORK_PARTICIPATION.key,
    NETWORK_SUMMARY.key,
    MEETING.key,
    AREA_GROUP.key,
    FOCUS_AREA.key,
    CONSULTATION.key,
    PROJECT.key,
    EVENT.key,
    FUND_YEAR.key,
    LINE.key,
    GRANT_PAYMENT.key,
    FOOTNOTE.key,
    PUBLISHED.key,
)

# Every record of a year, each once (what a year file replaces).
YEAR_RECORDS: tuple[Record, ...] = (
    CHAIR,
    STAFF,
    NETWORK_PARTICIPATION,
    NETWORK_SUMMARY,
    MEETING,
    EVENT,
    AREA_GROUP,
    FOCUS_AREA,
    ACTIVITY,
    FOLLOW_UP,
    CONSULTATION,
    PROJECT,
    PROJECT_FINANCING,
    GRANT,
    FUND_YEAR,
    LINE,
    GRANT_PAYMENT,
    FOOTNOTE,
    PUBLISHED,
)


# -- the standing file (`kind: cooperation`) ----------------------------------------------

COOPERATION = Record(
    "",
    Cooperation,
    (
        slug("slug", required=True),
        string("name", required=True),
        string("short_name"),
        nested("report"),
        code("host_member", path="host_member__code"),  # a member of this file
    ),
    ordered=False,
)
MEMBER = Record(
    "members",
    Member,
    (
        code("code", required=True),
        string("name", required=True),
        integer("joined", minimum=1900),
        integer("left", minimum=1900),
    ),
)
POPULATION = Record(
    "population",
    PopulationFigure,
    (
        code("member", required=True, path="member__code"),  # a member of this file
        day("date", required=True),
        integer("population", required=True, keep=True),
        string("source"),
        string("source_file"),
        string("source_table"),
        moment("imported_at"),
    ),
    ordered=False,
)
FEE_RULE = Record(
    "fee_rules",
    FeeRule,
    (
        integer("from_year", required=True, minimum=1900),
        amount("rate", required=True, minimum=Decimal(0)),
        choice("basis", FeeBasis.values, default=FeeBasis.PREVIOUS_YEAR_END),
    ),
    ordered=False,
)
BODY = Record(
    "bodies",
    Body,
    (
        slug("slug", required=True),
        choice("kind", BodyKind.values, required=True),
        string("name", required=True),
    ),
)
NETWORK = Record(
    "networks",
    Network,
    (
        slug("slug", required=True),
        string("name", required=True),
        string("short_name"),
        text("note"),
        refs("members", MEMBERS, "member"),  # default: all members
    ),
)
PROGRAMME = Record(
    "programmes",
    Programme,
    (
        slug("slug", required=True),
        string("name", required=True),
        string("short_name"),
        string("adopted"),  # YYYY-MM or YYYY-MM-DD, as precise as the source
        integer("valid_from", minimum=1900),
        integer("valid_until", minimum=1900),
        text("overall_goal"),
    ),
    ordered=False,
)
COST_CATEGORY = Record(
    "cost_categories",
    CostCategory,
    (
        slug("slug", required=True),
        string("name", required=True),
        choice("kind", LineKind.values, required=True),
        flag("fee", "is_fee"),
    ),
)
FUND = Record(
    "funds",
    Fund,
    (
        slug("slug", required=True),
        string("name", required=True),
        string("carried_name"),
        choice("kind", FundKind.values, required=True),
    ),
)
ACCOUNT_MAPPING = Record(
    "account_mappings",
    AccountMapping,
    (
        string("account", required=True),
        slug("category", required=True, path="category__slug"),  # a cost category of this file
        slug("fund", path="fund__slug"),  # a fund of this file
        string("object", "object_id"),  # DIM:ID
        slug("project"),
    ),
    ordered=False,
)

# The standing file's top-level keys in the order the export writes them.
COOPERATION_FILE_KEYS: tuple[str, ...] = (
    "kind",
    *COOPERATION.keys,
    MEMBER.key,
    POPULATION.key,
    FEE_RULE.key,
    BODY.key,
    NETWORK.key,
    PROGRAMME.key,
    COST_CATEGORY.key,
    FUND.key,
    ACCOUNT_MAPPING.key,
)
