"""Scoring sheets: every branch's sheet computed for the province and the nation, and the province's scoring
workbook against bare xlsxwriter.

The bench database gets the default 100-point scheme for the root committee and the year (created once, as
``load_demo`` does for the demo). "Computing all sheets" is :func:`reporting.scoring.build.build_ranking`: the
scheme, the branches, one batched compute of every figure the items need, every branch's lines and total, the
stored sheets and their entries (a branch without a stored sheet is scored as an unsaved draft: showing the ranking
writes nothing). The first call is the warm-up; then the sheet tables are analysed (as autovacuum would) and the
timing is the best of ``repeat`` after that. The
workbook is measured in a child process exactly like the other exports (:mod:`bench.exports`).

Run on its own (``python bench/scoring.py``) it measures against ``BENCH_DATABASE_URL`` without the rest.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # pragma: no cover - run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.exports import ExportSpec, ExportTiming, run_worker
from bench.report import Report
from bench.timing import best_of, seconds

TARGET_SECONDS = {"province": 0.5, "nation": 5.0}


@dataclass
class ScoringTiming:
    scope: str
    code: str
    branches: int
    queries: int
    seconds: float  # cold: the figure cache emptied before each call
    first_seconds: float  # the first call (warm-up)
    figures_seconds: float  # of which the batched compute of the figures (cold)
    warm_seconds: float  # the figures from the cache (records unchanged)

    @property
    def target(self) -> float:
        return TARGET_SECONDS[self.scope]

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "target": self.target}


def ensure_scheme(root: Any, year: int) -> Any:
    """The default scheme with every branch's sheet stored, as after each branch's first save (showing the
    ranking writes none), so that the ranking reads the sheets and entries of a year in use."""
    from reporting.scoring.compute import schemes_for, scored_branches
    from reporting.scoring.defaults import default_scheme_create
    from reporting.scoring.services import sheets_ensure

    scheme = default_scheme_create(committee=root, year=year)
    sheets_ensure(scheme, scored_branches(scheme, root, year, schemes_for(root, year)))
    return scheme


def vacuum_sheets() -> None:
    """Statistics for the sheets :func:`ensure_scheme` stored, as autovacuum would give them in its own time (the bench
    database's own tables get the same in :func:`bench.database.vacuum`): without them PostgreSQL takes the
    10,000 new sheets for a handful and plans the sheet and entry reads of a province as scans of the scheme's."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("scoring_sheet", "scoring_entry"):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")


def time_compute(label: str, committee: Any, year: int, repeat: int) -> ScoringTiming:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.scoring.build import build_ranking
    from reporting.scoring.compute import compute_figures, load_scheme, schemes_for

    def cold(action: Callable[[], object]) -> float:
        cache.clear()
        return seconds(action)

    first = cold(lambda: build_ranking(committee, year))
    vacuum_sheets()
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        ranking = build_ranking(committee, year)
    best = min(cold(lambda: build_ranking(committee, year)) for _ in range(repeat))
    warm = best_of(lambda: build_ranking(committee, year), repeat)
    scheme = load_scheme(schemes_for(committee, year)[0])
    figures = min(cold(lambda: compute_figures(scheme, committee, year)) for _ in range(repeat))
    return ScoringTiming(label, committee.code, len(ranking.scored), len(captured), best, first, figures, warm)


def time_scoring(
    province: Any,
    nation: Any,
    year: int,
    repeat: int,
    timeout: float,
    exports: list[ExportTiming],
    skipped: dict[str, str],
    say: Callable[[str], None],
) -> list[ScoringTiming]:
    """Time the sheets of both scopes; measure the province workbook and add it to ``exports`` (or ``skipped``)."""
    say("Scoring sheets: the default scheme, every branch's sheet …")
    ensure_scheme(nation, year)
    timings = [time_compute(label, c, year, repeat) for label, c in (("province", province), ("nation", nation))]
    spec = ExportSpec("scoring.xlsx", "province", f"/scoring/{province.code}/{year}/export.xlsx", repeat)
    say(f"Export {spec.name} ({spec.scope}) in a child process …")
    outcome = run_worker(spec, timeout)
    if isinstance(outcome, str):
        skipped[f"{spec.name} ({spec.scope})"] = outcome
    else:
        exports.append(outcome)
    return timings


@dataclass
class ScoringReport(Report):
    """The benchmark report with a section on the scoring sheets after the exports."""

    scoring: list[ScoringTiming] = field(default_factory=list)

    def _exports(self) -> None:
        super()._exports()
        if not self.scoring:
            return
        self.out()
        self.out(
            "4. SCORING SHEETS: build_ranking(committee, year) with the default 100-point scheme — every branch's "
            "sheet from one batched compute; s = best of repeats after the first call (the warm-up), "
            "cold (figure cache emptied before each call; the target is checked on it); warm = figures from the cache"
        )
        head = (
            f"{'scope':<9} {'code':<7} {'branches':>9} {'queries':>8} {'first s':>8} {'s':>8} "
            f"{'figures s':>10} {'warm s':>8} {'target':>9} | result"
        )
        self.out(head)
        self.out("-" * len(head))
        for t in self.scoring:
            result = self.check(f"scoring sheets ({t.scope})", t.seconds, t.target, " s", t.seconds <= t.target)
            self.out(
                f"{t.scope:<9} {t.code:<7} {t.branches:>9,} {t.queries:>8} {t.first_seconds:>8.3f} {t.seconds:>8.3f} "
                f"{t.figures_seconds:>10.3f} {t.warm_seconds:>8.3f} {'≤ ' + format(t.target, 'g') + ' s':>9} | {result}"
            )

    def as_json(self, text: str) -> dict[str, Any]:
        return {**super().as_json(text), "scoring": [t.as_json() for t in self.scoring]}


def main() -> None:  # pragma: no cover - a manual entry point
    from bench.database import DEFAULT_URL
    from bench.django_env import configure
    from bench.run import pick_scopes

    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    if len(sys.argv) == 3 and sys.argv[1] == "--export-worker":
        from bench.exports import worker_main

        configure(os.environ["DATABASE_URL"])
        worker_main(sys.argv[2])
        return
    configure(url)
    year = int(os.environ.get("BENCH_YEAR", "2020"))
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    province, nation = pick_scopes(year)
    exports: list[ExportTiming] = []
    skipped: dict[str, str] = {}
    timings = time_scoring(province, nation, year, repeat, 900, exports, skipped, print)
    report = ScoringReport({}, [], [], exports, skipped, scoring=timings)
    report.lines, report.failures, report.checks = [], [], []
    report._exports()
    print("\n".join(report.lines))
    print("failures:", report.failures or "none")


if __name__ == "__main__":  # pragma: no cover
    main()
