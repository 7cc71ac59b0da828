"""Everyday records around the seed figures, 2019-2021, kept modest in size.

Heilongjiang 2020 gets branch life, proposals without awards or endorsements and 社情民意信息 only, so
that every figure of the 2020 summary stays exactly the records of heilongjiang_2020.
"""

from __future__ import annotations

import datetime as dt
import random

from committees.models import (
    Activity,
    Branch,
    Level,
    Member,
    Outcome,
    Proposal,
    ResearchTopic,
    Tier,
    TitleLevel,
    TrainingEvent,
)

from . import generated
from .members import Roster
from .records import Batch, activity, honor, outcome, training, work
from .sync import rng
from .tree import GUIZHOU, HEILONGJIANG, PROVINCES, SPEC_BY_CODE, Tree

D = dt.date
YEARS = (2019, 2020, 2021)
SOCIAL_INFO_SHARE = 0.08
PARTY_PROPOSALS = {
    HEILONGJIANG: {
        2019: (
            "关于加强黑土地保护利用的提案",
            "关于推动我省冰雪旅游高质量发展的提案",
            "关于完善对俄边境贸易政策的提案",
        ),
        2021: ("关于推进我省乡村振兴与脱贫攻坚有效衔接的提案", "关于加快寒地生物医药产业发展的提案"),
    },
    GUIZHOU: {
        2019: (
            "关于加强易地扶贫搬迁后续扶持的提案",
            "关于推动大数据与实体经济深度融合的提案",
            "关于加强民族地区双语教育的提案",
        ),
        2020: ("关于做好疫情防控常态化下中小学复学工作的提案", "关于巩固脱贫攻坚成果的提案"),
        2021: ("关于发展山地特色高效农业的提案", "关于推进乡村教师队伍建设的提案"),
    },
}
KEY_TOPICS = {
    (HEILONGJIANG, 2019): ("老工业基地振兴中的营商环境研究", "黑土地保护性耕作推广研究", "对俄跨境电商发展研究"),
    (HEILONGJIANG, 2021): ("乡村振兴与脱贫攻坚有效衔接研究", "寒地冰雪经济发展研究", "哈尔滨新区科技创新研究"),
    (GUIZHOU, 2019): ("易地扶贫搬迁社区治理研究", "大数据助推教育均衡发展研究", "民族地区乡村教师队伍研究"),
    (GUIZHOU, 2021): ("巩固拓展脱贫攻坚成果研究", "山地旅游高质量发展研究"),
}
SPECIAL_COMMITTEES = ("经济专委会", "教育专委会", "文化专委会", "医药卫生专委会", "科技专委会")


def _branch_year(
    rand: random.Random, tree: Tree, roster: Roster, dates: generated.Dates, branch: Branch, year: int, batch: Batch
) -> None:
    province = tree.province(branch)
    founded = branch.founded_on
    assert founded is not None
    if founded.year > year:
        return
    people = [m for m in roster.by_branch[branch.pk] if m.joined_on and m.joined_on.year < year]
    if founded.year == year:
        members = len(roster.by_branch[branch.pk])
        batch.activities.append(
            activity(branch, Activity.Kind.MEETING, f"{branch.name}成立大会", founded, participants=members)
        )
        return
    batch.activities += generated.branch_life(rand, dates, branch, year, len(people))
    quiet_2020 = province == HEILONGJIANG and year == 2020
    if len(people) >= 2 and rand.random() < (0.5 if quiet_2020 else 0.7):
        first = roster.leaders.get(branch.pk) or people[0]
        co = rand.sample([m for m in people if m != first], rand.randint(0, 2))
        suggestion = not quiet_2020 and rand.random() < 0.4
        batch.works.append(
            generated.branch_proposal(
                rand, tree, dates, branch, [first, *co], year, suggestion=suggestion, may_excel=not quiet_2020
            )
        )
    if province == GUIZHOU and rand.random() < 0.75:
        batch.activities.append(generated.service(rand, dates, branch, year))
    if province == HEILONGJIANG and year != 2020 and rand.random() < 0.3:
        batch.activities.append(generated.service(rand, dates, branch, year))


def _social_info(rand: random.Random, tree: Tree, roster: Roster, dates: generated.Dates, batch: Batch) -> None:
    for province in PROVINCES:
        prefix = "黑民进" if province == HEILONGJIANG else "黔民进"
        for year in YEARS:
            if province == GUIZHOU and year == 2019:
                continue  # the 三个“一” year, generated in guizhou_2019
            writers = [
                m
                for m in roster.active[province]
                if m.joined_on and m.joined_on.year < year and rand.random() < SOCIAL_INFO_SHARE
            ]
            for serial, member in enumerate(writers, start=1):
                peers = roster.peers(member)
                co = rand.sample([m for m in peers if m != member], rand.choice((0, 0, 1))) if len(peers) > 3 else []
                batch.works.append(
                    generated.social_info(
                        rand, tree, dates, [member, *co], year, f"{prefix}社情〔{year}〕{serial:04d}号", 0.15
                    )
                )


def _committee_work(rand: random.Random, tree: Tree, roster: Roster, batch: Batch) -> None:
    for province, by_year in PARTY_PROPOSALS.items():
        committee = tree.committees[province]
        place = SPEC_BY_CODE[province].place
        seniors = [m for m in roster.active[province] if m.title_level in (TitleLevel.SENIOR, TitleLevel.VICE_SENIOR)]
        for year, proposal_titles in by_year.items():
            for n, title in enumerate(proposal_titles):
                on = D(year, 1, 8 + n)
                outcomes = [outcome(Outcome.Kind.FILED, on + dt.timedelta(days=25), by_whom=f"{place}政协")]
                if n == 0:
                    outcomes.append(
                        outcome(Outcome.Kind.ENDORSED, on + dt.timedelta(days=70), Level.PROVINCIAL_LEADER, "副省长")
                    )
                batch.works.append(
                    work(
                        committee,
                        Proposal.Kind.PROPOSAL,
                        title,
                        on,
                        rand.sample(seniors, 2),
                        outcomes,
                        raised_as=Proposal.RaisedAs.PARTY,
                        occasion=Proposal.Occasion.PLENARY,
                        venue=f"{place}政协全会",
                        venue_level=Tier.PROVINCIAL,
                        status=Proposal.Status.FILED,
                    )
                )
    for (province, year), topic_titles in KEY_TOPICS.items():
        batch.topics += [
            ResearchTopic(
                committee=tree.committees[province],
                title=title,
                year=year,
                is_key=True,
                special_committee=SPECIAL_COMMITTEES[n % len(SPECIAL_COMMITTEES)],
                status=ResearchTopic.Status.CONCLUDED if year < 2021 else ResearchTopic.Status.APPROVED,
                concluded_on=D(year, 12, 10) if year < 2021 else None,
            )
            for n, title in enumerate(topic_titles)
        ]
    hlj, gz = tree.committees[HEILONGJIANG], tree.committees[GUIZHOU]
    batch.activities += [
        activity(
            hlj,
            Activity.Kind.SUPERVISION,
            "鹤岗市脱贫攻坚民主监督专项调研",
            D(2019, 6, 18),
            ended_on=D(2019, 6, 20),
            place="鹤岗市",
            topic="脱贫攻坚民主监督",
            forums=2,
            questionnaires=120,
            problems_found=15,
            suggestions_made=5,
            participants=10,
        ),
        activity(
            hlj,
            Activity.Kind.SUPERVISION,
            "鹤岗市脱贫攻坚民主监督回访调研",
            D(2019, 10, 22),
            place="鹤岗市",
            topic="脱贫攻坚民主监督",
            forums=1,
            questionnaires=60,
            problems_found=6,
            suggestions_made=3,
            participants=8,
        ),
        activity(
            hlj,
            Activity.Kind.SUPERVISION,
            "鹤岗市巩固脱贫攻坚成果民主监督调研",
            D(2021, 6, 15),
            place="鹤岗市",
            topic="巩固拓展脱贫攻坚成果",
            forums=2,
            questionnaires=90,
            problems_found=10,
            suggestions_made=4,
            participants=9,
        ),
        activity(
            hlj,
            Activity.Kind.CONSULTATION,
            "中共省委党外人士座谈会（年度经济工作）",
            D(2019, 12, 17),
            topic="优化营商环境",
            participants=30,
        ),
        activity(
            hlj,
            Activity.Kind.CONSULTATION,
            "中共省委党外人士座谈会（“十四五”开局）",
            D(2021, 3, 30),
            topic="乡村振兴",
            participants=30,
        ),
        activity(
            gz,
            Activity.Kind.CONSULTATION,
            "中共贵州省委党外人士座谈会（脱贫攻坚）",
            D(2019, 11, 5),
            topic="易地扶贫搬迁后续扶持",
            participants=30,
        ),
        activity(
            gz,
            Activity.Kind.CONSULTATION,
            "中共贵州省委党外人士座谈会（“十四五”规划）",
            D(2020, 10, 28),
            topic="大数据产业发展",
            participants=30,
        ),
        activity(
            gz,
            Activity.Kind.SUPERVISION,
            "脱贫攻坚民主监督专项调研",
            D(2020, 7, 14),
            place="黔南州",
            topic="脱贫攻坚民主监督",
            forums=2,
            questionnaires=150,
            problems_found=12,
            suggestions_made=5,
            participants=11,
        ),
    ]


def _trainings(rand: random.Random, tree: Tree, roster: Roster, batch: Batch) -> None:
    hlj, gz = tree.committees[HEILONGJIANG], tree.committees[GUIZHOU]

    def joined_before(province: str, on: dt.date, count: int, since: dt.date | None = None) -> list[Member]:
        pool = [
            m
            for m in roster.active[province]
            if m.joined_on and m.joined_on < on and (since is None or m.joined_on >= since)
        ]
        return rand.sample(pool, min(count, len(pool)))

    own = {"organiser_level": Tier.PROVINCIAL}
    batch.trainings += [
        training(
            hlj,
            TrainingEvent.Kind.BRANCH_LEADERS,
            "2019年基层组织负责人培训班",
            D(2019, 8, 20),
            D(2019, 8, 22),
            joined_before(HEILONGJIANG, D(2019, 8, 20), 150),
            place="哈尔滨",
            **own,
        ),
        training(
            hlj,
            TrainingEvent.Kind.NEW_MEMBERS,
            "2019年新会员培训班",
            D(2019, 11, 5),
            D(2019, 11, 6),
            joined_before(HEILONGJIANG, D(2019, 11, 5), 60, D(2018, 9, 1)),
            place="哈尔滨",
            **own,
        ),
        training(
            hlj,
            TrainingEvent.Kind.NEW_MEMBERS,
            "2021年新会员培训班",
            D(2021, 5, 18),
            D(2021, 5, 19),
            joined_before(HEILONGJIANG, D(2021, 5, 18), 60, D(2020, 1, 1)),
            place="哈尔滨",
            **own,
        ),
        training(
            gz,
            TrainingEvent.Kind.NEW_MEMBERS,
            "2020年新会员培训班",
            D(2020, 9, 22),
            D(2020, 9, 24),
            joined_before(GUIZHOU, D(2020, 9, 22), 70, D(2019, 9, 1)),
            place="贵阳",
            **own,
        ),
        training(
            gz,
            TrainingEvent.Kind.NEW_MEMBERS,
            "2021年新会员培训班",
            D(2021, 9, 14),
            D(2021, 9, 16),
            joined_before(GUIZHOU, D(2021, 9, 14), 70, D(2020, 6, 1)),
            place="贵阳",
            **own,
        ),
        training(
            gz,
            TrainingEvent.Kind.CORE_MEMBERS,
            "民进中央骨干会员培训班",
            D(2020, 11, 2),
            D(2020, 11, 6),
            joined_before(GUIZHOU, D(2020, 11, 2), 10),
            organiser_kind=TrainingEvent.Organiser.PARTY_HIGHER,
            organiser_name="民进中央",
            organiser_level=Tier.NATIONAL,
            place="北京",
        ),
    ]


def _honours(rand: random.Random, tree: Tree, roster: Roster, batch: Batch) -> None:
    for province in PROVINCES:
        place = SPEC_BY_CODE[province].place
        branches = tree.branches_of(province)
        years = (2019, 2021) if province == HEILONGJIANG else YEARS
        for year in years:
            founded = [b for b in branches if b.founded_on and b.founded_on.year < year]
            batch.honors += [
                honor(b, "先进基层组织", Tier.PROVINCIAL, year, awarded_by=f"民进{place}委员会")
                for b in rand.sample(founded, 3)
            ]
            people = rand.sample(roster.active[province], 6)
            batch.honors += [
                honor(m, title, Tier.PROVINCIAL, year, awarded_by=f"民进{place}委员会")
                for m, title in zip(
                    people,
                    (
                        "优秀会员",
                        "优秀会员",
                        "参政议政先进个人",
                        "参政议政先进个人",
                        "社会服务先进个人",
                        "社会服务先进个人",
                    ),
                    strict=True,
                )
            ]


def build(tree: Tree, roster: Roster) -> Batch:
    rand = rng("background")
    dates = generated.Dates()
    batch = Batch()
    for year in YEARS:
        for branch in tree.branches:
            if tree.province(branch) == GUIZHOU and year == 2019:
                continue
            _branch_year(rand, tree, roster, dates, branch, year, batch)
    _social_info(rand, tree, roster, dates, batch)
    _committee_work(rand, tree, roster, batch)
    _trainings(rand, tree, roster, batch)
    _honours(rand, tree, roster, batch)
    return batch
