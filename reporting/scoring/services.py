"""Writes: sheets and their entries, the workflow, copying a scheme to the next year.

Each function takes the acting user, checks the right through ``committees.access`` and writes in one
transaction, with a :class:`~reporting.scoring.models.Transition` row for every step of the workflow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import approves_for_branch, assesses_for_branch, reviews_for_branch
from committees.models import Branch, Committee

from .compute import SchemeDef, compute_figures, compute_lines, load_scheme, plain, score
from .models import Category, Entry, GradeBand, Item, LadderStep, Scheme, Sheet, Transition

State = Sheet.State
Action = Transition.Action
BATCH = 2000
REASON_LENGTH = Transition._meta.get_field("reason").max_length or 300


def sheets_ensure(scheme: Scheme, branches: Iterable[Branch]) -> dict[int, Sheet]:
    """The sheets of ``branches`` under ``scheme``, created as drafts where missing; by branch id."""
    wanted = {b.pk for b in branches}
    sheets = {s.branch_id: s for s in Sheet.objects.filter(scheme=scheme, branch_id__in=wanted)} if wanted else {}
    missing = [Sheet(scheme=scheme, branch_id=pk) for pk in wanted - sheets.keys()]
    if missing:
        Sheet.objects.bulk_create(missing, batch_size=BATCH, ignore_conflicts=True)
        sheets = {s.branch_id: s for s in Sheet.objects.filter(scheme=scheme, branch_id__in=wanted)}
    return sheets


def sheet_rows(
    scheme: Scheme, committee: Committee, branch_ids: list[int], columns: list[str]
) -> dict[int, tuple[Any, ...]]:
    """The sheets of ``scheme`` for the branches ``branch_ids`` of ``committee``'s subtree, as rows of ``columns``
    (which include ``branch_id``) rather than models; by branch id. Reads only: a branch without a sheet gets an
    unsaved draft's row (no id), so that a page that only shows sheets never writes."""
    at = columns.index("branch_id")
    subtree = Sheet.objects.filter(scheme=scheme, branch__committee__path__startswith=committee.path).order_by()
    wanted = set(branch_ids)
    rows = {row[at]: row for row in subtree.values_list(*columns) if row[at] in wanted}
    fields = {f.attname: f for f in Sheet._meta.concrete_fields}
    for pk in wanted - rows.keys():
        draft = {"id": None, "scheme_id": scheme.pk, "branch_id": pk}
        rows[pk] = tuple(draft[c] if c in draft else fields[c].get_default() for c in columns)
    return rows


@dataclass
class Entered:
    """What a person typed for one item: the branch's self-assessment or the reviewer's score, and a note."""

    points: Decimal | None
    note: str | None = None


def entry_bounds(item: Item) -> tuple[Decimal, Decimal]:
    """The range a person may enter for ``item``: a veto is 0 or 1, a deduction negative."""
    if item.kind == Item.Kind.VETO:
        return Decimal(0), Decimal(1)
    if item.kind == Item.Kind.DEDUCTION:
        most = item.cap if item.cap is not None else item.points
        return -most, Decimal(0)
    if item.kind in (Item.Kind.MANUAL, Item.Kind.RULE):
        return Decimal(0), item.points
    return Decimal(0), item.cap if item.cap is not None else Decimal("999999.99")


def check_entered(scheme: SchemeDef, entered: Mapping[int, Entered]) -> None:
    errors = []
    items = {item.pk: item for item in scheme.items}
    for pk, value in entered.items():
        item = items.get(pk)
        if item is None:
            raise ValidationError(_("The item is not part of this scheme."))
        if value.points is None:
            continue
        low, high = entry_bounds(item)
        if not low <= value.points <= high:
            errors.append(
                _("%(item)s: enter a value between %(low)s and %(high)s.")
                % {"item": item.name, "low": plain(low), "high": plain(high)}
            )
    if errors:
        raise ValidationError(errors)


def _save_entries(
    sheet: Sheet,
    scheme: SchemeDef,
    figures: Any,
    *,
    self_points: Mapping[int, Entered] | None = None,
    reviewed: Mapping[int, Entered] | None = None,
    existing: dict[int, Entry] | None = None,
) -> tuple[list[Entry], list[Entry]]:
    """Refresh the entries of one sheet from ``figures`` and what was entered; return (to create, to update)."""
    if existing is None:
        existing = {e.item_id: e for e in Entry.objects.filter(sheet=sheet)}
    lines = compute_lines(scheme, figures, sheet.branch_id)
    create: list[Entry] = []
    update: list[Entry] = []
    final: dict[int, Decimal | None] = {}
    for line in lines:
        entry = existing.get(line.item.pk) or Entry(sheet=sheet, item=line.item)
        entry.quantity, entry.points = line.quantity, line.points
        for source, field in ((self_points, "self_points"), (reviewed, "reviewed_points")):
            if source and line.item.pk in source:
                setattr(entry, field, source[line.item.pk].points)
                if source[line.item.pk].note is not None:
                    entry.note = source[line.item.pk].note or ""
        final[line.item.pk] = final_points(entry)
        (update if entry.pk else create).append(entry)
    result = score(scheme, final)
    sheet.total, sheet.grade, sheet.vetoed = result.total, result.grade, result.vetoed
    sheet.category_points = {str(pk): str(value) for pk, value in result.categories.items()}
    return create, update


def final_points(entry: Entry) -> Decimal | None:
    """What counts: the reviewer's score where given, else what the records give."""
    return entry.reviewed_points if entry.reviewed_points is not None else entry.points


ENTRY_FIELDS = ["quantity", "points", "self_points", "reviewed_points", "note"]
SHEET_FIELDS = ["state", "returned_reason", "total", "grade", "vetoed", "approved_at", "category_points"]
EDIT_FIELDS = ["version", "edited_by", "edited_at"]


def _write(sheets: list[Sheet], create: list[Entry], update: list[Entry], user: Any = None) -> None:
    """Store sheets (locked by the caller) and their entries; each sheet's version advances, and who and when are
    kept for the message a stale form gets."""
    now = timezone.now()
    editor = user if getattr(user, "pk", None) is not None else None
    for sheet in sheets:
        sheet.version += 1
        sheet.edited_by, sheet.edited_at = editor, now
    Entry.objects.bulk_create(create, batch_size=BATCH)
    Entry.objects.bulk_update(update, ENTRY_FIELDS, batch_size=BATCH)
    Sheet.objects.bulk_update(sheets, SHEET_FIELDS + EDIT_FIELDS, batch_size=BATCH)


def _figures_for(sheet: Sheet, scheme: SchemeDef) -> Any:
    return compute_figures(scheme, sheet.branch.committee, sheet.scheme.year)


class EditConflict(Exception):
    """The sheet changed since the form was opened (its version moved on): nothing was written."""

    def __init__(self, sheet: Sheet) -> None:
        super().__init__(sheet.pk)
        self.sheet = sheet


def _locked(sheet: Sheet, version: int | None) -> Sheet:
    locked = Sheet.objects.select_for_update().select_related("scheme", "branch__committee").get(pk=sheet.pk)
    if version is not None and version != locked.version:
        raise EditConflict(locked)
    return locked


@transaction.atomic
def sheet_save(
    *,
    user: Any,
    sheet: Sheet,
    self_points: Mapping[int, Entered] | None = None,
    reviewed: Mapping[int, Entered] | None = None,
    version: int | None = None,
) -> Sheet:
    """Store the branch's self-assessment or the reviewer's scores, with the entries refreshed from the records.
    With ``version`` (what the form was opened at), a sheet changed since is refused with :class:`EditConflict`."""
    sheet = _locked(sheet, version)
    _save(user, sheet, self_points, reviewed)
    Transition.objects.create(
        sheet=sheet, action=Action.SAVE, from_state=sheet.state, to_state=sheet.state, by=user, reason=""
    )
    return sheet


def _save(
    user: Any, sheet: Sheet, self_points: Mapping[int, Entered] | None, reviewed: Mapping[int, Entered] | None
) -> None:
    if sheet.is_frozen:
        raise PermissionDenied(_("An approved sheet cannot be changed; return it first."))
    if self_points is not None and not (sheet.state == State.DRAFT and assesses_for_branch(user, sheet.branch)):
        raise PermissionDenied(_("Only the branch itself assesses its sheet, while it is a draft."))
    if reviewed is not None and not (sheet.state == State.SUBMITTED and reviews_for_branch(user, sheet.branch)):
        raise PermissionDenied(_("Only office staff of a committee above the branch review a submitted sheet."))
    scheme = load_scheme(sheet.scheme_id)
    check_entered(scheme, {**(self_points or {}), **(reviewed or {})})
    create, update = _save_entries(
        sheet, scheme, _figures_for(sheet, scheme), self_points=self_points, reviewed=reviewed
    )
    _write([sheet], create, update, user)


# ---- The workflow ------------------------------------------------------------------------------------------------
# action: (states it starts from, state it leads to)
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    Action.SUBMIT: ((State.DRAFT,), State.SUBMITTED),
    Action.REVIEW: ((State.SUBMITTED,), State.REVIEWED),
    Action.APPROVE: ((State.REVIEWED,), State.APPROVED),
    Action.RETURN: ((State.SUBMITTED, State.REVIEWED, State.APPROVED), State.DRAFT),
}


def may_move(user: Any, sheet: Sheet, action: str) -> bool:
    """Whether ``user`` may take ``action`` on ``sheet`` now: the branch submits its own draft, office staff of a
    committee above review what was submitted, a leader approves what was reviewed; whoever acts on a step may
    return the sheet from it (a leader also an approved one)."""
    starts, _target = MOVES[action]
    if sheet.state not in starts:
        return False
    branch = sheet.branch
    if action == Action.SUBMIT:
        return assesses_for_branch(user, branch)
    if action == Action.REVIEW:
        return reviews_for_branch(user, branch)
    if action == Action.APPROVE:
        return approves_for_branch(user, branch)
    if sheet.state == State.SUBMITTED:
        return reviews_for_branch(user, branch) or approves_for_branch(user, branch)
    return approves_for_branch(user, branch)


@transaction.atomic
def sheet_move(
    *,
    user: Any,
    sheet: Sheet,
    action: str,
    reason: str = "",
    version: int | None = None,
    self_points: Mapping[int, Entered] | None = None,
    reviewed: Mapping[int, Entered] | None = None,
) -> Sheet:
    """Take one step of the workflow. Approval stores the entries as the records give them now (frozen).

    What the form shows is saved in the same transaction first: the branch's self-assessment when it submits its
    draft, the reviewer's scores when office staff mark a submitted sheet reviewed or return it. Anything refused
    (a score out of range, no reason for a return, a sheet changed since ``version``) writes nothing."""
    sheet = _locked(sheet, version)
    if action not in MOVES:
        raise ValidationError(_("Unknown action."))
    if not may_move(user, sheet, action):
        raise PermissionDenied(_("You may not do this with this sheet in its present state."))
    reason = reason.strip()
    if action == Action.RETURN and not reason:
        raise ValidationError(_("Give the reason for returning the sheet."))
    if len(reason) > REASON_LENGTH:
        raise ValidationError(_("The reason for returning: at most %(n)s characters.") % {"n": REASON_LENGTH})
    if self_points and sheet.state == State.DRAFT and assesses_for_branch(user, sheet.branch):
        _save(user, sheet, self_points, None)
    if reviewed and sheet.state == State.SUBMITTED and reviews_for_branch(user, sheet.branch):
        _save(user, sheet, None, reviewed)
    _move([sheet], user, action, reason)
    return sheet


def _move(sheets: list[Sheet], user: Any, action: str, reason: str) -> None:
    target = MOVES[action][1]
    transitions = [
        Transition(sheet=s, action=action, from_state=s.state, to_state=target, by=user, reason=reason) for s in sheets
    ]
    now = timezone.now()
    create: list[Entry] = []
    update: list[Entry] = []
    if target != State.DRAFT:
        by_scheme: dict[int, list[Sheet]] = {}
        for sheet in sheets:
            by_scheme.setdefault(sheet.scheme_id, []).append(sheet)
        existing: dict[int, dict[int, Entry]] = {s.pk: {} for s in sheets}
        for entry in Entry.objects.filter(sheet__in=[s.pk for s in sheets]):
            existing[entry.sheet_id][entry.item_id] = entry
        for scheme_id, group in by_scheme.items():
            scheme = load_scheme(scheme_id)
            top = _common_committee([s.branch.committee for s in group])
            figures = compute_figures(scheme, top, group[0].scheme.year)
            for sheet in group:
                c, u = _save_entries(sheet, scheme, figures, existing=existing[sheet.pk])
                create += c
                update += u
    for sheet in sheets:
        sheet.state = target
        sheet.returned_reason = reason if action == Action.RETURN else ""
        sheet.approved_at = now if target == State.APPROVED else None
    _write(sheets, create, update, user)
    Transition.objects.bulk_create(transitions, batch_size=BATCH)


def _common_committee(committees: list[Committee]) -> Committee:
    """The deepest committee whose subtree holds all of ``committees``."""
    prefix = committees[0].path
    for committee in committees[1:]:
        while not committee.path.startswith(prefix):
            prefix = prefix[: len(prefix) - Committee.steplen]
    found = next((c for c in committees if c.path == prefix), None)
    return found if found is not None else Committee.objects.get(path=prefix)


@transaction.atomic
def sheets_approve(
    *, user: Any, scheme: Scheme, committee: Committee, expected: Mapping[int, int] | None = None
) -> int:
    """Approve every reviewed sheet of ``scheme`` in ``committee``'s subtree that ``user`` may approve.

    ``expected`` is what the page showed and the user confirmed (sheet id → version): exactly those sheets are
    approved, or none when one of them changed since (:class:`EditConflict` for the first); a sheet reviewed since
    the page was shown waits for the next approval."""
    sheets = list(
        Sheet.objects.select_for_update(of=("self",))
        .filter(scheme=scheme, state=State.REVIEWED, branch__committee__path__startswith=committee.path)
        .select_related("scheme", "branch__committee", "edited_by")
    )
    allowed = [s for s in sheets if may_move(user, s, Action.APPROVE)]
    if expected is not None:
        now = {s.pk: s for s in allowed}
        changed = [now[pk] for pk, version in expected.items() if pk in now and now[pk].version != version]
        if changed:
            raise EditConflict(changed[0])
        gone = [pk for pk in expected if pk not in now]  # no longer awaiting approval (returned, approved …)
        if gone:
            moved = Sheet.objects.select_related("edited_by", "branch").filter(pk__in=gone).first()
            if moved is None:
                raise ValidationError(_("The list of sheets to approve was out of date: check it and approve again."))
            raise EditConflict(moved)
        allowed = [now[pk] for pk in expected]
    if allowed:
        _move(allowed, user, Action.APPROVE, "")
    return len(allowed)


# ---- Schemes -----------------------------------------------------------------------------------------------------
@transaction.atomic
def scheme_copy(*, scheme: Scheme, year: int | None = None) -> Scheme:
    """A draft copy of ``scheme`` for ``year`` (the next year by default), with everything under it."""
    year = year if year is not None else scheme.year + 1
    if Scheme.objects.filter(committee=scheme.committee, year=year).exists():
        raise ValidationError(
            _("%(committee)s already has a scheme for %(year)s.") % {"committee": scheme.committee, "year": year}
        )
    copy = Scheme.objects.create(
        committee=scheme.committee,
        year=year,
        name=scheme.name,
        total_cap=scheme.total_cap,
        first_author_share=scheme.first_author_share,
        copied_from=scheme,
    )
    categories = {}
    for category in Category.objects.filter(scheme=scheme):
        old = category.pk
        category.pk, category.scheme = None, copy
        category.save()
        categories[old] = category
    for item in Item.objects.filter(scheme=scheme).prefetch_related("steps"):
        steps = list(item.steps.all())
        item.pk, item.scheme, item.category = None, copy, categories[item.category_id]
        item.save()
        LadderStep.objects.bulk_create(LadderStep(item=item, level=s.level, bonus=s.bonus) for s in steps)
    GradeBand.objects.bulk_create(
        GradeBand(scheme=copy, name=b.name, minimum=b.minimum) for b in GradeBand.objects.filter(scheme=scheme)
    )
    return copy
