"""民进黑龙江省委会 2020 (履职能力建设主题年): the records behind every figure of the year summary."""

from __future__ import annotations

import datetime as dt

from committees.models import Level, Member, Outcome, Proposal, ResearchTopic, Tier, TitleLevel

from .heilongjiang_2020_activities import build_activities
from .members import Roster
from .records import Batch, honor, outcome, work
from .sync import rng
from .tree import HEILONGJIANG, Tree

D = dt.date
KEY_TOPICS = (
    ("经济专委会", "我省县域经济高质量发展路径研究"),
    ("经济专委会", "做大做强我省冰雪产业研究"),
    ("经济专委会", "我省乳业高质量发展研究"),
    ("科技专委会", "清洁能源在我省推广应用研究"),
    ("科技专委会", "黑龙江省医疗器械产业基地建设研究"),
    ("医药卫生专委会", "整合省市医疗机构人才资源研究"),
    ("医药卫生专委会", "打造千亿级中医药健康产业链研究"),
    ("教育专委会", "区域教育优质均衡发展研究"),
    ("教育专委会", "发展职业教育助推乡村振兴战略实施研究"),
    ("文化专委会", "工业遗产保护与红色文化旅游融合发展研究"),
    ("社会与法制专委会", "哈尔滨食品安全城市建设研究"),
    ("社会与法制专委会", "校车安全管理长效机制研究"),
)


def build(tree: Tree, roster: Roster) -> Batch:
    rand = rng("heilongjiang-2020")
    hlj = tree.committees[HEILONGJIANG]
    named = roster.named
    members = list(roster.active[HEILONGJIANG])
    shuffled = rand.sample(members, len(members))
    senior = [m for m in shuffled if m.title_level in (TitleLevel.SENIOR, TitleLevel.VICE_SENIOR)]
    office = roster.by_branch[tree.branch(HEILONGJIANG, "省直第一支部").pk]
    batch = Batch()

    def authors(*extra: Member, count: int = 2) -> list[Member]:
        return [*extra, *rand.sample([m for m in office if m not in extra], count)]

    batch.works.append(
        work(
            hlj,
            Proposal.Kind.THEORY_PAPER,
            "民主党派如何在依法治国中发挥作用",
            D(2020, 6, 30),
            authors(count=3),
            [
                outcome(
                    Outcome.Kind.AWARDED,
                    D(2020, 11, 20),
                    Level.PROVINCIAL,
                    "中共黑龙江省委统战部",
                    "全省统战理论研究特别奖",
                )
            ],
        )
    )
    for title, won, concluded in (
        ("民进智库建设对提升新型政党制度效能的研究", D(2020, 4, 10), D(2020, 11, 30)),
        ("新时代民进作风建设研究", D(2020, 4, 10), D(2020, 12, 10)),
    ):
        batch.topics.append(
            ResearchTopic(
                committee=hlj,
                title=title,
                year=2020,
                special_committee="参政议政委员会",
                source=ResearchTopic.Source.PARTY_CENTRAL,
                status=ResearchTopic.Status.CONCLUDED,
                won_on=won,
                concluded_on=concluded,
            )
        )
    key_topics = [
        ResearchTopic(
            committee=hlj,
            title=title,
            year=2020,
            special_committee=sc,
            is_key=True,
            status=ResearchTopic.Status.APPROVED,
        )
        for sc, title in KEY_TOPICS
    ]
    batch.topics += key_topics

    def endorsed(by: str, on: dt.date) -> Outcome:
        return outcome(Outcome.Kind.ENDORSED, on, Level.PROVINCIAL_LEADER, by)

    for (title, on, outcomes), topic in zip(
        (
            (
                "关于大力发展我省县域经济",
                D(2020, 3, 16),
                [endorsed("省委书记", D(2020, 4, 2)), endorsed("省长", D(2020, 4, 5))],
            ),
            ("关于利用工厂旧址创建大庆“红色工业文化小镇”的建议", D(2020, 5, 11), [endorsed("省长", D(2020, 5, 28))]),
            ("关于建立黑龙江省医疗器械产业基地的建议", D(2020, 7, 20), [endorsed("省委书记", D(2020, 8, 10))]),
        ),
        (key_topics[0], key_topics[9], key_topics[4]),
        strict=True,
    ):
        batch.works.append(
            work(
                hlj,
                Proposal.Kind.SUGGESTION,
                title,
                on,
                authors(named["张显友"]),
                outcomes,
                topic,
                raised_as=Proposal.RaisedAs.PARTY,
            )
        )

    harbin = tree.committees["230100"]
    for owner, title, venue, level, by, award, award_level in (
        (harbin, "打造哈尔滨食品安全城市建议", "哈尔滨市政协全会", Tier.CITY, "哈尔滨市政协", "政协建议案", Level.CITY),
        (
            hlj,
            "校车安全问题应引起高度重视",
            "省政协全会",
            Tier.PROVINCIAL,
            "黑龙江省政协",
            "优秀提案",
            Level.PROVINCIAL,
        ),
        (
            hlj,
            "关于区域教育优质均衡发展的建议",
            "省政协全会",
            Tier.PROVINCIAL,
            "黑龙江省政协",
            "优秀提案",
            Level.PROVINCIAL,
        ),
    ):
        batch.works.append(
            work(
                owner,
                Proposal.Kind.PROPOSAL,
                title,
                D(2020, 1, 10),
                authors(rand.choice(senior), count=1),
                [
                    outcome(Outcome.Kind.FILED, D(2020, 2, 20), by_whom=by),
                    outcome(Outcome.Kind.AWARDED, D(2020, 12, 18), award_level, by, award),
                ],
                occasion=Proposal.Occasion.PLENARY,
                venue=venue,
                venue_level=level,
                status=Proposal.Status.FILED,
                is_excellent=True,
            )
        )
    batch.works.append(
        work(
            hlj,
            Proposal.Kind.PROPOSAL,
            "关于将9月27日设立为我国国旗日的提案",
            D(2019, 3, 5),
            [named["张显友"]],
            [
                outcome(
                    Outcome.Kind.REPLIED,
                    D(2019, 7, 18),
                    Level.NATIONAL_CPPCC,
                    "全国人大常委会法制工作委员会",
                    "结合国旗法、国徽法修法工作，对此建议认真予以研究",
                ),
                outcome(
                    Outcome.Kind.FORWARDED,
                    D(2020, 10, 14),
                    Level.NATIONAL_CPPCC,
                    "高友东（全国人大常委会委员、民进中央副主席兼秘书长）",
                    "十三届全国人大常委会第二十二次会议分组审议国旗法（修正草案）时提出设立国旗日的建议",
                ),
            ],
            occasion=Proposal.Occasion.PLENARY,
            venue="全国两会",
            venue_level=Tier.NATIONAL,
            reply_result=Proposal.ReplyResult.PLANNED,
        )
    )
    batch.works += [
        work(
            hlj,
            Proposal.Kind.SPEECH,
            "加快发展鹅产业 促进农民脱贫增收",
            D(2020, 1, 13),
            authors(named["张显友"]),
            [endorsed("省长", D(2020, 2, 18))],
            occasion=Proposal.Occasion.PLENARY,
            venue="省政协全会",
            venue_level=Tier.PROVINCIAL,
            raised_as=Proposal.RaisedAs.PARTY,
        ),
        work(
            hlj,
            Proposal.Kind.SPEECH,
            "关于提高爱国卫生运动实效的建议",
            D(2020, 6, 24),
            authors(count=1),
            occasion=Proposal.Occasion.CONSULTATION,
            venue="省政协专题协商常委会议",
            venue_level=Tier.PROVINCIAL,
            raised_as=Proposal.RaisedAs.PARTY,
        ),
        work(
            hlj,
            Proposal.Kind.SPEECH,
            "关于打造我省千亿级中医药健康产业链的建议",
            D(2020, 9, 22),
            authors(count=1),
            topic=key_topics[6],
            occasion=Proposal.Occasion.CONSULTATION,
            venue="省政协专题协商常委会议",
            venue_level=Tier.PROVINCIAL,
            raised_as=Proposal.RaisedAs.PARTY,
        ),
        work(
            hlj,
            Proposal.Kind.RESEARCH_REPORT,
            "关于对绥滨县109个村开展脱贫攻坚民主监督情况调研报告",
            D(2020, 11, 6),
            authors(count=3),
        ),
    ]

    batch.extend(build_activities(tree, roster))
    batch.honors += [
        honor(hlj, "政协工作创新奖", Tier.PROVINCIAL, 2020, awarded_by="黑龙江省政协", awarded_on=D(2020, 12, 28)),
        honor(
            hlj,
            "人民建议征集活动优秀组织单位",
            Tier.PROVINCIAL,
            2020,
            awarded_by="中共黑龙江省委、黑龙江省人民政府",
            awarded_on=D(2020, 12, 22),
        ),
        honor(
            named["于铁夫"],
            "全国抗击新冠肺炎疫情先进个人",
            Tier.NATIONAL,
            2020,
            awarded_by="中共中央、国务院、中央军委",
            awarded_on=D(2020, 9, 8),
        ),
    ]
    return batch
