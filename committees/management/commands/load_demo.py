from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from committees.demo import DEMO_PASSWORD, LOGINS, load_demo, table_counts

SUMMARY = (
    ("committees.Committee", "committees"),
    ("committees.Branch", "branches"),
    ("committees.Member", "members"),
    ("committees.Proposal", "proposals and reports"),
    ("committees.Activity", "activities"),
    ("committees.TrainingEvent", "training events"),
    ("committees.Attendance", "attendances"),
    ("committees.Honor", "honours"),
    ("committees.User", "users"),
)


class Command(BaseCommand):
    help = (
        "Load the demo data of the Heilongjiang 2020 and Guizhou 2019 reports and the demo logins. "
        "Deterministic and idempotent: running it again leaves the database as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            load_demo()
        counts = table_counts()
        figures = ", ".join(f"{counts[label]} {name}" for label, name in SUMMARY)
        self.stdout.write(f"Demo loaded in {time.perf_counter() - started:.1f} s: {figures}.")
        logins = ", ".join(login.username for login in LOGINS)
        self.stdout.write(f"Demo logins: {logins}; password for all: {DEMO_PASSWORD}")
