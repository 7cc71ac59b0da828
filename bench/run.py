"""``make bench``: the benchmark on PostgreSQL. Prints a table with targets and writes artifacts/bench/latest.json.

Environment:

- ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/reporting_bench``): created if missing,
  migrated, and filled with ``generate_dataset`` when it has no committees yet.
- ``BENCH_SCALE`` (default 1.0): the dataset scale used when generating.
- ``BENCH_RESET=1``: regenerate the dataset even though one is there.
- ``BENCH_YEAR`` (2020), ``BENCH_REPEAT`` (3), ``BENCH_NATION_EXPORT`` (1; 0 skips the 200,000-row member
  export), ``BENCH_EXPORT_TIMEOUT`` (900 s per export process).

Exits 0 whether or not the targets are met: it is a benchmark, not a test.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dashboards import time_dashboards  # noqa: E402
from bench.database import DEFAULT_URL, DatabaseState, ensure_database  # noqa: E402
from bench.django_env import bench_client, configure  # noqa: E402
from bench.exports import ExportSpec, ExportTiming, run_worker, worker_main  # noqa: E402
from bench.imports import time_imports  # noqa: E402
from bench.metrics import time_all  # noqa: E402
from bench.pages import PageTiming, time_page  # noqa: E402
from bench.report import write_json  # noqa: E402
from bench.scoring import ScoringReport, time_scoring  # noqa: E402

JSON_PATH = ROOT / "artifacts" / "bench" / "latest.json"


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    return default if not raw else raw in {"1", "true", "yes", "on"}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pick_scopes(year: int) -> tuple[Any, Any]:
    """The nation (民进中央, 000000) and the province: 230000 if it exists, else the one with most members."""
    from committees.models import Committee, Member

    nation = Committee.objects.filter(code="000000").first() or Committee.get_first_root_node()
    if nation is None:
        raise SystemExit("The bench database has no committees")
    province = Committee.objects.filter(code="230000", depth=nation.depth + 1).first()
    if province is None:
        provinces = list(Committee.objects.filter(depth=nation.depth + 1))
        province = max(provinces, key=lambda c: Member.objects.filter(committee__path__startswith=c.path).count())
    return province, nation


def describe(committee: Any, scope: Any) -> str:
    from reporting.metrics import compute

    members = compute([("members.total", scope)])[("members.total", scope)].get(None, 0)
    return f"{committee.code} {committee.name} ({members:,} members on the roll)"


def dataset_line(state: DatabaseState) -> str:
    counts = ", ".join(f"{value:,} {label}" for label, value in state.counts.items())
    origin = (
        f"generated in this run at scale {state.scale:g} in {state.generation_seconds:.0f} s"
        if state.generated and state.generation_seconds is not None
        else "reused"
    )
    return f"{counts} ({origin})"


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--export-worker":
        configure(os.environ["DATABASE_URL"])
        worker_main(sys.argv[2])
        return

    started = time.perf_counter()
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    scale = env_float("BENCH_SCALE", 1.0)
    year = int(env_float("BENCH_YEAR", 2020))
    repeat = max(1, int(env_float("BENCH_REPEAT", 3)))
    timeout = env_float("BENCH_EXPORT_TIMEOUT", 900)

    state = ensure_database(url, scale, env_flag("BENCH_RESET", False))
    configure(url)

    import django

    from reporting.metrics import Scope

    province, nation = pick_scopes(year)
    province_scope, nation_scope = Scope.year(province, year), Scope.year(nation, year)
    meta: dict[str, Any] = {
        "started": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "server_version": state.server_version,
        "database": state.name,
        "dataset": dataset_line(state),
        "counts": state.counts,
        "generated": state.generated,
        "generation_seconds": state.generation_seconds,
        "year": year,
        "repeat": repeat,
        "province": describe(province, province_scope),
        "nation": describe(nation, nation_scope),
        "django": f"{django.get_version()}, DEBUG off",
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
    }

    say("Timing every Metric of the registry …")
    # Best of at least 7: many metrics run in under a millisecond, where 3 tries mostly measure the machine's noise.
    metrics = time_all([("province", province_scope), ("nation", nation_scope)], max(repeat, 7), say)

    say("Timing the summary page …")
    client = bench_client()
    pages: list[PageTiming] = [
        time_page(client, "summary", label, f"/summary/{c.code}/{year}/", repeat, province, label == "nation")
        for label, c in (("province", province), ("nation", nation))
    ]
    say("Timing the dashboard …")
    pages += time_dashboards(client, province, nation, year, repeat)

    specs = [
        ExportSpec("branches.xlsx", "province", f"/tables/branches/{province.code}/{year}/export.xlsx", repeat),
        ExportSpec("members.xlsx", "province", f"/tables/members/{province.code}/{year}/export.xlsx", repeat),
        ExportSpec("summary.xlsx", "province", f"/summary/{province.code}/{year}/export.xlsx", repeat),
    ]
    if env_flag("BENCH_NATION_EXPORT", True):
        specs.append(ExportSpec("members.xlsx", "nation", f"/tables/members/{nation.code}/{year}/export.xlsx", 1))
    exports: list[ExportTiming] = []
    skipped: dict[str, str] = {}
    for spec in specs:
        say(f"Export {spec.name} ({spec.scope}) in a child process …")
        outcome = run_worker(spec, timeout)
        if isinstance(outcome, str):
            skipped[f"{spec.name} ({spec.scope})"] = outcome
        else:
            exports.append(outcome)

    scoring = time_scoring(province, nation, year, repeat, timeout, exports, skipped, say)
    imports = time_imports(say)  # the member import, 5,000 and 20,000 rows (bench/imports.py)

    elapsed = time.perf_counter() - started
    meta["elapsed"] = f"{elapsed / 60:.1f} min"
    meta["json"] = str(JSON_PATH.relative_to(ROOT))
    report = ScoringReport(meta, metrics, pages, exports, skipped, scoring=scoring)
    text = report.render() + "\n" + imports.render()
    print(text, flush=True)
    write_json(JSON_PATH, {**report.as_json(text), "imports": imports.as_json()})


if __name__ == "__main__":
    main()
