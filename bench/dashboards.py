"""Server time and query count of the leadership dashboard for the province and the nation.

Called from ``bench/run.py``; can also run on its own against an existing dataset::

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/somedb python bench/dashboards.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages import PageTiming, time_page  # noqa: E402

PROVINCE_TARGET_MS = 150.0
NATION_TARGET_MS = 1000.0


def time_dashboards(client: Any, province: Any, nation: Any, year: int, repeat: int) -> list[PageTiming]:
    """GET /dashboard/<code>/<year>/ for the province and the nation, with their targets."""
    timings = []
    for scope, committee, target in (("province", province, PROVINCE_TARGET_MS), ("nation", nation, NATION_TARGET_MS)):
        timing = time_page(
            client, "dashboard", scope, f"/dashboard/{committee.code}/{year}/", repeat, province, scope == "nation"
        )
        timing.target_ms = target
        timings.append(timing)
    return timings


def main() -> None:
    from bench.database import DEFAULT_URL
    from bench.django_env import bench_client, configure

    configure(os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    from bench.run import pick_scopes

    year = int(os.environ.get("BENCH_YEAR", "2020"))
    province, nation = pick_scopes(year)
    for t in time_dashboards(bench_client(), province, nation, year, int(os.environ.get("BENCH_REPEAT", "3"))):
        verdict = "PASS" if t.server_ms <= (t.target_ms or 0) else "FAIL"
        print(
            f"dashboard {t.scope:<8} {t.path:<26} {t.server_ms:8.1f} ms  {t.queries:3d} queries  "
            f"SQL {t.sql_ms:7.1f} ms (slowest {t.slowest_sql_ms:6.1f} ms)  target ≤ {t.target_ms:g} ms  {verdict}"
        )


if __name__ == "__main__":
    main()
