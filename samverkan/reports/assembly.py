"""Build the AnnualReport of one year from the database.

It gathers the chapters' records with a fixed, small number of queries
(prefetching what the chapters need). Every figure comes from the year's
figures (`reports.figures`, built once by `figures_from_db`): fund balances,
fees, project costs, events' costs per participant, receivables, the
population; the meeting counts from the meetings register. Printed figures
(PublishedFigure) enter only through the findings of `checks`: a figure that
differs is printed as adopted with a note (reports/notes.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from samverkan.consultations.models import ConsultationResponse
from samverkan.finance.ledger import Entry, YearAccounts
from samverkan.finance.models import Footnote, FundYear, LedgerLine
from samverkan.governance.models import Body as BodyModel
from samverkan.governance.models import (
    BodyKind,
    Chair,
    Meeting,
    NetworkYear,
    StaffMember,
)
from samverkan.governance.models import Event as EventModel
from samverkan.governance.models import Network as NetworkModel
from samverkan.lib.figures import fill, parse_key
from samverkan.lib.money import ZERO, format_kr
from samverkan.lib.report_settings import Settings, merged
from samverkan.members.models import Member, Year
from samverkan.plan.models import Activity as ActivityModel
from samverkan.plan.models import AreaGroup as AreaGroupModel
from samverkan.plan.models import FocusArea as FocusAreaModel
from samverkan.projects.models import Grant as GrantModel
from samverkan.projects.models import Project as ProjectModel
from samverkan.projects.models import ProjectYear as ProjectYearModel
from samverkan.reports import formatting as fmt
from samverkan.reports import report as r
from samverkan.reports.checks import run_checks
from samverkan.reports.figures import YearFigures
from samverkan.reports.figures_from_db import build_year_figures
from samverkan.reports.findings import Finding
from samverkan.reports.notes import note_text, shows_printed

# Year text keys that belong to a chapter; any other key is placed by matching
# a focus area, project, body or event slug, else printed before the accounts.
INTRODUCTION_KEYS = ("introduction", "population")
GOALS_KEYS = ("area_groups_intro", "focus_areas", "overall_goal", "goals")
FOLLOW_UP_KEYS = ("follow_up",)
CONSULTATION_KEYS = ("consultations",)
PROJECT_KEYS = ("projects",)
MEETING_KEYS = ("meetings",)
ADMINISTRATION_KEYS = ("administration",)
ACCOUNTS_KEYS = ("accounts", "fees")
YEAR_FILE_TYPE = "application/yaml"


class TextPool:
    """The year's texts; each is handed out once, and `rest()` returns what no chapter took."""

    def __init__(self, texts: Iterable[tuple[str, str]]) -> None:
        self._texts = dict(texts)

    def take(self, *keys: str) -> tuple[r.Text, ...]:
        taken = []
        for key in keys:
            if key in self._texts:
                taken.append(r.Text(key=key, body=self._texts.pop(key)))
        return tuple(taken)

    def take_matching(self, *candidates: str) -> tuple[r.Text, ...]:
        """Texts whose key is a candidate, or a candidate's slug without its year suffix."""
        keys = []
        for candidate in candidates:
            if not candidate:
                continue
            keys.append(candidate)
            stem, _, suffix = candidate.rpartition("-")
            if stem and suffix.isdigit():
                keys.append(stem)
        return self.take(*dict.fromkeys(keys))

    def rest(self) -> tuple[r.Text, ...]:
        return self.take(*list(self._texts))


def build_annual_report(
    year: Year, lang: str = "sv", document: str = "report", *, sources: bool = False
) -> r.AnnualReport:
    """Assemble the year's report; `lang` is recorded for the renderers (data stay as entered).

    `document="plan"` marks the same object as the year's activity plan: the
    outline then writes the verksamhetsplan (goals, activities, budget) from it.
    `sources`: the report carries the year file and the standing file as its
    attachments (for a renderer whose `carries_sources` says so: the PDF).
    """
    year = Year.objects.select_related("cooperation", "programme", "operating_fund").get(pk=year.pk)
    coop = year.cooperation
    members = [m for m in Member.objects.filter(cooperation=coop) if m.is_member_in(year.year)]
    figures = build_year_figures(year)
    accounts = figures.accounts
    findings = tuple(run_checks(figures))
    settings = merged(coop.report_settings, year.report_settings)
    placed: set[int] = set()
    with override(lang):
        texts = TextPool(
            [
                (key, _fill_text(body, figures, findings, placed, lang))
                for key, body in year.texts.order_by("order", "key").values_list("key", "body")
            ]
        )
    introduction = r.Introduction(
        texts=texts.take(*INTRODUCTION_KEYS),
        programme=_programme(year),
        population=_population(year, figures),
        population_series=tuple(
            r.PopulationPoint(date=date, population=total)
            for date, total in figures.population_series()
        ),
    )
    goals_texts = texts.take(*GOALS_KEYS)
    area_groups = list(AreaGroupModel.objects.filter(year=year).prefetch_related("focus_areas"))
    overall = year.programme.overall_goal if year.programme else ""
    if overall and any(overall in t.body for t in goals_texts):
        overall = ""  # the chapter's own text already quotes it
    goals = r.Goals(
        texts=goals_texts,
        overall_goal=overall,
        groups=tuple(
            r.AreaGroup(
                name=g.name,
                kind=g.kind,
                purpose=g.purpose,
                steering_document=g.steering_document,
                focus_areas=tuple(fa.title for fa in g.focus_areas.all()),
                slug=g.slug,
            )
            for g in area_groups
        ),
    )
    follow_up_texts = texts.take(*FOLLOW_UP_KEYS)
    consultations = _consultations(year, texts)
    meetings = list(
        Meeting.objects.filter(year=year).prefetch_related("networks").order_by("order", "id")
    )
    networks = _networks(year, members, meetings)
    chapters, placed_networks = _follow_up(year, networks, texts)
    project_texts = texts.take(*PROJECT_KEYS)
    projects = _projects(year, figures, texts, findings, placed)
    administration = _administration(year, meetings, networks, placed_networks, figures, texts)
    accounts_texts = texts.take(*ACCOUNTS_KEYS)
    other = texts.rest()
    account_chapter = _accounts(
        year,
        figures,
        accounts_texts,
        Settings(settings, words=lang == "sv"),
        findings,
        placed,
    )
    account_chapter = replace(
        account_chapter,
        remarks=tuple(f for i, f in enumerate(findings) if i not in placed),
    )
    return r.AnnualReport(
        lang=lang,
        slug=coop.slug,
        year=year.year,
        cover=r.Cover(
            cooperation_name=coop.name,
            short_name=coop.short_name,
            members=tuple(m.name for m in members),
            year=year.year,
            status=year.status,
            decided_on=year.decided_on,
            officer_name=year.officer_name,
            officer_email=year.officer_email,
        ),
        introduction=introduction,
        goals=goals,
        follow_up_texts=follow_up_texts,
        follow_up=chapters,
        consultations=consultations,
        project_texts=project_texts,
        projects=projects,
        administration=administration,
        other_texts=other,
        accounts=account_chapter,
        settings=settings,
        findings=findings,
        document=document,
        plan_adopted_on=year.plan_adopted_on,
        budget=_budget(year, accounts),
        attachments=source_files(year, lang) if sources else (),
    )


def source_files(year: Year, lang: str) -> tuple[r.Attachment, ...]:
    """The report's source data: the year file, and the standing file it refers to."""
    from samverkan.yearfile.export import export_cooperation, export_year

    year = Year.objects.select_related("cooperation", "programme", "operating_fund").get(pk=year.pk)
    slug = year.cooperation.slug
    with override(lang):
        year_description = _("Årets data (årsfil) i YAML")
        standing_description = _(
            "Samverkans fasta uppgifter (medlemmar, organ, nätverk; den fasta filen) i YAML"
        )
    return (
        r.Attachment(
            name=f"{slug}-{year.year}.yaml",
            content=export_year(year).encode("utf-8"),
            media_type=YEAR_FILE_TYPE,
            description=year_description,
        ),
        r.Attachment(
            name=f"{slug}.yaml",
            content=export_cooperation(year.cooperation).encode("utf-8"),
            media_type=YEAR_FILE_TYPE,
            description=standing_description,
        ),
    )


def _budget(year: Year, accounts: YearAccounts) -> tuple[r.FundBudget, ...]:
    from samverkan.finance.budget import budget_comparison

    return tuple(
        r.FundBudget(
            slug=f.slug,
            label=f.label,
            lines=tuple(
                r.BudgetLine(
                    category=row.category, kind=row.kind, budget=row.budget, outcome=row.outcome
                )
                for row in f.rows
            ),
        )
        for f in budget_comparison(year, accounts)
    )


def _fill_text(
    body: str,
    figures: YearFigures,
    findings: tuple[Finding, ...],
    placed: set[int],
    lang: str,
) -> str:
    """A year text with its `{{ key }}` figures filled in, and its notes on printed figures.

    A figure the adopted report printed differently (a finding of the figure
    in a text) is printed as adopted, with the derived one in a note at the
    end of the same paragraph; so is a stated date or population that
    contradicts the data, in the paragraph that states it.
    """
    paragraphs = body.split("\n\n")
    result = []
    for paragraph in paragraphs:
        notes: list[str] = []

        def value_of(key: str, notes: list[str] = notes) -> Decimal | None:
            for index, f in enumerate(findings):
                if f.key == key and f.printed_in == "text" and shows_printed(f):
                    if index not in placed:
                        placed.add(index)
                        notes.append(note_text(f, lang))
                    assert isinstance(f.found, Decimal)
                    return f.found
            return figures.derived(key)

        text = fill(paragraph, value_of, lang)
        for index, f in enumerate(findings):
            if index in placed or f.printed_in != "text" or f.check == "printed_totals":
                continue
            if _states(text, f, lang):
                placed.add(index)
                notes.append(note_text(f, lang))
        if notes:
            text = text.rstrip() + " *" + " ".join(notes) + "*"
        result.append(text)
    return "\n\n".join(result)


def _states(text: str, finding: Finding, lang: str) -> bool:
    """The paragraph states the finding's printed date or figure."""
    found = finding.found
    flat = " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())
    if isinstance(found, str):
        try:
            return fmt.date(dt.date.fromisoformat(found), lang) in flat
        except ValueError:
            return False
    if isinstance(found, Decimal):
        number = format_kr(found, lang=lang).rsplit("\xa0", 1)[0] if lang == "sv" else ""
        number = " ".join(number.replace("\xa0", " ").replace("\u202f", " ").split())
        return bool(number) and number in flat
    return False


# --- introduction ---------------------------------------------------------------------------


def _programme(year: Year) -> r.Programme | None:
    p = year.programme
    if p is None:
        return None
    return r.Programme(
        name=p.name,
        short_name=p.short_name,
        adopted=p.adopted,
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        overall_goal=p.overall_goal,
    )


def _population(year: Year, figures: YearFigures) -> r.Population | None:
    """The members' figures at 31 December summed when every member has one, else the printed total."""
    end = year.end()
    derived = figures.members_population(end)
    if derived is not None:
        return r.Population(date=end, population=derived, derived=True)
    stated = figures.stated_population
    if stated.total is not None:
        return r.Population(
            date=stated.date, population=stated.total, derived=False, note=stated.note
        )
    return None


# --- focus areas, networks, activities -------------------------------------------------------


def _tally(meetings: Iterable[Meeting]) -> r.MeetingTally:
    counts: dict[str, int] = defaultdict(int)
    for m in meetings:
        if m.cancelled:
            counts["cancelled"] += m.count
            continue
        counts[m.kind] += m.count
        counts[m.format] += m.count
    return r.MeetingTally(**counts)


def _networks(
    year: Year, members: list[Member], meetings: list[Meeting]
) -> dict[str, tuple[r.Network, int | None]]:
    """Every network with a NetworkYear or a meeting this year -> (network, focus area id)."""
    network_years = {
        ny.network_id: ny for ny in NetworkYear.objects.filter(year=year).prefetch_related("absent")
    }
    by_network: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        for network in meeting.networks.all():
            by_network[network.pk].append(meeting)
    result: dict[str, tuple[r.Network, int | None]] = {}
    names = {m.pk: m.name for m in members}
    for network in NetworkModel.objects.filter(cooperation_id=year.cooperation_id).prefetch_related(
        "members"
    ):
        ny = network_years.get(network.pk)
        if ny is None and network.pk not in by_network:
            continue
        own = [m.pk for m in network.members.all() if m.pk in names]
        pool = own or list(names)
        absent = {m.pk for m in ny.absent.all()} if ny else set()
        result[network.slug] = (
            r.Network(
                slug=network.slug,
                name=network.name,
                short_name=network.short_name,
                summary=ny.summary if ny else "",
                meetings=_tally(by_network.get(network.pk, [])),
                participants=tuple(names[pk] for pk in pool if pk not in absent),
                absent=tuple(names[pk] for pk in names if pk in absent),
                participation_note=ny.participation_note if ny else "",
                all_members=not own and not absent,
                meetings_text=ny.meetings_text if ny else "",
            ),
            ny.focus_area_id if ny else None,
        )
    return result


def _follow_up(
    year: Year, networks: dict[str, tuple[r.Network, int | None]], texts: TextPool
) -> tuple[tuple[r.FollowUpChapter, ...], set[str]]:
    """Focus areas grouped into chapters by their number's first part; the networks placed under them."""
    areas = (
        FocusAreaModel.objects.filter(year=year)
        .select_related("group")
        .prefetch_related(
            "sub_goals",
            "responsible_networks",
            "responsible_bodies",
            Prefetch(
                "activities",
                queryset=ActivityModel.objects.select_related("follow_up").prefetch_related(
                    "networks"
                ),
            ),
        )
        .order_by("order", "id")
    )
    placed: set[str] = set()
    chapters: list[tuple[str, list[r.FocusArea], set[str]]] = []
    for area in areas:
        activities = []
        for activity in area.activities.all():
            follow = getattr(activity, "follow_up", None)
            activities.append(
                r.Activity(
                    title=activity.title,
                    description=activity.description,
                    own_networks=tuple(n.short_name or n.name for n in activity.networks.all()),
                    status=follow.status if follow else "",
                    status_reason=follow.status_reason if follow else "",
                    continues=follow.continues if follow else False,
                    follow_up=follow.text if follow else "",
                    start=activity.start,
                    end=activity.end,
                )
            )
        here = [net for net, area_id in networks.values() if area_id == area.pk]
        placed.update(n.slug for n in here)
        responsible = area.responsible_text or ", ".join(
            [n.name for n in area.responsible_networks.all()]
            + [b.name for b in area.responsible_bodies.all()]
        )
        focus = r.FocusArea(
            slug=area.slug,
            number=area.number,
            title=area.title,
            group=area.group.name,
            main_goal=area.main_goal,
            sub_goals=tuple(g.text for g in area.sub_goals.all()),
            responsible=responsible,
            activities=tuple(activities),
            networks=tuple(here),
            texts=texts.take_matching(area.slug),
            group_slug=area.group.slug,
        )
        prefix = area.number.split(".")[0] if area.number else ""
        if chapters and chapters[-1][0] == prefix:
            chapters[-1][1].append(focus)
            chapters[-1][2].add(area.group.name)
        else:
            chapters.append((prefix, [focus], {area.group.name}))
    result = tuple(
        r.FollowUpChapter(
            group=next(iter(groups)) if len(groups) == 1 and len(chapters) > 1 else "",
            focus_areas=tuple(items),
            group_slug=items[0].group_slug if len(groups) == 1 else "",
        )
        for _, items, groups in chapters
    )
    return result, placed


# --- registers -------------------------------------------------------------------------------


def _consultations(year: Year, texts: TextPool) -> r.Consultations:
    answered: list[r.Consultation] = []
    not_answered: list[r.Consultation] = []
    for c in ConsultationResponse.objects.filter(year=year).order_by("order", "id"):
        item = r.Consultation(
            subject=c.subject,
            authority=c.authority,
            month=c.month,
            received_on=c.received_on,
            sent_on=c.sent_on,
            recipient=c.recipient,
            note=c.note,
        )
        (answered if c.answered else not_answered).append(item)
    return r.Consultations(
        texts=texts.take(*CONSULTATION_KEYS),
        answered=tuple(answered),
        not_answered=tuple(not_answered),
    )


def _projects(
    year: Year,
    figures: YearFigures,
    texts: TextPool,
    findings: tuple[Finding, ...],
    placed: set[int],
) -> tuple[r.Project, ...]:
    """Each project's part in the year, and any project without one that has costs or grant
    income this year. A project over several years also states its period and its costs so far
    (every year up to this one; nothing of a later year, so a decided report stays as decided).
    """
    has_lines = {slug for slug, p in figures.projects.items() if p.has_lines}
    income_grants = {e.grant for e in figures.accounts.entries if e.grant and e.kind == "income"}
    parts = {
        part.project_id: part
        for part in ProjectYearModel.objects.filter(year=year)
        .select_related("focus_area")
        .prefetch_related("financing")
    }
    projects = list(
        ProjectModel.objects.filter(
            Q(pk__in=parts) | Q(cooperation_id=year.cooperation_id, slug__in=has_lines)
        ).select_related("start_year")
    )
    # The year's parts in their order, then projects with lines but no part, as they started.
    projects.sort(
        key=lambda p: (
            (0, parts[p.pk].order, parts[p.pk].pk)
            if p.pk in parts
            else (1, p.start_year.year, p.pk)
        )
    )
    ids = [p.pk for p in projects]
    grants: dict[int, list[GrantModel]] = defaultdict(list)
    for g in GrantModel.objects.filter(project_id__in=ids, year__year__lte=year.year).order_by(
        "year__year", "order", "id"
    ):
        # The grants decided this year, and earlier ones with income booked this year.
        if g.year_id == year.pk or g.slug in income_grants:
            grants[g.project_id].append(g)
    received = {g.pk: g.booked for g in figures.grants}
    result = []
    for p in projects:
        own = []
        for index, f in enumerate(findings):
            if f.key == f"project.{p.slug}.cost" and index not in placed:
                placed.add(index)
                own.append(f)
        part = parts.get(p.pk)
        cost = figures.projects[p.slug].cost
        years, total = figures.projects[p.slug].years_so_far, figures.projects[p.slug].cost_so_far
        several = (
            p.start_year.year < year.year
            or len(years) > 1
            or (p.end_year is not None and p.end_year > p.start_year.year)
        )
        result.append(
            r.Project(
                slug=p.slug,
                name=p.name,
                contractor=p.contractor,
                cost=cost,
                cost_is_booked=p.slug in has_lines,
                start=p.start,
                end=p.end,
                focus_area=part.focus_area.title if part and part.focus_area else "",
                description=part.description if part else "",
                financing=tuple(
                    r.Financing(source=f.source, surplus_year=f.surplus_year, amount=f.amount)
                    for f in (part.financing.all() if part else ())
                ),
                grants=tuple(
                    r.Grant(
                        grantor=g.grantor,
                        rate=g.rate,
                        timing=g.timing,
                        amount=g.amount,
                        expected_payment_year=g.expected_payment_year,
                        received=received.get(g.pk, ZERO),
                    )
                    for g in grants[p.pk]
                ),
                texts=texts.take_matching(p.slug),
                findings=tuple(own),
                first_year=p.start_year.year if several else None,
                end_year=p.end_year if several else None,
                total_so_far=total if several else None,
            )
        )
    return tuple(result)


def _administration(
    year: Year,
    meetings: list[Meeting],
    networks: dict[str, tuple[r.Network, int | None]],
    placed: set[str],
    figures: YearFigures,
    texts: TextPool,
) -> r.Administration:
    intro = texts.take(*MEETING_KEYS)
    chairs: dict[int, list[r.Chair]] = defaultdict(list)
    for chair in Chair.objects.filter(year=year).select_related("member").order_by("order", "id"):
        chairs[chair.body_id].append(
            r.Chair(
                role=chair.role,
                person=chair.person,
                member=chair.member.name if chair.member else "",
            )
        )
    by_body: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        if meeting.body_id is not None:
            by_body[meeting.body_id].append(meeting)
    staff = tuple(
        r.Staff(person=s.person, role=s.role, start=s.start, end=s.end, note=s.note)
        for s in StaffMember.objects.filter(year=year).order_by("order", "id")
    )
    bodies = []
    for body in BodyModel.objects.filter(cooperation_id=year.cooperation_id).order_by(
        "order", "id"
    ):
        body_texts = texts.take_matching(body.kind, body.slug)
        if not (
            body_texts
            or chairs[body.pk]
            or by_body[body.pk]
            or (body.kind == BodyKind.SECRETARIAT and staff)
        ):
            continue
        bodies.append(
            r.Body(
                slug=body.slug,
                kind=body.kind,
                name=body.name,
                chairs=tuple(chairs[body.pk]),
                meetings=_tally(by_body[body.pk]),
                cancelled=tuple(
                    r.CancelledMeeting(
                        date=m.date, month=m.month, reason=m.cancel_reason, note=m.note
                    )
                    for m in by_body[body.pk]
                    if m.cancelled
                ),
                texts=body_texts,
            )
        )
    event_figures = {e.slug: e for e in figures.events}
    events = []
    for event in (
        EventModel.objects.filter(year=year)
        .select_related("fund")
        .prefetch_related("hosts")
        .order_by("order", "id")
    ):
        own = event_figures[event.slug]
        costs = own.costs
        per_participant = own.cost_per_participant if own.held and costs else None
        events.append(
            r.Event(
                slug=event.slug,
                kind=event.kind,
                name=event.name,
                date=event.date,
                status=event.status,
                reason=event.reason,
                hosts=tuple(m.name for m in event.hosts.all()),
                partners=tuple(event.partner_list),
                theme=event.theme,
                participants=event.participants,
                costs=costs,
                cost_per_participant=per_participant,
                cost_cap_per_participant=event.cost_cap_per_participant,
                co_financing=figures.co_financing(event.fund.slug) if event.fund else (),
                texts=texts.take_matching(event.slug, event.kind),
            )
        )
    return r.Administration(
        texts=intro,
        bodies=tuple(bodies),
        staff=staff,
        networks=tuple(net for slug, (net, _) in networks.items() if slug not in placed),
        events=tuple(events),
        closing_texts=texts.take(*ADMINISTRATION_KEYS),
    )


# --- accounts --------------------------------------------------------------------------------


def _line_footnotes(year: Year) -> dict[tuple[str, str, str, str, str], str]:
    """Footnote keys of the year's lines, by (fund, category, kind, text, project)."""
    rows = (
        LedgerLine.objects.filter(year=year)
        .exclude(footnote="")
        .values_list("fund__slug", "category__slug", "kind", "text", "project__slug", "footnote")
    )
    return {(f, c, k, t, p or ""): note for f, c, k, t, p, note in rows}


MAX_TEXT_ROWS = 12


def _detail_rows(
    entries: Iterable[Entry],
    categories: dict[str, str],
    members: dict[str, str],
    fee_category: str | None,
    footnotes: dict[tuple[str, str, str, str, str], str],
    by_category: bool = False,
) -> tuple[r.DetailRow, ...]:
    """Rows of a fund's table: lines summed by kind and label (their own text, else the category).

    `by_category`: every line under its category's name, whatever its own text.
    """
    entries = list(entries)
    sums: dict[tuple[str, str, str], Decimal] = {}
    notes: dict[tuple[str, str, str], str] = {}
    texts: dict[tuple[str, str], set[str]] = {}
    for e in entries:
        texts.setdefault((e.kind, e.category), set()).add(e.text)
    # A printed label per line suits a transcribed table; a category with many
    # differently worded lines (a whole ledger) is shown as one row.
    crowded = {key for key, values in texts.items() if len(values) > MAX_TEXT_ROWS}
    for e in entries:
        text = "" if by_category or (e.kind, e.category) in crowded else e.text
        label = text or categories.get(e.category, e.category)
        member = members.get(e.member, e.member) if e.member else ""
        # A member's own line (co-financing) stays a row of its own, named by the member
        # unless its text already is ("Botkyrka Kommun"); fees are summed in their own table.
        if member and e.category != fee_category and member.casefold() not in label.casefold():
            label = f"{label} – {member}"
        key = (e.kind, label, e.category)
        sums[key] = sums.get(key, ZERO) + e.amount
        note = footnotes.get((e.fund, e.category, e.kind, e.text, e.project))
        if note:
            notes[key] = note
    return tuple(
        r.DetailRow(
            label=label, kind=kind, amount=amount, footnote=notes.get((kind, label, cat), "")
        )
        for (kind, label, cat), amount in sums.items()
    )


def _accounts(
    year: Year,
    figures: YearFigures,
    texts: tuple[r.Text, ...],
    settings: Settings,
    findings: tuple[Finding, ...],
    placed: set[int],
) -> r.Accounts:
    accounts = figures.accounts
    fund_years = {
        fy.fund.slug: fy for fy in FundYear.objects.filter(year=year).select_related("fund")
    }
    categories = dict(figures.category_names)
    members = {m.code: m.name for m in figures.members}
    projects = {slug: p.name for slug, p in figures.projects.items()}
    footnotes = _line_footnotes(year)
    separate = settings.option("transfers") == "separate"
    breakdown = settings.option("project_lines") == "breakdown"

    label = figures.fund_label

    def take(printed_in: str, fund: str | None = None) -> list[Finding]:
        """The findings printed in this table (of the fund `fund`, if given), marked as placed."""
        taken = []
        for index, f in enumerate(findings):
            if index in placed or f.printed_in != printed_in:
                continue
            if fund is not None and parse_key(f.key).kind not in ("fund", "category"):
                continue
            if fund is not None and parse_key(f.key).subject != fund:
                continue
            placed.add(index)
            taken.append(f)
        return taken

    def printed(items: list[Finding], fund: str | None) -> tuple[tuple[str, Decimal], ...]:
        """The row's printed figures (of the fund, or of the total when `fund` is None)."""
        shown: dict[str, Decimal] = {}
        for f in items:
            figure = parse_key(f.key)
            row = figure.kind == "total" if fund is None else figure.kind == "fund"
            if (
                row
                and figure.subject == (fund or "")
                and shows_printed(f)
                and isinstance(f.found, Decimal)
            ):
                shown.setdefault(figure.field, f.found)
        return tuple(shown.items())

    def transfer_sums(slug: str) -> tuple[Decimal, Decimal]:
        income = costs = ZERO
        for e in by_fund.get(slug, ()):
            if e.transfer:
                if e.kind == "income":
                    income += e.amount
                else:
                    costs += e.amount
        return income, costs

    by_fund: dict[str, list[Entry]] = defaultdict(list)
    for e in accounts.entries:
        by_fund[e.fund].append(e)

    summary_findings = take("summary")
    summary = []
    for slug, b in accounts.balances.items():
        t_in, t_out = transfer_sums(slug) if separate else (ZERO, ZERO)
        summary.append(
            r.FundRow(
                slug=slug,
                label=label(slug),
                footnote=fund_years[slug].footnote if slug in fund_years else "",
                opening=b.opening,
                income=b.income - t_in,
                costs=b.costs - t_out,
                transfers=t_in - t_out,
                printed=printed(summary_findings, slug),
            )
        )
    total = accounts.total
    details = []
    for slug in accounts.balances:
        entries = by_fund.get(slug)
        if not entries:
            continue
        moved = [e for e in entries if e.transfer] if separate else []
        kept = [e for e in entries if not (separate and e.transfer)]
        plain = [e for e in kept if not e.project]
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for e in kept:
            if e.project:
                grouped[e.project].append(e)
        lines_of_projects: list[r.DetailRow] = []
        if breakdown and grouped:
            # One row per category in the fund's table, then the lines with their own texts.
            plain = kept
            lines_of_projects = [
                r.DetailRow(
                    label=e.text or projects.get(e.project, e.project),
                    kind=e.kind,
                    amount=e.amount,
                    footnote=footnotes.get((e.fund, e.category, e.kind, e.text, e.project), ""),
                )
                for items in grouped.values()
                for e in items
            ]
            grouped = {}
            rows = _detail_rows(
                plain, categories, members, accounts.fee_category, footnotes, by_category=True
            )
        else:
            rows = _detail_rows(plain, categories, members, accounts.fee_category, footnotes)
        # A fund whose lines all belong to one project needs no heading for it.
        if not plain and len(grouped) == 1:
            (only,) = grouped.values()
            rows = _detail_rows(only, categories, members, accounts.fee_category, footnotes)
            grouped = {}
        b = accounts.balances[slug]
        t_in, t_out = transfer_sums(slug) if separate else (ZERO, ZERO)
        fund_findings = take("detail", slug)
        details.append(
            r.FundDetail(
                slug=slug,
                label=label(slug),
                footnote=fund_years[slug].footnote if slug in fund_years else "",
                rows=rows,
                projects=tuple(
                    r.ProjectLines(
                        name=settings.label(
                            "project_heading", projects.get(p, p), p, name=projects.get(p, p)
                        ),
                        rows=_detail_rows(
                            items, categories, members, accounts.fee_category, footnotes
                        ),
                        footnote=settings.footnote(f"project.{p}"),
                    )
                    for p, items in grouped.items()
                ),
                income=b.income - t_in,
                costs=b.costs - t_out,
                transfers=_detail_rows(moved, categories, members, None, footnotes),
                breakdown=tuple(lines_of_projects),
                printed=printed(fund_findings, slug),
                findings=tuple(fund_findings),
            )
        )
    operating = year.operating_fund.slug if year.operating_fund else ""
    op_costs: dict[str, Decimal] = {}
    for e in by_fund.get(operating, ()):
        if e.kind == "cost":
            name = categories.get(e.category, e.category)
            op_costs[name] = op_costs.get(name, ZERO) + e.amount
    fees = accounts.fees
    t_in_all = sum((row.transfers for row in summary if row.transfers > 0), ZERO)
    t_out_all = -sum((row.transfers for row in summary if row.transfers < 0), ZERO)
    return r.Accounts(
        texts=texts,
        fees=r.Fees(
            rate=fees.rate,
            basis=figures.fee_basis,
            basis_date=fees.basis_date,
            charges=tuple(
                r.FeeCharge(member=c.member_name, population=c.population, amount=c.amount)
                for c in fees.charges
            ),
            total=fees.total,
            population=fees.basis_population,
        ),
        summary=tuple(summary),
        total=r.FundRow(
            slug="",
            label="",
            footnote="",
            opening=total.opening,
            income=total.income - t_in_all,
            costs=total.costs - t_out_all,
            transfers=t_in_all - t_out_all,
            printed=printed(summary_findings, None),
        ),
        details=tuple(details),
        operating_costs=tuple(op_costs.items()),
        operating_label=label(operating) if operating else "",
        receivables=tuple(
            r.Receivable(grantor=g.grantor, project=g.project, amount=g.receivable)
            for g in figures.open_receivables()
        ),
        footnotes=tuple(
            r.Footnote(key=f.key, text=f.text)
            for f in Footnote.objects.filter(year=year).order_by("order", "id")
        ),
        history=_history(figures),
        summary_findings=tuple(summary_findings),
    )


def _history(figures: YearFigures) -> tuple[r.YearBalances, ...]:
    """Closing balance per fund (non-zero) at the end of every year in the system up to this one."""
    return tuple(
        r.YearBalances(
            year=number,
            closing=tuple(
                (figures.fund_label(slug), value)
                for slug, value in closing.items()
                if value != ZERO
            ),
        )
        for number, closing in figures.closings
    )
