"""Which year a committee's reports are about when nobody has said: the latest year with work on record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from committees.models import Activity, Committee, Proposal, TrainingEvent

# The dated work of a committee: (table, date column). Members, positions and honours say nothing of the year.
DATED = ((Proposal, "submitted_on"), (Activity, "held_on"), (TrainingEvent, "started_on"))


def latest_year(committee: Committee, today: dt.date) -> int | None:
    """The latest calendar year, up to ``today``'s, in which ``committee``'s subtree has proposals, activities or
    training events on record; None when it has none. One query: each table's latest date in the subtree, which
    PostgreSQL finds by reading its date index from the end."""
    tree = connection.ops.quote_name(Committee._meta.db_table)
    parts, params = [], []
    for model, column in DATED:
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(
            f"SELECT MAX({column}) AS d FROM {table} WHERE {column} <= %s "
            f"AND committee_id IN (SELECT id FROM {tree} WHERE path LIKE %s)"
        )
        params += [today, committee.path + "%"]  # paths are letters and digits: no LIKE wildcard in them
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(d) FROM ({' UNION ALL '.join(parts)}) AS latest", params)
        row = cursor.fetchone()
    found: Any = row[0] if row else None
    if found is None:
        return None
    return found.year if isinstance(found, dt.date) else int(str(found)[:4])  # SQLite hands dates over as text
