"""The committee tree and the branches of the two seed provinces."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from committees.models import Branch, Committee, Sector

from .sync import day, rng, sync

CENTRAL = "000000"
HEILONGJIANG = "230000"
GUIZHOU = "520000"
PROVINCES = (HEILONGJIANG, GUIZHOU)
CAPITALS = {HEILONGJIANG: "230100", GUIZHOU: "520100"}


@dataclass(frozen=True)
class CommitteeSpec:
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    place: str


def _city(code: str, place: str, parent: str) -> CommitteeSpec:
    return CommitteeSpec(code, f"民进{place}委会", f"{place}委会", Committee.Kind.CITY, parent, place)


COMMITTEES: tuple[CommitteeSpec, ...] = (
    CommitteeSpec(CENTRAL, "民进中央", "民进中央", Committee.Kind.CENTRAL, None, "全国"),
    CommitteeSpec(HEILONGJIANG, "民进黑龙江省委会", "黑龙江省委会", Committee.Kind.PROVINCIAL, CENTRAL, "黑龙江省"),
    _city("230100", "哈尔滨市", HEILONGJIANG),
    _city("230200", "齐齐哈尔市", HEILONGJIANG),
    _city("230300", "鸡西市", HEILONGJIANG),
    _city("230400", "鹤岗市", HEILONGJIANG),
    _city("230600", "大庆市", HEILONGJIANG),
    _city("230800", "佳木斯市", HEILONGJIANG),
    _city("231000", "牡丹江市", HEILONGJIANG),
    _city("231200", "绥化市", HEILONGJIANG),
    CommitteeSpec(GUIZHOU, "民进贵州省委会", "贵州省委会", Committee.Kind.PROVINCIAL, CENTRAL, "贵州省"),
    _city("520100", "贵阳市", GUIZHOU),
    _city("520200", "六盘水市", GUIZHOU),
    _city("520300", "遵义市", GUIZHOU),
    _city("520400", "安顺市", GUIZHOU),
    _city("520500", "毕节市", GUIZHOU),
    _city("520600", "铜仁市", GUIZHOU),
    _city("522300", "黔西南州", GUIZHOU),
    _city("522600", "黔东南州", GUIZHOU),
    _city("522700", "黔南州", GUIZHOU),
)
SPEC_BY_CODE = {spec.code: spec for spec in COMMITTEES}

E, M, C, P, S, X, OT = (
    Sector.EDUCATION,
    Sector.MEDICINE,
    Sector.CULTURE,
    Sector.PUBLISHING,
    Sector.SCIENCE,
    Sector.ECONOMY,
    Sector.OTHER,
)


@dataclass(frozen=True)
class BranchSpec:
    committee: str
    name: str
    host: str = ""
    sector: str = Sector.OTHER
    weight: float = 1.0
    kind: str = Branch.Kind.BRANCH
    founded_on: dt.date | None = None


def _branches(committee: str, *rows: tuple) -> list[BranchSpec]:
    return [BranchSpec(committee, *row) for row in rows]


D, G, GROUP = Branch.Kind.DIRECT, Branch.Kind.GENERAL, Branch.Kind.GROUP

# The seven university branches of the 2020 summary; no other Heilongjiang branch is founded in 2020.
FOUNDED_2020 = {
    "哈尔滨工程大学": dt.date(2020, 6, 18),
    "东北农业大学": dt.date(2020, 7, 9),
    "哈尔滨商业大学": dt.date(2020, 9, 15),
    "东北林业大学": dt.date(2020, 10, 13),
    "黑龙江中医药大学": dt.date(2020, 10, 27),
    "哈尔滨音乐学院": dt.date(2020, 11, 20),
    "黑龙江应用职业学院": dt.date(2020, 12, 8),
}


def _new(committee: str, host: str, sector: str, weight: float) -> BranchSpec:
    return BranchSpec(committee, f"{host}支部", host, sector, weight, founded_on=FOUNDED_2020[host])


BRANCHES: tuple[BranchSpec, ...] = (
    *_branches(
        HEILONGJIANG,
        ("省直第一支部", "", OT, 1.0, D),
        ("省直第二支部", "", OT, 1.0, D),
        ("省直第三支部", "", OT, 0.8, D),
        ("黑龙江大学支部", "黑龙江大学", E, 1.4),
        ("黑龙江省医院支部", "黑龙江省医院", M, 1.0),
        ("黑龙江省社会科学院支部", "黑龙江省社会科学院", S, 0.6),
        ("黑龙江出版集团支部", "黑龙江出版集团", P, 0.6),
    ),
    _new(HEILONGJIANG, "东北农业大学", E, 0.5),
    _new(HEILONGJIANG, "东北林业大学", E, 0.5),
    _new(HEILONGJIANG, "黑龙江中医药大学", M, 0.5),
    _new(HEILONGJIANG, "黑龙江应用职业学院", E, 0.3),
    *_branches(
        "230100",
        ("哈尔滨师范大学支部", "哈尔滨师范大学", E, 1.3),
        ("哈尔滨医科大学总支", "哈尔滨医科大学", M, 1.6, G),
        ("哈尔滨市第三中学支部", "哈尔滨市第三中学校", E, 0.8),
        ("哈尔滨市南岗区教育支部", "", E, 1.0),
        ("哈尔滨市道里区支部", "", OT, 1.0),
        ("哈尔滨市经济界支部", "", X, 1.0),
        ("哈尔滨市文化出版支部", "", C, 0.8),
    ),
    _new("230100", "哈尔滨工程大学", E, 0.5),
    _new("230100", "哈尔滨商业大学", X, 0.4),
    _new("230100", "哈尔滨音乐学院", C, 0.3),
    *_branches(
        "230200",
        ("齐齐哈尔大学支部", "齐齐哈尔大学", E),
        ("齐齐哈尔医学院支部", "齐齐哈尔医学院", M),
        ("齐齐哈尔市实验中学支部", "齐齐哈尔市实验中学", E, 0.8),
        ("齐齐哈尔市经济支部", "", X, 0.8),
        ("齐齐哈尔市综合支部", "", OT),
    ),
    *_branches(
        "230300",
        ("黑龙江工业学院支部", "黑龙江工业学院", E, 0.8),
        ("鸡西市第一中学支部", "鸡西市第一中学", E, 0.8),
        ("鸡西市人民医院支部", "鸡西市人民医院", M, 0.8),
        ("鸡西市综合支部", "", OT),
    ),
    *_branches(
        "230400",
        ("鹤岗市第一中学支部", "鹤岗市第一中学", E, 0.8),
        ("鹤岗市人民医院支部", "鹤岗市人民医院", M, 0.8),
        ("鹤岗市综合支部", "", OT),
        ("绥滨县小组", "", OT, 0.3, GROUP),
    ),
    *_branches(
        "230600",
        ("东北石油大学支部", "东北石油大学", E, 1.2),
        ("大庆油田总医院支部", "大庆油田总医院", M),
        ("大庆市第一中学支部", "大庆市第一中学", E, 0.8),
        ("大庆市经济支部", "", X),
        ("大庆市让胡路区支部", "", OT, 0.8),
    ),
    *_branches(
        "230800",
        ("佳木斯大学支部", "佳木斯大学", E, 1.2),
        ("佳木斯市第一中学支部", "佳木斯市第一中学", E, 0.8),
        ("佳木斯市中心医院支部", "佳木斯市中心医院", M, 0.8),
        ("佳木斯市综合支部", "", OT),
    ),
    *_branches(
        "231000",
        ("牡丹江师范学院支部", "牡丹江师范学院", E),
        ("牡丹江医学院支部", "牡丹江医学院", M),
        ("牡丹江市第一高级中学支部", "牡丹江市第一高级中学", E, 0.8),
        ("牡丹江市经济支部", "", X, 0.8),
        ("绥芬河支部", "", OT, 0.6),
    ),
    *_branches(
        "231200",
        ("绥化学院支部", "绥化学院", E),
        ("绥化市第一中学支部", "绥化市第一中学", E, 0.8),
        ("绥化市第一医院支部", "绥化市第一医院", M, 0.8),
        ("绥化市综合支部", "", OT),
    ),
    *_branches(
        GUIZHOU,
        ("省直第一支部", "", OT, 1.0, D),
        ("省直第二支部", "", OT, 1.0, D),
        ("省直第三支部", "", OT, 0.8, D),
        ("贵州大学总支", "贵州大学", E, 1.8, G),
        ("贵州师范大学支部", "贵州师范大学", E, 1.4),
        ("贵州医科大学支部", "贵州医科大学", M, 1.4),
        ("贵州财经大学支部", "贵州财经大学", X),
        ("贵州民族大学支部", "贵州民族大学", E),
        ("贵州中医药大学支部", "贵州中医药大学", M),
        ("贵州省人民医院支部", "贵州省人民医院", M, 1.2),
        ("贵州省科学院支部", "贵州省科学院", S, 0.7),
        ("贵州出版集团支部", "贵州出版集团", P, 0.6),
    ),
    *_branches(
        "520100",
        ("贵阳学院支部", "贵阳学院", E),
        ("贵阳市第一中学支部", "贵阳市第一中学", E, 0.8),
        ("贵阳市第一人民医院支部", "贵阳市第一人民医院", M),
        ("贵阳市云岩区支部", "", OT),
        ("贵阳市南明区支部", "", OT),
        ("贵阳市教育支部", "", E),
        ("贵阳市经济支部", "", X),
        ("贵阳市文化支部", "", C, 0.8),
        ("贵阳市科技支部", "", S, 0.7),
    ),
    *_branches(
        "520200",
        ("六盘水师范学院支部", "六盘水师范学院", E),
        ("六盘水市第一中学支部", "六盘水市第一中学", E, 0.8),
        ("六盘水市人民医院支部", "六盘水市人民医院", M, 0.8),
        ("六盘水市钟山区支部", "", OT),
        ("六盘水市经济支部", "", X, 0.7),
    ),
    *_branches(
        "520300",
        ("遵义医科大学支部", "遵义医科大学", M, 1.3),
        ("遵义师范学院支部", "遵义师范学院", E),
        ("遵义市第一人民医院支部", "遵义市第一人民医院", M),
        ("遵义市第四中学支部", "遵义市第四中学", E, 0.8),
        ("遵义市红花岗区支部", "", OT),
        ("遵义市汇川区支部", "", OT),
        ("遵义市经济支部", "", X),
        ("遵义市文化支部", "", C, 0.7),
    ),
    *_branches(
        "520400",
        ("安顺学院支部", "安顺学院", E),
        ("安顺市第一高级中学支部", "安顺市第一高级中学", E, 0.8),
        ("安顺市人民医院支部", "安顺市人民医院", M, 0.8),
        ("安顺市西秀区支部", "", OT),
        ("安顺市经济支部", "", X, 0.7),
    ),
    *_branches(
        "520500",
        ("贵州工程应用技术学院支部", "贵州工程应用技术学院", E),
        ("毕节市第一中学支部", "毕节市第一中学", E, 0.8),
        ("毕节市第一人民医院支部", "毕节市第一人民医院", M, 0.8),
        ("毕节市七星关区支部", "", OT),
        ("毕节市经济支部", "", X, 0.7),
        ("毕节市文化支部", "", C, 0.6),
    ),
    *_branches(
        "520600",
        ("铜仁学院支部", "铜仁学院", E),
        ("铜仁市第一中学支部", "铜仁市第一中学", E, 0.8),
        ("铜仁市人民医院支部", "铜仁市人民医院", M, 0.8),
        ("铜仁市碧江区支部", "", OT),
        ("铜仁市经济支部", "", X, 0.7),
    ),
    *_branches(
        "522300",
        ("兴义民族师范学院支部", "兴义民族师范学院", E),
        ("黔西南州人民医院支部", "黔西南州人民医院", M, 0.8),
        ("兴义市第八中学支部", "兴义市第八中学", E, 0.8),
        ("兴义市支部", "", OT),
        ("黔西南州经济支部", "", X, 0.7),
    ),
    *_branches(
        "522600",
        ("凯里学院支部", "凯里学院", E),
        ("黔东南州人民医院支部", "黔东南州人民医院", M, 0.8),
        ("凯里市第一中学支部", "凯里市第一中学", E, 0.8),
        ("凯里市支部", "", OT),
        ("黔东南州文化支部", "", C, 0.7),
    ),
    *_branches(
        "522700",
        ("黔南民族师范学院支部", "黔南民族师范学院", E),
        ("黔南州人民医院支部", "黔南州人民医院", M, 0.8),
        ("都匀第一中学支部", "都匀第一中学", E, 0.8),
        ("都匀市支部", "", OT),
        ("黔南州经济支部", "", X, 0.7),
    ),
)


def province_of(code: str) -> str:
    return code[:2] + "0000"


@dataclass
class Tree:
    committees: dict[str, Committee]
    branches: list[Branch]
    specs: dict[int, BranchSpec] = field(default_factory=dict)
    codes: dict[int, str] = field(init=False)
    by_pk: dict[int, Branch] = field(init=False)

    def __post_init__(self) -> None:
        self.codes = {c.pk: code for code, c in self.committees.items()}
        self.by_pk = {b.pk: b for b in self.branches}

    def province(self, branch: Branch) -> str:
        return province_of(self.specs[branch.pk].committee)

    def branch(self, committee: str, name: str) -> Branch:
        return next(b for b in self.branches if b.name == name and self.specs[b.pk].committee == committee)

    def branches_of(self, province: str) -> list[Branch]:
        return [b for b in self.branches if province_of(self.specs[b.pk].committee) == province]

    def place(self, branch: Branch) -> str:
        return SPEC_BY_CODE[self.specs[branch.pk].committee].place

    def code(self, committee_id: int) -> str:
        return self.codes[committee_id]


def load_committees() -> dict[str, Committee]:
    existing = {c.code: c for c in Committee.objects.all()}
    for spec in COMMITTEES:
        values = {"name": spec.name, "short_name": spec.short_name, "kind": spec.kind}
        node = existing.get(spec.code)
        if node is None:
            if spec.parent is None:
                node = Committee.add_root(code=spec.code, **values)
            else:
                parent = existing[spec.parent]
                parent.refresh_from_db()
                node = parent.add_child(code=spec.code, **values)
            existing[spec.code] = node
        elif any(getattr(node, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(node, k, v)
            node.save()
    return {c.code: c for c in Committee.objects.filter(code__in=SPEC_BY_CODE)}


def _cpc_organisation(spec: BranchSpec) -> str:
    if spec.host:
        return f"中共{spec.host}委员会"
    return f"中共{SPEC_BY_CODE[spec.committee].place}委统战部"


def build_branches(committees: dict[str, Committee]) -> list[Branch]:
    rand = rng("branches")
    rows = []
    for spec in BRANCHES:
        founded = spec.founded_on or day(rand, dt.date(1986, 1, 1), dt.date(2019, 6, 30))
        linked = None
        in_heilongjiang = province_of(spec.committee) == HEILONGJIANG
        # 三个“全覆盖” 2020: every Heilongjiang branch is linked by the end of 2020; Guizhou mostly.
        if in_heilongjiang or rand.random() < 0.9:
            start = max(founded, dt.date(2015, 1, 1))
            end = dt.date(2020, 12, 31) if in_heilongjiang else dt.date(2021, 6, 30)
            linked = day(rand, start, end) if start < end else founded
        rows.append(
            Branch(
                committee=committees[spec.committee],
                name=spec.name,
                kind=spec.kind,
                host_institution=spec.host,
                sector=spec.sector,
                founded_on=founded,
                cpc_organisation=_cpc_organisation(spec) if linked else "",
                cpc_linked_on=linked,
            )
        )
    return rows


def load_tree() -> Tree:
    committees = load_committees()
    rows = build_branches(committees)
    stored = sync(
        Branch, rows, key=("committee", "name"), fields=[f.name for f in Branch._meta.fields if f.name != "leader"]
    )
    return Tree(committees, stored, {b.pk: spec for b, spec in zip(stored, BRANCHES, strict=True)})
