"""The member import at scale: a roster of 5,000 and of 20,000 rows, checked (dry run) and committed.

Runs in its own committee (code 990000, created under the root and removed afterwards together with
everything the import wrote), so the benchmark dataset is left as it was. For each size, in a fresh child
process: check + commit timed, then undone (timed, for information), then check + commit again under
tracemalloc for the Python heap peak. Targets: ≥ 2,000 rows/s for check + commit together, and flat memory
(the peak at 20,000 rows ≤ 1.5× the peak at 5,000).

Standalone: ``BENCH_DATABASE_URL=postgres://…/somedb python bench/imports.py`` (the database must exist and be
migrated).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tracemalloc
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.timing import max_rss_kib, seconds  # noqa: E402

SIZES = (5_000, 20_000)
RATE_TARGET = 2_000.0  # rows per second, check + commit
MEMORY_TARGET = 1.5  # heap peak at 20,000 rows / at 5,000 rows
CODE = "990000"
BRANCHES = 40
MARKER = "BENCH-IMPORT-RESULT "
HEADERS = ["姓名", "性别", "出生日期", "身份证号", "手机号码", "所属支部", "入会时间", "学历", "学位", "职称", "界别",
           "工作单位", "政协委员"]  # fmt: skip


@dataclass
class ImportTiming:
    rows: int
    file_mib: float
    check_seconds: float
    commit_seconds: float
    undo_seconds: float
    heap_peak_mib: float
    rss_delta_mib: float
    strings_mib: float = 0.0  # the heap the opened workbook holds: its shared-string table, O(file size)

    @property
    def own_peak_mib(self) -> float:
        return self.heap_peak_mib - self.strings_mib

    @property
    def rows_per_second(self) -> float:
        total = self.check_seconds + self.commit_seconds
        return self.rows / total if total else 0.0


@dataclass
class ImportSection:
    timings: list[ImportTiming] = field(default_factory=list)
    skipped: str = ""
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def render(self) -> str:
        self.lines, self.failures = [], []
        out = self.lines.append
        out("")
        out(
            "4. IMPORTS: member roster (花名册) of N rows in a fresh process: check (dry run) + commit, rows/s "
            f"end to end (target ≥ {RATE_TARGET:,.0f}); undo for information; heap peak of check + commit under "
            f"tracemalloc (flat: the import's own heap at the largest ≤ {MEMORY_TARGET:g}× at the smallest)"
        )
        head = (
            f"{'rows':>8} {'file MiB':>9} {'check s':>8} {'commit s':>9} {'rows/s':>8} {'undo s':>7} "
            f"{'heap peak MiB':>14} {'RSS Δ MiB':>10} | result"
        )
        out(head)
        out("-" * len(head))
        for t in self.timings:
            ok = t.rows_per_second >= RATE_TARGET
            if not ok:
                self.failures.append(
                    f"import {t.rows:,} rows: {t.rows_per_second:,.0f} rows/s (target ≥ {RATE_TARGET:,.0f})"
                )
            out(
                f"{t.rows:>8,} {t.file_mib:>9.2f} {t.check_seconds:>8.2f} {t.commit_seconds:>9.2f} "
                f"{t.rows_per_second:>8,.0f} {t.undo_seconds:>7.2f} {t.heap_peak_mib:>14.1f} {t.rss_delta_mib:>10.1f}"
                f" | {'PASS' if ok else 'FAIL'}"
            )
        if len(self.timings) >= 2 and self.timings[0].own_peak_mib > 0:
            small, large = self.timings[0], self.timings[-1]
            total = large.heap_peak_mib / small.heap_peak_mib
            growth = large.own_peak_mib / small.own_peak_mib
            ok = growth <= MEMORY_TARGET
            if not ok:
                self.failures.append(f"import memory {growth:.2f}× (target ≤ {MEMORY_TARGET:g}×)")
            out(
                f"memory: heap peak {large.heap_peak_mib:.1f} MiB at {large.rows:,} rows / {small.heap_peak_mib:.1f} "
                f"MiB at {small.rows:,} rows = {total:.2f}× for {large.rows / small.rows:.0f}× the rows; of which the "
                f"workbook's shared strings (held by any .xlsx reader, capped by the upload limit) "
                f"{large.strings_mib:.1f} / {small.strings_mib:.1f} MiB; the import's own heap "
                f"{large.own_peak_mib:.1f} / {small.own_peak_mib:.1f} MiB = {growth:.2f}× | {'PASS' if ok else 'FAIL'}"
            )
        if self.skipped:
            out(f"not measured: {self.skipped}")
            self.failures.append(f"imports: {self.skipped}")
        for failure in self.failures:
            out(f"  FAIL  {failure}")
        return "\n".join(self.lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "targets": {"rows_per_second": RATE_TARGET, "memory_flat": MEMORY_TARGET},
            "timings": [{**asdict(t), "rows_per_second": round(t.rows_per_second)} for t in self.timings],
            "skipped": self.skipped,
            "failures": self.failures,
        }


def roster_file(rows: int) -> bytes:
    """A filled-in roster as Excel saves it, text in the shared-strings table (bare xlsxwriter; building it
    is not timed)."""
    import xlsxwriter

    from committees.imports.parsers import id_check_digit

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("花名册")
    sheet.write_row(0, 0, ["会员花名册"])
    sheet.write_row(1, 0, HEADERS)
    educations, titles, sectors = (
        ("本科", "硕士研究生", "博士", "大专"),
        ("副高", "中级", "正高级", "初级"),
        ("教育", "医卫"),
    )
    start = dt.date(1950, 1, 1)
    for i in range(rows):
        birth = start + dt.timedelta(days=(i * 7) % 18000)
        first = f"99{i % 10000:04d}{birth:%Y%m%d}{i // 10000:03d}"
        sheet.write_row(
            i + 2,
            0,
            [
                f"会员{i:05d}",
                "男" if i % 2 else "女",
                birth.strftime("%Y.%m.%d") if i % 3 else birth.strftime("%Y%m%d"),
                first + id_check_digit(first),
                f"138{i:08d}",
                f"基准支部{i % BRANCHES:02d}",
                f"{2000 + i % 20}年{1 + i % 12}月",
                educations[i % 4],
                "学士" if i % 4 == 0 else "",
                titles[i % 4],
                sectors[i % 2],
                f"某某大学{i % 97}",
                "市级" if i % 50 == 0 else "",
            ],
        )
    book.close()
    return buffer.getvalue()


def _setup() -> tuple[Any, Any]:
    from committees.models import Branch, Committee, User

    root = Committee.get_first_root_node()
    if root is None:
        root = Committee.add_root(name="民进中央", code="000000", kind=Committee.Kind.CENTRAL)
    committee = Committee.objects.filter(code=CODE).first()
    if committee is None:
        root.refresh_from_db()
        committee = root.add_child(name="导入基准测试委员会", code=CODE, kind=Committee.Kind.PROVINCIAL)
    Branch.objects.bulk_create(
        [Branch(committee=committee, name=f"基准支部{i:02d}") for i in range(BRANCHES)], ignore_conflicts=True
    )
    user, _created = User.objects.get_or_create(
        username="bench-import", defaults={"role": User.Role.STAFF, "committee": committee}
    )
    return committee, user


def _cleanup(committee: Any) -> None:
    """Remove the benchmark's committee and every trace the import left, history included."""
    from django.db import connection

    from committees.imports.models import ImportBatch
    from committees.models import Branch, Member, Position, User

    members = Member.history.filter(committee_id=committee.pk).values("id")
    Position.history.filter(member_id__in=members)._raw_delete(connection.alias)
    Position.objects.filter(member__committee=committee)._raw_delete(connection.alias)
    Member.history.filter(committee_id=committee.pk)._raw_delete(connection.alias)
    Member.objects.filter(committee=committee)._raw_delete(connection.alias)
    ImportBatch.objects.filter(committee=committee).delete()
    User.objects.filter(username="bench-import").delete()
    Branch.objects.filter(committee=committee).delete()
    committee.delete()


def measure(rows: int) -> ImportTiming:
    """In the child process, after Django is configured."""
    from committees.imports import services

    committee, user = _setup()
    data = roster_file(rows)

    def check() -> Any:
        return services.import_check(
            user=user, kind="members", stream=io.BytesIO(data), file_name="bench.xlsx", size=len(data)
        )

    try:
        rss_before = max_rss_kib()
        batch: dict[str, Any] = {}
        check_s = seconds(lambda: batch.update(b=check()))
        if batch["b"].rows_new != rows:
            raise RuntimeError(f"expected {rows} new rows, got {batch['b'].rows_new} ({batch['b'].rows_error} errors)")
        commit_s = seconds(lambda: batch.update(b=services.import_commit(user=user, batch=batch["b"])))
        rss_delta = (max_rss_kib() - rss_before) / 1024
        undo_s = seconds(lambda: services.import_undo(user=user, batch=batch["b"]))

        tracemalloc.start()
        try:
            from committees.imports.reader import open_workbook

            book = open_workbook(io.BytesIO(data), size=len(data), max_bytes=services.max_bytes())
            strings = tracemalloc.get_traced_memory()[0] / 2**20
            book.close()
            del book
        finally:
            tracemalloc.stop()
        tracemalloc.start()
        try:
            services.import_commit(user=user, batch=check())
            peak = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
    finally:
        _cleanup(committee)
    return ImportTiming(
        rows=rows,
        file_mib=len(data) / 2**20,
        check_seconds=check_s,
        commit_seconds=commit_s,
        undo_seconds=undo_s,
        heap_peak_mib=peak,
        rss_delta_mib=rss_delta,
        strings_mib=strings,
    )


def time_imports(say: Any, timeout: float = 1800) -> ImportSection:
    """Each size in a child process (``python bench/imports.py --worker N``), as ``make bench`` calls it."""
    section = ImportSection()
    for rows in SIZES:
        say(f"Import of {rows:,} member rows in a child process …")
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(rows)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=os.environ.copy())
        except subprocess.TimeoutExpired:
            section.skipped = f"{rows:,} rows did not finish within {timeout:.0f} s"
            break
        result = next((line for line in done.stdout.splitlines() if line.startswith(MARKER)), None)
        if result is None:
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            section.skipped = f"{rows:,} rows failed (exit {done.returncode}): " + " | ".join(tail)
            break
        section.timings.append(ImportTiming(**json.loads(result[len(MARKER) :])))
    return section


def main() -> None:
    from bench.database import DEFAULT_URL
    from bench.django_env import configure

    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        configure(url)
        print(MARKER + json.dumps(asdict(measure(int(sys.argv[2])))), flush=True)
        return
    os.environ["BENCH_DATABASE_URL"] = url
    section = time_imports(lambda message: print(message, file=sys.stderr, flush=True))
    print(section.render())


if __name__ == "__main__":
    main()
