"""Writing many new records together with their history rows, fast on PostgreSQL.

``create_with_history`` does what django-simple-history's ``bulk_create_with_history`` does — the records
inserted, then one history row each (``+``, the given user, change reason and date) — and writes the same
rows. On PostgreSQL (psycopg2) it reserves the primary keys from the table's sequence in one query and streams the
records and their history rows with ``COPY``: Django's per-value preparation of a multi-row ``INSERT`` was
most of an import's commit. ``COPY`` fires the same statement-level triggers as ``INSERT`` (the records
version advances) and runs inside the caller's transaction, so an error still leaves nothing behind.

Everything else — SQLite, a model whose history has extra columns, a field type the text format below does
not know — goes through ``bulk_create_with_history`` unchanged.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Final

from django.conf import settings
from django.db import connections, models, router
from simple_history.utils import bulk_create_with_history, get_history_model_for_model

BATCH_SIZE: Final = 500
HISTORY_COLUMNS: Final = frozenset(
    {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
)
# Field types whose Python values the COPY text format below writes as PostgreSQL reads them.
COPYABLE_TYPES: Final = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "URLField",
        "DateField",
        "DateTimeField",
        "BooleanField",
        "DecimalField",
        "ForeignKey",
        "OneToOneField",
    }
)
NULL: Final = "\\N"


def create_with_history(model: type[models.Model], objs: Sequence[Any], *, user: Any, reason: str, date: Any) -> None:
    """Insert ``objs`` (new, without primary keys) and a creation history row for each; sets their ``pk``."""
    if not objs:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    user_id = getattr(user, "pk", None)
    if not _psycopg2(connection) or user_id is None or not _copyable(model):
        bulk_create_with_history(
            list(objs),
            model,
            batch_size=BATCH_SIZE,
            default_user=user if user_id is not None else None,
            default_change_reason=reason,
            default_date=date,
        )
        return
    fields = [f for f in model._meta.concrete_fields]
    pk = model._meta.pk
    assert pk is not None
    history = get_history_model_for_model(model)
    tracked = [f.attname for f in history.tracked_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(objs)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        for obj, pk_value in zip(objs, ids, strict=True):
            _fill_foreign_keys(obj, fields)
            setattr(obj, pk.attname, pk_value)
        records = io.StringIO()
        for obj in objs:
            records.write("\t".join([_text(getattr(obj, f.attname)) for f in fields]))
            records.write("\n")
        _copy(cursor, model._meta.db_table, [f.column for f in fields], records)
        del records
        fixed = "\t".join(["\\N" if date is None else _text(date), _text(reason), "+", _text(user_id)])
        by_attname = {f.attname: f for f in history._meta.concrete_fields}
        rows = io.StringIO()
        for obj in objs:
            rows.write("\t".join([_text(getattr(obj, attname)) for attname in tracked]))
            rows.write("\t")
            rows.write(fixed)
            rows.write("\n")
        columns = [by_attname[a].column for a in tracked] + [
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ]
        _copy(cursor, history._meta.db_table, columns, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert plain rows (no history, primary keys left to the database) given as dicts of attribute names
    to values, every dict with the same keys: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    names = list(rows[0])
    fields = [by_attname[name] for name in names]
    if not _psycopg2(connection) or any(f.get_internal_type() not in COPYABLE_TYPES | {"JSONField"} for f in fields):
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)
        return
    # One encoder per JSON column (the field's own, as Django's JSONField uses it); non-ASCII kept as is.
    dumps: list[Callable[[Any], str] | None] = [
        (f.encoder or json.JSONEncoder)(ensure_ascii=False).encode if isinstance(f, models.JSONField) else None
        for f in fields
    ]
    data = io.StringIO()
    for row in rows:
        data.write(
            "\t".join(
                [
                    _text(row[name] if dump is None or row[name] is None else dump(row[name]))
                    for name, dump in zip(names, dumps, strict=True)
                ]
            )
        )
        data.write("\n")
    with connection.cursor() as cursor:
        _copy(cursor, model._meta.db_table, [f.column for f in fields], data)


def _psycopg2(connection: Any) -> bool:
    """PostgreSQL through psycopg2 (the project's driver), whose cursors have ``copy_expert``."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return not is_psycopg3


def _copyable(model: type[models.Model]) -> bool:
    """Whether the model and its history model hold only what the COPY path writes."""
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True) and _copyable_model(model)


@functools.cache
def _copyable_model(model: type[models.Model]) -> bool:
    try:
        history = get_history_model_for_model(model)
    except Exception:
        return False
    if hasattr(history, "history_relation"):
        return False
    pk = model._meta.pk
    if pk is None or pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
        return False
    for f in model._meta.concrete_fields:
        if f.get_internal_type() not in COPYABLE_TYPES or getattr(f, "auto_now", False):
            return False
        if getattr(f, "auto_now_add", False):
            return False
    tracked = {f.attname for f in history.tracked_fields}
    if tracked != {f.attname for f in model._meta.concrete_fields}:
        return False
    return {f.attname for f in history._meta.concrete_fields} == tracked | HISTORY_COLUMNS


def _fill_foreign_keys(obj: models.Model, fields: Sequence[models.Field[Any, Any]]) -> None:
    """A related object assigned before it was saved: its key, as ``bulk_create`` takes it."""
    for f in fields:
        if f.is_relation and getattr(obj, f.attname) is None and f.is_cached(obj):  # type: ignore[attr-defined]
            related = f.get_cached_value(obj)  # type: ignore[attr-defined]
            if related is not None:
                setattr(obj, f.attname, related.pk)


def _escape(text: str) -> str:
    """Text in PostgreSQL's COPY text format: backslash, tab, newline and carriage return escaped. (Four
    ``in`` scans and no copy for the usual text; ``str.translate`` goes character by character.)"""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\t" in text:
        text = text.replace("\t", "\\t")
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if "\r" in text:
        text = text.replace("\r", "\\r")
    return text


def _text(value: object) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return NULL
    kind = type(value)
    if kind is str:
        return _escape(value)  # type: ignore[arg-type]
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is Decimal:
        return str(value)
    if kind is dt.date or kind is dt.datetime:
        return value.isoformat()  # type: ignore[attr-defined]
    return _escape(str(value))


def _copy(cursor: Any, table: str, columns: Sequence[str], data: io.StringIO) -> None:
    quote: Callable[[str], str] = cursor.db.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    data.seek(0)
    with cursor.db.wrap_database_errors:  # psycopg's errors as Django's (IntegrityError …), as ``execute`` raises them
        cursor.cursor.copy_expert(sql, data)
