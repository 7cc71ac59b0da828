"""Record builders shared by the topic modules, and the one place that stores what they build."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from committees.models import (
    Activity,
    Attendance,
    Authorship,
    Branch,
    Committee,
    Honor,
    Member,
    Outcome,
    Proposal,
    ResearchTopic,
    TrainingEvent,
)

from .sync import sync


@dataclass
class Work:
    """A proposal, report or paper with its authors (first author first) and outcomes."""

    proposal: Proposal
    authors: list[Member] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    topic: ResearchTopic | None = None


@dataclass
class Training:
    event: TrainingEvent
    attendees: list[Member] = field(default_factory=list)


@dataclass
class Batch:
    topics: list[ResearchTopic] = field(default_factory=list)
    works: list[Work] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    trainings: list[Training] = field(default_factory=list)
    honors: list[Honor] = field(default_factory=list)

    def extend(self, other: Batch) -> None:
        self.topics += other.topics
        self.works += other.works
        self.activities += other.activities
        self.trainings += other.trainings
        self.honors += other.honors


def _owner(owner: Committee | Branch) -> dict[str, Any]:
    if isinstance(owner, Branch):
        return {"committee_id": owner.committee_id, "branch": owner}
    return {"committee": owner, "branch": None}


def work(
    owner: Committee | Branch,
    kind: str,
    title: str,
    submitted_on: dt.date,
    authors: Iterable[Member] = (),
    outcomes: Iterable[Outcome] = (),
    topic: ResearchTopic | None = None,
    **fields: Any,
) -> Work:
    proposal = Proposal(kind=kind, title=title, submitted_on=submitted_on, **_owner(owner), **fields)
    return Work(proposal, list(authors), list(outcomes), topic)


def outcome(kind: str, occurred_on: dt.date, level: str = "", by_whom: str = "", note: str = "") -> Outcome:
    return Outcome(kind=kind, occurred_on=occurred_on, level=level, by_whom=by_whom, note=note)


def activity(owner: Committee | Branch, kind: str, title: str, held_on: dt.date, **fields: Any) -> Activity:
    return Activity(kind=kind, title=title, held_on=held_on, **_owner(owner), **fields)


def training(
    committee: Committee,
    kind: str,
    title: str,
    started_on: dt.date,
    ended_on: dt.date,
    attendees: Iterable[Member] = (),
    **fields: Any,
) -> Training:
    event = TrainingEvent(
        committee=committee, kind=kind, title=title, started_on=started_on, ended_on=ended_on, **fields
    )
    return Training(event, list(attendees))


def honor(recipient: Committee | Branch | Member, title: str, level: str, year: int, **fields: Any) -> Honor:
    if isinstance(recipient, Committee):
        return Honor(committee=recipient, title=title, level=level, year=year, **fields)
    target: dict[str, Branch | Member] = {"branch" if isinstance(recipient, Branch) else "member": recipient}
    return Honor(committee_id=recipient.committee_id, title=title, level=level, year=year, **target, **fields)


def store(batch: Batch) -> None:
    topics = sync(ResearchTopic, batch.topics, key=("committee", "year", "title"))
    stored_topic = {id(spec): row for spec, row in zip(batch.topics, topics, strict=True)}
    for item in batch.works:
        item.proposal.research_topic = stored_topic[id(item.topic)] if item.topic is not None else None
    proposals = sync(
        Proposal, [w.proposal for w in batch.works], key=("committee", "branch", "kind", "title", "submitted_on")
    )
    sync(
        Authorship,
        [
            Authorship(proposal=p, member=m, order=order)
            for p, w in zip(proposals, batch.works, strict=True)
            for order, m in enumerate(w.authors, start=1)
        ],
        key=("proposal", "order"),
    )
    sync(
        Outcome,
        [
            Outcome(proposal=p, kind=o.kind, level=o.level, by_whom=o.by_whom, occurred_on=o.occurred_on, note=o.note)
            for p, w in zip(proposals, batch.works, strict=True)
            for o in w.outcomes
        ],
        key=("proposal", "kind", "level", "by_whom", "occurred_on"),
    )
    sync(Activity, batch.activities, key=("committee", "branch", "kind", "title", "held_on"))
    events = sync(TrainingEvent, [t.event for t in batch.trainings], key=("committee", "kind", "title", "started_on"))
    sync(
        Attendance,
        [Attendance(event=e, member=m) for e, t in zip(events, batch.trainings, strict=True) for m in t.attendees],
        key=("event", "member"),
    )
    sync(Honor, batch.honors, key=("committee", "branch", "member", "title", "year"))
