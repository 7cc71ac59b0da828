"""The ranking page, the scoring workbook, a sheet with its workflow, and the records behind each line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from committees.access import (
    approves_for_branch,
    assesses_for_branch,
    reportable_committees,
    reviews_for_branch,
    role_of,
    visible_to,
)
from committees.models import Branch, Committee, User
from committees.services import export_log_create
from reporting.excel import xlsx_response
from reporting.metrics import Metric, Ratio, Scope, registry
from reporting.metrics.engine import Total

from .build import build_ranking, build_sheet
from .compute import describe, plain, scheme_of, schemes_for, work_kind
from .excel import write_scoring_workbook
from .models import Entry, Item, Scheme, Sheet, Transition
from .services import (
    EditConflict,
    Entered,
    may_move,
    sheet_move,
    sheet_save,
    sheets_approve,
    sheets_ensure,
)

PER_PAGE = 100
Action = Transition.Action


def _year(year: int) -> None:
    if not 1945 <= year <= 2100:
        raise Http404


def _scheme_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("scheme", "")
    return int(raw) if raw.isdigit() else None


@login_required
def ranking_page(request: HttpRequest, code: str, year: int) -> HttpResponseBase:
    _year(year)
    if role_of(request.user) == User.Role.BRANCH:
        return _own_sheet(request, code, year)
    committee = get_object_or_404(reportable_committees(request.user), code=code)
    ranking = build_ranking(committee, year, _scheme_param(request))
    children = list(
        Committee.objects.filter(path__startswith=committee.path, depth=committee.depth + 1).order_by("code")
    )
    shown = ranking.scored
    child = request.GET.get("child", "")
    grade = request.GET.get("grade", "")
    state = request.GET.get("state", "")
    if child:
        selected = next((c for c in children if c.code == child), None)
        shown = [s for s in shown if selected and s.committee.path.startswith(selected.path)]
    if grade:
        shown = [s for s in shown if s.grade == grade]
    if state:
        shown = [s for s in shown if s.state == state]
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    categories = ranking.scheme.categories if ranking.scheme else []
    rows = [(s, [s.categories.get(c.pk) for c in categories]) for s in page.object_list]
    approvable = [s for s in ranking.scored if s.state == Sheet.State.REVIEWED and s.sheet_id is not None]
    reviewed = len(approvable)
    may_approve = reviewed > 0 and approves_for_branch(request.user, ranking.scored[0].branch)
    return render(
        request,
        "scoring/ranking.html",
        {
            "committee": committee,
            "year": year,
            "page_name": "scoring",
            "ranking": ranking,
            "page": page,
            "rows": rows,
            "children": children,
            "filters": {"child": child, "grade": grade, "state": state},
            "query": _without_page(request),
            "reviewed_count": reviewed,
            "may_approve": may_approve,
            "approvable": approvable if may_approve else [],
        },
    )


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _own_sheet(request: HttpRequest, code: str, year: int) -> HttpResponseBase:
    """A branch user's scoring page is the branch's own sheet (shown unsaved until the branch first saves it)."""
    branch = request.user.branch  # type: ignore[union-attr]
    if branch is None:
        raise Http404
    committee = Committee.objects.filter(code=code).first()
    if committee is None or not branch.committee.path.startswith(committee.path):
        raise Http404
    schemes = schemes_for(branch.committee, year)
    scheme = scheme_of(branch.committee.path, schemes)
    if scheme is None:
        return render(
            request,
            "scoring/ranking.html",
            {"committee": branch.committee, "year": year, "page_name": "scoring", "ranking": None},
        )
    sheet = Sheet.objects.filter(scheme=scheme, branch=branch).only("pk").first()
    if sheet is not None:
        return redirect("scoring-sheet", sheet.pk)
    return redirect("scoring-branch-sheet", scheme.pk, branch.pk)


def _expected(request: HttpRequest) -> dict[int, int] | None:
    """The sheets a bulk approval was confirmed for, as the page showed them: ``id:version`` pairs."""
    expected: dict[int, int] = {}
    for raw in request.POST.getlist("sheet"):
        pk, _sep, version = raw.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            return None
        expected[int(pk)] = int(version)
    return expected or None


@login_required
@require_POST
def bulk_approve(request: HttpRequest, code: str, year: int) -> HttpResponseRedirect:
    _year(year)
    committee = get_object_or_404(reportable_committees(request.user), code=code)
    schemes = schemes_for(committee, year)
    scheme = next((s for s in schemes if str(s.pk) == request.POST.get("scheme", "")), None)
    if scheme is None:
        raise Http404
    back = f"{reverse('scoring', args=[code, year])}?scheme={scheme.pk}"
    expected = _expected(request)
    if expected is None:
        messages.error(request, _("The list of sheets to approve was out of date: check it and approve again."))
        return redirect(back)
    try:
        approved = sheets_approve(user=request.user, scheme=scheme, committee=committee, expected=expected)
    except EditConflict as conflict:
        messages.error(
            request,
            format_html(
                '{} {} <a href="{}">{}</a>',
                _conflict_text(conflict.sheet),
                _("Nothing was approved: check the list and approve again."),
                _sheet_url(conflict.sheet) + "#history",
                _("See the changes"),
            ),
        )
        return redirect(back)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    if approved:
        messages.success(request, _("%(n)s sheets approved.") % {"n": approved})
    else:
        messages.warning(request, _("No reviewed sheet that you may approve."))
    return redirect(back)


@login_required
def ranking_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponseBase:
    _year(year)
    committee = get_object_or_404(reportable_committees(request.user), code=code)
    ranking = build_ranking(committee, year, _scheme_param(request))
    if ranking.scheme is None:
        raise Http404
    export_log_create(
        user=request.user,
        kind="scoring",
        committee=committee,
        year=year,
        rows=len(ranking.scored),
        path=request.path,
    )
    name = _("%(year)s quantified branch scoring.xlsx") % {"year": year}
    return xlsx_response(name, lambda book: write_scoring_workbook(book, ranking))


def _sheet_for(request: HttpRequest, pk: int) -> Sheet:
    return get_object_or_404(visible_to(request.user, Sheet.objects.for_list().select_related("edited_by")), pk=pk)


def _sheet_url(sheet: Sheet) -> str:
    if sheet.pk is None:
        return reverse("scoring-branch-sheet", args=[sheet.scheme_id, sheet.branch_id])
    return reverse("scoring-sheet", args=[sheet.pk])


def _conflict_text(sheet: Sheet) -> str:
    """该记录已被他人修改, naming who and when (from the sheet's last write)."""
    editor = sheet.edited_by
    who = str(editor) if editor is not None else _("someone else")
    when = formats.date_format(timezone.localtime(sheet.edited_at), "DATETIME_FORMAT") if sheet.edited_at else ""
    return _("This record was changed by someone else (%(sheet)s: %(who)s, %(when)s).") % {
        "sheet": sheet.branch.name,
        "who": who,
        "when": when,
    }


NOTE_LENGTH = Entry._meta.get_field("note").max_length or 300
FIELDS = {"self": gettext_lazy("Self-assessed"), "reviewed": gettext_lazy("Reviewed"), "note": gettext_lazy("Note")}


def _parse(request: HttpRequest, prefix: str, items: list[Item]) -> dict[int, Entered]:
    """The scores of ``prefix`` ("self" or "reviewed") the form posted: only the fields it carries, so that a
    form without them changes nothing; a value that is not a number is refused with its item named."""
    values: dict[int, Entered] = {}
    errors = []
    for item in items:
        key = f"{prefix}-{item.pk}"
        if key not in request.POST:
            continue
        raw = request.POST.get(key, "").strip()
        note = request.POST.get(f"note-{item.pk}")
        try:
            points = Decimal(raw) if raw else None
        except InvalidOperation:
            points = Decimal("NaN")
        named = {"item": item.name, "field": FIELDS[prefix], "value": raw}
        if points is not None and not points.is_finite():
            errors.append(_("%(item)s (%(field)s): “%(value)s” is not a number.") % named)
            continue
        if points is not None and points != points.quantize(Decimal("0.01")):
            errors.append(_("%(item)s (%(field)s): “%(value)s” has more than two decimal places.") % named)
            continue
        if note is not None and len(note.strip()) > NOTE_LENGTH:
            errors.append(
                _("%(item)s (%(field)s): at most %(n)s characters.")
                % {"item": item.name, "field": FIELDS["note"], "n": NOTE_LENGTH}
            )
            continue
        values[item.pk] = Entered(points, note.strip() if note is not None else None)
    if errors:
        raise ValidationError(errors)
    return values


SAVE = "save"
DONE = {
    SAVE: gettext_lazy("The scores were saved."),
    Action.SUBMIT: gettext_lazy("Submitted for review, with the scores on screen."),
    Action.REVIEW: gettext_lazy("Marked as reviewed, with the scores on screen."),
    Action.APPROVE: gettext_lazy("Approved: the sheet is frozen."),
    Action.RETURN: gettext_lazy("Returned to the branch."),
}


@dataclass
class Inputs:
    """What a row's inputs show: what was typed (kept when the form is refused), else what is stored."""

    self_points: str
    reviewed: str
    note: str
    # After a conflict: what is stored now where it differs from what was typed (the other person's value)
    self_stored: str | None = None
    reviewed_stored: str | None = None
    note_stored: str | None = None


def _stored(value: Decimal | None) -> str:
    return plain(value)


def _differs(typed: str, stored: str) -> str | None:
    """What is stored, where it is not what was typed (compared as numbers where both are)."""
    try:
        same = Decimal(typed.strip() or "0") == Decimal(stored or "0") and bool(typed.strip()) == bool(stored)
    except InvalidOperation:
        same = typed.strip() == stored
    return None if same else (stored or "–")


@login_required
def sheet_page(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _sheet_view(request, _sheet_for(request, pk))


@login_required
def branch_sheet_page(request: HttpRequest, scheme: int, branch: int) -> HttpResponseBase:
    """The sheet of a branch that has none stored yet: shown as a draft computed from the records (GET writes
    nothing); the first save or step creates it, in the same transaction."""
    chosen = get_object_or_404(Scheme.objects.select_related("committee"), pk=scheme, status=Scheme.Status.PUBLISHED)
    found = get_object_or_404(visible_to(request.user, Branch.objects.select_related("committee")), pk=branch)
    if scheme_of(found.committee.path, schemes_for(found.committee, chosen.year)) != chosen:
        raise Http404
    stored = visible_to(request.user, Sheet.objects.for_list().select_related("edited_by"))
    existing = stored.filter(scheme=chosen, branch=found).first()
    if existing is not None:
        if request.method != "POST":
            return redirect("scoring-sheet", existing.pk)
        return _sheet_view(request, existing)
    return _sheet_view(request, Sheet(scheme=chosen, branch=found))


def _sheet_view(request: HttpRequest, sheet: Sheet) -> HttpResponseBase:
    user = request.user
    errors: list[str] = []
    conflict: Sheet | None = None
    typed: dict[str, str] = {}
    if request.method == "POST":
        fields = ("self-", "reviewed-", "note-", "reason")
        typed = {k: request.POST.get(k, "") for k in request.POST if k.startswith(fields)}
        action = request.POST.get("action", SAVE)
        if action != SAVE and action not in Action.values:
            raise Http404
        version = _posted_version(request)
        if version is not None and version != sheet.version:
            conflict = sheet  # changed since the form was opened: refused before anything else is looked at
        elif not _may_act(user, sheet, action):
            raise PermissionDenied
        elif version is None:
            errors = [_("This page was opened before the sheet could be kept safe: open it again.")]
        else:
            try:
                sheet = _act(request, sheet, action, version)
            except EditConflict as error:
                conflict = error.sheet
            except ValidationError as error:
                errors = list(error.messages)
            else:
                messages.success(request, DONE[action])
                return redirect("scoring-sheet", sheet.pk)
        if conflict is not None:
            fresh = Sheet.objects.for_list().select_related("edited_by").filter(pk=conflict.pk).first()
            sheet = fresh if fresh is not None else sheet
    return _render_sheet(request, sheet, errors, conflict, typed)


def _posted_version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _may_act(user: Any, sheet: Sheet, action: str) -> bool:
    if action == SAVE:
        return (sheet.state == Sheet.State.DRAFT and assesses_for_branch(user, sheet.branch)) or (
            sheet.state == Sheet.State.SUBMITTED and reviews_for_branch(user, sheet.branch)
        )
    return may_move(user, sheet, action)


def _act(request: HttpRequest, sheet: Sheet, action: str, version: int) -> Sheet:
    """Save what the form shows and take the step, in one transaction: refused as a whole or done as a whole."""
    user = request.user
    items = list(Item.objects.filter(scheme_id=sheet.scheme_id))
    assessing = sheet.state == Sheet.State.DRAFT and assesses_for_branch(user, sheet.branch)
    reviewing = sheet.state == Sheet.State.SUBMITTED and reviews_for_branch(user, sheet.branch)
    self_points = _parse(request, "self", items) if assessing else None
    reviewed = _parse(request, "reviewed", items) if reviewing else None
    with transaction.atomic():
        if sheet.pk is None:  # the first save or step of a branch's sheet creates it
            sheet = sheets_ensure(sheet.scheme, [sheet.branch])[sheet.branch.pk]
        if action == SAVE:
            return sheet_save(user=user, sheet=sheet, self_points=self_points, reviewed=reviewed, version=version)
        reason = request.POST.get("reason", "")
        return sheet_move(
            user=user,
            sheet=sheet,
            action=action,
            reason=reason,
            version=version,
            self_points=self_points,
            reviewed=reviewed,
        )


def _render_sheet(
    request: HttpRequest, sheet: Sheet, errors: list[str], conflict: Sheet | None, typed: dict[str, str]
) -> HttpResponse:
    user = request.user
    branch = sheet.branch
    may_assess = sheet.state == Sheet.State.DRAFT and assesses_for_branch(user, branch)
    may_review = sheet.state == Sheet.State.SUBMITTED and reviews_for_branch(user, branch)
    scheme, scored = build_sheet(sheet)
    moves = [action for action in (Action.SUBMIT, Action.REVIEW, Action.APPROVE) if may_move(user, sheet, action)]
    kept: list[tuple[str, str, str]] = []  # typed values the sheet's new state no longer offers an input for
    by_category = []
    for category in scheme.categories:
        rows = []
        for row in scored.rows:
            if row.item.category_id != category.pk:
                continue
            pk = row.item.pk
            inputs = Inputs(
                typed.get(f"self-{pk}", _stored(row.self_points)),
                typed.get(f"reviewed-{pk}", _stored(row.reviewed_points)),
                typed.get(f"note-{pk}", row.note),
            )
            if conflict is not None:
                inputs.self_stored = _differs(inputs.self_points, _stored(row.self_points))
                inputs.reviewed_stored = _differs(inputs.reviewed, _stored(row.reviewed_points))
                inputs.note_stored = _differs(inputs.note, row.note)
            for prefix, shown, stored in (
                ("self", may_assess, _stored(row.self_points)),
                ("reviewed", may_review, _stored(row.reviewed_points)),
            ):
                value = typed.get(f"{prefix}-{pk}")
                if value and not shown and value.strip() != stored:
                    kept.append((row.item.name, str(FIELDS[prefix]), value))
            rows.append((row, describe(row.item, scheme), inputs))
        by_category.append((category, rows, scored.self_categories[category.pk], scored.categories[category.pk]))
    transitions = sheet.transitions.select_related("by").order_by("at", "pk") if sheet.pk is not None else []
    return render(
        request,
        "scoring/sheet.html",
        {
            "committee": branch.committee,
            "year": sheet.scheme.year,
            "sheet": sheet,
            "sheet_url": _sheet_url(sheet),
            "scheme": scheme,
            "scored": scored,
            "by_category": by_category,
            "may_assess": may_assess,
            "may_review": may_review,
            "moves": moves,
            "may_return": may_move(user, sheet, Action.RETURN),
            "transitions": transitions,
            "errors": errors,
            "conflict": _conflict_text(conflict) if conflict is not None else "",
            "kept": kept,
            "reason": typed.get("reason", ""),
            "ranking_url": _ranking_url(user, sheet),
        },
        status=409 if conflict is not None else 400 if errors else 200,
    )


def _ranking_url(user: Any, sheet: Sheet) -> str | None:
    committee = sheet.branch.committee
    if role_of(user) == User.Role.BRANCH:
        return None
    return reverse("scoring", args=[committee.code, sheet.scheme.year]) + f"?scheme={sheet.scheme_id}"


def evidence_metrics(item: Item) -> list[Metric]:
    """The metrics whose records earned an item's points."""
    codes: list[str] = []
    kind = work_kind(item.metric) if item.metric else None
    if item.kind == Item.Kind.PER_UNIT and item.joint_credit and kind:
        codes = [f"credit.{kind}.unauthored", f"authored.{kind}"]
    elif item.metric:
        codes = [item.metric]
        if item.kind == Item.Kind.LADDER and kind:
            steps = sorted(item.steps.all(), key=lambda s: s.rank)
            if steps:
                codes.append(f"ladder.{kind}.{steps[0].level}")
    out: list[Metric] = []
    for code in codes:
        figure = registry[code]
        if isinstance(figure, Ratio):
            figure = registry[figure.numerator]
        if isinstance(figure, Total):
            out += [m for m in (registry[p] for p in figure.parts) if isinstance(m, Metric)]
        elif isinstance(figure, Metric):
            out.append(figure)
    return out


def branch_evidence(metric: Metric, scope: Scope, branch_id: int) -> Any:
    source = metric.source
    path = "pk" if source.branch == "id" else f"{source.branch}_id" if source.branch else None
    rows = metric.evidence(scope)
    return rows.filter(**{path: branch_id}) if path else rows.none()


@login_required
def sheet_evidence(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    sheet = _sheet_for(request, pk)
    chosen = get_object_or_404(Item.objects.prefetch_related("steps"), pk=item, scheme_id=sheet.scheme_id)
    scope = Scope.year(sheet.branch.committee, sheet.scheme.year)
    tables = []
    for metric in evidence_metrics(chosen):
        rows = visible_to(request.user, branch_evidence(metric, scope, sheet.branch_id)).order_by("-pk")
        tables.append((metric, rows[:500], rows.count()))
    return render(
        request,
        "scoring/evidence.html",
        {
            "committee": sheet.branch.committee,
            "year": sheet.scheme.year,
            "sheet": sheet,
            "item": chosen,
            "tables": [(metric, [_describe(row) for row in rows], n) for metric, rows, n in tables],
        },
    )


def _describe(row: Any) -> tuple[str, str]:
    """A record's label and admin link; an authorship or an outcome is shown as its piece of work."""
    proposal = getattr(row, "proposal", None)
    if proposal is not None:
        return f"{proposal} · {row}", _admin_url(proposal)
    return str(row), _admin_url(row)


def _admin_url(obj: Any) -> str:
    from django.urls import NoReverseMatch

    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""
