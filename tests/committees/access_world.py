"""The world the access matrix runs in: every model (13 kinds of record, users, the export log) three times,
once per place, and the personas.

Every record lives in one of three places:

- ``harbin`` — the Harbin branch (or its member, its proposal, the Harbin committee itself),
- ``hlj``    — 黑龙江省委会 directly (a 省直 branch under it, or records with committee=hlj and no branch),
- ``gz``     — Guizhou (the Guiyang branch, the Guiyang or the Guizhou committee).

Every record carries a token naming its place and model (``HRB-Proposal-x``), so that a page can be searched
for records it must not show. Auxiliary records (second members, records to delete) carry tokens too, and are
listed with the model and place whose visibility they share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from committees import models as m
from tests.conftest import Tree

LOCATIONS = ("harbin", "hlj", "gz")
PREFIX = {"harbin": "HRB", "hlj": "HLJ", "gz": "GZ"}

MODELS: tuple[type[Model], ...] = (
    m.Committee,
    m.Branch,
    m.Member,
    m.MemberStatusChange,
    m.Position,
    m.ResearchTopic,
    m.Proposal,
    m.Authorship,
    m.Outcome,
    m.TrainingEvent,
    m.Attendance,
    m.Activity,
    m.Honor,
    m.User,
    m.ExportLog,
)

PERSONAS = ("admin", "hlj_staff", "hlj_leader", "hrb_staff", "gz_staff", "gz_leader", "branch_chair", "outsider")


def token(loc: str, label: str) -> str:
    """``HRB-Member-x``: the trailing ``-x`` keeps ``HRB-Member`` from matching inside ``HRB-MemberStatusChange``."""
    return f"{PREFIX[loc]}-{label}-x"


@dataclass
class World:
    tree: Tree
    personas: dict[str, m.User]
    objects: dict[tuple[type[Model], str], Model]
    branches: dict[str, m.Branch]
    members2: dict[str, m.Member]
    members3: dict[str, m.Member]
    # token -> (model whose visibility rules apply, place)
    tokens: dict[str, tuple[type[Model], str]] = field(default_factory=dict)
    # pk of every known row -> place, per model (main and auxiliary rows alike)
    places: dict[type[Model], dict[Any, str]] = field(default_factory=dict)

    def obj(self, model: type[Model], loc: str) -> Any:
        return self.objects[model, loc]

    def know(self, obj: Model, loc: str, label: str | None = None) -> None:
        self.places.setdefault(type(obj), {})[obj.pk] = loc
        if label is not None:
            self.tokens[token(loc, label)] = (type(obj), loc)


def _member(branch: m.Branch, name: str) -> m.Member:
    return m.Member.objects.create(
        branch=branch,
        committee_id=branch.committee_id,
        name=name,
        gender=m.Gender.FEMALE,
        birth_date=dt.date(1975, 5, 1),
        joined_on=dt.date(2005, 6, 1),
    )


def _rename(obj: Model, name: str) -> None:
    type(obj)._default_manager.filter(pk=obj.pk).update(name=name)
    obj.refresh_from_db()


def make_personas(tree: Tree) -> dict[str, m.User]:
    def user(username: str, **fields: Any) -> m.User:
        return m.User.objects.create_user(username, is_staff=True, **fields)

    staff, leader, branch = m.User.Role.STAFF, m.User.Role.LEADER, m.User.Role.BRANCH
    return {
        "admin": user("persona_admin", is_superuser=True),
        "hlj_staff": user("persona_hlj_staff", role=staff, committee=tree.hlj),
        "hlj_leader": user("persona_hlj_leader", role=leader, committee=tree.hlj),
        "hrb_staff": user("persona_hrb_staff", role=staff, committee=tree.harbin),
        "gz_staff": user("persona_gz_staff", role=staff, committee=tree.gz),
        "gz_leader": user("persona_gz_leader", role=leader, committee=tree.gz),
        "branch_chair": user("persona_branch_chair", role=branch, branch=tree.harbin_branch),
        "outsider": user("persona_outsider"),
    }


def build_world(tree: Tree) -> World:
    committees = {"harbin": tree.harbin, "hlj": tree.hlj, "gz": tree.gz}
    for loc, committee in committees.items():
        _rename(committee, f"{committee.name} {token(loc, 'Committee')}")
    _rename(tree.guiyang, f"民进贵阳市委会 {token('gz', 'Committee2')}")
    _rename(tree.harbin_branch, f"哈尔滨工程大学支部 {token('harbin', 'Branch')}")
    _rename(tree.guiyang_branch, f"贵州大学支部 {token('gz', 'Branch')}")
    branches = {
        "harbin": tree.harbin_branch,
        "hlj": m.Branch.objects.create(committee=tree.hlj, name=f"省直第一支部 {token('hlj', 'Branch')}"),
        "gz": tree.guiyang_branch,
    }
    # Committee-owned records: the Harbin committee, the province itself, and a Guizhou committee.
    topic_committees = {"harbin": tree.harbin, "hlj": tree.hlj, "gz": tree.gz}
    event_committees = {"harbin": tree.harbin, "hlj": tree.hlj, "gz": tree.guiyang}

    world = World(
        tree=tree,
        personas=make_personas(tree),
        objects={},
        branches=branches,
        members2={},
        members3={},
    )
    for loc in LOCATIONS:
        branch = branches[loc]
        objects: dict[type[Model], Model] = {m.Committee: committees[loc], m.Branch: branch}
        member = objects[m.Member] = _member(branch, token(loc, "Member"))
        world.members2[loc] = _member(branch, token(loc, "Member2"))
        world.members3[loc] = _member(branch, token(loc, "Member3"))
        objects[m.MemberStatusChange] = m.MemberStatusChange.objects.create(
            member=member,
            status=m.Member.Status.TRANSFERRED,
            changed_on=dt.date(2020, 3, 1),
            note=token(loc, "MemberStatusChange"),
        )
        objects[m.Position] = m.Position.objects.create(
            member=member, kind=m.Position.Kind.PARTY_POST, title=token(loc, "Position")
        )
        objects[m.ResearchTopic] = m.ResearchTopic.objects.create(
            committee=topic_committees[loc], title=token(loc, "ResearchTopic"), year=2020
        )
        # Harbin and Guizhou proposals and activities belong to a branch, Heilongjiang's to the committee.
        owner: dict[str, Any] = {"committee": tree.hlj} if loc == "hlj" else {"branch": branch}
        proposal = objects[m.Proposal] = m.Proposal.objects.create(
            kind=m.Proposal.Kind.PROPOSAL, title=token(loc, "Proposal"), submitted_on=dt.date(2020, 1, 10), **owner
        )
        objects[m.Authorship] = m.Authorship.objects.create(proposal=proposal, member=member, order=1)
        objects[m.Outcome] = m.Outcome.objects.create(
            proposal=proposal, kind=m.Outcome.Kind.REPLIED, occurred_on=dt.date(2020, 6, 1), note=token(loc, "Outcome")
        )
        event = objects[m.TrainingEvent] = m.TrainingEvent.objects.create(
            committee=event_committees[loc],
            title=token(loc, "TrainingEvent"),
            kind=m.TrainingEvent.Kind.NEW_MEMBERS,
            organiser_level=m.Tier.PROVINCIAL,
            started_on=dt.date(2020, 9, 1),
            ended_on=dt.date(2020, 9, 3),
        )
        objects[m.Attendance] = m.Attendance.objects.create(event=event, member=member)
        objects[m.Activity] = m.Activity.objects.create(
            kind=m.Activity.Kind.STUDY, title=token(loc, "Activity"), held_on=dt.date(2020, 5, 1), **owner
        )
        # Harbin's honour goes to a member, Heilongjiang's to the committee, Guizhou's to a branch.
        recipients: dict[str, dict[str, Any]] = {
            "harbin": {"member": member, "committee": tree.harbin},
            "hlj": {"committee": tree.hlj},
            "gz": {"branch": branch, "committee": branch.committee},
        }
        objects[m.Honor] = m.Honor.objects.create(
            title=token(loc, "Honor"), level=m.Tier.CITY, year=2020, awarded_by="省委会", **recipients[loc]
        )
        user = objects[m.User] = m.User.objects.create_user(
            token(loc, "User"), role=m.User.Role.STAFF, committee=committees[loc], is_staff=True
        )
        objects[m.ExportLog] = m.ExportLog.objects.create(
            user=user, username=token(loc, "ExportLog"), kind="members", committee=committees[loc], rows=3
        )
        for model, obj in objects.items():
            world.objects[model, loc] = obj
            world.know(obj, loc, model.__name__)
        world.know(world.members2[loc], loc, "Member2")
        world.know(world.members3[loc], loc, "Member3")
    world.know(tree.guiyang, "gz", "Committee2")
    return world


VICTIM_CODES = {
    "Del": {"harbin": "230199", "hlj": "239998", "gz": "529998"},
    "BulkDel": {"harbin": "230198", "hlj": "239996", "gz": "529996"},
}


def build_victims(world: World, model: type[Model], kind: str = "Del") -> dict[str, Model]:
    """A fresh row of ``model`` in each place that nothing else depends on, for the delete cells.

    ``kind`` ("Del" or "BulkDel") keeps the names of two sets of victims apart."""
    victims: dict[str, Model] = {}
    for loc in LOCATIONS:
        label = f"{kind}{model.__name__}"
        name = token(loc, label)
        branch = world.branches[loc]
        main: Any = world.obj(model, loc)
        victim: Model
        if model is m.Committee:
            # A new leaf under the place's committee: only administrators may delete, whatever the place.
            parent = world.obj(m.Committee, loc)
            parent.refresh_from_db()
            code = VICTIM_CODES[kind][loc]
            victim = parent.add_child(name=f"待删委员会 {code}", code=code, kind="county")
            victims[loc] = victim
            continue
        if model is m.Branch:
            victim = m.Branch.objects.create(committee=main.committee, name=name)
        elif model is m.Member:
            victim = _member(branch, name)
        elif model is m.MemberStatusChange:
            victim = m.MemberStatusChange.objects.create(
                member=main.member,
                status=m.Member.Status.WITHDRAWN,
                changed_on=dt.date(2021, 1, 1 if kind == "Del" else 2),
                note=name,
            )
        elif model is m.Position:
            victim = m.Position.objects.create(member=main.member, kind=m.Position.Kind.REPRESENTATIVE, title=name)
        elif model is m.ResearchTopic:
            victim = m.ResearchTopic.objects.create(committee=main.committee, title=name, year=2021)
        elif model is m.Proposal:
            victim = m.Proposal.objects.create(
                kind=m.Proposal.Kind.SUGGESTION,
                title=name,
                submitted_on=dt.date(2021, 1, 10),
                committee=main.committee,
                branch=main.branch,
            )
        elif model is m.Authorship:
            proposal = m.Proposal.objects.create(
                kind=m.Proposal.Kind.SUGGESTION,
                title=token(loc, f"{kind}AuthorshipProposal"),
                submitted_on=dt.date(2021, 1, 10),
                committee=main.proposal.committee,
                branch=main.proposal.branch,
            )
            world.know(proposal, loc, f"{kind}AuthorshipProposal")
            victim = m.Authorship.objects.create(proposal=proposal, member=main.member, order=1)
        elif model is m.Outcome:
            victim = m.Outcome.objects.create(
                proposal=main.proposal, kind=m.Outcome.Kind.FILED, occurred_on=dt.date(2020, 7, 1), note=name
            )
        elif model is m.TrainingEvent:
            victim = m.TrainingEvent.objects.create(
                committee=main.committee,
                title=name,
                kind=m.TrainingEvent.Kind.OTHER,
                organiser_level=m.Tier.CITY,
                started_on=dt.date(2021, 9, 1),
                ended_on=dt.date(2021, 9, 1),
            )
        elif model is m.Attendance:
            event = m.TrainingEvent.objects.create(
                committee=main.event.committee,
                title=token(loc, f"{kind}AttendanceEvent"),
                kind=m.TrainingEvent.Kind.OTHER,
                organiser_level=m.Tier.CITY,
                started_on=dt.date(2021, 9, 1),
                ended_on=dt.date(2021, 9, 1),
            )
            world.know(event, loc, f"{kind}AttendanceEvent")
            victim = m.Attendance.objects.create(event=event, member=main.member)
        elif model is m.Activity:
            victim = m.Activity.objects.create(
                kind=m.Activity.Kind.MEETING,
                title=name,
                held_on=dt.date(2021, 5, 1),
                committee=main.committee,
                branch=main.branch,
            )
        elif model is m.Honor:
            victim = m.Honor.objects.create(
                title=name,
                level=m.Tier.COUNTY,
                year=2021,
                committee=main.committee,
                branch=main.branch,
                member=main.member,
            )
        elif model is m.User:
            victim = m.User.objects.create_user(name, role=m.User.Role.LEADER, committee=main.committee, is_staff=True)
        elif model is m.ExportLog:
            victim = m.ExportLog.objects.create(username=name, kind="proposals", committee=main.committee)
        else:  # pragma: no cover - every model is listed above
            raise AssertionError(model)
        has_token = model not in (m.Authorship, m.Attendance)
        world.know(victim, loc, label if has_token else None)
        victims[loc] = victim
    return victims
