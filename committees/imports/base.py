"""What every importer shares: the reach of the importing user, parsed rows, and writing with history."""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from committees.access import may_see_personal_data, may_write_object, reportable_committees, role_of
from committees.models import Branch, Committee, Member, User
from committees.privacy import MASKERS, PERSONAL_FIELDS, mask_id_number, mask_phone

from .columns import Field
from .models import ImportBatch, ImportRow
from .parsers import CellError, clean_text, describe
from .reader import RawRow, header_key
from .writing import create_with_history

_QUOTED = re.compile(r"“([^”]*)”")
_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{14,17}[0-9Xx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def masked_message(user: Any, message: str, column: str = "") -> str:
    """A row's message as ``user`` may read it, masked as the value column beside it is: in a personal
    column's message every quoted value (“…”), and in any message whatever looks like an ID number or a
    mobile number (a message about one column may name another's value, e.g. whose ID number it is)."""
    if may_see_personal_data(user):
        return message
    if column in PERSONAL_FIELDS:
        mask = MASKERS[column]
        message = _QUOTED.sub(lambda found: f"“{mask(found.group(1))}”", message)
    message = _ID_NUMBER.sub(lambda found: mask_id_number(found.group()), message)
    return _PHONE.sub(lambda found: mask_phone(found.group()), message)


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


@dataclass(slots=True)
class Row:
    """A data row on its way through the dry run or the commit."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, object] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    action: str = ""
    key: str = ""
    label: str = ""
    changes: list[list[Any]] = field(default_factory=list)
    object_id: int | None = None
    effects: dict[str, Any] = field(default_factory=dict)
    # Transient: what the plan will write.
    target: Any = None
    plan: dict[str, Any] = field(default_factory=dict)

    def error(self, column: Field | str | None, message: str, value: object = None) -> None:
        if isinstance(column, Field):
            shown = describe(self.raw.get(column.key)) if value is None else describe(value)
            self.errors.append({"column": column.key, "value": shown, "message": message})
        else:
            self.errors.append({"column": column or "", "value": describe(value), "message": message})

    def has(self, key: str) -> bool:
        return key in self.values and self.values[key] not in ("", None, [])

    def created(self, obj: models.Model) -> None:
        self.effects.setdefault("created", {}).setdefault(label_of(type(obj)), []).append(obj.pk)

    def updated(self, obj: models.Model, before: dict[str, Any]) -> None:
        self.effects.setdefault("updated", {}).setdefault(label_of(type(obj)), {})[str(obj.pk)] = before

    def deleted(self, obj: models.Model) -> None:
        values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
        self.effects.setdefault("deleted", {}).setdefault(label_of(type(obj)), []).append(values)


def norm(text: str) -> str:
    return header_key(text)


class Reach:
    """Where the importing user's rows may land: the committees of their subtree (everything for
    administrators), as :func:`committees.access.reportable_committees` says."""

    def __init__(self, user: Any, committee: Committee) -> None:
        self.user = user
        self.root = committee
        self.whole_tree = role_of(user) == User.Role.ADMIN
        self.committees = {c.pk: c for c in reportable_committees(user).order_by("path")}
        self._by_name: dict[str, list[Committee]] = defaultdict(list)
        for c in self.committees.values():
            for name in {c.code, c.name, c.short_name}:
                if name:
                    self._by_name[norm(name)].append(c)
        self._outside: dict[str, bool] = {}

    def member_q(self, prefix: str = "") -> Q:
        if self.whole_tree:
            return Q()
        return Q(**{f"{prefix}committee__path__startswith": self.root.path})

    def contains(self, committee_id: int | None) -> bool:
        return committee_id in self.committees

    def committee(self, text: str) -> Committee:
        found = self._by_name.get(norm(text), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise CellError(_("Several committees are called “%(name)s”; enter the code.") % {"name": text})
        key = norm(text)
        if key not in self._outside:
            self._outside[key] = Committee.objects.filter(Q(code=text) | Q(name=text) | Q(short_name=text)).exists()
        if self._outside[key]:
            raise CellError(_("“%(name)s” is outside your committees; you may not import into it.") % {"name": text})
        raise CellError(_("There is no committee “%(name)s”.") % {"name": text})


class BranchFinder:
    """Branches named in a chunk of rows, looked up in one query (plus one for names outside the reach)."""

    def __init__(self, reach: Reach, names: Iterable[str]) -> None:
        self.reach = reach
        wanted = {n for n in names if n}
        self.by_name: dict[str, list[Branch]] = defaultdict(list)
        if wanted:
            for branch in Branch.objects.filter(reach.member_q(), name__in=wanted):
                branch.committee = reach.committees[branch.committee_id]
                self.by_name[branch.name].append(branch)
        missing = wanted - set(self.by_name)
        self.outside = set(Branch.objects.filter(name__in=missing).values_list("name", flat=True)) if missing else set()

    def find(self, name: str, committee: Committee | None) -> Branch:
        candidates = self.by_name.get(name, [])
        if committee is not None:
            candidates = [b for b in candidates if b.committee_id == committee.pk]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise CellError(_("Several branches are called “%(name)s”; fill in the committee column.") % {"name": name})
        if name in self.outside and committee is None:
            raise CellError(_("The branch “%(name)s” is outside your committees.") % {"name": name})
        if committee is not None:
            raise CellError(_("%(committee)s has no branch “%(name)s”.") % {"committee": committee.name, "name": name})
        raise CellError(_("There is no branch “%(name)s” in your committees.") % {"name": name})


class Importer(ABC):
    """One kind of import. Subclasses declare ``fields`` and implement :meth:`plan` and :meth:`apply`.

    ``plan`` sees a chunk of parsed rows, looks up what they refer to in a fixed number of queries and
    decides each row's action (new, updated, unchanged, error) and changes; ``apply`` writes what the plan
    decided, with history. The dry run plans; the commit plans again against the database as it is then
    and applies.
    """

    kind: ClassVar[str]
    fields: ClassVar[tuple[Field, ...]]
    title: ClassVar[Any]
    # Models the commit creates, children first: the order undo deletes them in.
    created_models: ClassVar[tuple[type[models.Model], ...]] = ()

    def __init__(self, batch: ImportBatch, user: Any, reach: Reach, present: frozenset[str]) -> None:
        self.batch = batch
        self.user = user
        self.reach = reach
        self.present = present
        self.field_map = {f.key: f for f in self.fields}
        self._parsed: dict[tuple[str, object], Any] = {}
        self._may_write: dict[tuple[Any, ...], bool] = {}

    # ---- parsing -------------------------------------------------------------------------------------------
    def parse(self, raw: RawRow) -> Row:
        row = Row(raw.number, raw=dict(raw.cells))
        for key, formula in raw.formulas.items():
            row.raw[key] = formula
            row.error(
                self.field_map[key],
                _("A formula: its value is not trusted. Copy the column and paste it back as values."),
                formula,
            )
        cache = self._parsed
        for key, value in raw.cells.items():
            f = self.field_map[key]
            # Coded columns repeat a handful of values: parse each once (the cache is bounded, memory stays flat).
            cacheable = f.kind in ("choice", "bool") and isinstance(value, str)
            if cacheable and (key, value) in cache:
                result = cache[(key, value)]
            else:
                try:
                    result = f.parse(value)
                except CellError as error:
                    result = error
                if cacheable:
                    if len(cache) > 10_000:
                        cache.clear()
                    cache[(key, value)] = result
            if isinstance(result, CellError):
                row.error(f, result.text)
            else:
                row.values[key] = result
        for f in self.fields:
            if f.required and f.key in self.present and f.key not in raw.formulas and not row.has(f.key):
                if not any(e["column"] == f.key for e in row.errors):
                    row.error(f, _("Required: this cell may not be empty."))
        return row

    def row_from_saved(self, saved: dict[str, Any]) -> Row:
        """A row as the dry run stored it (``number``, ``key``, ``values``), to be planned again."""
        values = {key: self.field_map[key].from_json(value) for key, value in saved["values"].items()}
        return Row(saved["number"], values=values, raw=dict(values), key=saved["key"])

    # ---- planning and writing -------------------------------------------------------------------------------
    @abstractmethod
    def plan(self, rows: Sequence[Row]) -> None: ...

    def saved_plan(self, row: Row) -> dict[str, Any]:
        """What of the row's plan the check stores for :meth:`resume` (JSON); nothing by default."""
        return {}

    def resume(self, saved: Sequence[dict[str, Any]]) -> list[Row]:
        """A chunk of stored rows ready to apply, when the records and the importer's reach are still as the
        check saw them (``ImportBatch.plan_basis``). By default every row is planned again."""
        rows = [self.row_from_saved(s) for s in saved]
        self.plan(rows)
        return rows

    @abstractmethod
    def apply(self, rows: Sequence[Row]) -> None: ...

    def check_duplicates(self, rows: Sequence[Row]) -> None:
        """A row naming the same record as an earlier row is an error: the file would say two things."""
        keyed = [r for r in rows if r.key and not r.errors]
        if not keyed:
            return
        first = min(r.number for r in rows)
        earlier = dict(
            ImportRow.objects.filter(batch=self.batch, key__in={r.key for r in keyed}, number__lt=first)
            .order_by("-number")
            .values_list("key", "number")
        )
        for row in sorted(keyed, key=lambda r: r.number):
            if row.key in earlier:
                row.error(None, _("The same record as row %(row)s.") % {"row": earlier[row.key]})
            else:
                earlier[row.key] = row.number

    def may_write(self, row: Row, obj: models.Model) -> bool:
        # The answer depends on the model and where the record lies: asked once per place, not once per row.
        place = (type(obj), getattr(obj, "committee_id", None), getattr(obj, "branch_id", None), obj.pk is None)
        allowed = self._may_write.get(place)
        if allowed is None or getattr(obj, "committee_id", None) is None:
            allowed = self._may_write[place] = may_write_object(self.user, obj)
        if allowed:
            return True
        row.error(None, _("This record lies outside your committees; you may not import it."))
        return False

    def may_write_at(self, row: Row, model: type[models.Model], committee: Committee, branch: Branch | None) -> bool:
        """Whether a new record of ``model`` may be made at this committee and branch (asked once per place)."""
        place = (model, committee.pk, branch.pk if branch else None, True)
        allowed = self._may_write.get(place)
        if allowed is None:
            allowed = self._may_write[place] = may_write_object(self.user, model(committee=committee, branch=branch))
        if not allowed:
            row.error(None, _("This record lies outside your committees; you may not import it."))
        return allowed

    @staticmethod
    def compare(row: Row, obj: models.Model, wanted: dict[str, Any]) -> dict[str, Any]:
        """Set ``wanted`` values on ``obj``; return the previous values of those that differ (and record them
        as the row's changes)."""
        before: dict[str, Any] = {}
        for attname, value in wanted.items():
            old = getattr(obj, attname)
            if old != value:
                before[attname] = old
                row.changes.append([attname, old, value])
                setattr(obj, attname, value)
        return before

    # ---- history --------------------------------------------------------------------------------------------
    @property
    def history_options(self) -> dict[str, Any]:
        return {
            "default_user": self.user if getattr(self.user, "pk", None) else None,
            "default_change_reason": self.batch.history_reason,
            "default_date": self.batch.committed_at,
        }

    def create(self, model: type[models.Model], objs: list[Any]) -> None:
        create_with_history(
            model,
            objs,
            user=self.history_options["default_user"],
            reason=self.batch.history_reason,
            date=self.batch.committed_at,
        )

    def update(self, model: type[models.Model], objs: list[Any], fields: Iterable[str]) -> None:
        names = sorted({f.removesuffix("_id") if f.endswith("_id") else f for f in fields})
        if objs and names:
            bulk_update_with_history(objs, model, names, batch_size=500, **self.history_options)


def settle(row: Row, *, exists: bool) -> None:
    """The row's action from its errors and changes."""
    if row.errors:
        row.action = ImportRow.Action.ERROR
    elif not exists:
        row.action = ImportRow.Action.NEW
    elif row.changes:
        row.action = ImportRow.Action.UPDATED
    else:
        row.action = ImportRow.Action.UNCHANGED


def person_key(name: str, birth: dt.date | None) -> tuple[str, dt.date | None]:
    return (clean_text(name), birth)


def members_in_reach(reach: Reach, *, names: Iterable[str], id_numbers: Iterable[str]) -> list[Member]:
    """Members a chunk of rows may refer to: by ID number anywhere (to report one outside the reach), by name
    inside the reach. Two queries, each on its own index (one query with ``OR`` between them scans the table)."""
    ids = {i for i in id_numbers if i}
    wanted = {n for n in names if n}
    found: dict[int, Member] = {}
    if ids:
        # ``id_number <> ''`` lets PostgreSQL use the partial unique index on ID numbers.
        by_id = Member.objects.filter(id_number__in=ids).exclude(id_number="")
        for member in by_id.select_related("branch").order_by():
            found[member.pk] = member
    if wanted:
        for member in Member.objects.filter(reach.member_q(), name__in=wanted).select_related("branch").order_by():
            found[member.pk] = member
    return [found[pk] for pk in sorted(found)]
