"""Bulk builders for the admin tests: many rows in few queries.

``bulk_create`` skips ``save()``, so callers pass ``committee`` explicitly where the models would fill it
from the branch, and no history rows are written for these rows.
"""

from __future__ import annotations

import datetime as dt
import itertools

from committees import models as m
from tests.factories import add_committee

_serial = itertools.count(1)


def serial() -> int:
    return next(_serial)


def committees(parent: m.Committee, n: int) -> list[m.Committee]:
    made = []
    for _ in range(n):
        k = serial()
        made.append(add_committee(name=f"测试委员会{k}", code=f"{700000 + k:06d}", parent=parent))
    return made


def branches(committee: m.Committee, n: int) -> list[m.Branch]:
    return m.Branch.objects.bulk_create(m.Branch(committee=committee, name=f"测试支部{serial()}") for _ in range(n))


def members(branch: m.Branch, n: int) -> list[m.Member]:
    return m.Member.objects.bulk_create(
        m.Member(
            branch=branch,
            committee_id=branch.committee_id,
            name=f"批量会员{serial()}",
            gender=m.Gender.MALE,
            birth_date=dt.date(1970, 1, 1),
            education=m.Education.MASTER,
            title_level=m.TitleLevel.SENIOR,
        )
        for _ in range(n)
    )


def positions(member: m.Member, n: int) -> list[m.Position]:
    return m.Position.objects.bulk_create(
        m.Position(member=member, kind=m.Position.Kind.PARTY_POST, title=f"职务{serial()}") for _ in range(n)
    )


def status_changes(member: m.Member, n: int) -> list[m.MemberStatusChange]:
    return m.MemberStatusChange.objects.bulk_create(
        m.MemberStatusChange(
            member=member,
            status=m.Member.Status.TRANSFERRED,
            changed_on=dt.date(2000, 1, 1) + dt.timedelta(days=serial()),
        )
        for _ in range(n)
    )


def research_topics(committee: m.Committee, n: int) -> list[m.ResearchTopic]:
    return m.ResearchTopic.objects.bulk_create(
        m.ResearchTopic(committee=committee, title=f"课题{serial()}", year=2020) for _ in range(n)
    )


def proposals(branch: m.Branch, n: int, **fields: object) -> list[m.Proposal]:
    return m.Proposal.objects.bulk_create(
        m.Proposal(
            branch=branch,
            committee_id=branch.committee_id,
            kind=m.Proposal.Kind.PROPOSAL,
            title=f"关于第{serial()}项工作的提案",
            submitted_on=dt.date(2020, 1, 10),
            **fields,
        )
        for _ in range(n)
    )


def authorships(proposal: m.Proposal, authors: list[m.Member]) -> list[m.Authorship]:
    start = (max(proposal.authorships.values_list("order", flat=True), default=0)) + 1
    return m.Authorship.objects.bulk_create(
        m.Authorship(proposal=proposal, member=member, order=start + i) for i, member in enumerate(authors)
    )


def outcomes(proposal: m.Proposal, n: int) -> list[m.Outcome]:
    return m.Outcome.objects.bulk_create(
        m.Outcome(proposal=proposal, kind=m.Outcome.Kind.REPLIED, occurred_on=dt.date(2020, 6, 1)) for _ in range(n)
    )


def training_events(committee: m.Committee, n: int) -> list[m.TrainingEvent]:
    return m.TrainingEvent.objects.bulk_create(
        m.TrainingEvent(
            committee=committee,
            title=f"培训班{serial()}",
            kind=m.TrainingEvent.Kind.NEW_MEMBERS,
            organiser_level=m.Tier.PROVINCIAL,
            started_on=dt.date(2020, 9, 1),
            ended_on=dt.date(2020, 9, 2),
        )
        for _ in range(n)
    )


def attendances(event: m.TrainingEvent, attendees: list[m.Member]) -> list[m.Attendance]:
    return m.Attendance.objects.bulk_create(m.Attendance(event=event, member=member) for member in attendees)


def activities(branch: m.Branch, n: int) -> list[m.Activity]:
    return m.Activity.objects.bulk_create(
        m.Activity(
            branch=branch,
            committee_id=branch.committee_id,
            kind=m.Activity.Kind.SOCIAL_SERVICE,
            title=f"活动{serial()}",
            held_on=dt.date(2020, 5, 1),
            donation_cash=1000,
        )
        for _ in range(n)
    )


def honors(branch: m.Branch, n: int) -> list[m.Honor]:
    return m.Honor.objects.bulk_create(
        m.Honor(
            committee_id=branch.committee_id, branch=branch, title=f"先进支部{serial()}", level=m.Tier.CITY, year=2020
        )
        for _ in range(n)
    )


def users(committee: m.Committee, n: int) -> list[m.User]:
    return m.User.objects.bulk_create(
        m.User(username=f"user{serial()}", role=m.User.Role.STAFF, committee=committee) for _ in range(n)
    )
