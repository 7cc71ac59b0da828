"""From a scheme and the metric registry to points: every branch of a subtree in one batched compute.

:func:`load_scheme` reads a scheme with its categories, items, ladder steps and grade bands (a fixed number of
queries); :func:`compute_lines` asks the registry for every figure the items need, grouped by branch, in one
:func:`reporting.metrics.compute` call, and turns the figures into each branch's lines; :func:`score` adds lines
up under the category caps and floors, the total cap, the veto and the grade bands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from committees.models import Branch, Committee, Level
from reporting.metrics import Ratio, Scope, compute, registry
from reporting.metrics.catalogue import LADDER_KINDS, credit_codes, existing, ladder_code

from .models import Category, GradeBand, Item, Scheme

ZERO = Decimal(0)
CENT = Decimal("0.01")
QUANTUM = Decimal("0.0001")
PROPOSAL_PREFIX = "proposals."


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(QUANTUM, rounding=ROUND_HALF_UP)
    return Decimal(value or 0)


def work_kind(metric: str) -> str | None:
    """The kind of work a ``proposals.<kind>`` metric counts, else None."""
    if metric.startswith(PROPOSAL_PREFIX):
        kind = metric[len(PROPOSAL_PREFIX) :]
        if f"credit.{kind}.sole" in registry:
            return kind
    return None


def ladder_kind(metric: str) -> str | None:
    kind = work_kind(metric)
    return kind if kind in LADDER_KINDS else None


# Short names of the outcome levels, for the one-line 评分标准 of a ladder.
SHORT_LEVEL = {
    Level.COUNTY: pgettext_lazy("short level", "county"),
    Level.CITY: pgettext_lazy("short level", "city"),
    Level.CITY_LEADER: pgettext_lazy("short level", "city leader"),
    Level.PROVINCIAL: pgettext_lazy("short level", "provincial"),
    Level.PROVINCIAL_LEADER: pgettext_lazy("short level", "provincial leader"),
    Level.VICE_MINISTERIAL: pgettext_lazy("short level", "vice-ministerial"),
    Level.PARTY_CENTRAL: pgettext_lazy("short level", "CAPD central"),
    Level.MINISTERIAL: pgettext_lazy("short level", "ministerial"),
    Level.CENTRAL_DEPARTMENT: pgettext_lazy("short level", "central departments"),
    Level.NATIONAL_CPPCC: pgettext_lazy("short level", "national CPPCC"),
    Level.CENTRAL_OFFICE: pgettext_lazy("short level", "central offices"),
    Level.STATE_LEADER: pgettext_lazy("short level", "state leader"),
}


LEVEL_RANK = {code: Level.rank(code) for code in Level.values}


@dataclass
class SchemeDef:
    """A scheme with everything under it, loaded once."""

    scheme: Scheme
    categories: list[Category]
    items: list[Item]
    bands: list[GradeBand]  # highest threshold first
    _steps: dict[int, list[Any]] = field(default_factory=dict)

    _groups: list[tuple[Category, list[int]]] = field(default_factory=list)  # each category's items that add up
    _vetoes: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        summed: dict[int, list[int]] = {category.pk: [] for category in self.categories}
        for item in self.items:
            self._steps[item.pk] = sorted(item.steps.all(), key=lambda step: LEVEL_RANK[step.level])
            if item.kind == Item.Kind.VETO:
                self._vetoes.append(item.pk)
            else:
                summed[item.category_id].append(item.pk)
        self._groups = [(category, summed[category.pk]) for category in self.categories]

    @property
    def items_by_category(self) -> dict[int, list[Item]]:
        out: dict[int, list[Item]] = {c.pk: [] for c in self.categories}
        for item in self.items:
            out.setdefault(item.category_id, []).append(item)
        return out

    def steps(self, item: Item) -> list[Any]:
        """The ladder steps of ``item``, lowest level first."""
        return self._steps.get(item.pk, [])

    def requests(self, scope: Scope) -> list[tuple[str, Scope]]:
        codes: list[str] = []
        for item in self.items:
            codes += item_codes(item, self)
        return [(code, scope) for code in dict.fromkeys(codes)]


def load_scheme(scheme: Scheme | int) -> SchemeDef:
    pk = scheme.pk if isinstance(scheme, Scheme) else scheme
    loaded = Scheme.objects.select_related("committee").get(pk=pk)
    categories = list(Category.objects.filter(scheme=loaded).order_by("order", "code", "pk"))
    order = {c.pk: i for i, c in enumerate(categories)}
    items = sorted(
        Item.objects.filter(scheme=loaded).prefetch_related(Prefetch("steps")),
        key=lambda i: (order.get(i.category_id, 0), i.order, i.pk),
    )
    bands = list(GradeBand.objects.filter(scheme=loaded).order_by("-minimum"))
    return SchemeDef(loaded, categories, items, bands)


def item_codes(item: Item, scheme: SchemeDef) -> list[str]:
    """The metric codes an item is computed from."""
    if not item.metric:
        return []
    if item.kind == Item.Kind.PER_UNIT and item.joint_credit:
        kind = work_kind(item.metric)
        return list(credit_codes(kind).values()) if kind else [item.metric]
    if item.kind == Item.Kind.LADDER:
        kind = ladder_kind(item.metric)
        steps = [ladder_code(kind, step.level) for step in scheme.steps(item)] if kind else []
        return [item.metric, *steps]
    return [item.metric]


def evidence_code(item: Item) -> str | None:
    """The metric whose records explain an item's points (the credit parts by authorship for split work)."""
    if not item.metric:
        return None
    if item.kind == Item.Kind.PER_UNIT and item.joint_credit and work_kind(item.metric):
        return f"authored.{work_kind(item.metric)}"
    return item.metric


@dataclass(slots=True, eq=False)
class Line:
    """What the records give for one item of one branch. Branches with the same figures share one line, which is
    never changed once made; lines compare (and hash) by identity."""

    item: Item
    quantity: Decimal | None  # None: nothing to count (manual items)
    points: Decimal | None  # computed points; None for manual items; 1/0 for a veto
    detail: list[tuple[str, Decimal]] = field(default_factory=list)  # ladder: per step (label, records)


Figures = Mapping[str, Mapping[int, Any]]  # metric code -> branch id -> value
Maker = Callable[[int], Line]


def _number(values: Mapping[int, Any], branch_id: int) -> Decimal:
    value = values.get(branch_id)
    if value is None:
        return ZERO
    if type(value) is int:
        return Decimal(value)
    return decimal(value).quantize(QUANTUM, rounding=ROUND_HALF_UP)


def _met(item: Item, value: Decimal) -> bool:
    threshold = item.threshold if item.threshold is not None else Decimal(1)
    return value < threshold if item.below else value >= threshold


def _maker(item: Item, scheme: SchemeDef, figures: Figures) -> Maker:
    """A function from a branch id to the item's line, with everything that does not depend on the branch
    worked out once."""
    kind, points, cap = item.kind, item.points, item.cap
    if kind == Item.Kind.MANUAL or (not item.metric and kind in (Item.Kind.DEDUCTION, Item.Kind.VETO)):
        return lambda branch_id: Line(item, None, None)
    values = figures.get(item.metric, {})

    def capped(amount: Decimal) -> Decimal:
        return cents(amount if cap is None or amount <= cap else cap)

    if kind == Item.Kind.PER_UNIT and item.joint_credit and work_kind(item.metric):
        codes = credit_codes(work_kind(item.metric) or "")
        unauthored, sole, first, co = (figures.get(codes[part], {}) for part in ("unauthored", "sole", "first", "co"))
        share = scheme.scheme.first_author_share if scheme.scheme.first_author_share is not None else Decimal(1)
        rest = 1 - share

        def split(branch_id: int) -> Line:
            quantity = (
                _number(unauthored, branch_id)
                + _number(sole, branch_id)
                + share * _number(first, branch_id)
                + rest * _number(co, branch_id)
            ).quantize(QUANTUM, rounding=ROUND_HALF_UP)
            return Line(item, quantity, capped(quantity * points))

        return split
    if kind in (Item.Kind.PER_UNIT, Item.Kind.SHARE):

        def per_unit(branch_id: int) -> Line:
            quantity = _number(values, branch_id)
            return Line(item, quantity, capped(quantity * points))

        return per_unit
    if kind == Item.Kind.LADDER:
        work = ladder_kind(item.metric)
        steps = scheme.steps(item) if work else []
        reached = [figures.get(ladder_code(work or "", step.level), {}) for step in steps]
        labels = [str(SHORT_LEVEL[step.level]) for step in steps]
        bonuses = [step.bonus for step in steps]

        def ladder(branch_id: int) -> Line:
            records = _number(values, branch_id)
            total = records * points
            counts = [_number(r, branch_id) for r in reached] + [ZERO]
            detail = []
            for index, bonus in enumerate(bonuses):
                # Records whose highest level is this step's: reached this one and not the next.
                top = counts[index] - counts[index + 1]
                total += top * bonus
                detail.append((labels[index], top))
            return Line(item, records, capped(total), detail)

        return ladder
    if kind in (Item.Kind.RULE, Item.Kind.VETO):
        # A met rule gives its points; a met veto is 1 (it adds nothing and forces the lowest grade).
        given = cents(points) if kind == Item.Kind.RULE else Decimal(1)

        def rule(branch_id: int) -> Line:
            quantity = _number(values, branch_id)
            return Line(item, quantity, given if _met(item, quantity) else ZERO)

        return rule

    def deduction(branch_id: int) -> Line:
        # For a met rule when a threshold is given, else per unit; never more than the cap.
        quantity = _number(values, branch_id)
        if item.threshold is not None:
            taken = points if _met(item, quantity) else ZERO
        else:
            taken = quantity * points
        if cap is not None:
            taken = min(taken, cap)
        return Line(item, quantity, -cents(taken))

    return deduction


class LineMaker:
    """Every item's line for any branch, from one set of figures.

    A line depends only on the item's figures for the branch, and most branches share their figures with many
    others (small counts, or none at all), so each distinct combination is worked out once per item and the
    same :class:`Line` is handed to every branch that has it (lines are never changed after they are made)."""

    def __init__(self, scheme: SchemeDef, figures: Figures) -> None:
        self._items: list[tuple[Maker, list[Mapping[int, Any]], dict[Any, Line]]] = [
            (_maker(item, scheme, figures), [figures.get(code, {}) for code in item_codes(item, scheme)], {})
            for item in scheme.items
        ]

    @staticmethod
    def _line(make: Maker, present: list[Mapping[int, Any]], memo: dict[Any, Line], branch_id: int) -> Line:
        key = present[0].get(branch_id) if len(present) == 1 else tuple(v.get(branch_id) for v in present)
        line = memo.get(key)
        if line is None:
            line = memo[key] = make(branch_id)
        return line

    def __call__(self, branch_id: int) -> list[Line]:
        line = self._line
        return [line(make, present, memo, branch_id) for make, present, memo in self._items]

    def table(self, branch_ids: list[int]) -> list[list[Line]]:
        """The lines of many branches (in the order of ``branch_ids``): each item's figures are walked once, and
        a branch without figures for an item gets the item's shared empty line without any work."""
        columns: list[tuple[Callable[[int, Line], Line], Line]] = []
        for make, present, memo in self._items:
            nowhere = self._line(make, present, memo, 0)  # branch ids start at 1: the line of no figures
            column: dict[int, Line] = {}
            if len(present) == 1:
                for branch_id, value in present[0].items():
                    line = memo.get(value)
                    column[branch_id] = line if line is not None else self._line(make, present, memo, branch_id)
            elif present:
                for branch_id in set().union(*present):
                    column[branch_id] = self._line(make, present, memo, branch_id)
            columns.append((column.get, nowhere))  # type: ignore[arg-type]
        return [[get(branch_id, nowhere) for get, nowhere in columns] for branch_id in branch_ids]


def compute_figures(scheme: SchemeDef, committee: Committee, year: int) -> Figures:
    """Every figure the scheme's items need, for every branch of ``committee``'s subtree, by branch id."""
    scope = Scope.year(committee, year)
    requests = scheme.requests(scope)
    if not requests:
        return {}
    results = compute(requests, group="branch")
    figures: dict[str, dict[int, Any]] = {}
    for (code, _scope), values in results.items():
        figures[code] = {key[1]: value for key, value in values.items() if key[1] is not None}
    return figures


def compute_lines(scheme: SchemeDef, figures: Figures, branch_id: int) -> list[Line]:
    return LineMaker(scheme, figures)(branch_id)


@dataclass
class Score:
    categories: dict[int, Decimal]
    total: Decimal
    vetoed: bool
    grade: str


def _subtotal(category: Category, points: Iterable[Decimal | None]) -> Decimal:
    """A category's points: its items' points added up, within its cap and floor, to the cent."""
    subtotal = ZERO
    for value in points:
        if value:
            subtotal += value
    if category.cap is not None and subtotal > category.cap:
        subtotal = category.cap
    if category.floor is not None and subtotal < category.floor:
        subtotal = category.floor
    return cents(subtotal)


def _scored(scheme: SchemeDef, categories: dict[int, Decimal], vetoed: bool) -> Score:
    total = ZERO
    for subtotal in categories.values():
        total += subtotal
    if scheme.scheme.total_cap is not None and total > scheme.scheme.total_cap:
        total = scheme.scheme.total_cap
    return Score(categories, cents(total), vetoed, grade_of(scheme, total, vetoed))


def score(scheme: SchemeDef, points: Mapping[int, Decimal | None]) -> Score:
    """Add up ``points`` (by item id) under the category caps and floors and the total cap; grade the total.

    A veto item's points are 1 when triggered: it adds nothing and forces the lowest grade."""
    categories = {
        category.pk: _subtotal(category, [points.get(pk) for pk in summed]) for category, summed in scheme._groups
    }
    vetoed = any((points.get(item_id) or ZERO) >= 1 for item_id in scheme._vetoes)
    return _scored(scheme, categories, vetoed)


class LineScorer:
    """:func:`score` of lines as the records give them, for many branches of one :class:`LineMaker`: lines are
    shared objects, so each category's subtotal is worked out once per distinct combination of its lines."""

    def __init__(self, scheme: SchemeDef) -> None:
        self.scheme = scheme
        at = {item.pk: index for index, item in enumerate(scheme.items)}
        self._groups: list[tuple[Category, list[int], dict[tuple[Line, ...], Decimal]]] = [
            (category, [at[pk] for pk in summed], {}) for category, summed in scheme._groups
        ]
        self._vetoes = [at[pk] for pk in scheme._vetoes]

    def __call__(self, lines: list[Line]) -> Score:
        categories: dict[int, Decimal] = {}
        for category, positions, known in self._groups:
            key = tuple([lines[i] for i in positions])  # compared by identity (see Line)
            subtotal = known.get(key)
            if subtotal is None:
                subtotal = known[key] = _subtotal(category, [line.points for line in key])
            categories[category.pk] = subtotal
        vetoed = any((lines[i].points or ZERO) >= 1 for i in self._vetoes)
        return _scored(self.scheme, categories, vetoed)


def grade_of(scheme: SchemeDef, total: Decimal, vetoed: bool) -> str:
    if not scheme.bands:
        return ""
    if vetoed:
        return scheme.bands[-1].name
    for band in scheme.bands:
        if total >= band.minimum:
            return band.name
    return scheme.bands[-1].name


# ---- Which scheme scores which branch -----------------------------------------------------------------------------
def schemes_for(committee: Committee, year: int) -> list[Scheme]:
    """Published schemes of ``year`` that score some branch of ``committee``'s subtree: the nearest one above or
    at the committee, and those of committees below it. Nearest first."""
    step = Committee.steplen
    above = [committee.path[: step * depth] for depth in range(1, committee.depth + 1)]
    schemes = list(
        Scheme.objects.filter(year=year, status=Scheme.Status.PUBLISHED)
        .filter(Q(committee__path__in=above) | Q(committee__path__startswith=committee.path))
        .select_related("committee")
        .order_by("committee__path")
    )
    inherited = [s for s in schemes if len(s.committee.path) <= len(committee.path)]
    below = [s for s in schemes if len(s.committee.path) > len(committee.path)]
    return inherited[-1:] + below


def scheme_of(committee_path: str, schemes: list[Scheme]) -> Scheme | None:
    """The scheme that scores a branch of the committee at ``committee_path``: the deepest owner above it."""
    owners = [s for s in schemes if committee_path.startswith(s.committee.path)]
    return max(owners, key=lambda s: len(s.committee.path)) if owners else None


def scored_branches(scheme: Scheme, committee: Committee, year: int, schemes: list[Scheme]) -> list[Branch]:
    """Branches of ``committee``'s subtree existing at the end of ``year`` that ``scheme`` scores."""
    branches = (
        Branch.objects.filter(committee__path__startswith=committee.path)
        .filter(existing(Scope.year(committee, year)))
        .select_related("committee")
        .order_by("committee__path", "name")
    )
    return [b for b in branches if scheme_of(b.committee.path, schemes) == scheme]


def scored_branch_rows(
    scheme: Scheme, committee: Committee, year: int, schemes: list[Scheme], columns: list[str]
) -> tuple[dict[int, Committee], list[tuple[Any, ...]]]:
    """What :func:`scored_branches` finds, as rows of ``columns`` (which include ``committee_id``) with the
    committees of the subtree by id: no model per branch. Two queries."""
    committees = {c.pk: c for c in Committee.objects.filter(path__startswith=committee.path)}
    scores = {pk: scheme_of(c.path, schemes) == scheme for pk, c in committees.items()}
    at = columns.index("committee_id")
    rows = (
        Branch.objects.filter(committee_id__in=[pk for pk, scored in scores.items() if scored])
        .filter(existing(Scope.year(committee, year)))
        .order_by()
        .values_list(*columns)
    )
    name, pk = columns.index("name"), columns.index("id")
    found = list(rows)
    found.sort(key=lambda row: (committees[row[at]].path, row[name], row[pk]))
    return committees, found


def describe(item: Item, scheme: SchemeDef, *, with_steps: bool = True) -> str:
    """The 评分标准 of an item, written from its settings unless the administrator wrote one."""
    if item.standard:
        return item.standard
    p = plain(item.points)
    cap = _("; at most %(cap)s") % {"cap": plain(item.cap)} if item.cap is not None else ""
    threshold = plain(item.threshold if item.threshold is not None else Decimal(1))
    condition = _("below %(n)s") % {"n": threshold} if item.below else _("at least %(n)s") % {"n": threshold}
    kind = item.kind
    if kind == Item.Kind.PER_UNIT:
        text = _("%(p)s per unit") % {"p": p}
        if item.joint_credit:
            share = scheme.scheme.first_author_share
            text += _(" (joint work split, first author %(share)s)") % {"share": plain(share or Decimal(1))}
        return text + cap
    if kind == Item.Kind.LADDER:
        steps = "，".join(f"{SHORT_LEVEL[step.level]}+{plain(step.bonus)}" for step in scheme.steps(item))
        if not with_steps:
            return _("%(p)s per record, a bonus by the highest level reached") % {"p": p} + cap
        return _("%(p)s per record; by the highest level reached: %(steps)s") % {"p": p, "steps": steps} + cap
    if kind == Item.Kind.SHARE:
        return _("%(p)s × share") % {"p": p} + cap
    if kind == Item.Kind.RULE:
        return _("%(p)s when %(condition)s") % {"p": p, "condition": condition}
    if kind == Item.Kind.MANUAL:
        return _("Entered by the reviewer, at most %(p)s") % {"p": p}
    if kind == Item.Kind.DEDUCTION:
        if not item.metric:
            return _("Deducted by the reviewer, at most %(p)s") % {"p": p}
        if item.threshold is not None:
            return _("−%(p)s when %(condition)s") % {"p": p, "condition": condition}
        return _("−%(p)s per unit") % {"p": p} + cap
    if not item.metric:
        return _("Veto, decided by the reviewer: lowest grade")
    return _("Veto when %(condition)s: lowest grade") % {"condition": condition}


def plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def is_share(item: Item) -> bool:
    return bool(item.metric) and isinstance(registry.metrics.get(item.metric), Ratio)
