"""What a dashboard shows: its cards, charts, the committee comparison and the branch ranking.

Every entry is a metric code of ``reporting.metrics``; nothing here counts anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from committees.models import Education, Gender, Level, Proposal, Sector, TitleLevel
from reporting.metrics.catalogue import AGE_BANDS


@dataclass(frozen=True)
class Card:
    """A headline figure against last year and the theme year's target. ``details`` are smaller figures shown
    under it; ``by_level`` lists the outcome levels reached (metric codes ``<code>.<level>``)."""

    code: str
    details: tuple[str, ...] = ()
    by_level: bool = False


@dataclass(frozen=True)
class CardGroup:
    title: str | Promise
    cards: tuple[Card, ...]

    @property
    def column(self) -> str:
        """Bootstrap classes: the group's share of a six-card row on a wide screen."""
        return {2: "col-12 col-xl-4", 3: "col-12 col-lg-6", 4: "col-12 col-xl-8"}.get(len(self.cards), "col-12")

    @property
    def per_row(self) -> str:
        """Bootstrap classes: how many of its cards a group shows side by side."""
        return {2: "row-cols-2", 3: "row-cols-2 row-cols-sm-3", 4: "row-cols-2 row-cols-md-4"}.get(
            len(self.cards), "row-cols-2 row-cols-md-3 row-cols-xl-6"
        )


# Laid out side by side on a wide screen, six cards to a row: 2 + 4, 3 + 3, 4.
CARD_GROUPS: tuple[CardGroup, ...] = (
    CardGroup(
        _("Members and organisations"),
        (
            Card("members.total", details=("members.joined", "members.left")),
            Card("branches.total", details=("branches.founded",)),
        ),
    ),
    CardGroup(
        _("Participation in governance"),
        (
            Card("proposals.proposal", details=("proposals.suggestion",)),
            Card("proposals.social_info", details=("social_info.authors",)),
            Card("outcomes.adopted", by_level=True),
            Card("outcomes.endorsed", by_level=True),
        ),
    ),
    CardGroup(
        _("Three ones"),
        (
            Card("three_ones.proposal_rate", details=("branches.three_ones.proposal",)),
            Card("three_ones.service_rate", details=("branches.three_ones.service",)),
            Card("three_ones.social_info_rate", details=("social_info.authors",)),
        ),
    ),
    CardGroup(
        _("Full coverage"),
        (
            Card("coverage.cpc_linked", details=("branches.cpc_linked",)),
            Card("coverage.leader_trained", details=("branches.leader_trained",)),
            Card("coverage.active", details=("branches.active",)),
        ),
    ),
    CardGroup(
        _("Training and social service"),
        (
            Card("training.person_times", details=("training.classes",)),
            Card("activities.social_service", details=("service.beneficiaries",)),
            Card("service.cash"),
            Card("service.goods"),
        ),
    ),
)

LEVELS: tuple[str, ...] = tuple(Level.values)


def headline_codes() -> list[str]:
    """The cards' own figures: these are shown against last year, their details and levels are not."""
    return [card.code for group in CARD_GROUPS for card in group.cards]


def card_codes() -> list[str]:
    codes: list[str] = []
    for group in CARD_GROUPS:
        for card in group.cards:
            codes.append(card.code)
            codes += card.details
            if card.by_level:
                codes += [f"{card.code}.{level}" for level in LEVELS]
    return list(dict.fromkeys(codes))


@dataclass(frozen=True)
class Breakdown:
    """One chart of the member structure: a metric per category."""

    key: str
    title: str | Promise
    codes: tuple[str, ...]
    kind: str = "bar"  # "bar", "pie" or "hbar"


STRUCTURE: tuple[Breakdown, ...] = (
    Breakdown("age", _("Age"), tuple(f"members.age.{code}" for code, *_rest in AGE_BANDS)),
    Breakdown("gender", _("Gender"), tuple(f"members.gender.{v}" for v in Gender.values), kind="pie"),
    Breakdown("title", _("Professional title"), tuple(f"members.title.{v}" for v in TitleLevel.values)),
    Breakdown("education", _("Education"), tuple(f"members.education.{v}" for v in Education.values)),
    Breakdown("sector", _("Sector"), tuple(f"members.sector.{v}" for v in Sector.values), kind="hbar"),
)

# Proposals and 社情民意 by month, one series per kind.
BY_MONTH: tuple[str, ...] = tuple(f"proposals.{kind}" for kind in Proposal.Kind.values)

# The figures the child committees can be compared on (the chart's selector), the first being the default.
COMPARE: tuple[str, ...] = (
    "members.total",
    "branches.total",
    "proposals.proposal",
    "proposals.suggestion",
    "proposals.social_info",
    "outcomes.adopted",
    "outcomes.endorsed",
    "training.person_times",
    "service.total",
    "three_ones.proposal_rate",
    "three_ones.service_rate",
    "three_ones.social_info_rate",
    "coverage.cpc_linked",
    "coverage.leader_trained",
    "coverage.active",
)
# The columns of the committee table under the comparison chart.
COMPARE_TABLE: tuple[str, ...] = (
    "members.total",
    "branches.total",
    "proposals.proposal",
    "proposals.social_info",
    "outcomes.adopted",
    "training.person_times",
    "service.total",
    "three_ones.social_info_rate",
)

# The branch ranking: its columns, and the figures it can be ordered by (the first is the default); a figure
# ranked by that is not a column is shown as a last column. Shares of members reporting are not a fixed column:
# counting distinct authors by branch is the dearest query of the page on a national dataset.
RANKING_COLUMNS: tuple[str, ...] = (
    "members.total",
    "proposals.proposal",
    "proposals.suggestion",
    "proposals.social_info",
    "outcomes.adopted",
    "outcomes.endorsed",
    "activities.social_service",
    "service.total",
    "training.attendances",
)
RANK_BY: tuple[str, ...] = (
    "proposals.social_info",
    "three_ones.social_info_rate",
    "proposals.proposal",
    "proposals.suggestion",
    "outcomes.adopted",
    "outcomes.endorsed",
    "activities.social_service",
    "service.total",
    "training.attendances",
    "members.total",
)
RANKING_SIZE = 15
