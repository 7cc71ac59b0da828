"""The home page after login: what each role sees first.

Leaders go to their committee's dashboard, branch users to their branch's page, office staff and
administrators get what needs doing: the branches still missing a 三个一 item this year, and the panels other
apps contribute (the scoring app's "sheets awaiting review") through :func:`register_home_panel`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from committees.models import Branch, Committee
from reporting.metrics import Scope, compute
from reporting.metrics.catalogue import existing

GAPS_SHOWN = 50


@dataclass(frozen=True)
class PanelItem:
    label: str | Promise
    url: str = ""
    note: str | Promise = ""


@dataclass(frozen=True)
class Panel:
    """A box on the staff home page: a title and a short list of things to do, each with an optional link."""

    title: str | Promise
    items: list[PanelItem] = field(default_factory=list)
    empty: str | Promise = ""  # shown when there are no items
    more_url: str = ""


HomePanelProvider = Callable[[HttpRequest, Committee, int], Panel | None]
_providers: list[HomePanelProvider] = []


def register_home_panel(provider: HomePanelProvider) -> None:
    """Add a panel to the staff home page, e.g. from another app's ``AppConfig.ready()``:

    ``register_home_panel(lambda request, committee, year: Panel(_("Sheets awaiting review"), items=[...]))``.
    The provider receives the request, the user's committee and the year shown; it returns None to show nothing,
    and keeps its own query count constant.
    """
    if provider not in _providers:
        _providers.append(provider)


def unregister_home_panel(provider: HomePanelProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def home_panels(request: HttpRequest, committee: Committee, year: int) -> list[Panel]:
    return [panel for panel in (provider(request, committee, year) for provider in _providers) if panel is not None]


@dataclass
class Gap:
    branch: Branch
    proposal: bool  # submitted a proposal or suggestion
    service: bool  # did a social service deed
    members: int
    reporting: int  # members who submitted a 社情民意 report

    @property
    def silent(self) -> int:
        return max(self.members - self.reporting, 0)


@dataclass
class ThreeOnesGaps:
    branches: int  # existing branches in the subtree
    without_proposal: int
    without_service: int
    silent_members: int  # members on the roll without a 社情民意 report
    members: int
    rows: list[Gap]  # the first GAPS_SHOWN branches missing something, those missing most first
    missing: int  # branches missing something


def three_ones_gaps(committee: Committee, year: int) -> ThreeOnesGaps:
    """Branches of the subtree missing one of the three ones this year; a fixed number of queries."""
    scope = Scope.year(committee, year)
    codes = ("branches.three_ones.proposal", "branches.three_ones.service", "social_info.authors", "members.total")
    results = compute([(code, scope) for code in codes], group="branch")
    per_branch: dict[str, dict[int, Any]] = {}
    for (code, _scope), grouped in results.items():
        summed: dict[int, Any] = {}
        for (_committee, branch), value in grouped.items():
            if branch is not None:
                summed[branch] = summed.get(branch, 0) + value
        per_branch[code] = summed
    proposal, service = per_branch["branches.three_ones.proposal"], per_branch["branches.three_ones.service"]
    authors, members = per_branch["social_info.authors"], per_branch["members.total"]

    branches = list(
        Branch.objects.filter(Q(committee__path__startswith=committee.path) & existing(scope))
        .order_by("committee__path", "name", "pk")
        .values_list("pk", flat=True)
    )

    def lacking(pk: int) -> int:
        return (not proposal.get(pk)) + (not service.get(pk)) + (authors.get(pk, 0) < members.get(pk, 0))

    # The branches missing most first, in tree order among equals.
    missing = sorted((pk for pk in branches if lacking(pk)), key=lacking, reverse=True)
    shown = Branch.objects.select_related("committee").in_bulk(missing[:GAPS_SHOWN])
    rows = [
        Gap(shown[pk], bool(proposal.get(pk)), bool(service.get(pk)), members.get(pk, 0), authors.get(pk, 0))
        for pk in missing[:GAPS_SHOWN]
    ]
    return ThreeOnesGaps(
        branches=len(branches),
        without_proposal=sum(1 for pk in branches if not proposal.get(pk)),
        without_service=sum(1 for pk in branches if not service.get(pk)),
        silent_members=sum(max(members.get(pk, 0) - authors.get(pk, 0), 0) for pk in branches),
        members=sum(members.get(pk, 0) for pk in branches),
        rows=rows,
        missing=len(missing),
    )


SHEETS_SHOWN = 20


def sheets_awaiting_review(request: HttpRequest, committee: Committee, year: int) -> Panel | None:
    """The scoring sheets of the subtree that branches submitted for this year and staff have not reviewed yet,
    oldest state first; with how many reviewed sheets wait for a leader's approval (two queries)."""
    from reporting.scoring.models import Sheet

    sheets = Sheet.objects.filter(scheme__year=year, branch__committee__path__startswith=committee.path)
    waiting = list(
        sheets.filter(state=Sheet.State.SUBMITTED)
        .for_list()
        .order_by("branch__committee__path", "branch__name")[: SHEETS_SHOWN + 1]
    )
    counts = dict(
        sheets.filter(state__in=[Sheet.State.SUBMITTED, Sheet.State.REVIEWED])
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    items = [
        PanelItem(
            label=f"{sheet.branch.committee.display_name} · {sheet.branch.name}",
            url=reverse("scoring-sheet", args=[sheet.pk]),
            note=_("Submitted"),
        )
        for sheet in waiting[:SHEETS_SHOWN]
    ]
    reviewed = counts.get(Sheet.State.REVIEWED, 0)
    title = _("Scoring sheets awaiting review (%(submitted)s); awaiting a leader's approval: %(reviewed)s") % {
        "submitted": counts.get(Sheet.State.SUBMITTED, 0),
        "reviewed": reviewed,
    }
    return Panel(
        title=title,
        items=items,
        empty=_("No sheet awaits review."),
        more_url=reverse("scoring", args=[committee.code, year]),
    )
