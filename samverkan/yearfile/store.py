"""Storing a file's records in bulk, inside the loader's transaction.

`Pending` keeps the records of one kind that passed their model's checks and stores
them in batches; the database's constraints back those checks, and a batch the
database refuses is checked again, record by record, to say which and why.
`fast_delete` removes a year's records the way Django's collector would, in a few
statements instead of one per row.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.db.models import CASCADE, DO_NOTHING, SET_NULL, Model, QuerySet
from django.db.models.deletion import get_candidate_relations_to_delete

from samverkan.yearfile import records as r
from samverkan.yearfile.fields import Node

# Rows per INSERT batch: large enough to be fast, small enough to keep memory flat.
BATCH = 2000


class Pending:
    """Checked records of one kind waiting to be stored, with their many-to-many links.

    `ids=False` for records that nothing else in the file refers to: they are inserted
    without reading their new ids back, which is several times faster.
    """

    def __init__(self, record: r.Record, *, ids: bool = True) -> None:
        self.record = record
        self.ids = ids
        self.items: list[tuple[Node, Any, dict[str, list[Any]]]] = []

    def add(self, node: Node, instance: Model, links: dict[str, list[Any]] | None = None) -> None:
        self.items.append((node, instance, links or {}))

    def check_and_add(
        self,
        node: Node,
        instance: Model,
        links: dict[str, list[Any]] | None = None,
        extra: dict[str, str] | None = None,
    ) -> bool:
        """Ask the model's rules (not its constraints: the database holds them) and keep it if it passes."""
        if not node.check(instance, extra=extra, exclude=self.record.exclude(), constraints=False):
            return False
        self.add(node, instance, links)
        return True

    def save(self) -> list[tuple[Node, Any, dict[str, list[Any]]]]:
        """Store the records and their links in batches; [] (and errors) if the database refuses."""
        items, self.items = self.items, []
        if not items:
            return []
        model = self.record.model
        savepoint = transaction.savepoint()
        try:
            if self.ids or any(links for _, _, links in items):
                model._default_manager.bulk_create([i for _, i, _ in items], batch_size=BATCH)
                _link(model, items)
            else:
                insert_rows(model, [i for _, i, _ in items])
        except IntegrityError as exc:
            transaction.savepoint_rollback(savepoint)
            # A rule the checks above left to the database: ask each record again, with the
            # constraints, to say which one and why.
            reported = False
            for node, instance, _links in items:
                instance.pk = None
                instance._state.adding = True
                reported |= not node.check(instance, exclude=self.record.exclude())
            if not reported:
                items[0][0].error("", f"the database refused the records: {exc}")
            return []
        transaction.savepoint_commit(savepoint)
        return items


_AS_IS = {
    "CharField",
    "TextField",
    "SlugField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "ForeignKey",
    "OneToOneField",
}


def insert_rows(model: type[Model], instances: list[Any]) -> None:
    """INSERT the rows in one prepared statement (`executemany`), as `bulk_create` would
    store them (the fields' own conversions, `auto_now`), but without returning their ids."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    # A text, a whole number or an id goes to the database as it is; other values (dates,
    # amounts, ...) through their field's conversion for this database.
    prepare = [
        (f.attname, None if f.get_internal_type() in _AS_IS else f.pre_save, f.get_db_prep_save)
        for f in fields
    ]
    rows = [
        [
            getattr(instance, attname)
            if pre_save is None
            else to_db(pre_save(instance, True), connection)
            for attname, pre_save, to_db in prepare
        ]
        for instance in instances
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _link(model: type[Model], items: list[tuple[Node, Any, dict[str, list[Any]]]]) -> None:
    """The many-to-many links of stored records, as rows of their link tables."""
    attrs = {attr for _, _, links in items for attr in links}
    for attr in attrs:
        relation = getattr(model, attr)
        through = relation.through
        source = relation.field.m2m_field_name() + "_id"
        target = relation.field.m2m_reverse_field_name() + "_id"
        rows = [
            through(**{source: instance.pk, target: obj.pk})
            for _, instance, links in items
            for obj in links.get(attr, ())
        ]
        insert_rows(through, rows)


def fast_delete(queryset: QuerySet[Any]) -> None:
    """Delete the rows and what cascades from them, as Django's collector would, in a few
    statements instead of one per row.

    The year lock's receivers make Django delete row by row (every row goes through the
    gate); the loader holds the year rows itself (`services._hold_years_from`), so the
    rows can go in bulk. A relation that protects its rows hands the deletion back to
    Django, which says so as it always has.
    """
    relation: Any
    for relation in get_candidate_relations_to_delete(queryset.model._meta):
        field = relation.field
        children = relation.related_model._base_manager.filter(**{f"{field.name}__in": queryset})
        on_delete = field.remote_field.on_delete
        if on_delete is CASCADE:
            fast_delete(children)
        elif on_delete is SET_NULL:
            children.update(**{field.name: None})
        elif on_delete is not DO_NOTHING and children.exists():
            queryset.delete()
            return
    queryset._raw_delete(queryset.db)
