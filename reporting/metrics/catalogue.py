"""Every figure the product shows, defined once. Look a figure up here by its code.

Codes are stable (URLs, tests and workbooks use them); labels are translated. Each metric counts or sums
records of one source under a condition that may depend on the scope: "in the period" filters on the
source's date, "at the end of the period" describes a state (members on the roll, branches existing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.db.models import Count, Exists, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committees.models import (
    Activity,
    Attendance,
    Authorship,
    Branch,
    Degree,
    Education,
    Gender,
    Honor,
    Level,
    Member,
    MemberStatusChange,
    Outcome,
    Position,
    Proposal,
    ResearchTopic,
    Sector,
    Tier,
    TitleLevel,
    TrainingEvent,
)

from .engine import Metric, Ratio, Registry, Scope, Source, Total

# Units.
PEOPLE = _("people")
ITEMS = _("items")
TIMES = pgettext_lazy("unit", "times")
PERSON_TIMES = _("person-times")
YUAN = _("yuan")
BRANCHES_UNIT = _("branches")
COPIES = _("copies")

# Summary sections, in the order of the seed reports.
IDEOLOGY, ORGANISATION, MEMBERS, GOVERNANCE, SUPERVISION, CONSULTATION, SERVICE, TRAINING, OFFICE = (
    "ideology",
    "organisation",
    "members",
    "governance",
    "supervision",
    "consultation",
    "service",
    "training",
    "office",
)

BRANCHES = Source(
    "branches",
    Branch,
    committee="committee",
    branch="id",
    related=("committee",),
    reads=("committees_attendance", "committees_trainingevent", "committees_member"),  # the leader's training
)
MEMBERS_SRC = Source(
    "members", Member, committee="committee", branch="branch", member="id", related=("committee", "branch")
)
LEAVINGS = Source(
    "status_changes",
    MemberStatusChange,
    committee="member__committee",
    branch="member__branch",
    member="member",
    date="changed_on",
    related=("member", "member__committee", "member__branch"),
    reads=("committees_member",),
)
POSITIONS = Source(
    "positions",
    Position,
    committee="member__committee",
    branch="member__branch",
    member="member",
    related=("member", "member__committee", "member__branch"),
    reads=("committees_member",),
)
PROPOSALS = Source(
    "proposals", Proposal, committee="committee", branch="branch", date="submitted_on", related=("committee", "branch")
)
AUTHORSHIPS = Source(
    "authorships",
    Authorship,
    committee="member__committee",
    branch="member__branch",
    member="member",
    date="proposal__submitted_on",
    related=("member", "proposal", "member__committee", "member__branch"),
    reads=("committees_proposal", "committees_member"),
)
OUTCOMES = Source(
    "outcomes",
    Outcome,
    committee="proposal__committee",
    branch="proposal__branch",
    date="occurred_on",
    related=("proposal", "proposal__committee", "proposal__branch"),
    reads=("committees_proposal",),
)
TOPICS = Source("research_topics", ResearchTopic, committee="committee", year="year", related=("committee",))
EVENTS = Source("training_events", TrainingEvent, committee="committee", date="started_on", related=("committee",))
HELD_ATTENDANCES = Source(
    "held_attendances",
    Attendance,
    committee="event__committee",
    branch="member__branch",
    member="member",
    date="event__started_on",
    related=("member", "event", "member__committee", "member__branch"),
    reads=("committees_trainingevent", "committees_member"),
)
MEMBER_ATTENDANCES = Source(
    "member_attendances",
    Attendance,
    committee="member__committee",
    branch="member__branch",
    member="member",
    date="event__started_on",
    related=("member", "event", "member__committee", "member__branch"),
    reads=("committees_trainingevent", "committees_member"),
)
ACTIVITIES = Source(
    "activities", Activity, committee="committee", branch="branch", date="held_on", related=("committee", "branch")
)
HONORS = Source(
    "honors",
    Honor,
    committee="committee",
    branch="branch",
    member="member",
    year="year",
    related=("committee", "branch", "member"),
    reads=("committees_member",),
)

registry = Registry()


def period(path: str) -> Callable[[Scope], Q]:
    return lambda s: Q(**{f"{path}__gte": s.start, f"{path}__lte": s.end})


def both(*conditions: Callable[[Scope], Q] | Q) -> Callable[[Scope], Q]:
    def condition(scope: Scope) -> Q:
        q = Q()
        for c in conditions:
            q &= c(scope) if callable(c) else c
        return q

    return condition


def on_roll(prefix: str = "") -> Callable[[Scope], Q]:
    """Members on the roll at the end of the period: joined by then, and not gone before it ended."""

    def condition(s: Scope) -> Q:
        joined = Q(**{f"{prefix}joined_on__isnull": True}) | Q(**{f"{prefix}joined_on__lte": s.end})
        staying = Q(**{f"{prefix}status": Member.Status.ACTIVE}) | Q(**{f"{prefix}status_changed_on__gt": s.end})
        return joined & staying

    return condition


def existing(s: Scope) -> Q:
    founded = Q(founded_on__isnull=True) | Q(founded_on__lte=s.end)
    return founded & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=s.end))


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_band(low: int | None, high: int | None) -> Callable[[Scope], Q]:
    """Age at the end of the period in [low, high]."""

    def condition(s: Scope) -> Q:
        q = Q(birth_date__isnull=False)
        if low is not None:
            q &= Q(birth_date__lte=years_before(s.end, low))
        if high is not None:
            q &= Q(birth_date__gt=years_before(s.end, high + 1))
        return q

    return condition


# ---- 基层组织: branches and the three 全覆盖 -------------------------------------------------------------------
registry.add(
    Metric(
        "branches.total",
        _("Grassroots organisations"),
        BRANCHES_UNIT,
        BRANCHES,
        when=existing,
        definition=_("Branches existing at the end of the period."),
        section=ORGANISATION,
    ),
    Metric(
        "branches.founded",
        _("Branches founded"),
        BRANCHES_UNIT,
        BRANCHES,
        when=period("founded_on"),
        definition=_("Branches whose founding date lies in the period."),
        section=ORGANISATION,
    ),
    Metric(
        "branches.dissolved",
        _("Branches dissolved"),
        BRANCHES_UNIT,
        BRANCHES,
        when=period("dissolved_on"),
        section=ORGANISATION,
    ),
    Metric(
        "branches.cpc_linked",
        _("Branches linked with a CPC organisation"),
        BRANCHES_UNIT,
        BRANCHES,
        when=both(
            existing, lambda s: ~Q(cpc_organisation="") & (Q(cpc_linked_on__isnull=True) | Q(cpc_linked_on__lte=s.end))
        ),
        section=ORGANISATION,
    ),
    Metric(
        "branches.leader_trained",
        _("Branches whose leader was trained"),
        BRANCHES_UNIT,
        BRANCHES,
        when=both(
            existing,
            lambda s: Q(
                Exists(
                    Attendance.objects.filter(
                        member=OuterRef("leader"),
                        event__kind=TrainingEvent.Kind.BRANCH_LEADERS,
                        event__started_on__gte=s.start,
                        event__started_on__lte=s.end,
                    )
                )
            ),
        ),
        definition=_("Branches whose leader attended a training for grassroots leaders in the period."),
        section=ORGANISATION,
    ),
    Metric(
        "branches.active",
        _("Branches holding activities"),
        BRANCHES_UNIT,
        ACTIVITIES,
        measure="distinct:branch",
        when=both(period("held_on"), Q(branch__isnull=False)),
        windowed=True,
        section=ORGANISATION,
    ),
    Metric(
        "branches.three_ones.proposal",
        _("Branches with a proposal or suggestion"),
        BRANCHES_UNIT,
        PROPOSALS,
        measure="distinct:branch",
        windowed=True,
        when=both(period("submitted_on"), Q(branch__isnull=False, kind__in=["proposal", "suggestion"])),
        definition=_("Three ones: the branch submitted at least one proposal or suggestion."),
        section=ORGANISATION,
    ),
    Metric(
        "branches.three_ones.service",
        _("Branches with a social service deed"),
        BRANCHES_UNIT,
        ACTIVITIES,
        measure="distinct:branch",
        windowed=True,
        when=both(period("held_on"), Q(branch__isnull=False, kind=Activity.Kind.SOCIAL_SERVICE)),
        definition=_("Three ones: the branch did at least one social service deed."),
        section=ORGANISATION,
    ),
)
registry.add(
    Ratio(
        "coverage.cpc_linked",
        _("Coverage: linked with a CPC organisation"),
        "branches.cpc_linked",
        "branches.total",
        section=ORGANISATION,
    ),
    Ratio(
        "coverage.leader_trained",
        _("Coverage: branch leaders trained"),
        "branches.leader_trained",
        "branches.total",
        section=ORGANISATION,
    ),
    Ratio(
        "coverage.active",
        _("Coverage: branches holding activities"),
        "branches.active",
        "branches.total",
        section=ORGANISATION,
    ),
    Ratio(
        "three_ones.proposal_rate",
        _("Three ones: branches with a proposal"),
        "branches.three_ones.proposal",
        "branches.total",
        section=ORGANISATION,
    ),
    Ratio(
        "three_ones.service_rate",
        _("Three ones: branches with a service deed"),
        "branches.three_ones.service",
        "branches.total",
        section=ORGANISATION,
    ),
)

# ---- 会员: members and their structure ------------------------------------------------------------------------
SENIOR_TITLES = [TitleLevel.SENIOR, TitleLevel.VICE_SENIOR]
registry.add(
    Metric(
        "members.total",
        _("Members"),
        PEOPLE,
        MEMBERS_SRC,
        when=on_roll(),
        definition=_("Members on the roll at the end of the period."),
        section=MEMBERS,
    ),
    Metric("members.joined", _("New members"), PEOPLE, MEMBERS_SRC, when=period("joined_on"), section=MEMBERS),
    Metric(
        "members.left",
        _("Members who left"),
        PEOPLE,
        LEAVINGS,
        measure="distinct:member",
        windowed=True,
        when=both(period("changed_on"), ~Q(status=Member.Status.ACTIVE)),
        definition=_("Members transferred out, withdrawn or deceased in the period."),
        section=MEMBERS,
    ),
    Metric(
        "members.senior_titles",
        _("Members with an associate senior title or above"),
        PEOPLE,
        MEMBERS_SRC,
        when=both(on_roll(), Q(title_level__in=SENIOR_TITLES)),
        section=MEMBERS,
    ),
    Metric(
        "members.doctorates",
        _("Members with a doctorate"),
        PEOPLE,
        MEMBERS_SRC,
        when=both(on_roll(), Q(degree=Degree.DOCTOR)),
        section=MEMBERS,
    ),
    Metric(
        "members.representatives",
        _("Representative figures"),
        PEOPLE,
        POSITIONS,
        measure="distinct:member",
        when=lambda s: on_roll("member__")(s) & Q(kind=Position.Kind.REPRESENTATIVE),
        section=MEMBERS,
    ),
    Metric(
        "members.reserve_cadres",
        _("Reserve cadres"),
        PEOPLE,
        POSITIONS,
        measure="distinct:member",
        when=lambda s: on_roll("member__")(s) & Q(kind=Position.Kind.RESERVE_CADRE),
        section=MEMBERS,
    ),
)
registry.add(
    Ratio(
        "members.senior_share",
        _("Share with an associate senior title or above"),
        "members.senior_titles",
        "members.total",
        section=MEMBERS,
    ),
)


def _structure(prefix: str, field: str, choices: type, title: str | Promise) -> None:
    for value, label in choices.choices:  # type: ignore[attr-defined]
        registry.add(
            Metric(
                f"members.{prefix}.{value}",
                label,
                PEOPLE,
                MEMBERS_SRC,
                when=both(on_roll(), Q(**{field: value})),
                definition=title,
                section=MEMBERS,
            )
        )


_structure("gender", "gender", Gender, _("Members on the roll by gender."))
_structure("education", "education", Education, _("Members on the roll by education."))
_structure("degree", "degree", Degree, _("Members on the roll by degree."))
_structure("title", "title_level", TitleLevel, _("Members on the roll by professional title level."))
_structure("sector", "sector", Sector, _("Members on the roll by sector."))

AGE_BANDS = (
    ("under_36", _("35 and under"), None, 35),
    ("36_45", _("36 to 45"), 36, 45),
    ("46_55", _("46 to 55"), 46, 55),
    ("56_60", _("56 to 60"), 56, 60),
    ("over_60", _("over 60"), 61, None),
)
for code, label, low, high in AGE_BANDS:
    registry.add(
        Metric(
            f"members.age.{code}",
            label,
            PEOPLE,
            MEMBERS_SRC,
            when=both(on_roll(), age_band(low, high)),
            definition=_("Members on the roll by age at the end of the period."),
            section=MEMBERS,
        )
    )


def seat_held(seat: str, tier: str) -> Callable[[Scope], Q]:
    """Members on the roll holding a 人大 / 政协 seat of this level at the end of the period."""

    def condition(s: Scope) -> Q:
        return (
            on_roll("member__")(s)
            & Q(kind=seat, level=tier)
            & (Q(started_on__isnull=True) | Q(started_on__lte=s.end))
            & (Q(ended_on__isnull=True) | Q(ended_on__gte=s.end))
        )

    return condition


for seat, seat_label in (
    (Position.Kind.NPC_DEPUTY.value, Position.Kind.NPC_DEPUTY.label),
    (Position.Kind.CPPCC_MEMBER.value, Position.Kind.CPPCC_MEMBER.label),
):
    for tier, tier_label in Tier.choices:
        registry.add(
            Metric(
                f"members.{seat}.{tier}",
                format_lazy("{}（{}）", seat_label, tier_label),
                PEOPLE,
                POSITIONS,
                measure="distinct:member",
                section=MEMBERS,
                when=seat_held(seat, tier),
            )
        )

# ---- 参政议政: proposals, 社情民意, research -------------------------------------------------------------------
for kind, label in Proposal.Kind.choices:
    registry.add(
        Metric(
            f"proposals.{kind}",
            label,
            ITEMS,
            PROPOSALS,
            when=both(period("submitted_on"), Q(kind=kind)),
            windowed=True,
            section=GOVERNANCE,
        )
    )
registry.add(
    Metric(
        "proposals.plenary_speeches",
        _("Plenary speeches"),
        ITEMS,
        PROPOSALS,
        windowed=True,
        when=both(period("submitted_on"), Q(kind=Proposal.Kind.SPEECH, occasion=Proposal.Occasion.PLENARY)),
        section=GOVERNANCE,
    ),
    Metric(
        "proposals.filed",
        _("Proposals filed"),
        ITEMS,
        PROPOSALS,
        windowed=True,
        when=both(period("submitted_on"), Q(kind=Proposal.Kind.PROPOSAL, status=Proposal.Status.FILED)),
        section=GOVERNANCE,
    ),
    Metric(
        "social_info.authors",
        _("Members who submitted social conditions reports"),
        PEOPLE,
        AUTHORSHIPS,
        measure="distinct:member",
        windowed=True,
        when=both(period("proposal__submitted_on"), Q(proposal__kind=Proposal.Kind.SOCIAL_INFO)),
        definition=_("Three ones: members who wrote or co-signed at least one social conditions report."),
        section=GOVERNANCE,
    ),
    Metric(
        "research.topics", _("Research topics"), ITEMS, TOPICS, when=TOPICS.in_period, windowed=True, section=GOVERNANCE
    ),
    Metric(
        "research.key_topics",
        _("Key research topics"),
        ITEMS,
        TOPICS,
        windowed=True,
        when=both(TOPICS.in_period, Q(is_key=True)),
        section=GOVERNANCE,
    ),
    Metric(
        "research.won_central",
        _("Topics won from the CAPD Central Committee"),
        ITEMS,
        TOPICS,
        windowed=True,
        when=both(TOPICS.in_period, Q(source=ResearchTopic.Source.PARTY_CENTRAL)),
        section=GOVERNANCE,
    ),
    Metric(
        "research.concluded",
        _("Research topics concluded"),
        ITEMS,
        TOPICS,
        windowed=True,
        when=both(TOPICS.in_period, Q(status=ResearchTopic.Status.CONCLUDED)),
        section=GOVERNANCE,
    ),
)
for kind, label in Proposal.Kind.choices:
    registry.add(
        Metric(
            f"authored.{kind}",
            label,
            ITEMS,
            AUTHORSHIPS,
            windowed=True,
            section=GOVERNANCE,
            when=both(period("proposal__submitted_on"), Q(proposal__kind=kind)),
            definition=_("Pieces of work a member wrote or co-signed, each author credited once."),
        )
    )
registry.add(
    Ratio(
        "three_ones.social_info_rate",
        _("Three ones: members with a social conditions report"),
        "social_info.authors",
        "members.total",
        section=GOVERNANCE,
    ),
)

for outcome, outcome_label in (("adopted", _("Adopted")), ("endorsed", _("Endorsed by a leader"))):
    registry.add(
        Metric(
            f"outcomes.{outcome}",
            outcome_label,
            ITEMS,
            OUTCOMES,
            measure="distinct:proposal",
            windowed=True,
            when=both(period("occurred_on"), Q(kind=outcome)),
            section=GOVERNANCE,
            definition=_("Pieces of work with this outcome in the period, each counted once."),
        )
    )
    for level, level_label in Level.choices:
        registry.add(
            Metric(
                f"outcomes.{outcome}.{level}",
                format_lazy("{}：{}", outcome_label, level_label),
                ITEMS,
                OUTCOMES,
                measure="distinct:proposal",
                windowed=True,
                section=GOVERNANCE,
                when=both(period("occurred_on"), Q(kind=outcome, level=level)),
            )
        )
registry.add(
    Metric(
        "outcomes.awarded",
        _("Awards"),
        ITEMS,
        OUTCOMES,
        measure="distinct:proposal",
        windowed=True,
        when=both(period("occurred_on"), Q(kind=Outcome.Kind.AWARDED)),
        section=GOVERNANCE,
    ),
)

# ---- 培训 ---------------------------------------------------------------------------------------------------------
OWN = Q(event__organiser_kind=TrainingEvent.Organiser.OWN)
for kind, label in TrainingEvent.Kind.choices:
    registry.add(
        Metric(
            f"training.classes.{kind}",
            label,
            TIMES,
            EVENTS,
            windowed=True,
            section=TRAINING,
            when=both(period("started_on"), Q(kind=kind, organiser_kind=TrainingEvent.Organiser.OWN)),
            definition=_("Classes of this kind the committees held themselves."),
        ),
        Metric(
            f"training.roster.{kind}",
            format_lazy("{}：{}", label, _("on the roster")),
            PERSON_TIMES,
            HELD_ATTENDANCES,
            windowed=True,
            section=TRAINING,
            when=both(period("event__started_on"), OWN & Q(event__kind=kind)),
        ),
        Metric(
            f"training.extra.{kind}",
            format_lazy("{}：{}", label, _("not on the roster")),
            PERSON_TIMES,
            EVENTS,
            measure="sum:extra_headcount",
            windowed=True,
            when=both(period("started_on"), Q(kind=kind, organiser_kind=TrainingEvent.Organiser.OWN)),
            section=TRAINING,
        ),
    )
registry.add(
    Metric(
        "training.classes",
        _("Training classes held"),
        TIMES,
        EVENTS,
        windowed=True,
        section=TRAINING,
        when=both(period("started_on"), Q(organiser_kind=TrainingEvent.Organiser.OWN)),
    ),
    Metric(
        "training.roster",
        _("Person-times trained (members on the roster)"),
        PERSON_TIMES,
        HELD_ATTENDANCES,
        windowed=True,
        when=both(period("event__started_on"), OWN),
        section=TRAINING,
    ),
    Metric(
        "training.extra",
        _("Person-times trained (not on the roster)"),
        PERSON_TIMES,
        EVENTS,
        measure="sum:extra_headcount",
        windowed=True,
        section=TRAINING,
        when=both(period("started_on"), Q(organiser_kind=TrainingEvent.Organiser.OWN)),
    ),
    Metric(
        "training.sent_higher",
        _("Person-times sent to higher-level training"),
        PERSON_TIMES,
        MEMBER_ATTENDANCES,
        windowed=True,
        section=TRAINING,
        when=lambda s: (
            period("event__started_on")(s) & (~OWN | ~Q(event__committee__path__startswith=s.committee.path))
        ),
        definition=_("Attendances of the members at classes held by higher bodies or other organisers."),
        relative=True,  # "higher" is relative to the scope's committee
    ),
    Metric(
        "training.members_trained",
        _("Members trained"),
        PEOPLE,
        MEMBER_ATTENDANCES,
        measure="distinct:member",
        windowed=True,
        when=period("event__started_on"),
        section=TRAINING,
    ),
)

for kind, label in TrainingEvent.Kind.choices:
    registry.add(
        Total(
            f"training.person_times.{kind}",
            format_lazy("{}：{}", label, _("person-times")),
            (f"training.roster.{kind}", f"training.extra.{kind}"),
            PERSON_TIMES,
            section=TRAINING,
        )
    )
registry.add(
    Total(
        "training.person_times",
        _("Person-times trained"),
        ("training.roster", "training.extra"),
        PERSON_TIMES,
        definition=_("Attendances on the roster plus attendees not on the roster, at classes held."),
        section=TRAINING,
    ),
    Metric(
        "training.attendances",
        _("Trainings attended"),
        PERSON_TIMES,
        MEMBER_ATTENDANCES,
        windowed=True,
        when=period("event__started_on"),
        section=TRAINING,
    ),
)

# ---- Activities: study, 宣讲, 民主监督, 政治协商, 社会服务 -------------------------------------------------------
SECTION_OF_ACTIVITY: dict[str, str] = {
    Activity.Kind.STUDY: IDEOLOGY,
    Activity.Kind.THEME_EDUCATION: IDEOLOGY,
    Activity.Kind.LECTURE: IDEOLOGY,
    Activity.Kind.PUBLICITY: IDEOLOGY,
    Activity.Kind.ORGANISATIONAL_LIFE: ORGANISATION,
    Activity.Kind.MEETING: OFFICE,
    Activity.Kind.INSPECTION: OFFICE,
    Activity.Kind.CONSULTATION: CONSULTATION,
    Activity.Kind.SUPERVISION: SUPERVISION,
    Activity.Kind.RESEARCH: GOVERNANCE,
    Activity.Kind.SOCIAL_SERVICE: SERVICE,
    Activity.Kind.OTHER: OFFICE,
}
for kind, label in Activity.Kind.choices:
    registry.add(
        Metric(
            f"activities.{kind}",
            label,
            TIMES,
            ACTIVITIES,
            windowed=True,
            section=SECTION_OF_ACTIVITY[kind],
            when=both(period("held_on"), Q(kind=kind)),
        ),
        Metric(
            f"activities.{kind}.participants",
            format_lazy("{}：{}", label, _("participants")),
            PERSON_TIMES,
            ACTIVITIES,
            measure="sum:participants",
            windowed=True,
            section=SECTION_OF_ACTIVITY[kind],
            when=both(period("held_on"), Q(kind=kind)),
        ),
    )
LECTURES = Q(kind=Activity.Kind.LECTURE)
SUPERVISION_Q = Q(kind=Activity.Kind.SUPERVISION)
SERVICE_Q = Q(kind=Activity.Kind.SOCIAL_SERVICE)
EPIDEMIC = SERVICE_Q & Q(service_category=Activity.ServiceCategory.EPIDEMIC)
registry.add(
    Metric(
        "lectures.committees",
        _("Committees visited for lectures"),
        ITEMS,
        ACTIVITIES,
        measure="distinct:committee",
        windowed=True,
        when=both(period("held_on"), LECTURES),
        section=IDEOLOGY,
    ),
    Metric(
        "supervision.forums",
        _("Supervision forums"),
        TIMES,
        ACTIVITIES,
        measure="sum:forums",
        windowed=True,
        when=both(period("held_on"), SUPERVISION_Q),
        section=SUPERVISION,
    ),
    Metric(
        "supervision.questionnaires",
        _("Questionnaires"),
        COPIES,
        ACTIVITIES,
        measure="sum:questionnaires",
        windowed=True,
        when=both(period("held_on"), SUPERVISION_Q),
        section=SUPERVISION,
    ),
    Metric(
        "supervision.problems",
        _("Problems found"),
        ITEMS,
        ACTIVITIES,
        measure="sum:problems_found",
        windowed=True,
        when=both(period("held_on"), SUPERVISION_Q),
        section=SUPERVISION,
    ),
    Metric(
        "supervision.suggestions",
        _("Suggestions made"),
        ITEMS,
        ACTIVITIES,
        measure="sum:suggestions_made",
        windowed=True,
        when=both(period("held_on"), SUPERVISION_Q),
        section=SUPERVISION,
    ),
    Metric(
        "service.cash",
        _("Cash donated"),
        YUAN,
        ACTIVITIES,
        measure="sum:donation_cash",
        windowed=True,
        when=both(period("held_on"), SERVICE_Q),
        section=SERVICE,
    ),
    Metric(
        "service.goods",
        _("Value of goods donated"),
        YUAN,
        ACTIVITIES,
        measure="sum:donation_goods",
        windowed=True,
        when=both(period("held_on"), SERVICE_Q),
        section=SERVICE,
    ),
    Metric(
        "service.beneficiaries",
        _("Beneficiaries"),
        PEOPLE,
        ACTIVITIES,
        measure="sum:beneficiaries",
        windowed=True,
        when=both(period("held_on"), SERVICE_Q),
        section=SERVICE,
    ),
    Metric(
        "service.epidemic.cash",
        _("Epidemic relief: cash"),
        YUAN,
        ACTIVITIES,
        measure="sum:donation_cash",
        windowed=True,
        when=both(period("held_on"), EPIDEMIC),
        section=SERVICE,
    ),
    Metric(
        "service.epidemic.goods",
        _("Epidemic relief: goods"),
        YUAN,
        ACTIVITIES,
        measure="sum:donation_goods",
        windowed=True,
        when=both(period("held_on"), EPIDEMIC),
        section=SERVICE,
    ),
)
registry.add(
    Total("service.total", _("Donations in cash and goods"), ("service.cash", "service.goods"), YUAN, section=SERVICE),
    Total(
        "service.epidemic.total",
        _("Epidemic relief donations"),
        ("service.epidemic.cash", "service.epidemic.goods"),
        YUAN,
        section=SERVICE,
    ),
)
SERVICE_MEASURES = (
    ("cash", _("cash"), YUAN, "sum:donation_cash"),
    ("goods", _("goods"), YUAN, "sum:donation_goods"),
    ("beneficiaries", _("beneficiaries"), PEOPLE, "sum:beneficiaries"),
    ("quantity", _("quantity"), ITEMS, "sum:quantity"),
)
for category, label in Activity.ServiceCategory.choices:
    if category == Activity.ServiceCategory.EPIDEMIC:
        continue
    for suffix, part, unit, measure in SERVICE_MEASURES:
        registry.add(
            Metric(
                f"service.{category}.{suffix}",
                format_lazy("{}：{}", label, part),
                unit,
                ACTIVITIES,
                measure=measure,
                windowed=True,
                when=both(period("held_on"), SERVICE_Q & Q(service_category=category)),
                section=SERVICE,
            )
        )

# ---- 表彰 ---------------------------------------------------------------------------------------------------------
registry.add(
    Metric("honors.total", _("Honours"), ITEMS, HONORS, when=HONORS.in_period, windowed=True, section=OFFICE),
)
for tier, label in Tier.choices:
    registry.add(
        Metric(
            f"honors.{tier}",
            label,
            ITEMS,
            HONORS,
            when=both(HONORS.in_period, Q(level=tier)),
            windowed=True,
            section=OFFICE,
        )
    )

# ---- 量化考核: outcome ladders and joint credit ----------------------------------------------------------------
# A scoring ladder pays a bonus per piece of work by the highest level an adoption or endorsement of it reached.
# "Reached at least L" counts the pieces submitted in the period with such an outcome at level L or above, dated
# by the end of the period; the pieces whose highest level lies between two steps are differences of these.
LADDER_KINDS = (Proposal.Kind.PROPOSAL, Proposal.Kind.SUGGESTION, Proposal.Kind.SOCIAL_INFO, Proposal.Kind.SPEECH)
LADDER_OUTCOMES = (Outcome.Kind.ADOPTED, Outcome.Kind.ENDORSED)


def levels_from(level: str) -> list[str]:
    """``level`` and every level above it."""
    return [code for code in Level.values if Level.rank(code) >= Level.rank(level)]


def reached(kind: str, level: str) -> Callable[[Scope], Q]:
    def condition(s: Scope) -> Q:
        return Q(
            proposal__kind=kind,
            proposal__submitted_on__gte=s.start,
            proposal__submitted_on__lte=s.end,
            kind__in=LADDER_OUTCOMES,
            level__in=levels_from(level),
            occurred_on__lte=s.end,
        )

    return condition


def ladder_code(kind: str, level: str) -> str:
    return f"ladder.{kind}.{level}"


for kind in LADDER_KINDS:
    for level, level_label in Level.choices:
        registry.add(
            Metric(
                ladder_code(kind, level),
                format_lazy("{}：{}", Proposal.Kind(kind).label, format_lazy(_("reached {}"), level_label)),
                ITEMS,
                OUTCOMES,
                measure="distinct:proposal",
                when=reached(kind, level),
                section=GOVERNANCE,
                definition=_(
                    "Pieces of work submitted in the period that were adopted or endorsed at this level or above "
                    "by the end of the period, each counted once."
                ),
            )
        )


# Joint credit: a piece of work with several authors is split among the authors' branches. The first author's
# share is part of a scoring scheme, so the catalogue gives the parts it is combined from: work without authors
# (credited to its own branch), work by a sole author, first authorships of joint work, and the co-authors' shares
# of the rest (each co-author 1 / number of co-authors).
def co_author_share() -> Any:
    co_authors = (
        Authorship.objects.filter(proposal=OuterRef("proposal"), order__gt=1)
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Value(1.0) / Cast(Subquery(co_authors), FloatField())


# The credit parts probe, for each row, whether a piece of work has (co-)authors: dearer per row than the other
# figures of their tables, so they are counted in queries of their own, only when asked for.
CREDITED_PROPOSALS = replace(PROPOSALS, name="credited_proposals", reads=("committees_authorship",))
CREDITED_AUTHORSHIPS = replace(AUTHORSHIPS, name="credited_authorships")


def credit_codes(kind: str) -> dict[str, str]:
    return {part: f"credit.{kind}.{part}" for part in ("unauthored", "sole", "first", "co")}


def _co_signed(signed: bool) -> Q:
    """For a first authorship: whether the piece of work has co-authors (a probe of the (proposal, order) index)."""
    others = Q(Exists(Authorship.objects.filter(proposal=OuterRef("proposal"), order__gt=1)))
    return others if signed else ~others


for kind, label in Proposal.Kind.choices:
    codes = credit_codes(kind)
    in_period = period("proposal__submitted_on")
    registry.add(
        Metric(
            codes["unauthored"],
            format_lazy("{}：{}", label, _("without authors")),
            ITEMS,
            CREDITED_PROPOSALS,
            windowed=True,
            when=both(
                period("submitted_on"), Q(kind=kind), ~Q(Exists(Authorship.objects.filter(proposal=OuterRef("pk"))))
            ),
            section=GOVERNANCE,
        ),
        Metric(
            codes["sole"],
            format_lazy("{}：{}", label, _("by a sole author")),
            ITEMS,
            CREDITED_AUTHORSHIPS,
            windowed=True,
            when=both(in_period, Q(proposal__kind=kind, order=1), _co_signed(False)),
            section=GOVERNANCE,
        ),
        Metric(
            codes["first"],
            format_lazy("{}：{}", label, _("first authorships of joint work")),
            ITEMS,
            CREDITED_AUTHORSHIPS,
            windowed=True,
            when=both(in_period, Q(proposal__kind=kind, order=1), _co_signed(True)),
            section=GOVERNANCE,
        ),
        Metric(
            codes["co"],
            format_lazy("{}：{}", label, _("co-authors' shares of joint work")),
            ITEMS,
            CREDITED_AUTHORSHIPS,
            measure="weighted",
            weight=co_author_share,
            windowed=True,
            when=both(in_period, Q(proposal__kind=kind, order__gt=1)),
            section=GOVERNANCE,
            definition=_("Each co-author of a joint piece of work counts 1 / the number of its co-authors."),
        ),
    )
