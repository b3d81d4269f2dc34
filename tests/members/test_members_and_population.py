"""Members and population figures: the one-record rules, the services, the year lock and the SCB import."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from samverkan.audit.models import AuditEntry
from samverkan.lib import scb
from samverkan.members.fees import fee_schedule
from samverkan.members.models import (
    Cooperation,
    FeeRule,
    Member,
    PopulationFigure,
    Year,
    YearStatus,
)
from samverkan.members.population import ImportSource, IncomingFigure, plan_import, problem_message
from samverkan.members.services import (
    ImportChanged,
    YearLocked,
    add_member,
    import_population,
    mark_member_left,
    rename_member,
    save_population_figure,
)

DEC_2023 = dt.date(2023, 12, 31)
DEC_2024 = dt.date(2024, 12, 31)


@dataclass
class Coop:
    coop: Cooperation
    botkyrka: Member
    haninge: Member
    decided: Year  # 2023: it reads the figures at 31 December 2023 (its population) and earlier
    open: Year  # 2025: its fee basis is 31 December 2024


@pytest.fixture
def sodertorn(db: None) -> Coop:
    coop = Cooperation.objects.create(slug="sodertorn", name="Södertörn")
    botkyrka = Member.objects.create(
        cooperation=coop, code="0127", name="Botkyrka", joined=2010, order=1
    )
    haninge = Member.objects.create(
        cooperation=coop, code="0136", name="Haninge", joined=2010, order=2
    )
    FeeRule.objects.create(cooperation=coop, from_year=2024, rate=Decimal("4"))
    PopulationFigure.objects.create(member=botkyrka, date=DEC_2023, population=95592, source="SCB")
    PopulationFigure.objects.create(member=haninge, date=DEC_2023, population=99751, source="SCB")
    decided = Year.objects.create(cooperation=coop, year=2023, status=YearStatus.DECIDED)
    open_year = Year.objects.create(cooperation=coop, year=2025, status=YearStatus.PLANNING)
    return Coop(coop=coop, botkyrka=botkyrka, haninge=haninge, decided=decided, open=open_year)


# -- one-record rules ---------------------------------------------------------------------------------


def test_a_member_code_has_four_digits_in_clean_and_in_the_database(sodertorn: Coop) -> None:
    member = Member(cooperation=sodertorn.coop, code="127", name="Botkyrka")
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert refused.value.message_dict == {"code": ["En kommunkod har fyra siffror."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(cooperation=sodertorn.coop, code="01a7", name="X", joined=2025)


def test_a_member_cannot_leave_before_joining_in_clean_and_in_the_database(sodertorn: Coop) -> None:
    member = Member(cooperation=sodertorn.coop, code="0140", name="Nykvarn", joined=2020, left=2019)
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert refused.value.message_dict == {
        "left": ["Ett medlemskap kan inte sluta före det år det börjar."]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=sodertorn.botkyrka.pk).update(left=2000)


def test_a_population_cannot_be_negative_in_clean_and_in_the_database(sodertorn: Coop) -> None:
    figure = PopulationFigure(member=sodertorn.botkyrka, date=DEC_2024, population=-3)
    with pytest.raises(ValidationError) as refused:
        figure.full_clean()
    assert "Ett invånarantal kan inte vara negativt." in refused.value.message_dict["population"]
    with pytest.raises(IntegrityError), transaction.atomic():
        PopulationFigure.objects.filter(member=sodertorn.botkyrka).update(population=-3)


def test_a_second_figure_for_the_same_member_and_date_is_refused_with_a_message(
    sodertorn: Coop,
) -> None:
    figure = PopulationFigure(member=sodertorn.botkyrka, date=DEC_2023, population=1)
    with pytest.raises(ValidationError) as refused:
        figure.full_clean()
    assert refused.value.messages == ["Medlemmen har redan ett invånarantal för det datumet."]


# -- members ------------------------------------------------------------------------------------------


def test_adding_a_member_from_an_open_year_is_stored_and_audited(sodertorn: Coop) -> None:
    member = add_member(sodertorn.coop, actor="tests", code="0140", name=" Nykvarn ", joined=2025)
    assert (member.code, member.name, member.joined, member.left) == ("0140", "Nykvarn", 2025, None)
    entry = AuditEntry.objects.get(action="members.member.create")
    assert entry.changes["name"] == {"before": None, "after": "Nykvarn"}


def test_adding_a_member_from_a_decided_year_is_refused_naming_the_year(sodertorn: Coop) -> None:
    with pytest.raises(YearLocked, match="Året 2023 är beslutat"):
        add_member(sodertorn.coop, actor="tests", code="0140", name="Nykvarn", joined=2023)
    assert not Member.objects.filter(code="0140").exists()


def test_a_member_with_a_code_already_in_the_cooperation_is_refused(sodertorn: Coop) -> None:
    with pytest.raises(ValidationError, match="redan en medlem med den kommunkoden"):
        add_member(sodertorn.coop, actor="tests", code="0127", name="Botkyrka igen", joined=2025)


def test_marking_a_member_as_having_left_after_the_decided_year_is_stored(sodertorn: Coop) -> None:
    mark_member_left(sodertorn.haninge, actor="tests", left=2024)
    sodertorn.haninge.refresh_from_db()
    assert sodertorn.haninge.left == 2024
    assert [c.member_code for c in fee_schedule(sodertorn.open).charges] == ["0127"]
    entry = AuditEntry.objects.get(action="members.member.left")
    assert entry.changes == {"left": {"before": None, "after": 2024}}


def test_marking_a_member_as_having_left_before_a_decided_year_is_refused_naming_it(
    sodertorn: Coop,
) -> None:
    with pytest.raises(YearLocked, match="Året 2023"):
        mark_member_left(sodertorn.haninge, actor="tests", left=2022)
    sodertorn.haninge.refresh_from_db()
    assert sodertorn.haninge.left is None
    assert not AuditEntry.objects.filter(action="members.member.left").exists()


def test_correcting_the_name_of_a_member_of_open_years_only_is_stored_and_audited(
    sodertorn: Coop,
) -> None:
    nykvarn = add_member(sodertorn.coop, actor="tests", code="0140", name="Nykvarn", joined=2025)
    rename_member(nykvarn, actor="tests", name="Nykvarns kommun")
    assert Member.objects.get(pk=nykvarn.pk).name == "Nykvarns kommun"
    assert AuditEntry.objects.get(action="members.member.rename").changes == {
        "name": {"before": "Nykvarn", "after": "Nykvarns kommun"}
    }


def test_correcting_a_name_that_a_decided_year_shows_is_refused_naming_the_year(
    sodertorn: Coop,
) -> None:
    with pytest.raises(YearLocked, match="Året 2023"):
        rename_member(sodertorn.haninge, actor="tests", name="Haninge kommun")
    assert Member.objects.get(pk=sodertorn.haninge.pk).name == "Haninge"


def test_an_empty_name_is_refused(sodertorn: Coop) -> None:
    nykvarn = add_member(sodertorn.coop, actor="tests", code="0140", name="Nykvarn", joined=2025)
    with pytest.raises(ValidationError):
        rename_member(nykvarn, actor="tests", name="  ")


# -- population figures by hand -------------------------------------------------------------------------


def test_a_figure_entered_by_hand_keeps_its_source_and_feeds_the_open_year(sodertorn: Coop) -> None:
    figure = save_population_figure(
        sodertorn.botkyrka,
        actor="tests",
        date=DEC_2024,
        population=95905,
        source="SCB:s pressmeddelande 2025-02-21",
    )
    assert figure.source_label == "SCB:s pressmeddelande 2025-02-21"
    charge = fee_schedule(sodertorn.open).charges[0]
    assert (charge.population, charge.amount, charge.source) == (
        95905,
        Decimal("383620"),
        "SCB:s pressmeddelande 2025-02-21",
    )


def test_correcting_the_fee_basis_of_a_decided_year_is_refused_naming_the_year(
    sodertorn: Coop,
) -> None:
    with pytest.raises(YearLocked, match="Året 2023"):
        save_population_figure(
            sodertorn.botkyrka, actor="tests", date=DEC_2023, population=1, source="fel"
        )
    assert (
        PopulationFigure.objects.get(member=sodertorn.botkyrka, date=DEC_2023).population == 95592
    )


# -- the SCB import -----------------------------------------------------------------------------------------

CSV = (
    '"Folkmängd efter region och år"\n\n'
    '"region","2023","2024"\n'
    '"0127 Botkyrka",95592,95905\n'
    '"0136 Haninge",99751,100895\n'
    '"0138 Tyresö",50000,50588\n'
)


def incoming(text: str) -> list[IncomingFigure]:
    read = scb.parse_csv_lines(io.StringIO(text))
    assert read.ok, read.problems
    return [IncomingFigure.from_scb(f) for f in read.figures]


SOURCE = ImportSource(file_name="folkmangd.csv")


def test_the_preview_sorts_new_changed_unchanged_and_unknown_codes(sodertorn: Coop) -> None:
    PopulationFigure.objects.create(member=sodertorn.haninge, date=DEC_2024, population=100000)
    plan = plan_import(sodertorn.coop, incoming(CSV), SOURCE)
    assert [(p.member.code, p.incoming.year, p.incoming.population) for p in plan.new] == [
        ("0127", 2024, 95905)
    ]
    assert [
        (p.member.code, p.current.population, p.incoming.population)
        for p in plan.changed
        if p.current
    ] == [("0136", 100000, 100895)]
    assert plan.unchanged == 2
    assert [(u.code, u.region, u.where) for u in plan.unknown] == [("0138", "Tyresö", "rad 6")]
    assert plan.locked_years == ()


def test_figures_of_a_member_that_has_left_are_shown_apart_and_not_imported(
    sodertorn: Coop,
) -> None:
    Member.objects.filter(pk=sodertorn.haninge.pk).update(left=2024)
    plan = import_population(sodertorn.coop, incoming(CSV), actor="tests", source=SOURCE)
    assert [(p.member.code, p.incoming.year) for p in plan.left] == [("0136", 2024)]
    assert not PopulationFigure.objects.filter(member=sodertorn.haninge, date=DEC_2024).exists()


def test_the_import_stores_new_and_changed_figures_with_their_source_and_one_audit_entry(
    sodertorn: Coop,
) -> None:
    PopulationFigure.objects.create(member=sodertorn.haninge, date=DEC_2024, population=100000)
    import_population(sodertorn.coop, incoming(CSV), actor="tests", source=SOURCE)
    stored = PopulationFigure.objects.get(member=sodertorn.haninge, date=DEC_2024)
    assert (stored.population, stored.source_file, stored.source_table) == (
        100895,
        "folkmangd.csv",
        "TAB638",
    )
    assert stored.imported_at is not None
    assert stored.source_label.startswith("SCB, tabell TAB638, fil folkmangd.csv, importerad ")
    entry = AuditEntry.objects.get(action="members.population.import")
    assert entry.changes == {
        "0127 Botkyrka 2024-12-31": {"before": None, "after": 95905},
        "0136 Haninge 2024-12-31": {"before": 100000, "after": 100895},
    }
    assert "1 nya och 1 ändrade" in entry.message


def test_an_import_that_changes_a_decided_years_fee_basis_is_refused_whole(sodertorn: Coop) -> None:
    changed = CSV.replace("95592", "95000")
    plan = plan_import(sodertorn.coop, incoming(changed), SOURCE)
    assert [y.year for y in plan.locked_years] == [2023] and "2023" in plan.locked_message()
    with pytest.raises(YearLocked, match="Året 2023"):
        import_population(sodertorn.coop, incoming(changed), actor="tests", source=SOURCE)
    assert not PopulationFigure.objects.filter(date=DEC_2024).exists(), (
        "nothing of the file is stored"
    )


def test_an_import_whose_data_moved_since_the_preview_is_refused(sodertorn: Coop) -> None:
    figures = incoming(CSV)
    digest = plan_import(sodertorn.coop, figures, SOURCE).digest()
    PopulationFigure.objects.create(member=sodertorn.botkyrka, date=DEC_2024, population=1)
    with pytest.raises(ImportChanged):
        import_population(
            sodertorn.coop, figures, actor="tests", source=SOURCE, expected_digest=digest
        )
    assert PopulationFigure.objects.get(member=sodertorn.botkyrka, date=DEC_2024).population == 1


def test_bad_figures_are_described_in_swedish_with_line_and_column() -> None:
    read = scb.parse_csv_lines(
        io.StringIO('"region","2024"\n"0127 Botkyrka",-3\n"0136 Haninge",12 5OO\n')
    )
    assert [problem_message(p) for p in read.errors] == [
        "Rad 2, kolumn ”2024”: ”-3” är negativt; ett invånarantal kan inte vara negativt.",
        "Rad 3, kolumn ”2024”: ”12 5OO” är inte ett heltal (bara siffror, t.ex. 95905).",
    ]
