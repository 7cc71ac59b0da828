"""Per-committee generations of the counted records, advanced by database triggers.

Where the records version (``versioning``) says *that* something changed, a committee's generations say
*whose* figures it may have changed, and through which table: every write to a counted table advances, in the
writing transaction, the generation of (committee, table) for each committee whose figures the written rows can
enter — the row's own committee and, through the links the metrics follow, the committees of its members,
branches, proposals, events, co-authors and led branches. Figures kept per committee
(``reporting.metrics.cells``) are recounted for exactly the committees, and the sources reading the tables,
whose generations moved since they were counted.

The links are listed per table in ``AFFECTED``: SQL selecting committee ids from ``{r}``, the written rows
(on PostgreSQL the statement's transition tables, on SQLite the row's NEW / OLD values). A change to the
committee table itself, or a TRUNCATE, advances every committee.
"""

from __future__ import annotations

import re

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

GENERATION_TABLE = "committees_committeegeneration"
P = "committees_"

# For each counted table: its columns the links need, and the SELECTs of the committee ids it touches.
AFFECTED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    P + "branch": (
        ("id", "committee_id", "leader_id"),
        (
            "SELECT r.committee_id FROM {r} r",
            f"SELECT x.committee_id FROM {P}member x JOIN {{r}} r ON x.branch_id = r.id",
            f"SELECT x.committee_id FROM {P}proposal x JOIN {{r}} r ON x.branch_id = r.id",
            f"SELECT x.committee_id FROM {P}activity x JOIN {{r}} r ON x.branch_id = r.id",
            f"SELECT x.committee_id FROM {P}honor x JOIN {{r}} r ON x.branch_id = r.id",
            f"SELECT m.committee_id FROM {P}member m JOIN {{r}} r ON m.id = r.leader_id",
        ),
    ),
    P + "member": (
        ("id", "committee_id", "branch_id"),
        (
            "SELECT r.committee_id FROM {r} r",
            f"SELECT b.committee_id FROM {P}branch b JOIN {{r}} r ON b.id = r.branch_id",
            f"SELECT b.committee_id FROM {P}branch b JOIN {{r}} r ON b.leader_id = r.id",
            f"SELECT e.committee_id FROM {P}attendance a JOIN {{r}} r ON a.member_id = r.id "
            f"JOIN {P}trainingevent e ON e.id = a.event_id",
            f"SELECT h.committee_id FROM {P}honor h JOIN {{r}} r ON h.member_id = r.id",
            f"SELECT p.committee_id FROM {P}authorship a JOIN {{r}} r ON a.member_id = r.id "
            f"JOIN {P}proposal p ON p.id = a.proposal_id",
        ),
    ),
    P + "memberstatuschange": (
        ("member_id",),
        (f"SELECT m.committee_id FROM {P}member m JOIN {{r}} r ON m.id = r.member_id",),
    ),
    P + "position": (
        ("member_id",),
        (f"SELECT m.committee_id FROM {P}member m JOIN {{r}} r ON m.id = r.member_id",),
    ),
    P + "trainingevent": (
        ("id", "committee_id"),
        (
            "SELECT r.committee_id FROM {r} r",
            f"SELECT m.committee_id FROM {P}attendance a JOIN {{r}} r ON a.event_id = r.id "
            f"JOIN {P}member m ON m.id = a.member_id",
            f"SELECT b.committee_id FROM {P}attendance a JOIN {{r}} r ON a.event_id = r.id "
            f"JOIN {P}branch b ON b.leader_id = a.member_id",
        ),
    ),
    P + "attendance": (
        ("event_id", "member_id"),
        (
            f"SELECT e.committee_id FROM {P}trainingevent e JOIN {{r}} r ON e.id = r.event_id",
            f"SELECT m.committee_id FROM {P}member m JOIN {{r}} r ON m.id = r.member_id",
            f"SELECT b.committee_id FROM {P}branch b JOIN {{r}} r ON b.leader_id = r.member_id",
        ),
    ),
    P + "activity": (
        ("committee_id", "branch_id"),
        (
            "SELECT r.committee_id FROM {r} r",
            f"SELECT b.committee_id FROM {P}branch b JOIN {{r}} r ON b.id = r.branch_id",
        ),
    ),
    P + "honor": (
        ("committee_id", "branch_id", "member_id"),
        (
            "SELECT r.committee_id FROM {r} r",
            f"SELECT b.committee_id FROM {P}branch b JOIN {{r}} r ON b.id = r.branch_id",
            f"SELECT m.committee_id FROM {P}member m JOIN {{r}} r ON m.id = r.member_id",
        ),
    ),
    P + "researchtopic": (("committee_id",), ("SELECT r.committee_id FROM {r} r",)),
    P + "proposal": (
        ("id", "committee_id", "branch_id", "research_topic_id"),
        (
            "SELECT r.committee_id FROM {r} r",
            f"SELECT b.committee_id FROM {P}branch b JOIN {{r}} r ON b.id = r.branch_id",
            f"SELECT t.committee_id FROM {P}researchtopic t JOIN {{r}} r ON t.id = r.research_topic_id",
            f"SELECT m.committee_id FROM {P}authorship a JOIN {{r}} r ON a.proposal_id = r.id "
            f"JOIN {P}member m ON m.id = a.member_id",
        ),
    ),
    P + "authorship": (
        ("proposal_id", "member_id"),
        (
            f"SELECT p.committee_id FROM {P}proposal p JOIN {{r}} r ON p.id = r.proposal_id",
            f"SELECT m.committee_id FROM {P}member m JOIN {{r}} r ON m.id = r.member_id",
            # co-authors: a co-author's share of a joint piece of work depends on how many there are
            f"SELECT m.committee_id FROM {P}authorship a JOIN {{r}} r ON a.proposal_id = r.proposal_id "
            f"JOIN {P}member m ON m.id = a.member_id",
        ),
    ),
    P + "outcome": (
        ("proposal_id",),
        (
            f"SELECT p.committee_id FROM {P}proposal p JOIN {{r}} r ON p.id = r.proposal_id",
            f"SELECT m.committee_id FROM {P}authorship a JOIN {{r}} r ON a.proposal_id = r.proposal_id "
            f"JOIN {P}member m ON m.id = a.member_id",
        ),
    ),
}
EVERY_COMMITTEE = f"SELECT id FROM {P}committee"
TREE_TABLE = P + "committee"


class CommitteeGeneration(models.Model):
    """How many writes to a table may have changed a committee's figures; written only by the triggers."""

    pk = models.CompositePrimaryKey("committee_id", "table")
    committee_id = models.IntegerField(_("committee"))
    table = models.CharField(_("table"), max_length=63)
    generation = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("committee generation")
        verbose_name_plural = _("committee generations")

    def __str__(self) -> str:
        return f"{self.committee_id} {self.table}:{self.generation}"


def _upsert(table: str, selects: tuple[str, ...] | list[str], r: str = "", *, qualified: bool = True) -> str:
    """One statement advancing the generation of ``table`` (an SQL expression) for every committee id the
    ``selects`` return (``{r}`` in them replaced by ``r``)."""
    union = " UNION ALL ".join(re.sub(r"^SELECT (\S+) FROM", r"SELECT \1 AS c FROM", s).format(r=r) for s in selects)
    current = f"{GENERATION_TABLE}.generation" if qualified else "generation"
    return (
        f'INSERT INTO {GENERATION_TABLE} (committee_id, "table", generation) '
        f"SELECT DISTINCT c, {table}, 1 FROM ({union}) AS touched WHERE c IS NOT NULL "
        f'ON CONFLICT (committee_id, "table") DO UPDATE SET generation = {current} + 1'
    )


def _literal(table: str) -> str:
    return f"'{table}'"


def _postgresql() -> list[str]:
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION committees_every_generation() RETURNS trigger AS $$
        BEGIN
            {_upsert("TG_TABLE_NAME", [EVERY_COMMITTEE])};
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """,
        f"DROP TRIGGER IF EXISTS {TREE_TABLE}_generation ON {TREE_TABLE}",
        f"CREATE TRIGGER {TREE_TABLE}_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TREE_TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION committees_every_generation()",
    ]
    for table, (columns, selects) in AFFECTED.items():
        listed = ", ".join(columns)
        sources = {
            "insert": ("REFERENCING NEW TABLE AS new_rows", f"SELECT {listed} FROM new_rows"),
            "delete": ("REFERENCING OLD TABLE AS old_rows", f"SELECT {listed} FROM old_rows"),
            "update": (
                "REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows",
                f"SELECT {listed} FROM new_rows UNION ALL SELECT {listed} FROM old_rows",
            ),
        }
        for event, (referencing, rows) in sources.items():
            function = f"{table}_generation_{event}"
            statements += [
                f"""
                CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
                BEGIN
                    WITH written AS ({rows}) {_upsert(_literal(table), selects, "written")};
                    RETURN NULL;
                END
                $$ LANGUAGE plpgsql
                """,
                f"DROP TRIGGER IF EXISTS {function} ON {table}",
                f"CREATE TRIGGER {function} AFTER {event.upper()} ON {table} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            ]
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_generation_truncate ON {table}",
            f"CREATE TRIGGER {table}_generation_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION committees_every_generation()",
        ]
    return statements


def _sqlite() -> list[str]:
    statements = []
    for event in ("INSERT", "UPDATE", "DELETE"):
        name = f"{TREE_TABLE}_generation_{event.lower()}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} ON {TREE_TABLE} "
            f"BEGIN {_upsert(_literal(TREE_TABLE), [EVERY_COMMITTEE], qualified=False)}; END",
        ]
    for table, (columns, selects) in AFFECTED.items():
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("NEW", "OLD")), ("DELETE", ("OLD",))):
            # SQLite has no WITH inside a trigger: the row is a one-row subquery of NEW's (and OLD's) values.
            written = " UNION ALL ".join(
                "SELECT " + ", ".join(f"{row}.{column} AS {column}" for column in columns) for row in rows
            )
            name = f"{table}_generation_{event.lower()}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"BEGIN {_upsert(_literal(table), selects, f'({written})', qualified=False)}; END",
            ]
    return statements


def postgresql_load_triggers(tables: list[str]) -> list[str]:
    """The names of the PostgreSQL triggers advancing generations on inserts into ``tables`` (the committee tree's
    covers every event), for a bulk load to disable while it writes (see :func:`advance_every_generation`)."""
    names = []
    for table in tables:
        if table == TREE_TABLE:
            names.append(f"{TREE_TABLE}_generation")
        elif table in AFFECTED:
            names.append(f"{table}_generation_insert")
    return names


def advance_every_generation(cursor: object, tables: list[str]) -> None:
    """Advance every committee's generation of each of ``tables`` once: what the triggers would have done for a
    bulk load that wrote all of them, in one statement per table instead of a join per written batch."""
    for table in tables:
        if table == TREE_TABLE or table in AFFECTED:
            cursor.execute(_upsert(_literal(table), [EVERY_COMMITTEE]))  # type: ignore[attr-defined]


def install_generation_triggers(schema_editor: object) -> None:
    """Create (or re-create) the triggers advancing the committees' generations; for migrations."""
    connection = schema_editor.connection  # type: ignore[attr-defined]
    if connection.vendor == "postgresql":
        statements = _postgresql()
    elif connection.vendor == "sqlite":
        statements = _sqlite()
    else:
        raise ImproperlyConfigured(
            f"The committee generations need SQLite or PostgreSQL; {connection.vendor} has no triggers here."
        )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_generation_triggers(schema_editor: object) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        for table in (TREE_TABLE, *AFFECTED):
            if connection.vendor == "postgresql":
                for suffix in ("", "_insert", "_update", "_delete", "_truncate"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_generation{suffix} ON {table}")
            else:
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_generation_{event}")
