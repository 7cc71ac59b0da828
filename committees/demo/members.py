"""Members of the two provinces, their status history, branch leaders and positions."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from committees.models import (
    Branch,
    Degree,
    Education,
    Gender,
    Member,
    MemberStatusChange,
    Position,
    Sector,
    TitleLevel,
)

from . import people
from .positions import build_positions
from .sync import day, rng, sync
from .tree import CAPITALS, GUIZHOU, HEILONGJIANG, PROVINCES, SPEC_BY_CODE, Tree, province_of

ACTIVE_MEMBERS = {HEILONGJIANG: 2460, GUIZHOU: 4460}
# Guizhou 2019: 副高以上职称 1071 members (24%), 94 with a doctorate. Chosen member by member below.
GUIZHOU_SENIOR_TITLES = 1071
GUIZHOU_DOCTORS = 94
JOIN_END = dt.date(2020, 10, 31)
# The Guizhou report (October 2019) counts its roll as it stood then: nobody on it joined or left later, so the
# 2019 figures (4,460 members, 1,071 副高以上, 94 doctorates) are what the roll says at the end of 2019.
ROLL_AS_OF = {GUIZHOU: dt.date(2019, 9, 30)}
ACADEMIC = {Sector.EDUCATION, Sector.MEDICINE, Sector.SCIENCE}
LEADERLESS = {("230400", "绥滨县小组"), ("230000", "黑龙江应用职业学院支部"), ("520100", "贵阳市科技支部")}


@dataclass
class Roster:
    members: list[Member]
    active: dict[str, list[Member]] = field(default_factory=dict)
    by_branch: dict[int, list[Member]] = field(default_factory=dict)
    leaders: dict[int, Member] = field(default_factory=dict)
    named: dict[str, Member] = field(default_factory=dict)

    def peers(self, member: Member) -> list[Member]:
        """The active members of ``member``'s branch, ``member`` included."""
        return self.by_branch.get(member.branch_id or 0, [])


def _years_after(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def _quotas(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder), so the parts add up exactly."""
    shares = [total * w / sum(weights) for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (parts[i] - shares[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def weighted_sample(
    rand: random.Random, items: Sequence[Member], k: int, weight: Callable[[Member], float]
) -> list[int]:
    """Indices of ``k`` items drawn without replacement with probability by weight (Efraimidis-Spirakis)."""
    keyed = [(rand.random() ** (1 / w), i) for i, item in enumerate(items) if (w := weight(item)) > 0]
    if len(keyed) < k:
        raise ValueError(f"only {len(keyed)} candidates for {k} places")
    return [i for _, i in sorted(keyed, reverse=True)[:k]]


def _home(rand: random.Random, committee: str) -> str:
    """The city of a member's ID number and address: a 省直 member mostly lives in the capital."""
    province = province_of(committee)
    if committee != province:
        return committee
    if rand.random() < 0.7:
        return CAPITALS[province]
    return rand.choice([code for code in people.COUNTIES if province_of(code) == province])


def _person(rand: random.Random, tree: Tree, branch: Branch, taken: set[str], *, active: bool) -> Member:
    spec = tree.specs[branch.pk]
    province = province_of(spec.committee)
    male = rand.random() < 0.53
    year = min(int(rand.triangular(1950, 1996, 1972)), 1995)
    birth = day(rand, dt.date(year, 1, 1), dt.date(year, 12, 31))
    earliest = max(_years_after(birth, 22), dt.date(1984, 1, 1))
    if spec.founded_on and spec.founded_on.year == 2020:
        earliest = max(earliest, spec.founded_on - dt.timedelta(days=420))
    join_end = ROLL_AS_OF.get(province, JOIN_END)
    joined = earliest + dt.timedelta(days=int((join_end - earliest).days * rand.random() ** 0.6))
    home = _home(rand, spec.committee)
    place = SPEC_BY_CODE[spec.committee].place
    if spec.host and rand.random() < 0.85:
        work_unit, sector = spec.host, spec.sector
    else:
        sector = spec.sector if rand.random() < 0.7 else rand.choice(list(Sector.values))
        work_unit = people.random_work_unit(rand, place, sector)
    member = Member(
        committee_id=branch.committee_id,
        branch=branch,
        name=people.random_name(rand, male),
        gender=Gender.MALE if male else Gender.FEMALE,
        birth_date=birth,
        ethnicity=people.random_ethnicity(rand, province),
        id_number=people.random_id_number(rand, home, birth, male, taken),
        phone=people.random_phone(rand),
        address=people.random_address(rand, home, SPEC_BY_CODE[home].place),
        joined_on=joined,
        work_unit=work_unit,
        sector=sector,
    )
    if not active:
        member.status = rand.choices(
            (Member.Status.TRANSFERRED, Member.Status.WITHDRAWN, Member.Status.DECEASED), (45, 25, 30)
        )[0]
        left_until = ROLL_AS_OF.get(province, dt.date(2021, 6, 30))
        left_from = min(max(joined + dt.timedelta(days=180), dt.date(2017, 1, 1)), left_until)
        member.status_changed_on = day(rand, left_from, left_until)
    return member


def _qualify(rand: random.Random, member: Member, *, senior: bool, doctor: bool) -> None:
    assert member.birth_date is not None
    if senior:
        member.title_level = (
            TitleLevel.SENIOR if member.birth_date.year <= 1975 and rand.random() < 0.3 else TitleLevel.VICE_SENIOR
        )
    elif member.birth_date.year > 1992:
        member.title_level = rand.choice((TitleLevel.JUNIOR, TitleLevel.NONE))
    else:
        member.title_level = rand.choices((TitleLevel.INTERMEDIATE, TitleLevel.JUNIOR, TitleLevel.NONE), (50, 25, 25))[
            0
        ]
    if doctor:
        member.education, member.degree = Education.DOCTORATE, Degree.DOCTOR
    else:
        academic = member.sector in ACADEMIC
        weights = (45, 50, 5, 0) if senior else (30, 55, 12, 3) if academic else (12, 58, 23, 7)
        member.education = rand.choices(
            (Education.MASTER, Education.BACHELOR, Education.COLLEGE, Education.SECONDARY), weights
        )[0]
        member.degree = {
            Education.MASTER: Degree.MASTER,
            Education.BACHELOR: Degree.BACHELOR if rand.random() < 0.92 else Degree.NONE,
        }.get(member.education, Degree.NONE)
    member.job_title = people.random_job_title(rand, member.sector, member.title_level)


def _senior_weight(member: Member) -> float:
    assert member.birth_date is not None
    if member.status != Member.Status.ACTIVE or member.birth_date.year > 1990:
        return 0
    age = 1.0 if member.birth_date.year <= 1984 else 0.2
    return age * (3.0 if member.sector in ACADEMIC else 1.0)


def _doctor_weight(member: Member, seniors: set[int]) -> float:
    assert member.birth_date is not None
    if member.status != Member.Status.ACTIVE or member.birth_date.year > 1990:
        return 0
    # 主要分布在高校、医院和科研院所
    return (4.0 if id(member) in seniors else 1.0) * (4.0 if member.sector in ACADEMIC else 0.3)


def _assign_qualifications(rand: random.Random, province: str, members: list[Member]) -> None:
    if province == GUIZHOU:
        seniors = {id(members[i]) for i in weighted_sample(rand, members, GUIZHOU_SENIOR_TITLES, _senior_weight)}
        doctors = {
            id(members[i])
            for i in weighted_sample(rand, members, GUIZHOU_DOCTORS, lambda m: _doctor_weight(m, seniors))
        }
        for member in members:
            _qualify(rand, member, senior=id(member) in seniors, doctor=id(member) in doctors)
        return
    for member in members:
        assert member.birth_date is not None
        academic = member.sector in ACADEMIC
        senior = member.birth_date.year <= 1988 and rand.random() < (0.34 if academic else 0.15)
        doctor = member.birth_date.year <= 1990 and rand.random() < (0.06 if academic else 0.005)
        _qualify(rand, member, senior=senior, doctor=doctor)


def _named_members(tree: Tree, taken: set[str]) -> list[Member]:
    """The people the 2020 summary names."""
    rand = rng("members/named")
    rows = []
    for name, branch, birth, region, unit, job, sector in (
        (
            "张显友",
            ("230000", "省直第一支部"),
            dt.date(1962, 3, 14),
            "230103",
            "民进黑龙江省委会",
            "主委",
            Sector.OTHER,
        ),
        (
            "汤怀胜",
            ("230100", "哈尔滨市经济界支部"),
            dt.date(1968, 9, 2),
            "230102",
            "哈尔滨鑫达实业有限公司",
            "董事长",
            Sector.ECONOMY,
        ),
        (
            "于铁夫",
            ("231000", "绥芬河支部"),
            dt.date(1966, 11, 20),
            "231081",
            "绥芬河市卫生健康局",
            "",
            Sector.MEDICINE,
        ),
    ):
        home = tree.branch(*branch)
        sequence = 11
        while (number := people.id_number(region, birth, sequence)) in taken:
            sequence += 2
        taken.add(number)
        rows.append(
            Member(
                committee_id=home.committee_id,
                branch=home,
                name=name,
                gender=Gender.MALE,
                birth_date=birth,
                ethnicity="汉族",
                id_number=number,
                phone=people.random_phone(rand),
                address=people.random_address(rand, region[:4] + "00", SPEC_BY_CODE[region[:4] + "00"].place),
                joined_on=dt.date(1998, 5, 1) if name != "于铁夫" else dt.date(2009, 7, 1),
                education=Education.MASTER,
                degree=Degree.MASTER,
                title_level=TitleLevel.SENIOR if name == "张显友" else TitleLevel.VICE_SENIOR,
                work_unit=unit,
                job_title=job,
                sector=sector,
            )
        )
    rows[2].status, rows[2].status_changed_on = Member.Status.DECEASED, dt.date(2020, 6, 1)
    return rows


def build_members(tree: Tree) -> list[Member]:
    """Every demo member, unsaved, in a fixed order. Depends on nothing but the tree."""
    rows: list[Member] = []
    taken: set[str] = set()
    for province in PROVINCES:
        rand = rng(f"members/{province}")
        branches = tree.branches_of(province)
        counts = _quotas(ACTIVE_MEMBERS[province], [tree.specs[b.pk].weight for b in branches])
        members: list[Member] = []
        for branch, count in zip(branches, counts, strict=True):
            members += [_person(rand, tree, branch, taken, active=True) for _ in range(count)]
            leaving = count // 60 + (1 if rand.random() < 0.5 else 0)
            members += [_person(rand, tree, branch, taken, active=False) for _ in range(leaving)]
        _assign_qualifications(rand, province, members)
        rows += members
    return rows + _named_members(tree, taken)


STATUS_NOTES: dict[str, str] = {
    Member.Status.TRANSFERRED: "组织关系转出",
    Member.Status.WITHDRAWN: "本人申请退会",
    Member.Status.DECEASED: "病故",
}


def _status_changes(members: Sequence[Member]) -> list[MemberStatusChange]:
    return [
        MemberStatusChange(
            member=m,
            status=m.status,
            changed_on=m.status_changed_on,
            note="因公殉职（绥芬河抗疫一线）" if m.name == "于铁夫" else STATUS_NOTES[m.status],
        )
        for m in members
        if m.status != Member.Status.ACTIVE and m.status_changed_on
    ]


def _choose_leaders(tree: Tree, roster: Roster) -> dict[int, Member]:
    rand = rng("members/leaders")
    leaders = {}
    for branch in tree.branches:
        if (tree.specs[branch.pk].committee, branch.name) in LEADERLESS:
            continue
        candidates = [m for m in roster.by_branch[branch.pk] if m.name not in people.RESERVED_NAMES]
        # Leaders tend to be experienced members with senior titles.
        candidates.sort(key=lambda m: (m.title_level not in (TitleLevel.SENIOR, TitleLevel.VICE_SENIOR), m.joined_on))
        leaders[branch.pk] = rand.choice(candidates[:6])
    return leaders


def load_members(tree: Tree) -> Roster:
    stored = sync(Member, build_members(tree), key=("id_number",))
    roster = Roster(stored)
    for member in stored:
        if member.name in people.RESERVED_NAMES:
            roster.named[member.name] = member
        if member.status == Member.Status.ACTIVE:
            roster.active.setdefault(province_of(tree.code(member.committee_id)), []).append(member)
            roster.by_branch.setdefault(member.branch_id or 0, []).append(member)
    sync(MemberStatusChange, _status_changes(stored), key=("member", "changed_on", "status"))
    roster.leaders = _choose_leaders(tree, roster)
    with_leaders = [
        Branch(committee_id=b.committee_id, name=b.name, leader=roster.leaders.get(b.pk)) for b in tree.branches
    ]
    for branch, row in zip(
        tree.branches, sync(Branch, with_leaders, key=("committee", "name"), fields=["leader"]), strict=True
    ):
        branch.leader = row.leader
    sync(Position, build_positions(tree, roster), key=("member", "kind", "title", "organisation", "started_on"))
    return roster
