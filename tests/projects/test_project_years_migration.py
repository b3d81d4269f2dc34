"""Projects described by one year each became projects with a part per year; the migrations
carry every project, its financing and its grants over, and back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

PROJECTS_BEFORE = ("projects", "0003_swedish_labels")
PROJECTS_AFTER = ("projects", "0006_project_years_drop_moved_fields")


def targets(projects: tuple[str, str]) -> list[tuple[str, str]]:
    """Every other app at its latest migration, projects at the one given."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [leaf for leaf in leaves if leaf[0] != "projects"] + [projects]


@pytest.mark.django_db(transaction=True)
def test_each_project_becomes_one_project_with_its_part_in_the_year_that_described_it() -> None:
    before, after = targets(PROJECTS_BEFORE), targets(PROJECTS_AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    coop = old.get_model("members", "Cooperation").objects.create(slug="test", name="Test")
    year_model = old.get_model("members", "Year")
    y2018 = year_model.objects.create(cooperation=coop, year=2018)
    y2020 = year_model.objects.create(cooperation=coop, year=2020)
    project_model = old.get_model("projects", "Project")
    systemanalys = project_model.objects.create(
        cooperation=coop, year=y2018, slug="systemanalys", name="Systemanalys", order=2
    )
    kartor = project_model.objects.create(
        cooperation=coop,
        year=y2020,
        slug="kartor",
        name="Kartor",
        stated_cost=Decimal(22500),
        description="Kartor över infrastrukturen.",
        order=1,
    )
    old.get_model("projects", "ProjectFinancing").objects.create(
        project=kartor, source="operating_budget"
    )
    old.get_model("projects", "Grant").objects.create(
        project=systemanalys, slug="tillvaxtverket", grantor="Tillväxtverket", timing="arrears"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    projects = {
        p.slug: p for p in new.get_model("projects", "Project").objects.select_related("start_year")
    }
    assert {slug: p.start_year.year for slug, p in projects.items()} == {
        "systemanalys": 2018,
        "kartor": 2020,
    }
    parts = new.get_model("projects", "ProjectYear").objects.select_related("project", "year")
    assert sorted((p.project.slug, p.year.year, p.stated_cost, p.order) for p in parts) == [
        ("kartor", 2020, Decimal(22500), 1),
        ("systemanalys", 2018, None, 2),
    ]
    kartor_part = parts.get(project__slug="kartor")
    assert kartor_part.description == "Kartor över infrastrukturen."
    assert [f.source for f in kartor_part.financing.all()] == ["operating_budget"]
    grant = new.get_model("projects", "Grant").objects.select_related("year").get()
    assert grant.year.year == 2018

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    back = executor.loader.project_state(before).apps
    restored = back.get_model("projects", "Project").objects.get(slug="kartor")
    assert (restored.year_id, restored.stated_cost, restored.order) == (
        y2020.pk,
        Decimal(22500),
        1,
    )
    assert back.get_model("projects", "ProjectFinancing").objects.get().project_id == restored.pk
    MigrationExecutor(connection).migrate(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )  # as found
