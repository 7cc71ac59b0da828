"""The bench database: created if missing, migrated, and filled by ``generate_dataset`` once.

Everything here runs before Django is set up in the benchmark process: the database is reached with plain
psycopg2, and ``manage.py`` runs as a child process with ``DATABASE_URL`` pointing at the bench database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reporting_bench"
COMMITTEE_TABLE = "committees_committee"
COUNTED_TABLES = (
    ("committees", "committees_committee"),
    ("branches", "committees_branch"),
    ("members", "committees_member"),
    ("proposals", "committees_proposal"),
    ("authorships", "committees_authorship"),
    ("outcomes", "committees_outcome"),
    ("activities", "committees_activity"),
    ("training events", "committees_trainingevent"),
    ("attendances", "committees_attendance"),
    ("positions", "committees_position"),
    ("status changes", "committees_memberstatuschange"),
    ("honours", "committees_honor"),
    ("research topics", "committees_researchtopic"),
)


@dataclass
class DatabaseState:
    url: str
    name: str
    server_version: str
    created: bool = False
    generated: bool = False
    generation_seconds: float | None = None
    scale: float | None = None
    counts: dict[str, int] = field(default_factory=dict)


def database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name:
        raise SystemExit(f"BENCH_DATABASE_URL={url!r} names no database")
    return name


def maintenance_url(url: str) -> str:
    """The same server and credentials, on the ``postgres`` maintenance database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def connect(url: str) -> psycopg2.extensions.connection:
    """An autocommit connection (close it with ``contextlib.closing``: since psycopg2 2.9 ``with connection``
    opens a transaction even in autocommit mode, and VACUUM refuses to run inside one)."""
    connection = psycopg2.connect(url)
    connection.autocommit = True
    return connection


def manage(url: str, *arguments: str) -> None:
    """Run ``manage.py`` against the bench database, its output going to ours."""
    environment = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, str(ROOT / "manage.py"), *arguments]
    print(f"$ DATABASE_URL=… {' '.join(command[1:])}", flush=True)
    subprocess.run(command, cwd=ROOT, env=environment, check=True)


def committee_count(url: str) -> int:
    with closing(connect(url)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM " + COMMITTEE_TABLE)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def ensure_database(url: str, scale: float, reset: bool) -> DatabaseState:
    """Create, migrate and fill the bench database as needed; return what it holds."""
    name = database_name(url)
    try:
        admin = connect(maintenance_url(url))
    except psycopg2.OperationalError as exc:
        raise SystemExit(
            f"Cannot reach PostgreSQL for the benchmark ({maintenance_url(url)}): {exc}\n"
            "Start PostgreSQL on 127.0.0.1:5432 or set BENCH_DATABASE_URL=postgres://user@host:port/database."
        ) from exc
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        created = cursor.fetchone() is None
        if created:
            print(f"Creating the database {name}", flush=True)
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        cursor.execute("SHOW server_version")
        version_row = cursor.fetchone()
    admin.close()
    state = DatabaseState(url=url, name=name, server_version=str(version_row[0]) if version_row else "?")
    state.created = created

    manage(url, "migrate", "--noinput", "-v", "0")
    existing = committee_count(url)
    if existing == 0 or reset:
        arguments = ["generate_dataset", "--scale", f"{scale:g}"]
        if existing:
            arguments += ["--reset", "--yes-really"]
        print(f"Generating the dataset at scale {scale:g} (the first run takes a while)", flush=True)
        start = time.perf_counter()
        manage(url, *arguments)
        vacuum(url)
        state.generated = True
        state.generation_seconds = time.perf_counter() - start
        state.scale = scale
    else:
        print(f"Reusing the dataset in {name} ({existing} committees); BENCH_RESET=1 regenerates it", flush=True)
    state.counts = table_counts(url)
    return state


def vacuum(url: str) -> None:
    """Set the visibility map and statistics of the fresh tables, as autovacuum would do in its own time,
    so index-only scans and the plans do not depend on when autovacuum happened to pass."""
    with closing(connect(url)) as connection, connection.cursor() as cursor:
        print("VACUUM (ANALYZE) of the loaded tables", flush=True)
        for _label, table in COUNTED_TABLES:
            cursor.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))


def table_counts(url: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    with closing(connect(url)) as connection, connection.cursor() as cursor:
        for label, table in COUNTED_TABLES:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            row = cursor.fetchone()
            counts[label] = int(row[0]) if row else 0
    return counts
