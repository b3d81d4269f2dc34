"""The year-file loader refuses bad members and population figures with the model's own messages."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.test import Client

from samverkan.members.models import FeeRule, Member, PopulationFigure
from samverkan.yearfile.export import export_cooperation
from samverkan.yearfile.services import load_files
from tests.yearfile.test_yearfile import STANDING, load_error, write


def test_two_figures_for_the_same_member_and_date_are_refused_naming_both_values_and_sources(
    db: None, tmp_path: Path
) -> None:
    text = STANDING.replace(
        '  - {member: "0126", date: 2019-12-31, population: 200}\n',
        '  - {member: "0126", date: 2019-12-31, population: 200}\n'
        '  - {member: "0127", date: 2019-12-31, population: 101, source: "SCB TAB638"}\n',
    ).replace("population: 100}", 'population: 100, source: "kommunens webbplats"}')
    errors = [e.removeprefix(f"{tmp_path}/") for e in load_error(tmp_path, text)]
    assert errors == [
        "bad.yaml:12: population[2].date: Medlemmen har redan ett invånarantal för det datumet: 0127 den "
        "2019-12-31 har 100 (källa: kommunens webbplats, rad 10) och 101 (källa: SCB TAB638)."
    ], errors


def test_a_negative_figure_gets_the_same_message_as_in_the_admin_and_the_app(
    db: None, tmp_path: Path
) -> None:
    errors = load_error(tmp_path, STANDING.replace("population: 100}", "population: -3}"))
    assert any(
        e.endswith("population[0].population: Ett invånarantal kan inte vara negativt.")
        for e in errors
    ), errors
    admin_message = "Ett invånarantal kan inte vara negativt."
    assert all(admin_message in e for e in errors if "population[0]" in e)


def test_a_member_leaving_before_joining_gets_the_models_message(db: None, tmp_path: Path) -> None:
    text = STANDING.replace(
        "    name: Botkyrka\n", "    name: Botkyrka\n    joined: 2020\n    left: 2019\n"
    )
    errors = load_error(tmp_path, text)
    assert any(
        "members[0].left: Ett medlemskap kan inte sluta före det år det börjar" in e for e in errors
    ), errors
    assert not Member.objects.exists(), "nothing is loaded"


def test_the_admin_refuses_a_negative_figure_with_the_same_message(
    db: None, tmp_path: Path
) -> None:
    load_files([write(tmp_path, "coop.yaml", STANDING)])
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = Client()
    client.force_login(user)
    figure = PopulationFigure.objects.get(member__code="0127")
    response = client.post(
        f"/admin/members/populationfigure/{figure.pk}/change/",
        {
            "member": figure.member_id,
            "date": "2019-12-31",
            "population": "-3",
            "source": "",
        },
    )
    assert response.status_code == 200
    assert "Ett invånarantal kan inte vara negativt." in response.content.decode()


def test_the_sources_of_imported_figures_survive_the_round_trip(db: None, tmp_path: Path) -> None:
    text = STANDING.replace(
        "population: 100}",
        'population: 100, source_file: folkmangd.csv, source_table: TAB638, imported_at: "2026-12-01T08:00:00+00:00"}',
    )
    load_files([write(tmp_path, "coop.yaml", text)])
    figure = PopulationFigure.objects.get(member__code="0127")
    assert figure.source_label == "SCB, tabell TAB638, fil folkmangd.csv, importerad 2026-12-01"
    exported = export_cooperation(figure.member.cooperation)
    assert "source_file: folkmangd.csv" in exported and "source_table: TAB638" in exported
    load_files([write(tmp_path, "again.yaml", exported)])
    assert PopulationFigure.objects.get(member__code="0127").imported_at == figure.imported_at


def test_a_negative_fee_rate_in_a_year_file_is_refused_at_the_rate_and_nothing_is_loaded(
    db: None, tmp_path: Path
) -> None:
    errors = load_error(
        tmp_path,
        STANDING.replace(
            "{from_year: 2018, rate: 4, basis: previous_year_end}",
            "{from_year: 2018, rate: -4, basis: previous_year_end}",
        ),
    )
    assert any("fee_rules[0].rate:" in e for e in errors), errors
    assert not FeeRule.objects.exists()
