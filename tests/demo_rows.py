"""The demo loaded once per test process, its rows kept, and put back into each test that asks for it.

Loading the demo through the year-file loader validates every record and takes
seconds; a test run asks for it hundreds of times. So the first test that needs it
loads it inside a transaction that is rolled back, keeps every row it wrote, and
each test then inserts those rows again inside its own transaction (which
pytest-django rolls back at the end of the test). The rows keep their ids, so a
test sees exactly the database the loader would have left.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

# Tables that migrate fills and the demo does not touch.
_UNTOUCHED = {"contenttypes", "auth.permission", "sessions", "migrations"}


@dataclass(frozen=True)
class Rows:
    """Every row of the tables the demo wrote, per model, in an order that satisfies foreign keys."""

    tables: tuple[tuple[type[models.Model], tuple[models.Model, ...]], ...]

    def insert(self) -> None:
        """Write the rows in one transaction (a savepoint inside a test's) and move the id sequences past them."""
        with transaction.atomic():
            for model, instances in self.tables:
                # Fresh copies: bulk_create marks instances as saved, and a test may change one it got.
                model._base_manager.bulk_create(
                    [_copy(instance) for instance in instances], batch_size=500
                )
            _reset_sequences([model for model, _ in self.tables])


def capture(load: Callable[[], None]) -> Rows:
    """Run `load` on the empty test database in a transaction, read back every row, and roll it back.

    Afterwards the id sequences stand past the demo's ids, so that a row a test creates
    before it asks for the demo never takes an id the demo's rows need.
    """
    with transaction.atomic():
        load()
        tables = tuple(
            (model, rows)
            for model in _models()
            if (rows := tuple(model._base_manager.order_by("pk")))
        )
        transaction.set_rollback(True)
    _keep_sequences_past(tables)
    return Rows(tables=tables)


def _keep_sequences_past(
    tables: tuple[tuple[type[models.Model], tuple[models.Model, ...]], ...],
) -> None:
    # PostgreSQL's sequences ignore the rollback: they already stand past the demo's ids.
    # SQLite keeps AUTOINCREMENT counters in sqlite_sequence, which the rollback undid.
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model, rows in tables:
            if not isinstance(model._meta.pk, models.AutoField):
                continue
            table, largest = model._meta.db_table, max(row.pk for row in rows)
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [largest, table]
            )
            if not cursor.rowcount:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, largest]
                )


def _reset_sequences(written: list[type[models.Model]]) -> None:
    # Rows inserted with their ids leave PostgreSQL's sequences behind them (SQLite moves its own).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), written):
            cursor.execute(sql)


def _models() -> list[type[models.Model]]:
    # Concrete models and the auto-created many-to-many tables, parents before children as
    # far as Django's own dependency order knows; the foreign keys are checked at commit
    # on both SQLite and PostgreSQL (deferred), so the order is a courtesy, not a need.
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.app_label not in _UNTOUCHED
        and model._meta.label_lower not in _UNTOUCHED
    ]


def _copy(instance: models.Model) -> models.Model:
    model = type(instance)
    # Deep copies, so that a test changing a JSON value in place cannot change the next test's demo.
    fields = {
        f.attname: copy.deepcopy(getattr(instance, f.attname)) for f in model._meta.concrete_fields
    }
    return model(**fields)
