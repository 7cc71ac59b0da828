"""The ranking page, the scoring workbook, a sheet with its workflow, and the records behind each line."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import (
    approves_for_branch,
    assesses_for_branch,
    reportable_committees,
    reviews_for_branch,
    role_of,
    visible_to,
)
from committees.models import Committee, User
from committees.services import export_log_create
from reporting.excel import xlsx_response
from reporting.metrics import Metric, Ratio, Scope, registry
from reporting.metrics.engine import Total

from .build import build_ranking, build_sheet
from .compute import describe, scheme_of, schemes_for, work_kind
from .excel import write_scoring_workbook
from .models import Item, Sheet, Transition
from .services import Entered, may_move, sheet_move, sheet_save, sheets_approve, sheets_ensure

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
    reviewed = sum(1 for s in ranking.scored if s.state == Sheet.State.REVIEWED)
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
        },
    )


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _own_sheet(request: HttpRequest, code: str, year: int) -> HttpResponseBase:
    """A branch user's scoring page is the branch's own sheet."""
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
    sheet = sheets_ensure(scheme, [branch])[branch.pk]
    return redirect("scoring-sheet", sheet.pk)


@login_required
@require_POST
def bulk_approve(request: HttpRequest, code: str, year: int) -> HttpResponseRedirect:
    _year(year)
    committee = get_object_or_404(reportable_committees(request.user), code=code)
    schemes = schemes_for(committee, year)
    scheme = next((s for s in schemes if str(s.pk) == request.POST.get("scheme", "")), None)
    if scheme is None:
        raise Http404
    approved = sheets_approve(user=request.user, scheme=scheme, committee=committee)
    if approved:
        messages.success(request, _("%(n)s sheets approved.") % {"n": approved})
    else:
        messages.warning(request, _("No reviewed sheet that you may approve."))
    return redirect(f"{reverse('scoring', args=[code, year])}?scheme={scheme.pk}")


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
    return get_object_or_404(visible_to(request.user, Sheet.objects.for_list()), pk=pk)


def _parse(request: HttpRequest, prefix: str, items: list[Item]) -> dict[int, Entered]:
    values: dict[int, Entered] = {}
    errors = []
    for item in items:
        raw = request.POST.get(f"{prefix}-{item.pk}", "").strip()
        note = request.POST.get(f"note-{item.pk}")
        try:
            points = Decimal(raw) if raw else None
        except InvalidOperation:
            errors.append(_("%(item)s: “%(value)s” is not a number.") % {"item": item.name, "value": raw})
            continue
        if points is not None and not points.is_finite():
            errors.append(_("%(item)s: “%(value)s” is not a number.") % {"item": item.name, "value": raw})
            continue
        values[item.pk] = Entered(points, note.strip() if note is not None else None)
    if errors:
        raise ValidationError(errors)
    return values


@login_required
def sheet_page(request: HttpRequest, pk: int) -> HttpResponseBase:
    sheet = _sheet_for(request, pk)
    user = request.user
    branch = sheet.branch
    may_assess = sheet.state == Sheet.State.DRAFT and assesses_for_branch(user, branch)
    may_review = sheet.state == Sheet.State.SUBMITTED and reviews_for_branch(user, branch)
    errors: list[str] = []
    if request.method == "POST":
        if not (may_assess or may_review):
            raise PermissionDenied
        scheme_items = list(Item.objects.filter(scheme_id=sheet.scheme_id))
        try:
            values = _parse(request, "self" if may_assess else "reviewed", scheme_items)
            if may_assess:
                sheet_save(user=user, sheet=sheet, self_points=values)
            else:
                sheet_save(user=user, sheet=sheet, reviewed=values)
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(request, _("The scores were saved."))
            return redirect("scoring-sheet", sheet.pk)
    scheme, scored = build_sheet(sheet)
    moves = [action for action in (Action.SUBMIT, Action.REVIEW, Action.APPROVE) if may_move(user, sheet, action)]
    by_category = []
    for category in scheme.categories:
        rows = [row for row in scored.rows if row.item.category_id == category.pk]
        described = [(row, describe(row.item, scheme)) for row in rows]
        by_category.append((category, described, scored.self_categories[category.pk], scored.categories[category.pk]))
    return render(
        request,
        "scoring/sheet.html",
        {
            "committee": branch.committee,
            "year": sheet.scheme.year,
            "sheet": sheet,
            "scheme": scheme,
            "scored": scored,
            "by_category": by_category,
            "may_assess": may_assess,
            "may_review": may_review,
            "moves": moves,
            "may_return": may_move(user, sheet, Action.RETURN),
            "transitions": sheet.transitions.select_related("by").order_by("at", "pk"),
            "errors": errors,
            "ranking_url": _ranking_url(user, sheet),
        },
        status=400 if errors else 200,
    )


def _ranking_url(user: Any, sheet: Sheet) -> str | None:
    committee = sheet.branch.committee
    if role_of(user) == User.Role.BRANCH:
        return None
    return reverse("scoring", args=[committee.code, sheet.scheme.year]) + f"?scheme={sheet.scheme_id}"


@login_required
@require_POST
def sheet_move_view(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    sheet = _sheet_for(request, pk)
    action = request.POST.get("action", "")
    if action not in Action.values:
        raise Http404
    try:
        sheet_move(user=request.user, sheet=sheet, action=action, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(action)s.") % {"action": Action(action).label})
    return redirect("scoring-sheet", sheet.pk)


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
