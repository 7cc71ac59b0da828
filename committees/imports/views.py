"""The pages under /imports/: templates, upload, the checked rows, commit and undo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import may_see_personal_data, visible_to
from committees.privacy import PERSONAL_FIELDS, shown
from committees.services import export_log_create
from reporting.excel import xlsx_response

from . import services
from .base import Importer, masked_message
from .columns import Field
from .downloads import roster_queryset, roster_rows, write_template
from .forms import UploadForm
from .models import ImportBatch, ImportRow
from .reader import FileRefused

PER_PAGE = 200
FILTERS = {
    "all": (),
    "errors": (ImportRow.Action.ERROR,),
    "new": (ImportRow.Action.NEW,),
    "updated": (ImportRow.Action.UPDATED,),
    "unchanged": (ImportRow.Action.UNCHANGED,),
}


def _importer(kind: str) -> type[Importer]:
    importer = services.IMPORTERS.get(kind)
    if importer is None:
        raise Http404("No such import")
    return importer


def _require_importer(request: HttpRequest) -> None:
    if not services.may_import(request.user):
        raise PermissionDenied(_("You may not import records."))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    kinds = [(kind, importer.title) for kind, importer in services.IMPORTERS.items()]
    batches = visible_to(request.user, ImportBatch).select_related("committee")[:20]
    return render(
        request,
        "imports/index.html",
        {"kinds": kinds, "batches": batches, "may_import": services.may_import(request.user)},
    )


@login_required
def template_xlsx(request: HttpRequest, kind: str) -> HttpResponseBase:
    importer = _importer(kind)
    _require_importer(request)
    committee = services.home_of(request.user)
    title = str(importer.title)

    def build(book: Any) -> None:
        write_template(
            book,
            fields=importer.fields,
            title=title,
            user=request.user,
            unit=committee.name,
            max_rows=services.max_rows(),
        )

    return xlsx_response(_("%(title)s import template.xlsx") % {"title": title}, build)


@login_required
def roster_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The member template filled with the user's members: edit it and import it back."""
    _require_importer(request)
    committee = services.home_of(request.user)
    importer = services.IMPORTERS[ImportBatch.Kind.MEMBERS]
    title = str(importer.title)
    counted = {"rows": 0}

    def build(book: Any) -> None:
        counted["rows"] = write_template(
            book,
            fields=importer.fields,
            title=title,
            user=request.user,
            unit=committee.name,
            max_rows=services.max_rows(),
            rows=roster_rows(request.user, roster_queryset(request.user, committee)),
        )

    response = xlsx_response(_("%(committee)s member roster.xlsx") % {"committee": committee.name}, build)
    export_log_create(
        user=request.user,
        kind="imports.roster",
        committee=committee,
        rows=counted["rows"],
        contains_personal_data=may_see_personal_data(request.user),
        path=request.path,
    )
    return response


@login_required
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    importer = _importer(kind)
    _require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            batch = services.import_check(
                user=request.user, kind=kind, stream=file, file_name=file.name, size=file.size
            )
        except (FileRefused, services.ImportRefused) as refusal:
            form.add_error("file", refusal.message)
        else:
            return HttpResponseRedirect(reverse("imports-batch", args=[batch.pk]))
    return render(
        request,
        "imports/upload.html",
        {
            "kind": kind,
            "title": importer.title,
            "form": form,
            "fields": importer.fields,
            "max_rows": services.max_rows(),
            "max_mb": services.max_bytes() // 2**20,
        },
    )


@dataclass
class Detail:
    column: str
    value: str
    message: str = ""
    new: str = ""


def _display(user: Any, f: Field | None, key: str, value: Any) -> str:
    if value in (None, "", []):
        return "–"
    if key in PERSONAL_FIELDS:
        return shown(user, key, str(value))
    if f is not None and f.choice is not None:
        try:
            return f.choice.label(value)
        except ValueError:
            return str(value)
    if isinstance(value, bool) or (f is not None and f.kind == "bool"):
        return _("yes") if value else _("no")
    if f is not None and f.kind == "date" and isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.year}年{day.month}月{day.day}日"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _details(user: Any, row: ImportRow, fields: dict[str, Field]) -> list[Detail]:
    details = []
    for error in row.errors:
        f = fields.get(error["column"])
        value = error.get("value", "")
        if error["column"] in PERSONAL_FIELDS:
            value = shown(user, error["column"], value)
        message = masked_message(user, error["message"], error["column"])
        details.append(Detail(str(f.label) if f else "", value or "–", message))
    for key, old, new in row.changes:
        f = fields.get(key)
        details.append(Detail(str(f.label) if f else key, _display(user, f, key, old), new=_display(user, f, key, new)))
    return details


RECORD_ADMIN: dict[str, str] = {ImportBatch.Kind.MEMBERS: "member", ImportBatch.Kind.PROPOSALS: "proposal"}


def _record_links(batch: ImportBatch, rows: list[ImportRow]) -> dict[int, str]:
    """Links to the admin page of the record each row created or updated (members and proposals)."""
    model = RECORD_ADMIN.get(batch.kind)
    if model is None or batch.state == ImportBatch.State.UNDONE:
        return {}
    ids = {row.number: row.object_id for row in rows if row.object_id}
    if batch.state == ImportBatch.State.COMMITTED:
        ids.update(services.new_records(batch, [r.number for r in rows if r.action == ImportRow.Action.NEW]))
    return {number: reverse(f"admin:committees_{model}_change", args=[pk]) for number, pk in ids.items()}


@login_required
def batch_page(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(visible_to(request.user, ImportBatch).select_related("committee"), pk=pk)
    importer = _importer(batch.kind)
    fields = {f.key: f for f in importer.fields}
    show = request.GET.get("show") or ("errors" if batch.rows_error else "all")
    if show not in FILTERS:
        show = "all"
    rows = services.rows_for(batch, FILTERS[show])
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    links = _record_links(batch, list(page.object_list))
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "title": importer.title,
            "show": show,
            "filters": [
                ("all", _("All rows"), batch.rows_total),
                ("errors", _("Errors"), batch.rows_error),
                ("new", _("New"), batch.rows_new),
                ("updated", _("Updated"), batch.rows_updated),
                ("unchanged", _("Unchanged"), batch.rows_unchanged),
            ],
            "page": page,
            "rows": [(row, _details(request.user, row, fields), links.get(row.number)) for row in page.object_list],
            "may_import": services.may_import(request.user),
        },
    )


@require_POST
@login_required
def batch_commit(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    batch = get_object_or_404(visible_to(request.user, ImportBatch), pk=pk)
    _require_importer(request)
    try:
        batch = services.import_commit(user=request.user, batch=batch)
    except services.ImportRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Committed: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
            % {"new": batch.rows_new, "updated": batch.rows_updated, "unchanged": batch.rows_unchanged},
        )
    return HttpResponseRedirect(reverse("imports-batch", args=[batch.pk]))


def _confirmed(request: HttpRequest, batch: ImportBatch, action: str) -> HttpResponse | None:
    """The confirmation page for ``action`` on ``batch``, unless the POST came from it."""
    if request.POST.get("confirmed") == "yes":
        return None
    return render(
        request,
        "imports/confirm.html",
        {"batch": batch, "action": action, "title": _importer(batch.kind).title},
    )


def _confirmed_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Undo or discard ``pk`` once the user has confirmed it on the confirmation page."""
    batch = get_object_or_404(visible_to(request.user, ImportBatch).select_related("committee"), pk=pk)
    _require_importer(request)
    if (page := _confirmed(request, batch, action)) is not None:
        return page
    step, done = {
        "undo": (services.import_undo, _("The import was undone.")),
        "discard": (services.import_discard, _("The checked import was discarded; nothing was saved.")),
    }[action]
    try:
        step(user=request.user, batch=batch)
    except services.ImportRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("imports-batch", args=[batch.pk]))


@require_POST
@login_required
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_step(request, pk, "undo")


@require_POST
@login_required
def batch_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_step(request, pk, "discard")
