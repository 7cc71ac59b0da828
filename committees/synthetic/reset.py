"""Emptying the records before a new dataset is generated.

Removed: committees, branches, members and every record hanging off them (positions, status changes,
research topics, proposals with authorships and outcomes, training events with attendances, activities,
honours), with the history rows of all of these. Users bound to a committee or a branch are deleted too
(their scope would point at nothing); other users, such as a superuser, are kept, and so is the export log,
whose entries lose their committee (as its ``SET_NULL`` key says).

On PostgreSQL the large tables are emptied with ``TRUNCATE … RESTART IDENTITY CASCADE``; members, branches
and committees, which users and the export log refer to, are deleted (a TRUNCATE would cascade into those
tables). On SQLite everything is a plain DELETE. Primary-key sequences restart at 1 on both, so a run after
``--reset`` gives every row the same id as the first run did.
"""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Q
from simple_history.utils import get_history_model_for_model

from committees.models import (
    Activity,
    Attendance,
    Authorship,
    Branch,
    Committee,
    ExportLog,
    Honor,
    Member,
    MemberStatusChange,
    Outcome,
    Position,
    Proposal,
    ResearchTopic,
    TrainingEvent,
    User,
)

# Tables that nothing outside this list refers to with a database constraint: safe to TRUNCATE together.
LEAVES: tuple[type[models.Model], ...] = (
    Authorship,
    Outcome,
    Attendance,
    MemberStatusChange,
    Position,
    Honor,
    Activity,
    Proposal,
    ResearchTopic,
    TrainingEvent,
)
# Deleted after the leaves, in this order.
TRUNK: tuple[type[models.Model], ...] = (Member, Branch, Committee)


def _history_tables() -> list[str]:
    return [get_history_model_for_model(model)._meta.db_table for model in (*LEAVES, *TRUNK)]


def reset_records() -> dict[str, int]:
    """Empty the records; returns how many committees, members and bound users were removed."""
    removed = {
        "committees": Committee.objects.count(),
        "members": Member.objects.count(),
        "users": User.objects.filter(Q(committee__isnull=False) | Q(branch__isnull=False)).count(),
    }
    User.objects.filter(Q(committee__isnull=False) | Q(branch__isnull=False)).delete()
    ExportLog.objects.filter(committee__isnull=False).update(committee=None)
    quote = connection.ops.quote_name
    leaves = [model._meta.db_table for model in LEAVES] + _history_tables()
    trunk = [model._meta.db_table for model in TRUNK]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Run the key checks still queued in this transaction: a table with pending ones cannot be truncated.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in leaves)} RESTART IDENTITY CASCADE")
        else:
            for table in leaves:
                cursor.execute(f"DELETE FROM {quote(table)}")
        cursor.execute(f"UPDATE {quote(Branch._meta.db_table)} SET {quote('leader_id')} = NULL")
        for table in trunk:
            cursor.execute(f"DELETE FROM {quote(table)}")
        restart = trunk if connection.vendor == "postgresql" else leaves + trunk
        for sql in connection.ops.sequence_reset_by_name_sql(
            no_style(), [{"table": table, "column": "id"} for table in restart]
        ):
            cursor.execute(sql)
    return removed
