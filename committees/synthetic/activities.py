"""Training classes with their rosters, dated activities of branches and committees, and honours."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from committees.models import Activity, Attendance, Honor, Tier, TrainingEvent

from .loader import Row
from .work import issues_for
from .world import FOREVER, BranchNode, CommitteeNode, World, date, ordinal, sround

TK = TrainingEvent.Kind
ORG = TrainingEvent.Organiser
AK = Activity.Kind
SC = Activity.ServiceCategory
Day = Callable[[int, int], int]
"""(month, spread) → a day of the year being generated: the first of the month plus up to ``spread`` days."""
THEMES = {2018: "思想政治教育", 2019: "基层组织建设", 2020: "履职能力建设", 2022: "信息化建设", 2023: "作风建设"}


# ---- training -----------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Class:
    row: Row
    attendees: list[int]


class Trainer:
    """Plans the classes of one year and stores them with their attendances."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.classes: list[Class] = []
        self.attendances = world.loader.buffer(Attendance)

    def on_roll(self, branches: list[int], day: int) -> list[int]:
        roster = self.world.roster
        joined, left = roster.joined, roster.left
        return [m for b in branches for m in self.world.branches[b].members if joined[m] <= day < left[m]]

    def leaders(self, branches: list[int], day: int) -> list[int]:
        roster = self.world.roster
        return [
            leader for b in branches if (leader := self.world.branches[b].leader) >= 0 and roster.on_roll(leader, day)
        ]

    def add(
        self,
        committee: CommitteeNode,
        kind: str,
        title: str,
        start: int,
        pool: list[int],
        share: float,
        *,
        organiser: str = ORG.OWN,
        organiser_name: str = "",
        level: str = "",
        place: str = "",
        extra: float = 0.0,
    ) -> None:
        rand = self.world.rand
        count = min(len(pool), sround(rand, len(pool) * share))
        if count == 0:
            return
        attendees = rand.sample(pool, count)
        days = rand.randint(1, 5)
        row = dict(
            committee_id=committee.pk,
            title=title,
            kind=kind,
            organiser_kind=organiser,
            organiser_name=organiser_name or (committee.name if organiser == ORG.OWN else ""),
            organiser_level=level or committee.tier,
            started_on=date(start),
            ended_on=date(start + days - 1),
            place=place or committee.place,
            extra_headcount=sround(rand, count * rand.uniform(0.0, 0.2)) if extra else 0,
        )
        self.classes.append(Class(row, attendees))

    def flush(self) -> None:
        classes, self.classes = self.classes, []
        stored = self.world.loader.store(TrainingEvent, [c.row for c in classes], ids=True)
        pks = self.world.roster.pk
        for item, event in zip(classes, stored, strict=True):
            for member in item.attendees:
                self.attendances.add({"event_id": event, "member_id": pks[member]})


def build_training(world: World) -> None:
    trainer = Trainer(world)
    rand = world.rand
    central = world.committees[0]
    for year in world.years:

        def day(month: int, spread: int, year: int = year) -> int:
            return ordinal(year, month, 1) + rand.randint(0, spread)

        # 民进中央: a national class for provincial core members and one for branch leaders.
        everyone = central.subtree_branches
        trainer.add(
            central,
            TK.CORE_MEMBERS,
            f"民进中央{year}年骨干会员研修班",
            (s := day(5, 60)),
            trainer.on_roll(everyone, s),
            0.002,
            level=Tier.NATIONAL,
            place="北京",
        )
        trainer.add(
            central,
            TK.BRANCH_LEADERS,
            f"民进中央{year}年基层组织负责人培训班",
            (s := day(7, 60)),
            trainer.leaders(everyone, s),
            0.03,
            level=Tier.NATIONAL,
            place="北京",
        )
        for province_index in central.children:
            _province_classes(world, trainer, world.committees[province_index], year, day)
            for city_index in world.committees[province_index].children:
                _city_classes(world, trainer, world.committees[city_index], year, day)
        trainer.flush()
    trainer.attendances.flush()
    counts = world.loader.counts
    world.loader.log(f"training events: {counts['trainingevent']} ({counts['attendance']} attendances)")


def _province_classes(world: World, trainer: Trainer, node: CommitteeNode, year: int, pick: Day) -> None:
    rand = world.rand
    branches = node.subtree_branches
    if not branches:
        return
    name = node.short_name
    trainer.add(
        node,
        TK.BRANCH_LEADERS,
        f"{name}{year}年基层组织负责人培训班",
        (s := pick(4, 80)),
        trainer.leaders(branches, s),
        0.7,
        extra=1,
    )
    s = pick(9, 80)
    new = [m for m in trainer.on_roll(branches, s) if world.roster.joined[m] >= s - 540]
    trainer.add(node, TK.NEW_MEMBERS, f"{name}{year}年新会员培训班", s, new, 0.7, extra=1)
    if rand.random() < 0.7:
        trainer.add(
            node,
            TK.CORE_MEMBERS,
            f"{name}{year}年骨干会员培训班",
            (s := pick(7, 50)),
            trainer.on_roll(branches, s),
            0.08,
            extra=1,
        )
    if rand.random() < 0.5:
        s = pick(10, 50)
        cadres = [m for m in world.reserve_cadres.get(node.index, []) if world.roster.on_roll(m, s)]
        trainer.add(node, TK.RESERVE_CADRES, f"{name}{year}年后备干部培训班", s, cadres, 0.8)
    assert node.province is not None
    place = node.province.place
    sent = (
        (ORG.PARTY_HIGHER, "民进中央", Tier.NATIONAL, TK.CORE_MEMBERS, f"民进中央{year}年骨干会员研修班", "北京"),
        (ORG.CPC, f"中共{place}委统战部", Tier.PROVINCIAL, TK.OTHER, f"{place}{year}年党外代表人士培训班", place),
        (ORG.ACADEMY, f"{place}社会主义学院", Tier.PROVINCIAL, TK.OTHER, f"{year}年民主党派成员培训班", place),
        (
            ORG.ACADEMY,
            "中央社会主义学院",
            Tier.NATIONAL,
            TK.BRANCH_LEADERS,
            f"{year}年民主党派基层组织负责人研修班",
            "北京",
        ),
    )
    for organiser, organiser_name, level, kind, title, where in rand.sample(sent, rand.randint(1, 3)):
        s = pick(3, 240)
        pool = trainer.leaders(branches, s) if kind == TK.BRANCH_LEADERS else trainer.on_roll(branches, s)
        share = 0.05 if kind == TK.BRANCH_LEADERS else 0.005
        trainer.add(
            node,
            kind,
            title,
            s,
            pool,
            share,
            organiser=organiser,
            organiser_name=organiser_name,
            level=level,
            place=where,
        )


def _city_classes(world: World, trainer: Trainer, node: CommitteeNode, year: int, pick: Day) -> None:
    rand = world.rand
    branches = node.branches
    if not branches:
        return
    name = node.short_name
    if rand.random() < 0.75:
        s = pick(9, 80)
        new = [m for m in trainer.on_roll(branches, s) if world.roster.joined[m] >= s - 540]
        trainer.add(node, TK.NEW_MEMBERS, f"{name}{year}年新会员培训班", s, new, 0.45, extra=1)
    if rand.random() < 0.5:
        trainer.add(
            node,
            TK.BRANCH_LEADERS,
            f"{name}{year}年支部主委培训班",
            (s := pick(5, 60)),
            trainer.leaders(branches, s),
            0.6,
            extra=1,
        )
    if rand.random() < 0.7:
        trainer.add(
            node,
            TK.OTHER,
            f"{name}{year}年会员综合素质提升培训班",
            (s := pick(6, 120)),
            trainer.on_roll(branches, s),
            0.2,
            extra=1,
        )
    if rand.random() < 0.5:
        organiser, organiser_name = rand.choice(
            ((ORG.CPC, f"中共{node.place}委统战部"), (ORG.ACADEMY, f"{node.place}社会主义学院"))
        )
        trainer.add(
            node,
            TK.OTHER,
            f"{node.place}{year}年党外干部培训班",
            (s := pick(4, 200)),
            trainer.on_roll(branches, s),
            0.02,
            organiser=organiser,
            organiser_name=organiser_name,
            level=Tier.CITY,
        )


# ---- activities ---------------------------------------------------------------------------------------------------

SERVICE: tuple[tuple[str, str, float], ...] = (
    (SC.SCHOLARSHIP, "爱心助学金发放", 20),
    (SC.MEDICAL, "送医下乡义诊", 15),
    (SC.BOOKS, "为乡村学校捐赠图书", 15),
    (SC.FITNESS, "捐建健身步道", 3),
    (SC.POVERTY, "结对帮扶困难群众", 18),
    (SC.CONDOLENCE, "走访慰问困难会员", 10),
    (SC.OTHER, "送教下乡", 10),
    (SC.OTHER, "文化惠民进社区", 9),
)
# Occasional branch activities: kind, chance per branch and year, title stem.
BRANCH_EXTRAS: tuple[tuple[str, float, str], ...] = (
    (AK.LECTURE, 0.15, "会史宣讲"),
    (AK.PUBLICITY, 0.2, "先进典型宣传"),
    (AK.RESEARCH, 0.2, "专题调研"),
    (AK.MEETING, 0.35, "支委会"),
    (AK.SUPERVISION, 0.05, "民主监督调研"),
    (AK.CONSULTATION, 0.08, "协商座谈会"),
    (AK.OTHER, 0.05, "联谊活动"),
)
COMMITTEE_KINDS: tuple[tuple[str, float], ...] = (
    (AK.MEETING, 20),
    (AK.STUDY, 12),
    (AK.CONSULTATION, 12),
    (AK.SUPERVISION, 8),
    (AK.RESEARCH, 10),
    (AK.LECTURE, 8),
    (AK.SOCIAL_SERVICE, 15),
    (AK.PUBLICITY, 8),
    (AK.THEME_EDUCATION, 4),
    (AK.INSPECTION, 3),
    (AK.OTHER, 2),
)
SUPERVISION_TOPICS = (
    "脱贫攻坚民主监督",
    "生态环境保护民主监督",
    "营商环境民主监督",
    "义务教育均衡发展民主监督",
    "食品药品安全民主监督",
    "乡村振兴民主监督",
)
MEETINGS = ("全委会", "常委会", "主委会议", "主委办公会", "秘书长会议", "组织工作会议")


class Activities:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rows = world.loader.buffer(Activity)

    def add(
        self, committee: CommitteeNode, branch: BranchNode | None, kind: str, title: str, held: int, **fields: object
    ) -> None:
        ended = fields.pop("ended", None)
        self.rows.add(
            dict(
                committee_id=committee.pk,
                branch_id=branch.pk if branch is not None else None,
                kind=kind,
                title=title[:200],
                held_on=date(held),
                ended_on=date(ended) if isinstance(ended, int) else None,
                **fields,
            )
        )


def build_activities(world: World) -> None:
    activities = Activities(world)
    rand, roster = world.rand, world.roster
    for year in world.years:
        start, mid, end = ordinal(year, 1, 1), ordinal(year, 7, 1), ordinal(year, 12, 31)
        for branch in world.branches:
            if branch.founded > end:
                continue
            size = sum(1 for m in branch.members if roster.joined[m] <= mid < roster.left[m])
            if size == 0:
                continue
            committee = world.committees[branch.committee]
            _branch_year(world, activities, committee, branch, year, max(start, branch.founded), end, size)
        for node in world.committees:
            base = len(node.branches) if node.kind == "city" else len(node.subtree_branches)
            rate = {"central": 0.004, "provincial": 0.12}.get(node.kind, 0.4)
            for _ in range(sround(rand, rate * base)):
                _committee_activity(world, activities, node, year)
        world.loader.log(f"activities {year}: {world.loader.counts['activity'] + len(activities.rows.rows)} so far")
    activities.rows.flush()
    world.loader.log(f"activities: {world.loader.counts['activity']}")


def _branch_year(
    world: World,
    activities: Activities,
    committee: CommitteeNode,
    branch: BranchNode,
    year: int,
    lo: int,
    hi: int,
    size: int,
) -> None:
    rand = world.rand

    def when() -> int:
        return lo + rand.randint(0, hi - lo)

    for n in range(rand.randint(2, 5)):
        meeting = AK.STUDY if n % 2 else AK.ORGANISATIONAL_LIFE
        label = "专题学习会" if meeting == AK.STUDY else "组织生活会"
        activities.add(
            committee,
            branch,
            meeting,
            f"{branch.name}{year}年第{n // 2 + 1}次{label}",
            when(),
            participants=max(2, round(size * rand.uniform(0.4, 0.85))),
        )
    for _ in range(rand.choices((0, 1, 2, 3), (30, 42, 20, 8))[0]):
        _service(world, activities, committee, branch, year, when(), 1)
    for kind, chance, stem in BRANCH_EXTRAS:
        if rand.random() < chance:
            fields: dict[str, object] = {"participants": max(2, round(size * rand.uniform(0.3, 0.8)))}
            if kind == AK.SUPERVISION:
                fields |= _supervision_figures(rand, 1)
            elif kind == AK.CONSULTATION:
                fields["topic"] = rand.choice(issues_for(world.province_of(committee.index)))[0]
            activities.add(committee, branch, kind, f"{branch.name}{stem}", when(), **fields)
    theme = THEMES.get(year)
    if theme and rand.random() < 0.3:
        activities.add(
            committee,
            branch,
            AK.THEME_EDUCATION,
            f"{branch.name}“{theme}主题年”学习交流活动",
            when(),
            topic=f"{theme}主题年",
            participants=max(2, round(size * rand.uniform(0.4, 0.9))),
        )


def _service(
    world: World,
    activities: Activities,
    committee: CommitteeNode,
    branch: BranchNode | None,
    year: int,
    on: int,
    factor: int,
) -> None:
    rand = world.rand
    options = list(SERVICE)
    if year == 2020:
        options.append((SC.EPIDEMIC, "抗击新冠肺炎疫情捐款捐物", 25))
    category, deed, _ = rand.choices(options, [w for _, _, w in options])[0]
    figures: dict[str, object] = {"participants": rand.randint(3, 25) * factor, "service_category": category}
    if category == SC.SCHOLARSHIP:
        figures |= {"donation_cash": Decimal(rand.randint(2, 30) * 1000 * factor), "beneficiaries": rand.randint(4, 40)}
    elif category == SC.MEDICAL:
        figures |= {
            "donation_goods": Decimal(rand.randint(0, 20) * 1000 * factor),
            "beneficiaries": rand.randint(50, 300),
        }
    elif category == SC.BOOKS:
        count = rand.randint(10, 100) * 10 * factor
        figures |= {"quantity": count, "quantity_unit": "册", "donation_goods": Decimal(count * 30)}
    elif category == SC.FITNESS:
        count = rand.randint(1, 2) * factor
        figures |= {
            "quantity": count,
            "quantity_unit": "条",
            "donation_goods": Decimal(count * rand.randint(20, 80) * 1000),
        }
    elif category == SC.POVERTY:
        figures |= {"donation_cash": Decimal(rand.randint(2, 40) * 1000 * factor), "beneficiaries": rand.randint(5, 40)}
    elif category == SC.CONDOLENCE:
        figures |= {"donation_cash": Decimal(rand.randint(1, 10) * 1000 * factor), "beneficiaries": rand.randint(2, 20)}
    elif category == SC.EPIDEMIC:
        on = ordinal(2020, 1, 25) + rand.randint(0, 90)
        figures |= {
            "donation_cash": Decimal(rand.randint(1, 100) * 1000 * factor),
            "donation_goods": Decimal(rand.choice((0, rand.randint(1, 500) * 1000)) * factor),
            "topic": "抗击新冠肺炎疫情",
        }
    else:
        figures["beneficiaries"] = rand.randint(30, 200) * factor
    owner = branch.name if branch is not None else committee.short_name
    activities.add(committee, branch, AK.SOCIAL_SERVICE, f"{owner}{deed}", on, **figures)


def _supervision_figures(rand: random.Random, factor: int) -> dict[str, object]:
    return {
        "topic": rand.choice(SUPERVISION_TOPICS),
        "forums": rand.randint(0, 2) * factor + 1,
        "questionnaires": rand.choice((0, rand.randint(20, 200) * factor)),
        "problems_found": rand.randint(2, 12) * factor,
        "suggestions_made": rand.randint(1, 4) * factor,
    }


def _committee_activity(world: World, activities: Activities, node: CommitteeNode, year: int) -> None:
    rand = world.rand
    kinds, weights = zip(*COMMITTEE_KINDS, strict=True)
    kind = rand.choices(kinds, weights)[0]
    on = ordinal(year, 1, 5) + rand.randint(0, 350)
    factor = 3 if node.kind != "city" else 1
    name = node.short_name
    if kind == AK.SOCIAL_SERVICE:
        _service(world, activities, node, None, year, on, factor)
        return
    fields: dict[str, object] = {"participants": rand.randint(8, 60) * factor}
    owner = node
    if kind == AK.MEETING:
        title = f"{name}{year}年{rand.choice(MEETINGS)}"
    elif kind == AK.STUDY:
        title = f"{name}理论学习中心组学习会"
    elif kind == AK.CONSULTATION:
        topic = rand.choice(issues_for(world.province_of(node.index)))[0]
        title = f"参加中共{node.place}委{rand.choice(('协商座谈会', '党外人士座谈会', '专题协商会'))}"
        fields["topic"] = topic
    elif kind == AK.SUPERVISION:
        fields |= _supervision_figures(rand, factor)
        fields["ended"] = on + rand.randint(0, 45)
        title = f"{name}{fields['topic']}专项调研"
    elif kind == AK.RESEARCH:
        title = f"{name}赴基层开展{rand.choice(issues_for(world.province_of(node.index)))[0]}专题调研"
        fields["ended"] = on + rand.randint(0, 5)
    elif kind == AK.LECTURE:
        if node.children:
            owner = world.committees[rand.choice(node.children)]
        title = f"{name}宣讲团宣讲（{owner.short_name}）"
        fields["topic"] = "不忘合作初心，继续携手前进"
    elif kind == AK.PUBLICITY:
        title = f"{name}{rand.choice(('会员风采宣传', '会刊编印', '宣传信息报送', '新媒体宣传'))}"
    elif kind == AK.THEME_EDUCATION:
        theme = THEMES.get(year, "不忘合作初心，继续携手前进")
        title = f"{name}{year}年“{theme}”主题教育推进会"
        fields["topic"] = theme
    elif kind == AK.INSPECTION and node.children:
        owner = world.committees[rand.choice(node.children)]
        title = f"{name}对{owner.short_name}开展政治巡查"
        fields["ended"] = on + rand.randint(2, 10)
        fields["participants"] = rand.randint(4, 10)
    else:
        kind = AK.OTHER
        title = f"{name}会员联谊活动"
    activities.add(owner, None, kind, title, on, **fields)


# ---- honours ------------------------------------------------------------------------------------------------------

MEMBER_HONOURS = (
    "优秀会员",
    "参政议政先进个人",
    "社会服务先进个人",
    "社情民意信息工作先进个人",
    "宣传思想工作先进个人",
)
COMMITTEE_HONOURS = ("政协工作创新奖", "参政议政工作先进集体", "社情民意信息工作先进单位", "人民建议征集优秀组织单位")


def build_honours(world: World) -> None:
    rand, roster = world.rand, world.roster
    rows = world.loader.buffer(Honor)
    for year in world.years:
        end = ordinal(year, 12, 31)

        def awarded(year: int = year) -> int:
            return ordinal(year, 12, 1) + rand.randint(0, 27)

        for branch in world.branches:
            if branch.founded > end:
                continue
            committee = world.committees[branch.committee]
            if rand.random() < 0.04:
                level, by = _awarder(world, committee, rand)
                rows.add(
                    dict(
                        committee_id=committee.pk,
                        branch_id=branch.pk,
                        title="先进基层组织",
                        level=level,
                        awarded_by=by,
                        year=year,
                        awarded_on=date(awarded()),
                    )
                )
            for member in branch.members:
                if rand.random() < 0.012 and roster.joined[member] <= end and roster.left[member] == FOREVER:
                    level, by = _awarder(world, committee, rand)
                    title = "优秀支部主委" if member == branch.leader else rand.choice(MEMBER_HONOURS)
                    rows.add(
                        dict(
                            committee_id=committee.pk,
                            member_id=roster.pk[member],
                            title=title,
                            level=level,
                            awarded_by=by,
                            year=year,
                            awarded_on=date(awarded()),
                        )
                    )
        for node in world.committees:
            base = len(node.branches) if node.kind == "city" else len(node.subtree_branches)
            rate = {"central": 0.0, "provincial": 0.01}.get(node.kind, 0.02)
            for _ in range(sround(rand, rate * base)):
                if node.kind == "city":
                    level, by = rand.choice(
                        ((Tier.CITY, f"{node.place}政协"), (Tier.PROVINCIAL, world.province_of(node.index).name))
                    )
                else:
                    level, by = rand.choice(((Tier.PROVINCIAL, f"{node.place}政协"), (Tier.NATIONAL, "民进中央")))
                rows.add(
                    dict(
                        committee_id=node.pk,
                        title=rand.choice(COMMITTEE_HONOURS),
                        level=level,
                        awarded_by=by,
                        year=year,
                        awarded_on=date(awarded()),
                    )
                )
    rows.flush()
    world.loader.log(f"honours: {world.loader.counts['honor']}")


def _awarder(world: World, committee: CommitteeNode, rand: random.Random) -> tuple[str, str]:
    province = world.province_of(committee.index)
    choices = [(Tier.PROVINCIAL, province.name), (Tier.NATIONAL, "民进中央")]
    weights = [60, 5]
    if committee.kind == "city":
        choices.append((Tier.CITY, committee.name))
        weights.append(35)
    return rand.choices(choices, weights)[0]
