"""The printed table and ``artifacts/bench/latest.json``."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .exports import ExportTiming
from .metrics import MetricTiming
from .pages import PageTiming
from .timing import median

METRIC_RATIO_TARGET = 1.5
NATIONAL_SUMMARY_TARGET_MS = 1000.0
EXPORT_RATIO_TARGET = 1.3
MEMORY_FLAT_TARGET = 2.0  # nation / province tracemalloc peak of the member export
SIZABLE_MS = 10.0  # below this a query's ratio mostly measures the engine's fixed cost per call


@dataclass
class Report:
    meta: dict[str, Any]
    metrics: list[MetricTiming]
    pages: list[PageTiming]
    exports: list[ExportTiming]
    skipped_exports: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)

    def check(self, name: str, value: float, target: float, unit: str, passed: bool) -> str:
        self.checks.append({"name": name, "value": round(value, 3), "target": target, "unit": unit, "pass": passed})
        if not passed:
            self.failures.append(f"{name}: {value:,.2f}{unit} (target ≤ {target:g}{unit})")
        return "PASS" if passed else "FAIL"

    # ---- text ------------------------------------------------------------------------------------------------
    def render(self) -> str:
        self.lines, self.failures, self.checks = [], [], []
        self._header()
        self._metrics()
        self._pages()
        self._exports()
        self._footer()
        return "\n".join(self.lines)

    def out(self, line: str = "") -> None:
        self.lines.append(line.rstrip())

    def _header(self) -> None:
        m = self.meta
        self.out("=" * 118)
        self.out(f"committee-reporting benchmark · {m['started']} · PostgreSQL {m['server_version']} · {m['database']}")
        self.out(f"Dataset: {m['dataset']}")
        self.out(f"Scopes, year {m['year']}: province {m['province']} · nation {m['nation']}")
        self.out(
            f"Targets: each metric ≤ {METRIC_RATIO_TARGET}× its raw SQL · national summary page ≤ "
            f"{NATIONAL_SUMMARY_TARGET_MS / 1000:g} s · each export ≤ {EXPORT_RATIO_TARGET}× bare xlsxwriter · "
            f"member export memory flat (nation ≤ {MEMORY_FLAT_TARGET:g}× province peak)"
        )
        self.out(f"Django: {m['django']}; Python {m['python']}; {m['machine']}")
        self.out("=" * 118)

    def _metrics(self) -> None:
        rows: dict[str, dict[str, MetricTiming]] = {}
        sources: dict[str, str] = {}
        for timing in self.metrics:
            rows.setdefault(timing.code, {})[timing.scope] = timing
            sources[timing.code] = timing.source
        scopes = [s for s in ("province", "nation") if any(s in r for r in rows.values())]
        repeat = max(self.meta["repeat"], 7)  # as bench/run.py times them
        self.out()
        self.out(
            f"1. METRICS: compute([(code, Scope.year(c, {self.meta['year']}))]) vs the SQL it executed, run through "
            f"psycopg2; ms per call, timed in blocks of calls (~10 ms each), best of {repeat} blocks after a warm-up"
        )
        width = max([len(code) for code in rows] + [6])
        source_width = max([len(s) for s in sources.values()] + [6])
        head = f"{'metric':<{width}}  {'source':<{source_width}}"
        for scope in scopes:
            head += f" | {scope + ' engine':>16} {'raw':>8} {'ratio':>6}"
        self.out(head + " | result")
        self.out("-" * len(head + " | result"))
        for code, by_scope in rows.items():
            line = f"{code:<{width}}  {sources[code]:<{source_width}}"
            passed = True
            for scope in scopes:
                t = by_scope.get(scope)
                if t is None:
                    line += f" | {'':>16} {'':>8} {'':>6}"
                    continue
                line += f" | {t.engine_ms:>16.2f} {t.raw_ms:>8.2f} {t.ratio:>5.2f}×"
                ok = t.ratio <= METRIC_RATIO_TARGET
                self.check(f"metric {code} ({scope})", t.ratio, METRIC_RATIO_TARGET, "×", ok)
                passed &= ok
            self.out(f"{line} | {'PASS' if passed else 'FAIL'}")
        self.out("-" * len(head + " | result"))
        for scope in scopes:
            ratios = [t for t in self.metrics if t.scope == scope]
            if not ratios:
                continue
            worst = max(ratios, key=lambda t: t.ratio)
            over = sum(1 for t in ratios if t.ratio > METRIC_RATIO_TARGET)
            engine_total = sum(t.engine_ms for t in ratios)
            raw_total = sum(t.raw_ms for t in ratios)
            middle = median([t.ratio for t in ratios])
            sizable = [t for t in ratios if t.raw_ms >= SIZABLE_MS]
            sizable_over = sum(1 for t in sizable if t.ratio > METRIC_RATIO_TARGET)
            small = [t.engine_ms - t.raw_ms for t in ratios if t.raw_ms < SIZABLE_MS]
            self.out(
                f"{scope:<8}: worst {worst.ratio:.2f}× ({worst.code}, {worst.engine_ms:.2f} vs {worst.raw_ms:.2f} ms)"
                f" · median {middle:.2f}× · over {METRIC_RATIO_TARGET}×: {over} of {len(ratios)}"
                f" · sum engine {engine_total:,.0f} ms vs raw {raw_total:,.0f} ms"
            )
            self.out(
                f"{'':<8}  over {METRIC_RATIO_TARGET}× among queries ≥ {SIZABLE_MS:g} ms raw: {sizable_over} of "
                f"{len(sizable)} · engine − raw among queries < {SIZABLE_MS:g} ms raw: median "
                f"{median(small):.2f} ms over {len(small)} queries"
            )
        all_ratios = [t.ratio for t in self.metrics]
        if all_ratios:
            worst = max(self.metrics, key=lambda t: t.ratio)
            slowest = max(self.metrics, key=lambda t: t.raw_ms)
            self.out(
                f"all     : worst {worst.ratio:.2f}× ({worst.code}, {worst.scope})"
                f" · median {median(all_ratios):.2f}× · "
                f"slowest raw SQL {slowest.raw_ms:,.1f} ms ({slowest.code}, {slowest.scope})"
            )

    def _pages(self) -> None:
        self.out()
        self.out(
            f"2. PAGES: GET /summary/ and /dashboard/<code>/{self.meta['year']}/ as a superuser, test client; "
            f"server time best of {self.meta['repeat']} after a warm-up, cold (figure cache emptied before each "
            "request; figure cells current), after an edit (one member of a city committee of the province edited "
            "before each request: that committee's cells recounted), warm (figures from the cache, records "
            "unchanged); recount: every committee's cells recounted (nation, once); queries counted in one more "
            "cold request"
        )
        head = (
            f"{'page':<14} {'scope':<9} {'code':<7} {'cold ms':>10} {'edited ms':>10} {'warm ms':>8} "
            f"{'recount ms':>11} {'queries':>8} {'counted run ms':>15} {'of which SQL':>13} {'slowest query':>14} "
            f"{'target':>10} | result"
        )
        self.out(head)
        self.out("-" * len(head))
        for page in self.pages:
            code = page.path.strip("/").split("/")[1]
            limit = page.target_ms
            if limit is None and page.scope == "nation":
                limit = NATIONAL_SUMMARY_TARGET_MS
            if limit is not None:
                target = f"≤ {limit:.0f} ms"
                result = self.check(
                    f"{page.name} page ({page.scope})", page.server_ms, limit, " ms", page.server_ms <= limit
                )
            else:
                target, result = "—", "info"
            edited = f"{page.edited_ms:.1f}" if page.edited_ms is not None else "—"
            recount = f"{page.recount_ms:,.0f}" if page.recount_ms is not None else "—"
            self.out(
                f"{page.name:<14} {page.scope:<9} {code:<7} {page.server_ms:>10.1f} {edited:>10} "
                f"{page.warm_ms:>8.1f} {recount:>11} {page.queries:>8} {page.counted_ms:>15.1f} "
                f"{page.sql_ms:>13.1f} {page.slowest_sql_ms:>14.1f} {target:>10} | {result}"
            )

    def _exports(self) -> None:
        self.out()
        self.out(
            "3. EXPORTS: full response (body consumed) as a superuser, each in a fresh process; s = best of "
            "repeats after a warm-up (nation: 1), cold (figure cache emptied before each run); warm s = figures "
            "from the cache. bare = the same non-empty cells written with bare xlsxwriter (constant_memory); "
            "toolkit = the time inside reporting.excel during a cold run, less the time its rows took to come "
            f"out of the export's iterators; the target (≤ {EXPORT_RATIO_TARGET:g}× bare) is checked on it. "
            "Shown too: the cold request against bare (× bare) and against SQL + bare, SQL being the cold "
            "request's reads run again through psycopg2 (× SQL+bare): what reading the figures, the session and "
            "the user, and building the rows add; for a workbook of a few hundred rows they cost as much as "
            "writing it"
        )
        head = (
            f"{'export':<14} {'scope':<9} {'rows':>8} {'cells':>10} {'cold s':>8} {'warm s':>8} {'rows/s':>9} "
            f"{'bare s':>8} {'toolkit s':>10} {'× bare':>7} {'cold × bare':>11} {'SQL s':>7} {'× SQL+bare':>10} "
            f"{'heap MiB':>9} {'bare heap':>9} {'RSS Δ MiB':>10} | result"
        )
        self.out(head)
        self.out("-" * len(head))
        for e in self.exports:
            result = self.check(
                f"export {e.name} ({e.scope}) toolkit",
                e.toolkit_ratio,
                EXPORT_RATIO_TARGET,
                "×",
                e.toolkit_ratio <= EXPORT_RATIO_TARGET,
            )
            self.out(
                f"{e.name:<14} {e.scope:<9} {e.rows:>8,} {e.cells:>10,} {e.seconds:>8.3f} {e.warm_seconds:>8.3f} "
                f"{e.rows_per_second:>9,.0f} {e.raw_seconds:>8.3f} {e.toolkit_seconds:>10.3f} "
                f"{e.toolkit_ratio:>6.2f}× {e.ratio:>10.2f}× {e.sql_seconds:>7.3f} {e.floor_ratio:>9.2f}× "
                f"{e.tracemalloc_peak_mib:>9.1f} {e.raw_tracemalloc_peak_mib:>9.1f} {e.rss_delta_mib:>10.1f} | {result}"
            )
        for name, reason in self.skipped_exports.items():
            self.out(f"{name:<24} not measured: {reason}")
            self.failures.append(f"export {name}: {reason}")
        province = next((e for e in self.exports if e.name == "members.xlsx" and e.scope == "province"), None)
        nation = next((e for e in self.exports if e.name == "members.xlsx" and e.scope == "nation"), None)
        if province and nation and province.tracemalloc_peak_mib > 0:
            growth = nation.tracemalloc_peak_mib / province.tracemalloc_peak_mib
            rows = nation.rows / max(province.rows, 1)
            result = self.check(
                "members.xlsx heap peak nation/province", growth, MEMORY_FLAT_TARGET, "×", growth <= MEMORY_FLAT_TARGET
            )
            self.out(
                f"memory: members.xlsx heap peak nation {nation.tracemalloc_peak_mib:.1f} MiB / province "
                f"{province.tracemalloc_peak_mib:.1f} MiB = {growth:.2f}× for {rows:.1f}× the rows "
                f"(target ≤ {MEMORY_FLAT_TARGET:g}×) | {result}"
            )

    def _footer(self) -> None:
        self.out()
        self.out("=" * 118)
        total = len(self.checks)
        if self.failures:
            self.out(f"TARGETS MISSED: {len(self.failures)} of {total} checks")
            for failure in self.failures:
                self.out(f"  FAIL  {failure}")
        else:
            self.out(f"ALL TARGETS MET: {total} checks")
        self.out(f"Elapsed {self.meta.get('elapsed', '?')}; JSON: {self.meta.get('json', '?')}")
        self.out("=" * 118)

    # ---- JSON ------------------------------------------------------------------------------------------------
    def as_json(self, text: str) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "targets": {
                "metric_ratio": METRIC_RATIO_TARGET,
                "national_summary_ms": NATIONAL_SUMMARY_TARGET_MS,
                "export_ratio": EXPORT_RATIO_TARGET,
                "memory_flat": MEMORY_FLAT_TARGET,
            },
            "metrics": [t.as_json() for t in self.metrics],
            "pages": [p.as_json() for p in self.pages],
            "exports": [e.as_json() for e in self.exports],
            "skipped_exports": self.skipped_exports,
            "checks": self.checks,
            "failures": self.failures,
            "text": text,
        }


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)

    def default(value: object) -> object:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return str(value)

    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=default) + "\n", encoding="utf-8")
