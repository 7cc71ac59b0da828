"""Positions of members: 会内职务, 人大代表 and 政协委员 seats, 代表人士, 后备干部, 挂职."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from committees.models import Branch, Member, Position, Tier

from . import people
from .sync import day, rng
from .tree import CAPITALS, PROVINCES, SPEC_BY_CODE, Tree

if TYPE_CHECKING:
    from .members import Roster


def _seat(rand: random.Random, member: Member, home: str, place: str, province_place: str) -> Position:
    kind = Position.Kind.CPPCC_MEMBER if rand.random() < 0.7 else Position.Kind.NPC_DEPUTY
    level = rand.choices((Tier.COUNTY, Tier.CITY, Tier.PROVINCIAL), (45, 35, 17))[0]
    body = "政协" if kind == Position.Kind.CPPCC_MEMBER else "人大"
    organisation = {
        Tier.PROVINCIAL: f"{province_place}{body}",
        Tier.CITY: f"{place}{body}",
        Tier.COUNTY: f"{rand.choice(people.COUNTIES[home])}{body}",
    }[level]
    title = {Tier.PROVINCIAL: "省", Tier.CITY: "市", Tier.COUNTY: "县（区）"}[level] + (
        "政协委员" if body == "政协" else "人大代表"
    )
    started = {
        Tier.PROVINCIAL: dt.date(2018, 1, 25),
        Tier.CITY: dt.date(2017, 1, 10),
        Tier.COUNTY: dt.date(2016, 12, 20),
    }
    return Position(
        member=member, kind=kind, level=level, title=title, organisation=organisation, started_on=started[level]
    )


def _role(rand: random.Random, member: Member, home: str, province_place: str) -> Position | None:
    """Now and then a seat, a place in the 代表人士 pool or among the 后备干部, or a temporary post."""
    assert member.birth_date is not None and member.joined_on is not None
    since = max(member.joined_on, dt.date(2014, 1, 1))
    organisation = f"民进{province_place.removesuffix('省')}省委会"
    draw = rand.random()
    if draw < 0.04:
        return _seat(rand, member, home, SPEC_BY_CODE[home].place, province_place)
    if draw < 0.065:
        started = day(rand, since, dt.date(2020, 12, 31))
        return Position(
            member=member,
            kind=Position.Kind.REPRESENTATIVE,
            title="代表人士",
            organisation=organisation,
            started_on=started,
        )
    if draw < 0.078 and member.birth_date.year >= 1970:
        started = day(rand, since, dt.date(2020, 12, 31))
        return Position(
            member=member,
            kind=Position.Kind.RESERVE_CADRE,
            title="后备干部",
            organisation=organisation,
            started_on=started,
        )
    if draw < 0.082 and since < dt.date(2020, 1, 1):
        started = day(rand, since, dt.date(2020, 6, 30))
        return Position(
            member=member,
            kind=Position.Kind.SECONDMENT,
            title=rand.choice(("挂职副县长", "挂职副局长", "挂职副院长")),
            organisation=f"{rand.choice(people.COUNTIES[home])}人民政府",
            started_on=started,
            ended_on=started + dt.timedelta(days=rand.choice((365, 730))),
        )
    return None


def build_positions(tree: Tree, roster: Roster) -> list[Position]:
    rows: list[Position] = []
    for branch in tree.branches:
        leader = roster.leaders.get(branch.pk)
        if leader is None:
            continue
        assert branch.founded_on is not None and leader.joined_on is not None
        titles: dict[str, str] = {Branch.Kind.GENERAL: "总支主委", Branch.Kind.GROUP: "小组组长"}
        title = titles.get(branch.kind, "支部主委")
        started = max(branch.founded_on, leader.joined_on, dt.date(2016, 1, 1))
        rows.append(
            Position(
                member=leader, kind=Position.Kind.PARTY_POST, title=title, organisation=branch.name, started_on=started
            )
        )
    for province in PROVINCES:
        rand = rng(f"positions/{province}")
        province_place = SPEC_BY_CODE[province].place
        for member in roster.active[province]:
            if member.name not in people.RESERVED_NAMES:
                code = tree.code(member.committee_id)
                role = _role(rand, member, code if code != province else CAPITALS[province], province_place)
                if role is not None:
                    rows.append(role)
    named = roster.named
    rows += [
        Position(
            member=named["张显友"],
            kind=Position.Kind.PARTY_POST,
            level=Tier.PROVINCIAL,
            title="主委",
            organisation="民进黑龙江省委会",
            started_on=dt.date(2017, 6, 1),
        ),
        Position(
            member=named["张显友"],
            kind=Position.Kind.NPC_DEPUTY,
            level=Tier.NATIONAL,
            title="全国人大代表",
            organisation="第十三届全国人民代表大会",
            started_on=dt.date(2018, 3, 5),
        ),
        Position(
            member=named["汤怀胜"],
            kind=Position.Kind.REPRESENTATIVE,
            title="民进企业家",
            organisation="民进黑龙江省委会",
            started_on=dt.date(2015, 1, 1),
        ),
    ]
    return rows
