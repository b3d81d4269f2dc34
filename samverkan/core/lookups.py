"""Database lookups that refuse nothing a form may pass them.

Django (since 5.0) answers `id=<a number too large for the column>` with no
rows instead of an error, but not `id__in=[...]`: SQLite's driver raises
`OverflowError` and PostgreSQL compares out of range. A multiple-choice
field (the owners of an activity, the hosts of an event) sends whatever was
posted through `pk__in`, so a tampered number became a server error instead
of "not a valid choice". `IntegerFieldIn` leaves such numbers out, as the
exact lookup does; an `in` with nothing left matches no row.
"""

from __future__ import annotations

import copy
from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`in` on an integer column, leaving out the numbers the column cannot hold."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if not self.rhs_is_direct_value():
            return super().process_rhs(compiler, connection)
        low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
        within = copy.copy(self)
        within.rhs = [
            value
            for value in self.rhs
            if not isinstance(value, int)
            or ((low is None or value >= low) and (high is None or value <= high))
        ]
        return In.process_rhs(within, compiler, connection)


def register() -> None:
    """Install the lookups (from an app's `ready()`, once)."""
    IntegerField.register_lookup(IntegerFieldIn)
