"""A version of the counted records, advanced by database triggers on every write to them.

Figures computed from the records can be cached under the version they were computed at: any insert, update,
delete (or TRUNCATE / COPY on PostgreSQL) of a counted table changes it in the same transaction, whether the
write comes from a form, a bulk import, ``QuerySet.update()`` or raw SQL. The token is random on each change,
so a version seen inside a transaction that is rolled back is never seen again.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

# The tables figures are counted from. A test checks every model of the app is here or explicitly left out.
COUNTED_TABLES = (
    "committees_committee",
    "committees_branch",
    "committees_member",
    "committees_memberstatuschange",
    "committees_position",
    "committees_trainingevent",
    "committees_attendance",
    "committees_activity",
    "committees_honor",
    "committees_researchtopic",
    "committees_proposal",
    "committees_authorship",
    "committees_outcome",
)
VERSION_TABLE = "committees_recordsversion"


class RecordsVersion(models.Model):
    """One row, id 1: written only by the triggers ``install_version_triggers`` creates."""

    version = models.BigIntegerField(_("version"), default=0)
    token = models.CharField(_("token"), max_length=32, default="initial")

    class Meta:
        verbose_name = _("records version")
        verbose_name_plural = _("records versions")

    def __str__(self) -> str:
        return f"{self.version}:{self.token}"


def records_version(using: str = "default") -> str | None:
    """The current version of the counted records, as a cache-key fragment (one query); ``None`` when the row
    is missing (a table flush removed it; the next write re-creates it), meaning: do not cache."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT version, token FROM {VERSION_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return f"{row[0]}:{row[1]}" if row else None


def _postgresql(tables: tuple[str, ...]) -> list[str]:
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION committees_records_changed() RETURNS trigger AS $$
        BEGIN
            INSERT INTO {VERSION_TABLE} (id, version, token)
            VALUES (1, 1, md5(random()::text || clock_timestamp()::text))
            ON CONFLICT (id) DO UPDATE
            SET version = {VERSION_TABLE}.version + 1, token = md5(random()::text || clock_timestamp()::text);
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    ]
    for table in tables:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_version ON {table}",
            f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION committees_records_changed()",
        ]
    return statements


def _sqlite(tables: tuple[str, ...]) -> list[str]:
    statements = []
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"{table}_version_{event.lower()}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN "
                f"INSERT INTO {VERSION_TABLE} (id, version, token) VALUES (1, 1, lower(hex(randomblob(16)))) "
                "ON CONFLICT (id) DO UPDATE SET version = version + 1, token = lower(hex(randomblob(16))); "
                "END",
            ]
    return statements


def install_version_triggers(schema_editor: object, tables: tuple[str, ...] = COUNTED_TABLES) -> None:
    """Create (or re-create) the version row and the triggers on ``tables``; for migrations."""
    connection = schema_editor.connection  # type: ignore[attr-defined]
    if connection.vendor == "postgresql":
        statements = _postgresql(tables)
    elif connection.vendor == "sqlite":
        statements = _sqlite(tables)
    else:
        # The project runs on SQLite and PostgreSQL only (README, "Configuration").
        raise ImproperlyConfigured(
            f"The records version needs SQLite or PostgreSQL; {connection.vendor} has no version triggers here."
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {VERSION_TABLE} (id, version, token) SELECT 1, 0, 'initial' "
            f"WHERE NOT EXISTS (SELECT 1 FROM {VERSION_TABLE} WHERE id = 1)"
        )
        for statement in statements:
            cursor.execute(statement)


def drop_version_triggers(schema_editor: object, tables: tuple[str, ...] = COUNTED_TABLES) -> None:
    connection = schema_editor.connection  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
            else:
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_version_{event}")
