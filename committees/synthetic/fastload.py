"""PostgreSQL's recipe for populating a database, applied to the tables being generated.

Foreign keys and secondary indexes are dropped before the load and created again after it, from the
definitions PostgreSQL itself reports (``pg_get_constraintdef`` / ``pg_get_indexdef``), under the same names.
Checking a foreign key row by row costs PostgreSQL tens of µs per row at commit, and so does updating five
or six B-trees per inserted row; one validating join per key and one sorted build per index take seconds.
Primary keys and unique constraints stay in place throughout.

The triggers advancing the committees' generations (``committees.models.generations``) are disabled for the
load too: for every COPY batch they join the written rows to the tables loaded so far, which without their
indexes made each year of records slower to load than the one before (575 s instead of about 130 s for the
national dataset). Every committee's generation of every loaded table is advanced once at the end instead, which
is what the triggers would have come to.

It all happens inside the command's transaction: PostgreSQL's DDL is transactional, so if generation fails
the dropped keys and indexes and the disabled triggers come back with the rollback. Other sessions that touch
these tables wait until the transaction ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models

from committees.models.generations import advance_every_generation, postgresql_load_triggers

from .loader import Loader


@contextmanager
def deferred_keys_and_indexes(models_: list[type[models.Model]], loader: Loader) -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("dropping keys and indexes is only safe inside a transaction that a failure rolls back")
    tables = [m._meta.db_table for m in models_]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Deletes of a reset leave deferred key checks queued; a table with pending checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        keys: list[tuple[str, str, str]] = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [tables],
        )
        indexes: list[tuple[str, str]] = cursor.fetchall()
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        triggers = _existing_triggers(cursor, tables)
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(name)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    loader.log(
        f"dropped {len(keys)} foreign keys and {len(indexes)} indexes, disabled {len(triggers)} generation triggers "
        "for the load"
    )
    yield
    with connection.cursor() as cursor:
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(name)}")
        advance_every_generation(cursor, tables)
        loader.log(f"generation triggers enabled again, every committee's generations advanced: {len(triggers)}")
        for _, definition in indexes:
            cursor.execute(definition)
        loader.log(f"indexes rebuilt: {len(indexes)}")
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        loader.log(f"foreign keys restored and validated: {len(keys)}")


def _existing_triggers(cursor: object, tables: list[str]) -> list[tuple[str, str]]:
    """(table, trigger) of the generation triggers on ``tables`` that exist (a database migrated before they
    were added has none)."""
    wanted = postgresql_load_triggers(tables)
    cursor.execute(  # type: ignore[attr-defined]
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND t.tgname = ANY(%s) ORDER BY 1, 2",
        [wanted],
    )
    return list(cursor.fetchall())  # type: ignore[attr-defined]
