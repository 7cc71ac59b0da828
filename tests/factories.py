"""factory_boy factories for the records. Deterministic: sequences, no randomness."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from committees import models as m


def add_committee(*, name: str, code: str, parent: m.Committee | None = None, **fields: Any) -> m.Committee:
    """Create a committee in the tree (treebeard wants add_root / add_child, not create)."""
    fields.setdefault("kind", m.Committee.Kind.PROVINCIAL if parent is None else m.Committee.Kind.CITY)
    if parent is None:
        return m.Committee.add_root(name=name, code=code, **fields)
    parent.refresh_from_db()
    return parent.add_child(name=name, code=code, **fields)


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = m.Branch

    name = factory.Sequence(lambda n: f"第{n}支部")
    kind = m.Branch.Kind.BRANCH
    founded_on = dt.date(2010, 1, 1)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = m.Member

    branch = factory.SubFactory(BranchFactory)
    committee = factory.LazyAttribute(lambda o: o.branch.committee if o.branch else None)
    name = factory.Sequence(lambda n: f"会员{n}")
    gender = m.Gender.FEMALE
    birth_date = dt.date(1975, 5, 1)
    joined_on = dt.date(2005, 6, 1)
    education = m.Education.BACHELOR
    degree = m.Degree.BACHELOR
    title_level = m.TitleLevel.INTERMEDIATE
    sector = m.Sector.EDUCATION


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = m.Proposal

    kind = m.Proposal.Kind.PROPOSAL
    title = factory.Sequence(lambda n: f"关于第{n}项工作的提案")
    submitted_on = dt.date(2020, 1, 10)
    committee = factory.LazyAttribute(lambda o: o.branch.committee if o.branch else None)
    branch = None


class TrainingEventFactory(DjangoModelFactory):
    class Meta:
        model = m.TrainingEvent

    title = factory.Sequence(lambda n: f"培训班{n}")
    kind = m.TrainingEvent.Kind.NEW_MEMBERS
    organiser_level = m.Tier.PROVINCIAL
    started_on = dt.date(2020, 9, 1)
    ended_on = dt.date(2020, 9, 3)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = m.Activity

    kind = m.Activity.Kind.STUDY
    title = factory.Sequence(lambda n: f"活动{n}")
    held_on = dt.date(2020, 5, 1)
    committee = factory.LazyAttribute(lambda o: o.branch.committee if o.branch else None)
    branch = None
