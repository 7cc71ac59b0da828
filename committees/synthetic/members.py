"""Members with realistic attribute mixes, their status history, positions, and the branch leaders."""

from __future__ import annotations

from dataclasses import dataclass

from committees.demo.people import random_id_number, random_job_title, random_name, random_work_unit
from committees.models import (
    Branch,
    Degree,
    Education,
    Gender,
    Member,
    MemberStatusChange,
    Position,
    Tier,
    TitleLevel,
)

from .geography import BRANCH_SECTORS, DEFAULT_ETHNICITIES, DISTRICTS, ETHNICITIES, PROVINCES, ROADS
from .loader import Row
from .organisation import member_counts
from .world import FOREVER, BranchNode, CommitteeNode, World, date, ordinal

EDUCATION: tuple[tuple[str, float], ...] = (
    (Education.DOCTORATE, 4.0),
    (Education.MASTER, 22.0),
    (Education.BACHELOR, 56.0),
    (Education.COLLEGE, 14.0),
    (Education.SECONDARY, 4.0),
)
DEGREE: dict[str, tuple[tuple[str, float], ...]] = {
    Education.DOCTORATE: ((Degree.DOCTOR, 100.0),),
    Education.MASTER: ((Degree.MASTER, 94.0), (Degree.BACHELOR, 6.0)),
    Education.BACHELOR: ((Degree.BACHELOR, 90.0), (Degree.NONE, 10.0)),
    Education.COLLEGE: ((Degree.NONE, 100.0),),
    Education.SECONDARY: ((Degree.NONE, 100.0),),
}
# Title level by education (senior, associate senior, intermediate, junior, none): ≈24% 副高以上 overall.
TITLES = (TitleLevel.SENIOR, TitleLevel.VICE_SENIOR, TitleLevel.INTERMEDIATE, TitleLevel.JUNIOR, TitleLevel.NONE)
TITLE_BY_EDUCATION: dict[str, tuple[float, ...]] = {
    Education.DOCTORATE: (30, 45, 22, 3, 0),
    Education.MASTER: (10, 25, 45, 12, 8),
    Education.BACHELOR: (5, 16, 44, 17, 18),
    Education.COLLEGE: (1, 5, 30, 24, 40),
    Education.SECONDARY: (0, 1, 10, 14, 75),
}
RANK = {TitleLevel.SENIOR: 4, TitleLevel.VICE_SENIOR: 3, TitleLevel.INTERMEDIATE: 2}
ALL_SECTORS = tuple(sector for sector, _ in BRANCH_SECTORS)
SECTOR_WEIGHTS = tuple(weight for _, weight in BRANCH_SECTORS)
LEAVING_NOTES = {
    Member.Status.WITHDRAWN: ("本人申请退会", "长期不参加组织生活，按自动退会处理"),
    Member.Status.DECEASED: ("因病去世", "病故"),
}
# Terms of 人大 / 政协 seats: national and provincial ones start in January 2013 and 2018, city and county
# ones in December 2011 and 2016; each lasts five years.
TERMS: dict[str, tuple[tuple[tuple[int, int, int], tuple[int, int, int]], ...]] = {
    Tier.NATIONAL: (((2013, 3, 3), (2018, 3, 2)), ((2018, 3, 3), (2023, 3, 2))),
    Tier.PROVINCIAL: (((2013, 1, 20), (2018, 1, 19)), ((2018, 1, 20), (2023, 1, 19))),
    Tier.CITY: (((2011, 12, 20), (2016, 12, 19)), ((2016, 12, 20), (2021, 12, 19))),
    Tier.COUNTY: (((2011, 12, 10), (2016, 12, 9)), ((2016, 12, 10), (2021, 12, 9))),
}
SEAT_LEVELS: dict[str, tuple[tuple[str, float], ...]] = {
    Position.Kind.NPC_DEPUTY: ((Tier.NATIONAL, 2), (Tier.PROVINCIAL, 10), (Tier.CITY, 35), (Tier.COUNTY, 53)),
    Position.Kind.CPPCC_MEMBER: ((Tier.NATIONAL, 1), (Tier.PROVINCIAL, 8), (Tier.CITY, 36), (Tier.COUNTY, 55)),
}
SEAT_SHARE = {Position.Kind.NPC_DEPUTY: 0.015, Position.Kind.CPPCC_MEMBER: 0.05}


@dataclass(slots=True)
class PositionSpec:
    kind: str
    level: str
    title: str
    organisation: str
    started: int | None
    ended: int | None


@dataclass(slots=True)
class Pending:
    """A generated member waiting for its primary key, with the rows that will refer to it."""

    index: int
    row: Row
    positions: list[PositionSpec]
    change: Row | None


class MemberWriter:
    def __init__(self, world: World) -> None:
        self.world = world
        self.members = world.loader.buffer(Member, children=self._children)
        self.positions = world.loader.buffer(Position)
        self.changes = world.loader.buffer(MemberStatusChange)

    def add(self, item: Pending) -> None:
        self.members.add(item.row, item)

    def _children(self, item: Pending, pk: int) -> None:
        self.world.roster.pk[item.index] = pk
        for spec in item.positions:
            self.positions.add(
                dict(
                    member_id=pk,
                    kind=spec.kind,
                    level=spec.level,
                    title=spec.title,
                    organisation=spec.organisation,
                    started_on=date(spec.started) if spec.started is not None else None,
                    ended_on=date(spec.ended) if spec.ended is not None else None,
                )
            )
        if item.change is not None:
            item.change["member_id"] = pk
            self.changes.add(item.change)

    def close(self) -> None:
        self.members.flush()
        self.positions.flush()
        self.changes.flush()


def build_members(world: World) -> None:
    writer = MemberWriter(world)
    taken: set[str] = set()
    for branch, size in zip(world.branches, member_counts(world), strict=True):
        for _ in range(size):
            writer.add(_member(world, branch, taken))
        _cumulate_weights(world, branch)
    writer.close()
    counts = world.loader.counts
    world.loader.log(
        f"members: {counts['member']} ({counts['memberstatuschange']} status changes, {counts['position']} positions)"
    )
    _leaders(world)


def _member(world: World, branch: BranchNode, taken: set[str]) -> Pending:
    rand, roster = world.rand, world.roster
    committee = world.committees[branch.committee]
    province = world.branch_province(branch)
    assert province.province is not None
    male = rand.random() < 0.47
    born_year = min(world.last_year - 24, int(rand.triangular(1938, world.last_year - 23, 1968)))
    born = ordinal(born_year, 1, 1) + rand.randint(0, 364)
    first_join = max(born_year + 24, 1979)
    joined_year = min(world.last_year, first_join + int((world.last_year - first_join + 1) * rand.random() ** 0.6))
    joined = max(born + 1, ordinal(joined_year, 1, 1) + rand.randint(0, 364))
    education = rand.choices(*zip(*EDUCATION, strict=True))[0]
    degree = rand.choices(*zip(*DEGREE[education], strict=True))[0]
    title_level = rand.choices(TITLES, TITLE_BY_EDUCATION[education])[0]
    sector = branch.sector if rand.random() < 0.8 else rand.choices(ALL_SECTORS, SECTOR_WEIGHTS)[0]
    work_unit = branch.host if branch.host and rand.random() < 0.7 else random_work_unit(rand, branch.place, sector)
    status, left, change = _status(world, born_year, joined)
    index = len(roster)
    roster.pk.append(0)
    roster.branch.append(branch.index)
    roster.joined.append(joined)
    roster.left.append(left)
    roster.rank.append(RANK.get(title_level, 1))
    roster.weight.append(
        rand.expovariate(1.0) * (1.5 if title_level in (TitleLevel.SENIOR, TitleLevel.VICE_SENIOR) else 1)
    )
    branch.members.append(index)
    ethnicities = ETHNICITIES.get(province.code, DEFAULT_ETHNICITIES)
    town = branch.place if branch.place == province.place else province.place + branch.place
    row = dict(
        committee_id=committee.pk,
        branch_id=branch.pk,
        name=random_name(rand, male),
        gender=Gender.MALE if male else Gender.FEMALE,
        birth_date=date(born),
        ethnicity=rand.choices(*zip(*ethnicities, strict=True))[0],
        id_number=random_id_number(rand, branch.region, date(born), male, taken),
        phone=f"1{rand.choice('35789')}{rand.randrange(10**9):09d}",
        address=f"{town}{rand.choice(DISTRICTS)}{rand.choice(ROADS)}{rand.randint(1, 320)}号",
        joined_on=date(joined),
        education=education,
        degree=degree,
        title_level=title_level,
        work_unit=work_unit,
        job_title=random_job_title(rand, sector, title_level),
        sector=sector,
        status=status,
        status_changed_on=date(left) if left != FOREVER else None,
    )
    return Pending(index, row, _positions(world, index, committee, province, born_year, joined), change)


def _status(world: World, born_year: int, joined: int) -> tuple[str, int, Row | None]:
    rand = world.rand
    draw = rand.random()
    deceased = 0.15 if born_year < 1945 else 0.05 if born_year < 1955 else 0.005
    if draw < deceased:
        status = Member.Status.DECEASED
    elif draw < deceased + 0.03:
        status = Member.Status.TRANSFERRED
    elif draw < deceased + 0.05:
        status = Member.Status.WITHDRAWN
    else:
        return Member.Status.ACTIVE, FOREVER, None
    start = max(joined + 200, ordinal(world.first_year - 3, 1, 1))
    end = ordinal(world.last_year, 12, 31)
    if start > end:
        return Member.Status.ACTIVE, FOREVER, None
    left = start + rand.randint(0, end - start)
    if status == Member.Status.TRANSFERRED:
        other = rand.choice(PROVINCES)
        note = f"转至民进{other.short}{other.suffix}委会"
    else:
        note = rand.choice(LEAVING_NOTES[status])
    return status, left, {"status": status, "changed_on": date(left), "note": note}


def _positions(
    world: World, member: int, committee: CommitteeNode, province: CommitteeNode, born_year: int, joined: int
) -> list[PositionSpec]:
    rand = world.rand
    specs: list[PositionSpec] = []
    for kind, share in SEAT_SHARE.items():
        if rand.random() >= share:
            continue
        level = rand.choices(*zip(*SEAT_LEVELS[kind], strict=True))[0]
        body = "人大" if kind == Position.Kind.NPC_DEPUTY else "政协"
        organisation = {
            Tier.NATIONAL: "全国" + body,
            Tier.PROVINCIAL: province.place + body,
            Tier.CITY: committee.place + body,
            Tier.COUNTY: committee.place + rand.choice(DISTRICTS) + body,
        }[level]
        title = "代表" if body == "人大" else ("常委" if rand.random() < 0.12 else "委员")
        terms = TERMS[level]
        chosen = rand.choices(((terms[1],), (terms[0],), terms), (60, 20, 20))[0]
        for start, end in chosen:
            started, ended = ordinal(*start), ordinal(*end)
            if started <= joined:
                continue
            specs.append(
                PositionSpec(kind, level, title, organisation, started, ended if ended <= _year_end(world) else None)
            )
    if rand.random() < 0.03:
        specs.append(
            PositionSpec(
                Position.Kind.REPRESENTATIVE, committee.tier, "代表人士", committee.name, _since(world, joined), None
            )
        )
    if born_year >= 1970 and rand.random() < 0.03:
        specs.append(
            PositionSpec(
                Position.Kind.RESERVE_CADRE, committee.tier, "后备干部", province.name, _since(world, joined), None
            )
        )
        world.reserve_cadres.setdefault(province.index, []).append(member)
    if rand.random() < 0.02:
        title = rand.choices(("委员", "常委", "副主委"), (70, 25, 5))[0]
        owner = province if rand.random() < 0.4 else committee
        specs.append(PositionSpec(Position.Kind.PARTY_POST, owner.tier, title, owner.name, _since(world, joined), None))
    if rand.random() < 0.004:
        started = _since(world, joined)
        specs.append(
            PositionSpec(
                Position.Kind.SECONDMENT,
                committee.tier,
                rand.choice(("挂职副县长", "挂职副局长", "挂职副院长")),
                committee.place + rand.choice(("人民政府", "教育局", "卫生健康委员会")),
                started,
                started + 365 * 2,
            )
        )
    return specs


def _year_end(world: World) -> int:
    return ordinal(world.last_year, 12, 31)


def _since(world: World, joined: int) -> int:
    """A start date a few years after joining, within the generated period at the latest."""
    rand = world.rand
    earliest = joined + 365
    latest = _year_end(world)
    if earliest >= latest:
        return latest
    return earliest + int((latest - earliest) * rand.random() ** 0.5)


def _cumulate_weights(world: World, branch: BranchNode) -> None:
    total = 0.0
    cumulative = []
    for member in branch.members:
        total += world.roster.weight[member]
        cumulative.append(total)
    branch.author_weights = cumulative


def _leaders(world: World) -> None:
    """Most branches get a leader (支部主委): an on-roll member, more likely one with a senior title."""
    rand, roster = world.rand, world.roster
    rows: list[Branch] = []
    posts = world.loader.buffer(Position)
    for branch in world.branches:
        if rand.random() >= 0.95:
            continue
        candidates = [m for m in branch.members if roster.left[m] == FOREVER]
        if not candidates:
            continue
        leader = rand.choices(candidates, [roster.rank[m] for m in candidates])[0]
        branch.leader = leader
        rows.append(Branch(pk=branch.pk, leader_id=roster.pk[leader]))
        titles: dict[str, str] = {Branch.Kind.GENERAL: "总支主委", Branch.Kind.GROUP: "组长"}
        title = titles.get(branch.kind, "支部主委")
        posts.add(
            dict(
                member_id=roster.pk[leader],
                kind=Position.Kind.PARTY_POST,
                title=title,
                organisation=branch.name,
                started_on=date(
                    min(_year_end(world), max(roster.joined[leader], branch.founded) + rand.randint(0, 1500))
                ),
            )
        )
    posts.flush()
    for start in range(0, len(rows), 1_000):
        Branch.objects.bulk_update(rows[start : start + 1_000], ["leader"])
    world.loader.log(f"branch leaders: {len(rows)}")
