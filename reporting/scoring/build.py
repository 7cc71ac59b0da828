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

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

from committees.models import Branch, Committee

from .compute import (
    Line,
    LineMaker,
    LineScorer,
    SchemeDef,
    Score,
    compute_figures,
    compute_lines,
    load_scheme,
    schemes_for,
    score,
    scored_branch_rows,
)
from .models import Entry, Item, Scheme, Sheet
from .services import sheet_rows

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

BRANCH_COLUMNS = [f.attname for f in Branch._meta.concrete_fields]
SHEET_COLUMNS = [f.attname for f in Sheet._meta.concrete_fields]
_BRANCH_NAME, _BRANCH_COMMITTEE = BRANCH_COLUMNS.index("name"), BRANCH_COLUMNS.index("committee_id")
_SHEET_ID, _SHEET_STATE = SHEET_COLUMNS.index("id"), SHEET_COLUMNS.index("state")
_SHEET_VERSION = SHEET_COLUMNS.index("version")


class Scored:
    """One branch's sheet as shown: what counts for each item, the totals, and (on demand) its rows.

    A ranking reads its branches and sheets as plain rows and builds the :class:`Branch` and :class:`Sheet` of a
    scored branch only when something asks for them (a page shows a hundred of ten thousand)."""

    rank: int

    def __init__(
        self,
        scheme: SchemeDef,
        branch: Branch | tuple[Any, ...],
        committee: Committee,
        sheet: Sheet | tuple[Any, ...],
        lines: list[Line],
        entries: dict[int, Stored],
        final: dict[int, Decimal | None] | None,
        result: Score,
        changed: bool,
    ) -> None:
        self.scheme = scheme
        self._branch = branch
        self.committee = committee  # the branch's committee
        self._sheet = sheet
        self.lines = lines  # what the records give now
        self.entries = entries
        self._counted = final
        self.categories: dict[int, Decimal] = result.categories
        self.total: Decimal = result.total
        self.grade: str = result.grade
        self.vetoed: bool = result.vetoed
        self.changed = changed  # approved, and the records behind it give something else today
        self.rank = 0
        if isinstance(branch, Branch):
            self.name: str = branch.name
        else:
            self.name = branch[_BRANCH_NAME]
        # A branch without a stored sheet is shown as an unsaved draft (no id): pages never write one.
        if isinstance(sheet, Sheet):
            self.sheet_id: int | None = sheet.pk
            self.state: str = sheet.state
            self.version: int = sheet.version
        else:
            self.sheet_id, self.state = sheet[_SHEET_ID], sheet[_SHEET_STATE]
            self.version = sheet[_SHEET_VERSION]

    @property
    def branch_id(self) -> int:
        return self._branch.pk if isinstance(self._branch, Branch) else int(self._branch[0])

    @property
    def branch(self) -> Branch:
        if not isinstance(self._branch, Branch):
            branch = Branch.from_db(DEFAULT_DB_ALIAS, BRANCH_COLUMNS, self._branch)
            branch.committee = self.committee
            self._branch = branch
        return self._branch

    @property
    def sheet(self) -> Sheet:
        if not isinstance(self._sheet, Sheet):
            self._sheet = Sheet.from_db(DEFAULT_DB_ALIAS, SHEET_COLUMNS, self._sheet)
        return self._sheet

    @property
    def final(self) -> dict[int, Decimal | None]:
        """What counts, by item id (by default what the records give)."""
        if self._counted is None:
            self._counted = {line.item.pk: line.points for line in self.lines}
        return self._counted

    @property
    def state_display(self) -> str:
        return str(Sheet.State(self.state).label)

    @cached_property
    def rows(self) -> list[Row]:
        frozen = self.state == Sheet.State.APPROVED
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


def _final(lines: list[Line], entries: dict[int, Stored], frozen: bool) -> dict[int, Decimal | None]:
    """What counts for each item: the reviewer's score, else the points stored at approval (an approved sheet)
    or what the records give now."""
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
    return final


def score_sheet(
    scheme: SchemeDef, sheet: Sheet, branch: Branch, lines: list[Line], entries: dict[int, Stored]
) -> Scored:
    """One sheet scored: what counts for each item (see :func:`_final`), the totals and the grade."""
    frozen = sheet.is_frozen
    final = _final(lines, entries, frozen)
    changed = frozen and any(_differs(line, entries.get(line.item.pk)) for line in lines)
    return Scored(scheme, branch, branch.committee, sheet, lines, entries, final, score(scheme, final), changed)


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
        counts = Counter(s.state for s in self.scored)
        return [(value, str(label), counts.get(value, 0)) for value, label in Sheet.State.choices]


def build_ranking(committee: Committee, year: int, scheme_id: int | None = None) -> Ranking:
    """Every branch of ``committee``'s subtree that the chosen scheme scores, ranked: one batched compute of the
    figures and a fixed number of queries besides, with branches, sheets and entries read as plain rows.

    Most sheets are open and have no reviewer's score, so what counts is what the records give: those are scored
    by :class:`LineScorer` (each category's subtotal worked out once per distinct combination of its shared
    lines). The others (approved, or with a reviewer's score) are scored one by one against their entries."""
    schemes = schemes_for(committee, year)
    chosen = next((s for s in schemes if s.pk == scheme_id), schemes[0] if schemes else None)
    if chosen is None:
        return Ranking(committee, year, schemes, None, [])
    scheme = load_scheme(chosen)
    committees, branches = scored_branch_rows(chosen, committee, year, schemes, BRANCH_COLUMNS)
    maker = LineMaker(scheme, compute_figures(scheme, committee, year))
    sheets = sheet_rows(chosen, committee, [b[0] for b in branches], SHEET_COLUMNS)
    entries = stored_entries(Q(sheet__scheme=chosen, sheet__branch__committee__path__startswith=committee.path))
    scorer = LineScorer(scheme)
    approved = Sheet.State.APPROVED
    scored = []
    for branch, lines in zip(branches, maker.table([b[0] for b in branches]), strict=True):
        sheet = sheets[branch[0]]
        stored = entries.get(sheet[_SHEET_ID], {})
        frozen = sheet[_SHEET_STATE] == approved
        owner = committees[branch[_BRANCH_COMMITTEE]]
        if frozen or any(values[3] is not None for values in stored.values()):
            final = _final(lines, stored, frozen)
            changed = frozen and any(_differs(line, stored.get(line.item.pk)) for line in lines)
            scored.append(Scored(scheme, branch, owner, sheet, lines, stored, final, score(scheme, final), changed))
        else:  # what counts is what the records give
            scored.append(Scored(scheme, branch, owner, sheet, lines, stored, None, scorer(lines), False))
    scored.sort(key=lambda s: (s.vetoed, -s.total, s.committee.path, s.name))
    for rank, item in enumerate(scored, start=1):
        item.rank = rank
    return Ranking(committee, year, schemes, scheme, scored)


def build_sheet(sheet: Sheet) -> tuple[SchemeDef, Scored]:
    """One sheet, with the records of its branch's committee computed now."""
    scheme = load_scheme(sheet.scheme_id)
    figures = compute_figures(scheme, sheet.branch.committee, sheet.scheme.year)
    entries = stored_entries([sheet]).get(sheet.pk, {}) if sheet.pk is not None else {}
    return scheme, score_sheet(scheme, sheet, sheet.branch, compute_lines(scheme, figures, sheet.branch_id), entries)
