"""The three things one does with an import: check it (dry run), commit it, undo it.

``import_check`` reads the file once, in chunks, and stores every row's parsed values and result; nothing
outside the batch is written. ``import_commit`` writes the stored rows in one transaction: either every row
lands or none. When nothing in the records changed since the check (the records version is the one the check
planned against) and the same user with the same reach commits, it writes what the check decided; otherwise
it plans the stored rows again against the database as it is now, and refuses if any row no longer fits.
``import_undo`` reverses a committed batch as a whole, and refuses while any record it touched was edited
afterwards. ``import_discard`` sets aside a checked batch that will not be committed.

Memory stays flat however long the file: rows stream from the workbook, are planned and stored a chunk at a
time, and the commit reads them back a chunk at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import IO, Any, Final

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history, get_history_model_for_model

from committees.access import may_write, role_of
from committees.models import Committee, User, records_version

from .attendance import AttendanceImporter
from .base import Importer, Reach, Row, masked_message
from .members import MemberImporter
from .models import ImportBatch, ImportEffect, ImportRow
from .proposals import ProposalImporter
from .reader import FileRefused, iter_rows, locate_table, open_workbook
from .writing import insert_rows

CHUNK: Final = 1000
IMPORTERS: Final[dict[str, type[Importer]]] = {
    ImportBatch.Kind.MEMBERS: MemberImporter,
    ImportBatch.Kind.PROPOSALS: ProposalImporter,
    ImportBatch.Kind.ATTENDANCE: AttendanceImporter,
}


class ImportRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    return int(getattr(settings, "IMPORTS_MAX_BYTES", 10 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "IMPORTS_MAX_ROWS", 20_000))


def may_import(user: Any) -> bool:
    """Office staff (their subtree) and administrators (everything) import; leaders and branches do not."""
    return role_of(user) in (User.Role.ADMIN, User.Role.STAFF) and may_write(user, ImportBatch)


def home_of(user: Any) -> Committee:
    committee = getattr(user, "committee", None)
    if committee is not None:
        return committee  # type: ignore[no-any-return]
    root = Committee.get_first_root_node()
    if root is None:
        raise ImportRefused(_("There is no committee to import into yet."))
    return root  # type: ignore[no-any-return]


def importer_for(batch: ImportBatch, user: Any, present: frozenset[str]) -> Importer:
    reach = Reach(user, batch.committee)
    return IMPORTERS[batch.kind](batch, user, reach, present)


def _chunks(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _stored(importer: Importer, row: Row) -> dict[str, Any]:
    """The row as the batch keeps it (an ``ImportRow``'s attribute values)."""
    values = {key: importer.field_map[key].to_json(value) for key, value in row.values.items()}
    return {
        "batch_id": importer.batch.pk,
        "number": row.number,
        "action": row.action,
        "key": row.key[:300],
        "label": row.label[:300],
        "values": values,
        "errors": row.errors,
        "changes": _json_changes(importer, row),
        "plan": importer.saved_plan(row) if not row.errors else {},
        "object_id": row.object_id,
    }


def _json_changes(importer: Importer, row: Row) -> list[list[Any]]:
    out = []
    for key, old, new in row.changes:
        f = importer.field_map.get(key)
        out.append([key, f.to_json(old) if f else old, f.to_json(new) if f else new])
    return out


def _count(batch: ImportBatch) -> None:
    counts = dict(batch.rows.values_list("action").annotate(n=models.Count("pk")).order_by())
    batch.rows_new = counts.get(ImportRow.Action.NEW, 0)
    batch.rows_updated = counts.get(ImportRow.Action.UPDATED, 0)
    batch.rows_unchanged = counts.get(ImportRow.Action.UNCHANGED, 0)
    batch.rows_error = counts.get(ImportRow.Action.ERROR, 0)
    batch.rows_total = sum(counts.values())


def plan_basis(user: Any) -> str:
    """What a check's plan rests on: the records version and the user's reach (who, with which role and
    place). Empty (never reused) when the version is unknown."""
    version = records_version()
    if version is None:
        return ""
    place = (getattr(user, "committee_id", None), getattr(user, "branch_id", None))
    return f"{version}|{user.pk}|{role_of(user)}|{place[0]}|{place[1]}"[:200]


def import_check(*, user: Any, kind: str, stream: IO[bytes], file_name: str, size: int) -> ImportBatch:
    """The dry run: a batch with every row's result; raises :class:`FileRefused` (nothing written) for a bad
    file."""
    if not may_import(user):
        raise ImportRefused(_("You may not import records."))
    if kind not in IMPORTERS:
        raise ImportRefused(_("Unknown kind of import."))
    book = open_workbook(stream, size=size, max_bytes=max_bytes())
    try:
        table = locate_table(book, IMPORTERS[kind].fields)
        with transaction.atomic():
            basis = plan_basis(user)  # read before any row is planned: a later change shows in the version
            batch = ImportBatch.objects.create(
                kind=kind,
                committee=home_of(user),
                user=user,
                username=user.get_username(),
                file_name=file_name[:255],
                file_size=size,
                sheet_name=table.sheet_name[:100],
                unknown_columns=table.unknown,
                plan_basis=basis,
            )
            importer = importer_for(batch, user, table.present)
            for raw_rows in _chunks(iter_rows(table, max_rows=max_rows()), CHUNK):
                rows = [importer.parse(raw) for raw in raw_rows]
                importer.plan(rows)
                insert_rows(ImportRow, [_stored(importer, row) for row in rows])
            _count(batch)
            if batch.rows_total == 0:
                raise FileRefused(
                    _("The sheet “%(sheet)s” has no data rows under its header.") % {"sheet": table.sheet_name}
                )
            batch.save()
    finally:
        book.close()
    return batch


def _saved_chunks(batch: ImportBatch) -> Iterator[list[dict[str, Any]]]:
    """The stored rows a chunk at a time, as plain dicts (no model instances: the commit reads every row)."""
    last = 0
    while True:
        chunk: list[dict[str, Any]] = [
            dict(row)
            for row in batch.rows.filter(number__gt=last)
            .order_by("number")
            .values("number", "action", "key", "values", "plan")[:CHUNK]
        ]
        if not chunk:
            return
        yield chunk
        last = chunk[-1]["number"]


def import_commit(*, user: Any, batch: ImportBatch) -> ImportBatch:
    """Write a checked batch in one transaction, or nothing (:class:`ImportRefused` says why)."""
    if not may_import(user):
        raise ImportRefused(_("You may not import records."))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportBatch.State.CHECKED:
            raise ImportRefused(_("This import has already been committed or undone."))
        if batch.rows_error:
            raise ImportRefused(_("The file has rows with errors: correct them and upload it again."))
        batch.committed_at = timezone.now()
        batch.history_reason = _("Import #%(id)s: %(file)s") % {"id": batch.pk, "file": batch.file_name}
        present = frozenset(f.key for f in IMPORTERS[batch.kind].fields)  # the stored values hold what the file had
        importer = importer_for(batch, user, present)
        reuse = bool(batch.plan_basis) and batch.plan_basis == plan_basis(user)
        for saved in _saved_chunks(batch):
            if reuse:
                rows = importer.resume(saved)
            else:
                rows = [importer.row_from_saved(s) for s in saved]
                importer.plan(rows)
            failed = [r for r in rows if r.errors]
            if failed:
                first = failed[0]
                raise ImportRefused(
                    _(
                        "Row %(row)s no longer fits the records (%(message)s): they changed since the check. "
                        "Upload the file again."
                    )
                    % {
                        "row": first.number,
                        "message": masked_message(user, first.errors[0]["message"], first.errors[0]["column"]),
                    }
                )
            moved = next((r for r, s in zip(rows, saved, strict=True) if r.action != s["action"]), None)
            if moved is not None:
                raise ImportRefused(
                    _("Row %(row)s: the records changed since the check. Upload the file again.")
                    % {"row": moved.number}
                )
            importer.apply(rows)
            ImportEffect.objects.create(batch=batch, **_effects(rows))
        _count(batch)
        batch.state = ImportBatch.State.COMMITTED
        batch.save()
    return batch


def _effects(rows: Sequence[Row]) -> dict[str, Any]:
    created: dict[str, list[int]] = defaultdict(list)
    updated: dict[str, dict[str, Any]] = defaultdict(dict)
    deleted: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        for label, ids in row.effects.get("created", {}).items():
            created[label].extend(ids)
        for label, changes in row.effects.get("updated", {}).items():
            updated[label].update(changes)
        for label, values in row.effects.get("deleted", {}).items():
            deleted[label].extend(values)
    return {
        "first_number": rows[0].number,
        "last_number": rows[-1].number,
        "objects_by_row": {str(r.number): r.object_id for r in rows if r.action == ImportRow.Action.NEW},
        "created": created,
        "updated": updated,
        "deleted": deleted,
    }


def new_records(batch: ImportBatch, numbers: Sequence[int]) -> dict[int, int]:
    """The records the commit created for the rows ``numbers`` (one query)."""
    if not numbers:
        return {}
    found: dict[int, int] = {}
    for effect in batch.effects.filter(first_number__lte=max(numbers), last_number__gte=min(numbers)):
        for number, pk in effect.objects_by_row.items():
            found[int(number)] = pk
    return found


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def import_undo(*, user: Any, batch: ImportBatch) -> ImportBatch:
    """Reverse a committed batch as a whole: created records deleted, updated ones restored, replaced ones
    recreated, each with history. Refused while any of them was changed after the import."""
    if not may_import(user):
        raise ImportRefused(_("You may not import records."))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportBatch.State.COMMITTED:
            raise ImportRefused(_("Only a committed import can be undone."))
        created: dict[str, list[int]] = defaultdict(list)
        updated: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        deleted: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for effect in batch.effects.order_by("first_number"):
            for label, ids in effect.created.items():
                created[label].extend(ids)
            for label, changes in effect.updated.items():
                updated[label].update(changes)
            for label, values in effect.deleted.items():
                deleted[label].extend(values)
        _refuse_later_edits(batch, created, updated)
        reason = _("Undo of import #%(id)s: %(file)s") % {"id": batch.pk, "file": batch.file_name}
        now = timezone.now()
        options = {
            "default_user": user if getattr(user, "pk", None) else None,
            "default_change_reason": reason,
            "default_date": now,
        }
        _delete_created(batch, created, reason)
        for label, changes in updated.items():
            model = _model(label)
            objs = list(model._default_manager.filter(pk__in=[int(pk) for pk in changes]))
            fields: set[str] = set()
            by_attname = {f.attname: f for f in model._meta.concrete_fields}
            for obj in objs:
                for attname, value in changes[str(obj.pk)].items():
                    field = by_attname[attname]
                    setattr(obj, attname, field.to_python(value))
                    fields.add(field.name)
            if objs:
                bulk_update_with_history(objs, model, sorted(fields), batch_size=500, **options)
        for label, rows in deleted.items():
            model = _model(label)
            by_attname = {f.attname: f for f in model._meta.concrete_fields}
            objs = [model(**{k: by_attname[k].to_python(v) for k, v in values.items()}) for values in rows]
            model._default_manager.bulk_create(objs)
            history: Any = model.history  # type: ignore[attr-defined]
            history.bulk_history_create(
                objs, default_user=options["default_user"], default_change_reason=reason, default_date=now
            )
        batch.state = ImportBatch.State.UNDONE
        batch.undone_at = now
        batch.undone_by = user.get_username()
        batch.save()
    return batch


def import_discard(*, user: Any, batch: ImportBatch) -> ImportBatch:
    """Set aside a checked batch that will not be committed: its checked rows (the file's contents) are
    deleted, the batch stays with its counts and who discarded it when. Nothing outside the batch is
    written."""
    if not may_import(user):
        raise ImportRefused(_("You may not import records."))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportBatch.State.CHECKED:
            raise ImportRefused(_("Only a checked import that was not committed can be discarded."))
        batch.rows.all().delete()
        batch.state = ImportBatch.State.DISCARDED
        batch.discarded_at = timezone.now()
        batch.discarded_by = user.get_username()
        batch.save()
    return batch


def _refuse_later_edits(
    batch: ImportBatch, created: dict[str, list[int]], updated: dict[str, dict[str, dict[str, Any]]]
) -> None:
    touched: dict[str, set[int]] = defaultdict(set)
    for label, ids in created.items():
        touched[label].update(ids)
    for label, changes in updated.items():
        touched[label].update(int(pk) for pk in changes)
    for label, id_set in touched.items():
        history = get_history_model_for_model(_model(label))
        id_list = sorted(id_set)
        for start in range(0, len(id_list), 5000):
            later = (
                history.objects.filter(id__in=id_list[start : start + 5000], history_date__gte=batch.committed_at)
                .exclude(history_change_reason=batch.history_reason)
                .order_by("history_date")
                .first()
            )
            if later is not None:
                raise ImportRefused(
                    _(
                        "“%(record)s” was changed on %(when)s, after the import; "
                        "the import can no longer be undone as a whole."
                    )
                    % {
                        "record": later.instance,
                        "when": timezone.localtime(later.history_date).strftime("%Y-%m-%d %H:%M"),
                    }
                )


def _delete_created(batch: ImportBatch, created: dict[str, list[int]], reason: str) -> None:
    """Delete what the batch created, with a history row carrying ``reason`` for each; refused when a record
    made later depends on one of them (it would be deleted along, or it protects it)."""
    if not created:
        return
    collector = Collector(using=DEFAULT_DB_ALIAS)
    ours: dict[type[models.Model], set[int]] = {}
    order = [label for label in created]
    for label in order:
        model = _model(label)
        ours[model] = set(created[label])
    try:
        for label in order:
            model = _model(label)
            objs = list(model._default_manager.filter(pk__in=created[label]))
            for obj in objs:
                obj._change_reason = reason  # type: ignore[attr-defined]
            collector.collect(objs)
    except (ProtectedError, RestrictedError) as error:
        example = next(iter(error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects))
        raise ImportRefused(
            _("“%(record)s”, entered after the import, refers to its records; the import cannot be undone.")
            % {"record": example}
        ) from None
    for model, instances in collector.data.items():
        extra = [obj for obj in instances if obj.pk not in ours.get(model, set())]
        if extra:
            raise ImportRefused(
                _("“%(record)s”, entered after the import, depends on its records; the import cannot be undone.")
                % {"record": extra[0]}
            )
    dependants = [*collector.fast_deletes, *(objs for group in collector.field_updates.values() for objs in group)]
    if any(objs.exists() if isinstance(objs, models.QuerySet) else bool(objs) for objs in dependants):
        raise ImportRefused(_("Records entered after the import refer to its records; the import cannot be undone."))
    collector.delete()


def rows_for(batch: ImportBatch, actions: Sequence[str] | None = None) -> models.QuerySet[ImportRow]:
    rows = batch.rows.all()
    if actions:
        rows = rows.filter(action__in=actions)
    return rows.order_by("number")
