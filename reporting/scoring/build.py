"""What the pages and the workbook show: the ranking of a committee's branches and each branch's lines.

An approved sheet shows what was stored at approval (and whether the records give something else today); every
other sheet shows what the records give now, with the scores people entered. One batched compute for all
branches of the committee, and a fixed number of queries besides.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Q

from committees.models import Branch, Committee

from .compute import (
    Line,
    LineMaker,
    SchemeDef,
    Score,
    compute_figures,
    compute_lines,
    load_scheme,
    schemes_for,
    score,
    scored_branches,
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


Stored = tuple[Any, ...]  # (quantity, points, self_points, reviewed_points, note) of an entry


@dataclass(eq=False)
class Scored:
    """One branch's sheet as shown: what counts for each item, the totals, and (on demand) its rows."""

    scheme: SchemeDef
    branch: Branch
    sheet: Sheet
    lines: list[Line]  # what the records give now
    entries: dict[int, Stored]
    final: dict[int, Decimal | None]
    categories: dict[int, Decimal]
    total: Decimal
    grade: str
    vetoed: bool
    changed: bool  # approved, and the records behind it give something else today
    rank: int = 0

    @cached_property
    def rows(self) -> list[Row]:
        frozen = self.sheet.is_frozen
        rows = []
        for line in self.lines:
            stored = self.entries.get(line.item.pk)
            quantity, points, self_points, reviewed, note = stored if stored else (None, None, None, None, "")
            if not frozen:
                quantity, points = line.quantity, line.points
            final = self.final[line.item.pk]
            rows.append(
                Row(line.item, quantity, points, self_points, reviewed, str(note or ""), final, line, line.detail)
            )
        return rows

    @cached_property
    def claimed(self) -> Score:
        """The branch's self-assessment: its own scores where given, else what the records give."""
        return score(self.scheme, {row.item.pk: _self_value(row) for row in self.rows})

    @property
    def self_categories(self) -> dict[int, Decimal]:
        return self.claimed.categories

    @property
    def self_total(self) -> Decimal:
        return self.claimed.total


def _self_value(row: Row) -> Decimal | None:
    return row.self_points if row.self_points is not None else row.points


def _differs(line: Line, stored: Stored | None) -> bool:
    """Whether the records give something else today than what was stored for this item."""
    if stored is None:
        return line.quantity is not None or line.points is not None
    return (line.quantity, line.points) != (stored[0], stored[1])


def score_sheet(
    scheme: SchemeDef, sheet: Sheet, branch: Branch, lines: list[Line], entries: dict[int, Stored]
) -> Scored:
    """What counts for each item: the reviewer's score, else the points stored at approval (an approved sheet)
    or what the records give now."""
    frozen = sheet.is_frozen
    final: dict[int, Decimal | None] = {}
    for line in lines:
        pk = line.item.pk
        stored = entries.get(pk)
        if stored is not None and stored[3] is not None:
            final[pk] = stored[3]
        elif frozen:
            final[pk] = stored[1] if stored is not None else None
        else:
            final[pk] = line.points
    result = score(scheme, final)
    changed = frozen and any(_differs(line, entries.get(line.item.pk)) for line in lines)
    return Scored(
        scheme,
        branch,
        sheet,
        lines,
        entries,
        final,
        result.categories,
        result.total,
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
    lines = LineMaker(scheme, compute_figures(scheme, committee, year))
    sheets = sheets_ensure(chosen, branches)
    entries = stored_entries(Q(sheet__scheme=chosen, sheet__branch__committee__path__startswith=committee.path))
    scored = [score_sheet(scheme, sheets[b.pk], b, lines(b.pk), entries.get(sheets[b.pk].pk, {})) for b in branches]
    scored.sort(key=lambda s: (s.vetoed, -s.total, s.branch.committee.path, s.branch.name))
    for rank, item in enumerate(scored, start=1):
        item.rank = rank
    return Ranking(committee, year, schemes, scheme, scored)


def build_sheet(sheet: Sheet) -> tuple[SchemeDef, Scored]:
    """One sheet, with the records of its branch's committee computed now."""
    scheme = load_scheme(sheet.scheme_id)
    figures = compute_figures(scheme, sheet.branch.committee, sheet.scheme.year)
    entries = stored_entries([sheet]).get(sheet.pk, {})
    return scheme, score_sheet(scheme, sheet, sheet.branch, compute_lines(scheme, figures, sheet.branch_id), entries)
