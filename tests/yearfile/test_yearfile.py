"""The year file: load, export, round trip, and clear errors on bad input (nothing loaded)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command

from samverkan.audit.models import AuditEntry
from samverkan.demo import demo_files
from samverkan.finance.models import LedgerLine
from samverkan.members.models import Year
from samverkan.plan.models import Activity
from samverkan.yearfile.export import export_cooperation, export_year
from samverkan.yearfile.services import LoadFailed, load_files

STANDING = """\
kind: cooperation
slug: test
name: Testsamverkan
members:
  - code: "0127"
    name: Botkyrka
  - code: "0126"
    name: Huddinge
population:
  - {member: "0127", date: 2019-12-31, population: 100}
  - {member: "0126", date: 2019-12-31, population: 200}
fee_rules:
  - {from_year: 2018, rate: 4, basis: previous_year_end}
networks:
  - {slug: natverk-a, name: Nätverk A}
cost_categories:
  - {slug: avgifter, name: Intäkt kommunerna, kind: income, fee: true}
  - {slug: personal, name: Personalkostnader, kind: cost}
funds:
  - {slug: drift, name: Drift, kind: operations}
"""

YEAR = """\
kind: year
cooperation: test
year: 2020
status: follow_up
operating_fund: drift
area_groups:
  - {slug: regional, name: Regionala frågor, kind: regional}
focus_areas:
  - slug: klimat
    group: regional
    title: Klimat
    responsible_networks: [natverk-a]
    activities:
      - title: Gemensamt utsläppsmål
        follow_up:
          status: ongoing
          text: |
            - en punkt
              - en underpunkt
events:
  - {slug: radslag, kind: radslag, name: Rådslag, participants: 10, status: held}
lines:
  - {fund: drift, category: personal, kind: cost, amount: 1000, date: 2020-06-30}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def small(db: None, tmp_path: Path) -> tuple[Path, Path]:
    standing, year = write(tmp_path, "coop.yaml", STANDING), write(tmp_path, "2020.yaml", YEAR)
    load_files([standing, year])
    return standing, year


def load_error(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(LoadFailed) as caught:
        load_files([path])
    return [str(e) for e in caught.value.errors]


def test_the_demo_round_trips_byte_identical(demo: None, tmp_path: Path) -> None:
    first = {y.year: export_year(y) for y in Year.objects.filter(cooperation__slug="sodertorn")}
    standing = export_cooperation(Year.objects.first().cooperation)  # type: ignore[union-attr]
    paths = [write(tmp_path, "coop.yaml", standing)]
    paths += [write(tmp_path, f"{number}.yaml", text) for number, text in first.items()]
    load_files(paths)
    second = {y.year: export_year(y) for y in Year.objects.filter(cooperation__slug="sodertorn")}
    assert second == first
    assert sorted(first) == [2018, 2019, 2020]


def test_loading_the_same_files_twice_changes_nothing(demo: None) -> None:
    entries, ids = AuditEntry.objects.count(), sorted(Activity.objects.values_list("pk", flat=True))
    result = load_files(demo_files())
    assert [f.changed for f in result.files] == [False, False, False, False]
    assert AuditEntry.objects.count() == entries
    assert sorted(Activity.objects.values_list("pk", flat=True)) == ids


def test_a_load_is_recorded_in_the_audit_trail(small: tuple[Path, Path]) -> None:
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions == {"yearfile.load.cooperation", "yearfile.load.year"}


def test_follow_up_text_keeps_its_nested_points(small: tuple[Path, Path]) -> None:
    activity = Activity.objects.get(title="Gemensamt utsläppsmål")
    assert activity.follow_up.text == "- en punkt\n  - en underpunkt"
    assert [n.slug for n in activity.owners()] == ["natverk-a"]


def test_a_changed_file_replaces_the_year_content(small: tuple[Path, Path], tmp_path: Path) -> None:
    _, year_file = small
    write(tmp_path, "2020.yaml", YEAR.replace("amount: 1000", "amount: 1500"))
    load_files([year_file])
    assert list(LedgerLine.objects.values_list("amount", flat=True)) == [1500]


@pytest.mark.parametrize(
    ("replace", "by", "line", "field", "message"),
    [
        ("amount: 1000", "amount: tusen", 23, "lines[0].amount", "expected an amount"),
        (
            "[natverk-a]",
            "[natverk-x]",
            12,
            "focus_areas[0].responsible_networks",
            "unknown network 'natverk-x'",
        ),
        (
            "    activities:\n",
            "    activities:\n      - title: X\n        networks: [finns-inte]\n",
            15,
            "focus_areas[0].activities[0].networks",
            "unknown network 'finns-inte'",
        ),
        (
            "{fund: drift, category",
            "{fund: okand, category",
            23,
            "lines[0].fund",
            "unknown fund 'okand'",
        ),
        (
            "category: personal",
            "category: resor",
            23,
            "lines[0].category",
            "unknown cost category 'resor'",
        ),
        (
            "participants: 10",
            "participants: -3",
            21,
            "events[0].participants",
            "större än eller lika med 0",
        ),
        ("date: 2020-06-30", "date: 2021-01-05", 23, "lines[0].date", "outside the year 2020"),
        ("status: follow_up", "status: 3", 4, "status", "is not one of"),
        (
            "kind: cost, amount",
            "kind: income, amount",
            23,
            "lines[0].kind",
            "holds cost, not income",
        ),
    ],
)
def test_bad_input_names_file_line_and_field_and_loads_nothing(
    small: tuple[Path, Path],
    tmp_path: Path,
    replace: str,
    by: str,
    line: int,
    field: str,
    message: str,
) -> None:
    before = export_year(Year.objects.get(year=2020))
    assert replace in YEAR
    errors = load_error(tmp_path, YEAR.replace(replace, by))
    assert any(
        e.startswith(f"{tmp_path / 'bad.yaml'}:{line}: {field}: ") and message in e for e in errors
    ), errors
    assert export_year(Year.objects.get(year=2020)) == before


def test_an_unknown_member_code_is_an_error(db: None, tmp_path: Path) -> None:
    errors = load_error(tmp_path, STANDING.replace('{member: "0126"', '{member: "0999"'))
    assert any(":11: population[1].member: unknown member code 0999" in e for e in errors), errors


def test_a_member_code_must_be_a_quoted_four_digit_string(db: None, tmp_path: Path) -> None:
    errors = load_error(tmp_path, STANDING.replace('code: "0127"', "code: 127"))
    assert any("members[0].code" in e and "four-digit" in e for e in errors), errors


def test_all_or_nothing_across_files(small: tuple[Path, Path], tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", STANDING.replace("name: Testsamverkan", "name: Nytt namn"))
    bad = write(tmp_path, "bad2020.yaml", YEAR.replace("amount: 1000", "amount: x"))
    with pytest.raises(LoadFailed):
        load_files([good, bad])
    assert Year.objects.get(year=2020).cooperation.name == "Testsamverkan"


def test_a_yaml_syntax_error_gives_its_line(db: None, tmp_path: Path) -> None:
    errors = load_error(tmp_path, "kind: year\ncooperation: test\n  year: [2020\n")
    assert errors and ":3:" in errors[0] and "YAML syntax" in errors[0]


def test_unknown_fields_are_errors_not_silently_dropped(
    small: tuple[Path, Path], tmp_path: Path
) -> None:
    errors = load_error(
        tmp_path, YEAR.replace("status: follow_up", "status: follow_up\nstatuss: x")
    )
    assert any(":5: statuss: unknown field" in e for e in errors), errors


def test_a_decided_year_is_not_replaced_until_reopened(
    small: tuple[Path, Path], tmp_path: Path
) -> None:
    Year.objects.filter(year=2020).update(status="decided")
    locked = YEAR.replace("status: follow_up", "status: decided")
    write(tmp_path, "same.yaml", locked)
    load_files([tmp_path / "same.yaml"])  # unchanged content is fine
    errors = load_error(tmp_path, locked.replace("amount: 1000", "amount: 2000"))
    assert any("alters 2020, which is decided; reopen 2020" in e for e in errors), errors


def test_the_load_command_reports_errors_and_fails(
    small: tuple[Path, Path], tmp_path: Path
) -> None:
    from django.core.management.base import CommandError

    path = write(tmp_path, "bad.yaml", YEAR.replace("amount: 1000", "amount: x"))
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load", str(path))


def test_an_error_in_one_file_does_not_report_false_errors_in_the_next(
    small: tuple[Path, Path], tmp_path: Path
) -> None:
    _, year_file = small
    Year.objects.filter(year=2020).update(status="decided")
    write(
        tmp_path, "2020.yaml", YEAR.replace("status: follow_up", "status: decided")
    )  # unchanged content
    bad = write(
        tmp_path,
        "2021.yaml",
        YEAR.replace("year: 2020", "year: 2021")
        .replace("2020-06-30", "2021-06-30")
        .replace("amount: 1000", "amount: x"),
    )
    with pytest.raises(LoadFailed) as caught:
        load_files([bad, year_file])
    assert [e.field for e in caught.value.errors] == ["lines[0].amount"]


NORDVIK = Path(__file__).resolve().parents[1] / "data" / "nordvik"


def test_the_second_cooperation_round_trips_byte_identical(db: None, tmp_path: Path) -> None:
    load_files([NORDVIK / "cooperation.yaml", NORDVIK / "2023.yaml"])
    year = Year.objects.get(cooperation__slug="nordvik", year=2023)
    first_year, first_standing = export_year(year), export_cooperation(year.cooperation)
    load_files(
        [write(tmp_path, "coop.yaml", first_standing), write(tmp_path, "y.yaml", first_year)]
    )
    year = Year.objects.get(cooperation__slug="nordvik", year=2023)
    assert export_year(year) == first_year
    assert export_cooperation(year.cooperation) == first_standing


def test_a_new_year_comes_in_with_the_status_its_file_gives(small: tuple[Path, Path]) -> None:
    assert Year.objects.get(year=2020).status == "follow_up"


def test_a_file_does_not_change_the_status_of_a_stored_year(
    small: tuple[Path, Path], tmp_path: Path
) -> None:
    _, year_file = small
    write(tmp_path, "2020.yaml", YEAR.replace("status: follow_up", "status: published"))
    result = load_files([year_file])
    assert [f.changed for f in result.files] == [False]
    assert Year.objects.get(year=2020).status == "follow_up"
    write(
        tmp_path,
        "2020.yaml",
        YEAR.replace("status: follow_up", "status: decided\ndecided_on: 2021-01-14").replace(
            "amount: 1000", "amount: 1200"
        ),
    )
    load_files([year_file])
    year = Year.objects.get(year=2020)
    assert (year.status, year.decided_on) == ("follow_up", None)
    assert list(LedgerLine.objects.values_list("amount", flat=True)) == [1200]


def test_a_decision_date_outside_its_bounds_is_the_models_error_at_its_line(
    db: None, tmp_path: Path
) -> None:
    load_files([write(tmp_path, "coop.yaml", STANDING)])
    errors = load_error(
        tmp_path, YEAR.replace("status: follow_up", "status: decided\ndecided_on: 2019-06-01")
    )
    assert any(":5: decided_on: Beslutsdatumet måste ligga mellan" in e for e in errors), errors


def test_reloading_an_unchanged_file_reads_the_audit_trail_not_the_file(
    small: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from samverkan.yearfile import services

    _, year_file = small

    def no_parsing(text: str) -> None:
        raise AssertionError("the unchanged file was parsed")

    monkeypatch.setattr(services, "parse", no_parsing)
    result = load_files([year_file])
    assert [(f.label, f.changed) for f in result.files] == [("test 2020", False)]


def test_a_change_made_outside_the_file_is_seen_on_the_next_load(
    small: tuple[Path, Path],
) -> None:
    _, year_file = small
    LedgerLine.objects.update(amount=5)  # not through a service: no audit entry
    result = load_files([year_file])
    assert [f.changed for f in result.files] == [True]
    assert list(LedgerLine.objects.values_list("amount", flat=True)) == [1000]


def test_records_the_database_refuses_are_reported_and_not_stored(
    small: tuple[Path, Path],
) -> None:
    from django.db import transaction

    from samverkan.finance.models import Footnote
    from samverkan.yearfile import schema
    from samverkan.yearfile.fields import Errors, Node
    from samverkan.yearfile.store import Pending

    errors = Errors()
    node = Node(
        {"key": "1"}, file="f.yaml", path="footnotes[0]", at=("footnotes", 0), errors=errors
    )
    year = Year.objects.get(year=2020)
    pending = Pending(schema.FOOTNOTE, ids=False)
    pending.add(node, Footnote(year=year, key="1", text="a"))
    pending.add(node, Footnote(year=year, key="1", text="b"))  # the same key twice
    with transaction.atomic():
        assert pending.save() == []
    assert [(e.field, "refused" in e.message) for e in errors.items] == [("footnotes[0]", True)]
    assert not Footnote.objects.filter(year=year).exists()
