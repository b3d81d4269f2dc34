"""Event partners moved from a JSON list to one partner per line; the migration carries the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

GOVERNANCE_BEFORE = ("governance", "0004_network_meetings_text_staff_internal_note")
GOVERNANCE_AFTER = ("governance", "0005_event_partners_as_lines")


def targets(governance: tuple[str, str]) -> list[tuple[str, str]]:
    """Every other app at its latest migration, governance at the one given."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [leaf for leaf in leaves if leaf[0] != "governance"] + [governance]


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_a_partner_list_into_lines_and_back() -> None:
    before, after = targets(GOVERNANCE_BEFORE), targets(GOVERNANCE_AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    coop = old.get_model("members", "Cooperation").objects.create(slug="test", name="Test")
    year = old.get_model("members", "Year").objects.create(cooperation=coop, year=2020)
    old.get_model("governance", "Event").objects.create(
        year=year, slug="radslag", kind="radslag", name="Rådslag", partners=["KTH", " Företagarna "]
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    assert (
        new.get_model("governance", "Event").objects.get(slug="radslag").partners
        == "KTH\nFöretagarna"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    back = executor.loader.project_state(before).apps
    assert back.get_model("governance", "Event").objects.get(slug="radslag").partners == [
        "KTH",
        "Företagarna",
    ]
    MigrationExecutor(connection).migrate(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )  # as found
