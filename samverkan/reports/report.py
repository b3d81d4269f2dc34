"""The annual report as one immutable object: what a year's report says, not how it looks.

`assembly.build_annual_report` builds it from the database; `outline` turns it
into headings, paragraphs and tables in one language; the renderers write
that outline as HTML, PDF, Word or Markdown. Amounts are Decimal and every
total here is derived from its parts; where the adopted report printed a
figure that differs, the row carries it in `printed` and a finding explains it
(reports/notes.py). Texts (`*_text`, `body`) are Markdown as the year file holds them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from samverkan.reports.findings import Finding


@dataclass(frozen=True, slots=True, kw_only=True)
class Text:
    """A narrative text of the year (YearText), Markdown."""

    key: str
    body: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Cover:
    cooperation_name: str
    short_name: str
    members: tuple[str, ...]  # member names in the cooperation's order
    year: int
    status: str
    decided_on: dt.date | None
    officer_name: str
    officer_email: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Programme:
    name: str
    short_name: str
    adopted: str  # "2019-05" or "2019-05-14", as precise as the source
    valid_from: int | None
    valid_until: int | None
    overall_goal: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Population:
    """Inhabitants at a date: summed from the members' figures (derived) or the year's printed total."""

    date: dt.date | None
    population: int
    derived: bool
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PopulationPoint:
    date: dt.date
    population: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Introduction:
    texts: tuple[Text, ...]
    programme: Programme | None
    population: Population | None
    population_series: tuple[PopulationPoint, ...]  # dates where every member has a figure


@dataclass(frozen=True, slots=True, kw_only=True)
class AreaGroup:
    name: str
    kind: str  # regional | internal
    purpose: str
    steering_document: str
    focus_areas: tuple[str, ...]
    slug: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Goals:
    texts: tuple[Text, ...]
    overall_goal: str  # empty when the texts already state it
    groups: tuple[AreaGroup, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingTally:
    """Meetings held (count field summed; cancelled meetings apart), by kind and by format."""

    ordinary: int = 0
    extra: int = 0
    planning_conference: int = 0
    digital: int = 0
    physical: int = 0
    hybrid: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.ordinary + self.extra + self.planning_conference


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelledMeeting:
    date: dt.date | None
    month: int | None
    reason: str
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Network:
    slug: str
    name: str
    short_name: str
    summary: str
    meetings: MeetingTally
    participants: tuple[str, ...]
    absent: tuple[str, ...]
    participation_note: str
    all_members: bool  # every member of the year takes part
    meetings_text: str = ""  # the meetings as the source states them, when not registered


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    title: str
    description: str
    own_networks: tuple[str, ...]  # empty: the focus area's responsible networks own it
    status: str  # FollowUpStatus value; "" when there is no follow-up
    status_reason: str
    continues: bool
    follow_up: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FocusArea:
    slug: str
    number: str
    title: str
    group: str
    main_goal: str
    sub_goals: tuple[str, ...]
    responsible: str
    activities: tuple[Activity, ...]
    networks: tuple[Network, ...]  # networks whose own summary belongs here
    texts: tuple[Text, ...]
    group_slug: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpChapter:
    """Consecutive focus areas that share a chapter number ("3.1", "3.2" -> chapter 3)."""

    group: str  # the area group's name when every area in the chapter belongs to it, else ""
    focus_areas: tuple[FocusArea, ...]
    group_slug: str = ""  # that group's slug, for the cooperation's wording of the chapter


@dataclass(frozen=True, slots=True, kw_only=True)
class Consultation:
    subject: str
    authority: str
    month: int | None
    received_on: dt.date | None
    sent_on: dt.date | None
    recipient: str
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Consultations:
    texts: tuple[Text, ...]
    answered: tuple[Consultation, ...]
    not_answered: tuple[Consultation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Financing:
    source: str  # operating_budget | surplus | grant
    surplus_year: int | None
    amount: Decimal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Grant:
    grantor: str
    rate: Decimal | None
    timing: str  # arrears | advance
    amount: Decimal | None
    expected_payment_year: int | None
    received: Decimal  # booked grant income up to the end of the year


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    slug: str
    name: str
    contractor: str
    cost: Decimal | None
    cost_is_booked: bool  # True: derived from the year's lines; False: the stated cost (or none)
    start: dt.date | None
    end: dt.date | None
    focus_area: str
    description: str
    financing: tuple[Financing, ...]
    grants: tuple[Grant, ...]
    texts: tuple[Text, ...]
    findings: tuple[Finding, ...] = ()  # a stated cost that differs from the booked one
    # A project over several years: the year it started, its planned last year (None: open),
    # and its costs in every year up to this one (None: none known). None for a one-year project.
    first_year: int | None = None
    end_year: int | None = None
    total_so_far: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Chair:
    role: str  # chair | vice_chair
    person: str
    member: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Body:
    slug: str
    kind: str  # committee | management_group | secretariat
    name: str
    chairs: tuple[Chair, ...]
    meetings: MeetingTally
    cancelled: tuple[CancelledMeeting, ...]
    texts: tuple[Text, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Staff:
    person: str
    role: str
    start: dt.date | None
    end: dt.date | None
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    slug: str
    kind: str
    name: str
    date: dt.date | None
    status: str  # held | cancelled | not_held
    reason: str
    hosts: tuple[str, ...]
    partners: tuple[str, ...]
    theme: str
    participants: int | None
    costs: Decimal | None  # the costs of the event's fund this year
    cost_per_participant: Decimal | None  # whole kronor
    cost_cap_per_participant: Decimal | None
    co_financing: tuple[tuple[str, Decimal], ...]  # income per member in the event's fund
    texts: tuple[Text, ...]

    @property
    def co_financing_total(self) -> Decimal:
        return sum((amount for _, amount in self.co_financing), Decimal(0))


@dataclass(frozen=True, slots=True, kw_only=True)
class Administration:
    texts: tuple[Text, ...]  # texts about the meetings as a whole, before the bodies
    bodies: tuple[Body, ...]
    staff: tuple[Staff, ...]
    networks: tuple[Network, ...]  # networks with meetings or a summary that no focus area shows
    events: tuple[Event, ...]
    closing_texts: tuple[Text, ...]  # administration texts, after the events


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeCharge:
    member: str
    population: int | None
    amount: Decimal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Fees:
    rate: Decimal | None
    basis: str  # FeeBasis value
    basis_date: dt.date | None
    charges: tuple[FeeCharge, ...]
    total: Decimal
    population: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FundRow:
    """One fund in the summary table (or the sum row, slug "")."""

    slug: str
    label: str
    footnote: str
    opening: Decimal
    income: Decimal
    costs: Decimal
    transfers: Decimal = Decimal(0)  # net transfers in from other funds (when shown apart)
    # Figures the adopted report printed here that differ from the derived ones: field -> printed.
    printed: tuple[tuple[str, Decimal], ...] = ()

    @property
    def result(self) -> Decimal:
        return self.income - self.costs

    @property
    def closing(self) -> Decimal:
        return self.opening + self.income - self.costs + self.transfers

    def shown(self, name: str) -> Decimal:
        """The figure as the report prints it: the adopted one where it differs, else derived."""
        return dict(self.printed).get(name, getattr(self, name))


@dataclass(frozen=True, slots=True, kw_only=True)
class DetailRow:
    """Lines of one fund summed by kind and label (category name or the line's own text)."""

    label: str
    kind: str  # income | cost
    amount: Decimal
    footnote: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectLines:
    name: str
    rows: tuple[DetailRow, ...]
    footnote: str = ""

    @property
    def income(self) -> Decimal:
        return sum((r.amount for r in self.rows if r.kind == "income"), Decimal(0))

    @property
    def costs(self) -> Decimal:
        return sum((r.amount for r in self.rows if r.kind == "cost"), Decimal(0))


@dataclass(frozen=True, slots=True, kw_only=True)
class FundDetail:
    slug: str
    label: str
    footnote: str
    rows: tuple[DetailRow, ...]  # lines without a project
    projects: tuple[ProjectLines, ...]  # lines with a project, grouped under it
    income: Decimal
    costs: Decimal
    transfers: tuple[DetailRow, ...] = ()  # transfers between funds, when shown apart
    # The project lines one by one with their own texts (option project_lines: breakdown).
    breakdown: tuple[DetailRow, ...] = ()
    printed: tuple[tuple[str, Decimal], ...] = ()  # field -> figure as adopted
    findings: tuple[Finding, ...] = ()

    @property
    def result(self) -> Decimal:
        return self.income - self.costs

    @property
    def net_transfers(self) -> Decimal:
        return sum(
            (t.amount if t.kind == "income" else -t.amount for t in self.transfers), Decimal(0)
        )

    def shown(self, name: str) -> Decimal:
        return dict(self.printed).get(name, getattr(self, name))

    def printed_result(self) -> Decimal:
        """The result as printed: the adopted figure where one was printed, else what is shown."""
        printed = dict(self.printed)
        if "closing" in printed:
            return printed["closing"]
        return self.shown("income") - self.shown("costs")


@dataclass(frozen=True, slots=True, kw_only=True)
class Receivable:
    grantor: str
    project: str
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Footnote:
    key: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class YearBalances:
    """Closing balance per fund at the end of one year held in the system (for the chart)."""

    year: int
    closing: tuple[tuple[str, Decimal], ...]  # (fund label, closing balance)


@dataclass(frozen=True, slots=True, kw_only=True)
class Accounts:
    texts: tuple[Text, ...]
    fees: Fees
    summary: tuple[FundRow, ...]
    total: FundRow
    details: tuple[FundDetail, ...]
    operating_costs: tuple[
        tuple[str, Decimal], ...
    ]  # operating fund's costs by category, for the chart
    operating_label: str
    receivables: tuple[Receivable, ...]
    footnotes: tuple[Footnote, ...]
    history: tuple[YearBalances, ...]
    summary_findings: tuple[Finding, ...] = ()  # notes under the summary table
    remarks: tuple[Finding, ...] = ()  # findings no table or paragraph holds


@dataclass(frozen=True, slots=True, kw_only=True)
class BudgetLine:
    """One category of a fund's budget: budget and outcome, positive on their side (income or cost)."""

    category: str
    kind: str  # income | cost
    budget: Decimal
    outcome: Decimal

    @property
    def deviation(self) -> Decimal:
        """Outcome minus budget: for a cost, positive is an overrun."""
        return self.outcome - self.budget


@dataclass(frozen=True, slots=True, kw_only=True)
class FundBudget:
    slug: str
    label: str
    lines: tuple[BudgetLine, ...]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the report carries as its source data (the PDF embeds it; PDF/A-3 "Source")."""

    name: str
    content: bytes
    media_type: str
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AnnualReport:
    lang: str
    slug: str
    year: int
    cover: Cover
    introduction: Introduction
    goals: Goals
    follow_up_texts: tuple[Text, ...]
    follow_up: tuple[FollowUpChapter, ...]
    consultations: Consultations
    project_texts: tuple[Text, ...]
    projects: tuple[Project, ...]
    administration: Administration
    other_texts: tuple[Text, ...]  # year texts no chapter claims: printed before the accounts
    accounts: Accounts
    # The cooperation's report settings merged with the year's (samverkan.lib.report_settings).
    settings: dict[str, Any] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()  # every finding of `samverkan check` for the year
    # "report": the annual report; "plan": the year's activity plan (verksamhetsplan), made from
    # the same object: its goals, focus areas and activities, and the budget.
    document: str = "report"
    plan_adopted_on: dt.date | None = None
    budget: tuple[FundBudget, ...] = ()  # per fund with a budget; empty when the year has none
    # The year file and the standing file, when the report was built for a renderer that carries
    # them (`build_annual_report(..., sources=True)`): renderers never go back to the database.
    attachments: tuple[Attachment, ...] = ()
