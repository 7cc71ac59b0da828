"""``manage.py generate_dataset``: the national-scale benchmark dataset (see ``committees.synthetic``)."""

from __future__ import annotations

import os
import re
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, connection, transaction

from committees.models import Committee
from committees.synthetic import Options, analyze, generate, reset_records

RESET_VARIABLE = "ALLOW_DATASET_RESET"
SUMMARY = (
    ("committee", "committees"),
    ("branch", "branches"),
    ("member", "members"),
    ("memberstatuschange", "status changes"),
    ("position", "positions"),
    ("researchtopic", "research topics"),
    ("proposal", "proposals and reports"),
    ("authorship", "authorships"),
    ("outcome", "outcomes"),
    ("trainingevent", "training events"),
    ("attendance", "attendances"),
    ("activity", "activities"),
    ("honor", "honours"),
)


def parse_years(value: str) -> range:
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", value)
    if match is None:
        raise CommandError(f"--years {value!r}: give a year or a range such as 2016-2020")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if not 1990 <= first <= last <= 2100:
        raise CommandError(f"--years {value!r}: the years must run forwards between 1990 and 2100")
    return range(first, last + 1)


class Command(BaseCommand):
    help = (
        "Generate a deterministic national-scale dataset for benchmarks: 民进中央, 31 provincial and ~330 city "
        "committees, 10,000 branches, 200,000 members and five years of records at scale 1.0. Writes with "
        "bulk_create, so no history rows are recorded. Refuses a database that already has committees unless "
        f"--reset is given, and --reset only with {RESET_VARIABLE}=1 or --yes-really."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10,000 branches, 200,000 members.")
        parser.add_argument("--years", default="2016-2020", help="Years of records, e.g. 2016-2020 (default).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator (default 1).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete committees, branches, members, their records and the users bound to them first.",
        )
        parser.add_argument(
            "--yes-really", action="store_true", help=f"Allow --reset without {RESET_VARIABLE}=1 in the environment."
        )
        parser.add_argument("--batch-size", type=int, default=5_000, help="Rows per INSERT or COPY (default 5000).")
        parser.add_argument(
            "--method",
            choices=("auto", "copy", "bulk_create"),
            default="auto",
            help="copy: PostgreSQL COPY, foreign keys and indexes built after the load; bulk_create: plain "
            "multi-row INSERTs with everything in place. auto (default): copy on PostgreSQL, else bulk_create.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        scale: float = options["scale"]
        if not 0 < scale <= 20:
            raise CommandError("--scale must be greater than 0 and at most 20")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be positive")
        method: str = options["method"]
        if method == "copy" and connection.vendor != "postgresql":
            raise CommandError("--method copy needs PostgreSQL")
        settings = Options(
            scale=scale,
            years=parse_years(options["years"]),
            seed=options["seed"],
            batch_size=options["batch_size"],
            use_copy=None if method == "auto" else method == "copy",
        )
        reset: bool = options["reset"]
        if reset and not (options["yes_really"] or os.environ.get(RESET_VARIABLE) == "1"):
            raise CommandError(
                f"--reset deletes every committee, branch, member and record: set {RESET_VARIABLE}=1 or add "
                "--yes-really to confirm. Never point it at a real office's database."
            )
        years = f"{settings.years[0]}–{settings.years[-1]}"
        try:
            with transaction.atomic():
                existing = Committee.objects.count()
                if existing and not reset:
                    raise CommandError(
                        f"The database already has {existing} committees: generate_dataset only fills an empty one. "
                        f"Use --reset (with {RESET_VARIABLE}=1 or --yes-really) to delete them first."
                    )
                self.log(f"Generating the dataset: scale {scale:g}, years {years}, seed {settings.seed}")
                if reset:
                    removed = reset_records()
                    self.log(
                        "Reset: removed {committees} committees, {members} members and their records, "
                        "{users} users bound to them".format(**removed)
                    )
                loader = generate(settings, self.log)
        except IntegrityError as exc:
            raise CommandError(f"The dataset could not be written (nothing was changed): {exc}") from exc
        analyze()
        counts = loader.counts
        figures = ", ".join(f"{counts[key]:,} {label}" for key, label in SUMMARY)
        total = sum(counts.values())
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Dataset generated in {elapsed:.1f} s (scale {scale:g}, {years}, seed {settings.seed}, {loader.method}): "
            f"{total:,} rows: {figures}; no history rows."
        )

    def log(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
