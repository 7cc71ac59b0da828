"""The committee tree (民进中央 → 31 provinces → city committees) and the branches under it."""

from __future__ import annotations

import math

from committees.demo.people import random_name
from committees.models import Branch, Committee, Tier

from .geography import BRANCH_SECTORS, HOSTLESS, HOSTS, PROVINCES
from .loader import Row
from .world import BranchNode, CommitteeNode, World, apportion, date, ordinal

BRANCHES_AT_FULL_SCALE = 10_000
PROVINCE_DIRECT_SHARE = 0.03
CPC_LINKED_SHARE = 0.8
CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (1 ≤ n < 100)."""
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return head + (CHINESE_DIGITS[units] if units else "")


def cities_per_province(full: int, scale: float) -> int:
    """All cities at scale 1; at small scales fewer (√scale), but at least one per province."""
    return max(1, min(full, round(full * math.sqrt(min(scale, 1.0)))))


def mp_step(number: int) -> str:
    """One step of a treebeard materialized path: ``number`` in the model's alphabet, ``steplen`` wide."""
    alphabet, width = Committee.alphabet, Committee.steplen
    digits = ""
    while number:
        number, digit = divmod(number, len(alphabet))
        digits = alphabet[digit] + digits
    return digits.rjust(width, alphabet[0])


def build_committees(world: World) -> None:
    """Plan the tree, compute the treebeard paths (siblings ordered by code) and store it in one bulk insert."""
    nodes = world.committees
    nodes.append(
        CommitteeNode(0, "000000", "民进中央", "民进中央", Committee.Kind.CENTRAL, Tier.NATIONAL, "全国", None, None)
    )
    for province in PROVINCES:
        parent = len(nodes)
        nodes.append(
            CommitteeNode(
                parent,
                province.code,
                f"民进{province.short}{province.suffix}委会",
                f"{province.short}{province.suffix}委会",
                Committee.Kind.PROVINCIAL,
                Tier.PROVINCIAL,
                province.place,
                province,
                0,
            )
        )
        nodes[0].children.append(parent)
        for number in range(1, cities_per_province(province.cities, world.scale) + 1):
            if number == 1 and province.capital:
                place = f"{province.capital}市"
            else:
                place = f"{province.short}第{number}{'区' if province.municipality else '市'}"
            index = len(nodes)
            nodes.append(
                CommitteeNode(
                    index,
                    f"{province.code[:2]}{number:02d}00",
                    f"民进{place}委会",
                    f"{place}委会",
                    Committee.Kind.CITY,
                    Tier.CITY,
                    place,
                    province,
                    parent,
                )
            )
            nodes[parent].children.append(index)
    _assign_paths(nodes)
    rows = [
        dict(
            name=n.name,
            short_name=n.short_name,
            code=n.code,
            kind=n.kind,
            path=n.path,
            depth=len(n.path) // Committee.steplen,
            numchild=len(n.children),
        )
        for n in nodes
    ]
    for node, pk in zip(nodes, world.loader.store(Committee, rows, ids=True), strict=True):
        node.pk = pk
    world.loader.log(f"committees: {len(nodes)} (1 central, {len(PROVINCES)} provincial, {len(nodes) - 32} city)")


def _assign_paths(nodes: list[CommitteeNode]) -> None:
    nodes[0].path = mp_step(1)
    pending = [0]
    while pending:
        node = nodes[pending.pop()]
        for position, child in enumerate(sorted(node.children, key=lambda i: nodes[i].code), start=1):
            nodes[child].path = node.path + mp_step(position)
            pending.append(child)


def build_branches(world: World) -> None:
    rand, nodes = world.rand, world.committees
    total = max(1, round(BRANCHES_AT_FULL_SCALE * world.scale))
    provinces = nodes[0].children
    per_province = apportion(total, [p.weight for p in PROVINCES])
    sectors, sector_weights = zip(*BRANCH_SECTORS, strict=True)
    taken: set[tuple[int, str]] = set()
    rows: list[Row] = []
    for province_index, count in zip(provinces, per_province, strict=True):
        cities = nodes[province_index].children
        city_weights = [3.0 if k == 0 else rand.uniform(0.6, 1.4) for k in range(len(cities))]
        for _ in range(count):
            direct = rand.random() < PROVINCE_DIRECT_SHARE
            owner = nodes[province_index] if direct else nodes[rand.choices(cities, city_weights)[0]]
            branch, row = _branch(world, owner, direct, rand.choices(sectors, sector_weights)[0], taken)
            rows.append(row)
            owner.branches.append(branch.index)
    for branch, pk in zip(world.branches, world.loader.store(Branch, rows, ids=True), strict=True):
        branch.pk = pk
    for node in nodes:
        node.subtree_branches = list(node.branches)
    for province_index in provinces:
        for city in nodes[province_index].children:
            nodes[province_index].subtree_branches += nodes[city].branches
        nodes[0].subtree_branches += nodes[province_index].subtree_branches
    direct_count = sum(len(nodes[p].branches) for p in provinces)
    world.loader.log(f"branches: {len(rows)} ({direct_count} directly under a provincial committee)")


def _branch(
    world: World, owner: CommitteeNode, direct: bool, sector: str, taken: set[tuple[int, str]]
) -> tuple[BranchNode, Row]:
    rand = world.rand
    place = owner.place
    template = rand.choice(HOSTS[sector])
    host = template.format(place=place, n=chinese_number(rand.randint(1, 12))) if template else ""
    if direct:
        kind = Branch.Kind.DIRECT if rand.random() < 0.8 else Branch.Kind.BRANCH
    else:
        kind = rand.choices(
            (Branch.Kind.BRANCH, Branch.Kind.GENERAL, Branch.Kind.GROUP, Branch.Kind.DIRECT), (86, 7, 4, 3)
        )[0]
    suffix = {
        Branch.Kind.BRANCH: "支部",
        Branch.Kind.GENERAL: "总支",
        Branch.Kind.GROUP: "小组",
        Branch.Kind.DIRECT: "直属支部",
    }[kind]
    stem = host or f"{'省直' if direct else '市直'}{HOSTLESS[sector]}"
    name = f"{stem}{suffix}"
    number = 1
    while (owner.index, name) in taken:
        number += 1
        name = f"{stem}第{chinese_number(number)}{suffix}"
    taken.add((owner.index, name))
    founded_year = rand.randint(1980, world.last_year)
    founded = ordinal(founded_year, 1, 1) + rand.randint(0, 364)
    cpc_organisation, cpc_linked_on = "", None
    if rand.random() < CPC_LINKED_SHARE:
        cpc_organisation = f"中共{host}委员会" if host else f"中共{place}直属机关工作委员会"
        start = max(founded, ordinal(2012, 1, 1))
        cpc_linked_on = start + rand.randint(0, max(0, ordinal(world.last_year, 12, 31) - start))
    province = owner.province
    assert province is not None
    region = owner.code if owner.kind == Committee.Kind.CITY else f"{province.code[:2]}0100"
    node = BranchNode(
        index=len(world.branches),
        committee=owner.index,
        name=name,
        kind=kind,
        sector=sector,
        host=host,
        place=place,
        region=region,
        founded=founded,
        productivity=rand.lognormvariate(0.0, 0.5),
    )
    world.branches.append(node)
    row = dict(
        committee_id=owner.pk,
        name=name,
        kind=kind,
        host_institution=host,
        sector=sector,
        founded_on=date(founded),
        cpc_organisation=cpc_organisation,
        cpc_linked_on=date(cpc_linked_on) if cpc_linked_on is not None else None,
        liaison_leader=random_name(rand, rand.random() < 0.6) if rand.random() < 0.7 else "",
        liaison_staff=random_name(rand, rand.random() < 0.4) if rand.random() < 0.7 else "",
    )
    return node, row


def member_counts(world: World) -> list[int]:
    """Members per branch: a skewed spread around 20, scaled so that the total is exactly scale × 200,000."""
    rand = world.rand
    raw = [rand.lognormvariate(0.0, 0.5) * (1.3 if b.kind == Branch.Kind.GENERAL else 1.0) for b in world.branches]
    target = max(3 * len(raw), round(200_000 * world.scale))
    return [max(3, n) for n in apportion(target, raw)]
