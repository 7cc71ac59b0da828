"""The page chrome around every page outside the admin: the top bar's links, the committee and year
switcher, and the breadcrumb of the committee tree.

A page that reports on one committee and one year passes ``committee``, ``year`` and ``page_name`` (the
URL name of its page type, one of :data:`SWITCHABLE_PAGES`) in its context; ``base.html`` does the rest
through the tags in ``reporting.templatetags.reporting_tags``. Who may read which committee is decided by
:func:`committees.access.visible_to`, as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from committees.access import reportable_committees, role_of
from committees.models import Committee, User
from reporting.metrics.years import latest_year

# Page types that show one committee in one year: their URLs take (code, year), so the switcher can move
# between committees and years while staying on the same kind of page.
SWITCHABLE_PAGES: tuple[str, ...] = ("dashboard", "summary", "scoring", "tables-branches", "tables-members")

# The first year the switcher offers; records before it are not kept.
FIRST_YEAR = 2010

# One ideographic space per level of the tree in the switcher's list (an <option> keeps no padding).
INDENT = "\u3000"


def current_year() -> int:
    return timezone.localdate().year


def reporting_year(committee: Committee | None) -> int:
    """The year pages open on for ``committee``: the latest year with work on record in its subtree, up to the
    current one — the year being reported on (in January, still last year; in the demo, whose records end in
    2021, that year) — or the current year when there is none."""
    if committee is None:
        return current_year()
    return latest_year(committee, timezone.localdate()) or current_year()


def year_choices(selected: int | None = None, *, today: int | None = None) -> list[int]:
    """The years the switcher offers, newest first; a selected year outside the range is kept."""
    last = today if today is not None else current_year()
    years = set(range(FIRST_YEAR, last + 1))
    if selected is not None:
        years.add(selected)
    return sorted(years, reverse=True)


def is_valid_year(year: int, *, today: int | None = None) -> bool:
    return FIRST_YEAR <= year <= (today if today is not None else current_year())


def page_url(page_name: str | None, *args: Any) -> str | None:
    """The URL of a named page, or None when the name does not resolve (a page not built yet)."""
    if not page_name or any(arg is None or arg == "" for arg in args):
        return None
    try:
        return reverse(page_name, args=args)
    except NoReverseMatch:
        return None


def home_committee(user: Any) -> Committee | None:
    """The committee a user's pages start from: their own, their branch's, or the root for administrators."""
    role = role_of(user)
    if role is None:
        return None
    if role == User.Role.BRANCH:
        return user.branch.committee  # type: ignore[no-any-return]
    if user.committee_id is not None:
        return user.committee  # type: ignore[no-any-return]
    return Committee.get_first_root_node()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class SwitcherOption:
    code: str
    label: str


def switcher_options(user: Any) -> list[SwitcherOption]:
    """The committees ``user`` may read, in tree order, indented by depth below the shallowest one."""
    committees = list(reportable_committees(user).order_by("path").only("code", "name", "short_name", "depth", "path"))
    if not committees:
        return []
    top = min(c.depth for c in committees)
    return [SwitcherOption(c.code, INDENT * (c.depth - top) + c.display_name) for c in committees]


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str | None  # None: shown as plain text
    current: bool = False


def committee_breadcrumb(
    user: Any, committee: Committee, *, page_name: str | None = None, year: int | None = None
) -> list[Crumb]:
    """The committee's ancestors and itself, root first.

    An ancestor the user may read links to the same page type for that committee and year; one above
    the user's own committee is plain text. The committee itself is the current item, never a link.
    """
    step = Committee.steplen
    paths = [committee.path[: step * depth] for depth in range(1, committee.depth + 1)]
    chain = list(Committee.objects.filter(path__in=paths).order_by("depth").only("code", "name", "short_name"))
    readable = set(reportable_committees(user).filter(path__in=paths).values_list("pk", flat=True))
    crumbs = []
    for node in chain:
        if node.pk == committee.pk:
            crumbs.append(Crumb(node.display_name, None, current=True))
        elif node.pk in readable:
            crumbs.append(Crumb(node.display_name, page_url(page_name, node.code, year)))
        else:
            crumbs.append(Crumb(node.display_name, None))
    return crumbs


class Chrome:
    """What the chrome needs from the request, computed only when a template asks for it."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def home_committee(self) -> Committee | None:
        return home_committee(self.user)

    @cached_property
    def switcher_options(self) -> list[SwitcherOption]:
        return switcher_options(self.user)

    @cached_property
    def default_year(self) -> int:
        return reporting_year(self.home_committee)

    @cached_property
    def reads_committee_reports(self) -> bool:
        """Branch users read their branch's page and sheet, not committee summaries or tables (those answer
        404 for them), so the top bar leaves those links out."""
        return role_of(self.user) not in (None, User.Role.BRANCH)

    @cached_property
    def imports_records(self) -> bool:
        return role_of(self.user) in (User.Role.ADMIN, User.Role.STAFF)


def chrome(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``chrome``, a lazy :class:`Chrome` for the requesting user."""
    return {"chrome": Chrome(getattr(request, "user", None))}


@require_GET
@login_required
def switch(request: HttpRequest) -> HttpResponseRedirect:
    """Where the switcher's form goes: redirect to ``page`` for the chosen committee and year."""
    page = request.GET.get("page", "")
    if page not in SWITCHABLE_PAGES:
        raise Http404("Unknown page type")
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        raise BadRequest("The year is not a number") from None
    if not is_valid_year(year):
        raise BadRequest("The year is out of range")
    committee = get_object_or_404(reportable_committees(request.user), code=request.GET.get("committee", ""))
    url = page_url(page, committee.code, year)
    if url is None:
        raise Http404("That page does not exist")
    return HttpResponseRedirect(url)


def latest_scheme_year(committee: Committee) -> int | None:
    """The latest year with a published scoring scheme that scores a branch of ``committee``'s subtree: one of
    a committee above or at it, or below it (one query)."""
    from reporting.scoring.models import Scheme

    step = Committee.steplen
    above = [committee.path[: step * depth] for depth in range(1, committee.depth + 1)]
    schemes = Scheme.objects.filter(status=Scheme.Status.PUBLISHED).filter(
        Q(committee__path__in=above) | Q(committee__path__startswith=committee.path)
    )
    return schemes.aggregate(latest=Max("year"))["latest"]


@require_GET
@login_required
def latest_scoring(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Where the top bar's 量化考核 goes from pages of no year of scoring: the committee's scoring page in the
    latest year with a published scheme, else in the reporting year. The scoring page checks who may see it."""
    committee = get_object_or_404(Committee, code=code)
    year = latest_scheme_year(committee) or reporting_year(committee)
    return HttpResponseRedirect(reverse("scoring", args=[committee.code, year]))


switch_urlpatterns: list[URLPattern] = [
    path("switch/", switch, name="switch"),
    path("switch/scoring/<str:code>/", latest_scoring, name="scoring-latest"),
]
