"""The workbook exports, each measured in a fresh child process so its peak RSS is its own.

In the child: one run first (warm-up; its ``ru_maxrss`` growth is the RSS figure, and its workbook is kept),
then the best of ``repeat`` timed runs, then one run under tracemalloc for the Python heap peak. The kept
workbook is read back with openpyxl (outside any timing) and the same cells are written again with bare
xlsxwriter in constant-memory mode: the baseline the export is compared with.

Two baselines: *bare xlsxwriter* alone (the cells written, nothing read), and *raw SQL + bare xlsxwriter*: the
reads one cold request made (captured, then run again through psycopg2 on the same connection, every row
fetched) plus the same bare xlsxwriter time — the least any export of those cells from those records costs. A
workbook of a few hundred rows takes bare xlsxwriter 10–30 ms, less than what reading its figures, the session
and the user costs, so only the second baseline says what the product adds.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from .timing import max_rss_kib, seconds

BLOCK = 4096  # FileResponse's block size: the raw baseline streams its file the same way
SPOOL_BYTES = 4 * 1024 * 1024  # as reporting.excel.response


@dataclass
class ExportSpec:
    name: str
    scope: str
    path: str
    repeat: int


@dataclass
class ExportTiming:
    name: str
    scope: str
    path: str
    seconds: float  # cold: the figure cache emptied before each run
    warm_seconds: float  # figures served from the cache
    bytes: int
    sheets: int
    rows: int  # worksheet rows written, all sheets, layout rows included
    cells: int  # non-empty cells
    tracemalloc_peak_mib: float
    rss_delta_mib: float
    raw_seconds: float
    raw_tracemalloc_peak_mib: float
    sql_seconds: float = 0.0  # the cold request's reads run again as raw SQL (best of the repeats)
    sql_statements: int = 0
    toolkit_seconds: float = 0.0  # inside reporting.excel during a cold run, less the rows' own production

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def ratio(self) -> float:
        return self.seconds / self.raw_seconds if self.raw_seconds else float("inf")

    @property
    def warm_ratio(self) -> float:
        return self.warm_seconds / self.raw_seconds if self.raw_seconds else float("inf")

    @property
    def toolkit_ratio(self) -> float:
        return self.toolkit_seconds / self.raw_seconds if self.raw_seconds else float("inf")

    @property
    def floor_seconds(self) -> float:
        """Raw SQL + bare xlsxwriter: the least the export's reads and writes cost."""
        return self.sql_seconds + self.raw_seconds

    @property
    def floor_ratio(self) -> float:
        return self.seconds / self.floor_seconds if self.floor_seconds else float("inf")

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "rows_per_second": round(self.rows_per_second),
            "ratio": round(self.ratio, 3),
            "warm_ratio": round(self.warm_ratio, 3),
            "floor_seconds": round(self.floor_seconds, 4),
            "floor_ratio": round(self.floor_ratio, 3),
            "toolkit_ratio": round(self.toolkit_ratio, 3),
        }


def fetch(client: Any, path: str, keep: IO[bytes] | None = None) -> int:
    """GET ``path`` and consume the whole streamed body; return its size."""
    response = client.get(path, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    size = 0
    try:
        for chunk in response.streaming_content:
            size += len(chunk)
            if keep is not None:
                keep.write(chunk)
    finally:
        response.close()
    return size


Sheet = tuple[str, list[tuple[Any, ...]]]


class _Blank:
    """A cell with a format and no value (a bordered empty cell of a table, the rest of a merged range): it is in
    the file, so the bare baseline writes it too."""

    def __repr__(self) -> str:
        return "BLANK"


BLANK = _Blank()


def read_back(path: str) -> list[Sheet]:
    """Every sheet's rows of cell values; a formatted cell without a value is :data:`BLANK`, an absent one None."""
    import openpyxl
    from openpyxl.cell.read_only import EmptyCell

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [
            (
                sheet.title,
                [
                    tuple(
                        BLANK if cell.value is None and not isinstance(cell, EmptyCell) else cell.value for cell in row
                    )
                    for row in sheet.iter_rows()
                ],
            )
            for sheet in book.worksheets
        ]
    finally:
        book.close()


def write_raw(sheets: list[Sheet]) -> int:
    """The same cells with bare xlsxwriter (constant memory, typed cells, a bordered format per type; the formatted
    empty cells as bordered blanks), spooled and streamed like the response; returns the size."""
    import xlsxwriter

    from reporting.excel import DATE_FORMAT, FONT

    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as buffer:
        book = xlsxwriter.Workbook(
            buffer,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        base = {"border": 1, "valign": "vcenter", "font_name": FONT, "font_size": 11}
        text = book.add_format({**base, "num_format": "@"})
        integer = book.add_format({**base, "num_format": "0"})
        decimal = book.add_format({**base, "num_format": "#,##0.00"})
        date = book.add_format({**base, "num_format": DATE_FORMAT})
        for title, rows in sheets:
            sheet = book.add_worksheet(title)
            write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    kind = type(value)
                    if value is None:
                        continue
                    if value is BLANK:
                        sheet.write_blank(r, c, None, text)
                        continue
                    if kind is str:
                        write_string(r, c, value, text)
                    elif kind is int:
                        write_number(r, c, value, integer)
                    elif kind is float:
                        write_number(r, c, value, decimal)
                    elif kind is dt.datetime or kind is dt.date:
                        write_datetime(r, c, value, date)
                    else:
                        sheet.write(r, c, value, text)
        book.close()
        buffer.seek(0)
        size = 0
        while block := buffer.read(BLOCK):
            size += len(block)
    return size


def traced_peak_mib(action: Any) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


READS = re.compile(
    r"^\s*(?:DECLARE\s+\S+\s+NO\s+SCROLL\s+CURSOR\s+WITH(?:OUT)?\s+HOLD\s+FOR\s+)?((?:SELECT|WITH)\b.*)$", re.S | re.I
)


def reads(statements: list[str]) -> list[str]:
    """The statements that only read, as plain queries (a server-side cursor's ``DECLARE … FOR`` stripped); writes
    (the export log, recounted cells) are left out, so the baseline is if anything too small."""
    return [found.group(1) for statement in statements if (found := READS.match(statement))]


def raw_sql_seconds(statements: list[str], repeat: int) -> float:
    """Best of ``repeat`` for running ``statements`` through psycopg2 on the application's connection, fetching
    every row."""
    from django.db import connection

    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:

        def run() -> None:
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()

        run()  # warm-up
        return min(seconds(run) for _ in range(repeat))
    finally:
        cursor.close()


class ToolkitClock:
    """Seconds spent inside ``reporting.excel.OfficeWorkbook`` (making it, ``add_table``, ``close``) less the time
    its rows took to come out of the iterators the export passed (the export's own data work: a streaming query,
    building each row): what the toolkit adds to writing the cells. Installed by patching the class."""

    def __init__(self) -> None:
        self.spent = 0.0

    def __enter__(self) -> ToolkitClock:
        from reporting.excel import workbook

        self._class = workbook.OfficeWorkbook
        self._originals = {name: getattr(self._class, name) for name in ("__init__", "add_table", "close")}
        for name, original in self._originals.items():
            setattr(self._class, name, self._timed(original, rows=name == "add_table"))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, original in self._originals.items():
            setattr(self._class, name, original)

    def _timed(self, original: Any, rows: bool) -> Any:
        clock = self

        def timed(book: Any, *args: Any, **kwargs: Any) -> Any:
            if rows:
                kwargs["rows"] = clock._rows(kwargs["rows"])
            start = time.perf_counter()
            try:
                return original(book, *args, **kwargs)
            finally:
                clock.spent += time.perf_counter() - start

        return timed

    def _rows(self, rows: Any) -> Any:
        iterator = iter(rows)
        while True:
            start = time.perf_counter()
            try:
                row = next(iterator)
            except StopIteration:
                self.spent -= time.perf_counter() - start
                return
            self.spent -= time.perf_counter() - start
            yield row


def measure(spec: ExportSpec) -> ExportTiming:
    """Run in the child process, after Django is configured."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .django_env import bench_client

    client = bench_client()

    def cold() -> int:
        cache.clear()
        return fetch(client, spec.path)

    with tempfile.TemporaryDirectory() as folder:
        kept = Path(folder) / "export.xlsx"
        rss_before = max_rss_kib()
        with kept.open("wb") as handle:
            cache.clear()
            size = fetch(client, spec.path, handle)
        rss_delta = max_rss_kib() - rss_before
        best = min(_cold_seconds(cache, client, spec.path) for _ in range(spec.repeat))
        toolkit = []
        for _ in range(spec.repeat):
            with ToolkitClock() as clock:
                cold()
            toolkit.append(clock.spent)
        warm = min(seconds(lambda: fetch(client, spec.path)) for _ in range(spec.repeat))
        peak = traced_peak_mib(cold)
        with CaptureQueriesContext(connection) as captured:
            cold()
        statements = reads([query["sql"] for query in captured.captured_queries])
        sql_best = raw_sql_seconds(statements, spec.repeat)
        sheets = read_back(str(kept))

    write_raw(sheets)  # warm-up
    raw_best = min(seconds(lambda: write_raw(sheets)) for _ in range(spec.repeat))
    raw_peak = traced_peak_mib(lambda: write_raw(sheets))
    return ExportTiming(
        name=spec.name,
        scope=spec.scope,
        path=spec.path,
        seconds=best,
        warm_seconds=warm,
        bytes=size,
        sheets=len(sheets),
        rows=sum(len(rows) for _title, rows in sheets),
        cells=sum(1 for _title, rows in sheets for row in rows for value in row if value not in (None, BLANK)),
        tracemalloc_peak_mib=peak,
        rss_delta_mib=rss_delta / 1024,
        raw_seconds=raw_best,
        raw_tracemalloc_peak_mib=raw_peak,
        sql_seconds=sql_best,
        sql_statements=len(statements),
        toolkit_seconds=min(toolkit),
    )


def _cold_seconds(cache: Any, client: Any, path: str) -> float:
    cache.clear()
    return seconds(lambda: fetch(client, path))


MARKER = "BENCH-EXPORT-RESULT "


def run_worker(spec: ExportSpec, timeout: float) -> ExportTiming | str:
    """Measure ``spec`` in a child process; the timing, or why there is none."""
    command = [sys.executable, str(Path(__file__).with_name("run.py")), "--export-worker", json.dumps(asdict(spec))]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=os.environ.copy())
    except subprocess.TimeoutExpired:
        return f"did not finish within {timeout:.0f} s"
    for line in done.stdout.splitlines():
        if line.startswith(MARKER):
            return ExportTiming(**json.loads(line[len(MARKER) :]))
    tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
    return f"failed (exit {done.returncode}): " + " | ".join(tail)


def worker_main(argument: str) -> None:
    spec = ExportSpec(**json.loads(argument))
    timing = measure(spec)
    print(MARKER + json.dumps(asdict(timing)), flush=True)
