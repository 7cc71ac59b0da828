"""What the pages and the workbook show: the ranking of a committee's branches and each branch's lines.

An approved sheet shows what was stored at approval (and whether the records give something else today); every
other sheet shows what the records give now, with the scores people entered. One batched compute for all
branches of the committee, and a fixed number of queries besides.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from committees.models import Branch, Committee

from .compute import (
    Figures,
    Line,
    SchemeDef,
    compute_figures,
    compute_lines,
    load_scheme,
    schemes_for,
    score,
    scored_branches,
    signature,
)
from .models import Entry, Item, Scheme, Sheet
from .services import sheets_ensure

ZERO = Decimal(0)


@dataclass
class Row:
    """One item of one branch's sheet as shown."""

    item: Item
    quantity: Decimal | None  # stored at approval, else what the records give now
    points: Decimal | None
    self_points: Decimal | None
    reviewed_points: Decimal | None
    note: str
    final: Decimal | None  # what counts: reviewed, else computed
    live: Line | None = None  # what the records give now
    detail: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.live is not None and (self.live.quantity, self.live.points) != (self.quantity, self.points)


@dataclass
class Scored:
    branch: Branch
    sheet: Sheet
    rows: list[Row]
    categories: dict[int, Decimal]
    self_categories: dict[int, Decimal]
    total: Decimal
    self_total: Decimal
    grade: str
    vetoed: bool
    changed: bool  # approved, and the records behind it give something else today
    rank: int = 0


def _self_value(row: Row) -> Decimal | None:
    return row.self_points if row.self_points is not None else row.points


def score_sheet(
    scheme: SchemeDef, sheet: Sheet, branch: Branch, figures: Figures, entries: dict[int, tuple[object, ...]]
) -> Scored:
    """``entries``: item id → (quantity, points, self, reviewed, note) as stored."""
    live = compute_lines(scheme, figures, branch.pk)
    frozen = sheet.is_frozen
    rows = []
    for line in live:
        stored = entries.get(line.item.pk)
        quantity, points, self_points, reviewed, note = stored if stored else (None, None, None, None, "")
        if not frozen:
            quantity, points = line.quantity, line.points
        final = reviewed if reviewed is not None else points
        rows.append(
            Row(line.item, quantity, points, self_points, reviewed, str(note or ""), final, line, line.detail)  # type: ignore[arg-type]
        )
    result = score(scheme, {row.item.pk: row.final for row in rows})
    claimed = score(scheme, {row.item.pk: _self_value(row) for row in rows})
    changed = frozen and signature(live) != sheet.signature
    return Scored(
        branch,
        sheet,
        rows,
        result.categories,
        claimed.categories,
        result.total,
        claimed.total,
        result.grade,
        result.vetoed,
        changed,
    )


def stored_entries(sheets: list[Sheet] | Q) -> dict[int, dict[int, tuple[object, ...]]]:
    """The entries of ``sheets`` (or of the sheets matching a filter), by sheet id and item id."""
    rows = Entry.objects.filter(sheet__in=sheets) if isinstance(sheets, list) else Entry.objects.filter(sheets)
    out: dict[int, dict[int, tuple[object, ...]]] = {}
    for sheet_id, item_id, *values in rows.values_list(
        "sheet_id", "item_id", "quantity", "points", "self_points", "reviewed_points", "note"
    ):
        out.setdefault(sheet_id, {})[item_id] = tuple(values)
    return out


@dataclass
class Ranking:
    committee: Committee
    year: int
    schemes: list[Scheme]
    scheme: SchemeDef | None
    scored: list[Scored]

    @property
    def grades(self) -> list[tuple[str, int]]:
        counts = Counter(s.grade for s in self.scored)
        names = [band.name for band in self.scheme.bands] if self.scheme else []
        return [(name, counts.get(name, 0)) for name in names]

    @property
    def states(self) -> list[tuple[str, str, int]]:
        counts = Counter(s.sheet.state for s in self.scored)
        return [(value, str(label), counts.get(value, 0)) for value, label in Sheet.State.choices]


def build_ranking(committee: Committee, year: int, scheme_id: int | None = None) -> Ranking:
    schemes = schemes_for(committee, year)
    chosen = next((s for s in schemes if s.pk == scheme_id), schemes[0] if schemes else None)
    if chosen is None:
        return Ranking(committee, year, schemes, None, [])
    scheme = load_scheme(chosen)
    branches = scored_branches(chosen, committee, year, schemes)
    figures = compute_figures(scheme, committee, year)
    sheets = sheets_ensure(chosen, branches)
    entries = stored_entries(Q(sheet__scheme=chosen, sheet__branch__committee__path__startswith=committee.path))
    scored = [score_sheet(scheme, sheets[b.pk], b, figures, entries.get(sheets[b.pk].pk, {})) for b in branches]
    scored.sort(key=lambda s: (s.vetoed, -s.total, s.branch.committee.path, s.branch.name))
    for rank, item in enumerate(scored, start=1):
        item.rank = rank
    return Ranking(committee, year, schemes, scheme, scored)


def build_sheet(sheet: Sheet) -> tuple[SchemeDef, Scored]:
    """One sheet, with the records of its branch's committee computed now."""
    scheme = load_scheme(sheet.scheme_id)
    figures = compute_figures(scheme, sheet.branch.committee, sheet.scheme.year)
    entries = stored_entries([sheet]).get(sheet.pk, {})
    return scheme, score_sheet(scheme, sheet, sheet.branch, figures, entries)
