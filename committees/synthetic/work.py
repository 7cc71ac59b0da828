"""参政议政: research topics, and proposals / 社情民意信息 / speeches / reports with authors and outcomes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from committees.demo.titles import COMMON_ISSUES, PROVINCE_ISSUES, VERBS
from committees.models import Authorship, Level, Outcome, Proposal, ResearchTopic, Tier

from .loader import Row
from .world import BranchNode, CommitteeNode, World, date, ordinal, sround

ITEMS_PER_YEAR_AT_FULL_SCALE = 200_000
GROWTH_PER_YEAR = 0.08
"""Output grows by this share of the 2018 volume each year (0.84 … 1.16 over 2016–2020)."""

EXTRA_ISSUES = {
    "乡村振兴人才队伍建设": "经济发展",
    "县域经济高质量发展": "经济发展",
    "中小企业减负": "经济发展",
    "农村集体经济发展": "经济发展",
    "冷链物流体系建设": "经济发展",
    "文旅融合发展": "文化",
    "红色文化资源保护利用": "文化",
    "传统村落保护": "文化",
    "公共图书馆服务效能": "文化",
    "教师减负": "教育",
    "青少年近视防控": "教育",
    "特殊教育发展": "教育",
    "乡镇寄宿制学校建设": "教育",
    "家庭教育指导服务": "教育",
    "校外培训机构治理": "教育",
    "基层医务人员待遇": "医疗卫生",
    "分级诊疗制度落实": "医疗卫生",
    "公共卫生应急体系建设": "医疗卫生",
    "罕见病用药保障": "医疗卫生",
    "精神卫生服务": "医疗卫生",
    "黑臭水体治理": "生态环境",
    "农业面源污染防治": "生态环境",
    "河湖长制落实": "生态环境",
    "城市内涝防治": "生态环境",
    "老旧小区改造": "社会治理",
    "网络诈骗防范": "社会治理",
    "农民工工资保障": "社会治理",
    "残疾人就业帮扶": "社会治理",
    "婴幼儿照护服务": "社会治理",
    "电动自行车安全管理": "社会治理",
    "科技成果转化": "科技",
    "基础研究投入": "科技",
    "科研人员减负": "科技",
    "知识产权保护": "法治",
    "基层法律服务": "法治",
    "未成年人网络保护": "法治",
}
SPECIAL_COMMITTEES = {
    "教育": "教育委员会",
    "经济发展": "经济委员会",
    "医疗卫生": "医药卫生委员会",
    "文化": "文化艺术委员会",
    "社会治理": "社会与法制委员会",
    "法治": "社会与法制委员会",
    "生态环境": "人口资源环境委员会",
    "科技": "科技委员会",
}
HOST_UNITS = {
    "教育": "教育厅",
    "经济发展": "发展和改革委员会",
    "医疗卫生": "卫生健康委员会",
    "文化": "文化和旅游厅",
    "社会治理": "民政厅",
    "法治": "司法厅",
    "生态环境": "生态环境厅",
    "科技": "科学技术厅",
}

K = Proposal.Kind
KINDS = (K.SOCIAL_INFO, K.PROPOSAL, K.SUGGESTION, K.RESEARCH_REPORT, K.SPEECH, K.THEORY_PAPER)
KIND_WEIGHTS = (60, 18, 10, 5, 4, 3)
COMMITTEE_OWNED: dict[str, float] = {
    K.SOCIAL_INFO: 0.05,
    K.PROPOSAL: 0.15,
    K.SUGGESTION: 0.1,
    K.RESEARCH_REPORT: 0.6,
    K.SPEECH: 0.7,
    K.THEORY_PAPER: 0.2,
}
COAUTHORS: dict[str, tuple[float, ...]] = {
    K.SOCIAL_INFO: (70, 18, 8, 4),
    K.PROPOSAL: (35, 30, 20, 15),
    K.SUGGESTION: (45, 30, 15, 10),
    K.RESEARCH_REPORT: (20, 30, 25, 25),
    K.SPEECH: (70, 20, 7, 3),
    K.THEORY_PAPER: (55, 25, 12, 8),
}
# Chance of each outcome by kind: (adopted, endorsed given adopted or not, awarded).
OUTCOME_CHANCES: dict[str, tuple[float, float, float]] = {
    K.SOCIAL_INFO: (0.17, 0.03, 0.008),
    K.PROPOSAL: (0.05, 0.04, 0.06),
    K.SUGGESTION: (0.25, 0.08, 0.02),
    K.RESEARCH_REPORT: (0.30, 0.10, 0.05),
    K.SPEECH: (0.10, 0.10, 0.02),
    K.THEORY_PAPER: (0.0, 0.0, 0.15),
}
AWARD_NAMES: dict[str, str] = {
    K.SOCIAL_INFO: "优秀社情民意信息",
    K.PROPOSAL: "优秀提案",
    K.SUGGESTION: "优秀建议",
    K.RESEARCH_REPORT: "优秀调研成果",
    K.SPEECH: "优秀大会发言",
    K.THEORY_PAPER: "优秀理论研究成果",
}
STATUSES: tuple[tuple[str, float], ...] = (
    (Proposal.Status.FILED, 78),
    (Proposal.Status.NOT_FILED, 8),
    (Proposal.Status.MERGED, 6),
    (Proposal.Status.CONVERTED, 3),
    (Proposal.Status.SUBMITTED, 5),
)


@dataclass(slots=True)
class Owner:
    """Where a piece of work is raised: the committee, its city (if any) and its province."""

    committee: CommitteeNode
    province: CommitteeNode
    city: CommitteeNode | None

    @property
    def place(self) -> str:
        return self.committee.place

    @property
    def venue_level(self) -> str:
        return Tier.CITY if self.city is not None else Tier.PROVINCIAL


def owner_of(world: World, committee: int) -> Owner:
    node = world.committees[committee]
    province = world.province_of(committee)
    return Owner(node, province, node if node.kind == "city" else None)


def issues_for(province: CommitteeNode) -> list[tuple[str, str]]:
    return [*COMMON_ISSUES.items(), *EXTRA_ISSUES.items(), *PROVINCE_ISSUES.get(province.code, {}).items()]


# ---- research topics ----------------------------------------------------------------------------------------------


def build_topics(world: World) -> dict[tuple[int, int], list[int]]:
    """调研课题 per committee and year; returns (committee index, year) → topic pks."""
    rand = world.rand
    topics: dict[tuple[int, int], list[int]] = {}
    keys: list[tuple[int, int]] = []
    rows: list[Row] = []
    year_end = ordinal(world.last_year, 12, 31)
    for node in world.committees:
        rate = {"central": 0.0005, "provincial": 0.03}.get(node.kind, 0.08)
        base = len(node.subtree_branches) if node.kind != "city" else len(node.branches)
        province = world.province_of(node.index)
        issues = issues_for(province)
        for year in world.years:
            taken: set[str] = set()
            for _ in range(sround(rand, rate * base)):
                issue, category = rand.choice(issues)
                title = rand.choice(
                    (
                        f"{node.place}{issue}研究",
                        f"关于{issue}的调研",
                        f"{issue}问题与对策研究",
                        f"推进{node.place}{issue}的路径研究",
                    )
                )
                if title in taken:
                    continue
                taken.add(title)
                source = rand.choices(
                    (ResearchTopic.Source.OWN, ResearchTopic.Source.PARTY_CENTRAL, ResearchTopic.Source.GOVERNMENT),
                    (70, 15, 15),
                )[0]
                won_on = None
                status = ResearchTopic.Status.APPROVED
                if source == ResearchTopic.Source.PARTY_CENTRAL:
                    status = ResearchTopic.Status.WON
                    won_on = date(ordinal(year, 3, 1) + rand.randint(0, 90))
                concluded_on = None
                if rand.random() < 0.7:
                    concluded = ordinal(year, 10, 1) + rand.randint(0, 240)
                    if concluded <= year_end:
                        status = ResearchTopic.Status.CONCLUDED
                        concluded_on = date(concluded)
                keys.append((node.index, year))
                rows.append(
                    dict(
                        committee_id=node.pk,
                        title=title,
                        year=year,
                        special_committee=SPECIAL_COMMITTEES.get(category, "参政议政委员会"),
                        source=source,
                        status=status,
                        is_key=rand.random() < 0.3,
                        won_on=won_on,
                        concluded_on=concluded_on,
                    )
                )
    for key, pk in zip(keys, world.loader.store(ResearchTopic, rows, ids=True), strict=True):
        topics.setdefault(key, []).append(pk)
    world.loader.log(f"research topics: {len(rows)}")
    return topics


# ---- proposals and reports ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Work:
    row: Row
    authors: list[int]
    outcomes: list[Row] = field(default_factory=list)


class WorkWriter:
    def __init__(self, world: World) -> None:
        self.world = world
        self.proposals = world.loader.buffer(Proposal, children=self._children)
        self.authorships = world.loader.buffer(Authorship)
        self.outcomes = world.loader.buffer(Outcome)

    def add(self, item: Work) -> None:
        self.proposals.add(item.row, item)

    def _children(self, item: Work, proposal: int) -> None:
        pks = self.world.roster.pk
        for order, member in enumerate(item.authors, start=1):
            self.authorships.add({"proposal_id": proposal, "member_id": pks[member], "order": order})
        for outcome in item.outcomes:
            outcome["proposal_id"] = proposal
            self.outcomes.add(outcome)

    def close(self) -> None:
        self.proposals.flush()
        self.authorships.flush()
        self.outcomes.flush()


def build_work(world: World, topics: dict[tuple[int, int], list[int]]) -> None:
    writer = WorkWriter(world)
    owners = {node.index: owner_of(world, node.index) for node in world.committees}
    serials: dict[tuple[int, int, str], int] = {}
    for year in world.years:
        target = ITEMS_PER_YEAR_AT_FULL_SCALE * world.scale * (1 + GROWTH_PER_YEAR * (year - 2018))
        start, end = ordinal(year, 1, 1), ordinal(year, 12, 31)
        weights = []
        for branch in world.branches:
            if branch.founded > end:
                weights.append(0.0)
                continue
            active = sum(1 for m in branch.members if world.roster.joined[m] <= end and world.roster.left[m] > start)
            weights.append(active * branch.productivity)
        total = sum(weights) or 1.0
        before = world.loader.counts["proposal"] + len(writer.proposals)
        for branch, weight in zip(world.branches, weights, strict=True):
            for _ in range(sround(world.rand, target * weight / total)):
                item = _work(world, owners[branch.committee], branch, year, topics, serials)
                if item is not None:
                    writer.add(item)
        world.loader.log(
            f"proposals and reports {year}: {world.loader.counts['proposal'] + len(writer.proposals) - before}"
        )
    writer.close()
    counts = world.loader.counts
    world.loader.log(
        f"proposals and reports: {counts['proposal']} "
        f"({counts['authorship']} authorships, {counts['outcome']} outcomes)"
    )


def _work(
    world: World,
    owner: Owner,
    branch: BranchNode,
    year: int,
    topics: dict[tuple[int, int], list[int]],
    serials: dict[tuple[int, int, str], int],
) -> Work | None:
    rand, roster = world.rand, world.roster
    kind = rand.choices(KINDS, KIND_WEIGHTS)[0]
    plenary = kind in (K.PROPOSAL, K.SPEECH) and rand.random() < 0.6
    lo, hi = (ordinal(year, 1, 5), ordinal(year, 3, 15)) if plenary else (ordinal(year, 1, 5), ordinal(year, 12, 20))
    lo = max(lo, branch.founded)
    first = -1
    for _ in range(8):
        candidate = rand.choices(branch.members, cum_weights=branch.author_weights)[0]
        if max(lo, roster.joined[candidate]) <= min(hi, roster.left[candidate] - 1):
            first = candidate
            break
    if first < 0:
        return None
    lo, hi = max(lo, roster.joined[first]), min(hi, roster.left[first] - 1)
    on = lo + rand.randint(0, hi - lo)
    authors = [first]
    wanted = rand.choices((0, 1, 2, 3), COAUTHORS[kind])[0]
    for _ in range(wanted * 3):
        if len(authors) > wanted:
            break
        candidate = rand.choices(branch.members, cum_weights=branch.author_weights)[0]
        if candidate not in authors and roster.on_roll(candidate, on):
            authors.append(candidate)
    committee_owned = rand.random() < COMMITTEE_OWNED[kind]
    issue, category = rand.choice(issues_for(owner.province))
    fields: dict[str, object] = {}
    if committee_owned:
        raised_as = (
            Proposal.RaisedAs.SPECIAL_COMMITTEE
            if kind in (K.RESEARCH_REPORT, K.THEORY_PAPER)
            else Proposal.RaisedAs.PARTY
        )
    elif kind == K.PROPOSAL and rand.random() < 0.05:
        raised_as = Proposal.RaisedAs.SECTOR
    else:
        raised_as = Proposal.RaisedAs.JOINT if len(authors) > 1 else Proposal.RaisedAs.INDIVIDUAL
    title = _title(rand, kind, issue, owner.place)
    if kind == K.SOCIAL_INFO:
        key = (owner.committee.index, year, kind)
        serials[key] = serials.get(key, 0) + 1
        fields["serial_number"] = f"{owner.committee.code}-{year}-{serials[key]:05d}"
    elif kind in (K.PROPOSAL, K.SPEECH, K.SUGGESTION):
        fields.update(_venue(rand, owner, kind, year, plenary, serials))
    if kind == K.RESEARCH_REPORT:
        linked = topics.get((owner.committee.index, year))
        if linked and rand.random() < 0.6:
            fields["research_topic_id"] = rand.choice(linked)
    if kind == K.PROPOSAL and fields.get("status") == Proposal.Status.FILED:
        host = HOST_UNITS.get(category, "发展和改革委员会")
        unit = f"{owner.province.place}{host}" if owner.city is None else f"{owner.place}{host[:-1]}局"
        fields["host_units"] = unit
        if rand.random() < 0.3:
            fields["co_units"] = f"{owner.place}财政局"
        if rand.random() < 0.85:
            fields["reply_number"] = f"{unit}提复〔{year}〕{rand.randint(1, 300)}号"
            fields["reply_result"] = rand.choices(Proposal.ReplyResult.values, (45, 40, 15))[0]
            fields["satisfaction"] = rand.choices(Proposal.Satisfaction.values, (75, 22, 3))[0]
    outcomes = _outcomes(rand, owner, kind, year, on)
    if any(o["kind"] == Outcome.Kind.AWARDED for o in outcomes):
        fields["is_excellent"] = True
    row = dict(
        kind=kind,
        title=title,
        committee_id=owner.committee.pk,
        branch_id=None if committee_owned else branch.pk,
        submitted_on=date(on),
        category=category,
        raised_as=raised_as,
        **fields,
    )
    return Work(row, authors, outcomes)


def _title(rand: random.Random, kind: str, issue: str, place: str) -> str:
    verb = rand.choice(VERBS)
    if kind == K.SOCIAL_INFO:
        return rand.choice(
            (
                f"{place}{issue}存在的问题及建议",
                f"关于{verb}{issue}的建议",
                f"{issue}亟待{rand.choice(('加强', '规范', '破题', '提速'))}",
                f"{place}{issue}情况调查与思考",
                f"当前{issue}中值得关注的几个问题",
            )
        )
    if kind == K.PROPOSAL:
        return rand.choice((f"关于{verb}{issue}工作的提案", f"关于{verb}{place}{issue}的提案"))
    if kind == K.SUGGESTION:
        return rand.choice((f"关于{verb}{issue}工作的建议", f"关于{verb}{place}{issue}的建议"))
    if kind == K.SPEECH:
        return rand.choice((f"{verb}{issue}，助力{place}高质量发展", f"关于{verb}{issue}的发言"))
    if kind == K.RESEARCH_REPORT:
        return rand.choice((f"{place}{issue}调研报告", f"关于{issue}情况的调研报告"))
    return rand.choice((f"新时代{issue}的理论思考", f"多党合作视域下的{issue}研究"))


def _venue(
    rand: random.Random, owner: Owner, kind: str, year: int, plenary: bool, serials: dict[tuple[int, int, str], int]
) -> dict[str, object]:
    body = f"{owner.place}政协" if owner.city is not None else f"{owner.province.place}政协"
    fields: dict[str, object] = {
        "venue_level": owner.venue_level,
        "venue": f"{body}{year}年全体会议" if plenary else body,
        "occasion": Proposal.Occasion.PLENARY
        if plenary
        else (Proposal.Occasion.CONSULTATION if kind == K.SPEECH else Proposal.Occasion.ROUTINE),
    }
    if kind == K.PROPOSAL:
        status = rand.choices(*zip(*STATUSES, strict=True))[0]
        fields["status"] = status
        fields["is_key"] = rand.random() < 0.05
        key = (owner.committee.index, year, kind)
        serials[key] = serials.get(key, 0) + 1
        fields["serial_number"] = f"{year}{serials[key]:04d}"
    return fields


def _outcomes(rand: random.Random, owner: Owner, kind: str, year: int, on: int) -> list[Row]:
    adopted_chance, endorsed_chance, awarded_chance = OUTCOME_CHANCES[kind]
    rows: list[Row] = []
    last = on
    if rand.random() < adopted_chance:
        level, by = _adopter(rand, owner)
        last = on + rand.randint(10, 90)
        rows.append(dict(kind=Outcome.Kind.ADOPTED, level=level, by_whom=by, occurred_on=date(last)))
    if rand.random() < endorsed_chance:
        level, by = _endorser(rand, owner)
        last += rand.randint(5, 40)
        rows.append(dict(kind=Outcome.Kind.ENDORSED, level=level, by_whom=by, occurred_on=date(last)))
    if rand.random() < awarded_chance:
        city = owner.city is not None and rand.random() < 0.6
        level = Level.CITY if city else rand.choices((Level.PROVINCIAL, Level.PARTY_CENTRAL), (80, 20))[0]
        by = {
            Level.CITY: f"{owner.place}政协",
            Level.PROVINCIAL: f"{owner.province.place}政协",
            Level.PARTY_CENTRAL: "民进中央",
        }[level]
        awarded = max(last + 1, ordinal(year, 12, 10) + rand.randint(0, 18))
        rows.append(
            dict(kind=Outcome.Kind.AWARDED, level=level, by_whom=by, occurred_on=date(awarded), note=AWARD_NAMES[kind])
        )
    return rows


def _adopter(rand: random.Random, owner: Owner) -> tuple[str, str]:
    province = owner.province.place
    choices: list[tuple[str, str]] = [
        (Level.PROVINCIAL, f"{province}政协"),
        (Level.PROVINCIAL, f"中共{province}委统战部"),
        (Level.PARTY_CENTRAL, "民进中央"),
        (Level.NATIONAL_CPPCC, "全国政协办公厅"),
        (Level.CENTRAL_DEPARTMENT, "中共中央统战部"),
        (Level.MINISTERIAL, rand.choice(("教育部", "国家卫生健康委员会", "民政部", "生态环境部"))),
        (Level.CENTRAL_OFFICE, "中共中央办公厅"),
    ]
    weights = [20, 14, 20, 10, 4, 3, 1]
    if owner.city is not None:
        choices += [(Level.CITY, f"{owner.place}政协"), (Level.CITY, f"中共{owner.place}委统战部")]
        weights += [18, 10]
    return rand.choices(choices, weights)[0]


def _endorser(rand: random.Random, owner: Owner) -> tuple[str, str]:
    province = owner.province
    suffix = province.province.suffix if province.province is not None else "省"
    secretary, head, deputy = {
        "市": ("市委书记", "市长", "副市长"),
        "省": ("省委书记", "省长", "副省长"),
        "区": ("党委书记", "政府主席", "政府副主席"),
    }[suffix]
    place = province.place.removesuffix(suffix) if suffix != "区" else province.place
    choices: list[tuple[str, str]] = [
        (Level.PROVINCIAL_LEADER, place + secretary),
        (Level.PROVINCIAL_LEADER, place + head),
        (Level.VICE_MINISTERIAL, place + deputy),
        (Level.PROVINCIAL, f"{province.place}政协主席"),
        (Level.MINISTERIAL, rand.choice(("教育部部长", "国家卫生健康委员会主任", "民政部部长"))),
        (Level.PARTY_CENTRAL, "民进中央主席"),
        (Level.STATE_LEADER, "国务院领导同志"),
    ]
    weights = [14, 14, 18, 8, 5, 4, 2]
    if owner.city is not None:
        choices += [(Level.CITY_LEADER, f"{owner.place}委书记"), (Level.CITY_LEADER, f"{owner.place}长")]
        weights += [18, 17]
    return rand.choices(choices, weights)[0]
