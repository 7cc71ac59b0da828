"""What the generator keeps in memory: the tree, the branches and a compact roster of members.

Records reference members by their index in the roster; the roster holds plain lists of ints (a few MB for
200,000 members) rather than model instances, so memory stays bounded whatever the scale.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .geography import Province
from .loader import Loader

FOREVER = dt.date.max.toordinal()


def ordinal(year: int, month: int, day: int) -> int:
    return dt.date(year, month, day).toordinal()


def date(number: int) -> dt.date:
    return dt.date.fromordinal(number)


def sround(rand: random.Random, value: float) -> int:
    """Round at random so that the expected result is ``value``: counts stay linear in the scale."""
    whole = int(value)
    return whole + (1 if rand.random() < value - whole else 0)


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), exactly and deterministically."""
    weight_sum = sum(weights)
    shares = [total * w / weight_sum for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


@dataclass(slots=True)
class CommitteeNode:
    index: int
    code: str
    name: str
    short_name: str
    kind: str
    tier: str
    place: str
    province: Province | None
    parent: int | None
    path: str = ""
    pk: int = 0
    children: list[int] = field(default_factory=list)
    branches: list[int] = field(default_factory=list)
    """Branches directly under this committee."""
    subtree_branches: list[int] = field(default_factory=list)
    """Branches of this committee and of every committee below it."""


@dataclass(slots=True)
class BranchNode:
    index: int
    committee: int
    name: str
    kind: str
    sector: str
    host: str
    place: str
    region: str
    """Division code used for the members' ID numbers."""
    founded: int
    productivity: float
    pk: int = 0
    leader: int = -1
    members: list[int] = field(default_factory=list)
    author_weights: list[float] = field(default_factory=list)
    """Cumulative authoring propensity of ``members``, for ``random.choices(cum_weights=…)``."""


@dataclass(slots=True)
class Roster:
    """Members as parallel lists, indexed by the order they were generated in."""

    pk: list[int] = field(default_factory=list)
    branch: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    """Ordinal of the day the member left the roll, ``FOREVER`` while on it."""
    weight: list[float] = field(default_factory=list)
    rank: list[int] = field(default_factory=list)
    """Seniority for picking leaders: 4 senior title … 1 none."""

    def __len__(self) -> int:
        return len(self.branch)

    def on_roll(self, member: int, day: int) -> bool:
        return self.joined[member] <= day < self.left[member]


@dataclass
class World:
    rand: random.Random
    scale: float
    years: range
    loader: Loader
    committees: list[CommitteeNode] = field(default_factory=list)
    branches: list[BranchNode] = field(default_factory=list)
    roster: Roster = field(default_factory=Roster)
    reserve_cadres: dict[int, list[int]] = field(default_factory=dict)
    """Province committee index → members holding a reserve-cadre position."""

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]

    def province_of(self, committee: int) -> CommitteeNode:
        node = self.committees[committee]
        while node.parent is not None and node.kind != "provincial":
            node = self.committees[node.parent]
        return node

    def branch_province(self, branch: BranchNode) -> CommitteeNode:
        return self.province_of(branch.committee)
