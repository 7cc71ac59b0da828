"""PostgreSQL's recipe for populating a database, applied to the tables being generated.

Foreign keys and secondary indexes are dropped before the load and created again after it, from the
definitions PostgreSQL itself reports (``pg_get_constraintdef`` / ``pg_get_indexdef``), under the same names.
Checking a foreign key row by row costs PostgreSQL tens of µs per row at commit, and so does updating five
or six B-trees per inserted row; one validating join per key and one sorted build per index take seconds.
Primary keys and unique constraints stay in place throughout.

It all happens inside the command's transaction: PostgreSQL's DDL is transactional, so if generation fails
the dropped keys and indexes come back with the rollback. Other sessions that touch these tables wait until
the transaction ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models

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
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    loader.log(f"dropped {len(keys)} foreign keys and {len(indexes)} indexes for the load")
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        loader.log(f"indexes rebuilt: {len(indexes)}")
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        loader.log(f"foreign keys restored and validated: {len(keys)}")
