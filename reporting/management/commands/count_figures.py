"""Count the figure cells of whole years ahead of the first request (after a deployment, or a large import)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from reporting.metrics import CELLS, registry
from reporting.metrics.engine import Tree


class Command(BaseCommand):
    help = "Recount the figure cells of every committee whose records changed since they were counted."

    def add_arguments(self, parser: CommandParser) -> None:
        this_year = dt.date.today().year
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help=f"a calendar year (repeatable); default: {this_year - 1} and {this_year}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"] or [dt.date.today().year - 1, dt.date.today().year]
        tree = Tree.load()
        every = set(tree.ids)
        started = time.perf_counter()
        recounted = CELLS.refresh(registry, {year: every for year in years}, tree)
        if connection.vendor == "postgresql" and recounted and not connection.in_atomic_block:
            with connection.cursor() as cursor:  # what autovacuum would do next: the visibility map, statistics
                cursor.execute("VACUUM (ANALYZE) reporting_cell, reporting_cellstate")
        for year in sorted(years):
            self.stdout.write(f"{year}: {len(recounted.get(year, []))} of {len(every)} committees recounted")
        self.stdout.write(f"in {time.perf_counter() - started:.1f} s")
