"""Bulk writes: rows are buffered as plain dicts and stored a batch at a time.

Two ways to store a batch, with the same result:

- ``bulk_create`` (any database; the default except on PostgreSQL): model instances, one multi-row INSERT
  per batch.
- ``COPY … FROM STDIN`` (PostgreSQL): the rows as tab-separated text. At national scale PostgreSQL spends
  about 60 µs parsing each row of a 5,000-row INSERT, and Django as much again preparing it, where COPY
  takes a few µs; this is what brings scale 1.0 within minutes. Primary keys that later rows refer to are
  drawn from the table's own sequence (``nextval``) before the COPY, so the sequences stay right.

Neither calls ``save()`` or sends signals: simple-history writes **no historical rows** for generated data,
and every ``committee_id`` that ``save()`` would fill from a branch or a member is set by the caller.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models, reset_queries

from committees import pinyin

Row = dict[str, Any]
DEFAULT_BATCH_SIZE = 5_000


class Table:
    """What the loader needs to know about one model: its columns in order and their defaults."""

    def __init__(self, model: type[models.Model]) -> None:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.model = model
        self.name = model._meta.db_table
        self.label = model._meta.model_name or model.__name__
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults: Row = {f.attname: f.get_default() for f in fields}
        self.known = frozenset(self.attnames)


def copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    return str(value)  # int, Decimal, date: str() is the ISO form PostgreSQL reads


class Loader:
    """Stores rows in batches, counts them per model and reports progress."""

    def __init__(
        self,
        batch_size: int = DEFAULT_BATCH_SIZE,
        log: Callable[[str], None] | None = None,
        use_copy: bool | None = None,
    ) -> None:
        self.batch_size = batch_size
        self.use_copy = connection.vendor == "postgresql" if use_copy is None else use_copy
        if self.use_copy and connection.vendor != "postgresql":
            raise ValueError("COPY needs PostgreSQL")
        self.counts: Counter[str] = Counter()
        self.started = time.perf_counter()
        self._log = log
        self._tables: dict[type[models.Model], Table] = {}

    @property
    def method(self) -> str:
        return "COPY" if self.use_copy else "bulk_create"

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def log(self, message: str) -> None:
        if self._log is not None:
            self._log(f"[{self.elapsed():6.1f} s] {message}")

    def table(self, model: type[models.Model]) -> Table:
        if model not in self._tables:
            self._tables[model] = Table(model)
        return self._tables[model]

    def store(self, model: type[models.Model], rows: list[Row], ids: bool = False) -> list[int]:
        """Insert ``rows`` (attname → value; missing fields take their defaults).

        With ``ids`` the primary keys of the new rows are returned, in order; otherwise an empty list.
        """
        if not rows:
            return []
        table = self.table(model)
        pinyin.fill_rows(model, rows)  # names repeat: each spelled once (cached)
        for row in rows:
            if not row.keys() <= table.known:
                raise ValueError(f"{table.label}: unknown fields {sorted(row.keys() - table.known)}")
        if self.use_copy:
            pks = self._copy(table, rows, ids)
        else:
            created = model._default_manager.bulk_create(
                [model(**{**table.defaults, **row}) for row in rows], batch_size=self.batch_size
            )
            pks = [obj.pk for obj in created] if ids else []
            # With DEBUG on, Django keeps the SQL of every query: drop it, a batch's SQL is megabytes.
            reset_queries()
        self.counts[table.label] += len(rows)
        return pks

    def _copy(self, table: Table, rows: list[Row], ids: bool) -> list[int]:
        quote = connection.ops.quote_name
        columns = [quote(c) for c in table.columns]
        names, defaults = table.attnames, table.defaults
        with connection.cursor() as cursor:
            pks: list[int] = []
            if ids:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table.name, len(rows)],
                )
                pks = [pk for (pk,) in cursor.fetchall()]
                columns.insert(0, quote("id"))
            text = io.StringIO()
            for index, row in enumerate(rows):
                values: Iterable[Any] = (row[n] if n in row else defaults[n] for n in names)
                line = "\t".join(map(copy_text, values))
                text.write(f"{pks[index]}\t{line}\n" if ids else f"{line}\n")
            text.seek(0)
            cursor.cursor.copy_expert(  # type: ignore[attr-defined]
                f"COPY {quote(table.name)} ({', '.join(columns)}) FROM STDIN", text, size=1 << 20
            )
        return pks

    def buffer(self, model: type[models.Model], children: Callable[[Any, int], None] | None = None) -> Buffer:
        return Buffer(self, model, children)


class Buffer:
    """Collects rows of one model and stores them whenever a batch is full.

    With ``children``, each row is added with an item, and once the batch is stored ``children(item, pk)`` is
    called with the primary key the row received, to write the rows that point at it (a member's positions, a
    proposal's authors).
    """

    def __init__(self, loader: Loader, model: type[models.Model], children: Callable[[Any, int], None] | None) -> None:
        self.loader = loader
        self.model = model
        self.children = children
        self.rows: list[Row] = []
        self.items: list[Any] = []

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, row: Row, item: Any = None) -> None:
        self.rows.append(row)
        if self.children is not None:
            self.items.append(item)
        if len(self.rows) >= self.loader.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        items, self.items = self.items, []
        pks = self.loader.store(self.model, rows, ids=self.children is not None)
        if self.children is not None:
            for item, pk in zip(items, pks, strict=True):
                self.children(item, pk)
