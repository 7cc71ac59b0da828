"""民进贵州省委会 2019 (基层组织建设主题年): 三个“一”, training, 政治巡查 and the theme-year meeting."""

from __future__ import annotations

import datetime as dt

from committees.models import Activity, Member, Tier, TrainingEvent

from . import generated
from .members import Roster
from .records import Batch, activity, honor, training
from .sync import rng
from .tree import GUIZHOU, Tree

D = dt.date
# Share of branches and members that met each 三个“一” duty in 2019; the rates are counted, not stored.
BRANCH_PROPOSAL_SHARE = 0.88
BRANCH_SERVICE_SHARE = 0.82
MEMBER_SOCIAL_INFO_SHARE = 0.74
# Joint classes with universities and 社会主义学院, 2016-2019: (title, organiser, level, kind, start, end,
# place, members on the roster, attendees not on the roster).
JOINT_CLASSES = (
    (
        "骨干会员综合素质提升培训班",
        "浙江大学",
        Tier.NATIONAL,
        "core_members",
        D(2016, 7, 11),
        D(2016, 7, 16),
        "杭州",
        96,
        12,
    ),
    (
        "代表人士履职能力培训班",
        "中央社会主义学院",
        Tier.NATIONAL,
        "core_members",
        D(2017, 8, 21),
        D(2017, 8, 26),
        "北京",
        88,
        10,
    ),
    (
        "基层组织负责人研修班",
        "贵州省社会主义学院",
        Tier.PROVINCIAL,
        "branch_leaders",
        D(2018, 6, 4),
        D(2018, 6, 8),
        "贵阳",
        110,
        6,
    ),
    (
        "骨干会员参政议政能力培训班",
        "厦门大学",
        Tier.NATIONAL,
        "core_members",
        D(2018, 10, 15),
        D(2018, 10, 20),
        "厦门",
        90,
        8,
    ),
    (
        "新时代参政党履职能力专题培训班",
        "贵州省社会主义学院",
        Tier.PROVINCIAL,
        "other",
        D(2019, 7, 8),
        D(2019, 7, 12),
        "贵阳",
        120,
        8,
    ),
)


def build(tree: Tree, roster: Roster) -> Batch:
    rand = rng("guizhou-2019")
    gz = tree.committees[GUIZHOU]
    dates = generated.Dates()
    batch = Batch()
    members = roster.active[GUIZHOU]

    for branch in tree.branches_of(GUIZHOU):
        people = [m for m in roster.by_branch[branch.pk] if m.joined_on and m.joined_on < D(2019, 1, 1)]
        if rand.random() < BRANCH_PROPOSAL_SHARE:
            first = roster.leaders.get(branch.pk) or people[0]
            co = rand.sample([m for m in people if m != first], rand.randint(0, 3))
            batch.works.append(
                generated.branch_proposal(rand, tree, dates, branch, [first, *co], 2019, suggestion=rand.random() < 0.4)
            )
        if rand.random() < BRANCH_SERVICE_SHARE:
            batch.activities.append(generated.service(rand, dates, branch, 2019))
        batch.activities += generated.branch_life(rand, dates, branch, 2019, len(people))

    serial = 0
    for member in members:
        if not member.joined_on or member.joined_on >= D(2019, 11, 1) or rand.random() >= MEMBER_SOCIAL_INFO_SHARE:
            continue
        peers = roster.peers(member)
        co = rand.sample([m for m in peers if m != member], rand.choice((0, 0, 0, 1, 2))) if len(peers) > 3 else []
        serial += 1
        batch.works.append(
            generated.social_info(rand, tree, dates, [member, *co], 2019, f"黔民进社情〔2019〕{serial:04d}号", 0.12)
        )

    def joined_between(start: dt.date, end: dt.date) -> list[Member]:
        return [m for m in members if m.joined_on and start <= m.joined_on < end]

    for year, start in ((2017, D(2017, 9, 18)), (2018, D(2018, 9, 10)), (2019, D(2019, 9, 16))):
        recent = joined_between(D(year - 1, 9, 1), start)
        batch.trainings.append(
            training(
                gz,
                TrainingEvent.Kind.NEW_MEMBERS,
                f"{year}年新会员培训班",
                start,
                start + dt.timedelta(days=2),
                rand.sample(recent, min(len(recent), 70)),
                organiser_level=Tier.PROVINCIAL,
                place="贵阳",
                extra_headcount=rand.randint(0, 4),
            )
        )
    for title, organiser, level, kind, start, end, place, roster_size, extra in JOINT_CLASSES:
        pool = [m for m in members if m.joined_on and m.joined_on < start]
        batch.trainings.append(
            training(
                gz,
                kind,
                f"{organiser}·民进贵州省委会{title}",
                start,
                end,
                rand.sample(pool, roster_size),
                organiser_kind=TrainingEvent.Organiser.ACADEMY,
                organiser_name=organiser,
                organiser_level=level,
                place=place,
                extra_headcount=extra,
            )
        )

    cities = [c for code, c in tree.committees.items() if code[:2] == "52" and code != GUIZHOU]
    for n, city in enumerate(sorted(cities, key=lambda c: c.code)):
        start = D(2018, 4, 9) + dt.timedelta(days=21 * n)
        batch.activities.append(
            activity(
                gz,
                Activity.Kind.INSPECTION,
                f"政治巡查（{city.short_name}领导班子）",
                start,
                ended_on=start + dt.timedelta(days=3),
                place=city.short_name.removesuffix("委会"),
                topic="市州委员会领导班子政治巡查",
                participants=rand.randint(5, 8),
            )
        )
    batch.activities += [
        activity(
            gz,
            Activity.Kind.MEETING,
            "基层组织建设主题年工作推进会",
            D(2019, 8, 20),
            participants=86,
            topic="基层组织建设主题年",
        ),
        activity(
            gz,
            Activity.Kind.THEME_EDUCATION,
            "“不忘合作初心，继续携手前进”主题教育动员会",
            D(2019, 3, 26),
            participants=120,
            topic="不忘合作初心，继续携手前进",
        ),
        activity(gz, Activity.Kind.MEETING, "七届三次全委会", D(2019, 1, 18), participants=52),
        activity(gz, Activity.Kind.MEETING, "领导班子成员年度述职述评会", D(2019, 1, 17), participants=18),
        *[
            activity(gz, Activity.Kind.MEETING, f"2019年第{n}次主委会", D(2019, 3 * n - 1, 12), participants=9)
            for n in range(1, 5)
        ],
    ]
    batch.honors.append(
        honor(
            gz,
            "省直机关目标考核创新奖",
            Tier.PROVINCIAL,
            2018,
            awarded_by="中共贵州省直属机关工作委员会",
            awarded_on=D(2019, 3, 15),
        )
    )
    return batch
