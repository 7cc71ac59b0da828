"""The demo data: the two seed provinces, every seed figure backed by individual records.

``load_demo()`` is deterministic and idempotent: each topic draws from its own fixed-seed generator,
rows are matched on natural keys, and a second run writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import connection

from . import background, guizhou_2019, heilongjiang_2020
from .members import load_members
from .records import Batch, store
from .tree import load_tree
from .users import DEMO_PASSWORD, LOGINS, load_users

__all__ = ["DEMO_PASSWORD", "LOGINS", "load_demo", "register_extension", "table_counts"]

# Demo data of other apps (e.g. scoring sheets), loaded after the records; registered from their ready(), so
# that the records app imports nothing of the report side.
EXTENSIONS: list[Callable[[], None]] = []


def register_extension(load: Callable[[], None]) -> None:
    if load not in EXTENSIONS:
        EXTENSIONS.append(load)


def load_demo() -> None:
    tree = load_tree()
    roster = load_members(tree)
    batch = Batch()
    for topic in (heilongjiang_2020, guizhou_2019, background):
        batch.extend(topic.build(tree, roster))
    store(batch)
    load_users(tree)
    for extension in EXTENSIONS:
        extension()
    _analyze()


def _analyze() -> None:
    """Give PostgreSQL's planner statistics for the freshly loaded tables instead of waiting for autovacuum."""
    if connection.vendor == "postgresql":
        tables = [model._meta.db_table for model in apps.get_app_config("committees").get_models()]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def table_counts() -> dict[str, int]:
    """Rows per table of the records app, history tables included."""
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_app_config("committees").get_models()
    }
