"""The home page by role, the committee dashboard and the branch page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from committees.access import reportable_committees, role_of, visible_to
from committees.models import Branch, Committee, User
from reporting.chrome import home_committee, reporting_year, year_choices
from reporting.metrics import registry

from .branch import branch_figures
from .build import build_dashboard, ranking_columns, unit_of
from .home import branch_sheets, home_panels, sheets_awaiting_review, three_ones_gaps
from .layout import COMPARE, COMPARE_TABLE, RANK_BY

FIRST_YEAR, LAST_YEAR = 1945, 2100


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


def _choice(request: HttpRequest, name: str, choices: tuple[str, ...]) -> str:
    value = request.GET.get(name, "")
    return value if value in choices else choices[0]


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = role_of(user)
    committee = home_committee(user)
    if role is None or committee is None:
        return render(request, "dashboards/home.html", {"unbound": True})
    if role == User.Role.LEADER:
        return redirect("dashboard", code=committee.code, year=reporting_year(committee))
    if role == User.Role.BRANCH:
        return redirect("dashboard-branch", pk=user.branch_id, year=reporting_year(committee))  # type: ignore[union-attr]
    try:
        year = int(request.GET["year"])
    except (KeyError, ValueError):
        year = reporting_year(committee)
    _check_year(year)
    return render(
        request,
        "dashboards/home.html",
        {
            "home_committee": committee,
            "home_year": year,
            "years": year_choices(year),
            "gaps": three_ones_gaps(committee, year),
            "panels": home_panels(request, committee, year),
        },
    )


@require_GET
@login_required
def dashboard(request: HttpRequest, code: str, year: int) -> HttpResponse:
    _check_year(year)
    user = request.user
    if role_of(user) == User.Role.BRANCH and user.branch.committee.code == code:  # type: ignore[union-attr]
        # The top bar's "Dashboard" points a branch user at the committee of the branch: show the branch instead.
        return redirect("dashboard-branch", pk=user.branch_id, year=year)  # type: ignore[union-attr]
    committee: Committee = get_object_or_404(reportable_committees(user), code=code)
    compare = _choice(request, "compare", COMPARE)
    rank_by = _choice(request, "rank", RANK_BY)
    order = _choice(request, "order", ("desc", "asc"))
    board = build_dashboard(committee, year, compare=compare, rank_by=rank_by, order=order)
    # A leader lands here: what waits for her approval, in every year, heads the page.
    home = home_committee(user) if role_of(user) == User.Role.LEADER else None
    to_do = sheets_awaiting_review(request, home, year) if home is not None else None
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "committee": committee,
            "year": year,
            "page_name": "dashboard",
            "board": board,
            "to_do": to_do,
            "compare_choices": [(code, registry[code].label) for code in COMPARE],
            "compare_columns": [(code, registry[code].label, unit_of(code)) for code in COMPARE_TABLE],
            "rank_choices": [(code, registry[code].label) for code in RANK_BY],
            "ranking_columns": [(code, registry[code].label, unit_of(code)) for code in ranking_columns(rank_by)],
        },
    )


@require_GET
@login_required
def branch_page(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    _check_year(year)
    branch = get_object_or_404(visible_to(request.user, Branch).select_related("committee"), pk=pk)
    sheets = branch_sheets(branch)
    own = role_of(request.user) == User.Role.BRANCH and request.user.branch_id == branch.pk  # type: ignore[union-attr]
    return render(
        request,
        "dashboards/branch.html",
        {
            "branch": branch,
            "committee": branch.committee,
            "year": year,
            "page_name": "dashboard-branch",
            "figures": branch_figures(branch, year),
            "committee_dashboard": reportable_committees(request.user).filter(pk=branch.committee_id).exists(),
            "sheets": sheets,
            "to_do": [s for s in sheets if s.to_do] if own else [],
        },
    )
