"""The home page after login: what each role sees first.

Leaders go to their committee's dashboard, branch users to their branch's page, office staff and
administrators get what needs doing: the branches still missing a 三个一 item this year, and the panels other
apps contribute (the scoring app's "sheets awaiting review") through :func:`register_home_panel`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from committees.access import role_of, visible_to
from committees.models import Branch, Committee, User
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

    def _add_url(self, model: str, kind: str) -> str:
        """The admin's add form for the branch's missing record, with the branch and the kind filled in."""
        query = urlencode({"committee": str(self.branch.committee_id), "branch": str(self.branch.pk), "kind": kind})
        return f"{reverse(f'admin:committees_{model}_add')}?{query}"

    @property
    def add_proposal_url(self) -> str:
        return self._add_url("proposal", "proposal")

    @property
    def add_service_url(self) -> str:
        return self._add_url("activity", "social_service")

    @property
    def add_social_info_url(self) -> str:
        return self._add_url("proposal", "social_info")


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


def _sheet_label(sheet: Any) -> str:
    return _("%(year)s: %(committee)s · %(branch)s") % {
        "year": sheet.scheme.year,
        "committee": sheet.branch.committee.display_name,
        "branch": sheet.branch.name,
    }


def sheets_awaiting_review(request: HttpRequest, committee: Committee, year: int) -> Panel | None:
    """The scoring sheets of the subtree waiting for this user, in every year, newest year first: office staff
    review what branches submitted, leaders approve what staff reviewed, an administrator sees both. Staff also
    see how many reviewed sheets wait for a leader. Two queries whatever the number of sheets."""
    from reporting.scoring.models import Sheet

    State = Sheet.State
    role = role_of(request.user)
    waits_for: dict[str | None, list[str]] = {
        User.Role.STAFF: [State.SUBMITTED],
        User.Role.LEADER: [State.REVIEWED],
        User.Role.ADMIN: [State.SUBMITTED, State.REVIEWED],
    }
    if role not in waits_for:
        return None
    sheets = Sheet.objects.filter(branch__committee__path__startswith=committee.path).order_by()
    waiting = list(
        sheets.filter(state__in=waits_for[role])
        .for_list()
        .order_by("-scheme__year", "branch__committee__path", "branch__name", "pk")[:SHEETS_SHOWN]
    )
    counts = dict(
        sheets.filter(state__in=[State.SUBMITTED, State.REVIEWED]).values_list("state").annotate(n=Count("pk"))
    )
    notes = {State.SUBMITTED: _("To review"), State.REVIEWED: _("To approve")}
    items = [
        PanelItem(
            label=_sheet_label(sheet),
            url=reverse("scoring-sheet", args=[sheet.pk]),
            note=notes[sheet.state],  # type: ignore[index]
        )
        for sheet in waiting
    ]
    submitted, reviewed = counts.get(State.SUBMITTED, 0), counts.get(State.REVIEWED, 0)
    if role == User.Role.LEADER:
        title = _("Scoring sheets awaiting your approval (%(reviewed)s)") % {"reviewed": reviewed}
        empty = _("No sheet awaits approval.")
    elif role == User.Role.ADMIN:
        title = _("Scoring sheets awaiting review (%(submitted)s) or approval (%(reviewed)s)") % {
            "submitted": submitted,
            "reviewed": reviewed,
        }
        empty = _("No sheet awaits review or approval.")
    else:
        title = _("Scoring sheets awaiting review (%(submitted)s); awaiting a leader's approval: %(reviewed)s") % {
            "submitted": submitted,
            "reviewed": reviewed,
        }
        empty = _("No sheet awaits review.")
    return Panel(title=title, items=items, empty=empty)


IMPORTS_SHOWN = 10


def imports_not_committed(request: HttpRequest, committee: Committee, year: int) -> Panel | None:
    """The office's import batches (those of the user's committee) checked but neither committed nor discarded,
    newest first (one query). Only for those who import: office staff and administrators."""
    from committees.imports.models import ImportBatch

    if role_of(request.user) not in (User.Role.STAFF, User.Role.ADMIN):
        return None
    batches = list(
        visible_to(request.user, ImportBatch)
        .filter(committee=committee, state=ImportBatch.State.CHECKED)
        .select_related("committee")
        .order_by("-created_at", "-pk")[:IMPORTS_SHOWN]
    )
    if not batches:
        return None
    items = [
        PanelItem(
            label=_("%(kind)s · %(file)s") % {"kind": batch.get_kind_display(), "file": batch.file_name},
            url=reverse("imports-batch", args=[batch.pk]),
            note=_("Checked %(when)s, not committed")
            % {"when": date_format(localtime(batch.created_at), "SHORT_DATETIME_FORMAT")},
        )
        for batch in batches
    ]
    return Panel(title=_("Imports checked but not committed"), items=items, more_url=reverse("imports"))


@dataclass(frozen=True)
class BranchSheet:
    year: int
    state: str | Promise  # the sheet's state, or "not started" when the branch has no sheet yet
    url: str
    returned_reason: str = ""
    to_do: bool = False  # the branch has still to fill in and submit it


def branch_sheets(branch: Branch) -> list[BranchSheet]:
    """The branch's scoring sheets, newest year first: one per year with a published scheme that scores the
    branch (the scheme of the deepest committee above it), with no sheet yet counted as one to fill in. Two
    queries."""
    from reporting.scoring.compute import scheme_of
    from reporting.scoring.models import Scheme, Sheet

    path = branch.committee.path
    step = Committee.steplen
    above = [path[: step * depth] for depth in range(1, len(path) // step + 1)]
    by_year: dict[int, list[Scheme]] = defaultdict(list)
    for scheme in Scheme.objects.filter(status=Scheme.Status.PUBLISHED, committee__path__in=above).select_related(
        "committee"
    ):
        by_year[scheme.year].append(scheme)
    schemes = {year: chosen for year, group in by_year.items() if (chosen := scheme_of(path, group)) is not None}
    sheets = {sheet.scheme_id: sheet for sheet in Sheet.objects.filter(branch=branch, scheme__in=schemes.values())}
    rows = []
    for year in sorted(schemes, reverse=True):
        sheet = sheets.get(schemes[year].pk)
        if sheet is None:
            url = reverse("scoring", args=[branch.committee.code, year])
            rows.append(BranchSheet(year, _("Not started"), url, to_do=True))
        else:
            rows.append(
                BranchSheet(
                    year,
                    sheet.get_state_display(),
                    reverse("scoring-sheet", args=[sheet.pk]),
                    sheet.returned_reason if sheet.state == Sheet.State.DRAFT else "",
                    to_do=sheet.state == Sheet.State.DRAFT,
                )
            )
    return rows
