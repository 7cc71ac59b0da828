"""Idempotent writes for the demo: rows are matched on natural keys, created in bulk, updated if changed."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

from django.db import models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from committees import pinyin

M = TypeVar("M", bound=models.Model)

BATCH_SIZE = 500


def rng(topic: str) -> random.Random:
    """A generator with a fixed seed per topic, so that one topic's data never shifts another's."""
    return random.Random(f"committee-reporting-demo/{topic}")


def day(rand: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rand.randint(0, (end - start).days))


def _attnames(model: type[models.Model], names: Iterable[str]) -> list[str]:
    attnames = {f.name: f.attname for f in model._meta.concrete_fields}
    return [attnames[name] for name in names]


def sync(
    model: type[M],
    rows: Sequence[M],
    key: Sequence[str],
    *,
    fields: Sequence[str] | None = None,
    existing: models.QuerySet[M] | None = None,
) -> list[M]:
    """Store ``rows`` (unsaved instances) and return the stored instances in the same order.

    A row whose natural ``key`` is already stored is compared on ``fields`` (all concrete fields by
    default) and updated only when it differs, so a second run writes nothing and adds no history.
    """
    pinyin.fill(model, rows)
    key_attnames = _attnames(model, key)
    compared = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and (fields is None or field.name in fields)
    ]

    def natural_key(obj: M) -> tuple[Hashable, ...]:
        return tuple(getattr(obj, name) for name in key_attnames)

    queryset = existing if existing is not None else model._default_manager.all()
    stored: dict[tuple[Hashable, ...], M] = {}
    for obj in queryset:
        stored.setdefault(natural_key(obj), obj)

    missing: list[M] = []
    changed: list[M] = []
    seen: set[tuple[Hashable, ...]] = set()
    for row in rows:
        row_key = natural_key(row)
        if row_key in seen:
            raise ValueError(f"duplicate natural key for {model.__name__}: {row_key}")
        seen.add(row_key)
        old = stored.get(row_key)
        if old is None:
            missing.append(row)
            continue
        differing = [f for f in compared if getattr(old, f.attname) != getattr(row, f.attname)]
        if differing:
            for f in differing:
                setattr(old, f.attname, getattr(row, f.attname))
            changed.append(old)

    if missing:
        for obj in bulk_create_with_history(missing, model, batch_size=BATCH_SIZE):
            stored[natural_key(obj)] = obj
    if changed:
        bulk_update_with_history(changed, model, [f.name for f in compared], batch_size=BATCH_SIZE)
    return [stored[natural_key(row)] for row in rows]
